/**
 * The SQLite schema (drizzle). Portable by design, so that a PostgreSQL schema can follow: text
 * ids made by the app (no SQLite rowid semantics leak out), timestamps as UTC milliseconds,
 * JSON in text columns, enums as checked text. Every row that belongs to a person carries
 * `athlete_id` with ON DELETE CASCADE, so forgetting an athlete removes everything.
 */
import { sql } from 'drizzle-orm';
import {
  blob,
  check,
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import type { Activity } from '../domain/activity.js';
import { DEFAULT_SCHEDULE } from '../domain/reminder-schedule.js';

export const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull();
export const updatedAt = () => integer('updated_at', { mode: 'timestamp_ms' }).notNull();
/** Tokens a model read and wrote. */
const tokens = () => ({
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
});
/** Tokens and what they cost. */
const usage = () => ({ ...tokens(), costUsd: real('cost_usd').notNull().default(0) });

export const athletes = sqliteTable('athletes', {
  id: text('id').primaryKey(),
  displayName: text('display_name').notNull(),
  timeZone: text('time_zone').notNull().default('UTC'),
  units: text('units', { enum: ['metric', 'imperial'] })
    .notNull()
    .default('metric'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** A reference to the row this one belongs to: deleting that row deletes this one. */
export const belongsTo = (column: string, parent: () => AnySQLiteColumn) =>
  text(column).notNull().references(parent, { onDelete: 'cascade' });
/** The owner of a row. */
export const ownedBy = () => belongsTo('athlete_id', () => athletes.id);

/** `telegram:<user id>`, `discord:<user id>`, `cli:<name>` → athlete. One athlete, many identities. */
export const chatIdentities = sqliteTable(
  'chat_identities',
  {
    key: text('key').primaryKey(),
    athleteId: ownedBy(),
    createdAt: createdAt(),
  },
  (t) => [index('chat_identities_athlete').on(t.athleteId)],
);

/** Each change to the profile is a new row, valid from its date until the next one. */
export const profileVersions = sqliteTable(
  'profile_versions',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    validFrom: integer('valid_from', { mode: 'timestamp_ms' }).notNull(),
    ftp: real('ftp'),
    weightKg: real('weight_kg'),
    maxHr: real('max_hr'),
    lthr: real('lthr'),
    restingHr: real('resting_hr'),
    age: integer('age'),
    sex: text('sex', { enum: ['male', 'female'] }),
    goals: text('goals'),
    eventDate: text('event_date'),
    trainingDays: text('training_days', { mode: 'json' }).$type<string[]>(),
    weeklyHours: real('weekly_hours'),
    planWeeks: integer('plan_weeks'),
    createdAt: createdAt(),
  },
  (t) => [index('profile_versions_athlete_valid').on(t.athleteId, t.validFrom)],
);

/** Where an activity was read from: a FIT file, a Strava CSV row, Strava's API (the domain's `Activity['sourceKind']`). */
export const activitySourceKinds = ['fit', 'strava-csv', 'strava-api'] as const satisfies readonly Activity['sourceKind'][];

/** One row per real activity; every source it was seen in is in `activity_sources`. */
export const activities = sqliteTable(
  'activities',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    /** The ingest identity of the best source (FIT over CSV summary). */
    activityKey: text('activity_key').notNull(),
    source: text('source').notNull(),
    sourceKind: text('source_kind', { enum: activitySourceKinds }).notNull(),
    sourceHash: text('source_hash').notNull(),
    sessionIndex: integer('session_index').notNull(),
    sport: text('sport').notNull(),
    subSport: text('sub_sport'),
    sourceType: text('source_type').notNull(),
    name: text('name'),
    description: text('description'),
    externalId: text('external_id'),
    startTime: integer('start_time', { mode: 'timestamp_ms' }).notNull(),
    timerSeconds: real('timer_seconds'),
    elapsedSeconds: real('elapsed_seconds'),
    movingSeconds: real('moving_seconds'),
    distanceMeters: real('distance_meters'),
    ascentMeters: real('ascent_meters'),
    avgPower: real('avg_power'),
    maxPower: real('max_power'),
    normalizedPower: real('normalized_power'),
    power: text('power', { enum: ['measured', 'estimated', 'none'] }).notNull(),
    avgHeartRate: real('avg_heart_rate'),
    maxHeartRate: real('max_heart_rate'),
    avgCadence: real('avg_cadence'),
    avgSpeed: real('avg_speed'),
    workKilojoules: real('work_kilojoules'),
    device: text('device', { mode: 'json' }).$type<{
      normalizedPower: number | null;
      tss: number | null;
      ftp: number | null;
      intensityFactor: number | null;
    } | null>(),
    laps: text('laps', { mode: 'json' }).$type<unknown[]>().notNull(),
    warnings: text('warnings', { mode: 'json' }).$type<{ code: string; message: string }[]>().notNull(),
    /** FTP-independent metrics computed at upload (NP, power curve, histograms, ...). */
    metrics: text('metrics', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** The 1 Hz moving streams, compact (see stream-codec.ts); null for summaries. */
    streams: blob('streams', { mode: 'buffer' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('activities_athlete_start').on(t.athleteId, t.startTime),
    // a Strava activity finds its stored copy by its id (uploads.ts)
    index('activities_athlete_external').on(t.athleteId, t.externalId),
    uniqueIndex('activities_athlete_key').on(t.athleteId, t.activityKey),
  ],
);

/** Every file (or CSV row) an activity was seen in: the same source again is a duplicate. */
export const activitySources = sqliteTable(
  'activity_sources',
  {
    athleteId: ownedBy(),
    sourceHash: text('source_hash').notNull(),
    sessionIndex: integer('session_index').notNull(),
    activityId: text('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    sourceKind: text('source_kind', { enum: activitySourceKinds }).notNull(),
    uploadId: text('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.athleteId, t.sourceHash, t.sessionIndex] }), index('activity_sources_activity').on(t.activityId)],
);

export const uploads = sqliteTable(
  'uploads',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    fileNames: text('file_names', { mode: 'json' }).$type<string[]>().notNull(),
    /** Bytes received in this upload (the per-day upload quota). */
    bytes: integer('bytes').notNull().default(0),
    newCount: integer('new_count').notNull(),
    duplicateCount: integer('duplicate_count').notNull(),
    mergedCount: integer('merged_count').notNull(),
    errors: text('errors', { mode: 'json' }).$type<{ source: string; code: string; message: string }[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('uploads_athlete').on(t.athleteId, t.createdAt)],
);

export const runStatuses = ['queued', 'running', 'done', 'failed', 'interrupted'] as const;

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    status: text('status', { enum: runStatuses }).notNull(),
    periodFrom: text('period_from'),
    periodTo: text('period_to'),
    provider: text('provider'),
    model: text('model'),
    degraded: integer('degraded', { mode: 'boolean' }).notNull().default(false),
    ...usage(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /**
     * SHA-256 of what the analysis read (activities, profile history, athlete settings, period and
     * plan start): a new /analyze on unchanged inputs sends this run again instead of running anew.
     */
    inputHash: text('input_hash'),
    /** Set when something the run read was deleted since (its plan is out of date); null while current. */
    staleReason: text('stale_reason'),
    createdAt: createdAt(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    /** When its summary and reports reached the chat (a retried analysis job sends nothing again); null before. */
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('runs_athlete_created').on(t.athleteId, t.createdAt),
    index('runs_status').on(t.status),
    check('runs_status_check', sql`${t.status} in ('queued','running','done','failed','interrupted')`),
  ],
);

/** The run a row belongs to. */
const ofRun = () => belongsTo('run_id', () => runs.id);

export const runPhases = sqliteTable(
  'run_phases',
  {
    runId: ofRun(),
    athleteId: ownedBy(),
    phase: text('phase').notNull(),
    status: text('status', { enum: ['done', 'failed', 'degraded'] }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    ...tokens(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.phase] })],
);

export const reports = sqliteTable(
  'reports',
  {
    runId: ofRun(),
    athleteId: ownedBy(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    content: blob('content', { mode: 'buffer' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.fileName] }), index('reports_athlete').on(t.athleteId)],
);

/** What a message the bot sends first (the monthly reminder, the weekly check-in) keeps besides its schedule. */
export const scheduledMessage = () => ({
  timeZone: text('time_zone').notNull().default('UTC'),
  /** Where to deliver: the chat identity key the message goes to. */
  channelKey: text('channel_key'),
  nextDueAt: integer('next_due_at', { mode: 'timestamp_ms' }),
  lastSentAt: integer('last_sent_at', { mode: 'timestamp_ms' }),
  disabledReason: text('disabled_reason'),
  /** The ticker that is sending it now, and since when (a lease: stale claims are taken over). */
  claimedBy: text('claimed_by'),
  claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
  updatedAt: updatedAt(),
});

export const reminders = sqliteTable(
  'reminders',
  {
    athleteId: text('athlete_id')
      .primaryKey()
      .references(() => athletes.id, { onDelete: 'cascade' }),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** 1–28, or `last`. */
    dayOfMonth: text('day_of_month').notNull().default(DEFAULT_SCHEDULE.dayOfMonth),
    /** HH:MM in the athlete's time zone. */
    timeOfDay: text('time_of_day').notNull().default(DEFAULT_SCHEDULE.timeOfDay),
    ...scheduledMessage(),
  },
  (t) => [index('reminders_due').on(t.enabled, t.nextDueAt)],
);

/** Whatever a conversation needs to survive a restart, keyed by chat identity. */
export const chatState = sqliteTable('chat_state', {
  identityKey: text('identity_key').primaryKey(),
  athleteId: text('athlete_id').references(() => athletes.id, { onDelete: 'cascade' }),
  state: text('state', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  updatedAt: updatedAt(),
});

/** Every question asked to the coach: for the daily limit and token accounting. */
export const questions = sqliteTable(
  'questions',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    askedAt: integer('asked_at', { mode: 'timestamp_ms' }).notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    intent: text('intent'),
    ...usage(),
    /** Whether every figure in the answer came from a tool result (after at most one regeneration). */
    grounded: integer('grounded', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [index('questions_athlete_asked').on(t.athleteId, t.askedAt)],
);

export const usageKinds = ['file', 'bytes', 'analysis', 'question', 'link-failure'] as const;

/**
 * What the per-day quotas count (files and bytes sent, analyses started, questions asked, wrong
 * `/link` codes): one row per attempt, refused or not. Keyed by a keyed hash of the chat identity
 * (see usage-counters.ts), never the identity itself, with no athlete id and no file names: the
 * rows hold no personal data, so `/forget` leaves them (and the quotas hold across it) and
 * `/export` does not include them. Rows older than 24 h are deleted.
 */
export const usageEvents = sqliteTable(
  'usage_events',
  {
    id: text('id').primaryKey(),
    /** HMAC-SHA-256 of the chat identity key (hex). */
    subject: text('subject').notNull(),
    kind: text('kind', { enum: usageKinds }).notNull(),
    amount: integer('amount').notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('usage_events_subject_kind_at').on(t.subject, t.kind, t.at),
    index('usage_events_at').on(t.at),
    check('usage_events_kind_check', sql`${t.kind} in ('file','bytes','analysis','question','link-failure')`),
  ],
);
