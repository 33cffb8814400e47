/**
 * Strava's activity JSON → our shapes: a SummaryActivity of the list → RemoteActivity, a
 * DetailedActivity → StravaActivityDetail, a StreamSet (`key_by_type=true`) → StravaStreams.
 * Strava's field names: `sport_type` (newer, finer) and `type`, `start_date` (UTC, ISO 8601),
 * `moving_time`/`elapsed_time` (s), `distance` (m), `total_elevation_gain` (m), `average_watts`,
 * `weighted_average_watts`, `max_watts`, `kilojoules`, `device_watts`, `average_heartrate`,
 * `max_heartrate`, `average_cadence`, `device_name`.
 */
import type { RemoteActivity, StravaActivityDetail, StravaStreams } from '../types.js';
import { badShape } from './http.js';

/** Strava's types (sport_type or type) that are rides: the only activities fetched. */
export const STRAVA_RIDE_TYPES: ReadonlySet<string> = new Set([
  'Ride',
  'VirtualRide',
  'GravelRide',
  'MountainBikeRide',
  'EBikeRide',
  'EMountainBikeRide',
  'Velomobile',
  'Handcycle',
]);

/** The stream types asked for (`keys=`). */
export const STREAM_KEYS = [
  'time',
  'watts',
  'heartrate',
  'cadence',
  'velocity_smooth',
  'distance',
  'altitude',
  'moving',
  'latlng',
] as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function idOf(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return v;
  return null;
}

/** The fields every activity has: id, start, type, name. */
function basics(raw: unknown, what: string): { json: Json; id: string; startTime: Date; type: string; name: string | null } {
  if (!isObject(raw)) throw badShape({ what }, 'an activity is not an object');
  const id = idOf(raw.id);
  if (id === null) throw badShape({ what }, 'an activity has no id');
  const start = typeof raw.start_date === 'string' ? new Date(raw.start_date) : null;
  if (start === null || Number.isNaN(start.getTime())) throw badShape({ what }, `activity ${id} has no start date`);
  const type = text(raw.sport_type) ?? text(raw.type) ?? 'Workout';
  return { json: raw, id, startTime: start, type, name: text(raw.name) };
}

/** A ride of any kind, by `sport_type` or the older `type`. */
export function isRideType(sportType: string | null, type: string | null): boolean {
  return (sportType !== null && STRAVA_RIDE_TYPES.has(sportType)) || (type !== null && STRAVA_RIDE_TYPES.has(type));
}

/** One activity of `GET /athlete/activities`. */
export function remoteActivity(raw: unknown, what: string): RemoteActivity {
  const { json, id, startTime, type, name } = basics(raw, what);
  return { id, startTime, name, type, isRide: isRideType(text(json.sport_type), text(json.type)) };
}

/** `GET /activities/{id}`. */
export function activityDetail(raw: unknown, what: string): StravaActivityDetail {
  const { json, id, startTime, type, name } = basics(raw, what);
  return {
    id,
    name,
    description: text(json.description),
    type,
    startTime,
    elapsedSeconds: num(json.elapsed_time),
    movingSeconds: num(json.moving_time),
    distanceMeters: num(json.distance),
    ascentMeters: num(json.total_elevation_gain),
    averageWatts: num(json.average_watts),
    weightedAverageWatts: num(json.weighted_average_watts),
    maxWatts: num(json.max_watts),
    kilojoules: num(json.kilojoules),
    deviceWatts: typeof json.device_watts === 'boolean' ? json.device_watts : null,
    averageHeartrate: num(json.average_heartrate),
    maxHeartrate: num(json.max_heartrate),
    averageCadence: num(json.average_cadence),
    deviceName: text(json.device_name),
  };
}

/**
 * `GET /activities/{id}/streams?key_by_type=true`: `{time: {data: [...]}, ...}`. An activity
 * without streams (a manual entry) gives `{}`; Strava may also answer `[]` then.
 */
export function activityStreams(raw: unknown, what: string): StravaStreams {
  if (Array.isArray(raw) && raw.length === 0) return {};
  if (!isObject(raw)) throw badShape({ what }, 'the streams are not keyed by type');
  const streams: StravaStreams = {};
  for (const key of STREAM_KEYS) {
    const stream = raw[key];
    if (!isObject(stream)) continue;
    if (!Array.isArray(stream.data)) throw badShape({ what }, `the ${key} stream has no data`);
    streams[key] = stream.data as number[] | boolean[] | [number, number][];
  }
  return streams;
}
