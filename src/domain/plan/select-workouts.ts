/**
 * Fills one week with workouts from the library.
 *
 * 1. Days: only the athlete's training days (before the event, in the event week). With all
 *    7 days available, Monday stays a rest day. The long ride goes on Sunday, else Saturday, else
 *    the last training day.
 * 2. Hard days (threshold and above): as many as the phase asks (base 1, build and peak 2 — 3 with
 *    6 or more riding days —, taper 1, recovery 0), never two in a row, nor on Monday after a hard
 *    Sunday; among the allowed sets the most evenly spread one wins. Moderate days (tempo, sweet
 *    spot): base 2, build and peak 1. The rest are easy.
 * 3. Workout types: the hard days train the athlete's limiters first (the first hard day of the
 *    week rotates through them), then the phase's usual work; strengths come last.
 * 4. Workouts: a coordinate descent over the days picks, for each day, the library workout (or
 *    none) that brings the week's TSS and hours closest to their targets; staying inside the
 *    ±10 % bands and the athlete's hours outweighs everything else. When single changes cannot
 *    get inside the bands, a pair search changes two days at once. Small penalties keep sessions
 *    in (dropping the long ride or a hard day costs most), prefer unextended sessions and recent
 *    variety. Never: the workout ridden on the same weekday last week, the same structured session
 *    twice in a week, or a day harder than its role (a day may be made easier, only to fit a
 *    small target).
 * 5. Time-crunched weeks (the caller's fallback): easy days become tempo / sweet spot days (one
 *    day in a recovery week, none in a taper).
 * 6. Days the caller marks easy (`easyDays`: a return block, or the first days while form is
 *    deep in the red) hold only easy rides (recovery, endurance; the long ride stays): no hard or
 *    moderate role, and no crunch, lands on them.
 */
import { MAX_HARD_DAYS } from './periodization.js';
import type { Phase, PowerAbility, Workout, WorkoutType } from './types.js';
import { WORKOUT_LIBRARY } from './workout-library.js';

export type DayRole = 'long' | 'hard' | 'moderate' | 'easy';

export interface WeekRequest {
  week: number;
  phase: Phase;
  targetTss: number;
  /** Lowest and highest acceptable TSS. */
  tssBand: [number, number];
  targetHours: number;
  /** The athlete's weekly hours. */
  maxHours: number;
  /** Weekday indices (0 = Monday) on which workouts may go. */
  availableDays: readonly number[];
  previousSundayHard: boolean;
  /** Workout id ridden on each weekday of the previous week. */
  previousWeekIds: readonly (string | null)[];
  /** Ids ridden in the last few weeks. */
  recentIds: ReadonlySet<string>;
  limiters: readonly PowerAbility[];
  strengths: readonly PowerAbility[];
  /** Turn easy days into moderate ones (time-crunched weeks; one day in a recovery week). */
  crunch?: boolean;
  /** Ignore the hours target (keep only the weekly-hours cap). */
  ignoreHoursTarget?: boolean;
  /** Weekday index of the event in the event week: no long ride that week, at most an hour the day before. */
  eventDay?: number | null;
  /** Options per day and role, shared by the attempts on one week (they only differ in roles and bands). */
  cache?: Map<string, unknown>;
  /** Weekday indices that may hold easy rides only (recovery, endurance). */
  easyDays?: readonly number[];
}

/** Longest ride the day before the event, minutes. */
const EVE_OF_EVENT_MINUTES = 60;

export interface WeekSelection {
  /** Per weekday index, the chosen workout or null. */
  days: (Workout | null)[];
  roles: (DayRole | null)[];
  tss: number;
  minutes: number;
  feasible: boolean;
}

const HARD_DAYS: Readonly<Record<Phase, number>> = { base: 1, build: 2, peak: 2, taper: 1, recovery: 0 };
const MODERATE_DAYS: Readonly<Record<Phase, number>> = { base: 2, build: 1, peak: 1, taper: 0, recovery: 0 };
const HARD_POOL: Readonly<Record<Phase, WorkoutType[]>> = {
  base: ['threshold', 'sprint'],
  build: ['threshold', 'vo2max', 'anaerobic'],
  peak: ['vo2max', 'anaerobic', 'threshold', 'sprint'],
  taper: ['vo2max', 'sprint'],
  recovery: [],
};
/** Limiters trained in base: aerobic-first, so no VO2max or anaerobic work yet. */
const BASE_LIMITERS: ReadonlySet<WorkoutType> = new Set(['threshold', 'sprint']);
/** Hard-day preference when spreads tie: Tuesday, Thursday, Saturday first. */
const HARD_PREFERENCE = [1, 3, 5, 2, 4, 0, 6];

const MAX_LONG_MINUTES = 360;
const MIN_LONG_MINUTES = 60;
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
const INFEASIBLE_WEIGHT = 1000;
const PAIR_SEARCH_MISS = 0.2;

function abilityType(ability: PowerAbility): WorkoutType | null {
  return ability === 'endurance' ? null : ability;
}

/** Ordered hard workout types for a phase: limiters, then the phase's usual work, strengths last. */
export function hardTypeOrder(
  phase: Phase,
  limiters: readonly PowerAbility[],
  strengths: readonly PowerAbility[],
): { limiterTypes: WorkoutType[]; order: WorkoutType[] } {
  const pool = HARD_POOL[phase];
  if (pool.length === 0) return { limiterTypes: [], order: [] };
  const limiterTypes: WorkoutType[] = [];
  for (const l of limiters) {
    const t = abilityType(l);
    if (t === null || limiterTypes.includes(t)) continue;
    if (phase === 'base' && !BASE_LIMITERS.has(t)) continue;
    if (phase === 'taper' && !pool.includes(t)) continue;
    limiterTypes.push(t);
  }
  const strengthTypes = strengths.map(abilityType).filter((t): t is WorkoutType => t !== null);
  const usual = pool.filter((t) => !limiterTypes.includes(t) && !strengthTypes.includes(t));
  const strong = pool.filter((t) => !limiterTypes.includes(t) && strengthTypes.includes(t));
  return { limiterTypes, order: [...limiterTypes, ...usual, ...strong] };
}

function hardTypesForWeek(request: WeekRequest, count: number): WorkoutType[] {
  const { limiterTypes, order } = hardTypeOrder(request.phase, request.limiters, request.strengths);
  if (order.length === 0 || count === 0) return [];
  const types: WorkoutType[] = [];
  let rest = order;
  if (limiterTypes.length > 0) {
    const first = limiterTypes[request.week % limiterTypes.length]!;
    types.push(first);
    rest = order.filter((t) => t !== first);
    if (rest.length === 0) rest = [first];
  }
  for (let i = 0; types.length < count; i++) types.push(rest[(request.week + i) % rest.length]!);
  return types;
}

function longDay(days: readonly number[]): number | null {
  if (days.includes(6)) return 6;
  if (days.includes(5)) return 5;
  return days.length > 0 ? days[days.length - 1]! : null;
}

/** The most evenly spread set of at most `count` non-adjacent hard days. */
function chooseHardDays(candidates: readonly number[], count: number, mondayBlocked: boolean): number[] {
  const allowed = candidates.filter((d) => !(d === 0 && mondayBlocked));
  let best: number[] = [];
  let bestScore = -Infinity;
  const consider = (set: number[]): void => {
    for (let i = 1; i < set.length; i++) if (set[i]! - set[i - 1]! < 2) return;
    let minGap = 7;
    for (let i = 1; i < set.length; i++) minGap = Math.min(minGap, set[i]! - set[i - 1]!);
    const preference = set.reduce((s, d) => s + HARD_PREFERENCE.indexOf(d), 0);
    const score = set.length * 1000 + minGap * 10 - preference * 0.1;
    if (score > bestScore) {
      bestScore = score;
      best = set;
    }
  };
  const walk = (from: number, set: number[]): void => {
    consider(set);
    if (set.length === count) return;
    for (let i = from; i < allowed.length; i++) walk(i + 1, [...set, allowed[i]!]);
  };
  walk(0, []);
  return best;
}

/** Which role each weekday plays this week. */
export function assignRoles(request: WeekRequest): (DayRole | null)[] {
  const roles: (DayRole | null)[] = [null, null, null, null, null, null, null];
  let days = [...request.availableDays].sort((a, b) => a - b);
  if (days.length === 7) days = days.filter((d) => d !== 0);
  const eventWeek = request.eventDay !== undefined && request.eventDay !== null;
  const long = eventWeek ? null : longDay(days);
  if (long === null && days.length === 0) return roles;
  if (long !== null) roles[long] = 'long';
  const others = days.filter((d) => d !== long);
  const easyOnly = new Set(request.easyDays ?? []);
  const wantedHard = request.phase === 'build' || request.phase === 'peak' ? (days.length >= 6 ? 3 : 2) : HARD_DAYS[request.phase];
  const hard = chooseHardDays(
    others.filter((d) => !easyOnly.has(d)),
    Math.min(wantedHard, MAX_HARD_DAYS),
    request.previousSundayHard,
  );
  for (const d of hard) roles[d] = 'hard';
  const rest = others.filter((d) => !hard.includes(d) && !easyOnly.has(d));
  // Moderate days away from hard days first.
  const distance = (d: number): number => Math.min(7, ...hard.map((h) => Math.abs(h - d)));
  const byDistance = [...rest].sort((a, b) => distance(b) - distance(a) || a - b);
  const moderate = request.crunch ? (request.phase === 'recovery' ? 1 : rest.length) : MODERATE_DAYS[request.phase];
  byDistance.slice(0, moderate).forEach((d) => (roles[d] = 'moderate'));
  for (const d of others) if (roles[d] === null) roles[d] = 'easy';
  return roles;
}

interface Candidate {
  workout: Workout | null;
  tss: number;
  minutes: number;
  penalty: number;
  /** Library index of a structured workout (never twice in a week), −1 for rides and rest. */
  structured: number;
}

const minutesOf = (w: Workout): number => w.durationSeconds / 60;

function extensionHours(w: Workout): number {
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

function candidatesFor(role: DayRole, weekday: number, request: WeekRequest, hardType: WorkoutType | undefined): Candidate[] {
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

/** Picks the week's workouts; see the module comment. */
export function selectWeek(request: WeekRequest): WeekSelection {
  const roles = assignRoles(request);
  const slotDays: number[] = [];
  roles.forEach((r, d) => {
    if (r !== null) slotDays.push(d);
  });
  const hardSlots = slotDays.filter((d) => roles[d] === 'hard');
  const types = hardTypesForWeek(request, hardSlots.length);
  const candidates = slotDays.map((d) => {
    const role = roles[d]!;
    const hardType = types[hardSlots.indexOf(d)];
    const key = `${role}|${d}|${hardType ?? ''}`;
    const cached = request.cache?.get(key) as Candidate[] | undefined;
    if (cached) return cached;
    const list = candidatesFor(role, d, request, hardType);
    request.cache?.set(key, list);
    return list;
  });

  const [tssLow, tssHigh] = request.tssBand;
  const T = Math.max(request.targetTss, 1);
  const maxMinutes = request.maxHours * 60;
  const targetMinutes = Math.max(request.targetHours * 60, 1);
  const hoursLow = request.ignoreHoursTarget ? 0 : targetMinutes * 0.9;
  const hoursHigh = request.ignoreHoursTarget ? maxMinutes : Math.min(targetMinutes * 1.1, maxMinutes);
  // Inner margins so that rounding the reported numbers never crosses a band edge.
  const tLow = tssLow + 0.005 * T;
  const tHigh = tssHigh - 0.005 * T;
  const mLow = hoursLow > 0 ? hoursLow + 0.005 * targetMinutes : 0;
  const mHigh = hoursHigh - 0.005 * targetMinutes;

  const hoursWeight = request.ignoreHoursTarget ? 0 : 1;

  // Start: the first candidate of structured days, a natural long ride, an hour on easy days.
  const longMinutes = Math.max(MIN_LONG_MINUTES, Math.min(240, targetMinutes * 0.3));
  const started = new Set<number>();
  const choice = candidates.map((list, i) => {
    const role = roles[slotDays[i]!]!;
    if (role === 'long' || role === 'easy') {
      const want = role === 'long' ? longMinutes : 60;
      let best = 0;
      list.forEach((c, j) => {
        if (c.workout && Math.abs(c.minutes - want) < Math.abs(list[best]!.minutes - want)) best = j;
      });
      return best;
    }
    const unextended = list.findIndex((c) => c.workout !== null && extensionHours(c.workout) === 0 && !started.has(c.structured));
    const j = unextended >= 0 ? unextended : list.length - 1;
    started.add(list[j]!.structured);
    return j;
  });

  let tss = 0;
  let minutes = 0;
  let penalties = 0;
  // How many days hold each structured workout: the start may repeat one, the descent never adds a repeat.
  const uses = new Int32Array(WORKOUT_LIBRARY.length);
  choice.forEach((j, i) => {
    const c = candidates[i]![j]!;
    tss += c.tss;
    minutes += c.minutes;
    penalties += c.penalty;
    if (c.structured >= 0) uses[c.structured]!++;
  });

  const costOf = (t: number, m: number, penalty: number): number => {
    const eT = (t - T) / T;
    const eH = (hoursWeight * (m - targetMinutes)) / targetMinutes;
    const outside = (Math.max(0, tLow - t) + Math.max(0, t - tHigh)) / T + (Math.max(0, mLow - m) + Math.max(0, m - mHigh)) / targetMinutes;
    return INFEASIBLE_WEIGHT * outside + eT * eT + eH * eH + penalty;
  };
  const apply = (i: number, j: number): void => {
    const current = candidates[i]![choice[i]!]!;
    const next = candidates[i]![j]!;
    if (current.structured >= 0) uses[current.structured]!--;
    if (next.structured >= 0) uses[next.structured]!++;
    choice[i] = j;
    tss += next.tss - current.tss;
    minutes += next.minutes - current.minutes;
    penalties += next.penalty - current.penalty;
  };
  /** Whether option c may go on day i: the same structured session twice in a week is not an option. */
  const allowed = (i: number, c: Candidate, alsoLeaving = -1): boolean => {
    if (c.structured < 0) return true;
    const current = candidates[i]![choice[i]!]!;
    const leaving = alsoLeaving >= 0 ? candidates[alsoLeaving]![choice[alsoLeaving]!]! : null;
    return (
      uses[c.structured]! -
        (c.structured === current.structured ? 1 : 0) -
        (leaving !== null && c.structured === leaving.structured ? 1 : 0) <=
      0
    );
  };

  // Coordinate descent: each day in turn takes its best option given the others, until none moves.
  const descend = (): void => {
    for (let pass = 0; pass < 12; pass++) {
      let changed = false;
      for (let i = 0; i < candidates.length; i++) {
        const list = candidates[i]!;
        const current = list[choice[i]!]!;
        const baseTss = tss - current.tss;
        const baseMinutes = minutes - current.minutes;
        const basePenalty = penalties - current.penalty;
        let bestJ = choice[i]!;
        let bestCost = costOf(tss, minutes, penalties);
        for (let j = 0; j < list.length; j++) {
          if (j === choice[i]) continue;
          const c = list[j]!;
          if (!allowed(i, c)) continue;
          const cost = costOf(baseTss + c.tss, baseMinutes + c.minutes, basePenalty + c.penalty);
          if (cost < bestCost - 1e-12) {
            bestCost = cost;
            bestJ = j;
          }
        }
        if (bestJ !== choice[i]) {
          apply(i, bestJ);
          changed = true;
        }
      }
      if (!changed) break;
    }
  };
  const outside = (): number =>
    (Math.max(0, tLow - tss) + Math.max(0, tss - tHigh)) / T + (Math.max(0, mLow - minutes) + Math.max(0, minutes - mHigh)) / targetMinutes;

  descend();
  // A miss may need two days to change at once (one ride longer, another shorter). Pair search:
  // for every pair of days and every option a of the first, only the options b of the second whose
  // TSS lands the week inside the band are looked at (binary search in a TSS-sorted order), and only
  // combinations inside both bands count.
  let byTss: number[][] | null = null;
  // Far misses (more than PAIR_SEARCH_MISS outside the bands) are the hours' limit, not the search's.
  for (let round = 0; round < 3 && outside() > 0 && outside() <= PAIR_SEARCH_MISS; round++) {
    byTss ??= candidates.map((list) => list.map((_, j) => j).sort((x, y) => list[x]!.tss - list[y]!.tss));
    let best: [number, number, number, number] | null = null;
    let bestCost = Infinity;
    for (let i = 0; i < candidates.length; i++) {
      const ci = candidates[i]![choice[i]!]!;
      for (let k = i + 1; k < candidates.length; k++) {
        const ck = candidates[k]![choice[k]!]!;
        const listK = candidates[k]!;
        const order = byTss[k]!;
        const baseTss = tss - ci.tss - ck.tss;
        const baseMinutes = minutes - ci.minutes - ck.minutes;
        const basePenalty = penalties - ci.penalty - ck.penalty;
        for (let a = 0; a < candidates[i]!.length; a++) {
          const ca = candidates[i]![a]!;
          if (!allowed(i, ca, k)) continue;
          const lo = tLow - baseTss - ca.tss;
          const hi = tHigh - baseTss - ca.tss;
          let from = 0;
          let to = order.length;
          while (from < to) {
            const mid = (from + to) >> 1;
            if (listK[order[mid]!]!.tss < lo) from = mid + 1;
            else to = mid;
          }
          for (let p = from; p < order.length; p++) {
            const b = order[p]!;
            const cb = listK[b]!;
            if (cb.tss > hi) break;
            const m = baseMinutes + ca.minutes + cb.minutes;
            if (m < mLow || m > mHigh) continue;
            if ((cb.structured >= 0 && cb.structured === ca.structured) || !allowed(k, cb, i)) continue;
            const cost = costOf(baseTss + ca.tss + cb.tss, m, basePenalty + ca.penalty + cb.penalty);
            if (cost < bestCost) {
              bestCost = cost;
              best = [i, a, k, b];
            }
          }
        }
      }
    }
    if (best === null) break;
    apply(best[0], best[1]);
    apply(best[2], best[3]);
    descend();
  }

  const days: (Workout | null)[] = [null, null, null, null, null, null, null];
  choice.forEach((j, i) => (days[slotDays[i]!] = candidates[i]![j]!.workout));
  const finalRoles = roles.map((r, d) => (days[d] === null ? null : r));
  return { days, roles: finalRoles, tss, minutes, feasible: outside() === 0 };
}
