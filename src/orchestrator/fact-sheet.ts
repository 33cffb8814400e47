/**
 * Phase 1's product: a compact, numbers-only picture of the athlete for the period (default the
 * last 6 months before the latest ride vs the 6 before). Everything the model may talk about is
 * here or behind a tool; the model never sees raw streams. Pure: no I/O, no clock.
 */
import { isCycling, type Activity } from '../domain/activity.js';
import {
  addDays,
  addMonths,
  COMPARISON_DURATIONS_SECONDS,
  comparePeriods,
  criticalPowerModel,
  performanceManagementChart,
  seasonCurveWatts,
  seasonPowerCurve,
  suggestFtp,
  type CriticalPowerModel,
  type FtpSuggestion,
  type PeriodComparison,
  type PmcDay,
  type PowerCurve,
  heartRateLoadBasis,
} from '../domain/metrics/index.js';
import { type ProfileVersion } from '../domain/profile.js';
import type { AthleteStore } from '../store/store.js';
import { dailyLoads, rideLoads, type RideLoad } from '../domain/training-load.js';

export interface FactSheetInput {
  athleteName: string;
  /** Every stored activity (summaries are enough before the comparison window). */
  activities: readonly Activity[];
  history: readonly ProfileVersion[];
  periodMonths: number;
  /** Last day of the period (YYYY-MM-DD); default: the day of the latest activity. */
  periodEnd?: string;
}

export interface RideFact {
  id: string;
  date: string;
  name: string | null;
  sport: string;
  hours: number;
  distanceKm: number | null;
  normalizedPower: number | null;
  tss: number | null;
  intensityFactor: number | null;
  best20MinWatts: number | null;
}

export interface WeekFact {
  /** Monday of the week. */
  week: string;
  hours: number;
  load: number;
  rides: number;
}

export interface FactSheet {
  athlete: {
    name: string;
    ftp: number | null;
    ftpSource: 'profile' | 'estimated' | 'none';
    weightKg: number | null;
    wattsPerKg: number | null;
    maxHr: number | null;
    lthr: number | null;
    restingHr: number | null;
    goals: string | null;
    eventDate: string | null;
    weeklyHours: number | null;
    trainingDays: string[] | null;
    planWeeks: number | null;
    ftpHistory: { from: string; ftp: number | null }[];
  };
  period: { from: string; to: string; months: number; previousFrom: string; previousTo: string };
  comparison: PeriodComparison;
  fitness: { date: string; ctl: number; atl: number; tsb: number; rampRate: number | null; ctl4WeeksAgo: number | null; ctl12WeeksAgo: number | null; peakCtl: number; peakCtlDate: string } | null;
  powerCurve: { current: PowerCurve; previous: PowerCurve; model: CriticalPowerModel; ftpSuggestions: FtpSuggestion[] };
  weeks: WeekFact[];
  sports: Record<string, number>;
  topRides: RideFact[];
  /** Rides of the period with measured cycling power / with only Strava's estimate. */
  power: { ridesWithPower: number; ridesWithEstimatedPowerIgnored: number };
  warnings: { code: string; message: string }[];
}

/** Also kept for tools and reports: the per-ride loads and the PMC behind the sheet. */
export interface FactSheetDetail {
  sheet: FactSheet;
  loads: RideLoad[];
  pmc: PmcDay[];
  effectiveHistory: ProfileVersion[];
}

const day = (d: Date): string => d.toISOString().slice(0, 10);
const round = (v: number | null, digits = 0): number | null => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

/** The period ends with the latest ride (a later run or hike does not move it); without rides, the latest activity. */
function latestRideDay(sortedActivities: readonly Activity[]): string | null {
  const rides = sortedActivities.filter((a) => isCycling(a.sport));
  const last = (rides.length > 0 ? rides : sortedActivities).at(-1);
  return last ? day(last.startTime) : null;
}

function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

export function buildFactSheet(input: FactSheetInput): FactSheetDetail {
  const warnings: FactSheet['warnings'] = [];
  const sorted = [...input.activities].sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const latest = latestRideDay(sorted);
  const to = input.periodEnd ?? latest ?? '1970-01-01';
  // the same windows as comparePeriods: months counted back from the day after `to`
  const from = addMonths(addDays(to, 1), -input.periodMonths);
  const previousTo = addDays(from, -1);
  const previousFrom = addMonths(from, -input.periodMonths);
  const inWindow = (a: Activity, start: string, end: string) => {
    const d = day(a.startTime);
    return d >= start && d <= end;
  };

  // Power curves of the comparison window come from the streams (or stored curves).
  const firstPass = rideLoads(sorted.filter((a) => inWindow(a, previousFrom, to)), input.history);
  const curveOf = (loads: RideLoad[], start: string, end: string) =>
    seasonPowerCurve(loads.filter((l) => inWindow(l.activity, start, end)).map((l) => ({ activityId: l.activity.id, date: day(l.activity.startTime), curve: l.metrics.powerCurve })));
  const currentSeason = curveOf(firstPass, from, to);
  const currentCurve = seasonCurveWatts(currentSeason);
  const model = criticalPowerModel(currentCurve);

  // FTP: the athlete's own; when there is none, an estimate from the data, said out loud.
  let history = [...input.history];
  const profileFtp = [...history].reverse().find((p) => p.ftp !== null)?.ftp ?? null;
  let ftpSource: FactSheet['athlete']['ftpSource'] = profileFtp !== null ? 'profile' : 'none';
  let ftp = profileFtp;
  if (ftp === null) {
    const suggestion = suggestFtp(currentSeason, null).sort((a, b) => (a.method === 'critical-power' && a.confidence !== 'low' ? -1 : 1) - (b.method === 'critical-power' && b.confidence !== 'low' ? -1 : 1))[0];
    if (suggestion) {
      ftp = suggestion.watts;
      ftpSource = 'estimated';
      history = history.length > 0 ? history.map((p) => ({ ...p, ftp: p.ftp ?? suggestion.watts })) : [{ ...emptyVersion(from), ftp: suggestion.watts }];
      warnings.push({ code: 'ftp-estimated', message: `No FTP was given: ${suggestion.watts} W is estimated from your rides (${suggestion.basis}). Tell the coach your FTP for exact TSS.` });
    } else {
      warnings.push({ code: 'no-ftp', message: 'No FTP was given and the rides hold too little power data to estimate one: load comes from heart rate where possible.' });
    }
  }

  const allLoads = rideLoads(sorted, history);
  const periodLoads = allLoads.filter((l) => inWindow(l.activity, previousFrom, to));
  const comparison = comparePeriods(periodLoads.map((l) => ({ activity: l.activity, metrics: l.metrics })), { referenceDate: to, months: input.periodMonths });

  const daily = dailyLoads(allLoads);
  const pmc = daily.length > 0 ? performanceManagementChart(daily, { start: daily[0]!.date, end: to }) : [];
  const today = pmc[pmc.length - 1];
  const at = (date: string) => pmc.find((p) => p.date === date)?.ctl ?? null;
  const peak = pmc.filter((p) => p.date >= from).reduce<PmcDay | null>((best, p) => (best === null || p.ctl > best.ctl ? p : best), null);

  const current = allLoads.filter((l) => inWindow(l.activity, from, to));
  const weeks = new Map<string, WeekFact>();
  for (let w = mondayOf(from); w <= to; w = addDays(w, 7)) weeks.set(w, { week: w, hours: 0, load: 0, rides: 0 });
  const sports: Record<string, number> = {};
  for (const l of current) {
    const wk = weeks.get(mondayOf(day(l.activity.startTime)));
    if (wk) {
      wk.hours += (l.metrics.movingSeconds ?? 0) / 3600;
      wk.load += l.metrics.load ?? 0;
      wk.rides += 1;
    }
    sports[l.activity.sport] = (sports[l.activity.sport] ?? 0) + 1;
  }

  const topRides = [...current].sort((a, b) => (b.metrics.load ?? 0) - (a.metrics.load ?? 0)).slice(0, 5).map(rideFact);

  const cyclingInPeriod = current.filter((l) => isCycling(l.activity.sport));
  const ridesWithPower = cyclingInPeriod.filter((l) => l.metrics.hasCyclingPower).length;
  const estimated = cyclingInPeriod.filter((l) => l.activity.power === 'estimated').length;
  if (estimated > 0) warnings.push({ code: 'estimated-power', message: `${estimated} ride${estimated === 1 ? '' : 's'} had only Strava's estimated power, which is left out of the power analysis.` });
  if (current.length === 0) warnings.push({ code: 'no-rides', message: `No activities between ${from} and ${to}.` });
  else if (ridesWithPower === 0) warnings.push({ code: 'no-power', message: 'No ride in the period has power-meter data: the analysis uses heart rate and volume only.' });

  const hrEstimated = current.filter((l) => l.metrics.loadSource === 'heart-rate-estimated').length;
  const noLoad = current.filter((l) => l.metrics.load === null).length;
  const latestProfile = history[history.length - 1] ?? null;
  if (hrEstimated > 0) {
    // the values the metrics assumed, from the same function
    const basis = heartRateLoadBasis({ ftp: null, lthr: latestProfile?.lthr ?? null, maxHr: latestProfile?.maxHr ?? null, restingHr: latestProfile?.restingHr ?? null });
    const parts = [latestProfile?.lthr ? null : `an LTHR of ${basis?.lthr ?? '–'} bpm (90 % of your max HR)`, latestProfile?.restingHr ? null : `a resting HR of ${basis?.rest ?? '–'} bpm`].filter(Boolean);
    warnings.push({ code: 'hr-load-estimated', message: `Load for ${hrEstimated} activit${hrEstimated === 1 ? 'y' : 'ies'} without power comes from heart rate with ${parts.join(' and ')} assumed: tell me yours (e.g. "lthr 165", "resting hr 48") for exact figures.` });
  }
  if (noLoad > 0) warnings.push({ code: 'no-load', message: `${noLoad} activit${noLoad === 1 ? 'y has' : 'ies have'} neither power nor heart rate to count as training load (or no max HR / LTHR in your profile): fitness and fatigue leave them out.` });

  const weight = latestProfile?.weightKg ?? null;
  const sheet: FactSheet = {
    athlete: {
      name: input.athleteName,
      ftp,
      ftpSource,
      weightKg: weight,
      wattsPerKg: ftp !== null && weight ? round(ftp / weight, 2) : null,
      maxHr: latestProfile?.maxHr ?? null,
      lthr: latestProfile?.lthr ?? null,
      restingHr: latestProfile?.restingHr ?? null,
      goals: latestProfile?.goals ?? null,
      eventDate: latestProfile?.eventDate ?? null,
      weeklyHours: latestProfile?.weeklyHours ?? null,
      trainingDays: latestProfile?.trainingDays ?? null,
      planWeeks: latestProfile?.planWeeks ?? null,
      ftpHistory: input.history.map((p) => ({ from: day(p.validFrom), ftp: p.ftp })),
    },
    period: { from, to, months: input.periodMonths, previousFrom, previousTo },
    comparison,
    fitness: today
      ? {
          date: today.date,
          ctl: round(today.ctl, 1)!,
          atl: round(today.atl, 1)!,
          tsb: round(today.tsb, 1)!,
          rampRate: round(today.rampRate, 1),
          ctl4WeeksAgo: round(at(addDays(to, -28)), 1),
          ctl12WeeksAgo: round(at(addDays(to, -84)), 1),
          peakCtl: round(peak?.ctl ?? today.ctl, 1)!,
          peakCtlDate: peak?.date ?? today.date,
        }
      : null,
    powerCurve: {
      current: currentCurve,
      previous: seasonCurveWatts(curveOf(firstPass, previousFrom, previousTo)),
      model,
      ftpSuggestions: suggestFtp(currentSeason, profileFtp),
    },
    weeks: [...weeks.values()].map((w) => ({ ...w, hours: round(w.hours, 1)!, load: round(w.load)! })),
    sports,
    topRides,
    power: { ridesWithPower, ridesWithEstimatedPowerIgnored: estimated },
    warnings,
  };
  return { sheet: compactNumbers(sheet), loads: allLoads, pmc, effectiveHistory: history };
}

/**
 * The sheet as the model first sees it: the full power curves and the older weeks stay behind the
 * tools (get_power_curve, get_pmc), which keeps a run within its token budget.
 */
export function sheetForModel(sheet: FactSheet): unknown {
  const { powerCurve, weeks, comparison, ...rest } = sheet;
  const zones = (s: FactSheet['comparison']['current']) => {
    const { powerZoneSeconds: _p, heartRateZoneSeconds: _h, ...kept } = s;
    return kept;
  };
  return {
    ...rest,
    comparison: { months: comparison.months, current: zones(comparison.current), previous: zones(comparison.previous), powerCurveChanges: comparison.powerCurveChanges },
    powerCurve: { model: { cp: powerCurve.model.twoParameter?.cp ?? null, wPrimeJoules: powerCurve.model.twoParameter?.wPrime ?? null, eftp: powerCurve.model.eftp, confidence: powerCurve.model.confidence, reason: powerCurve.model.reason }, ftpSuggestions: powerCurve.ftpSuggestions },
    lastWeeks: weeks.slice(-8),
  };
}

/**
 * Rounds every number to what a coach would quote (≥ 100: whole; ≥ 10: one decimal; ≥ 1: two
 * decimals, as W/kg and IF need; below: three) — the sheet goes to the model, where digits cost tokens and mean nothing.
 */
export function compactNumbers<T>(value: T): T {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Number.isInteger(value)) return value;
    const a = Math.abs(value);
    return Number(value.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3)) as T;
  }
  if (Array.isArray(value)) return value.map(compactNumbers) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactNumbers(v)])) as T;
  }
  return value;
}

/** One ride as the model and the tools see it. */
export function rideFact(l: RideLoad): RideFact {
  return {
    id: l.activity.id,
    date: day(l.activity.startTime),
    name: l.activity.name,
    sport: l.activity.sport,
    hours: round((l.metrics.movingSeconds ?? 0) / 3600, 2) ?? 0,
    distanceKm: round(l.activity.distanceMeters === null ? null : l.activity.distanceMeters / 1000, 1),
    normalizedPower: round(l.metrics.normalizedPower),
    tss: round(l.metrics.tss, 1),
    intensityFactor: round(l.metrics.intensityFactor, 2),
    best20MinWatts: round(l.metrics.powerCurve[1200] ?? null),
  };
}

function emptyVersion(from: string): ProfileVersion {
  return { validFrom: new Date(`${from}T00:00:00Z`), ftp: null, weightKg: null, maxHr: null, lthr: null, restingHr: null, age: null, sex: null, goals: null, eventDate: null, trainingDays: null, weeklyHours: null, planWeeks: null };
}

/** The comparison durations, for tools and reports. */
export const BEST_DURATIONS = COMPARISON_DURATIONS_SECONDS;

/**
 * The fact sheet of a stored athlete: every ride as a summary, with the 1 Hz streams loaded for
 * the two compared periods only (zones and power curves need them). Null without any ride.
 */
export function loadFactSheet(athlete: AthleteStore, periodMonths: number, periodEnd?: string): FactSheetDetail | null {
  const everything = athlete.activitiesBetween(new Date(0), new Date(8.64e15));
  if (everything.length === 0) return null;
  const end = periodEnd ?? latestRideDay(everything.map((s) => s.activity))!;
  const latest = new Date(`${end}T23:59:59.999Z`);
  const windowStart = new Date(latest.getTime() - (2 * periodMonths * 31 + 2) * 86_400_000);
  const withStreams = new Map(athlete.activitiesBetween(windowStart, new Date(latest.getTime() + 1), { streams: true }).map((s) => [s.activity.id, s.activity]));
  const activities = everything.map((s) => withStreams.get(s.activity.id) ?? s.activity);
  return buildFactSheet({ athleteName: athlete.info().displayName, activities, history: athlete.profileHistory(), periodMonths, ...(periodEnd ? { periodEnd } : {}) });
}
