/**
 * The lighter workouts an adaptation may put in a workout's place, all from the workout library
 * (workout-library.ts) so that their numbers are the library's: shorter rides of the same kind,
 * the same session with less endurance added, an endurance ride or a recovery spin instead of a
 * session.
 */
import { toPlannedWorkout } from '../plan/build-week.js';
import type { PlannedWorkout, Workout } from '../plan/types.js';
import { WORKOUT_LIBRARY, workoutById } from '../plan/workout-library.js';

/** Easy-ride families of the library: the id is `${family}-${minutes}`. */
const RIDE_FAMILY = /^(endurance|endurance-spinups|endurance-progressive|recovery|easy-spin|recovery-spinups)-(\d+)$/;
const EXTENDED = /^(.+)-plus(\d+)$/;

const minutesOf = (w: Workout): number => w.durationSeconds / 60;

function family(prefix: string): Workout[] {
  return WORKOUT_LIBRARY.filter((w) => RIDE_FAMILY.exec(w.id)?.[1] === prefix).sort((a, b) => minutesOf(b) - minutesOf(a));
}

const FAMILIES = new Map<string, Workout[]>();
function familyOf(prefix: string): Workout[] {
  let list = FAMILIES.get(prefix);
  if (!list) {
    list = family(prefix);
    FAMILIES.set(prefix, list);
  }
  return list;
}

/** True for an easy ride of the library's ride families (or an easy ride without an id). */
export function isEasyRide(w: PlannedWorkout): boolean {
  return (w.type === 'endurance' || w.type === 'recovery') && w.intensity === 'easy';
}

/** Shorter rides of the same family, longest first (for a ride without an id: plain endurance or recovery rides). */
function shorterRides(w: PlannedWorkout): Workout[] {
  const prefix = (w.id !== undefined ? RIDE_FAMILY.exec(w.id)?.[1] : undefined) ?? (w.type === 'recovery' ? 'recovery' : 'endurance');
  return familyOf(prefix).filter((x) => minutesOf(x) < w.durationMinutes - 0.5);
}

/** The same session with less endurance added, most first (none for a session without extension). */
function lessExtended(w: PlannedWorkout): Workout[] {
  const match = w.id !== undefined ? EXTENDED.exec(w.id) : null;
  if (!match) return [];
  const minutes = Number(match[2]);
  const base = match[1]!;
  return [60, 30, 0]
    .filter((m) => m < minutes)
    .map((m) => workoutById(m === 0 ? base : `${base}-plus${m}`))
    .filter((x): x is Workout => x !== undefined);
}

/** Lighter versions that keep what the workout trains: shorter rides, or less endurance around a session. */
export function shorterVersions(w: PlannedWorkout): Workout[] {
  return isEasyRide(w) ? shorterRides(w) : lessExtended(w);
}

/** Plain endurance rides no longer than `minutes` (at least 30), longest first. */
export function enduranceRides(minutes: number): Workout[] {
  return familyOf('endurance').filter((x) => minutesOf(x) <= minutes + 0.5);
}

/** Recovery spins of at most `minutes` (and at most an hour; the 30-min one at least), longest first. */
export function recoverySpins(minutes: number): Workout[] {
  const longest = Math.max(30, Math.min(60, Math.floor(minutes / 5) * 5));
  return familyOf('recovery').filter((x) => minutesOf(x) <= longest);
}

/** A library workout in a planned workout's place: it keeps its key and where it came from, with the note why. */
export function replacement(old: PlannedWorkout, next: Workout, note: string): PlannedWorkout {
  const planned: PlannedWorkout = { ...toPlannedWorkout(next), note };
  if (old.key !== undefined) planned.key = old.key;
  if (old.movedFrom !== undefined) planned.movedFrom = old.movedFrom;
  return planned;
}
