/**
 * Easy days: form (TSB = CTL − ATL) below −30, or the athlete saying they are ill, tired or
 * travelling, makes the next days easy — rest when ill or travelling, recovery spins (at most an
 * hour) when tired or deeply fatigued. Key sessions in those days move past them to a free day of
 * their week when they can (not when ill), else they go too. Deep fatigue late in a load week, or
 * an illness of 5 days or more, turns the rest of the week into a recovery week: no key sessions,
 * rides of at most 90 minutes.
 */
import { addDays, WEEKDAYS } from '../calendar.js';
import type { Plan, PlannedWorkout, Workout } from '../plan/types.js';
import { findByKey, isOpen, placedWorkouts, retotal, workoutChange, workoutLabel, type Draft } from './adapt-draft.js';
import { isEasyRide, recoverySpins, replacement, shorterVersions } from './adapt-library.js';
import { moveWithinWeek } from './adapt-move.js';
import { repeatsNeighbour } from './adapt-reduce.js';
import type { PlanChange } from './types.js';

/** Form below this inserts easy days. */
const TIRED_TSB = -30;
/** Illness this long (days) turns the rest of the week into a recovery week. */
const LONG_ILLNESS_DAYS = 5;
const RECOVERY_WEEK_MAX_MINUTES = 90;
const EASY_DAY_MAX_MINUTES = 60;

interface EaseRequest {
  days: number;
  mode: 'rest' | 'easy';
  moveKeySessions: boolean;
  /** After the colon: "rest while you are ill". */
  why: string;
  recoveryWeek: boolean;
}

const isKeySession = (w: PlannedWorkout): boolean => w.intensity !== 'easy';

/** The open workouts between two dates (inclusive), as keys, in date order. */
function openKeys(draft: Draft, from: string, to: string): string[] {
  return placedWorkouts(draft.plan)
    .filter((p) => isOpen(draft.ctx, p) && p.day.date >= from && p.day.date <= to && p.workout.key !== undefined)
    .map((p) => p.workout.key!);
}

/**
 * Replaces the workout of `key` by the first option that does not repeat the same weekday's
 * workout of the week before or after (`options` empty: drops it); retotals its week.
 */
function swap(draft: Draft, key: string, options: readonly Workout[], kind: PlanChange['kind'], why: string): boolean {
  const made = draft.attempt((plan: Plan) => {
    const p = findByKey(plan, key)!;
    const next = options.length === 0 ? null : options.find((o) => !repeatsNeighbour(plan, p, o));
    if (next === undefined) return null;
    const text = next === null ? `${workoutLabel(p)} dropped: ${why}.` : `${workoutLabel(p)} replaced by ${next.name}: ${why}.`;
    if (next === null) p.day.workouts.splice(p.slot, 1);
    else p.day.workouts[p.slot] = replacement(p.workout, next, text);
    retotal(p.week);
    return [workoutChange(next === null ? (kind === 'recovery' ? 'recovery' : 'dropped') : kind, p, text)];
  });
  return made !== null;
}

/** The easy day's rides in a workout's place, none when it already is one. */
function easyInstead(w: PlannedWorkout): Workout[] {
  if (w.type === 'recovery' && w.durationMinutes <= EASY_DAY_MAX_MINUTES + 0.5) return [];
  return recoverySpins(w.durationMinutes);
}

function easeOne(draft: Draft, key: string, request: EaseRequest, windowEnd: string): void {
  const w = findByKey(draft.plan, key)?.workout;
  if (w === undefined) return;
  if (request.moveKeySessions && isKeySession(w) && moveWithinWeek(draft, key, addDays(windowEnd, 1), request.why) !== null) return;
  if (request.mode === 'rest' && swap(draft, key, [], 'dropped', request.why)) return;
  const easy = easyInstead(w);
  if (easy.length > 0) swap(draft, key, easy, 'eased', request.why);
}

/** The recovery week's versions of a workout: key sessions become recovery spins, rides at most 90 min. */
function recoveryInstead(w: PlannedWorkout): Workout[] {
  if (isKeySession(w)) return recoverySpins(w.durationMinutes);
  if (isEasyRide(w) && w.durationMinutes > RECOVERY_WEEK_MAX_MINUTES + 0.5)
    return shorterVersions(w).filter((x) => x.durationSeconds / 60 <= RECOVERY_WEEK_MAX_MINUTES + 0.5);
  return [];
}

function recoveryWeek(draft: Draft, after: string, why: string): boolean {
  const week = draft.plan.weeks[draft.ctx.currentWeek];
  if (!week) return false;
  let changed = false;
  for (const key of openKeys(draft, addDays(after, 1), week.days[6]!.date)) {
    const p = findByKey(draft.plan, key);
    const options = p === undefined ? [] : recoveryInstead(p.workout);
    if (options.length > 0 && swap(draft, key, options, 'recovery', why)) changed = true;
  }
  if (changed) {
    const target = draft.plan.weeks[draft.ctx.currentWeek]!;
    target.notes = [...(target.notes ?? []), `Recovery: the rest of the week is easy (${why}).`];
  }
  return changed;
}

/** Eases the window of days from today; true when something changed. */
function ease(draft: Draft, request: EaseRequest, recoveryWhy: string): boolean {
  const before = draft.changes.length;
  const { today } = draft.ctx;
  const windowEnd = addDays(today, request.days - 1);
  for (const key of openKeys(draft, today, windowEnd)) easeOne(draft, key, request, windowEnd);
  if (request.recoveryWeek) recoveryWeek(draft, windowEnd, recoveryWhy);
  return draft.changes.length > before;
}

/** Form below −30 TSB: 2 easy days (3 below −40); late in a load week, the rest of the week as a recovery week. */
export function handleFatigue(draft: Draft, fitness: { ctl: number; atl: number }): void {
  const tsb = Math.round(fitness.ctl - fitness.atl);
  if (!(fitness.ctl - fitness.atl < TIRED_TSB)) return;
  const week = draft.plan.weeks[draft.ctx.currentWeek];
  const lateInLoadWeek =
    week !== undefined &&
    ['base', 'build', 'peak'].includes(week.phase) &&
    WEEKDAYS.indexOf(week.days.find((d) => d.date === draft.ctx.today)?.weekday ?? 'mon') >= 3;
  const why = `your form is ${tsb} TSB, below ${TIRED_TSB}: easy days first`;
  const request: EaseRequest = { days: tsb < -40 ? 3 : 2, mode: 'easy', moveKeySessions: true, why, recoveryWeek: lateInLoadWeek };
  if (ease(draft, request, `form ${tsb} TSB late in a load week`)) draft.reasons.push(`Form ${tsb} TSB: easy days`);
}

const UNWELL: Readonly<
  Record<'ill' | 'tired' | 'travel', { days: number; mode: 'rest' | 'easy'; move: boolean; why: string; reason: string }>
> = {
  ill: { days: 3, mode: 'rest', move: false, why: 'rest while you are ill', reason: 'Ill' },
  tired: { days: 2, mode: 'easy', move: true, why: 'you said you are tired: easy days first', reason: 'Tired' },
  travel: { days: 3, mode: 'rest', move: true, why: 'you are travelling', reason: 'Travelling' },
};

/** The athlete is ill, tired or travelling (for `days`, default 3, 2 and 3). */
export function handleUnwell(draft: Draft, reason: 'ill' | 'tired' | 'travel', days: number | undefined): void {
  const rule = UNWELL[reason];
  const span = Math.max(1, Math.min(28, Math.round(days ?? rule.days)));
  const request: EaseRequest = {
    days: span,
    mode: rule.mode,
    moveKeySessions: rule.move,
    why: rule.why,
    recoveryWeek: reason === 'ill' && span >= LONG_ILLNESS_DAYS,
  };
  const changed = ease(draft, request, `ill for ${span} days: a recovery week`);
  if (changed) draft.reasons.push(`${rule.reason} (${span} day${span === 1 ? '' : 's'})`);
}
