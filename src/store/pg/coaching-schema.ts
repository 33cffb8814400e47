/**
 * The coaching loop's tables on PostgreSQL, mirroring src/store/coaching-schema.ts (whose comments
 * explain them): plan versions, rides matched to the plan, events, weekly check-ins.
 */
import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { PlanChange, WorkoutMatch } from '../../domain/coaching/types.js';
import type { Plan, PlanInput } from '../../domain/plan/types.js';
import { intBoolean, jsonText } from './columns.js';
import { activities, athletes, belongsTo, createdAt, ownedBy, scheduledMessage } from './schema.js';

export const planVersions = pgTable(
  'plan_versions',
  {
    athleteId: ownedBy(),
    version: integer('version').notNull(),
    reason: text('reason').notNull(),
    changes: jsonText<PlanChange[]>('changes').notNull(),
    plan: jsonText<Plan>('plan').notNull(),
    ftp: doublePrecision('ftp').notNull(),
    input: jsonText<PlanInput>('input').notNull(),
    sourceRunId: text('source_run_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.athleteId, t.version] })],
);

export const workoutMatches = pgTable(
  'workout_matches',
  {
    activityId: belongsTo('activity_id', () => activities.id).primaryKey(),
    athleteId: ownedBy(),
    planVersion: integer('plan_version').notNull(),
    workoutKey: text('workout_key'),
    date: text('date').notNull(),
    status: text('status', { enum: ['done', 'partial', 'extra'] }).notNull(),
    match: jsonText<WorkoutMatch>('match').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('workout_matches_athlete_date').on(t.athleteId, t.date),
    check('workout_matches_status_check', sql`${t.status} in ('done','partial','extra')`),
  ],
);

export const athleteEvents = pgTable(
  'athlete_events',
  {
    id: text('id').primaryKey(),
    athleteId: ownedBy(),
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

export const checkins = pgTable(
  'checkins',
  {
    athleteId: text('athlete_id')
      .primaryKey()
      .references(() => athletes.id, { onDelete: 'cascade' }),
    enabled: intBoolean('enabled').notNull(),
    weekday: text('weekday').notNull().default('mon'),
    timeOfDay: text('time_of_day').notNull().default('08:00'),
    ...scheduledMessage(),
  },
  (t) => [index('checkins_due').on(t.enabled, t.nextDueAt)],
);
