/**
 * One athlete's side of the intervals.icu and Strava sync: their connections (the secret sealed
 * before it gets here), the remote activities seen and what they became, and our workouts on
 * their intervals.icu calendar. The cross-athlete queue is in sync-queue.ts.
 */
import { and, asc, count, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { Blocking, AthleteSyncRepository } from '../ports.js';
import * as s from '../sync-schema.js';
import type {
  BackfillState,
  CalendarEntry,
  ConnectionChanges,
  ExportedConnection,
  NewConnection,
  StoredConnection,
  SyncService,
} from '../sync-records.js';
import { IMMEDIATE, type AthleteScope } from './scope.js';

type ConnectionRow = typeof s.connections.$inferSelect;

export class SqliteAthleteSyncRepository implements Blocking<AthleteSyncRepository> {
  constructor(private readonly scope: AthleteScope) {}

  private ofService<T extends typeof s.connections | typeof s.syncedActivities | typeof s.syncJobs>(table: T, service: SyncService) {
    return and(eq(table.athleteId, this.scope.athleteId), eq(table.service, service));
  }

  connection(service: SyncService): StoredConnection | null {
    const row = this.scope.db.select().from(s.connections).where(this.ofService(s.connections, service)).get();
    return row ? connectionOf(row) : null;
  }

  /** Every connection of the athlete, by service. */
  connections(): StoredConnection[] {
    return this.scope.db
      .select()
      .from(s.connections)
      .where(eq(s.connections.athleteId, this.scope.athleteId))
      .orderBy(asc(s.connections.service))
      .all()
      .map(connectionOf);
  }

  /**
   * Connects a service, or connects it again (a new key, new tokens): one row per service. A
   * re-connect keeps when it was first connected, the last sync and the cursor only when it is the
   * same account on the service; what is not given keeps its value (on a first connect: calendar
   * pushed, polled at once, no backfill).
   */
  saveConnection(c: NewConnection): StoredConnection {
    const { db, athleteId, clock } = this.scope;
    return db.transaction((tx) => {
      const old = tx.select().from(s.connections).where(this.ofService(s.connections, c.service)).get();
      const sameAccount = old?.externalAthleteId === c.externalAthleteId;
      const row: ConnectionRow = {
        athleteId,
        service: c.service,
        externalAthleteId: c.externalAthleteId,
        sealedSecret: c.sealedSecret,
        pushCalendar: c.pushCalendar ?? old?.pushCalendar ?? true,
        connectedAt: sameAccount ? old.connectedAt : clock(),
        lastSyncAt: sameAccount ? old.lastSyncAt : null,
        cursor: sameAccount ? old.cursor : null,
        nextPollAt: c.nextPollAt !== undefined ? c.nextPollAt : (old?.nextPollAt ?? null),
        backfill: c.backfill !== undefined ? storedBackfill(c.backfill) : (old?.backfill ?? null),
      };
      const { athleteId: _a, service: _s, ...set } = row;
      tx.insert(s.connections)
        .values(row)
        .onConflictDoUpdate({ target: [s.connections.athleteId, s.connections.service], set })
        .run();
      return connectionOf(row);
    }, IMMEDIATE);
  }

  /** Changes what is given; false when the service is not connected. */
  updateConnection(service: SyncService, changes: ConnectionChanges): boolean {
    const { backfill, ...rest } = changes;
    const set = { ...rest, ...(backfill !== undefined ? { backfill: storedBackfill(backfill) } : {}) };
    if (Object.keys(set).length === 0) return this.connection(service) !== null;
    return this.scope.db.update(s.connections).set(set).where(this.ofService(s.connections, service)).run().changes === 1;
  }

  /**
   * Disconnects a service: the connection (its secret), its unfinished jobs (but a `deauthorize`,
   * which is queued for after), which remote activities were seen and, for intervals.icu, our
   * calendar entries. The rides themselves stay activities. False when it was not connected.
   */
  deleteConnection(service: SyncService): boolean {
    const { db, athleteId } = this.scope;
    return db.transaction((tx) => {
      const deleted = tx.delete(s.connections).where(this.ofService(s.connections, service)).run().changes > 0;
      tx.delete(s.syncJobs)
        .where(
          and(this.ofService(s.syncJobs, service), inArray(s.syncJobs.state, ['queued', 'running']), ne(s.syncJobs.kind, 'deauthorize')),
        )
        .run();
      tx.delete(s.syncedActivities).where(this.ofService(s.syncedActivities, service)).run();
      if (service === 'intervals') tx.delete(s.calendarEntries).where(eq(s.calendarEntries.athleteId, athleteId)).run();
      return deleted;
    }, IMMEDIATE);
  }

  /** The connections as `/export` gives them back: no secret, sealed or not. */
  exportedConnections(): ExportedConnection[] {
    return this.connections().map(({ service, externalAthleteId, connectedAt, lastSyncAt, pushCalendar }) => ({
      service,
      externalAthleteId,
      connectedAt,
      lastSyncAt,
      pushCalendar,
    }));
  }

  // ---- remote activities seen ----

  /** Whether this remote activity was seen, and the activity it became (null: not a ride, or unreadable). */
  syncedActivity(service: SyncService, externalId: string): { activityId: string | null } | null {
    const row = this.scope.db
      .select({ activityId: s.syncedActivities.activityId })
      .from(s.syncedActivities)
      .where(and(this.ofService(s.syncedActivities, service), eq(s.syncedActivities.externalId, externalId)))
      .get();
    return row ?? null;
  }

  /** Records a remote activity as seen (again: the newest outcome wins). */
  recordSyncedActivity(service: SyncService, externalId: string, activityId: string | null): void {
    const seenAt = this.scope.clock();
    this.scope.db
      .insert(s.syncedActivities)
      .values({ athleteId: this.scope.athleteId, service, externalId, activityId, seenAt })
      .onConflictDoUpdate({
        target: [s.syncedActivities.athleteId, s.syncedActivities.service, s.syncedActivities.externalId],
        set: { activityId, seenAt },
      })
      .run();
  }

  /** How many remote activities of the service became activities. */
  syncedCount(service: SyncService): number {
    const row = this.scope.db
      .select({ n: count() })
      .from(s.syncedActivities)
      .where(and(this.ofService(s.syncedActivities, service), isNotNull(s.syncedActivities.activityId)))
      .get();
    return row?.n ?? 0;
  }

  /** The service's id of the remote activity that became `activityId`, if one did. */
  externalIdOf(service: SyncService, activityId: string): string | null {
    const row = this.scope.db
      .select({ externalId: s.syncedActivities.externalId })
      .from(s.syncedActivities)
      .where(and(this.ofService(s.syncedActivities, service), eq(s.syncedActivities.activityId, activityId)))
      .orderBy(asc(s.syncedActivities.seenAt))
      .get();
    return row?.externalId ?? null;
  }

  // ---- our workouts on the intervals.icu calendar ----

  /** Every entry, by date. */
  calendarEntries(): CalendarEntry[] {
    return this.scope.db
      .select({
        externalId: s.calendarEntries.externalId,
        remoteId: s.calendarEntries.remoteId,
        date: s.calendarEntries.date,
        contentHash: s.calendarEntries.contentHash,
        pushedAt: s.calendarEntries.pushedAt,
      })
      .from(s.calendarEntries)
      .where(eq(s.calendarEntries.athleteId, this.scope.athleteId))
      .orderBy(asc(s.calendarEntries.date), asc(s.calendarEntries.externalId))
      .all();
  }

  /** Records an entry as pushed (inserted or replaced). */
  saveCalendarEntry(e: CalendarEntry): void {
    const { externalId, ...set } = e;
    this.scope.db
      .insert(s.calendarEntries)
      .values({ athleteId: this.scope.athleteId, externalId, ...set })
      .onConflictDoUpdate({ target: [s.calendarEntries.athleteId, s.calendarEntries.externalId], set })
      .run();
  }

  deleteCalendarEntry(externalId: string): void {
    this.scope.db
      .delete(s.calendarEntries)
      .where(and(eq(s.calendarEntries.athleteId, this.scope.athleteId), eq(s.calendarEntries.externalId, externalId)))
      .run();
  }
}

/** A stored row as the record callers see (the backfill's dates as dates). */
export function connectionOf(row: ConnectionRow): StoredConnection {
  const b = row.backfill;
  return {
    service: row.service,
    externalAthleteId: row.externalAthleteId,
    sealedSecret: row.sealedSecret,
    pushCalendar: row.pushCalendar,
    connectedAt: row.connectedAt,
    lastSyncAt: row.lastSyncAt,
    cursor: row.cursor,
    nextPollAt: row.nextPollAt,
    backfill: b ? { ...b, startedAt: new Date(b.startedAt), finishedAt: b.finishedAt === null ? null : new Date(b.finishedAt) } : null,
  };
}

function storedBackfill(b: BackfillState | null): s.StoredBackfill | null {
  if (!b) return null;
  return {
    batch: b.batch,
    months: b.months,
    identityKey: b.identityKey,
    messageId: b.messageId,
    startedAt: b.startedAt.toISOString(),
    listed: b.listed,
    finishedAt: b.finishedAt ? b.finishedAt.toISOString() : null,
  };
}
