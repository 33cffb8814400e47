/**
 * Phase 1's product: a compact, numbers-only picture of the athlete for the period (default the
 * last 6 months before the latest ride vs the 6 before). Everything the model may talk about is
 * here or behind a tool; the model never sees raw streams. Pure: no I/O, no clock (loadFactSheet
 * reads the store).
 */
import { isCycling, type Activity } from '../domain/activity.js';
import { addDays, addMonths, daysBetween, utcDate } from '../domain/calendar.js';
import {
  comparePeriods,
  criticalPowerModel,
  seasonCurveWatts,
  seasonPowerCurve,
  suggestFtp,
  type CriticalPowerModel,
  type FtpSuggestion,
  type LoadSource,
  type PeriodComparison,
  type PmcDay,
  type PowerCurve,
  type SeasonPowerCurve,
} from '../domain/metrics/index.js';
import { wholePercentages } from '../domain/metrics/shares.js';
import { roundOrNull } from '../domain/numbers.js';
import { ftpChanges, type ProfileVersion } from '../domain/profile.js';
import { rideLoads, type RideLoad } from '../domain/training-load.js';
import type { AthleteStore } from '../store/store.js';
import { resolveAnchors, type Anchors } from './athlete-anchors.js';
import { compactNumbers } from './compact-numbers.js';
import { dataWarnings } from './data-warnings.js';
import { fitnessFacts } from './fitness-facts.js';
import { weekFacts } from './week-facts.js';

export interface FactSheetInput {
  athleteName: string;
  /** Every stored activity (summaries are enough before the comparison window). */
  activities: readonly Activity[];
  history: readonly ProfileVersion[];
  periodMonths: number;
  /** Last day of the period (YYYY-MM-DD); default: the day of the latest activity. */
  periodEnd?: string;
  /** The caller's today (YYYY-MM-DD): fitness is faded to it and the latest ride dated against it; default: the period's end. */
  today?: string;
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
  /** Training load and where it came from (see LoadSource): TSS, hrTSS, Strava's estimated power or duration. */
  load: number | null;
  loadSource: LoadSource | null;
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
    /** Max HR / LTHR: the athlete's, estimated from the rides (said in a warning), or none. */
    heartRateSource: 'profile' | 'estimated' | 'none';
    goals: string | null;
    eventDate: string | null;
    weeklyHours: number | null;
    trainingDays: string[] | null;
    planWeeks: number | null;
    /** One entry per change of the FTP the athlete gave (see ftpChanges), oldest first. */
    ftpHistory: { from: string; ftp: number | null }[];
  };
  period: { from: string; to: string; months: number; previousFrom: string; previousTo: string };
  comparison: PeriodComparison;
  /** Fitness at the end of the period (the day of the latest ride). */
  fitness: {
    date: string;
    ctl: number;
    atl: number;
    tsb: number;
    rampRate: number | null;
    ctl4WeeksAgo: number | null;
    ctl12WeeksAgo: number | null;
    peakCtl: number;
    peakCtlDate: string;
  } | null;
  /** The same PMC carried on to `today`: faded by the days without load since (another sport's load counts). */
  fitnessToday: { date: string; ctl: number; atl: number; tsb: number } | null;
  /** The latest ride and how many days before `today` it was; null without rides. */
  latestRide: { date: string; daysAgo: number } | null;
  /**
   * Where the period's load came from, % of its TSS per source (see LoadSource), and the share not
   * from measured power (`estimatedPercent`); null when the period has no load.
   */
  loadSources: { percent: Record<LoadSource, number>; estimatedPercent: number; totalTss: number } | null;
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

const inWindow = (a: Activity, start: string, end: string): boolean => {
  const d = utcDate(a.startTime);
  return d >= start && d <= end;
};

/** The period ends with the latest ride (a later run or hike does not move it); without rides, the latest activity. */
function latestRideDay(sortedActivities: readonly Activity[]): string | null {
  const rides = sortedActivities.filter((a) => isCycling(a.sport));
  const last = (rides.length > 0 ? rides : sortedActivities).at(-1);
  return last ? utcDate(last.startTime) : null;
}

/** The best powers of the rides in a window, from their streams (or stored curves). */
function seasonOf(loads: readonly RideLoad[], start: string, end: string): SeasonPowerCurve {
  return seasonPowerCurve(
    loads
      .filter((l) => inWindow(l.activity, start, end))
      .map((l) => ({ activityId: l.activity.id, date: utcDate(l.activity.startTime), curve: l.metrics.powerCurve })),
  );
}

/** The period and the one before: the same windows as comparePeriods, months counted back from the day after `to`. */
function periodOf(to: string, months: number): FactSheet['period'] {
  const from = addMonths(addDays(to, 1), -months);
  return { from, to, months, previousFrom: addMonths(from, -months), previousTo: addDays(from, -1) };
}

function athleteFacts(input: FactSheetInput, anchors: Anchors): FactSheet['athlete'] {
  const { ftp, history } = anchors;
  const latest = history[history.length - 1] ?? null;
  const weight = latest?.weightKg ?? null;
  return {
    name: input.athleteName,
    ftp,
    ftpSource: anchors.ftpSource,
    weightKg: weight,
    wattsPerKg: ftp !== null && weight ? roundOrNull(ftp / weight, 2) : null,
    maxHr: latest?.maxHr ?? null,
    lthr: latest?.lthr ?? null,
    restingHr: latest?.restingHr ?? null,
    heartRateSource: anchors.heartRateSource,
    goals: latest?.goals ?? null,
    eventDate: latest?.eventDate ?? null,
    weeklyHours: latest?.weeklyHours ?? null,
    trainingDays: latest?.trainingDays ?? null,
    planWeeks: latest?.planWeeks ?? null,
    ftpHistory: ftpChanges(input.history).map((c) => ({ from: utcDate(c.from), ftp: c.ftp })),
  };
}

function powerFacts(current: readonly RideLoad[]): FactSheet['power'] {
  const cycling = current.filter((l) => isCycling(l.activity.sport));
  return {
    ridesWithPower: cycling.filter((l) => l.metrics.hasCyclingPower).length,
    ridesWithEstimatedPowerIgnored: cycling.filter((l) => l.activity.power === 'estimated').length,
  };
}

export function buildFactSheet(input: FactSheetInput): FactSheetDetail {
  const warnings: FactSheet['warnings'] = [];
  const sorted = [...input.activities].sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const period = periodOf(input.periodEnd ?? latestRideDay(sorted) ?? '1970-01-01', input.periodMonths);
  const { from, to, previousFrom, previousTo } = period;
  // Power curves of the comparison window come from the streams (or stored curves).
  const firstPass = rideLoads(
    sorted.filter((a) => inWindow(a, previousFrom, to)),
    input.history,
  );
  const latestRideDate = latestRideDay(sorted.filter((a) => isCycling(a.sport)));
  const today = input.today ?? to;
  const currentSeason = seasonOf(firstPass, from, to);
  const currentCurve = seasonCurveWatts(currentSeason);
  const anchors = resolveAnchors({ history: input.history, sorted, season: currentSeason, from, to }, warnings);

  const allLoads = rideLoads(sorted, anchors.history);
  const comparison = comparePeriods(
    allLoads.filter((l) => inWindow(l.activity, previousFrom, to)).map((l) => ({ activity: l.activity, metrics: l.metrics })),
    { referenceDate: to, months: input.periodMonths },
  );
  const fitness = fitnessFacts(allLoads, period, today);
  const current = allLoads.filter((l) => inWindow(l.activity, from, to));
  const power = powerFacts(current);
  const loadSources = loadShares(current);
  const gap = latestRideDate !== null ? daysBetween(latestRideDate, today) : 0;
  const latestProfile = anchors.history[anchors.history.length - 1] ?? null;
  const { ctlAtEnd, ctlToday } = fitness;
  warnings.push(
    ...dataWarnings({ current, power, period, ftp: anchors.ftp, latestProfile, loadSources, latestRideDate, today, ctlAtEnd, ctlToday }),
  );

  const sheet: FactSheet = {
    athlete: athleteFacts(input, anchors),
    period,
    comparison,
    fitness: fitness.fitness,
    fitnessToday: fitness.fitnessToday,
    latestRide: latestRideDate !== null ? { date: latestRideDate, daysAgo: Math.max(0, gap) } : null,
    loadSources,
    powerCurve: {
      current: currentCurve,
      previous: seasonCurveWatts(seasonOf(firstPass, previousFrom, previousTo)),
      model: criticalPowerModel(currentCurve),
      ftpSuggestions: suggestFtp(currentSeason, anchors.profileFtp),
    },
    ...weekFacts(current, from, to),
    topRides: [...current]
      .sort((a, b) => (b.metrics.load ?? 0) - (a.metrics.load ?? 0))
      .slice(0, 5)
      .map(rideFact),
    power,
    warnings,
  };
  return { sheet: compactNumbers(sheet), loads: allLoads, pmc: fitness.pmc, effectiveHistory: anchors.history };
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
    comparison: {
      months: comparison.months,
      current: zones(comparison.current),
      previous: zones(comparison.previous),
      powerCurveChanges: comparison.powerCurveChanges,
    },
    powerCurve: {
      model: {
        cp: powerCurve.model.twoParameter?.cp ?? null,
        wPrimeJoules: powerCurve.model.twoParameter?.wPrime ?? null,
        eftp: powerCurve.model.eftp,
        confidence: powerCurve.model.confidence,
        reason: powerCurve.model.reason,
      },
      ftpSuggestions: powerCurve.ftpSuggestions,
    },
    lastWeeks: weeks.slice(-8),
  };
}

/** One ride as the model and the tools see it. */
export function rideFact(l: RideLoad): RideFact {
  return {
    id: l.activity.id,
    date: utcDate(l.activity.startTime),
    name: l.activity.name,
    sport: l.activity.sport,
    hours: roundOrNull((l.metrics.movingSeconds ?? 0) / 3600, 2) ?? 0,
    distanceKm: roundOrNull(l.activity.distanceMeters === null ? null : l.activity.distanceMeters / 1000, 1),
    normalizedPower: roundOrNull(l.metrics.normalizedPower),
    tss: roundOrNull(l.metrics.tss, 1),
    intensityFactor: roundOrNull(l.metrics.intensityFactor, 2),
    best20MinWatts: roundOrNull(l.metrics.powerCurve[1200] ?? null),
    load: roundOrNull(l.metrics.load, 1),
    loadSource: l.metrics.loadSource,
  };
}

/** % of the activities' load per source, whole percentages summing to 100; null without load. */
export function loadShares(loads: readonly RideLoad[]): FactSheet['loadSources'] {
  const sources: LoadSource[] = ['power', 'heart-rate', 'heart-rate-estimated', 'estimated-power', 'duration'];
  const totals = sources.map((source) => loads.reduce((s, l) => s + (l.metrics.loadSource === source ? (l.metrics.load ?? 0) : 0), 0));
  const total = totals.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const shares = wholePercentages(totals.map((t) => t / total));
  const percent = Object.fromEntries(sources.map((source, i) => [source, shares[i] ?? 0])) as Record<LoadSource, number>;
  return { percent, estimatedPercent: 100 - percent.power, totalTss: Math.round(total) };
}

/**
 * The fact sheet of a stored athlete: every ride as a summary, with the 1 Hz streams loaded for
 * the two compared periods only (zones and power curves need them). Null without any ride.
 */
export async function loadFactSheet(
  athlete: AthleteStore,
  periodMonths: number,
  periodEnd?: string,
  today?: string,
): Promise<FactSheetDetail | null> {
  const everything = await athlete.activitiesBetween(new Date(0), new Date(8.64e15));
  if (everything.length === 0) return null;
  const end = periodEnd ?? latestRideDay(everything.map((s) => s.activity))!;
  const latest = new Date(`${end}T23:59:59.999Z`);
  const windowStart = new Date(latest.getTime() - (2 * periodMonths * 31 + 2) * 86_400_000);
  const windowed = await athlete.activitiesBetween(windowStart, new Date(latest.getTime() + 1), { streams: true });
  const withStreams = new Map(windowed.map((s) => [s.activity.id, s.activity]));
  const activities = everything.map((s) => withStreams.get(s.activity.id) ?? s.activity);
  const { displayName } = await athlete.info();
  return buildFactSheet({
    athleteName: displayName,
    activities,
    history: await athlete.profileHistory(),
    periodMonths,
    ...(periodEnd ? { periodEnd } : {}),
    ...(today ? { today } : {}),
  });
}
