/**
 * The coaching loop's tables (schema.ts holds the others; drizzle.config.ts reads both): the
 * current plan's versions, each ride's match to the plan, the athlete's events and the weekly
 * check-in (settings and the ticker's claim, as for the monthly reminders).
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { PlanChange, WorkoutMatch } from '../domain/coaching/types.js';
import type { Plan, PlanInput } from '../domain/plan/types.js';
import { activities, athletes, belongsTo, createdAt, ownedBy, scheduledMessage } from './schema.js';

/** Every version of an athlete's current plan: the newest is the plan; the others are its history. */
export const planVersions = sqliteTable(
  'plan_versions',
  {
    athleteId: ownedBy(),
    version: integer('version').notNull(),
    reason: text('reason').notNull(),
    changes: text('changes', { mode: 'json' }).$type<PlanChange[]>().notNull(),
    plan: text('plan', { mode: 'json' }).$type<Plan>().notNull(),
    ftp: real('ftp').notNull(),
    input: text('input', { mode: 'json' }).$type<PlanInput>().notNull(),
    /** The analysis the plan came from; null for an adaptation. */
    sourceRunId: text('source_run_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.athleteId, t.version] })],
);

/** A ride compared with the plan: the workout it executed (or none: extra) and its compliance. */
export const workoutMatches = sqliteTable(
  'workout_matches',
  {
    activityId: belongsTo('activity_id', () => activities.id).primaryKey(),
    athleteId: ownedBy(),
    planVersion: integer('plan_version').notNull(),
    workoutKey: text('workout_key'),
    /** The planned workout's date (YYYY-MM-DD), or the ride's for an extra ride. */
    date: text('date').notNull(),
    status: text('status', { enum: ['done', 'partial', 'extra'] }).notNull(),
    match: text('match', { mode: 'json' }).$type<WorkoutMatch>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('workout_matches_athlete_date').on(t.athleteId, t.date),
    check('workout_matches_status_check', sql`${t.status} in ('done','partial','extra')`),
  ],
);

/** The athlete's events: A (peak and taper), B (short taper), C (trained through). */
export const athleteEvents = sqliteTable(
  'athlete_events',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
    /** YYYY-MM-DD */
    date: text('date').notNull(),
    priority: text('priority', { enum: ['A', 'B', 'C'] }).notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('athlete_events_athlete_date').on(t.athleteId, t.date),
    check('athlete_events_priority_check', sql`${t.priority} in ('A','B','C')`),
  ],
);

/** The weekly check-in: when (weekday and time in the athlete's zone), where, and the ticker's claim. */
export const checkins = sqliteTable(
  'checkins',
  {
    athleteId: text('athlete_id')
      .primaryKey()
      .references(() => athletes.id, { onDelete: 'cascade' }),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    /** mon … sun */
    weekday: text('weekday').notNull().default('mon'),
    /** HH:MM in the athlete's time zone. */
    timeOfDay: text('time_of_day').notNull().default('08:00'),
    ...scheduledMessage(),
  },
  (t) => [index('checkins_due').on(t.enabled, t.nextDueAt)],
);
