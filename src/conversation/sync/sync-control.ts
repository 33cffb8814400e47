/**
 * What the chat commands (/connect, /connections, /disconnect) need of the sync engine
 * (sync-service.ts): connecting a service, its status, and letting go of it. The engine does the
 * rest on its own — backfills, polling, webhooks, the post-ride messages and the calendar push.
 */
import type { Result } from '../../domain/result.js';
import type { AthleteStore } from '../../store/store.js';
import type { SyncService } from '../../sync/types.js';

/** Why a service cannot be connected on this bot at all (the operator's part). */
export type Unavailable =
  /** SECRETS_KEY is not set: keys and tokens could not be stored encrypted. */
  | 'no-secrets-key'
  /** Strava: STRAVA_CLIENT_ID / STRAVA_CLIENT_SECRET / PUBLIC_URL not set. */
  | 'not-configured';

/** Why connecting intervals.icu failed (the athlete's part, or the service's). */
export type ConnectFailure = 'bad-key' | 'unreachable' | 'rate-limited';

export interface ConnectionStatus {
  service: SyncService;
  /** The athlete's id on the service. */
  externalAthleteId: string;
  connectedAt: Date;
  lastSyncAt: Date | null;
  /** intervals.icu only: the plan's workouts go to its calendar. */
  pushCalendar: boolean;
  /** The backfill, while it runs: rides fetched of those found (total null while listing). */
  backfill: { done: number; total: number | null } | null;
  /** Rides that came from this service so far. */
  rides: number;
}

export interface SyncControl {
  /** Null when the service can be connected here; else what the operator has to set. */
  unavailable(service: SyncService): Unavailable | null;
  /**
   * Checks the key with one call, stores it encrypted and starts the backfill of `months`
   * (its progress message goes to `identityKey`'s chat).
   */
  connectIntervals(
    athlete: AthleteStore,
    identityKey: string,
    credentials: { athleteId: string; apiKey: string; months: number },
  ): Promise<Result<ConnectionStatus, ConnectFailure>>;
  /** The link the athlete opens to allow Strava access (a `state` bound to them, valid 10 minutes). */
  stravaAuthorizeUrl(athlete: AthleteStore, identityKey: string, months: number): Promise<string>;
  /** What is connected, with when it last synced. */
  connections(athlete: AthleteStore): Promise<ConnectionStatus[]>;
  /** Deletes the credentials (Strava: deauthorizes first, best effort); false when it was not connected. */
  disconnect(athlete: AthleteStore, service: SyncService): Promise<boolean>;
  /** intervals.icu: on → the plan is pushed now and on every change; off → the calendar is left alone. */
  setCalendarPush(athlete: AthleteStore, on: boolean): Promise<boolean>;
}
