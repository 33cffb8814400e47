/**
 * Strava's streams of one activity → the raw samples and running intervals that
 * `src/ingest/resample.ts` turns into the 1 Hz moving timeline, as it does for a FIT file's records
 * and timer. Strava's `moving` flag plays the timer: seconds it marks not moving are left out, so
 * they count neither as moving time nor in the averages; without the flag the whole recording
 * counts, and gaps over MAX_FILL_SECONDS are pauses as in a FIT file.
 */
import type { RawSamples, RunningIntervals } from '../resample.js';

/** Strava's streams by type (`key_by_type=true`), as the Strava client returns them. */
export type StravaStreamsInput = Partial<
  Record<
    'time' | 'watts' | 'heartrate' | 'cadence' | 'velocity_smooth' | 'distance' | 'altitude' | 'moving' | 'latlng',
    number[] | boolean[] | [number, number][]
  >
>;

/** The numeric samples of one stream (NaN where absent, null or not a number). */
function numbers(stream: StravaStreamsInput[keyof StravaStreamsInput], n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  if (!Array.isArray(stream)) return out;
  const values = stream as unknown[];
  for (let i = 0; i < Math.min(n, values.length); i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out[i] = v;
  }
  return out;
}

/** Latitude and longitude of the `latlng` stream's [lat, lng] pairs. */
function positions(stream: StravaStreamsInput['latlng'], n: number): { latitude: Float64Array; longitude: Float64Array } {
  const latitude = new Float64Array(n).fill(NaN);
  const longitude = new Float64Array(n).fill(NaN);
  if (!Array.isArray(stream)) return { latitude, longitude };
  const values = stream as unknown[];
  for (let i = 0; i < Math.min(n, values.length); i++) {
    const p = values[i];
    if (Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number') {
      latitude[i] = p[0];
      longitude[i] = p[1];
    }
  }
  return { latitude, longitude };
}

/** How many samples the streams hold: the time stream's length, else the longest stream. */
function sampleCount(streams: StravaStreamsInput): number {
  if (Array.isArray(streams.time)) return streams.time.length;
  return Math.max(0, ...Object.values(streams).map((s) => (Array.isArray(s) ? s.length : 0)));
}

/**
 * The samples in epoch seconds (`time` is seconds since the start; without it one sample a
 * second). Null when there is no sample at all.
 */
export function stravaSamples(streams: StravaStreamsInput, startEpochSeconds: number): RawSamples | null {
  const n = sampleCount(streams);
  if (n === 0) return null;
  const offsets = Array.isArray(streams.time) ? numbers(streams.time, n) : Float64Array.from({ length: n }, (_, i) => i);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) time[i] = startEpochSeconds + (Number.isNaN(offsets[i]!) ? i : offsets[i]!);
  const { latitude, longitude } = positions(streams.latlng, n);
  return {
    time,
    channels: {
      power: numbers(streams.watts, n),
      heartRate: numbers(streams.heartrate, n),
      cadence: numbers(streams.cadence, n),
      speed: numbers(streams.velocity_smooth, n),
      altitude: numbers(streams.altitude, n),
      distance: numbers(streams.distance, n),
      latitude,
      longitude,
    },
  };
}

/**
 * The running intervals the `moving` stream describes: one per run of moving samples, from one
 * second before its first sample (resample.ts keeps a sample at an interval's start only when
 * none is stamped at both ends, so the still sample there stays out) to its last. Null (the whole
 * recording) without a `moving` stream.
 */
export function movingIntervals(streams: StravaStreamsInput, samples: RawSamples): RunningIntervals | null {
  const moving = streams.moving;
  if (!Array.isArray(moving) || moving.length === 0) return null;
  const intervals: [number, number][] = [];
  let runStart = -1;
  const n = samples.time.length;
  for (let i = 0; i <= n; i++) {
    const isMoving = i < n && moving[i] === true;
    if (isMoving && runStart < 0) runStart = i;
    else if (!isMoving && runStart >= 0) {
      intervals.push([samples.time[runStart]! - 1, samples.time[i - 1]!]);
      runStart = -1;
    }
  }
  return intervals;
}
