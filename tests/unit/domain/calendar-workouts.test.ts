/**
 * The calendar the current plan asks for on intervals.icu: one workout per planned workout from
 * today on, named `domestique:<key>`, with its text, duration and TSS; moved workouts keep their id,
 * dropped ones are gone.
 */
import { describe, expect, it } from 'vitest';
import { calendarContent, calendarWorkouts } from '../../../src/domain/coaching/calendar-workouts.js';
import { withWorkoutKeys } from '../../../src/domain/coaching/plan-keys.js';
import { generatePlan } from '../../../src/domain/plan/generate-plan.js';
import type { Plan, PlannedWorkout } from '../../../src/domain/plan/types.js';
import { compliancePlan, PLAN_INPUT, version } from '../../support/compliance-fixture.js';

const plan = compliancePlan('2026-03-02', 2);
const v1 = version(1, plan, '2026-03-01T09:00:00Z', 'New analysis', [{ kind: 'new-plan', text: 'A new plan.' }]);

/** The plan with each day's workouts changed by `edit` (date → new workouts). */
function edited(source: Plan, edit: (date: string, workouts: PlannedWorkout[]) => PlannedWorkout[]): Plan {
  return { ...source, weeks: source.weeks.map((w) => ({ ...w, days: w.days.map((d) => ({ ...d, workouts: edit(d.date, d.workouts) })) })) };
}

describe('calendarWorkouts', () => {
  it('every workout on or after today, in date order, with our external id; rest days give nothing', () => {
    const list = calendarWorkouts(v1, '2026-03-05');
    expect(list.map((w) => [w.date, w.externalId, w.name])).toEqual([
      ['2026-03-05', 'domestique:2026-03-05#0', 'Threshold 2×10'],
      ['2026-03-07', 'domestique:2026-03-07#0', 'Endurance 2:00'],
      ['2026-03-10', 'domestique:2026-03-10#0', 'Sweet spot 3×10'],
      ['2026-03-12', 'domestique:2026-03-12#0', 'Threshold 2×10'],
      ['2026-03-14', 'domestique:2026-03-14#0', 'Endurance 2:00'],
    ]);
    expect(calendarWorkouts(v1, '2026-03-15')).toEqual([]);
    expect(calendarWorkouts(v1, '2026-01-01')).toHaveLength(6);
  });

  it('the workout text, the duration from the steps and the TSS', () => {
    const sweetSpot = calendarWorkouts(v1, '2026-03-10')[0]!;
    expect(sweetSpot).toMatchObject({ movingSeconds: 600 + 3 * 900 + 300, load: 60 });
    expect(sweetSpot.description).toBe(
      [
        'Targets in % of FTP; planned for an FTP of 250 W.',
        '',
        'Warmup',
        '- 10m ramp 50-75%',
        '',
        '3x',
        '- 10m 90%',
        '- 5m 55%',
        '',
        '- 5m 50%',
      ].join('\n'),
    );
  });

  it('a moved workout keeps its id on its new day; a dropped one is not asked for', () => {
    // Tuesday 10th moved to Wednesday 11th; Thursday 12th dropped.
    const moved = edited(plan, (date, workouts) => {
      if (date === '2026-03-10' || date === '2026-03-12') return [];
      if (date === '2026-03-11') return [{ ...plan.weeks[1]!.days[1]!.workouts[0]!, movedFrom: '2026-03-10' }];
      return workouts;
    });
    const v2 = version(2, moved, '2026-03-09T09:00:00Z', 'Missed', [
      { kind: 'moved', date: '2026-03-11', workoutKey: '2026-03-10#0', text: 'Moved.' },
      { kind: 'dropped', date: '2026-03-12', workoutKey: '2026-03-12#0', text: 'Dropped.' },
    ]);
    const list = calendarWorkouts(v2, '2026-03-09');
    expect(list.map((w) => [w.date, w.externalId])).toEqual([
      ['2026-03-11', 'domestique:2026-03-10#0'],
      ['2026-03-14', 'domestique:2026-03-14#0'],
    ]);
  });

  it('a workout without steps: its planned minutes; ids unique over a generated plan', () => {
    const loose = edited(plan, (_date, workouts) => workouts.map((w) => ({ ...w, steps: undefined })));
    const [first] = calendarWorkouts(version(2, loose, '2026-03-01T09:00:00Z', 'x', []), '2026-03-03');
    expect(first).toMatchObject({ movingSeconds: 60 * 60, description: expect.stringContaining('- 1h 80%') });

    const made = generatePlan({ ...PLAN_INPUT, weeklyHours: 8, trainingDays: ['tue', 'wed', 'fri', 'sat', 'sun'], planWeeks: 8 });
    if (!made.ok) throw new Error('plan not generated');
    const generated = version(1, withWorkoutKeys(made.value), '2026-03-01T09:00:00Z', 'New analysis', []);
    const all = calendarWorkouts(generated, '2000-01-01');
    const count = made.value.weeks.reduce((n, w) => n + w.days.reduce((m, d) => m + d.workouts.length, 0), 0);
    expect(all).toHaveLength(count);
    expect(new Set(all.map((w) => w.externalId)).size).toBe(count);
    for (const w of all) {
      expect(w.description).toMatch(/^Targets in % of FTP/);
      expect(w.movingSeconds).toBeGreaterThan(0);
      expect(Number.isInteger(w.load)).toBe(true);
    }
  });
});

describe('calendarContent', () => {
  it('the same for the same workout, different when anything pushed changes', () => {
    const [a] = calendarWorkouts(v1, '2026-03-10');
    const [again] = calendarWorkouts(v1, '2026-03-10');
    expect(calendarContent(a!)).toBe(calendarContent(again!));
    expect(calendarContent({ ...a!, date: '2026-03-11' })).not.toBe(calendarContent(a!));
    expect(calendarContent({ ...a!, description: `${a!.description}\n- 5m 50%` })).not.toBe(calendarContent(a!));
    expect(calendarContent({ ...a!, load: a!.load + 1 })).not.toBe(calendarContent(a!));
  });
});
