/**
 * One athlete's coaching loop: the current plan's versions (the newest is the plan, all of them its
 * history), each ride's match to the plan, and the athlete's events.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { AthleteEvent, EventPriority, PlanVersion, WorkoutMatch } from '../../domain/coaching/types.js';
import * as c from '../coaching-schema.js';
import type { Blocking, CoachingRepository } from '../ports.js';
import { IMMEDIATE, type AthleteScope } from './scope.js';

/** A version to store: the number and time are the store's. */
export type NewPlanVersion = Omit<PlanVersion, 'version' | 'createdAt'>;

export class SqliteCoachingRepository implements Blocking<CoachingRepository> {
  constructor(private readonly scope: AthleteScope) {}

  private get owned() {
    return { planVersions: eq(c.planVersions.athleteId, this.scope.athleteId) };
  }

  /** The newest version: the athlete's current plan (one query). */
  currentPlanVersion(): PlanVersion | null {
    const row = this.scope.db.select().from(c.planVersions).where(this.owned.planVersions).orderBy(desc(c.planVersions.version)).get();
    return row ? planVersion(row) : null;
  }

  /** Every version, oldest first. */
  planVersions(): PlanVersion[] {
    return this.scope.db
      .select()
      .from(c.planVersions)
      .where(this.owned.planVersions)
      .orderBy(asc(c.planVersions.version))
      .all()
      .map(planVersion);
  }

  /** Stores the next version (numbered after the newest, atomically) and returns it. */
  savePlanVersion(next: NewPlanVersion): PlanVersion {
    const { db, athleteId, clock } = this.scope;
    return db.transaction((tx) => {
      const newest = tx
        .select({ version: c.planVersions.version })
        .from(c.planVersions)
        .where(eq(c.planVersions.athleteId, athleteId))
        .orderBy(desc(c.planVersions.version))
        .get();
      const row = { athleteId, version: (newest?.version ?? 0) + 1, createdAt: clock(), ...next };
      tx.insert(c.planVersions).values(row).run();
      return planVersion(row);
    }, IMMEDIATE);
  }

  /** Stores (or replaces) a ride's match. */
  saveMatch(match: WorkoutMatch, planVersionNumber: number): void {
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
    this.scope.db
      .insert(c.workoutMatches)
      .values(row)
      .onConflictDoUpdate({ target: c.workoutMatches.activityId, set: { ...row, createdAt: undefined } })
      .run();
  }

  /** Every match, by planned date then ride. */
  matches(): WorkoutMatch[] {
    return this.scope.db
      .select({ match: c.workoutMatches.match })
      .from(c.workoutMatches)
      .where(eq(c.workoutMatches.athleteId, this.scope.athleteId))
      .orderBy(asc(c.workoutMatches.date), asc(c.workoutMatches.createdAt))
      .all()
      .map((r) => r.match);
  }

  /** The match of one ride, if it has one. */
  matchOf(activityId: string): WorkoutMatch | null {
    const row = this.scope.db
      .select({ match: c.workoutMatches.match })
      .from(c.workoutMatches)
      .where(and(eq(c.workoutMatches.athleteId, this.scope.athleteId), eq(c.workoutMatches.activityId, activityId)))
      .get();
    return row?.match ?? null;
  }

  /** The athlete's events, by date. */
  events(): AthleteEvent[] {
    return this.scope.db
      .select({ id: c.athleteEvents.id, date: c.athleteEvents.date, priority: c.athleteEvents.priority, name: c.athleteEvents.name })
      .from(c.athleteEvents)
      .where(eq(c.athleteEvents.athleteId, this.scope.athleteId))
      .orderBy(asc(c.athleteEvents.date), asc(c.athleteEvents.createdAt))
      .all();
  }

  addEvent(event: { date: string; priority: EventPriority; name: string }): AthleteEvent {
    const row = { id: randomUUID(), ...event };
    this.scope.db
      .insert(c.athleteEvents)
      .values({ ...row, athleteId: this.scope.athleteId, createdAt: this.scope.clock() })
      .run();
    return row;
  }

  /** Removes one event by id; returns it, or null when it is not this athlete's. */
  removeEvent(eventId: string): AthleteEvent | null {
    const removed = this.scope.db
      .delete(c.athleteEvents)
      .where(and(eq(c.athleteEvents.athleteId, this.scope.athleteId), eq(c.athleteEvents.id, eventId)))
      .returning({ id: c.athleteEvents.id, date: c.athleteEvents.date, priority: c.athleteEvents.priority, name: c.athleteEvents.name })
      .get();
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
