/**
 * The session level of compliance — duration, TSS and IF, planned against done — and the status a
 * matched ride gets from it and from its intervals: `done` when at least 75 % of the work intervals
 * were hit (a workout without work intervals, or a ride without power: when at least 75 % of the
 * planned duration was ridden) and the TSS reached 70 % of the planned; otherwise `partial`.
 */
import { round, roundOrNull } from '../numbers.js';
import type { PlannedWorkout } from '../plan/types.js';
import type { IntervalResult, SessionCompliance } from './types.js';

/** Share of work intervals hit for a session to count as done. */
const DONE_HIT_SHARE = 0.75;
/** Share of the planned duration ridden for a session without intervals to count as done. */
const DONE_DURATION_SHARE = 0.75;
/** Share of the planned TSS a done session reaches. */
const DONE_TSS_SHARE = 0.7;

/** What the session level needs to know about a ride. */
export interface RideSummary {
  durationMinutes: number;
  /** Null when the ride has no load figure (no power, no heart rate). */
  tss: number | null;
  intensityFactor: number | null;
}

/** Planned against done; an extra ride (no workout) has nothing planned. */
export function sessionCompliance(
  workout: Pick<PlannedWorkout, 'durationMinutes' | 'tss' | 'intensityFactor'> | null,
  ride: RideSummary,
): SessionCompliance {
  return {
    plannedMinutes: workout?.durationMinutes ?? 0,
    doneMinutes: round(ride.durationMinutes, 1),
    plannedTss: workout?.tss ?? 0,
    doneTss: round(ride.tss ?? 0, 1),
    plannedIf: workout?.intensityFactor ?? 0,
    doneIf: roundOrNull(ride.intensityFactor, 3),
  };
}

/**
 * `done` or `partial` for a ride matched to a workout. `hasPower`: the ride's intervals could be
 * looked for (without power they are all missed, and only duration and TSS count). A ride without
 * a TSS is judged on the rest.
 */
export function matchStatus(
  intervals: readonly IntervalResult[],
  ride: RideSummary,
  workout: Pick<PlannedWorkout, 'durationMinutes' | 'tss'>,
  hasPower: boolean,
): 'done' | 'partial' {
  const tssReached = ride.tss === null || ride.tss >= DONE_TSS_SHARE * workout.tss;
  if (intervals.length > 0 && hasPower) {
    // a set ridden above its range was still ridden: the reply says it was harder, the session is done
    const hits = intervals.filter((r) => r.verdict === 'hit' || r.verdict === 'over').length;
    return hits >= DONE_HIT_SHARE * intervals.length && tssReached ? 'done' : 'partial';
  }
  return ride.durationMinutes >= DONE_DURATION_SHARE * workout.durationMinutes && tssReached ? 'done' : 'partial';
}
