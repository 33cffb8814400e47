/**
 * Step 4's options (see select-workouts.ts): for each day of the week, the library workouts its
 * role allows (or none), each with the soft penalty the selection weighs against the targets.
 */
import { hardTypesForWeek } from './day-roles.js';
import type { Workout, WorkoutType } from './types.js';
import type { DayRole, WeekRequest } from './week-request.js';
import { WORKOUT_LIBRARY } from './workout-library.js';

/** Longest ride the day before the event, minutes. */
const EVE_OF_EVENT_MINUTES = 60;

const MAX_LONG_MINUTES = 360;
export const MIN_LONG_MINUTES = 60;
const MAX_EASY_MINUTES = 120;

/** Soft costs; a 10 % miss on one target costs 0.01. */
const PENALTY = {
  dropLong: 0.08,
  dropHard: 0.06,
  dropModerate: 0.04,
  dropEasy: 0.002,
  hardToModerate: 0.04,
  hardToEasy: 0.045,
  moderateToEasy: 0.02,
  shortLong: 0.01,
  perExtensionHour: 0.008,
  recent: 0.003,
  otherModerateType: 0.002,
};

/** One option for one day: a workout (or none: `workout` null) and what it adds to the week. */
export interface Candidate {
  workout: Workout | null;
  tss: number;
  minutes: number;
  penalty: number;
  /** Library index of a structured workout (never twice in a week), −1 for rides and rest. */
  structured: number;
}

const minutesOf = (w: Workout): number => w.durationSeconds / 60;

/** Hours of endurance added to a structured session: the "-plusNN" (minutes) of its id. */
export function extensionHours(w: Workout): number {
  const match = /-plus(\d+)$/.exec(w.id);
  return match ? Number(match[1]) / 60 : 0;
}

interface Option {
  workout: Workout;
  minutes: number;
  /** Static part of the penalty (extensions, a long ride under an hour). */
  penalty: number;
  structured: number;
  /** Hours of endurance added to a structured session. */
  extension: number;
}

const isEasyRide = (w: Workout): boolean => (w.type === 'endurance' || w.type === 'recovery') && w.intensity === 'easy';
const isModerateSession = (w: Workout): boolean => (w.type === 'tempo' || w.type === 'sweetspot') && w.intensity === 'moderate';

/**
 * The library options of each role, computed once. A day may always be made easier than its role
 * (a hard day can hold a tempo session or an easy ride, a long day a shorter ride) at a small cost:
 * that keeps the week's rules intact and lets the selection fit small targets.
 */
const OPTIONS = (() => {
  const easy: Option[] = [];
  const long: Option[] = [];
  const moderate: Option[] = [];
  const hard = new Map<WorkoutType, Option[]>();
  WORKOUT_LIBRARY.forEach((w, index) => {
    const minutes = minutesOf(w);
    const extension = extensionHours(w);
    const penalty = extension * PENALTY.perExtensionHour;
    if (isEasyRide(w)) {
      if (minutes <= MAX_EASY_MINUTES) easy.push({ workout: w, minutes, penalty: 0, structured: -1, extension: 0 });
      if (w.type === 'endurance' && minutes <= MAX_LONG_MINUTES)
        long.push({ workout: w, minutes, penalty: minutes >= MIN_LONG_MINUTES ? 0 : PENALTY.shortLong, structured: -1, extension: 0 });
    }
    if (isModerateSession(w)) moderate.push({ workout: w, minutes, penalty, structured: index, extension });
    if (w.intensity === 'hard') {
      const list = hard.get(w.type) ?? [];
      list.push({ workout: w, minutes, penalty, structured: index, extension });
      hard.set(w.type, list);
    }
  });
  return { easy, long, moderate, hard };
})();

/** The options of one day with the given role (and hard type), the "none" option last. */
export function candidatesFor(role: DayRole, weekday: number, request: WeekRequest, hardType: WorkoutType | undefined): Candidate[] {
  const excluded = request.previousWeekIds[weekday] ?? null;
  const maxMinutes = request.maxHours * 60;
  const preferred: WorkoutType = request.limiters.includes('endurance') ? 'tempo' : 'sweetspot';
  // Taper sessions are openers: no long endurance extensions.
  const maxExtension = request.phase === 'taper' ? 0.5 : Infinity;
  const isEve = request.eventDay !== undefined && request.eventDay !== null && weekday === request.eventDay - 1;
  const out: Candidate[] = [];
  const add = (options: readonly Option[], extra: number, maxTss = Infinity): void => {
    for (const { workout: w, minutes, penalty, structured, extension } of options) {
      if (minutes > maxMinutes || w.tss > maxTss || extension > maxExtension || w.id === excluded) continue;
      if (isEve && minutes > EVE_OF_EVENT_MINUTES) continue;
      const typePenalty = w.type === 'tempo' || w.type === 'sweetspot' ? (w.type === preferred ? 0 : PENALTY.otherModerateType) : 0;
      const recent = request.recentIds.size > 0 && request.recentIds.has(w.id) ? PENALTY.recent : 0;
      out.push({ workout: w, tss: w.tss, minutes, penalty: extra + penalty + typePenalty + recent, structured });
    }
  };
  // A day may be made easier than its role only to fit a small target: a downgrade is never
  // heavier than the lightest proper option, so it cannot buy TSS at the cost of quality.
  const lightest = (options: readonly Option[]): number => options.reduce((m, o) => Math.min(m, o.workout.tss), Infinity);
  switch (role) {
    case 'long':
      add(OPTIONS.long, 0);
      break;
    case 'easy':
      add(OPTIONS.easy, 0);
      break;
    case 'moderate':
      add(OPTIONS.moderate, 0);
      add(OPTIONS.easy, PENALTY.moderateToEasy, lightest(OPTIONS.moderate));
      break;
    case 'hard': {
      const hard = (hardType && OPTIONS.hard.get(hardType)) ?? [];
      add(hard, 0);
      add(OPTIONS.moderate, PENALTY.hardToModerate, lightest(hard));
      add(OPTIONS.easy, PENALTY.hardToEasy, lightest(hard));
      break;
    }
  }
  const drop =
    role === 'long' ? PENALTY.dropLong : role === 'hard' ? PENALTY.dropHard : role === 'moderate' ? PENALTY.dropModerate : PENALTY.dropEasy;
  out.push({ workout: null, tss: 0, minutes: 0, penalty: drop, structured: -1 });
  return out;
}

/** The options of each day that has a role (`slotDays`, in weekday order), from the request's cache when it holds them. */
export function weekCandidates(request: WeekRequest, roles: readonly (DayRole | null)[], slotDays: readonly number[]): Candidate[][] {
  const hardSlots = slotDays.filter((d) => roles[d] === 'hard');
  const types = hardTypesForWeek(request, hardSlots.length);
  return slotDays.map((d) => {
    const role = roles[d]!;
    const hardType = types[hardSlots.indexOf(d)];
    const key = `${role}|${d}|${hardType ?? ''}`;
    const cached = request.cache?.get(key) as Candidate[] | undefined;
    if (cached) return cached;
    const list = candidatesFor(role, d, request, hardType);
    request.cache?.set(key, list);
    return list;
  });
}
