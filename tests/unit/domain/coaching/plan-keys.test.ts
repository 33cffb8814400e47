/** withWorkoutKeys: every workout gets `${date}#${slot}`, existing keys stay, the input is not touched. */
import { describe, expect, it } from 'vitest';
import { withWorkoutKeys } from '../../../../src/domain/coaching/plan-keys.js';
import { toPlannedWorkout, workoutById } from '../../../../src/domain/plan/index.js';
import { makePlan } from '../plan/fixtures.js';

const ride = toPlannedWorkout(workoutById('endurance-60')!);
const session = toPlannedWorkout(workoutById('sweetspot-3x10')!);

describe('withWorkoutKeys', () => {
  it('keys each workout by its date and slot', () => {
    const plan = makePlan('2025-03-03', 1, (_, day) => (day === 1 ? [session, ride] : day === 5 ? [ride] : []));
    const keyed = withWorkoutKeys(plan);
    const keys = keyed.weeks[0]!.days.flatMap((d) => d.workouts.map((w) => w.key));
    expect(keys).toEqual(['2025-03-04#0', '2025-03-04#1', '2025-03-08#0']);
  });

  it('keeps the keys a plan has (a moved workout keeps its key) and never repeats one', () => {
    const moved = { ...session, key: '2025-03-04#0', movedFrom: '2025-03-04' };
    const plan = makePlan('2025-03-03', 1, (_, day) => (day === 1 ? [ride] : day === 3 ? [moved] : []));
    const keyed = withWorkoutKeys(plan);
    const [tue, thu] = [keyed.weeks[0]!.days[1]!.workouts[0]!, keyed.weeks[0]!.days[3]!.workouts[0]!];
    expect(thu.key).toBe('2025-03-04#0');
    expect(tue.key).not.toBe(thu.key);
    expect(tue.key).toMatch(/^2025-03-04#0/);
  });

  it('is a copy: the input plan keeps no key', () => {
    const plan = makePlan('2025-03-03', 1, (_, day) => (day === 2 ? [ride] : []));
    const keyed = withWorkoutKeys(plan);
    expect(plan.weeks[0]!.days[2]!.workouts[0]!.key).toBeUndefined();
    expect(keyed.weeks[0]!.days[2]!.workouts[0]!.key).toBe('2025-03-05#0');
    keyed.weeks[0]!.days[2]!.workouts[0]!.name = 'changed';
    expect(plan.weeks[0]!.days[2]!.workouts[0]!.name).toBe(ride.name);
  });
});
