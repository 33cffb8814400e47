/**
 * Where fitness and form are headed if the plan is ridden as written: the planned daily TSS through
 * the same Performance Management Chart as the ride history, starting from today's CTL and ATL.
 */
import { performanceManagementChart, type PmcDay } from '../metrics/pmc.js';
import type { CurrentFitness, Plan } from './types.js';

/** One row per plan day (first Monday to last Sunday). */
export function predictedPmc(plan: Plan, fitness: CurrentFitness): PmcDay[] {
  const days = plan.weeks.flatMap((w) => w.days);
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return [];
  const loads = days.map((d) => ({ date: d.date, load: d.workouts.reduce((s, w) => s + w.tss, 0) }));
  return performanceManagementChart(loads, { start: first.date, end: last.date, initialCtl: fitness.ctl, initialAtl: fitness.atl ?? fitness.ctl });
}

/** The predicted row of a date (e.g. the event: its TSB is the form going into the race). */
export function predictedOn(pmc: readonly PmcDay[], date: string): PmcDay | undefined {
  return pmc.find((d) => d.date === date);
}
