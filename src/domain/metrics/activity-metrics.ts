import { isCycling, type Activity, type Streams } from '../activity.js';
import { roundHalfUp } from '../numbers.js';
import { finiteOrNull, positiveOrNull, type AthleteContext } from './athlete-context.js';
import {
  averageHeartRate,
  banisterTrimp,
  banisterTrimpFromAverage,
  heartRateLoadBasis,
  heartRateTss,
  maxHeartRate,
} from './heart-rate-load.js';
import { clockMeanMaximalPower, meanMaximalPowerFromPrefix, roundPowerCurve, type PowerCurve } from './mean-maximal-power.js';
import { normalizedPowerFromPrefix } from './normalized-power.js';
import { hasFiniteSample, powerWithZeros, prefixSums } from './power-samples.js';
import { readingMean } from './stream-readings.js';
import { heartRateZoneTimes, powerZoneTimes, type ZoneTimes } from './zones.js';

/**
 * Average power over the 1 Hz moving stream.
 * includeZeros (default): Σ p / n with NaN = 0 W (the head unit's "avg power incl. zeros", the VI denominator).
 * without zeros: Σ p / count(p > 0) — coasting and dropouts left out.
 */
export function averagePower(power: ArrayLike<number>, options: { includeZeros?: boolean } = {}): number | null {
  return readingMean(power, 0, power.length, options.includeZeros ?? true);
}

/** Highest 1 s power sample, null when there is none. */
export function maxPower(power: ArrayLike<number>): number | null {
  let max = -Infinity;
  for (let i = 0; i < power.length; i++) {
    const p = power[i] ?? NaN;
    if (Number.isFinite(p) && p > max) max = p;
  }
  return max === -Infinity ? null : Math.max(0, max);
}

/** Work, kJ = Σ p × 1 s / 1000 (NaN = 0 W). */
export function workKilojoules(power: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < power.length; i++) {
    const p = power[i] ?? NaN;
    if (Number.isFinite(p) && p > 0) sum += p;
  }
  return sum / 1000;
}

/** IF = NP / FTP. */
export function intensityFactor(np: number | null, ftp: number | null): number | null {
  const n = finiteOrNull(np);
  const f = positiveOrNull(ftp);
  return n === null || f === null ? null : n / f;
}

/** TSS = hours(moving) × IF² × 100 (≡ Coggan's s × NP × IF / (FTP × 3600) × 100). */
export function trainingStressScore(np: number | null, movingSeconds: number | null, ftp: number | null): number | null {
  const intensity = intensityFactor(np, ftp);
  const seconds = finiteOrNull(movingSeconds);
  if (intensity === null || seconds === null || seconds < 0) return null;
  return (seconds / 3600) * intensity * intensity * 100;
}

/** VI = NP / average power (zeros included). */
export function variabilityIndex(np: number | null, avgPower: number | null): number | null {
  const n = finiteOrNull(np);
  const avg = positiveOrNull(avgPower);
  return n === null || avg === null ? null : n / avg;
}

/** EF = NP / average HR (W/bpm). */
export function efficiencyFactor(np: number | null, avgHr: number | null): number | null {
  const n = finiteOrNull(np);
  const hr = positiveOrNull(avgHr);
  return n === null || hr === null ? null : n / hr;
}

/**
 * Aerobic decoupling Pw:HR, % = (EF₁ − EF₂) / EF₁ × 100 with EF = NP / avg HR of each half of the
 * moving stream (first ⌊n/2⌋ samples vs the rest; NP of each half from its own full 30 s windows).
 * Positive = heart rate drifted up relative to power. Null when a half lacks 30 s of power or any HR.
 */
export function aerobicDecoupling(power: ArrayLike<number>, heartRate: ArrayLike<number>): number | null {
  return decouplingFromPrefix(prefixSums(powerWithZeros(power)), heartRate);
}

function decouplingFromPrefix(prefix: Float64Array, heartRate: ArrayLike<number>): number | null {
  const n = Math.min(prefix.length - 1, heartRate.length);
  const half = Math.floor(n / 2);
  const ef1 = efficiencyFactor(normalizedPowerFromPrefix(prefix, 0, half), averageHeartRate(heartRate, 0, half));
  const ef2 = efficiencyFactor(normalizedPowerFromPrefix(prefix, half, n), averageHeartRate(heartRate, half, n));
  if (ef1 === null || ef2 === null || ef1 <= 0) return null;
  return ((ef1 - ef2) / ef1) * 100;
}

/**
 * True when the activity's power figures are cycling power from a meter: a cycling sport and
 * `power === 'measured'`. A run's power or Strava's estimated power never feeds power metrics.
 */
export function hasMeasuredCyclingPower(activity: Pick<Activity, 'sport' | 'power'>): boolean {
  return isCycling(activity.sport) && activity.power === 'measured';
}

/** The stream's cycling power when it counts (see hasMeasuredCyclingPower) and holds data, else null. */
export function cyclingPowerStream(activity: Pick<Activity, 'sport' | 'power' | 'streams'>): Streams['power'] {
  if (!hasMeasuredCyclingPower(activity)) return null;
  const power = activity.streams?.power ?? null;
  return hasFiniteSample(power) ? power : null;
}

/** Every per-activity number, in one object. Fields are null (never NaN/Infinity) when an input is missing. */
export interface ActivityMetrics {
  activityId: string;
  sport: string;
  /** `stream`: computed from the 1 Hz streams; `summary`: from the source's summary figures (Strava CSV rows). */
  source: 'stream' | 'summary';
  /** Power figures (avg, NP, work, zones, curve) come from measured cycling power. */
  hasCyclingPower: boolean;
  /** Moving time, s: the stream's sample count, or the summary's moving/timer time. */
  movingSeconds: number | null;
  avgPower: number | null;
  avgPowerNoZeros: number | null;
  normalizedPower: number | null;
  maxPower: number | null;
  workKilojoules: number | null;
  intensityFactor: number | null;
  tss: number | null;
  variabilityIndex: number | null;
  efficiencyFactor: number | null;
  aerobicDecouplingPercent: number | null;
  powerZones: ZoneTimes | null;
  /** Mean-maximal power on clock time (stops as 0 W) at the standard durations, watts rounded to 1 W; empty without stream power. */
  powerCurve: PowerCurve;
  avgHeartRate: number | null;
  maxHeartRate: number | null;
  heartRateZones: ZoneTimes | null;
  hrTss: number | null;
  trimp: number | null;
  /** Training load for the PMC, from the best source the activity has (see LoadSource). */
  load: number | null;
  loadSource: LoadSource | null;
}

/**
 * Where an activity's load comes from, best first (the first that applies wins):
 * - `power`: TSS from measured cycling power and the FTP;
 * - `heart-rate`: hrTSS (any sport); `heart-rate-estimated`: with an LTHR estimated from max HR or an assumed resting HR;
 * - `estimated-power`: rides only, Strava's estimated power (Weighted Average Power, else Average Watts) taken as NP, with the FTP;
 * - `duration`: rides only, moving time at an assumed IF of DEFAULT_RIDE_INTENSITY_FACTOR.
 * A run or hike without heart rate has no load.
 */
export type LoadSource = 'power' | 'heart-rate' | 'heart-rate-estimated' | 'estimated-power' | 'duration';

/** IF assumed for a ride with neither power, heart rate nor (with an FTP) Strava's power estimate: steady endurance riding. */
export const DEFAULT_RIDE_INTENSITY_FACTOR = 0.65;
/** TSS an hour at DEFAULT_RIDE_INTENSITY_FACTOR: 100 × 0.65² = 42.25. */
export const DURATION_TSS_PER_HOUR = roundHalfUp(100 * DEFAULT_RIDE_INTENSITY_FACTOR ** 2, 2);

/**
 * TSS of a ride from Strava's estimated power: TSS = hours × (P / FTP)² × 100 with P = Weighted
 * Average Power, else Average Watts (an NP estimate, low for variable rides). Null when the
 * activity is not a ride with estimated power, or the FTP or the time is unknown.
 */
export function estimatedPowerTss(
  activity: Pick<Activity, 'sport' | 'power' | 'normalizedPower' | 'avgPower'>,
  movingSeconds: number | null,
  ftp: number | null,
): number | null {
  if (!isCycling(activity.sport) || activity.power !== 'estimated') return null;
  return trainingStressScore(
    positiveOrNull(activity.normalizedPower) ?? positiveOrNull(activity.avgPower),
    positiveOrNull(movingSeconds),
    ftp,
  );
}

/** TSS of a ride from its moving time alone: hours × DURATION_TSS_PER_HOUR. Null for other sports or without a time. */
export function durationTss(activity: Pick<Activity, 'sport'>, movingSeconds: number | null): number | null {
  const seconds = positiveOrNull(movingSeconds);
  return isCycling(activity.sport) && seconds !== null ? (seconds / 3600) * DURATION_TSS_PER_HOUR : null;
}

/** The load ladder (see LoadSource): the first source that gives a value. */
function loadFrom(
  activity: Activity,
  movingSeconds: number | null,
  tss: number | null,
  hrTss: number | null,
  athlete: AthleteContext,
): { load: number | null; loadSource: LoadSource | null } {
  if (tss !== null) return { load: tss, loadSource: 'power' };
  if (hrTss !== null) return { load: hrTss, loadSource: heartRateLoadBasis(athlete)!.estimated ? 'heart-rate-estimated' : 'heart-rate' };
  const estimated = estimatedPowerTss(activity, movingSeconds, athlete.ftp);
  if (estimated !== null) return { load: estimated, loadSource: 'estimated-power' };
  const byDuration = durationTss(activity, movingSeconds);
  return byDuration !== null ? { load: byDuration, loadSource: 'duration' } : { load: null, loadSource: null };
}

interface PowerFigures {
  avgPower: number | null;
  avgPowerNoZeros: number | null;
  normalizedPower: number | null;
  maxPower: number | null;
  workKilojoules: number | null;
  powerZones: ZoneTimes | null;
  powerCurve: PowerCurve;
  aerobicDecouplingPercent: number | null;
  seconds: number | null;
}

const NO_POWER: PowerFigures = {
  avgPower: null,
  avgPowerNoZeros: null,
  normalizedPower: null,
  maxPower: null,
  workKilojoules: null,
  powerZones: null,
  powerCurve: {},
  aerobicDecouplingPercent: null,
  seconds: null,
};

/** True when the moving stream has no stops or gaps: its samples are consecutive clock seconds. */
function isContinuous(elapsed: ArrayLike<number>): boolean {
  const n = elapsed.length;
  return n === 0 || Math.round(elapsed[n - 1]!) - Math.round(elapsed[0]!) === n - 1;
}

function streamPowerFigures(
  power: ArrayLike<number>,
  elapsed: ArrayLike<number>,
  heartRate: ArrayLike<number> | null,
  ftp: number | null,
): PowerFigures {
  // One cleaned copy and one prefix-sum pass feed NP, decoupling, average and work (moving time);
  // the power curve runs on clock time, stops as 0 W, reusing the same sums when there are no stops.
  const prefix = prefixSums(powerWithZeros(power));
  const n = power.length;
  const total = prefix[n] ?? 0;
  const curve = isContinuous(elapsed) ? meanMaximalPowerFromPrefix(prefix) : clockMeanMaximalPower(power, elapsed);
  return {
    avgPower: n > 0 ? total / n : null,
    avgPowerNoZeros: averagePower(power, { includeZeros: false }),
    normalizedPower: normalizedPowerFromPrefix(prefix, 0, n),
    maxPower: maxPower(power),
    workKilojoules: total / 1000,
    powerZones: powerZoneTimes(power, ftp),
    powerCurve: roundPowerCurve(curve),
    aerobicDecouplingPercent: heartRate ? decouplingFromPrefix(prefix, heartRate) : null,
    seconds: n,
  };
}

/** Summary-only figures: Strava's Weighted Average Power stands in for NP; work from kJ or avg × time. */
function summaryPowerFigures(activity: Activity, seconds: number | null): PowerFigures {
  const avg = finiteOrNull(activity.avgPower);
  const stated = finiteOrNull(activity.workKilojoules);
  return {
    ...NO_POWER,
    avgPower: avg,
    normalizedPower: positiveOrNull(activity.normalizedPower),
    maxPower: finiteOrNull(activity.maxPower),
    workKilojoules: stated ?? (avg !== null && seconds !== null ? (avg * seconds) / 1000 : null),
    seconds,
  };
}

/**
 * All per-activity metrics. With streams everything is computed from the 1 Hz moving streams
 * (`source: 'stream'`); without (Strava CSV rows) the summary's normalizedPower, avgPower and
 * timer/moving time are used (`source: 'summary'`). Power figures only for measured cycling power.
 */
export function computeActivityMetrics(activity: Activity, athlete: AthleteContext): ActivityMetrics {
  const streams = activity.streams;
  const summarySeconds = positiveOrNull(activity.movingSeconds) ?? positiveOrNull(activity.timerSeconds);
  const movingSeconds = streams && streams.elapsed.length > 0 ? streams.elapsed.length : summarySeconds;

  const hrStream = hasFiniteSample(streams?.heartRate) ? (streams?.heartRate ?? null) : null;
  const powerStream = cyclingPowerStream(activity);

  // Stream power when it holds data; else the summary's figures (CSV rows, or a FIT whose power stream is all gaps).
  let power = NO_POWER;
  if (powerStream) power = streamPowerFigures(powerStream, streams!.elapsed, hrStream, athlete.ftp);
  else if (hasMeasuredCyclingPower(activity)) power = summaryPowerFigures(activity, movingSeconds);

  const avgHr = (hrStream ? averageHeartRate(hrStream) : null) ?? positiveOrNull(activity.avgHeartRate);
  const maxHr = (hrStream ? maxHeartRate(hrStream) : null) ?? positiveOrNull(activity.maxHeartRate);

  const np = power.normalizedPower;
  const tss = trainingStressScore(np, power.seconds, athlete.ftp);
  const hrTss = heartRateTss(avgHr, movingSeconds, athlete);
  const trimp = hrStream ? banisterTrimp(hrStream, athlete) : banisterTrimpFromAverage(avgHr, movingSeconds, athlete);

  return {
    activityId: activity.id,
    sport: activity.sport,
    source: streams ? 'stream' : 'summary',
    hasCyclingPower: power.avgPower !== null || np !== null,
    movingSeconds,
    avgPower: power.avgPower,
    avgPowerNoZeros: power.avgPowerNoZeros,
    normalizedPower: np,
    maxPower: power.maxPower,
    workKilojoules: power.workKilojoules,
    intensityFactor: intensityFactor(np, athlete.ftp),
    tss,
    variabilityIndex: variabilityIndex(np, power.avgPower),
    efficiencyFactor: efficiencyFactor(np, avgHr),
    aerobicDecouplingPercent: power.aerobicDecouplingPercent,
    powerZones: power.powerZones,
    powerCurve: power.powerCurve,
    avgHeartRate: avgHr,
    maxHeartRate: maxHr,
    heartRateZones: hrStream ? heartRateZoneTimes(hrStream, athlete) : null,
    hrTss,
    trimp,
    ...loadFrom(activity, movingSeconds, tss, hrTss, athlete),
  };
}
