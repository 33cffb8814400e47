/**
 * The tables of the intervals.icu and Strava sync (drizzle.config.ts reads this file with the
 * others): each athlete's connections (the secret sealed), the persistent job queue shared by every
 * process on the database, which remote rides were seen, our workouts on the intervals.icu
 * calendar, and the pending Strava authorizations. Everything an athlete owns cascades from them.
 */
import { sql, type SQL } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { activities, createdAt, ownedBy } from './schema.js';
import type { SyncJobKind, SyncService } from './sync-records.js';

export const syncServices = ['intervals', 'strava'] as const satisfies readonly SyncService[];
export const syncJobKinds = [
  'backfill',
  'fetch-activity',
  'delete-activity',
  'deauthorize',
  'push-calendar',
] as const satisfies readonly SyncJobKind[];
export const syncJobStates = ['queued', 'running', 'done', 'failed'] as const;

/** `column in ('a','b')`: the values are ours (constants above), never input. */
const oneOf = (column: AnySQLiteColumn, values: readonly string[]): SQL =>
  sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(','))})`;

const service = () => text('service', { enum: syncServices }).notNull();
const at = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** The backfill's state as stored (JSON: dates as ISO text). */
export interface StoredBackfill {
  batch: string;
  months: number;
  identityKey: string;
  messageId: string | null;
  startedAt: string;
  listed: boolean;
  finishedAt: string | null;
}

/** One athlete's connection to one service: the sealed secret, the polling cursor, the backfill. */
export const connections = sqliteTable(
  'connections',
  {
    athleteId: ownedBy(),
    service: service(),
    externalAthleteId: text('external_athlete_id').notNull(),
    /** SecretBox text (`v1:…`): the API key or the tokens, never in the clear. */
    sealedSecret: text('sealed_secret').notNull(),
    pushCalendar: integer('push_calendar', { mode: 'boolean' }).notNull().default(true),
    connectedAt: at('connected_at').notNull(),
    lastSyncAt: at('last_sync_at'),
    /** The newest ride start seen. */
    cursor: at('cursor'),
    nextPollAt: at('next_poll_at'),
    backfill: text('backfill', { mode: 'json' }).$type<StoredBackfill>(),
  },
  (t) => [
    primaryKey({ columns: [t.athleteId, t.service] }),
    index('connections_service_external').on(t.service, t.externalAthleteId),
    index('connections_service_poll').on(t.service, t.nextPollAt),
    check('connections_service_check', oneOf(t.service, syncServices)),
  ],
);

/**
 * The persistent job queue, across athletes: claimed atomically under a lease (several processes on
 * one file share it), retried with a time, deduplicated by key whatever the job's state.
 */
export const syncJobs = sqliteTable(
  'sync_jobs',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    service: service(),
    kind: text('kind', { enum: syncJobKinds }).notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** The backfill that queued it, for its progress. */
    batch: text('batch'),
    dedupeKey: text('dedupe_key').unique('sync_jobs_dedupe_key'),
    state: text('state', { enum: syncJobStates }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    runAfter: at('run_after').notNull(),
    claimedBy: text('claimed_by'),
    claimedAt: at('claimed_at'),
    createdAt: createdAt(),
    finishedAt: at('finished_at'),
    lastError: text('last_error'),
  },
  (t) => [
    index('sync_jobs_claim').on(t.state, t.runAfter),
    index('sync_jobs_athlete_batch').on(t.athleteId, t.batch),
    index('sync_jobs_athlete_service').on(t.athleteId, t.service, t.state),
    check('sync_jobs_service_check', oneOf(t.service, syncServices)),
    check('sync_jobs_kind_check', oneOf(t.kind, syncJobKinds)),
    check('sync_jobs_state_check', oneOf(t.state, syncJobStates)),
  ],
);

/**
 * Every remote activity seen, ride or not: the activity it became (null for a non-ride, an
 * unreadable one, or a ride the athlete deleted since — still seen, so not fetched again).
 */
export const syncedActivities = sqliteTable(
  'synced_activities',
  {
    athleteId: ownedBy(),
    service: service(),
    externalId: text('external_id').notNull(),
    activityId: text('activity_id').references(() => activities.id, { onDelete: 'set null' }),
    seenAt: at('seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.athleteId, t.service, t.externalId] }),
    index('synced_activities_activity').on(t.activityId),
    check('synced_activities_service_check', oneOf(t.service, syncServices)),
  ],
);

/** Our workouts on the athlete's intervals.icu calendar, as last pushed. */
export const calendarEntries = sqliteTable(
  'calendar_entries',
  {
    athleteId: ownedBy(),
    externalId: text('external_id').notNull(),
    remoteId: text('remote_id'),
    /** YYYY-MM-DD */
    date: text('date').notNull(),
    contentHash: text('content_hash').notNull(),
    pushedAt: at('pushed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.athleteId, t.externalId] })],
);

/** A Strava authorization link's `state`, until the callback takes it (once) or it expires. */
export const oauthStates = sqliteTable(
  'oauth_states',
  {
    state: text('state').primaryKey(),
    athleteId: ownedBy(),
    identityKey: text('identity_key').notNull(),
    months: integer('months').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('oauth_states_expires').on(t.expiresAt), index('oauth_states_athlete').on(t.athleteId)],
);
