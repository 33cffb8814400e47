/**
 * The intervals.icu calendar the athlete's current plan asks for: one workout event per planned
 * workout from today on, named by our external id `domestique:<workout key>`. A workout keeps its
 * key when an adaptation moves it, so a moved workout is the same event on another day; a workout
 * an adaptation dropped is no longer in the version, so it is not asked for (and the sync engine
 * deletes it). The engine compares `calendarContent` hashes to push only what changed.
 */
import type { WorkoutStep } from '../plan/types.js';
import { intervalsWorkoutText } from '../plan/intervals-workout.js';
import { stepsDurationSeconds } from '../plan/workout-metrics.js';
import type { PlanVersion } from './types.js';

/**
 * One workout as the calendar should hold it. The same shape as `CalendarWorkout` of
 * src/sync/types.ts (which the domain may not import): the sync client takes these as they are.
 */
export interface CalendarWorkout {
  /** `domestique:<workout key>`: stable across plan versions. */
  externalId: string;
  /** YYYY-MM-DD, the athlete's local day. */
  date: string;
  name: string;
  /** The steps in intervals.icu's workout text (see intervals-workout.ts). */
  description: string;
  /** Planned duration, seconds. */
  movingSeconds: number;
  /** Planned TSS, whole. */
  load: number;
}

/** The prefix of our external ids: events without it are the athlete's own and never touched. */
export const CALENDAR_ID_PREFIX = 'domestique:';

/** The external id of a workout key. */
export function calendarExternalId(workoutKey: string): string {
  return `${CALENDAR_ID_PREFIX}${workoutKey}`;
}

const duration = (steps: readonly WorkoutStep[] | undefined, minutes: number): number =>
  steps && steps.length > 0 ? stepsDurationSeconds(steps) : Math.round(minutes * 60);

/**
 * Every workout of the version's plan on or after `from` (YYYY-MM-DD, the athlete's today), in date
 * and slot order, as the calendar should hold it. Rest days hold no workout and give nothing.
 */
export function calendarWorkouts(version: PlanVersion, from: string): CalendarWorkout[] {
  const out: CalendarWorkout[] = [];
  for (const week of version.plan.weeks) {
    for (const day of week.days) {
      if (day.date < from) continue;
      day.workouts.forEach((w, slot) => {
        const key = w.key ?? `${day.date}#${slot}`;
        out.push({
          externalId: calendarExternalId(key),
          date: day.date,
          name: w.name,
          description: intervalsWorkoutText(w, version.ftp),
          movingSeconds: duration(w.steps, w.durationMinutes),
          load: Math.round(w.tss),
        });
      });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** A stable text of everything pushed for one workout: equal texts, nothing to re-push. */
export function calendarContent(w: CalendarWorkout): string {
  return JSON.stringify([w.externalId, w.date, w.name, w.description, w.movingSeconds, w.load]);
}
