/** workoutStatuses: done, partial, missed, moved, planned and extra, in date order. */
import { describe, expect, it } from 'vitest';
import { withWorkoutKeys } from '../../../../src/domain/coaching/plan-keys.js';
import { workoutStatuses } from '../../../../src/domain/coaching/plan-state.js';
import { toPlannedWorkout, workoutById, type PlannedWorkout } from '../../../../src/domain/plan/index.js';
import { makePlan } from '../plan/fixtures.js';
import { extraMatch, rideMatch } from './adapt-simulation.js';

const ride = toPlannedWorkout(workoutById('endurance-60')!);
const session = toPlannedWorkout(workoutById('threshold-2x10')!);

/** Tue session, Thu ride, Sat session (moved there from Fri), Sun ride. */
const plan = withWorkoutKeys(
  makePlan('2025-03-03', 1, (_, day) =>
    day === 1
      ? [session]
      : day === 3
        ? [ride]
        : day === 5
          ? [{ ...session, key: 'moved', movedFrom: '2025-03-07' }]
          : day === 6
            ? [ride]
            : [],
  ),
);
const [tue, thu, sat, sun] = [1, 3, 5, 6].map((d) => plan.weeks[0]!.days[d]!.workouts[0]!) as [
  PlannedWorkout,
  PlannedWorkout,
  PlannedWorkout,
  PlannedWorkout,
];

describe('workoutStatuses', () => {
  it('gives each workout its state from its match and the day', () => {
    const matches = [rideMatch(tue, '2025-03-04', 250, 1, 'a1'), rideMatch(sun, '2025-03-09', 250, 0.5, 'a2')];
    const states = workoutStatuses(plan, matches, '2025-03-08');
    expect(states.map((s) => [s.key, s.state])).toEqual([
      [tue.key, 'done'],
      [thu.key, 'missed'],
      ['moved', 'moved'],
      [sun.key, 'partial'],
    ]);
    expect(states[0]!.match?.activityId).toBe('a1');
    expect(states[2]).toMatchObject({ weekday: 'sat', week: 1, movedFrom: '2025-03-07', type: 'threshold', intensity: 'hard' });
  });

  it('a moved workout not ridden by its new day is missed', () => {
    const states = workoutStatuses(plan, [], '2025-03-09');
    expect(states.find((s) => s.key === 'moved')!.state).toBe('missed');
    expect(states.find((s) => s.key === sun.key)!.state).toBe('planned');
  });

  it('prefers a done ride over a partial one for the same workout', () => {
    const matches = [rideMatch(sat, '2025-03-08', 250, 1, 'full'), rideMatch(sat, '2025-03-08', 250, 0.5, 'part')];
    const status = workoutStatuses(plan, matches, '2025-03-10').find((s) => s.key === 'moved')!;
    expect(status.state).toBe('done');
    expect(status.match?.activityId).toBe('full');
  });

  it('lists extra rides in the plan among the workouts, by date, with what they trained', () => {
    const extra = extraMatch('2025-03-05', 120, 250, 'x1');
    const outside = extraMatch('2025-04-20', 60, 250, 'x2');
    const states = workoutStatuses(plan, [extra, outside], '2025-03-06');
    expect(states.map((s) => s.key)).toEqual([tue.key, 'extra:x1', thu.key, 'moved', sun.key]);
    const x = states[1]!;
    expect(x).toMatchObject({ state: 'extra', date: '2025-03-05', weekday: 'wed', week: 1, tss: 120, match: extra });
    expect(x.intensity).toBe('moderate');
  });

  it('a ride matched to a key the plan no longer holds counts as extra', () => {
    const stale = { ...rideMatch(tue, '2025-03-04', 250, 1, 's1'), workoutKey: 'gone' };
    const states = workoutStatuses(plan, [stale], '2025-03-05');
    expect(states.find((s) => s.key === 'extra:s1')?.state).toBe('extra');
    expect(states.find((s) => s.key === tue.key)?.state).toBe('missed');
  });
});
