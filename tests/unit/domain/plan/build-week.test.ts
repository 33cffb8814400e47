/**
 * buildWeek: one week of a plan from the plan's context and the weeks before it — its target from
 * the phase, the workouts, the notes; weekTarget on its own; toPlannedWorkout.
 */
import { describe, expect, it } from 'vitest';
import { buildWeek, weekTarget } from '../../../../src/domain/plan/build-week.js';
import { planContext, toPlannedWorkout, workoutById, type PlanInput } from '../../../../src/domain/plan/index.js';

/** CTL 40: ramp 7 × (40 + 5 j) for load week j; recovery every 4th week. */
const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 8,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 8,
  startDate: '2025-03-03',
  fitness: { ctl: 40 },
};

/** The context after building weeks 1 … `weeks`. */
function contextAfter(weeks: number, input: PlanInput = INPUT) {
  const context = planContext(input);
  for (let week = 1; week <= weeks; week++) {
    const made = buildWeek(context, week, Infinity)!;
    context.weeks.push(made.week);
    context.history.push(made.ids);
  }
  return context;
}

describe('weekTarget', () => {
  it('load weeks ramp by the cap; a recovery week is 65 % of the week before, with its note', () => {
    const context = contextAfter(3);
    expect(context.weeks.map((w) => w.targetTss)).toEqual([315, 350, 385]);
    const notes: string[] = [];
    expect(weekTarget(context, 4, notes)).toBe(Math.round(0.65 * 385));
    expect(notes).toEqual(['Recovery week: about a third lighter, no hard days — absorb the training.']);
  });

  it('the event week is a share of the last load week, with its note', () => {
    const input = { ...INPUT, eventDate: '2025-04-26' };
    const context = contextAfter(7, input);
    expect(context.phases[7]).toBe('taper');
    const lastLoad = context.weeks.filter((w) => w.phase !== 'recovery' && w.phase !== 'taper').at(-1)!.targetTss;
    const notes: string[] = [];
    expect(weekTarget(context, 8, notes)).toBe(Math.round(0.6 * lastLoad));
    expect(notes).toEqual(['Event week: short openers, fresh legs for 2025-04-26.']);
  });
});

describe('buildWeek', () => {
  it('seven days from the week’s Monday, the workout ids of each day, totals that add up', () => {
    const context = contextAfter(1);
    const made = buildWeek(context, 2, Infinity)!;
    expect(made.week.week).toBe(2);
    expect(made.week.days.map((d) => d.date)).toEqual([
      '2025-03-10',
      '2025-03-11',
      '2025-03-12',
      '2025-03-13',
      '2025-03-14',
      '2025-03-15',
      '2025-03-16',
    ]);
    expect(made.ids).toEqual(made.week.days.map((d) => d.workouts[0]?.id ?? null));
    const tss = made.week.days.flatMap((d) => d.workouts).reduce((s, w) => s + w.tss, 0);
    expect(made.week.plannedTss).toBeCloseTo(tss, 6);
    expect(made.week.days.filter((d) => d.workouts.length > 0).map((d) => d.weekday)).toEqual(['tue', 'thu', 'sat', 'sun']);
  });

  it('never repeats last week’s workout on the same weekday', () => {
    const context = contextAfter(1);
    const made = buildWeek(context, 2, Infinity)!;
    made.ids.forEach((id, i) => {
      if (id !== null) expect(id).not.toBe(context.history[0]![i]);
    });
  });

  it('a cap below the target lowers it and says why', () => {
    const made = buildWeek(planContext(INPUT), 1, 200)!;
    expect(made.week.targetTss).toBeLessThanOrEqual(200);
    expect(made.week.notes).toContain('Target lowered from 315 to 200 TSS: more would raise fitness (CTL) by more than 5 in 7 days.');
  });

  it('deep fatigue: easy rides only, and a note saying so', () => {
    const made = buildWeek(planContext({ ...INPUT, fitness: { ctl: 60, atl: 100 } }), 1, Infinity)!;
    expect(made.week.notes?.[0]).toMatch(/^Form \(TSB\) -40 when the plan starts: easy rides only/);
    for (const w of made.week.days.flatMap((d) => d.workouts)) expect(w.intensity).toBe('easy');
  });
});

describe('toPlannedWorkout', () => {
  it('copies the library workout with TSS to 0.1 and IF to 0.001, steps as plain data', () => {
    const workout = workoutById('threshold-2x15')!;
    const planned = toPlannedWorkout(workout);
    expect(planned.tss).toBe(Math.round(workout.tss * 10) / 10);
    expect(planned.intensityFactor).toBe(Math.round(workout.intensityFactor * 1000) / 1000);
    expect(planned.durationMinutes).toBe(workout.durationSeconds / 60);
    expect(planned.steps).toEqual(workout.steps);
    expect(planned.steps).not.toBe(workout.steps);
  });
});
