/**
 * The normalised activity every other layer works with, whatever file it came from.
 * Pure data: no I/O here.
 */
import type { StoredMetrics } from './metrics/stored-metrics.js';

/** Sports use the FIT profile's vocabulary (`cycling`, `running`, `cross_country_skiing`, ...). */
export type Sport = string;

/** Where the power figures came from. Strava estimates power for rides without a meter. */
export type PowerSource = 'measured' | 'estimated' | 'none';

export interface ActivityWarning {
  /** Stable code, e.g. `truncated`, `bad-crc`, `dropouts`, `clock-jump`. */
  code: string;
  /** One sentence for the athlete. */
  message: string;
}

/** Figures the head unit wrote itself, kept for comparison with ours. */
export interface DeviceFigures {
  normalizedPower: number | null;
  tss: number | null;
  ftp: number | null;
  intensityFactor: number | null;
}

/**
 * One sample per second of moving time (see `src/ingest/resample.ts` for the gap rule).
 * Index i is the i-th second the timer was running; `elapsed[i]` maps it back to seconds since
 * the activity start. Missing values are NaN.
 */
export interface Streams {
  elapsed: Float64Array;
  power: Float32Array | null;
  heartRate: Float32Array | null;
  cadence: Float32Array | null;
  speed: Float32Array | null;
  altitude: Float32Array | null;
  distance: Float64Array | null;
  latitude: Float64Array | null;
  longitude: Float64Array | null;
}

export type StreamName = Exclude<keyof Streams, 'elapsed'>;

export interface Lap {
  startTime: Date;
  timerSeconds: number | null;
  elapsedSeconds: number | null;
  distanceMeters: number | null;
  avgPower: number | null;
  avgHeartRate: number | null;
}

export interface Activity {
  /** Stable identity: hash of the source content, the session index, start time and sport. */
  id: string;
  /** The file the activity came from, as the user named it (zip entries: `export.zip/activities/1.fit.gz`). */
  source: string;
  /** A FIT file (uploaded or from intervals.icu), a row of Strava's CSV export, or Strava's API (detail and streams). */
  sourceKind: 'fit' | 'strava-csv' | 'strava-api';
  /** SHA-256 (hex) of the source file's bytes, or of the CSV row. */
  sourceHash: string;
  /** Session number inside a multi-session FIT file; 0 otherwise. */
  sessionIndex: number;
  sport: Sport;
  subSport: string | null;
  /** The label the source used (Strava's `Activity Type`, FIT sport name). */
  sourceType: string;
  name: string | null;
  description: string | null;
  startTime: Date;
  /** Time the timer was running, from the device session when present. */
  timerSeconds: number | null;
  elapsedSeconds: number | null;
  /** Seconds in the 1 Hz moving stream (equals timer time less long recording gaps). */
  movingSeconds: number | null;
  distanceMeters: number | null;
  ascentMeters: number | null;
  avgPower: number | null;
  maxPower: number | null;
  /** Normalized power as the source states it (Strava's `Weighted Average Power`); metrics compute their own. */
  normalizedPower: number | null;
  power: PowerSource;
  avgHeartRate: number | null;
  maxHeartRate: number | null;
  avgCadence: number | null;
  avgSpeed: number | null;
  /** Kilojoules of work as the source states it. */
  workKilojoules: number | null;
  device: DeviceFigures | null;
  laps: Lap[];
  streams: Streams | null;
  warnings: ActivityWarning[];
  /** Profile-independent metrics computed where the file was read (a worker thread); the store uses them as they are. */
  storedMetrics?: StoredMetrics;
  /** Strava's own activity id when the source is Strava (its CSV export or its API). */
  externalId: string | null;
  /** The recording a summary row points to (Strava's `Filename`, e.g. `activities/123.fit.gz`). */
  linkedFile: string | null;
}

/** Sports whose power figures count as cycling power. */
export function isCycling(sport: Sport): boolean {
  return sport === 'cycling';
}

/** Start times within this many seconds (and the same sport) are the same activity from two sources. */
export const SAME_ACTIVITY_WINDOW_SECONDS = 60;

/** True when two activities describe the same ride, e.g. once from a FIT file and once from a CSV row. */
export function isSameActivity(
  a: Pick<Activity, 'sourceHash' | 'sessionIndex' | 'startTime' | 'sport'>,
  b: Pick<Activity, 'sourceHash' | 'sessionIndex' | 'startTime' | 'sport'>,
): boolean {
  if (a.sourceHash === b.sourceHash && a.sessionIndex === b.sessionIndex) return true;
  return a.sport === b.sport && Math.abs(a.startTime.getTime() - b.startTime.getTime()) <= SAME_ACTIVITY_WINDOW_SECONDS * 1000;
}
