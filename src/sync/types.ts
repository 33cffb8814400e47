/**
 * The two services athletes connect — intervals.icu (API key) and Strava (OAuth) — as the sync
 * engine sees them: what a client returns and the one error it throws. The clients
 * (intervals/client.ts, strava/client.ts) speak HTTP; everything above them uses these types.
 */

export type SyncService = 'intervals' | 'strava';

/** How each service is named to the athlete. */
export const SERVICE_NAMES: Record<SyncService, string> = { intervals: 'intervals.icu', strava: 'Strava' };

/** One activity in a service's list (no recording yet). */
export interface RemoteActivity {
  /** The service's own id, as a string. */
  id: string;
  startTime: Date;
  name: string | null;
  /** The service's type label (`Ride`, `VirtualRide`, `Run`, …). */
  type: string;
  /** A ride of any kind (road, virtual, gravel, MTB, e-bike): the only ones fetched. */
  isRide: boolean;
}

/**
 * Why a call to a service failed. `unauthorized`: the key or token was refused or revoked (401/403);
 * `rate-limited`: 429, with the wait the service asked for; `not-found`: 404; `unavailable`: the
 * service could not be reached or answered 5xx; `bad-response`: it answered something we cannot read.
 * The message never holds a key, a token or a URL with one.
 */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly service: SyncService,
    readonly kind: 'unauthorized' | 'rate-limited' | 'not-found' | 'unavailable' | 'bad-response',
    readonly status: number | null,
    message: string,
    /** For `rate-limited`: how long to wait (Retry-After, or the end of Strava's window), ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** One workout on the intervals.icu calendar, as we push it (defined with the plan it comes from). */
export type { CalendarWorkout } from '../domain/coaching/calendar-workouts.js';
import type { CalendarWorkout } from '../domain/coaching/calendar-workouts.js';

/** A workout the intervals.icu calendar holds (one of ours: it has our external id). */
export interface RemoteCalendarEvent {
  id: string;
  externalId: string | null;
  date: string;
}

/** What the intervals.icu client offers, for one athlete's id and key. */
export interface IntervalsApi {
  /** One cheap call that proves the key (the athlete's own record); their name when given. */
  checkKey(): Promise<{ name: string | null }>;
  /** Activities that started between `oldest` and `newest` (inclusive dates, athlete-local), oldest first. */
  listActivities(oldest: Date, newest?: Date): Promise<RemoteActivity[]>;
  /** The original file the device recorded (FIT, maybe gzipped); null when the activity has none (a manual entry, Strava-only). */
  activityFile(id: string): Promise<Uint8Array | null>;
  /** Creates or updates these workouts (bulk upsert on our external ids); the calendar ids back. */
  upsertWorkouts(workouts: readonly CalendarWorkout[]): Promise<RemoteCalendarEvent[]>;
  /** Our workouts on the calendar between two dates (YYYY-MM-DD). */
  calendarWorkouts(oldest: string, newest: string): Promise<RemoteCalendarEvent[]>;
  /** Deletes calendar events by their intervals.icu ids. */
  deleteEvents(ids: readonly string[]): Promise<void>;
}

/** Strava's tokens for one athlete (refreshed before `expiresAt`; Strava may rotate the refresh token). */
export interface StravaTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  /** Strava's athlete id. */
  athleteId: string;
  /** The scopes granted, when the service said (the callback's `scope` parameter). */
  scopes: string[];
  /** The athlete's name on Strava, when given. */
  name: string | null;
}

/** Strava's OAuth endpoints, for this application (client id and secret). */
export interface StravaOAuth {
  /** The page the athlete opens to allow access (`activity:read_all`). */
  authorizeUrl(state: string, redirectUri: string): string;
  exchangeCode(code: string): Promise<StravaTokens>;
  refresh(refreshToken: string): Promise<StravaTokens>;
  /** Revokes the application's access for this athlete (best effort). */
  deauthorize(accessToken: string): Promise<void>;
}

/** Strava's summary of one activity (what the streams do not say). */
export interface StravaActivityDetail {
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

/** Strava's streams of one activity, by type (`time, watts, heartrate, cadence, velocity_smooth, distance, altitude, moving`). */
export type StravaStreams = Partial<
  Record<
    'time' | 'watts' | 'heartrate' | 'cadence' | 'velocity_smooth' | 'distance' | 'altitude' | 'moving' | 'latlng',
    number[] | boolean[] | [number, number][]
  >
>;

/** What the Strava API client offers with one athlete's access token. */
export interface StravaApi {
  /** Activities that started after `after`, oldest first, one page (`per_page` up to 200); empty past the last page. */
  listActivities(after: Date, page: number, perPage: number): Promise<RemoteActivity[]>;
  activity(id: string): Promise<StravaActivityDetail>;
  streams(id: string): Promise<StravaStreams>;
}

/** A Strava webhook event (POST /webhooks/strava). */
export interface StravaWebhookEvent {
  objectType: 'activity' | 'athlete';
  objectId: string;
  aspectType: 'create' | 'update' | 'delete';
  /** Strava's athlete id of the owner. */
  ownerId: string;
  /** Seconds since the epoch. */
  eventTime: number;
  /** `{ "authorized": "false" }` on deauthorization; title/type changes on update. */
  updates: Record<string, string>;
}
