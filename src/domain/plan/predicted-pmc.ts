/**
 * Where fitness and form are headed if the plan is ridden as written: the planned daily TSS through
 * the same Performance Management Chart as the ride history, starting from today's CTL and ATL.
 */
import { addDays } from '../calendar.js';
import { performanceManagementChart, type PmcDay } from '../metrics/pmc.js';
import type { CurrentFitness, Plan, PlanWeek } from './types.js';

/** One row per plan day (first Monday to last Sunday). */
export function predictedPmc(plan: Plan, fitness: CurrentFitness): PmcDay[] {
  const days = plan.weeks.flatMap((w) => w.days);
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return [];
  const loads = days.map((d) => ({ date: d.date, load: d.workouts.reduce((s, w) => s + w.tss, 0) }));
  return performanceManagementChart(loads, {
    start: first.date,
    end: last.date,
    initialCtl: fitness.ctl,
    initialAtl: fitness.atl ?? fitness.ctl,
  });
}

/** The predicted row of a date (e.g. the event: its TSB is the form going into the race). */
export function predictedOn(pmc: readonly PmcDay[], date: string): PmcDay | undefined {
  return pmc.find((d) => d.date === date);
}

/** Days in a ramp window. */
export const RAMP_WINDOW_DAYS = 7;

export interface CtlRampWindow {
  /** First and last day of the 7-day window (YYYY-MM-DD). */
  from: string;
  to: string;
  /** CTL at the end of `to` minus CTL at the end of the day before `from`. */
  ramp: number;
}

/**
 * The CTL change over every rolling 7 days of the plan (not per calendar week), from the predicted
 * PMC (the 42-day exponentially weighted CTL of the planned daily TSS, from the current CTL): one
 * window ending on each plan day. CTL before the plan is taken as steady at the current CTL (the
 * starting value is all that is known), so the windows ending in the first 6 days of the plan
 * compare against the current CTL.
 */
export function rollingCtlRamps(plan: Plan, fitness: CurrentFitness): CtlRampWindow[] {
  const pmc = predictedPmc(plan, fitness);
  const start = pmc[0];
  if (!start) return [];
  const before = fitness.ctl;
  return pmc.map((day, i) => {
    const base = i >= RAMP_WINDOW_DAYS ? pmc[i - RAMP_WINDOW_DAYS]!.ctl : before;
    return {
      from: i >= RAMP_WINDOW_DAYS - 1 ? pmc[i - RAMP_WINDOW_DAYS + 1]!.date : addDays(start.date, i - RAMP_WINDOW_DAYS + 1),
      to: day.date,
      ramp: day.ctl - base,
    };
  });
}

/** The steepest 7-day CTL ramp of the plan (see rollingCtlRamps); null for an empty plan. */
export function maxRollingCtlRamp(plan: Plan, fitness: CurrentFitness): CtlRampWindow | null {
  return rollingCtlRamps(plan, fitness).reduce<CtlRampWindow | null>((max, w) => (max === null || w.ramp > max.ramp ? w : max), null);
}

/**
 * How far the steepest 7-day CTL ramp ending in a candidate week, planned after `weeks`, exceeds
 * the cap (≤ 0: it does not): the same PMC as rollingCtlRamps (and so the validator), continued
 * from the CTL the weeks before leave, against the CTL at the end of each of the 7 days before the week.
 */
export function rampExcessChecker(weeks: readonly PlanWeek[], fitness: CurrentFitness, cap: number): (candidate: PlanWeek) => number {
  const before = predictedPmc({ weeks: [...weeks] }, fitness).map((d) => d.ctl);
  const start = Number.isFinite(fitness.ctl) ? fitness.ctl : 0;
  const lastWeek = [...Array<number>(RAMP_WINDOW_DAYS).fill(start), ...before].slice(-RAMP_WINDOW_DAYS);
  const initialCtl = before[before.length - 1] ?? start;
  return (candidate) => {
    const first = candidate.days[0]?.date;
    const last = candidate.days[candidate.days.length - 1]?.date;
    if (!first || !last) return -Infinity;
    const loads = candidate.days.map((d) => ({ date: d.date, load: d.workouts.reduce((s, w) => s + w.tss, 0) }));
    const days = performanceManagementChart(loads, { start: first, end: last, initialCtl });
    return (
      Math.max(-Infinity, ...days.map((d, i) => d.ctl - (i < RAMP_WINDOW_DAYS ? lastWeek[i]! : days[i - RAMP_WINDOW_DAYS]!.ctl))) - cap
    );
  };
}
