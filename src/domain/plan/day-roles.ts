/**
 * Steps 2 and 3 of the week's selection (see select-workouts.ts): which role each training day
 * plays (long, hard, moderate, easy) and which workout types the hard days train.
 */
import { MAX_HARD_DAYS } from './periodization.js';
import type { Phase, PowerAbility, WorkoutType } from './types.js';
import type { DayRole, WeekRequest } from './week-request.js';

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

/** The types of the week's `count` hard days, in day order: the first rotates through the limiters week by week. */
export function hardTypesForWeek(request: WeekRequest, count: number): WorkoutType[] {
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
  const noLong = request.noLongDays ?? [];
  const long = eventWeek ? null : longDay(days.filter((d) => !noLong.includes(d)));
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
