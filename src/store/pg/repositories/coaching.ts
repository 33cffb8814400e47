/**
 * One athlete's coaching loop on PostgreSQL, mirroring ../../repositories/coaching.ts: the current
 * plan's versions (the newest is the plan, all of them its history), each ride's match to the
 * plan, and the athlete's events.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, sql, type SQLWrapper } from 'drizzle-orm';
import type { AthleteEvent, EventPriority, PlanVersion, WorkoutMatch } from '../../../domain/coaching/types.js';
import type { CoachingRepository } from '../../ports.js';
import * as c from '../coaching-schema.js';
import { lockAthlete, type PgAthleteScope } from './scope.js';

/** A version to store: the number and time are the store's. */
export type PgNewPlanVersion = Omit<PlanVersion, 'version' | 'createdAt'>;

/** Dates (`YYYY-MM-DD` text) in byte order, as SQLite sorts them, whatever the database's collation. */
const bytewise = (column: SQLWrapper) => sql`${column} collate "C"`;

/** The coaching repository of one athlete on PostgreSQL. */
export class PgCoachingRepository implements CoachingRepository {
  constructor(private readonly scope: PgAthleteScope) {}

  /** The newest version: the athlete's current plan (one query). */
  async currentPlanVersion(): Promise<PlanVersion | null> {
    const [row] = await this.scope.db
      .select()
      .from(c.planVersions)
      .where(eq(c.planVersions.athleteId, this.scope.athleteId))
      .orderBy(desc(c.planVersions.version))
      .limit(1);
    return row ? planVersion(row) : null;
  }

  /** Every version, oldest first. */
  async planVersions(): Promise<PlanVersion[]> {
    const rows = await this.scope.db
      .select()
      .from(c.planVersions)
      .where(eq(c.planVersions.athleteId, this.scope.athleteId))
      .orderBy(asc(c.planVersions.version));
    return rows.map(planVersion);
  }

  /**
   * Stores the next version (numbered after the newest) and returns it. The athlete's lock makes
   * the read of the newest and the insert one step, as SQLite's IMMEDIATE transaction does: two
   * processes saving at once get consecutive numbers, not one key twice.
   */
  async savePlanVersion(next: PgNewPlanVersion): Promise<PlanVersion> {
    const { db, athleteId, clock } = this.scope;
    return db.transaction(async (tx) => {
      await lockAthlete(tx, athleteId);
      const [newest] = await tx
        .select({ version: c.planVersions.version })
        .from(c.planVersions)
        .where(eq(c.planVersions.athleteId, athleteId))
        .orderBy(desc(c.planVersions.version))
        .limit(1);
      const row = { athleteId, version: (newest?.version ?? 0) + 1, createdAt: clock(), ...next };
      await tx.insert(c.planVersions).values(row);
      return planVersion(row);
    });
  }

  /** Stores (or replaces) a ride's match. */
  async saveMatch(match: WorkoutMatch, planVersionNumber: number): Promise<void> {
    const row = {
      activityId: match.activityId,
      athleteId: this.scope.athleteId,
      planVersion: planVersionNumber,
      workoutKey: match.workoutKey,
      date: match.date,
      status: match.status,
      match,
      createdAt: this.scope.clock(),
    };
    await this.scope.db
      .insert(c.workoutMatches)
      .values(row)
      .onConflictDoUpdate({ target: c.workoutMatches.activityId, set: { ...row, createdAt: undefined } });
  }

  /** Every match, by planned date then ride. */
  async matches(): Promise<WorkoutMatch[]> {
    const rows = await this.scope.db
      .select({ match: c.workoutMatches.match })
      .from(c.workoutMatches)
      .where(eq(c.workoutMatches.athleteId, this.scope.athleteId))
      .orderBy(bytewise(c.workoutMatches.date), asc(c.workoutMatches.createdAt));
    return rows.map((r) => r.match);
  }

  /** The match of one ride, if it has one. */
  async matchOf(activityId: string): Promise<WorkoutMatch | null> {
    const [row] = await this.scope.db
      .select({ match: c.workoutMatches.match })
      .from(c.workoutMatches)
      .where(and(eq(c.workoutMatches.athleteId, this.scope.athleteId), eq(c.workoutMatches.activityId, activityId)))
      .limit(1);
    return row?.match ?? null;
  }

  /** The athlete's events, by date. */
  async events(): Promise<AthleteEvent[]> {
    return this.scope.db
      .select({ id: c.athleteEvents.id, date: c.athleteEvents.date, priority: c.athleteEvents.priority, name: c.athleteEvents.name })
      .from(c.athleteEvents)
      .where(eq(c.athleteEvents.athleteId, this.scope.athleteId))
      .orderBy(bytewise(c.athleteEvents.date), asc(c.athleteEvents.createdAt));
  }

  /** Adds an event (a new id) and returns it. */
  async addEvent(event: { date: string; priority: EventPriority; name: string }): Promise<AthleteEvent> {
    const row = { id: randomUUID(), ...event };
    await this.scope.db.insert(c.athleteEvents).values({ ...row, athleteId: this.scope.athleteId, createdAt: this.scope.clock() });
    return row;
  }

  /** Removes one event by id; returns it, or null when it is not this athlete's. */
  async removeEvent(eventId: string): Promise<AthleteEvent | null> {
    const [removed] = await this.scope.db
      .delete(c.athleteEvents)
      .where(and(eq(c.athleteEvents.athleteId, this.scope.athleteId), eq(c.athleteEvents.id, eventId)))
      .returning({ id: c.athleteEvents.id, date: c.athleteEvents.date, priority: c.athleteEvents.priority, name: c.athleteEvents.name });
    return removed ?? null;
  }
}

function planVersion(row: typeof c.planVersions.$inferSelect): PlanVersion {
  return {
    version: row.version,
    createdAt: row.createdAt,
    reason: row.reason,
    changes: row.changes,
    plan: row.plan,
    ftp: row.ftp,
    sourceRunId: row.sourceRunId,
    input: row.input,
  };
}
