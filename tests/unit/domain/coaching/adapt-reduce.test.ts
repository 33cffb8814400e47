/**
 * reduce: the lightest touch first — easy rides shortened, then the endurance added to sessions,
 * then easy rides dropped, then moderate and hard sessions eased or dropped — with keys kept, notes
 * written, the variety rule kept and a recovery week never taken below its floor.
 */
import { describe, expect, it } from 'vitest';
import { placedWorkouts } from '../../../../src/domain/coaching/adapt-draft.js';
import { reduce } from '../../../../src/domain/coaching/adapt-reduce.js';
import { withWorkoutKeys } from '../../../../src/domain/coaching/plan-keys.js';
import { toPlannedWorkout, workoutById, type Plan, type PlannedWorkout } from '../../../../src/domain/plan/index.js';
import { makePlan } from '../plan/fixtures.js';

const w = (id: string): PlannedWorkout => toPlannedWorkout(workoutById(id)!);

/** Week 2 (the one reduced): Tue sweet spot, Thu threshold with an hour of endurance, Sat 3 h, Sun 1 h. */
function plan(week1: Record<number, string> = {}): Plan {
  const week2: Record<number, string> = { 1: 'sweetspot-3x10', 3: 'threshold-2x10-plus60', 5: 'endurance-180', 6: 'endurance-60' };
  return withWorkoutKeys(
    makePlan('2025-03-03', 2, (week, day) => {
      const id = (week === 1 ? week1 : week2)[day];
      return id ? [w(id)] : [];
    }),
  );
}

const open = (p: Plan) => placedWorkouts(p).filter((x) => x.weekIndex === 1);
const ids = (p: Plan) => p.weeks[1]!.days.map((d) => d.workouts[0]?.id ?? null);
const tss = (p: Plan) => p.weeks[1]!.days.reduce((s, d) => s + (d.workouts[0]?.tss ?? 0), 0);

describe('reduce', () => {
  it('shortens the longest easy ride first, just enough, and says why', () => {
    const p = plan();
    const before = tss(p);
    const { changes, removed } = reduce(p, { slots: open(p), amount: 60, measure: 'tss', why: 'Wednesday’s race brought 120 TSS' });
    expect(removed).toBeGreaterThanOrEqual(60);
    expect(before - tss(p)).toBeCloseTo(removed, 5);
    expect(ids(p)).toEqual([
      null,
      'sweetspot-3x10',
      null,
      'threshold-2x10-plus60',
      null,
      expect.stringMatching(/^endurance-\d+$/),
      'endurance-60',
    ]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'lowered', date: '2025-03-15', workoutKey: '2025-03-15#0' });
    expect(changes[0]!.text).toMatch(/^Saturday's Endurance 3:00 shortened to \d:\d\d: Wednesday’s race brought 120 TSS\.$/);
    const sat = p.weeks[1]!.days[5]!.workouts[0]!;
    expect(sat.key).toBe('2025-03-15#0');
    expect(sat.note).toBe(changes[0]!.text);
  });

  it('then takes the endurance off sessions, then drops easy rides, and eases key sessions last', () => {
    const p = plan();
    const [sat, sun, extension] = [w('endurance-180').tss, w('endurance-60').tss, w('threshold-2x10-plus60').tss - w('threshold-2x10').tss];
    reduce(p, { slots: open(p), amount: sat + sun + extension - 5, measure: 'tss', why: 'why' });
    expect(ids(p)).toEqual([null, 'sweetspot-3x10', null, 'threshold-2x10', null, null, null]);
    const q = plan();
    const { changes } = reduce(q, { slots: open(q), amount: 400, measure: 'tss', why: 'why' });
    expect(
      ids(q)
        .filter((x) => x !== null)
        .every((x) => x!.startsWith('endurance-')),
    ).toBe(true);
    expect(changes.map((c) => c.kind)).toContain('eased');
  });

  it('counts minutes when asked', () => {
    const p = plan();
    const minutes = (x: Plan) => x.weeks[1]!.days.reduce((s, d) => s + (d.workouts[0]?.durationMinutes ?? 0), 0);
    const before = minutes(p);
    const { removed } = reduce(p, { slots: open(p), amount: 90, measure: 'minutes', why: 'you have 5 h', kind: 'less-time' });
    expect(removed).toBeGreaterThanOrEqual(90);
    expect(before - minutes(p)).toBe(removed);
    expect(ids(p)[5]).toBe('endurance-90');
  });

  it('never repeats the same weekday’s workout of the week before', () => {
    const p = plan({ 5: 'endurance-150' });
    const { changes } = reduce(p, { slots: open(p), amount: 30, measure: 'tss', why: 'why' });
    expect(ids(p)[5]).not.toBe('endurance-150');
    expect(changes).toHaveLength(1);
  });

  it('keeps a recovery week at least half as heavy (target) as the week before', () => {
    const p = plan({ 1: 'threshold-2x20-plus90', 3: 'sweetspot-3x20-plus60', 5: 'endurance-240' });
    p.weeks[0]!.targetTss = Math.round(p.weeks[0]!.plannedTss);
    p.weeks[1]!.phase = 'recovery';
    const floor = 0.9 * Math.ceil(0.5 * p.weeks[0]!.targetTss);
    reduce(p, { slots: open(p), amount: 1000, measure: 'tss', why: 'why' });
    expect(tss(p)).toBeGreaterThanOrEqual(floor);
  });
});
