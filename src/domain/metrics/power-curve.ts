/**
 * Power curves over many rides: the season's best at each duration, and the power-duration models
 * fitted to a curve (two- and three-parameter critical power, the long-duration power law).
 * critical-power-model.ts says which to trust.
 */
import { dayNumber } from '../calendar.js';
import { powerCurveEntries, type PowerCurve } from './mean-maximal-power.js';

/** One activity's power curve with where it came from. */
export interface ActivityPowerCurve {
  activityId: string;
  /** 'YYYY-MM-DD' */
  date: string;
  curve: Readonly<PowerCurve>;
}

export interface SeasonBest {
  watts: number;
  activityId: string;
  date: string;
}

/** Best watts per duration (seconds) over many activities, with the activity and date of each best. */
export type SeasonPowerCurve = Record<number, SeasonBest>;

/**
 * Season power curve: for each duration, the best of the activities' bests whose date lies in
 * [from, to] (inclusive; either end optional). Ties go to the most recent activity. Each input curve
 * is non-increasing, so the best of bests is too.
 */
export function seasonPowerCurve(curves: readonly ActivityPowerCurve[], window: { from?: string; to?: string } = {}): SeasonPowerCurve {
  const from = window.from === undefined ? -Infinity : dayNumber(window.from);
  const to = window.to === undefined ? Infinity : dayNumber(window.to);
  const season: SeasonPowerCurve = {};
  for (const { activityId, date, curve } of curves) {
    const day = dayNumber(date);
    if (day < from || day > to) continue;
    for (const [seconds, watts] of powerCurveEntries(curve)) {
      const current = season[seconds];
      if (!current || watts > current.watts || (watts === current.watts && day > dayNumber(current.date))) {
        season[seconds] = { watts, activityId, date };
      }
    }
  }
  return season;
}

/** The season curve's watts only, as a plain power curve. */
export function seasonCurveWatts(season: Readonly<SeasonPowerCurve>): PowerCurve {
  const curve: PowerCurve = {};
  for (const [seconds, best] of Object.entries(season)) curve[Number(seconds)] = best.watts;
  return curve;
}

/** Durations the two-parameter CP model is fitted over, seconds (2–20 min). */
export const CP_FIT_MIN_SECONDS = 120;
export const CP_FIT_MAX_SECONDS = 1200;

/** What every critical-power fit gives. */
interface CriticalPowerFit {
  /** Critical power, W. */
  cp: number;
  /** W′, joules. */
  wPrime: number;
  /** r² of the model's power against the bests (power domain). */
  r2: number;
  points: number;
}

export interface TwoParameterFit extends CriticalPowerFit {
  /** r² of the model's power P(t) = CP + W′/t against the bests (power domain: the work-time r² is always ≈ 1). */
  r2: number;
  shortestSeconds: number;
  longestSeconds: number;
}

function rSquared(observed: readonly number[], predicted: readonly number[]): number {
  const mean = observed.reduce((s, v) => s + v, 0) / observed.length;
  let ssRes = 0;
  let ssTot = 0;
  observed.forEach((y, i) => {
    ssRes += (y - (predicted[i] ?? 0)) ** 2;
    ssTot += (y - mean) ** 2;
  });
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/** r² of a model's watts against the bests it was fitted to. */
function powerR2(points: ReadonlyArray<[number, number]>, model: (seconds: number) => number): number {
  return rSquared(
    points.map(([, p]) => p),
    points.map(([t]) => model(t)),
  );
}

/** The least-squares line y = slope · x + intercept; null when every x is the same. */
function leastSquaresLine(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } | null {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * ((ys[i] ?? 0) - my);
    sxx += (x - mx) ** 2;
  });
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

export function pointsInRange(curve: Readonly<PowerCurve>, min: number, max: number): Array<[number, number]> {
  return powerCurveEntries(curve).filter(([t, p]) => t >= min && t <= max && p > 0);
}

/**
 * Two-parameter critical power: least-squares line work = CP·t + W′ (work = P·t) through the bests
 * with t in [120, 1200] s, using whichever of those durations are present. Null with fewer than 2 points.
 */
export function fitTwoParameterCp(curve: Readonly<PowerCurve>): TwoParameterFit | null {
  const points = pointsInRange(curve, CP_FIT_MIN_SECONDS, CP_FIT_MAX_SECONDS);
  if (points.length < 2) return null;
  const n = points.length;
  const line = leastSquaresLine(
    points.map(([t]) => t),
    points.map(([t, p]) => t * p),
  );
  if (!line) return null;
  const { slope: cp, intercept: wPrime } = line;
  const r2 = powerR2(points, (t) => cp + wPrime / t);
  return { cp, wPrime, r2, points: n, shortestSeconds: points[0]?.[0] ?? 0, longestSeconds: points[n - 1]?.[0] ?? 0 };
}

/** Durations Morton's three-parameter model is fitted over, seconds. */
export const MORTON_FIT_MIN_SECONDS = 1;
export const MORTON_FIT_MAX_SECONDS = 1200;

export interface ThreeParameterFit extends CriticalPowerFit {
  /** Extrapolated instantaneous maximal power P(0), W. */
  pmax: number;
  /** Root-mean-square relative error of the fit, %. */
  rmsePercent: number;
}

/** For a fixed k the model P = CP + W′/(t + k) is linear in (CP, W′): weighted least squares with weights 1/P². */
function mortonLinearFit(points: ReadonlyArray<[number, number]>, k: number): { cp: number; wPrime: number; error: number } | null {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (const [t, p] of points) {
    const w = 1 / (p * p);
    sw += w;
    sx += w / (t + k);
    sy += w * p;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxy = 0;
  let sxx = 0;
  for (const [t, p] of points) {
    const w = 1 / (p * p);
    const x = 1 / (t + k) - mx;
    sxy += w * x * (p - my);
    sxx += w * x * x;
  }
  if (sxx === 0) return null;
  const wPrime = sxy / sxx;
  const cp = my - wPrime * mx;
  if (!(cp > 0 && wPrime > 0)) return null;
  let error = 0;
  for (const [t, p] of points) error += ((p - cp - wPrime / (t + k)) / p) ** 2;
  return { cp, wPrime, error };
}

/**
 * Morton's three-parameter critical power model: P(t) = CP + W′ / (t + W′/(Pmax − CP)), fitted to
 * the bests in [1, 1200] s. Fit: variable projection — for each k = W′/(Pmax − CP) the model is linear
 * in CP and W′ and is solved by weighted least squares on relative residuals (P − P̂)/P; k is searched
 * on a log grid over 0.1–3000 s, then refined by golden-section search. Needs ≥ 4 points, at least one
 * under 2 min and two in 2–20 min; null otherwise or when no k gives positive CP and W′.
 */
export function fitMortonThreeParameter(curve: Readonly<PowerCurve>): ThreeParameterFit | null {
  const points = pointsInRange(curve, MORTON_FIT_MIN_SECONDS, MORTON_FIT_MAX_SECONDS);
  const short = points.filter(([t]) => t < CP_FIT_MIN_SECONDS).length;
  if (points.length < 4 || short < 1 || points.length - short < 2) return null;

  const logMin = Math.log(0.1);
  const logMax = Math.log(3000);
  const steps = 200;
  const errorAt = (logK: number): number => mortonLinearFit(points, Math.exp(logK))?.error ?? Infinity;
  let bestIndex = -1;
  let bestError = Infinity;
  for (let i = 0; i <= steps; i++) {
    const e = errorAt(logMin + ((logMax - logMin) * i) / steps);
    if (e < bestError) {
      bestError = e;
      bestIndex = i;
    }
  }
  if (bestIndex < 0) return null;
  let lo = logMin + ((logMax - logMin) * Math.max(0, bestIndex - 1)) / steps;
  let hi = logMin + ((logMax - logMin) * Math.min(steps, bestIndex + 1)) / steps;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let iteration = 0; iteration < 80; iteration++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (errorAt(a) <= errorAt(b)) hi = b;
    else lo = a;
  }
  const k = Math.exp((lo + hi) / 2);
  const fit = mortonLinearFit(points, k);
  if (!fit) return null;
  const { cp, wPrime, error } = fit;
  const r2 = powerR2(points, (t) => cp + wPrime / (t + k));
  return { cp, wPrime, pmax: cp + wPrime / k, r2, rmsePercent: Math.sqrt(error / points.length) * 100, points: points.length };
}

/**
 * The long-duration model is fitted to the bests from 20 min on. The two-parameter model only holds
 * over the 2–20 min it is fitted to: beyond, P = CP + W′/t flattens towards CP, which no one holds
 * for an hour or more, so it overestimates long efforts (by 15–20 % at 1 h for a typical rider).
 */
export const LONG_FIT_MIN_SECONDS = 1200;

export interface PowerLawFit {
  /** P(t) = a · t^b with t in seconds: a is the power at t = 1 s of the fitted line, W. */
  a: number;
  /** Exponent, ≤ 0 (typically −0.05 to −0.15 from 20 min to 5 h). */
  b: number;
  /** r² in the power domain (1 with only 2 points: the line passes through both). */
  r2: number;
  /** Root-mean-square relative error of the fit, %. */
  rmsePercent: number;
  points: number;
  /** The durations fitted, s: the model is only evaluated between these two. */
  shortestSeconds: number;
  longestSeconds: number;
}

/** Watts of a power-law fit at `seconds`. */
export function powerLawWatts(fit: Pick<PowerLawFit, 'a' | 'b'>, seconds: number): number {
  return fit.a * seconds ** fit.b;
}

/**
 * Long-duration model: the power law P(t) = a · t^b (a straight line on log–log axes, the shape of
 * the power-duration curve beyond the anaerobic range; Riegel's endurance law) fitted by least
 * squares of log P on log t to the bests from 20 min on. Needs at least 2 such bests at different
 * durations; null otherwise, or when the fit is not non-increasing (b > 0). Only meaningful between
 * the shortest and longest duration fitted: it is not extrapolated.
 */
export function fitLongDurationPowerLaw(curve: Readonly<PowerCurve>): PowerLawFit | null {
  const points = pointsInRange(curve, LONG_FIT_MIN_SECONDS, Infinity);
  if (points.length < 2) return null;
  const n = points.length;
  const line = leastSquaresLine(
    points.map(([t]) => Math.log(t)),
    points.map(([, p]) => Math.log(p)),
  );
  if (!line) return null;
  const b = line.slope;
  if (!(b <= 0)) return null;
  const a = Math.exp(line.intercept);
  const predicted = points.map(([t]) => a * t ** b);
  const rmse = Math.sqrt(points.reduce((s, [, p], i) => s + ((p - (predicted[i] ?? 0)) / p) ** 2, 0) / n) * 100;
  return {
    a,
    b,
    r2: powerR2(points, (t) => a * t ** b),
    rmsePercent: rmse,
    points: n,
    shortestSeconds: points[0]?.[0] ?? 0,
    longestSeconds: points[n - 1]?.[0] ?? 0,
  };
}
