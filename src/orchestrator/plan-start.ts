/**
 * Where a plan starts: the Monday it opens on, and the fitness the athlete brings to it.
 */
import { addDays, daysBetween, longDate, mondayOf, utcDate } from '../domain/calendar.js';
import { performanceManagementChart } from '../domain/metrics/pmc.js';
import type { FactSheetDetail } from './fact-sheet.js';

/** Monday on or after `date`'s UTC day (YYYY-MM-DD). */
export function nextMonday(date: Date): string {
  const d = utcDate(date);
  const monday = mondayOf(d);
  return monday === d ? d : addDays(monday, 7);
}

/**
 * CTL and ATL going into the plan's first day: the analysis ends with the latest ride; when that
 * was days or weeks ago, fitness and fatigue have decayed since (no load) and the plan must start
 * from where the athlete is now, not where they were. The fact sheet carries them to today; from
 * there on to the day before the plan starts. With the latest ride's date, for the return block;
 * a gap of a week or more is said in a warning.
 */
export function fitnessAtPlanStart(
  detail: FactSheetDetail,
  planStartDate: string,
  warnings: { code: string; message: string }[],
): { ctl: number; atl: number; lastRideDate: string | null } {
  const fitness = detail.sheet.fitness;
  const lastRideDate = detail.sheet.latestRide?.date ?? null;
  if (!fitness) return { ctl: 0, atl: 0, lastRideDate };
  const from = detail.sheet.fitnessToday ?? fitness;
  const last = addDays(planStartDate, -1);
  const carried =
    performanceManagementChart([], { start: addDays(from.date, 1), end: last, initialCtl: from.ctl, initialAtl: from.atl }).at(-1) ?? from;
  const gap = daysBetween(fitness.date, last);
  if (gap >= 7) {
    warnings.push({
      code: 'fitness-carried-forward',
      message: `Your latest ride was on ${longDate(fitness.date)}, ${gap} days before the plan starts: the plan starts from fitness (CTL) ${carried.ctl.toFixed(1)} rather than ${fitness.ctl.toFixed(1)}, as it has faded since. Send newer rides if you have them.`,
    });
  }
  return { ctl: carried.ctl, atl: carried.atl, lastRideDate };
}
