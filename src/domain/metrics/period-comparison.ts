import { isCycling, type Activity } from '../activity.js';
import type { ActivityMetrics } from './activity-metrics.js';
import { addDays, addMonths, dayNumber, utcDate } from '../calendar.js';
import { RunningMean } from '../running-mean.js';
import { COGGAN_POWER_ZONE_PERCENT, FRIEL_LTHR_ZONE_PERCENT } from './zones.js';

export interface PeriodActivity {
  activity: Activity;
  metrics: ActivityMetrics;
  /** Local calendar date 'YYYY-MM-DD'; defaults to the UTC date of activity.startTime. */
  date?: string;
}

/** Power-curve durations compared between periods, seconds: 5 s, 1, 5, 20 min. */
export const COMPARISON_DURATIONS_SECONDS: readonly number[] = Object.freeze([5, 60, 300, 1200]);

export interface Polarization {
  /** Which zones the split is by: power when the period holds power-zone time, else heart rate. */
  basis: 'power' | 'heart-rate';
  /** Fractions of zoned time (0–1): easy = Z1–Z2, moderate = Z3, hard = Z4 and above. */
  easy: number;
  moderate: number;
  hard: number;
}

export interface PeriodSummary {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  days: number;
  weeks: number;
  /** Rides only: a cycling coach's volume is riding; other sports are counted apart (otherSports). */
  activityCount: number;
  hours: number;
  /** Rides only: kilometres run or hiked are not kilometres ridden. */
  distanceKm: number;
  workKilojoules: number;
  /** Every sport other than cycling, most hours first: count and moving hours (their load is in totalLoad). */
  otherSports: { sport: string; count: number; hours: number }[];
  /** Rides only: cycling activities / (days / 7), over the whole period, not first-to-last ride. */
  ridesPerWeek: number;
  /** Σ load (each activity's best source, see LoadSource), every sport: what the body absorbed, as in CTL. */
  totalLoad: number;
  weeklyLoad: number;
  /** Rides only: unweighted mean of the rides' NP, W; null when none has one. */
  averageNormalizedPower: number | null;
  /** Rides only: best watts in the period at 5 s, 1, 5 and 20 min; null when no ride reached that duration. */
  powerCurve: Record<number, number | null>;
  /** Rides only: seconds in Coggan power zones Z1–Z7. */
  powerZoneSeconds: number[];
  /** Every sport: seconds in heart-rate zones Z1–Z5. */
  heartRateZoneSeconds: number[];
  polarization: Polarization | null;
}

export interface Change {
  current: number | null;
  previous: number | null;
  /** current − previous */
  difference: number | null;
  /** (current − previous) / previous × 100; null when either is missing or previous is 0. */
  percent: number | null;
}

export type ComparedFigure =
  'activityCount' | 'hours' | 'distanceKm' | 'workKilojoules' | 'ridesPerWeek' | 'totalLoad' | 'weeklyLoad' | 'averageNormalizedPower';

export interface PeriodComparison {
  months: number;
  current: PeriodSummary;
  previous: PeriodSummary;
  changes: Record<ComparedFigure, Change>;
  /** Keyed by seconds, as COMPARISON_DURATIONS_SECONDS. */
  powerCurveChanges: Record<number, Change>;
}

/** Percentage change that never divides by zero: null when the base is 0 or either side is missing. */
export function change(current: number | null, previous: number | null): Change {
  const both = current !== null && previous !== null && Number.isFinite(current) && Number.isFinite(previous);
  return {
    current,
    previous,
    difference: both ? current - previous : null,
    percent: both && previous !== 0 ? ((current - previous) / previous) * 100 : null,
  };
}

function sumAt(totals: number[], seconds: readonly number[] | undefined): void {
  if (!seconds) return;
  seconds.forEach((s, i) => {
    if (i < totals.length && Number.isFinite(s)) totals[i] = (totals[i] ?? 0) + s;
  });
}

/** easy = Z1–Z2, moderate = Z3, hard = the rest, from zone seconds (index 0 = Z1). Null without zoned time. */
function polarization(seconds: readonly number[], basis: Polarization['basis']): Polarization | null {
  const total = seconds.reduce((s, v) => s + v, 0);
  if (total <= 0) return null;
  const easy = (seconds[0] ?? 0) + (seconds[1] ?? 0);
  const moderate = seconds[2] ?? 0;
  return { basis, easy: easy / total, moderate: moderate / total, hard: (total - easy - moderate) / total };
}

function summarise(entries: readonly PeriodActivity[], from: string, to: string): PeriodSummary {
  const days = dayNumber(to) - dayNumber(from) + 1;
  const weeks = days / 7;
  let hours = 0;
  let distanceKm = 0;
  let work = 0;
  let load = 0;
  const normalizedPower = new RunningMean();
  const powerCurve: Record<number, number | null> = {};
  for (const d of COMPARISON_DURATIONS_SECONDS) powerCurve[d] = null;
  const powerZoneSeconds = COGGAN_POWER_ZONE_PERCENT.map(() => 0);
  const heartRateZoneSeconds = FRIEL_LTHR_ZONE_PERCENT.map(() => 0);

  let rides = 0;
  const others = new Map<string, { sport: string; count: number; hours: number }>();
  for (const { activity, metrics } of entries) {
    const activityHours = metrics.movingSeconds !== null && Number.isFinite(metrics.movingSeconds) ? metrics.movingSeconds / 3600 : 0;
    if (metrics.load !== null) load += metrics.load;
    sumAt(heartRateZoneSeconds, metrics.heartRateZones?.seconds);
    if (!isCycling(activity.sport)) {
      const other = others.get(activity.sport) ?? { sport: activity.sport, count: 0, hours: 0 };
      other.count += 1;
      other.hours += activityHours;
      others.set(activity.sport, other);
      continue;
    }
    rides++;
    hours += activityHours;
    if (metrics.workKilojoules !== null) work += metrics.workKilojoules;
    if (activity.distanceMeters !== null && Number.isFinite(activity.distanceMeters)) distanceKm += activity.distanceMeters / 1000;
    if (metrics.normalizedPower !== null) normalizedPower.add(metrics.normalizedPower);
    for (const d of COMPARISON_DURATIONS_SECONDS) {
      const watts = metrics.powerCurve[d];
      const best = powerCurve[d] ?? null;
      if (watts !== undefined && Number.isFinite(watts) && (best === null || watts > best)) powerCurve[d] = watts;
    }
    sumAt(powerZoneSeconds, metrics.powerZones?.seconds);
  }
  return {
    from,
    to,
    days,
    weeks,
    activityCount: rides,
    hours,
    distanceKm,
    workKilojoules: work,
    otherSports: [...others.values()].sort((a, b) => b.hours - a.hours || b.count - a.count || a.sport.localeCompare(b.sport)),
    ridesPerWeek: rides / weeks,
    totalLoad: load,
    weeklyLoad: load / weeks,
    averageNormalizedPower: normalizedPower.mean() ?? null,
    powerCurve,
    powerZoneSeconds,
    heartRateZoneSeconds,
    polarization: polarization(powerZoneSeconds, 'power') ?? polarization(heartRateZoneSeconds, 'heart-rate'),
  };
}

/**
 * The last `months` calendar months up to and including referenceDate, against the `months` before:
 * current = [ref + 1 day − N months, ref], previous = [ref + 1 day − 2N months, current start − 1 day]. Pass the activities
 * to compare (e.g. rides only) with their metrics; the reference date is the caller's "today".
 */
export function comparePeriods(
  activities: readonly PeriodActivity[],
  options: { referenceDate: string; months: number },
): PeriodComparison {
  const { referenceDate, months } = options;
  if (!Number.isInteger(months) || months <= 0) throw new RangeError(`months must be a positive integer, got ${months}.`);
  // Months are counted back from the day after the reference date, so a month-end reference
  // gives whole calendar months (2024-06-30, 3 months → 2024-04-01 … 2024-06-30).
  const dayAfter = addDays(referenceDate, 1);
  const currentTo = referenceDate;
  const currentFrom = addMonths(dayAfter, -months);
  const previousTo = addDays(currentFrom, -1);
  const previousFrom = addMonths(dayAfter, -2 * months);

  const inRange = (from: string, to: string): PeriodActivity[] => {
    const a = dayNumber(from);
    const b = dayNumber(to);
    return activities.filter((entry) => {
      const day = dayNumber(entry.date ?? utcDate(entry.activity.startTime));
      return day >= a && day <= b;
    });
  };
  const current = summarise(inRange(currentFrom, currentTo), currentFrom, currentTo);
  const previous = summarise(inRange(previousFrom, previousTo), previousFrom, previousTo);

  const figures: ComparedFigure[] = [
    'activityCount',
    'hours',
    'distanceKm',
    'workKilojoules',
    'ridesPerWeek',
    'totalLoad',
    'weeklyLoad',
    'averageNormalizedPower',
  ];
  const changes = Object.fromEntries(figures.map((f) => [f, change(current[f], previous[f])])) as Record<ComparedFigure, Change>;
  const powerCurveChanges: Record<number, Change> = {};
  for (const d of COMPARISON_DURATIONS_SECONDS)
    powerCurveChanges[d] = change(current.powerCurve[d] ?? null, previous.powerCurve[d] ?? null);
  return { months, current, previous, changes, powerCurveChanges };
}
