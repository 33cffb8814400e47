/**
 * Which power-duration model to trust and how much: the two-parameter critical power fit, with a
 * confidence and a reason for the athlete, beside the three-parameter and long-duration fits
 * (power-curve.ts fits them).
 */
import type { PowerCurve } from './mean-maximal-power.js';
import {
  CP_FIT_MAX_SECONDS,
  CP_FIT_MIN_SECONDS,
  fitLongDurationPowerLaw,
  fitMortonThreeParameter,
  fitTwoParameterCp,
  pointsInRange,
  powerLawWatts,
  type PowerLawFit,
  type ThreeParameterFit,
  type TwoParameterFit,
} from './power-curve.js';

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
  const long = fitLongDurationPowerLaw(curve);
  const { confidence, reason } = modelConfidence(two, pointsInRange(curve, CP_FIT_MIN_SECONDS, CP_FIT_MAX_SECONDS).length);
  return {
    twoParameter: two,
    threeParameter: fitMortonThreeParameter(curve),
    longDuration: long,
    eftp: confidence !== 'none' && two !== null ? two.cp : null,
    power60Min: long && long.shortestSeconds <= 3600 && long.longestSeconds >= 3600 ? powerLawWatts(long, 3600) : null,
    confidence,
    reason,
  };
}

type Verdict = Pick<CriticalPowerModel, 'confidence' | 'reason'>;

/** The two-parameter model's confidence and why (see criticalPowerModel); `available`: bests in 2–20 min. */
function modelConfidence(two: TwoParameterFit | null, available: number): Verdict {
  const result = (confidence: ModelConfidence, reason: string): Verdict => ({ confidence, reason });
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
