import { clockSeconds, powerWithZeros, prefixSums } from './power-samples.js';

/**
 * The durations (seconds) the power curve is reported at:
 * 1, 5, 10, 15, 30 s; 1, 2, 3, 5, 8, 10, 12, 20, 30, 45, 60, 90, 120, 150, 180, 210, 240, 270, 300 min.
 */
export const STANDARD_DURATIONS_SECONDS: readonly number[] = Object.freeze([
  1, 5, 10, 15, 30, 60, 120, 180, 300, 480, 600, 720, 1200, 1800, 2700, 3600, 5400, 7200, 9000, 10800, 12600, 14400, 16200, 18000,
]);

/** Power curve: best average watts keyed by duration in seconds. Durations longer than the ride are absent. */
export type PowerCurve = Record<number, number>;

function normaliseDurations(durations: readonly number[]): number[] {
  const set = new Set<number>();
  for (const d of durations) if (Number.isInteger(d) && d > 0) set.add(d);
  return [...set].sort((a, b) => a - b);
}

/**
 * Mean-maximal power, unrounded: MMP(d) = max over start i of (Σ p[i..i+d−1]) / d over a 1 Hz stream
 * (NaN = 0 W). Each duration is the exact best window of that length — no envelope is applied, so on
 * an odd stream a longer best can beat a shorter one (GoldenCheetah's RideFileCache does the same).
 * Prefix sums make each duration one O(n) pass: O(n·k).
 */
export function meanMaximalPowerExact(power: ArrayLike<number>, durations: readonly number[] = STANDARD_DURATIONS_SECONDS): PowerCurve {
  return meanMaximalPowerFromPrefix(prefixSums(powerWithZeros(power)), durations);
}

/**
 * Mean-maximal power on clock time, the GoldenCheetah convention (`RideFileCache::computeMeanMax`):
 * the moving samples are laid out at their seconds since the start (`elapsed`), and every second
 * without a sample — a timer stop, an auto-pause, a recording gap — counts as 0 W. A best window
 * therefore never joins the efforts on both sides of a stop: "best 20 min" is what the rider held
 * over 20 minutes of the clock. Unrounded; exact at every duration.
 *
 * Computed without laying the clock out in memory (a stop of days costs nothing): some best window
 * of length d starts at a sample's second (sliding a window right until its first second holds a
 * sample loses nothing), or ends at the last sample's second when no such window fits. Two
 * pointers over the samples and their prefix sums make each duration O(n).
 */
export function clockMeanMaximalPower(
  power: ArrayLike<number>,
  elapsed: ArrayLike<number>,
  durations: readonly number[] = STANDARD_DURATIONS_SECONDS,
): PowerCurve {
  const t = clockSeconds(elapsed, Math.min(power.length, elapsed.length));
  const n = t.length;
  const curve: PowerCurve = {};
  if (n === 0) return curve;
  const prefix = prefixSums(powerWithZeros(power, 0, n));
  const first = t[0]!;
  const last = t[n - 1]!;
  for (const d of normaliseDurations(durations)) {
    if (d > last - first + 1) break;
    let best = 0;
    let end = 0; // first sample at or after the window's end
    for (let i = 0; i < n && t[i]! + d - 1 <= last; i++) {
      while (end < n && t[end]! <= t[i]! + d - 1) end++;
      best = Math.max(best, prefix[end]! - prefix[i]!);
    }
    let start = n - 1; // the window that ends at the last sample
    while (start > 0 && t[start - 1]! >= last - d + 1) start--;
    best = Math.max(best, prefix[n]! - prefix[start]!);
    curve[d] = best / d;
  }
  return curve;
}

/** Largest sum of d consecutive samples: one O(n) pass over the prefix sums. */
function bestWindowSum(prefix: Float64Array, d: number): number {
  let best = -Infinity;
  for (let end = d; end < prefix.length; end++) {
    const sum = prefix[end]! - prefix[end - d]!;
    if (sum > best) best = sum;
  }
  return best;
}

/** meanMaximalPowerExact from the stream's prefix sums (NaN already 0 W). */
export function meanMaximalPowerFromPrefix(prefix: Float64Array, durations: readonly number[] = STANDARD_DURATIONS_SECONDS): PowerCurve {
  const n = prefix.length - 1;
  const curve: PowerCurve = {};
  for (const d of normaliseDurations(durations)) {
    if (d > n) break;
    // max(0, …) guards against −0 / rounding residue from the prefix-sum subtraction.
    curve[d] = Math.max(0, bestWindowSum(prefix, d) / d);
  }
  return curve;
}

/** Mean-maximal power rounded to 1 W (see meanMaximalPowerExact for the definition). */
export function meanMaximalPower(power: ArrayLike<number>, durations: readonly number[] = STANDARD_DURATIONS_SECONDS): PowerCurve {
  return roundPowerCurve(meanMaximalPowerExact(power, durations));
}

/** Watts rounded to 1 W. */
export function roundPowerCurve(curve: Readonly<PowerCurve>): PowerCurve {
  const rounded: PowerCurve = {};
  for (const [d, w] of Object.entries(curve)) rounded[Number(d)] = Math.round(w);
  return rounded;
}

/** The curve as [seconds, watts] pairs sorted by duration. */
export function powerCurveEntries(curve: Readonly<PowerCurve>): Array<[seconds: number, watts: number]> {
  return Object.entries(curve)
    .map(([d, w]): [number, number] => [Number(d), w])
    .filter(([d, w]) => Number.isFinite(d) && Number.isFinite(w))
    .sort((a, b) => a[0] - b[0]);
}
