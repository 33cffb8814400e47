import { powerWithZeros, prefixSums } from './power-samples.js';

/** Length of NP's rolling average, seconds. */
export const NORMALIZED_POWER_WINDOW_SECONDS = 30;

/**
 * Normalized Power over samples [from, to) of a 1 Hz moving-time power stream.
 *
 * NP = ( mean over every full 30 s window of (30 s rolling mean power)^4 )^(1/4)
 *
 * Full windows only, as Garmin head units do (no partial windows at the start); NaN samples
 * count as 0 W (see power-samples.ts). Null when fewer than 30 samples.
 */
export function normalizedPower(power: ArrayLike<number>, from = 0, to = power.length): number | null {
  if (to - from < NORMALIZED_POWER_WINDOW_SECONDS) return null;
  return normalizedPowerFromPrefix(prefixSums(powerWithZeros(power, from, to)), 0, to - from);
}

/** NP of samples [from, to) given the stream's prefix sums (NaN already 0 W); shares one pass with other metrics. */
export function normalizedPowerFromPrefix(prefix: Float64Array, from: number, to: number): number | null {
  const w = NORMALIZED_POWER_WINDOW_SECONDS;
  const n = to - from;
  if (n < w) return null;
  const windows = n - w + 1;
  let sumFourth = 0;
  for (let i = from; i < from + windows; i++) {
    const avg = (prefix[i + w]! - prefix[i]!) / w;
    const sq = avg * avg;
    sumFourth += sq * sq;
  }
  // Two square roots are exact for perfect fourth powers (constant 250 W gives 250, not 249.99…).
  const np = Math.sqrt(Math.sqrt(sumFourth / windows));
  return Number.isFinite(np) ? np : null;
}
