/**
 * The intervals.icu and Strava sync tables on PostgreSQL, mirroring src/store/sync-schema.ts
 * (whose comments explain them): connections, the sync job queue, remote rides seen, calendar
 * entries and pending Strava authorizations.
 */
import { sql, type SQL } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { syncJobKinds, syncJobStates, syncServices, type StoredBackfill } from '../sync-schema.js';
import { intBoolean, jsonText, timestampMs } from './columns.js';
import { activities, createdAt, ownedBy } from './schema.js';

/** `column in ('a','b')`: the values are ours (constants), never input. */
const oneOf = (column: AnyPgColumn, values: readonly string[]): SQL =>
  sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(','))})`;

const service = () => text('service', { enum: syncServices }).notNull();

export const connections = pgTable(
  'connections',
  {
    athleteId: ownedBy(),
    service: service(),
    externalAthleteId: text('external_athlete_id').notNull(),
    sealedSecret: text('sealed_secret').notNull(),
    pushCalendar: intBoolean('push_calendar')
      .notNull()
      .default(sql`1`),
    connectedAt: timestampMs('connected_at').notNull(),
    lastSyncAt: timestampMs('last_sync_at'),
    cursor: timestampMs('cursor'),
    nextPollAt: timestampMs('next_poll_at'),
    backfill: jsonText<StoredBackfill>('backfill'),
  },
  (t) => [
    primaryKey({ columns: [t.athleteId, t.service] }),
    index('connections_service_external').on(t.service, t.externalAthleteId),
    index('connections_service_poll').on(t.service, t.nextPollAt),
    check('connections_service_check', oneOf(t.service, syncServices)),
  ],
);

export const syncJobs = pgTable(
  'sync_jobs',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    service: service(),
    kind: text('kind', { enum: syncJobKinds }).notNull(),
    payload: jsonText<Record<string, unknown>>('payload').notNull(),
    batch: text('batch'),
    dedupeKey: text('dedupe_key').unique('sync_jobs_dedupe_key'),
    state: text('state', { enum: syncJobStates }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    runAfter: timestampMs('run_after').notNull(),
    claimedBy: text('claimed_by'),
    claimedAt: timestampMs('claimed_at'),
    createdAt: createdAt(),
    finishedAt: timestampMs('finished_at'),
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

export const syncedActivities = pgTable(
  'synced_activities',
  {
    athleteId: ownedBy(),
    service: service(),
    externalId: text('external_id').notNull(),
    activityId: text('activity_id').references(() => activities.id, { onDelete: 'set null' }),
    seenAt: timestampMs('seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.athleteId, t.service, t.externalId] }),
    index('synced_activities_activity').on(t.activityId),
    check('synced_activities_service_check', oneOf(t.service, syncServices)),
  ],
);

export const calendarEntries = pgTable(
  'calendar_entries',
  {
    athleteId: ownedBy(),
    externalId: text('external_id').notNull(),
    remoteId: text('remote_id'),
    date: text('date').notNull(),
    contentHash: text('content_hash').notNull(),
    pushedAt: timestampMs('pushed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.athleteId, t.externalId] })],
);

export const oauthStates = pgTable(
  'oauth_states',
  {
    state: text('state').primaryKey(),
    athleteId: ownedBy(),
    identityKey: text('identity_key').notNull(),
    months: integer('months').notNull(),
    expiresAt: timestampMs('expires_at').notNull(),
  },
  (t) => [index('oauth_states_expires').on(t.expiresAt), index('oauth_states_athlete').on(t.athleteId)],
);
