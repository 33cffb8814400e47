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
  daysBetween,
  DEFAULT_RIDE_INTENSITY_FACTOR,
  DURATION_TSS_PER_HOUR,
  type LoadSource,
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
import { estimateHeartRateAnchors, heartRateEstimateText } from '../domain/metrics/heart-rate-estimate.js';
import { longDate, timeAgo } from '../domain/calendar.js';
import { wholePercentages } from '../domain/metrics/shares.js';
import { ftpChanges, resolvedHistory, type ProfileVersion } from '../domain/profile.js';
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
  const firstPass = rideLoads(
    sorted.filter((a) => inWindow(a, previousFrom, to)),
    input.history,
  );
  const curveOf = (loads: RideLoad[], start: string, end: string) =>
    seasonPowerCurve(
      loads
        .filter((l) => inWindow(l.activity, start, end))
        .map((l) => ({ activityId: l.activity.id, date: day(l.activity.startTime), curve: l.metrics.powerCurve })),
    );
  const latestRideDate = latestRideDay(sorted.filter((a) => isCycling(a.sport)));
  const today = input.today ?? to;
  const currentSeason = curveOf(firstPass, from, to);
  const currentCurve = seasonCurveWatts(currentSeason);
  const model = criticalPowerModel(currentCurve);

  // Each measured field resolved on its own: an FTP given today applies to older rides too.
  let history = resolvedHistory(input.history);
  // FTP: the athlete's own; when there is none, an estimate from the data, said out loud.
  const profileFtp = [...history].reverse().find((p) => p.ftp !== null)?.ftp ?? null;
  let ftpSource: FactSheet['athlete']['ftpSource'] = profileFtp !== null ? 'profile' : 'none';
  let ftp = profileFtp;
  if (ftp === null) {
    const suggestion = suggestFtp(currentSeason, null).sort(
      (a, b) =>
        (a.method === 'critical-power' && a.confidence !== 'low' ? -1 : 1) -
        (b.method === 'critical-power' && b.confidence !== 'low' ? -1 : 1),
    )[0];
    if (suggestion) {
      ftp = suggestion.watts;
      ftpSource = 'estimated';
      history =
        history.length > 0
          ? history.map((p) => ({ ...p, ftp: p.ftp ?? suggestion.watts }))
          : [{ ...emptyVersion(from), ftp: suggestion.watts }];
      warnings.push({
        code: 'ftp-estimated',
        message: `No FTP was given: ${suggestion.watts} W is estimated from your rides (${suggestion.basis}). Tell the coach your FTP for exact TSS.`,
      });
    } else {
      // Strava's estimated power needs an FTP to become TSS: without one those rides count by duration.
      warnings.push({
        code: 'no-ftp',
        message: `No FTP was given and the rides hold too little power-meter data to estimate one: load comes from heart rate where there is some, else from ride time at an assumed IF ${DEFAULT_RIDE_INTENSITY_FACTOR} (${DURATION_TSS_PER_HOUR} TSS an hour), and Strava's estimated power cannot be used without an FTP. Tell the coach your FTP (e.g. "ftp 250").`,
      });
    }
  }

  // Max HR and LTHR: the athlete's own; when neither was given, estimated from the rides (flagged),
  // so that heart-rate zones and hrTSS exist for every ride with a heart-rate strap.
  const heartRateGiven = history.some((p) => p.maxHr !== null || p.lthr !== null);
  let heartRateSource: FactSheet['athlete']['heartRateSource'] = heartRateGiven ? 'profile' : 'none';
  if (!heartRateGiven) {
    const estimate = estimateHeartRateAnchors(sorted.filter((a) => day(a.startTime) <= to));
    if (estimate) {
      heartRateSource = 'estimated';
      history = (history.length > 0 ? history : [emptyVersion(from)]).map((p) => ({ ...p, maxHr: estimate.maxHr, lthr: estimate.lthr }));
      warnings.push({
        code: 'hr-estimated',
        message: `No max or threshold heart rate was given: ${heartRateEstimateText(estimate)} are estimated from your rides and set your heart-rate zones and the heart-rate load of rides without power. Tell me yours (e.g. "max hr 186", "lthr 168") for exact figures.`,
      });
    }
  }

  const allLoads = rideLoads(sorted, history);
  const periodLoads = allLoads.filter((l) => inWindow(l.activity, previousFrom, to));
  const comparison = comparePeriods(
    periodLoads.map((l) => ({ activity: l.activity, metrics: l.metrics })),
    { referenceDate: to, months: input.periodMonths },
  );

  const daily = dailyLoads(allLoads);
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

  const topRides = [...current]
    .sort((a, b) => (b.metrics.load ?? 0) - (a.metrics.load ?? 0))
    .slice(0, 5)
    .map(rideFact);

  const cyclingInPeriod = current.filter((l) => isCycling(l.activity.sport));
  const ridesWithPower = cyclingInPeriod.filter((l) => l.metrics.hasCyclingPower).length;
  const estimated = cyclingInPeriod.filter((l) => l.activity.power === 'estimated').length;
  if (estimated > 0) {
    const usedForLoad =
      ftp !== null
        ? 'sets their load (as an NP estimate) where they have no heart rate'
        : 'cannot set their load without an FTP: they count by duration where they have no heart rate';
    warnings.push({
      code: 'estimated-power',
      message: `${estimated} ride${estimated === 1 ? '' : 's'} had only Strava's estimated power: it is left out of the power analysis (bests, eFTP) and ${usedForLoad}.`,
    });
  }
  if (current.length === 0) warnings.push({ code: 'no-rides', message: `No activities between ${from} and ${to}.` });
  else if (ridesWithPower === 0)
    warnings.push({
      code: 'no-power',
      message:
        "No ride in the period has power-meter data: there are no power bests, and load comes from heart rate, Strava's estimated power or ride time.",
    });

  const hrEstimated = current.filter((l) => l.metrics.loadSource === 'heart-rate-estimated').length;
  const noLoad = current.filter((l) => l.metrics.load === null).length;
  const latestProfile = history[history.length - 1] ?? null;
  if (hrEstimated > 0) {
    // the values the metrics assumed, from the same function
    const basis = heartRateLoadBasis({
      ftp: null,
      lthr: latestProfile?.lthr ?? null,
      maxHr: latestProfile?.maxHr ?? null,
      restingHr: latestProfile?.restingHr ?? null,
    });
    const parts = [
      latestProfile?.lthr ? null : `an LTHR of ${basis?.lthr ?? '–'} bpm (90 % of your max HR)`,
      latestProfile?.restingHr ? null : `a resting HR of ${basis?.rest ?? '–'} bpm`,
    ].filter(Boolean);
    warnings.push({
      code: 'hr-load-estimated',
      message: `Load for ${hrEstimated} activit${hrEstimated === 1 ? 'y' : 'ies'} without power comes from heart rate with ${parts.join(' and ')} assumed: tell me yours (e.g. "lthr 165", "resting hr 48") for exact figures.`,
    });
  }
  if (noLoad > 0)
    warnings.push({
      code: 'no-load',
      message: `${noLoad} activit${noLoad === 1 ? 'y' : 'ies'} other than rides ${noLoad === 1 ? 'has' : 'have'} neither power nor heart rate to count as training load: fitness and fatigue leave ${noLoad === 1 ? 'it' : 'them'} out.`,
    });

  const loadSources = loadShares(current);
  if (loadSources && loadSources.estimatedPercent > 0) {
    const p = loadSources.percent;
    const parts = [
      p['heart-rate'] + p['heart-rate-estimated'] > 0 ? `${p['heart-rate'] + p['heart-rate-estimated']} % from heart rate` : null,
      p['estimated-power'] > 0 ? `${p['estimated-power']} % from Strava's estimated power (taken as NP)` : null,
      p.duration > 0
        ? `${p.duration} % from ride time at an assumed IF ${DEFAULT_RIDE_INTENSITY_FACTOR} (${DURATION_TSS_PER_HOUR} TSS an hour)`
        : null,
    ].filter(Boolean);
    warnings.push({
      code: 'load-estimated',
      message: `${loadSources.estimatedPercent} % of this load is estimated rather than measured with a power meter: ${parts.join(', ')}.`,
    });
  }
  const gap = latestRideDate !== null ? daysBetween(latestRideDate, today) : 0;
  if (latestRideDate !== null && gap >= STALE_DAYS) {
    warnings.push({
      code: 'stale-history',
      message: `Your latest ride was on ${longDate(latestRideDate)}, ${timeAgo(latestRideDate, today)}: the period is the ${input.periodMonths} months up to that day, and fitness has faded since (CTL ${(end?.ctl ?? 0).toFixed(1)} then, ${(carried?.ctl ?? 0).toFixed(1)} today). Send newer rides if you have them.`,
    });
  }

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
      heartRateSource,
      goals: latestProfile?.goals ?? null,
      eventDate: latestProfile?.eventDate ?? null,
      weeklyHours: latestProfile?.weeklyHours ?? null,
      trainingDays: latestProfile?.trainingDays ?? null,
      planWeeks: latestProfile?.planWeeks ?? null,
      ftpHistory: ftpChanges(input.history).map((c) => ({ from: day(c.from), ftp: c.ftp })),
    },
    period: { from, to, months: input.periodMonths, previousFrom, previousTo },
    comparison,
    fitness: end
      ? {
          date: end.date,
          ctl: round(end.ctl, 1)!,
          atl: round(end.atl, 1)!,
          tsb: round(end.tsb, 1)!,
          rampRate: round(end.rampRate, 1),
          ctl4WeeksAgo: round(at(addDays(to, -28)), 1),
          ctl12WeeksAgo: round(at(addDays(to, -84)), 1),
          peakCtl: round(peak?.ctl ?? end.ctl, 1)!,
          peakCtlDate: peak?.date ?? end.date,
        }
      : null,
    fitnessToday: carried
      ? { date: carried.date, ctl: round(carried.ctl, 1)!, atl: round(carried.atl, 1)!, tsb: round(carried.tsb, 1)! }
      : null,
    latestRide: latestRideDate !== null ? { date: latestRideDate, daysAgo: Math.max(0, gap) } : null,
    loadSources,
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
    load: round(l.metrics.load, 1),
    loadSource: l.metrics.loadSource,
  };
}

/** Days after the latest ride from which the history is called out as stale (the summary and the period say so). */
export const STALE_DAYS = 28;

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

function emptyVersion(from: string): ProfileVersion {
  return {
    validFrom: new Date(`${from}T00:00:00Z`),
    ftp: null,
    weightKg: null,
    maxHr: null,
    lthr: null,
    restingHr: null,
    age: null,
    sex: null,
    goals: null,
    eventDate: null,
    trainingDays: null,
    weeklyHours: null,
    planWeeks: null,
  };
}

/** The comparison durations, for tools and reports. */
export const BEST_DURATIONS = COMPARISON_DURATIONS_SECONDS;

/**
 * The fact sheet of a stored athlete: every ride as a summary, with the 1 Hz streams loaded for
 * the two compared periods only (zones and power curves need them). Null without any ride.
 */
export function loadFactSheet(athlete: AthleteStore, periodMonths: number, periodEnd?: string, today?: string): FactSheetDetail | null {
  const everything = athlete.activitiesBetween(new Date(0), new Date(8.64e15));
  if (everything.length === 0) return null;
  const end = periodEnd ?? latestRideDay(everything.map((s) => s.activity))!;
  const latest = new Date(`${end}T23:59:59.999Z`);
  const windowStart = new Date(latest.getTime() - (2 * periodMonths * 31 + 2) * 86_400_000);
  const withStreams = new Map(
    athlete.activitiesBetween(windowStart, new Date(latest.getTime() + 1), { streams: true }).map((s) => [s.activity.id, s.activity]),
  );
  const activities = everything.map((s) => withStreams.get(s.activity.id) ?? s.activity);
  return buildFactSheet({
    athleteName: athlete.info().displayName,
    activities,
    history: athlete.profileHistory(),
    periodMonths,
    ...(periodEnd ? { periodEnd } : {}),
    ...(today ? { today } : {}),
  });
}
