import { positiveOrNull, type AthleteContext } from './athlete-context.js';
import { readingMean } from './stream-readings.js';

/** Mean of the heart-rate samples that hold a reading (finite and > 0), over [from, to). Null when none. */
export function averageHeartRate(heartRate: ArrayLike<number>, from = 0, to = heartRate.length): number | null {
  return readingMean(heartRate, from, to);
}

/** Highest heart-rate reading, null when none. */
export function maxHeartRate(heartRate: ArrayLike<number>): number | null {
  let max = -Infinity;
  for (let i = 0; i < heartRate.length; i++) {
    const hr = heartRate[i] ?? NaN;
    if (Number.isFinite(hr) && hr > 0 && hr > max) max = hr;
  }
  return max > 0 ? max : null;
}

/** LTHR when the athlete gave only max HR: about 90 % of max for trained cyclists (Friel). */
export const LTHR_SHARE_OF_MAX_HR = 0.9;
/** Resting HR when the athlete gave none: a typical value for a trained adult. */
export const ASSUMED_RESTING_HR = 60;

/** The LTHR and resting HR hrTSS uses, and whether either had to be estimated. Null without LTHR or max HR. */
export function heartRateLoadBasis(athlete: AthleteContext): { lthr: number; rest: number; estimated: boolean } | null {
  const given = positiveOrNull(athlete.lthr);
  const max = positiveOrNull(athlete.maxHr);
  const lthr = given ?? (max !== null ? Math.round(max * LTHR_SHARE_OF_MAX_HR) : null);
  if (lthr === null) return null;
  const restGiven = positiveOrNull(athlete.restingHr);
  const rest = restGiven ?? ASSUMED_RESTING_HR;
  if (lthr <= rest) return null;
  return { lthr, rest, estimated: given === null || restGiven === null };
}

/**
 * Heart-rate TSS, the heart-rate-reserve form:
 * hrTSS = hours × ((avgHR − restHR) / (LTHR − restHR))² × 100  (an hour at LTHR = 100).
 * LTHR and resting HR from `heartRateLoadBasis` (estimated from max HR / assumed when not given);
 * null without LTHR or max HR. An average below resting HR gives 0.
 */
export function heartRateTss(avgHr: number | null, movingSeconds: number | null, athlete: AthleteContext): number | null {
  const hr = positiveOrNull(avgHr);
  const seconds = positiveOrNull(movingSeconds);
  const basis = heartRateLoadBasis(athlete);
  if (hr === null || seconds === null || basis === null) return null;
  const ratio = Math.max(0, (hr - basis.rest) / (basis.lthr - basis.rest));
  return (seconds / 3600) * ratio * ratio * 100;
}

/**
 * Banister's sex-specific weighting: TRIMP = Σ minutes × HRr × a·e^(b·HRr) with
 * (a, b) = (0.64, 1.92) for men and (0.86, 1.67) for women (Banister 1991); men's when unknown.
 */
export function trimpCoefficients(sex: AthleteContext['sex']): { a: number; b: number } {
  return sex === 'female' ? { a: 0.86, b: 1.67 } : { a: 0.64, b: 1.92 };
}

function heartRateReserveFraction(hr: number, rest: number, max: number): number {
  return Math.max(0, (hr - rest) / (max - rest));
}

/**
 * Banister TRIMP, integrated second by second over the 1 Hz moving stream:
 * TRIMP = Σ_i (1/60 min) × HRr_i × a·e^(b·HRr_i),  HRr = (HR − restHR) / (maxHR − restHR), floored at 0.
 * Samples without a reading add nothing. Needs resting and max HR; null otherwise or without any reading.
 */
export function banisterTrimp(heartRate: ArrayLike<number>, athlete: AthleteContext): number | null {
  const rest = positiveOrNull(athlete.restingHr);
  const max = positiveOrNull(athlete.maxHr);
  if (rest === null || max === null || max <= rest) return null;
  const { a, b } = trimpCoefficients(athlete.sex);
  let trimp = 0;
  let readings = 0;
  for (let i = 0; i < heartRate.length; i++) {
    const hr = heartRate[i] ?? NaN;
    if (!(Number.isFinite(hr) && hr > 0)) continue;
    const x = heartRateReserveFraction(hr, rest, max);
    trimp += (x * a * Math.exp(b * x)) / 60;
    readings++;
  }
  return readings > 0 ? trimp : null;
}

/**
 * Banister TRIMP from a summary (no stream): TRIMP = minutes × HRr × a·e^(b·HRr) with HRr from the average HR.
 * Lower than the integrated value for variable efforts (the exponential is convex).
 */
export function banisterTrimpFromAverage(avgHr: number | null, movingSeconds: number | null, athlete: AthleteContext): number | null {
  const hr = positiveOrNull(avgHr);
  const seconds = positiveOrNull(movingSeconds);
  const rest = positiveOrNull(athlete.restingHr);
  const max = positiveOrNull(athlete.maxHr);
  if (hr === null || seconds === null || rest === null || max === null || max <= rest) return null;
  const { a, b } = trimpCoefficients(athlete.sex);
  const x = heartRateReserveFraction(hr, rest, max);
  return (seconds / 60) * x * a * Math.exp(b * x);
}
