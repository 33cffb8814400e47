/**
 * The intervals.icu client for one athlete's id and personal API key (IntervalsApi). Endpoints
 * (intervals.icu/api/v1/docs):
 * - `GET /api/v1/athlete/{id}`: the athlete's record, proves the key;
 * - `GET /api/v1/athlete/{id}/activities?oldest=&newest=`: activities by local start date, newest first;
 * - `GET /api/v1/activity/{id}/file`: the original file as uploaded (FIT, usually gzipped);
 *   none for Strava-synced and manual activities;
 * - `POST /api/v1/athlete/{id}/events/bulk?upsert=true`: creates or updates calendar events by our
 *   `external_id`;
 * - `GET /api/v1/athlete/{id}/events?oldest=&newest=&category=WORKOUT`: planned workouts;
 * - `PUT /api/v1/athlete/{id}/events/bulk-delete`: deletes events by id, many in one call.
 * Every call waits its turn at the process-wide limiter (rate-limiter.ts) and throws ServiceError.
 */
import { addDays, utcDate } from '../../domain/calendar.js';
import { ServiceError, type IntervalsApi, type RemoteActivity } from '../types.js';
import { intervalsCalendar } from './calendar.js';
import { createIntervalsCall, isObject, jsonId, jsonList, jsonText, readJson, unexpectedShape } from './http.js';
import { intervalsRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface IntervalsClientOptions {
  /** `https://intervals.icu` (INTERVALS_API_BASE). */
  apiBase: string;
  athleteId: string;
  apiKey: string;
  /** Per request, including reading the answer; default 30 s. */
  timeoutMs?: number;
  /** Default: the process-wide limiter (≤ 10 requests/s across all athletes). */
  limiter?: RateLimiter;
  /** For Retry-After dates. */
  now?: () => Date;
}

/** The activity types that are rides of some kind: the only ones we fetch. */
export const INTERVALS_RIDE_TYPES: ReadonlySet<string> = new Set([
  'Ride',
  'VirtualRide',
  'GravelRide',
  'MountainBikeRide',
  'EBikeRide',
  'EMountainBikeRide',
  'TrackRide',
  'Velomobile',
  'Handcycle',
]);

const DEFAULT_TIMEOUT_MS = 30_000;

/** One entry of the activity list; null for one without an id or a readable start. */
export function remoteActivity(raw: unknown): RemoteActivity | null {
  if (!isObject(raw)) return null;
  const id = jsonId(raw.id);
  // start_date is UTC ("…Z"); Strava-synced stubs may carry only the local time, read as UTC.
  const start = jsonText(raw.start_date) ?? (jsonText(raw.start_date_local) ? `${jsonText(raw.start_date_local)}Z` : null);
  const startTime = start ? new Date(start) : null;
  if (id === null || startTime === null || Number.isNaN(startTime.getTime())) return null;
  const type = jsonText(raw.type) ?? '';
  // Activities intervals.icu got from Strava are stubs the API does not serve (no file): not fetched.
  const fromStrava = jsonText(raw.source) === 'STRAVA';
  return { id, startTime, name: jsonText(raw.name), type, isRide: INTERVALS_RIDE_TYPES.has(type) && !fromStrava };
}

/** The client for one athlete (see the module comment). */
export function createIntervalsClient(options: IntervalsClientOptions): IntervalsApi {
  const call = createIntervalsCall({
    apiBase: options.apiBase,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    limiter: options.limiter ?? intervalsRateLimiter,
    now: options.now ?? (() => new Date()),
  });
  const athlete = `/api/v1/athlete/${encodeURIComponent(options.athleteId)}`;

  return {
    async checkKey() {
      const what = 'checking the API key';
      const body = await readJson(await call({ method: 'GET', path: athlete, what }), what);
      if (!isObject(body)) throw unexpectedShape(what);
      return { name: jsonText(body.name) };
    },

    async listActivities(oldest, newest) {
      const what = 'listing activities';
      // The service filters by the athlete's local date, a zone we do not know here: a day more on
      // each side finds every ride whatever the zone; the caller keeps each id once.
      const query: Record<string, string> = { oldest: addDays(utcDate(oldest), -1) };
      if (newest) query.newest = addDays(utcDate(newest), 1);
      const body = await readJson(await call({ method: 'GET', path: `${athlete}/activities`, query, what }), what);
      return jsonList(body, what)
        .map(remoteActivity)
        .filter((a): a is RemoteActivity => a !== null)
        .sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async activityFile(id) {
      const what = `downloading the file of activity ${id}`;
      let response: Response;
      try {
        response = await call({ method: 'GET', path: `/api/v1/activity/${encodeURIComponent(id)}/file`, what });
      } catch (error) {
        if (error instanceof ServiceError && error.kind === 'not-found') return null;
        throw error;
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch {
        throw new ServiceError('intervals', 'unavailable', response.status, `intervals.icu stopped answering while ${what}.`);
      }
      return bytes.length > 0 ? bytes : null;
    },

    ...intervalsCalendar(call, athlete),
  };
}
