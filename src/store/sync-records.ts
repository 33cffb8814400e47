/**
 * What the store keeps of the intervals.icu and Strava connections (sync-schema.ts): plain records
 * the sync engine reads and writes. The secrets in them are sealed (src/sync/secret-box.ts) before
 * they reach the store: it never sees an API key or a token.
 */

/** The services an athlete connects: the same type as src/sync/types.ts's (the store may not import it). */
export type SyncService = 'intervals' | 'strava';

/** One athlete's connection to one service. */
export interface StoredConnection {
  service: SyncService;
  /** The athlete's id on the service (intervals.icu `i12345`, Strava's numeric id). */
  externalAthleteId: string;
  /** The API key or the tokens, sealed by the SecretBox: never the plain text. */
  sealedSecret: string;
  /** intervals.icu: whether the plan's workouts are pushed to the athlete's calendar. */
  pushCalendar: boolean;
  connectedAt: Date;
  lastSyncAt: Date | null;
  /** The newest ride start seen (intervals.icu's `oldest=` on the next poll). */
  cursor: Date | null;
  /** When the next poll of intervals.icu is due; null: at once. */
  nextPollAt: Date | null;
  /** The history being fetched after connecting, if any. */
  backfill: BackfillState | null;
}

/** What `saveConnection` takes: a new connection, or a re-connect of the same service. */
export interface NewConnection {
  service: SyncService;
  externalAthleteId: string;
  sealedSecret: string;
  pushCalendar?: boolean;
  nextPollAt?: Date | null;
  backfill?: BackfillState | null;
}

/** What `updateConnection` may change. */
export type ConnectionChanges = Partial<
  Pick<StoredConnection, 'sealedSecret' | 'pushCalendar' | 'lastSyncAt' | 'cursor' | 'nextPollAt' | 'backfill'>
>;

/** The fetch of past rides after connecting: how far it is, and where its progress message lives. */
export interface BackfillState {
  /** Names the jobs it queued (`SyncJob.batch`). */
  batch: string;
  months: number;
  /** The chat the progress message is in. */
  identityKey: string;
  /** The progress message, edited as the backfill goes; null before it is sent. */
  messageId: string | null;
  startedAt: Date;
  /** True once the service's list was read and a job queued for every ride in it. */
  listed: boolean;
  finishedAt: Date | null;
}

export type SyncJobKind = 'backfill' | 'fetch-activity' | 'delete-activity' | 'deauthorize' | 'push-calendar';

/** One piece of work in the persistent queue (store.sync), as a claimant receives it. */
export interface SyncJob {
  id: string;
  athleteId: string;
  service: SyncService;
  kind: SyncJobKind;
  payload: Record<string, unknown>;
  batch: string | null;
  /** Claims so far, this one included. */
  attempts: number;
  runAfter: Date;
}

/** A new job: only the athlete, service and kind are required. */
export interface NewSyncJob {
  athleteId: string;
  service: SyncService;
  kind: SyncJobKind;
  payload?: Record<string, unknown>;
  /** Unique across the queue, whatever the state: a second job with the key is not queued. */
  dedupeKey?: string | null;
  batch?: string | null;
  /** Not before this time; default now. */
  runAfter?: Date;
}

/** The jobs of one batch, by state. */
export interface BatchProgress {
  queued: number;
  running: number;
  done: number;
  failed: number;
}

/** One of our workouts on the athlete's intervals.icu calendar, as last pushed. */
export interface CalendarEntry {
  /** Ours (`domestique:<workout key>`). */
  externalId: string;
  /** intervals.icu's event id, once known. */
  remoteId: string | null;
  /** YYYY-MM-DD */
  date: string;
  /** A hash of what was pushed: unchanged workouts are not pushed again. */
  contentHash: string;
  pushedAt: Date;
}

/** What a Strava authorization link's `state` stands for, until the callback takes it. */
export interface OAuthState {
  athleteId: string;
  /** The chat that asked: where the result is told. */
  identityKey: string;
  /** Months of history to fetch once connected. */
  months: number;
}

/** A connection as `/export` gives it back: no secret, sealed or not, and no internal bookkeeping. */
export interface ExportedConnection {
  service: SyncService;
  externalAthleteId: string;
  connectedAt: Date;
  lastSyncAt: Date | null;
  pushCalendar: boolean;
}
