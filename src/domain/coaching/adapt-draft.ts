/**
 * The adaptation's working copy (see adapt-plan.ts): the plan as changed so far, the changes and
 * reasons, and the one way to change it — `attempt`, which applies an edit to a copy, keeps the
 * later weeks' fitness ramp within the cap (adapt-ramp.ts), re-checks the whole plan with the plan
 * validator and keeps the copy only when it passes. Also the positions and labels the rules share.
 */
import { addDays, daysBetween, WEEKDAY_NAMES, type Weekday } from '../calendar.js';
import { roundHalfUp } from '../numbers.js';
import { planRules, type PlanRules } from '../plan/periodization.js';
import type { Plan, PlanDay, PlanInput, PlanViolation, PlanWeek, PlannedWorkout } from '../plan/types.js';
import { validatePlan } from '../plan/validate-plan.js';
import type { PlanChange } from './types.js';

/** What every rule of one adaptation works from. */
export interface AdaptContext {
  input: PlanInput;
  today: string;
  /** Keys of the workouts a ride matched (done or partial): never changed. */
  matched: ReadonlySet<string>;
  /** The first day a workout may move to: today when no ride was ridden today, else tomorrow. */
  firstFreeDay: string;
  rules: PlanRules;
  /** Index of the week holding today (−1 before the plan, weeks.length after it). */
  currentWeek: number;
  /** The input plan's violations when it already broke rules (then an adaptation may add none); null when it passed. */
  baseline: ReadonlySet<string> | null;
}

const violationKey = (v: PlanViolation): string => `${v.code}|${v.week ?? ''}|${v.date ?? ''}`;

export function adaptContext(plan: Plan, input: PlanInput, today: string, matched: ReadonlySet<string>, rodeToday: boolean): AdaptContext {
  const rules = planRules(input);
  const first = plan.weeks[0]?.days[0]?.date ?? rules.startDate;
  const offset = daysBetween(first, today);
  const currentWeek = offset < 0 ? -1 : Math.min(Math.floor(offset / 7), plan.weeks.length);
  const violations = validatePlan(plan, input);
  const firstFreeDay = rodeToday ? addDays(today, 1) : today;
  return {
    input,
    today,
    matched,
    firstFreeDay,
    rules,
    currentWeek,
    baseline: violations.length === 0 ? null : new Set(violations.map(violationKey)),
  };
}

/** A workout with where it sits. */
export interface Placed {
  weekIndex: number;
  dayIndex: number;
  slot: number;
  week: PlanWeek;
  day: PlanDay;
  workout: PlannedWorkout;
}

/** Every workout of the plan in date order. */
export function placedWorkouts(plan: Plan): Placed[] {
  return plan.weeks.flatMap((week, weekIndex) =>
    week.days.flatMap((day, dayIndex) => day.workouts.map((workout, slot) => ({ weekIndex, dayIndex, slot, week, day, workout }))),
  );
}

export function findByKey(plan: Plan, key: string): Placed | undefined {
  return placedWorkouts(plan).find((p) => p.workout.key === key);
}

/** A workout an adaptation may change: not ridden (no match) and not in the past. */
export function isOpen(ctx: AdaptContext, p: Placed): boolean {
  return p.day.date >= ctx.today && !(p.workout.key !== undefined && ctx.matched.has(p.workout.key));
}

export const dayName = (weekday: Weekday): string => WEEKDAY_NAMES[weekday];

/** "Thursday's Threshold 2×10". */
export const workoutLabel = (p: Pick<Placed, 'day' | 'workout'>): string => `${dayName(p.day.weekday)}'s ${p.workout.name}`;

/** "45 min", "1:30". */
export function clock(minutes: number): string {
  const m = Math.round(minutes);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * The week's totals from its workouts (rounded as the generator rounds them) and, when they fell
 * below the ±10 % band, its targets lowered just enough to hold them again (never raised).
 * Returns the target before, when it was lowered.
 */
export function retotal(week: PlanWeek): number | null {
  const workouts = week.days.flatMap((d) => d.workouts);
  week.plannedTss = roundHalfUp(
    workouts.reduce((s, w) => s + w.tss, 0),
    1,
  );
  week.hours = roundHalfUp(workouts.reduce((s, w) => s + w.durationMinutes, 0) / 60, 2);
  if (week.targetHours !== undefined) week.targetHours = Math.min(week.targetHours, Math.floor((week.hours / 0.9) * 100) / 100);
  const before = week.targetTss;
  week.targetTss = Math.min(week.targetTss, Math.floor(week.plannedTss / 0.9));
  return week.targetTss < before ? before : null;
}

/** A change to one workout. */
export function workoutChange(kind: PlanChange['kind'], p: Pick<Placed, 'day' | 'workout'>, text: string): PlanChange {
  return { kind, date: p.day.date, workoutKey: p.workout.key, text };
}

/** Edits a copy of the plan: its changes, or null when it changed nothing. */
export type Edit = (plan: Plan) => PlanChange[] | null;

/**
 * Keeps the later weeks' ramp within the cap after an edit, leaving the workouts of `keep` alone:
 * the changes it made, or null when it cannot.
 */
export type RampHold = (plan: Plan, ctx: AdaptContext, keep: ReadonlySet<string>) => PlanChange[] | null;

export class Draft {
  readonly changes: PlanChange[] = [];
  readonly reasons: string[] = [];

  constructor(
    public plan: Plan,
    readonly ctx: AdaptContext,
    private readonly hold: RampHold,
  ) {}

  /**
   * Applies `edit` to a copy; with `holdRamp`, later weeks are lowered where the copy would raise
   * fitness too fast. The copy is kept only when it passes every plan rule (or, for a plan that
   * already broke some, adds no new violation). The edit's changes, or null when it was not kept.
   */
  attempt(edit: Edit, holdRamp = true): PlanChange[] | null {
    const copy = structuredClone(this.plan);
    const made = edit(copy);
    if (made === null || made.length === 0) return null;
    // the workouts the edit just changed are not changed again in the same step
    const touched = new Set(made.map((c) => c.workoutKey).filter((k) => k !== undefined));
    const held = holdRamp ? this.hold(copy, this.ctx, touched) : [];
    if (held === null || !this.passes(copy)) return null;
    this.plan = copy;
    this.changes.push(...made, ...held);
    return made;
  }

  private passes(plan: Plan): boolean {
    const violations = validatePlan(plan, this.ctx.input);
    const { baseline } = this.ctx;
    return baseline === null ? violations.length === 0 : violations.every((v) => baseline.has(violationKey(v)));
  }
}
