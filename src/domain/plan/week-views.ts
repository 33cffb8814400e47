/**
 * A plan's weeks as the planning tools, chat and the plan command list them: a week's headline
 * figures, and its days with each workout seen through the caller's own view of it.
 */
import type { PlanDay, PlannedWorkout, PlanWeek } from './types.js';

export type WeekTotals = Pick<PlanWeek, 'week' | 'phase' | 'targetTss' | 'plannedTss' | 'hours'>;

/** Week number, phase, target and planned TSS, hours. */
export function weekTotals(w: PlanWeek): WeekTotals {
  return { week: w.week, phase: w.phase, targetTss: w.targetTss, plannedTss: w.plannedTss, hours: w.hours };
}

/** The week's seven days, each with its date, weekday and workouts as `view` shows them. */
export function weekDays<W>(
  w: PlanWeek,
  view: (workout: PlannedWorkout) => W,
): { date: string; weekday: PlanDay['weekday']; workouts: W[] }[] {
  return w.days.map((d) => ({ date: d.date, weekday: d.weekday, workouts: d.workouts.map(view) }));
}
