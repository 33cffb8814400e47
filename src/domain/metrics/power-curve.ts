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

export interface TwoParameterFit {
  /** Critical power, W. */
  cp: number;
  /** W′, joules. */
  wPrime: number;
  /** r² of the model's power P(t) = CP + W′/t against the bests (power domain: the work-time r² is always ≈ 1). */
  r2: number;
  points: number;
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

function pointsInRange(curve: Readonly<PowerCurve>, min: number, max: number): Array<[number, number]> {
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
  const meanT = points.reduce((s, [t]) => s + t, 0) / n;
  const meanW = points.reduce((s, [t, p]) => s + t * p, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [t, p] of points) {
    sxy += (t - meanT) * (t * p - meanW);
    sxx += (t - meanT) ** 2;
  }
  if (sxx === 0) return null;
  const cp = sxy / sxx;
  const wPrime = meanW - cp * meanT;
  const r2 = rSquared(
    points.map(([, p]) => p),
    points.map(([t]) => cp + wPrime / t),
  );
  return { cp, wPrime, r2, points: n, shortestSeconds: points[0]?.[0] ?? 0, longestSeconds: points[n - 1]?.[0] ?? 0 };
}

/** Durations Morton's three-parameter model is fitted over, seconds. */
export const MORTON_FIT_MIN_SECONDS = 1;
export const MORTON_FIT_MAX_SECONDS = 1200;

export interface ThreeParameterFit {
  cp: number;
  /** W′, joules. */
  wPrime: number;
  /** Extrapolated instantaneous maximal power P(0), W. */
  pmax: number;
  /** r² in the power domain. */
  r2: number;
  /** Root-mean-square relative error of the fit, %. */
  rmsePercent: number;
  points: number;
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
  const r2 = rSquared(
    points.map(([, p]) => p),
    points.map(([t]) => cp + wPrime / (t + k)),
  );
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
  const xs = points.map(([t]) => Math.log(t));
  const ys = points.map(([, p]) => Math.log(p));
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * ((ys[i] ?? 0) - my);
    sxx += (x - mx) ** 2;
  });
  if (sxx === 0) return null;
  const b = sxy / sxx;
  if (!(b <= 0)) return null;
  const a = Math.exp(my - b * mx);
  const predicted = points.map(([t]) => a * t ** b);
  const rmse = Math.sqrt(points.reduce((s, [, p], i) => s + ((p - (predicted[i] ?? 0)) / p) ** 2, 0) / n) * 100;
  return {
    a,
    b,
    r2: rSquared(
      points.map(([, p]) => p),
      predicted,
    ),
    rmsePercent: rmse,
    points: n,
    shortestSeconds: points[0]?.[0] ?? 0,
    longestSeconds: points[n - 1]?.[0] ?? 0,
  };
}

export type ModelConfidence = 'high' | 'medium' | 'low' | 'none';

export interface CriticalPowerModel {
  /** The raw two-parameter fit (present even when confidence is 'none', for inspection). */
  twoParameter: TwoParameterFit | null;
  threeParameter: ThreeParameterFit | null;
  /**
   * The long-duration power law fitted to the bests from 20 min on (see fitLongDurationPowerLaw),
   * the model to read beyond 20 min; null with fewer than 2 such bests. Independent of `confidence`,
   * which is the two-parameter model's.
   */
  longDuration: PowerLawFit | null;
  /** eFTP = CP of the two-parameter fit (2–20 min bests); null when confidence is 'none'. */
  eftp: number | null;
  /**
   * Modelled 60-min power, W: the long-duration power law's, when its fitted bests span 1 h; null
   * otherwise. Never the two-parameter model's CP + W′/3600, which is outside its 2–20 min range
   * and overestimates what a rider holds for an hour.
   */
  power60Min: number | null;
  confidence: ModelConfidence;
  /** Why the confidence is what it is, one sentence for the athlete. */
  reason: string;
}

/** W′ outside this range (joules) means the bests are sub-maximal or not from one athlete's maximal efforts. */
export const PLAUSIBLE_W_PRIME_JOULES = { min: 5_000, max: 50_000 } as const;

/**
 * CP, W′ and eFTP from a power curve, with a confidence:
 * - none: fewer than 2 bests in 2–20 min, or the fit gives CP ≤ 0 or W′ ≤ 0 (short bests no harder than long ones);
 * - low: only 2 points, r² < 0.9, or W′ outside 5–50 kJ (e.g. < 5 kJ: the 2–5 min bests were not all-out);
 * - high: ≥ 4 points spanning ≤ 3 min to 20 min with r² ≥ 0.95;
 * - medium: otherwise (3 points, or the span is incomplete).
 * The two-parameter model holds over 2–20 min only; beyond 20 min read `longDuration` (the power
 * law fitted to the bests from 20 min on), which also gives `power60Min`.
 */
export function criticalPowerModel(curve: Readonly<PowerCurve>): CriticalPowerModel {
  const two = fitTwoParameterCp(curve);
  const three = fitMortonThreeParameter(curve);
  const long = fitLongDurationPowerLaw(curve);
  const power60Min = long && long.shortestSeconds <= 3600 && long.longestSeconds >= 3600 ? powerLawWatts(long, 3600) : null;
  const available = pointsInRange(curve, CP_FIT_MIN_SECONDS, CP_FIT_MAX_SECONDS).length;
  const result = (confidence: ModelConfidence, reason: string): CriticalPowerModel => {
    const usable = confidence !== 'none' && two !== null;
    return {
      twoParameter: two,
      threeParameter: three,
      longDuration: long,
      eftp: usable ? two.cp : null,
      power60Min,
      confidence,
      reason,
    };
  };
  if (two === null) {
    return result(
      'none',
      `Only ${available} maximal effort${available === 1 ? '' : 's'} between 2 and 20 min; at least 3 are needed to estimate critical power.`,
    );
  }
  if (!(two.cp > 0) || !(two.wPrime > 0)) {
    return result('none', 'The 2–20 min bests look sub-maximal: the shorter efforts are not harder than the longer ones (W′ ≤ 0).');
  }
  const kj = (two.wPrime / 1000).toFixed(1);
  if (two.points < 3) {
    return result(
      'low',
      `Only 2 maximal efforts between 2 and 20 min: the model passes through both exactly and cannot be checked; at least 3 are needed.`,
    );
  }
  if (two.wPrime < PLAUSIBLE_W_PRIME_JOULES.min) {
    return result(
      'low',
      `The 2–20 min bests look sub-maximal: W′ of ${kj} kJ is below 5 kJ, so the short efforts were probably not all-out.`,
    );
  }
  if (two.wPrime > PLAUSIBLE_W_PRIME_JOULES.max) {
    return result('low', `W′ of ${kj} kJ is implausibly high: the longer bests (towards 20 min) are probably sub-maximal.`);
  }
  if (two.r2 < 0.9) {
    return result(
      'low',
      `The 2–20 min bests do not follow a critical-power curve (r² = ${two.r2.toFixed(2)}): some are probably sub-maximal.`,
    );
  }
  if (two.points >= 4 && two.shortestSeconds <= 180 && two.longestSeconds >= 1200 && two.r2 >= 0.95) {
    return result(
      'high',
      `${two.points} maximal efforts from ${two.shortestSeconds / 60} to 20 min fit the model well (r² = ${two.r2.toFixed(2)}).`,
    );
  }
  return result(
    'medium',
    `${two.points} efforts between ${two.shortestSeconds / 60} and ${two.longestSeconds / 60} min (r² = ${two.r2.toFixed(2)}); a maximal effort of about 3 min and one of 20 min would firm this up.`,
  );
}
