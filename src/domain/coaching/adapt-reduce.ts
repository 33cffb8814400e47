/**
 * Lowering a set of workouts by an amount of TSS or minutes, lightest touch first: shorten easy
 * rides, take the endurance off structured sessions, drop easy rides, then ease moderate sessions
 * into endurance rides (or drop them), hard sessions last. Each workout changed says why, keeps its
 * key and gets a note; the plan's variety rule (not the same workout on the same weekday two weeks
 * running) is kept.
 */
import { roundHalfUp } from '../numbers.js';
import { RECOVERY_MIN_FACTOR, TSS_TOLERANCE } from '../plan/periodization.js';
import { weekTss } from '../plan/plan-check.js';
import type { Plan, PlanWeek, PlannedWorkout, Workout } from '../plan/types.js';
import { clock, workoutChange, workoutLabel, type Placed } from './adapt-draft.js';
import { enduranceRides, isEasyRide, replacement, shorterVersions } from './adapt-library.js';
import type { PlanChange } from './types.js';

export type Measure = 'tss' | 'minutes';

export interface Reduction {
  /** The open workouts that may change (positions in the plan being edited). */
  slots: readonly Placed[];
  amount: number;
  measure: Measure;
  /** Why, after the colon: "Wednesday's extra ride already brought 120 TSS". */
  why: string;
  /** The change kind of every change (default: lowered, eased or dropped as fits). */
  kind?: PlanChange['kind'] | undefined;
}

/**
 * The least TSS a week may keep: a recovery week's target stays at least half the week before's
 * (RECOVERY_MIN_FACTOR), and its planned TSS within 10 % of that target.
 */
export function tssFloor(plan: Plan, week: PlanWeek): number {
  const previous = plan.weeks[plan.weeks.indexOf(week) - 1];
  if (week.phase !== 'recovery' || !previous) return 0;
  return (1 - TSS_TOLERANCE) * Math.ceil(RECOVERY_MIN_FACTOR * previous.targetTss) + 1;
}

/** Options of one pass for a workout: lighter workouts (null: drop it), or undefined when the pass leaves it alone. */
type Pass = (w: PlannedWorkout) => (Workout | null)[] | undefined;

const PASSES: readonly Pass[] = [
  (w) => (isEasyRide(w) ? shorterVersions(w) : undefined),
  (w) => (isEasyRide(w) ? undefined : shorterVersions(w)),
  (w) => (isEasyRide(w) ? [null] : undefined),
  (w) => (w.intensity === 'moderate' ? [...enduranceRides(w.durationMinutes), null] : undefined),
  (w) => (w.intensity === 'hard' ? [...enduranceRides(w.durationMinutes), null] : undefined),
];

/** TSS (as a plan holds it: to 0.1) or minutes. */
function value(w: PlannedWorkout | Workout | null, measure: Measure): number {
  if (w === null) return 0;
  if ('durationMinutes' in w) return measure === 'tss' ? w.tss : w.durationMinutes;
  return measure === 'tss' ? roundHalfUp(w.tss, 1) : w.durationSeconds / 60;
}

/** The same weekday's workouts in the weeks before and after: a replacement may not repeat them. */
function neighbours(plan: Plan, p: Placed): PlannedWorkout[] {
  return [plan.weeks[p.weekIndex - 1], plan.weeks[p.weekIndex + 1]].flatMap((w) => w?.days[p.dayIndex]?.workouts ?? []);
}

export function repeatsNeighbour(plan: Plan, p: Placed, w: Workout): boolean {
  return neighbours(plan, p).some((n) => (n.id !== undefined ? n.id === w.id : n.name === w.name));
}

/** One workout being lowered: where it is, what it was, what it is now. */
interface Slot {
  placed: Placed;
  current: PlannedWorkout | null;
  next: Workout | null | undefined;
}

/**
 * The option that removes at least `need` with the lightest touch, else the one that removes most;
 * never one that takes more than `room` TSS off the week.
 */
function pick(
  options: readonly (Workout | null)[],
  current: PlannedWorkout,
  need: number,
  measure: Measure,
  room: number,
): Workout | null | undefined {
  let covering: Workout | null | undefined;
  let most: Workout | null | undefined;
  const before = value(current, measure);
  for (const o of options) {
    const v = value(o, measure);
    if (v >= before - 0.01 || current.tss - value(o, 'tss') > room) continue;
    if (before - v >= need && (covering === undefined || v > value(covering, measure))) covering = o;
    if (most === undefined || v < value(most, measure)) most = o;
  }
  return covering !== undefined ? covering : most;
}

function describe(slot: Slot, why: string, kind: PlanChange['kind'] | undefined): PlanChange {
  const { placed, next } = slot;
  const label = workoutLabel(placed);
  if (next === null || next === undefined) return workoutChange(kind ?? 'dropped', placed, `${label} dropped: ${why}.`);
  const old = placed.workout;
  if (isEasyRide(old) && next.type === old.type)
    return workoutChange(kind ?? 'lowered', placed, `${label} shortened to ${clock(next.durationSeconds / 60)}: ${why}.`);
  if (next.type === old.type) return workoutChange(kind ?? 'lowered', placed, `${label} shortened to ${next.name}: ${why}.`);
  return workoutChange(kind ?? 'eased', placed, `${label} replaced by ${next.name}: ${why}.`);
}

/**
 * Lowers the slots' workouts by about `amount` (more when the library's steps are coarse), in the
 * plan the slots point into. Returns the changes and the amount removed; the weeks' totals are the
 * caller's to update (retotal).
 */
export function reduce(plan: Plan, request: Reduction): { changes: PlanChange[]; removed: number } {
  const { measure } = request;
  const slots: Slot[] = [...request.slots]
    .sort((a, b) => value(b.workout, measure) - value(a.workout, measure))
    .map((placed) => ({ placed, current: placed.workout, next: undefined }));
  let need = request.amount;
  const room = new Map(request.slots.map((p) => [p.week, weekTss(p.week) - tssFloor(plan, p.week)]));
  for (const pass of PASSES) {
    for (const slot of slots) {
      if (need <= 0) break;
      if (slot.current === null) continue;
      const options = pass(slot.current)?.filter((o) => o === null || !repeatsNeighbour(plan, slot.placed, o));
      if (!options || options.length === 0) continue;
      const chosen = pick(options, slot.current, need, measure, room.get(slot.placed.week)!);
      if (chosen === undefined) continue;
      need -= value(slot.current, measure) - value(chosen, measure);
      room.set(slot.placed.week, room.get(slot.placed.week)! - (slot.current.tss - value(chosen, 'tss')));
      slot.next = chosen;
      slot.current = chosen === null ? null : replacement(slot.placed.workout, chosen, '');
    }
  }
  const changed = slots.filter((s) => s.next !== undefined);
  const changes = changed.map((s) => describe(s, request.why, request.kind));
  changed.forEach((slot, i) => {
    const { day, workout } = slot.placed;
    const at = day.workouts.indexOf(workout);
    if (at < 0) return;
    if (slot.next === null || slot.next === undefined) day.workouts.splice(at, 1);
    else day.workouts[at] = replacement(workout, slot.next, changes[i]!.text);
  });
  return { changes, removed: request.amount - need };
}
