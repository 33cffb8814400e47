/**
 * A ride matched to the plan. The candidates are the planned workouts (those with a `key`) on the
 * ride's date and the days either side, not already matched to another ride; runs and other sports
 * are never matched (they are `extra`). Each candidate is scored out of 3.5:
 * - the day: 1.5 on the ride's own date, 0 the day before or after;
 * - the type, 0–1: for a workout with work intervals and a ride with power, 0.7 × how its intervals
 *   were found (hit 1, under/over/short ½, missed 0, averaged) + 0.3 × the IF's closeness;
 *   otherwise the IF's closeness alone (1 − |IF − planned IF| / 0.15, at least 0; ½ when unknown);
 * - the duration and the TSS, 0–0.5 each: 0.5 × (1 − |log2(done / planned)|), at least 0 (TSS
 *   unknown: 0.25).
 * So the same day comes first: a workout of the day before or after wins only when it fits by 1.5
 * more. A candidate counts when its score without the day reaches 0.6 on the same day (not a short
 * commute on the day of a long ride) or 1.2 the day before or after (it clearly is that workout);
 * with none, the ride is `extra`. The winner's intervals are aligned on the power stream (interval-alignment.ts; without
 * power they are all missed) and its status follows session-compliance.ts.
 */
import { isCycling } from '../activity.js';
import { daysBetween } from '../calendar.js';
import { hasFiniteSample } from '../metrics/power-samples.js';
import type { Plan, PlannedWorkout } from '../plan/types.js';
import { alignIntervals } from './interval-alignment.js';
import { matchStatus, sessionCompliance } from './session-compliance.js';
import type { IntervalResult, WorkoutMatch } from './types.js';
import { workIntervals } from './work-intervals.js';

/** What matching needs to know about a ride. */
export interface RideFacts {
  activityId: string;
  /** Local YYYY-MM-DD. */
  date: string;
  sport: string;
  durationMinutes: number;
  tss: number | null;
  intensityFactor: number | null;
  /** The 1 Hz moving-time power stream (as stored), or null. */
  power: ArrayLike<number> | null;
}

const SAME_DAY = 1.5;
const MIN_FIT_SAME_DAY = 0.6;
const MIN_FIT_OTHER_DAY = 1.2;
const IF_TOLERANCE = 0.15;

interface Candidate {
  workout: PlannedWorkout & { key: string };
  date: string;
  intervals: IntervalResult[];
  value: number;
}

/** 1 for a perfect ratio, 0 at half or double and beyond. */
const ratioCloseness = (done: number, planned: number): number =>
  done > 0 && planned > 0 ? Math.max(0, 1 - Math.abs(Math.log2(done / planned))) : 0;

const VERDICT_CREDIT: Record<IntervalResult['verdict'], number> = { hit: 1, under: 0.5, over: 0.5, short: 0.5, missed: 0 };

/** How well the ride's intensity says it was this workout, 0–1. */
function typeScore(ride: RideFacts, workout: PlannedWorkout, intervals: readonly IntervalResult[]): number {
  const ifCloseness =
    ride.intensityFactor === null ? 0.5 : Math.max(0, 1 - Math.abs(ride.intensityFactor - workout.intensityFactor) / IF_TOLERANCE);
  if (intervals.length === 0 || !hasFiniteSample(ride.power)) return ifCloseness;
  const found = intervals.reduce((sum, r) => sum + VERDICT_CREDIT[r.verdict], 0) / intervals.length;
  return 0.7 * found + 0.3 * ifCloseness;
}

/** The intervals of a workout as ridden: aligned on the power, or all missed without it. */
function rideIntervals(ride: RideFacts, workout: PlannedWorkout, ftp: number): IntervalResult[] {
  const planned = workIntervals(workout);
  return alignIntervals(ride.power ?? [], planned, ftp);
}

/** The planned workouts on the ride's date ± 1 day that can still be matched, each scored. */
function candidates(ride: RideFacts, plan: Plan, ftp: number, taken: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  for (const week of plan.weeks) {
    for (const day of week.days) {
      const offset = Math.abs(daysBetween(ride.date, day.date));
      if (offset > 1) continue;
      for (const workout of day.workouts) {
        const key = workout.key;
        if (key === undefined || taken.has(key)) continue;
        const intervals = rideIntervals(ride, workout, ftp);
        const tss = ride.tss === null ? 0.25 : 0.5 * ratioCloseness(ride.tss, workout.tss);
        const fit = typeScore(ride, workout, intervals) + 0.5 * ratioCloseness(ride.durationMinutes, workout.durationMinutes) + tss;
        if (fit < (offset === 0 ? MIN_FIT_SAME_DAY : MIN_FIT_OTHER_DAY)) continue;
        out.push({ workout: { ...workout, key }, date: day.date, intervals, value: fit + (offset === 0 ? SAME_DAY : 0) });
      }
    }
  }
  return out;
}

/** The ride matched to the best planned workout (see the module's header), or an extra ride. */
export function matchRide(ride: RideFacts, plan: Plan, ftp: number, taken: ReadonlySet<string>): WorkoutMatch {
  const best = isCycling(ride.sport)
    ? candidates(ride, plan, ftp, taken).reduce<Candidate | null>((a, c) => (a === null || c.value > a.value ? c : a), null)
    : null;
  if (best === null) {
    return {
      activityId: ride.activityId,
      workoutKey: null,
      date: ride.date,
      rideDate: ride.date,
      status: 'extra',
      workoutName: null,
      ftp,
      session: sessionCompliance(null, ride),
      intervals: [],
    };
  }
  const { workout } = best;
  return {
    activityId: ride.activityId,
    workoutKey: workout.key,
    date: best.date,
    rideDate: ride.date,
    status: matchStatus(best.intervals, ride, workout, hasFiniteSample(ride.power)),
    workoutName: workout.name,
    ftp,
    session: sessionCompliance(workout, ride),
    intervals: best.intervals,
  };
}
