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
 * Whole seconds on the clock of the first `n` samples, strictly increasing: a second at or before
 * the one before it (never written by the resampler) moves to the next free second.
 */
export function clockSeconds(elapsed: ArrayLike<number>, n = elapsed.length): Float64Array {
  const t = new Float64Array(Math.max(0, Math.min(n, elapsed.length)));
  for (let i = 0; i < t.length; i++) {
    const s = Math.round(elapsed[i] ?? 0);
    t[i] = i > 0 && !(s > t[i - 1]!) ? t[i - 1]! + 1 : s;
  }
  return t;
}

/** Stops longer than this are shortened to it when power is laid out on the clock: W′ has long refilled. */
export const CLOCK_MAX_GAP_SECONDS = 3600;

/**
 * Power on clock time: one value per second from the first sample's `elapsed` to the last one's,
 * each moving sample at its own second, 0 W wherever there is none (stops, pauses, gaps) and for
 * NaN / negative samples. A stop longer than `maxGapSeconds` is shortened to it, so that memory
 * stays bounded by the samples, not by how long the bike stood still. A stream without gaps comes
 * back as powerWithZeros(power).
 */
export function clockTimePower(power: ArrayLike<number>, elapsed: ArrayLike<number>, maxGapSeconds = CLOCK_MAX_GAP_SECONDS): Float64Array {
  const t = clockSeconds(elapsed, Math.min(power.length, elapsed.length));
  const n = t.length;
  if (n === 0) return new Float64Array(0);
  let length = 1;
  for (let i = 1; i < n; i++) length += Math.min(t[i]! - t[i - 1]!, maxGapSeconds + 1);
  const out = new Float64Array(length);
  let slot = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) slot += Math.min(t[i]! - t[i - 1]!, maxGapSeconds + 1);
    const p = power[i] ?? 0;
    out[slot] = Number.isFinite(p) && p > 0 ? p : 0;
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
