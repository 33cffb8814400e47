/**
 * An activity fetched from Strava's API (its detail and streams) → an Activity, through the same
 * 1 Hz moving timeline and metrics as an uploaded FIT file. Its identity is Strava's id (fetching
 * it again is a duplicate); the same ride uploaded as a FIT file is matched on its start time and
 * sport (`isSameActivity`). Strava's estimated power is flagged as it is for its CSV export.
 */
import type { Activity, ActivityWarning, PowerSource, Streams } from '../../domain/activity.js';
import { precomputeStoredMetrics } from '../../domain/metrics/stored-metrics.js';
import { activityId, sha256Hex } from '../identity.js';
import { dropoutWarnings, resample } from '../resample.js';
import { MAX_NAME_CHARS } from '../strava/limits.js';
import { ESTIMATED_POWER } from '../strava/row.js';
import { stravaTypeToSport } from '../strava/sports.js';
import { cutText } from '../strava/values.js';
import { movingIntervals, stravaSamples, type StravaStreamsInput } from './strava-samples.js';

export type { StravaStreamsInput } from './strava-samples.js';

/** Strava's summary of one activity, as the Strava client returns it (src/sync/types.ts StravaActivityDetail). */
export interface StravaDetailInput {
  id: string;
  name: string | null;
  description: string | null;
  /** `sport_type` (or `type`): Ride, VirtualRide, GravelRide, MountainBikeRide, EBikeRide, Run, … */
  type: string;
  startTime: Date;
  elapsedSeconds: number | null;
  movingSeconds: number | null;
  distanceMeters: number | null;
  ascentMeters: number | null;
  averageWatts: number | null;
  weightedAverageWatts: number | null;
  maxWatts: number | null;
  kilojoules: number | null;
  /** False when Strava estimated the power (no meter). */
  deviceWatts: boolean | null;
  averageHeartrate: number | null;
  maxHeartrate: number | null;
  averageCadence: number | null;
  deviceName: string | null;
}

/** The hash that names the activity: its Strava id, so the same activity fetched twice is one. */
export function stravaSourceHash(stravaId: string): string {
  return sha256Hex(`strava-api:${stravaId}`);
}

/** Where the power came from: none, a meter, or Strava's estimate (flagged). */
function powerSource(detail: StravaDetailInput, streams: Streams | null, warnings: ActivityWarning[]): PowerSource {
  if (streams?.power == null && detail.averageWatts === null) return 'none';
  if (detail.deviceWatts !== false) return 'measured';
  warnings.push({ ...ESTIMATED_POWER });
  return 'estimated';
}

function lastFinite(values: Float64Array | null): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) if (!Number.isNaN(values[i]!)) return values[i]!;
  return null;
}

/** Strava's detail and streams of one activity → the Activity, its stored metrics computed. */
export function activityFromStrava(detail: StravaDetailInput, streamsIn: StravaStreamsInput): Activity {
  const startEpochSeconds = Math.floor(detail.startTime.getTime() / 1000);
  const samples = stravaSamples(streamsIn, startEpochSeconds);
  const resampled = samples === null ? null : resample(samples, movingIntervals(streamsIn, samples), startEpochSeconds);
  const streams = resampled?.streams ?? null;
  const warnings = resampled ? dropoutWarnings(resampled.stats) : [];
  const sourceType = cutText(detail.type, MAX_NAME_CHARS);
  const { sport, subSport } = stravaTypeToSport(detail.type);
  const sourceHash = stravaSourceHash(detail.id);
  const power = powerSource(detail, streams, warnings);
  const distanceMeters = detail.distanceMeters ?? lastFinite(streams?.distance ?? null);
  const movingSeconds = streams !== null ? streams.elapsed.length : detail.movingSeconds;
  const speedSeconds = detail.movingSeconds ?? movingSeconds;
  const activity: Activity = {
    id: activityId(sourceHash, 0, detail.startTime, sport),
    source: `strava:${detail.id}`,
    sourceKind: 'strava-api',
    sourceHash,
    sessionIndex: 0,
    sport,
    subSport,
    sourceType,
    name: detail.name === null ? null : cutText(detail.name, MAX_NAME_CHARS),
    description: detail.description,
    startTime: detail.startTime,
    timerSeconds: detail.movingSeconds ?? movingSeconds,
    elapsedSeconds: detail.elapsedSeconds ?? (streams !== null ? streams.elapsed[streams.elapsed.length - 1]! + 1 : null),
    movingSeconds,
    distanceMeters,
    ascentMeters: detail.ascentMeters,
    avgPower: detail.averageWatts,
    maxPower: detail.maxWatts,
    normalizedPower: detail.weightedAverageWatts,
    power,
    avgHeartRate: detail.averageHeartrate,
    maxHeartRate: detail.maxHeartrate,
    avgCadence: detail.averageCadence,
    avgSpeed: distanceMeters !== null && speedSeconds !== null && speedSeconds > 0 ? distanceMeters / speedSeconds : null,
    workKilojoules: detail.kilojoules,
    device: null,
    laps: [],
    streams,
    warnings,
    externalId: detail.id,
    linkedFile: null,
  };
  precomputeStoredMetrics(activity);
  return activity;
}
