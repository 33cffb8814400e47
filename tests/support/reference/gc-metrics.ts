/**
 * Reference power metrics, written from GoldenCheetah's definitions (src/Metrics/Coggan.cpp and
 * RideFileCache::computeMeanMax). Independent of src/: it shares no code with the product.
 */
import type { Sample } from './gc-import.js';

/** Coggan's rolling window, in samples (GoldenCheetah: `30 / recIntSecs`, 1-s recording). */
export const NP_WINDOW = 30;

/**
 * Normalized Power as GoldenCheetah computes it: iterate over the imported samples (pauses have
 * none, so they are simply skipped), keep a 30-sample ring buffer that starts filled with zeros
 * and is NEVER reset (not at the start, not at a pause), average the 4th power of the rolling
 * mean over EVERY sample (the first 29 included, ramping up from zero), take the 4th root.
 */
export function normalizedPower(samples: readonly Sample[]): number | null {
  if (samples.length === 0) return null;
  const ring = new Float64Array(NP_WINDOW);
  let index = 0;
  let sum = 0;
  let total = 0;
  for (const sample of samples) {
    sum += sample.watts - ring[index]!;
    ring[index] = sample.watts;
    total += (sum / NP_WINDOW) ** 4;
    index = (index + 1) % NP_WINDOW;
  }
  return (total / samples.length) ** 0.25;
}

/**
 * TSS = (seconds × NP × IF) / (FTP × 3600) × 100 with IF = NP / FTP, where seconds is the
 * number of 1-s samples as imported (GoldenCheetah's `np->count()`: moving time as imported,
 * interpolated seconds included, pauses of 25 s or more excluded).
 */
export function trainingStressScore(samples: readonly Sample[], ftp: number): number | null {
  const np = normalizedPower(samples);
  if (np === null || !(ftp > 0)) return null;
  const seconds = samples.length;
  const intensity = np / ftp;
  return ((seconds * np * intensity) / (ftp * 3600)) * 100;
}

/**
 * The 1-s CLOCK series from the first sample to the last, as RideFileCache::computeMeanMax
 * discretises it: one value per second of elapsed time, seconds without a sample (pauses) are 0 W.
 */
export function clockSeries(samples: readonly Sample[]): Float64Array {
  if (samples.length === 0) return new Float64Array(0);
  const first = samples[0]!.secs;
  const last = samples[samples.length - 1]!.secs;
  const series = new Float64Array(last - first + 1);
  for (const sample of samples) series[sample.secs - first] = sample.watts;
  return series;
}

/**
 * Exact best average over any window of `duration` consecutive seconds of `series`, by prefix
 * sums (O(n) per duration). Null when the series is shorter than the duration.
 */
export function bestAverage(series: ArrayLike<number>, duration: number): number | null {
  if (!Number.isInteger(duration) || duration < 1 || series.length < duration) return null;
  const prefix = new Float64Array(series.length + 1);
  for (let i = 0; i < series.length; i++) prefix[i + 1] = prefix[i]! + series[i]!;
  let best = -Infinity;
  for (let end = duration; end <= series.length; end++) {
    const sum = prefix[end]! - prefix[end - duration]!;
    if (sum > best) best = sum;
  }
  return best / duration;
}

/** Mean-maximal power at the given durations over the clock series (GoldenCheetah style). */
export function meanMaxPower(samples: readonly Sample[], durations: readonly number[]): Record<number, number | null> {
  const series = clockSeries(samples);
  return Object.fromEntries(durations.map((d) => [d, bestAverage(series, d)]));
}
