/**
 * Turns irregular device samples into one sample per second of moving time.
 *
 * The rule, in order:
 * 1. Samples are sorted by timestamp (stable); out-of-order samples are counted.
 * 2. Only samples inside running timer intervals are kept (timer start → stop/stop_all); when a
 *    device stamps samples at both ends of an interval, the one at the start is left out, so N
 *    running seconds give N samples. With no timer events the whole recording counts.
 * 3. A duplicate timestamp moves into the next second when that second is empty (devices that
 *    round timestamps write `10, 11, 11, 13`); otherwise it is merged (the first sample wins).
 * 4. A gap of up to MAX_FILL_SECONDS inside one running interval (smart recording, a missed
 *    sample) is filled by linear interpolation; a longer gap is treated as a pause and not filled.
 * 5. Implausible values (power above 2,500 W, heart rate outside 25–250 bpm, ...) are dropouts
 *    (NaN); dropouts of up to MAX_DROPOUT_FILL_SECONDS between two good samples are
 *    interpolated, longer ones stay NaN.
 */
import type { ActivityWarning, Streams, StreamName } from '../domain/activity.js';

export const MAX_FILL_SECONDS = 10;
export const MAX_DROPOUT_FILL_SECONDS = 5;

/** Plausible ranges; values outside are sensor dropouts, not data. */
export const PLAUSIBLE: Record<StreamName, [number, number]> = {
  power: [0, 2500],
  heartRate: [25, 250],
  cadence: [0, 250],
  speed: [0, 50],
  altitude: [-500, 9000],
  distance: [0, 5_000_000],
  latitude: [-90, 90],
  longitude: [-180, 180],
};

export const STREAM_NAMES: readonly StreamName[] = [
  'power',
  'heartRate',
  'cadence',
  'speed',
  'altitude',
  'distance',
  'latitude',
  'longitude',
];

/** Raw samples: whole seconds since the Unix epoch plus one value array per channel (NaN = absent). */
export interface RawSamples {
  time: Float64Array;
  channels: Record<StreamName, Float64Array>;
}

/** Intervals [start, stop] in epoch seconds while the timer ran. */
export type RunningIntervals = ReadonlyArray<readonly [number, number]>;

export interface ResampleStats {
  outOfOrder: number;
  duplicatesShifted: number;
  duplicatesMerged: number;
  outsideTimer: number;
  secondsFilled: number;
  longGaps: number;
  dropouts: Record<StreamName, number>;
}

/** How each stream is named in the dropout warning. */
const STREAM_LABELS: Record<StreamName, string> = {
  power: 'power',
  heartRate: 'heart-rate',
  cadence: 'cadence',
  speed: 'speed',
  altitude: 'altitude',
  distance: 'distance',
  latitude: 'latitude',
  longitude: 'longitude',
};

/** The `dropouts` warning when resampling treated implausible samples as sensor dropouts (FIT files and Strava streams alike). */
export function dropoutWarnings(stats: ResampleStats): ActivityWarning[] {
  const dropped = STREAM_NAMES.filter((name) => stats.dropouts[name] > 0).map((name) => `${stats.dropouts[name]} ${STREAM_LABELS[name]}`);
  return dropped.length > 0
    ? [{ code: 'dropouts', message: `Implausible samples were treated as sensor dropouts: ${dropped.join(', ')}.` }]
    : [];
}

export interface Resampled {
  streams: Streams;
  /** Epoch seconds of stream sample 0 (the first moving second). */
  startEpochSeconds: number;
  stats: ResampleStats;
}

function emptyStats(): ResampleStats {
  return {
    outOfOrder: 0,
    duplicatesShifted: 0,
    duplicatesMerged: 0,
    outsideTimer: 0,
    secondsFilled: 0,
    longGaps: 0,
    dropouts: { power: 0, heartRate: 0, cadence: 0, speed: 0, altitude: 0, distance: 0, latitude: 0, longitude: 0 },
  };
}

/** 1. The samples' indices in time order (stable), or null when they already are; out-of-order samples are counted. */
function timeOrder(time: Float64Array, stats: ResampleStats): Int32Array | null {
  const n = time.length;
  for (let i = 1; i < n; i++) if (time[i]! < time[i - 1]!) stats.outOfOrder += 1;
  if (stats.outOfOrder === 0) return null;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => time[a]! - time[b]! || a - b);
  return Int32Array.from(idx);
}

/**
 * A device that stamps a sample both at the timer start and at the stop would give N + 1
 * samples for N running seconds: then the one at the start belongs to the pause before it.
 */
function stampedAtBothEnds(time: Float64Array, running: RunningIntervals): boolean[] {
  const stamps = new Set<number>();
  for (let i = 0; i < time.length; i++) stamps.add(Math.round(time[i]!));
  return running.map(([a, b]) => stamps.has(a) && stamps.has(b));
}

/** The samples kept, in time order: each one's index, whole-second slot and running interval. */
interface Kept {
  index: Int32Array;
  slot: Float64Array;
  interval: Int32Array;
  count: number;
}

/** The running interval a sample at `t` falls in, or -1 (`interval` is the search's position, moved on in place). */
function intervalOf(t: number, running: RunningIntervals, dropStart: boolean[], interval: { at: number }): number {
  while (interval.at < running.length && running[interval.at]![1] < t) interval.at += 1;
  if (interval.at >= running.length) return -1;
  const [a] = running[interval.at]!;
  return a < t || (a === t && !dropStart[interval.at]) ? interval.at : -1;
}

/** 2 + 3. Keeps the samples inside running intervals and gives each a whole-second slot. */
function keepRunning(samples: RawSamples, running: RunningIntervals | null, order: Int32Array | null, stats: ResampleStats): Kept {
  const n = samples.time.length;
  const at = (k: number): number => (order === null ? k : order[k]!);
  const dropStart = running === null ? null : stampedAtBothEnds(samples.time, running);
  const kept: Kept = { index: new Int32Array(n), slot: new Float64Array(n), interval: new Int32Array(n), count: 0 };
  const search = { at: 0 };
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const t = Math.round(samples.time[i]!);
    const inInterval = running === null ? 0 : intervalOf(t, running, dropStart!, search);
    if (inInterval < 0) {
      stats.outsideTimer += 1;
      continue;
    }
    let slot = t;
    const last = kept.count - 1;
    if (kept.count > 0 && slot <= kept.slot[last]!) {
      const candidate = kept.slot[last]! + 1;
      const nextT = k + 1 < n ? Math.round(samples.time[at(k + 1)]!) : Infinity;
      const intervalEnd = running === null ? Infinity : running[inInterval]![1];
      if (candidate < nextT && candidate <= t + 2 && candidate <= intervalEnd) {
        slot = candidate;
        stats.duplicatesShifted += 1;
      } else {
        stats.duplicatesMerged += 1;
        continue;
      }
    }
    kept.index[kept.count] = i;
    kept.slot[kept.count] = slot;
    kept.interval[kept.count] = inInterval;
    kept.count += 1;
  }
  return kept;
}

/** The gap before kept sample k, when it is short and inside one running interval (so it is filled); else 0. */
function fillableGap(kept: Kept, k: number): number {
  const gap = kept.slot[k]! - kept.slot[k - 1]!;
  return gap > 1 && gap <= MAX_FILL_SECONDS && kept.interval[k] === kept.interval[k - 1] ? gap : 0;
}

/** 4. The length of the 1 Hz stream; gaps too long to fill are counted. */
function streamLength(kept: Kept, stats: ResampleStats): number {
  let length = 1;
  for (let k = 1; k < kept.count; k++) {
    const gap = fillableGap(kept, k);
    if (gap > 0) length += gap;
    else {
      if (kept.slot[k]! - kept.slot[k - 1]! > 1) stats.longGaps += 1;
      length += 1;
    }
  }
  return length;
}

/**
 * 5. Each channel with implausible values turned into NaN (counted as dropouts) — first, so that
 * interpolation never reaches into a spike. A heart rate of 0 and a position of exactly 0°, 0° are
 * how devices write "no sensor" / "no fix": absent, not dropouts.
 */
function cleanChannels(samples: RawSamples, stats: ResampleStats): Record<StreamName, Float64Array> {
  const n = samples.time.length;
  const clean = {} as Record<StreamName, Float64Array>;
  const { latitude, longitude } = samples.channels;
  for (const name of STREAM_NAMES) {
    const source = samples.channels[name];
    const [lo, hi] = PLAUSIBLE[name];
    const target = new Float64Array(n);
    const isPosition = name === 'latitude' || name === 'longitude';
    for (let i = 0; i < n; i++) {
      const v = source[i]!;
      if (Number.isNaN(v) || (name === 'heartRate' && v === 0) || (isPosition && latitude[i] === 0 && longitude[i] === 0)) target[i] = NaN;
      else if (v < lo || v > hi) {
        target[i] = NaN;
        stats.dropouts[name] += 1;
      } else target[i] = v;
    }
    clean[name] = target;
  }
  return clean;
}

/** The 1 Hz series: the kept samples in their slots, short gaps between them interpolated. */
function fillSeconds(
  kept: Kept,
  clean: Record<StreamName, Float64Array>,
  length: number,
  activityStartEpochSeconds: number,
  stats: ResampleStats,
): { elapsed: Float64Array; out: Record<StreamName, Float64Array> } {
  const elapsed = new Float64Array(length);
  const out = {} as Record<StreamName, Float64Array>;
  for (const name of STREAM_NAMES) out[name] = new Float64Array(length);
  let w = 0;
  for (let k = 0; k < kept.count; k++) {
    const i = kept.index[k]!;
    const gap = k > 0 ? fillableGap(kept, k) : 0;
    if (gap > 0) {
      const prev = kept.index[k - 1]!;
      for (let s = 1; s < gap; s++) {
        const f = s / gap;
        elapsed[w] = kept.slot[k - 1]! + s - activityStartEpochSeconds;
        for (const name of STREAM_NAMES) {
          const a = clean[name][prev]!;
          const b = clean[name][i]!;
          out[name][w] = a + (b - a) * f; // NaN when either end is missing
        }
        w += 1;
        stats.secondsFilled += 1;
      }
    }
    elapsed[w] = kept.slot[k]! - activityStartEpochSeconds;
    for (const name of STREAM_NAMES) out[name][w] = clean[name][i]!;
    w += 1;
  }
  return { elapsed, out };
}

export function resample(samples: RawSamples, running: RunningIntervals | null, activityStartEpochSeconds: number): Resampled | null {
  const stats = emptyStats();
  if (samples.time.length === 0) return null;
  const order = timeOrder(samples.time, stats);
  const kept = keepRunning(samples, running, order, stats);
  if (kept.count === 0) return null;
  const length = streamLength(kept, stats);
  const clean = cleanChannels(samples, stats);
  const { elapsed, out } = fillSeconds(kept, clean, length, activityStartEpochSeconds, stats);
  const streams: Streams = {
    elapsed,
    power: finish(out.power, Float32Array),
    heartRate: finish(out.heartRate, Float32Array),
    cadence: finish(out.cadence, Float32Array),
    speed: finish(out.speed, Float32Array),
    altitude: finish(out.altitude, Float32Array),
    distance: finish(out.distance, Float64Array),
    latitude: finish(out.latitude, Float64Array),
    longitude: finish(out.longitude, Float64Array),
  };
  return { streams, startEpochSeconds: kept.slot[0]!, stats };
}

/** Interpolates short dropouts; returns null for a channel with no data at all. */
function finish<T extends Float32Array | Float64Array>(values: Float64Array, kind: { new (length: number): T }): T | null {
  const n = values.length;
  let any = false;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(values[i]!)) {
      any = true;
      break;
    }
  }
  if (!any) return null;
  const result = new kind(n);
  let i = 0;
  while (i < n) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      result[i] = v;
      i += 1;
      continue;
    }
    let j = i;
    while (j < n && Number.isNaN(values[j]!)) j += 1;
    const run = j - i;
    const before = i > 0 ? values[i - 1]! : NaN;
    const after = j < n ? values[j]! : NaN;
    const fill = run <= MAX_DROPOUT_FILL_SECONDS && !Number.isNaN(before) && !Number.isNaN(after);
    for (let k = i; k < j; k++) result[k] = fill ? before + ((after - before) * (k - i + 1)) / (run + 1) : NaN;
    i = j;
  }
  return result;
}
