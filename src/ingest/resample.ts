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
import type { Streams, StreamName } from '../domain/activity.js';

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

export interface Resampled {
  streams: Streams;
  /** Epoch seconds of stream sample 0 (the first moving second). */
  startEpochSeconds: number;
  stats: ResampleStats;
}

export function resample(samples: RawSamples, running: RunningIntervals | null, activityStartEpochSeconds: number): Resampled | null {
  const n = samples.time.length;
  const stats: ResampleStats = {
    outOfOrder: 0,
    duplicatesShifted: 0,
    duplicatesMerged: 0,
    outsideTimer: 0,
    secondsFilled: 0,
    longGaps: 0,
    dropouts: { power: 0, heartRate: 0, cadence: 0, speed: 0, altitude: 0, distance: 0, latitude: 0, longitude: 0 },
  };
  if (n === 0) return null;

  // 1. order
  let order: Int32Array | null = null;
  for (let i = 1; i < n; i++) if (samples.time[i]! < samples.time[i - 1]!) stats.outOfOrder += 1;
  if (stats.outOfOrder > 0) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => samples.time[a]! - samples.time[b]! || a - b);
    order = Int32Array.from(idx);
  }
  const at = (k: number): number => (order === null ? k : order[k]!);

  // A device that stamps a sample both at the timer start and at the stop would give N + 1
  // samples for N running seconds: then the one at the start belongs to the pause before it.
  let dropStart: boolean[] | null = null;
  if (running !== null) {
    const stamps = new Set<number>();
    for (let i = 0; i < n; i++) stamps.add(Math.round(samples.time[i]!));
    dropStart = running.map(([a, b]) => stamps.has(a) && stamps.has(b));
  }

  // 2 + 3. keep running samples and give each a whole-second slot
  const keptIndex = new Int32Array(n);
  const keptSlot = new Float64Array(n);
  const keptInterval = new Int32Array(n);
  let kept = 0;
  let interval = 0;
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const t = Math.round(samples.time[i]!);
    let inInterval = -1;
    if (running === null) inInterval = 0;
    else {
      while (interval < running.length && running[interval]![1] < t) interval += 1;
      if (interval < running.length) {
        const [a] = running[interval]!;
        if (a < t || (a === t && !dropStart![interval])) inInterval = interval;
      }
    }
    if (inInterval < 0) {
      stats.outsideTimer += 1;
      continue;
    }
    let slot = t;
    if (kept > 0 && slot <= keptSlot[kept - 1]!) {
      const candidate = keptSlot[kept - 1]! + 1;
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
    keptIndex[kept] = i;
    keptSlot[kept] = slot;
    keptInterval[kept] = inInterval;
    kept += 1;
  }
  if (kept === 0) return null;

  // 4. length of the 1 Hz stream
  let length = 1;
  for (let k = 1; k < kept; k++) {
    const gap = keptSlot[k]! - keptSlot[k - 1]!;
    if (gap > 1 && gap <= MAX_FILL_SECONDS && keptInterval[k] === keptInterval[k - 1]) length += gap;
    else {
      if (gap > 1) stats.longGaps += 1;
      length += 1;
    }
  }

  const elapsed = new Float64Array(length);
  const out = {} as Record<StreamName, Float64Array>;
  for (const name of STREAM_NAMES) out[name] = new Float64Array(length);

  // Plausibility first, so that interpolation never reaches into a spike. A heart rate of 0 and
  // a position of exactly 0°, 0° are how devices write "no sensor" / "no fix": absent, not dropouts.
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

  let w = 0;
  for (let k = 0; k < kept; k++) {
    const i = keptIndex[k]!;
    if (k > 0) {
      const gap = keptSlot[k]! - keptSlot[k - 1]!;
      if (gap > 1 && gap <= MAX_FILL_SECONDS && keptInterval[k] === keptInterval[k - 1]) {
        const prev = keptIndex[k - 1]!;
        for (let s = 1; s < gap; s++) {
          const f = s / gap;
          elapsed[w] = keptSlot[k - 1]! + s - activityStartEpochSeconds;
          for (const name of STREAM_NAMES) {
            const a = clean[name][prev]!;
            const b = clean[name][i]!;
            out[name][w] = a + (b - a) * f; // NaN when either end is missing
          }
          w += 1;
          stats.secondsFilled += 1;
        }
      }
    }
    elapsed[w] = keptSlot[k]! - activityStartEpochSeconds;
    for (const name of STREAM_NAMES) out[name][w] = clean[name][i]!;
    w += 1;
  }

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
  return { streams, startEpochSeconds: keptSlot[0]!, stats };
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
