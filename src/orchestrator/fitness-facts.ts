/**
 * The fact sheet's fitness: the PMC over every load, its values at the end of the period (with
 * CTL 4 and 12 weeks before and the period's peak), and the same carried on to today.
 */
import { addDays } from '../domain/calendar.js';
import { performanceManagementChart, type PmcDay } from '../domain/metrics/pmc.js';
import { round, roundOrNull } from '../domain/numbers.js';
import { dailyLoads, type RideLoad } from '../domain/training-load.js';
import type { FactSheet } from './fact-sheet.js';

export interface FitnessFacts {
  pmc: PmcDay[];
  fitness: FactSheet['fitness'];
  fitnessToday: FactSheet['fitnessToday'];
  /** CTL at the period's end and today, unrounded (0 without load), for the stale-history warning. */
  ctlAtEnd: number;
  ctlToday: number;
}

/** PMC values of a day at a coach's precision. */
function pmcValues(p: PmcDay): { ctl: number; atl: number; tsb: number } {
  return { ctl: round(p.ctl, 1), atl: round(p.atl, 1), tsb: round(p.tsb, 1) };
}

export function fitnessFacts(loads: readonly RideLoad[], period: { from: string; to: string }, today: string): FitnessFacts {
  const { from, to } = period;
  const daily = dailyLoads(loads);
  const pmc = daily.length > 0 ? performanceManagementChart(daily, { start: daily[0]!.date, end: to }) : [];
  const end = pmc[pmc.length - 1];
  const at = (date: string) => pmc.find((p) => p.date === date)?.ctl ?? null;
  const peak = pmc.filter((p) => p.date >= from).reduce<PmcDay | null>((best, p) => (best === null || p.ctl > best.ctl ? p : best), null);
  // Carried on past the period's end to today: the days without a ride fade fitness and fatigue
  // (the same decay the plan applies up to its start); later loads (a run with heart rate) count.
  const carried =
    end && today > end.date
      ? performanceManagementChart(
          daily.filter((l) => l.date > end.date),
          { start: addDays(end.date, 1), end: today, initialCtl: end.ctl, initialAtl: end.atl },
        ).at(-1)
      : end;
  return {
    pmc,
    fitness: end
      ? {
          date: end.date,
          ...pmcValues(end),
          rampRate: roundOrNull(end.rampRate, 1),
          ctl4WeeksAgo: roundOrNull(at(addDays(to, -28)), 1),
          ctl12WeeksAgo: roundOrNull(at(addDays(to, -84)), 1),
          peakCtl: round(peak?.ctl ?? end.ctl, 1),
          peakCtlDate: peak?.date ?? end.date,
        }
      : null,
    fitnessToday: carried ? { date: carried.date, ...pmcValues(carried) } : null,
    ctlAtEnd: end?.ctl ?? 0,
    ctlToday: carried?.ctl ?? 0,
  };
}
