/**
 * Power stream conventions shared by every power metric.
 *
 * Missing (NaN) and negative samples count as 0 W: that is what a head unit records for coasting
 * and for short sensor dropouts, and it keeps NP, average power, work, zones and the power curve
 * consistent with each other (VI = NP / average uses the same samples on both sides).
 */

/** Copy of the stream with NaN / non-finite / negative samples replaced by 0 W. */
export function powerWithZeros(power: ArrayLike<number>, from = 0, to = power.length): Float64Array {
  const out = new Float64Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    const p = power[i] ?? 0;
    out[i - from] = Number.isFinite(p) && p > 0 ? p : 0;
  }
  return out;
}

/** prefix[i] = sum of the first i values; window sums are prefix[end] − prefix[start]. */
export function prefixSums(values: ArrayLike<number>): Float64Array {
  const prefix = new Float64Array(values.length + 1);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] ?? 0;
    prefix[i + 1] = sum;
  }
  return prefix;
}

/** True when the stream holds at least one real (finite) sample: an all-NaN stream is no power data. */
export function hasFiniteSample(values: ArrayLike<number> | null | undefined): values is ArrayLike<number> {
  if (!values) return false;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i] ?? NaN)) return true;
  }
  return false;
}
