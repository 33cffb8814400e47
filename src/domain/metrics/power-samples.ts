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

/**
 * Power on clock time: one value per second from the first sample's `elapsed` to the last one's,
 * each moving sample at its own second, 0 W wherever there is none (stops, pauses, gaps) and for
 * NaN / negative samples. A stream without gaps comes back as powerWithZeros(power).
 */
export function clockTimePower(power: ArrayLike<number>, elapsed: ArrayLike<number>): Float64Array {
  const n = Math.min(power.length, elapsed.length);
  if (n === 0) return new Float64Array(0);
  const first = Math.round(elapsed[0]!);
  const span = Math.round(elapsed[n - 1]!) - first + 1;
  if (!(span >= n)) return powerWithZeros(power, 0, n); // out-of-order elapsed: no clock to lay out on
  const out = new Float64Array(span);
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const p = power[i] ?? 0;
    // a non-increasing second (never written by the resampler) takes the next free one
    const slot = Math.max(previous + 1, Math.round(elapsed[i]!) - first);
    if (slot >= span) break;
    out[slot] = Number.isFinite(p) && p > 0 ? p : 0;
    previous = slot;
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
