/** Averages over a 1 Hz stream (power or heart rate) where a reading is a finite sample above 0. */

/**
 * Mean of the readings over [from, to). With `countGaps`, samples without a reading (NaN, 0,
 * negative) count in the denominator as 0; without, they are left out. Null when nothing is counted.
 */
export function readingMean(samples: ArrayLike<number>, from = 0, to = samples.length, countGaps = false): number | null {
  let sum = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const v = samples[i] ?? NaN;
    if (Number.isFinite(v) && v > 0) {
      sum += v;
      count++;
    } else if (countGaps) {
      count++;
    }
  }
  return count > 0 ? sum / count : null;
}
