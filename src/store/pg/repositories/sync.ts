/**
 * One athlete's side of the intervals.icu and Strava sync on PostgreSQL (the port:
 * AthleteSyncRepository in ../../ports.ts), mirroring ../../repositories/sync.ts: their connections
 * (the secret sealed before it gets here: the store stores the sealed text and never sees a key
 * or a token), the remote activities seen and what they became, and our workouts on their
 * intervals.icu calendar. The cross-athlete queue is in sync-queue.ts.
 */
import { and, asc, count, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { AthleteSyncRepository } from '../../ports.js';
import { connectionOf } from '../../repositories/sync.js';
import type {
  BackfillState,
  CalendarEntry,
  ConnectionChanges,
  ExportedConnection,
  NewConnection,
  StoredConnection,
  SyncService,
} from '../../sync-records.js';
import type { StoredBackfill } from '../../sync-schema.js';
import * as s from '../sync-schema.js';
import { lockAthlete, type PgAthleteScope } from './scope.js';

type ConnectionRow = typeof s.connections.$inferSelect;

/** One athlete's connections, remote activities seen and calendar entries on PostgreSQL. */
export class PgAthleteSyncRepository implements AthleteSyncRepository {
  constructor(private readonly scope: PgAthleteScope) {}

  private ofService<T extends typeof s.connections | typeof s.syncedActivities | typeof s.syncJobs>(table: T, service: SyncService) {
    return and(eq(table.athleteId, this.scope.athleteId), eq(table.service, service));
  }

  async connection(service: SyncService): Promise<StoredConnection | null> {
    const [row] = await this.scope.db.select().from(s.connections).where(this.ofService(s.connections, service)).limit(1);
    return row ? connectionOf(row) : null;
  }

  /** Every connection of the athlete, by service. */
  async connections(): Promise<StoredConnection[]> {
    const rows = await this.scope.db
      .select()
      .from(s.connections)
      .where(eq(s.connections.athleteId, this.scope.athleteId))
      .orderBy(sql`${s.connections.service} collate "C"`);
    return rows.map(connectionOf);
  }

  /**
   * Connects a service, or connects it again (a new key, new tokens): one row per service. A
   * re-connect keeps when it was first connected, the last sync and the cursor only when it is the
   * same account on the service; what is not given keeps its value (on a first connect: calendar
   * pushed, polled at once, no backfill). Under the athlete's lock: two re-connects at once read
   * and write one after the other, as SQLite's IMMEDIATE transaction makes them.
   */
  async saveConnection(c: NewConnection): Promise<StoredConnection> {
    const { db, athleteId, clock } = this.scope;
    return db.transaction(async (tx) => {
      await lockAthlete(tx, athleteId);
      const [old] = await tx.select().from(s.connections).where(this.ofService(s.connections, c.service)).limit(1);
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
      await tx
        .insert(s.connections)
        .values(row)
        .onConflictDoUpdate({ target: [s.connections.athleteId, s.connections.service], set });
      return connectionOf(row);
    });
  }

  /** Changes what is given; false when the service is not connected. */
  async updateConnection(service: SyncService, changes: ConnectionChanges): Promise<boolean> {
    const { backfill, ...rest } = changes;
    const set = { ...rest, ...(backfill !== undefined ? { backfill: storedBackfill(backfill) } : {}) };
    if (Object.keys(set).length === 0) return (await this.connection(service)) !== null;
    const updated = await this.scope.db.update(s.connections).set(set).where(this.ofService(s.connections, service));
    return updated.rowCount === 1;
  }

  /**
   * Disconnects a service: the connection (its secret), its unfinished jobs (but a `deauthorize`,
   * which is queued for after), which remote activities were seen and, for intervals.icu, our
   * calendar entries — all or nothing. The rides themselves stay activities. False when it was not
   * connected.
   */
  async deleteConnection(service: SyncService): Promise<boolean> {
    const { db, athleteId } = this.scope;
    return db.transaction(async (tx) => {
      // Serialised with a re-connect of the same athlete, as on SQLite's single writer.
      await lockAthlete(tx, athleteId);
      const deleted = ((await tx.delete(s.connections).where(this.ofService(s.connections, service))).rowCount ?? 0) > 0;
      await tx
        .delete(s.syncJobs)
        .where(
          and(this.ofService(s.syncJobs, service), inArray(s.syncJobs.state, ['queued', 'running']), ne(s.syncJobs.kind, 'deauthorize')),
        );
      await tx.delete(s.syncedActivities).where(this.ofService(s.syncedActivities, service));
      if (service === 'intervals') await tx.delete(s.calendarEntries).where(eq(s.calendarEntries.athleteId, athleteId));
      return deleted;
    });
  }

  /** The connections as `/export` gives them back: no secret, sealed or not. */
  async exportedConnections(): Promise<ExportedConnection[]> {
    return (await this.connections()).map(({ service, externalAthleteId, connectedAt, lastSyncAt, pushCalendar }) => ({
      service,
      externalAthleteId,
      connectedAt,
      lastSyncAt,
      pushCalendar,
    }));
  }

  // ---- remote activities seen ----

  /** Whether this remote activity was seen, and the activity it became (null: not a ride, or unreadable). */
  async syncedActivity(service: SyncService, externalId: string): Promise<{ activityId: string | null } | null> {
    const [row] = await this.scope.db
      .select({ activityId: s.syncedActivities.activityId })
      .from(s.syncedActivities)
      .where(and(this.ofService(s.syncedActivities, service), eq(s.syncedActivities.externalId, externalId)))
      .limit(1);
    return row ?? null;
  }

  /** Records a remote activity as seen (again: the newest outcome wins). */
  async recordSyncedActivity(service: SyncService, externalId: string, activityId: string | null): Promise<void> {
    const seenAt = this.scope.clock();
    await this.scope.db
      .insert(s.syncedActivities)
      .values({ athleteId: this.scope.athleteId, service, externalId, activityId, seenAt })
      .onConflictDoUpdate({
        target: [s.syncedActivities.athleteId, s.syncedActivities.service, s.syncedActivities.externalId],
        set: { activityId, seenAt },
      });
  }

  /** How many remote activities of the service became activities. */
  async syncedCount(service: SyncService): Promise<number> {
    const [row] = await this.scope.db
      .select({ n: count() })
      .from(s.syncedActivities)
      .where(and(this.ofService(s.syncedActivities, service), isNotNull(s.syncedActivities.activityId)));
    return Number(row?.n ?? 0);
  }

  /** The service's id of the remote activity that became `activityId`, if one did (the first seen). */
  async externalIdOf(service: SyncService, activityId: string): Promise<string | null> {
    const [row] = await this.scope.db
      .select({ externalId: s.syncedActivities.externalId })
      .from(s.syncedActivities)
      .where(and(this.ofService(s.syncedActivities, service), eq(s.syncedActivities.activityId, activityId)))
      // Two seen in one millisecond: the byte-wise smallest id, the same one every time.
      .orderBy(asc(s.syncedActivities.seenAt), sql`${s.syncedActivities.externalId} collate "C"`)
      .limit(1);
    return row?.externalId ?? null;
  }

  // ---- our workouts on the intervals.icu calendar ----

  /** Every entry, by date (then by id, byte-wise as SQLite compares text). */
  async calendarEntries(): Promise<CalendarEntry[]> {
    const e = s.calendarEntries;
    return this.scope.db
      .select({ externalId: e.externalId, remoteId: e.remoteId, date: e.date, contentHash: e.contentHash, pushedAt: e.pushedAt })
      .from(e)
      .where(eq(e.athleteId, this.scope.athleteId))
      .orderBy(sql`${e.date} collate "C"`, sql`${e.externalId} collate "C"`);
  }

  /** Records an entry as pushed (inserted or replaced). */
  async saveCalendarEntry(entry: CalendarEntry): Promise<void> {
    const { externalId, ...set } = entry;
    await this.scope.db
      .insert(s.calendarEntries)
      .values({ athleteId: this.scope.athleteId, externalId, ...set })
      .onConflictDoUpdate({ target: [s.calendarEntries.athleteId, s.calendarEntries.externalId], set });
  }

  async deleteCalendarEntry(externalId: string): Promise<void> {
    await this.scope.db
      .delete(s.calendarEntries)
      .where(and(eq(s.calendarEntries.athleteId, this.scope.athleteId), eq(s.calendarEntries.externalId, externalId)));
  }
}

/** The backfill as stored (its dates as ISO text), as the SQLite repository writes it. */
function storedBackfill(b: BackfillState | null): StoredBackfill | null {
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
