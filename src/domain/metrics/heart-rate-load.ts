import { positiveOrNull, type AthleteContext } from './athlete-context.js';

/** Mean of the heart-rate samples that hold a reading (finite and > 0), over [from, to). Null when none. */
export function averageHeartRate(heartRate: ArrayLike<number>, from = 0, to = heartRate.length): number | null {
  let sum = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const hr = heartRate[i] ?? NaN;
    if (Number.isFinite(hr) && hr > 0) {
      sum += hr;
      count++;
    }
  }
  return count > 0 ? sum / count : null;
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

/**
 * Heart-rate TSS, the heart-rate-reserve form:
 * hrTSS = hours × ((avgHR − restHR) / (LTHR − restHR))² × 100  (an hour at LTHR = 100).
 * Needs LTHR and resting HR (null otherwise); an average below resting HR gives 0.
 */
export function heartRateTss(avgHr: number | null, movingSeconds: number | null, athlete: AthleteContext): number | null {
  const hr = positiveOrNull(avgHr);
  const seconds = positiveOrNull(movingSeconds);
  const lthr = positiveOrNull(athlete.lthr);
  const rest = positiveOrNull(athlete.restingHr);
  if (hr === null || seconds === null || lthr === null || rest === null || lthr <= rest) return null;
  const ratio = Math.max(0, (hr - rest) / (lthr - rest));
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
