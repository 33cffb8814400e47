/**
 * What every plan rule check works on: the plan, its input and rules, the violations found so far,
 * and the labels and sums the checks' messages share (validate-plan.ts runs the checks).
 */
import { WEEKDAYS, WEEKDAY_LABELS, type Weekday } from '../calendar.js';
import { planRules, type PlanRules } from './periodization.js';
import type { Plan, PlanDay, PlanInput, PlanViolation, PlanWeek, PlannedWorkout } from './types.js';
import { classifyIntensity } from './workout-metrics.js';

/** A day of the plan with the week that holds it. */
export interface DayInWeek {
  week: PlanWeek;
  day: PlanDay;
}

/** One validation run: the plan being checked and the violations found so far, in the order found. */
export class PlanCheck {
  readonly violations: PlanViolation[] = [];
  readonly rules: PlanRules;
  /** Every day of the plan in order, across week boundaries. */
  readonly days: readonly DayInWeek[];

  constructor(
    readonly plan: Plan,
    readonly input: PlanInput,
  ) {
    this.rules = planRules(input);
    this.days = plan.weeks.flatMap((week) => week.days.map((day) => ({ week, day })));
  }

  add(code: PlanViolation['code'], message: string, week?: PlanWeek, date?: string): void {
    this.violations.push({ code, message, ...(week ? { week: week.week } : {}), ...(date ? { date } : {}) });
  }
}

/** A check of one week; `index` is its position in the plan (0 = the first week). */
export type WeekCheck = (check: PlanCheck, week: PlanWeek, index: number) => void;

/** A number as the messages show it (toFixed; NaN and Infinity as themselves). */
export const fmt = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

export function weekLabel(week: PlanWeek): string {
  const first = week.days[0]?.date;
  const last = week.days[week.days.length - 1]?.date;
  return first && last ? `Week ${week.week} (${first} to ${last})` : `Week ${week.week}`;
}

export function dayLabel(week: PlanWeek, day: PlanDay): string {
  return `Week ${week.week}, ${WEEKDAY_LABELS[day.weekday] ?? day.weekday} ${day.date}`;
}

/** 'Tue, Thu, Sat' in week order. */
export function listDays(days: readonly Weekday[]): string {
  return WEEKDAYS.filter((d) => days.includes(d))
    .map((d) => WEEKDAY_LABELS[d])
    .join(', ');
}

/** Intensity from type and IF (never trusting the declared class). */
export function workoutIntensity(workout: Pick<PlannedWorkout, 'type' | 'intensityFactor'>): ReturnType<typeof classifyIntensity> {
  return classifyIntensity(workout.type, workout.intensityFactor);
}

export const isHardDay = (day: PlanDay): boolean => day.workouts.some((w) => workoutIntensity(w) === 'hard');

/** Rounding slack on reported numbers: TSS to 0.1, hours to 0.01. */
export const TSS_SLACK = 0.5;
export const HOURS_SLACK = 0.011;

/** The TSS the week's workouts add up to. */
export function weekTss(week: PlanWeek): number {
  return week.days.reduce((s, d) => s + d.workouts.reduce((t, w) => t + w.tss, 0), 0);
}

/** The hours the week's workouts add up to. */
export function weekHours(week: PlanWeek): number {
  return week.days.reduce((s, d) => s + d.workouts.reduce((t, w) => t + w.durationMinutes, 0), 0) / 60;
}
