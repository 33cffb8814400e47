/**
 * The PostgreSQL schema (drizzle pg-core): the same tables, columns, keys, foreign keys and indexes
 * as the SQLite schema (src/store/schema.ts, whose comments explain each table), with values
 * stored the same way (columns.ts), so that `db:copy` moves a club's rows unchanged. The coaching
 * and sync tables are in coaching-schema.ts and sync-schema.ts beside this file;
 * tests/integration/pg-schema.test.ts fails when a column exists on one engine only.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { Activity } from '../../domain/activity.js';
import { DEFAULT_SCHEDULE } from '../../domain/reminder-schedule.js';
import { activitySourceKinds, runStatuses, usageKinds } from '../schema.js';
import { bytea, intBoolean, jsonText, timestampMs } from './columns.js';

export const createdAt = () => timestampMs('created_at').notNull();
export const updatedAt = () => timestampMs('updated_at').notNull();
const tokens = () => ({
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
});
const usage = () => ({ ...tokens(), costUsd: doublePrecision('cost_usd').notNull().default(0) });

export const athletes = pgTable('athletes', {
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
export const belongsTo = (column: string, parent: () => AnyPgColumn) => text(column).notNull().references(parent, { onDelete: 'cascade' });
/** The owner of a row. */
export const ownedBy = () => belongsTo('athlete_id', () => athletes.id);

export const chatIdentities = pgTable(
  'chat_identities',
  { key: text('key').primaryKey(), athleteId: ownedBy(), createdAt: createdAt() },
  (t) => [index('chat_identities_athlete').on(t.athleteId)],
);

export const profileVersions = pgTable(
  'profile_versions',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    validFrom: timestampMs('valid_from').notNull(),
    ftp: doublePrecision('ftp'),
    weightKg: doublePrecision('weight_kg'),
    maxHr: doublePrecision('max_hr'),
    lthr: doublePrecision('lthr'),
    restingHr: doublePrecision('resting_hr'),
    age: integer('age'),
    sex: text('sex', { enum: ['male', 'female'] }),
    goals: text('goals'),
    eventDate: text('event_date'),
    trainingDays: jsonText<string[]>('training_days'),
    weeklyHours: doublePrecision('weekly_hours'),
    planWeeks: integer('plan_weeks'),
    createdAt: createdAt(),
  },
  (t) => [index('profile_versions_athlete_valid').on(t.athleteId, t.validFrom)],
);

export const activities = pgTable(
  'activities',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
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
    startTime: timestampMs('start_time').notNull(),
    timerSeconds: doublePrecision('timer_seconds'),
    elapsedSeconds: doublePrecision('elapsed_seconds'),
    movingSeconds: doublePrecision('moving_seconds'),
    distanceMeters: doublePrecision('distance_meters'),
    ascentMeters: doublePrecision('ascent_meters'),
    avgPower: doublePrecision('avg_power'),
    maxPower: doublePrecision('max_power'),
    normalizedPower: doublePrecision('normalized_power'),
    power: text('power', { enum: ['measured', 'estimated', 'none'] }).notNull(),
    avgHeartRate: doublePrecision('avg_heart_rate'),
    maxHeartRate: doublePrecision('max_heart_rate'),
    avgCadence: doublePrecision('avg_cadence'),
    avgSpeed: doublePrecision('avg_speed'),
    workKilojoules: doublePrecision('work_kilojoules'),
    device: jsonText<{
      normalizedPower: number | null;
      tss: number | null;
      ftp: number | null;
      intensityFactor: number | null;
    } | null>('device'),
    laps: jsonText<unknown[]>('laps').notNull(),
    warnings: jsonText<Activity['warnings']>('warnings').notNull(),
    metrics: jsonText<Record<string, unknown>>('metrics').notNull(),
    streams: bytea('streams'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('activities_athlete_start').on(t.athleteId, t.startTime),
    index('activities_athlete_external').on(t.athleteId, t.externalId),
    uniqueIndex('activities_athlete_key').on(t.athleteId, t.activityKey),
  ],
);

export const activitySources = pgTable(
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

export const uploads = pgTable(
  'uploads',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    fileNames: jsonText<string[]>('file_names').notNull(),
    // bigint: an upload's bytes may pass 2 GiB (PostgreSQL's integer is 32-bit, SQLite's 64)
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    newCount: integer('new_count').notNull(),
    duplicateCount: integer('duplicate_count').notNull(),
    mergedCount: integer('merged_count').notNull(),
    errors: jsonText<{ source: string; code: string; message: string }[]>('errors').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('uploads_athlete').on(t.athleteId, t.createdAt)],
);

export const runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    status: text('status', { enum: runStatuses }).notNull(),
    periodFrom: text('period_from'),
    periodTo: text('period_to'),
    provider: text('provider'),
    model: text('model'),
    degraded: intBoolean('degraded')
      .notNull()
      .default(sql`0`),
    ...usage(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    inputHash: text('input_hash'),
    staleReason: text('stale_reason'),
    createdAt: createdAt(),
    startedAt: timestampMs('started_at'),
    finishedAt: timestampMs('finished_at'),
    deliveredAt: timestampMs('delivered_at'),
  },
  (t) => [
    index('runs_athlete_created').on(t.athleteId, t.createdAt),
    index('runs_status').on(t.status),
    check('runs_status_check', sql`${t.status} in ('queued','running','done','failed','interrupted')`),
  ],
);

const ofRun = () => belongsTo('run_id', () => runs.id);

export const runPhases = pgTable(
  'run_phases',
  {
    runId: ofRun(),
    athleteId: ownedBy(),
    phase: text('phase').notNull(),
    status: text('status', { enum: ['done', 'failed', 'degraded'] }).notNull(),
    startedAt: timestampMs('started_at').notNull(),
    durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
    ...tokens(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.phase] })],
);

export const reports = pgTable(
  'reports',
  {
    runId: ofRun(),
    athleteId: ownedBy(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    content: bytea('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.fileName] }), index('reports_athlete').on(t.athleteId)],
);

/** What a message the bot sends first keeps besides its schedule (SQLite's `scheduledMessage`). */
export const scheduledMessage = () => ({
  timeZone: text('time_zone').notNull().default('UTC'),
  channelKey: text('channel_key'),
  nextDueAt: timestampMs('next_due_at'),
  lastSentAt: timestampMs('last_sent_at'),
  disabledReason: text('disabled_reason'),
  claimedBy: text('claimed_by'),
  claimedAt: timestampMs('claimed_at'),
  updatedAt: updatedAt(),
});

export const reminders = pgTable(
  'reminders',
  {
    athleteId: text('athlete_id')
      .primaryKey()
      .references(() => athletes.id, { onDelete: 'cascade' }),
    enabled: intBoolean('enabled').notNull(),
    dayOfMonth: text('day_of_month').notNull().default(DEFAULT_SCHEDULE.dayOfMonth),
    timeOfDay: text('time_of_day').notNull().default(DEFAULT_SCHEDULE.timeOfDay),
    ...scheduledMessage(),
  },
  (t) => [index('reminders_due').on(t.enabled, t.nextDueAt)],
);

export const chatState = pgTable('chat_state', {
  identityKey: text('identity_key').primaryKey(),
  athleteId: text('athlete_id').references(() => athletes.id, { onDelete: 'cascade' }),
  state: jsonText<Record<string, unknown>>('state').notNull(),
  updatedAt: updatedAt(),
});

export const questions = pgTable(
  'questions',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    askedAt: timestampMs('asked_at').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    intent: text('intent'),
    ...usage(),
    grounded: intBoolean('grounded')
      .notNull()
      .default(sql`1`),
  },
  (t) => [index('questions_athlete_asked').on(t.athleteId, t.askedAt)],
);

export const usageEvents = pgTable(
  'usage_events',
  {
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    kind: text('kind', { enum: usageKinds }).notNull(),
    // bigint: a `bytes` event counts a whole upload's bytes
    amount: bigint('amount', { mode: 'number' }).notNull(),
    at: timestampMs('at').notNull(),
  },
  (t) => [
    index('usage_events_subject_kind_at').on(t.subject, t.kind, t.at),
    index('usage_events_at').on(t.at),
    check('usage_events_kind_check', sql`${t.kind} in ('file','bytes','analysis','question','link-failure')`),
  ],
);
