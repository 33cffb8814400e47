/**
 * One athlete's activities as read, on PostgreSQL (the port: ActivityRepository in ../../ports.ts),
 * mirroring ../../repositories/activities.ts: by period, by id, the newest, short-id lookups, the
 * versions an analysis hashes; deleting one (and marking the runs that read it stale); every one
 * with streams for the export. Also the start-up refresh of metrics stored under an older
 * definition. Rows map to records through the SQLite side's mappers (../../repositories/activity-rows.ts):
 * the PostgreSQL row has the same TypeScript types.
 */
import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { STORED_METRICS_VERSION, storedMetrics, type StoredMetrics } from '../../../domain/metrics/stored-metrics.js';
import type { ActivityRepository } from '../../ports.js';
import type { StoredActivity } from '../../records.js';
import { toActivity, type ActivityRow } from '../../repositories/activity-rows.js';
import { chunks } from '../../repositories/scope.js';
import type { PgDb } from '../database.js';
import * as t from '../schema.js';
import { lockAthlete, type PgAthleteScope } from './scope.js';

/** A PostgreSQL row of `activities`, checked to be what the SQLite mappers take. */
type PgActivityRow = typeof t.activities.$inferSelect;
const asRow = (row: PgActivityRow): ActivityRow => row;

/** Ids in byte order, as SQLite compares text (whatever the database's collation). */
const byId = sql`${t.activities.id} collate "C"`;

/** One athlete's activities on PostgreSQL. */
/**
 * The columns of a read: all of them, or — when the streams are not wanted — all but the streams
 * (a year of them is megabytes the read would fetch only to drop; read as null instead).
 */
function readColumns(streams: boolean) {
  const all = getTableColumns(t.activities);
  return streams ? all : { ...all, streams: sql<Buffer | null>`null` };
}

export class PgActivityRepository implements ActivityRepository {
  constructor(private readonly scope: PgAthleteScope) {}

  private get mine() {
    return eq(t.activities.athleteId, this.scope.athleteId);
  }

  /** Activities that started in [from, to), oldest first. Streams only when asked for. */
  async activitiesBetween(from: Date, to: Date, options: { streams?: boolean } = {}): Promise<StoredActivity[]> {
    const rows = await this.scope.db
      .select(readColumns(options.streams ?? false))
      .from(t.activities)
      .where(and(this.mine, gte(t.activities.startTime, from), lt(t.activities.startTime, to)))
      .orderBy(asc(t.activities.startTime));
    return withSources(this.scope, rows, options.streams ?? false);
  }

  async activity(activityId: string, options: { streams?: boolean } = { streams: true }): Promise<StoredActivity | null> {
    const [row] = await this.scope.db
      .select(readColumns(options.streams ?? true))
      .from(t.activities)
      .where(and(this.mine, eq(t.activities.id, activityId)))
      .limit(1);
    return row ? ((await withSources(this.scope, [row], options.streams ?? true))[0] ?? null) : null;
  }

  async activityCount(): Promise<number> {
    const [row] = await this.scope.db
      .select({ n: sql<string>`count(*)` })
      .from(t.activities)
      .where(this.mine);
    return Number(row?.n ?? 0);
  }

  /** The newest `limit` activities, newest first, without streams (the /activities list). */
  async recentActivities(limit: number): Promise<StoredActivity[]> {
    const rows = await this.scope.db
      .select(readColumns(false))
      .from(t.activities)
      .where(this.mine)
      .orderBy(desc(t.activities.startTime))
      .limit(Math.max(0, Math.floor(limit)));
    return withSources(this.scope, rows, false);
  }

  /** Ids of this athlete's activities that start with `prefix` (the short ids chat shows). */
  async activityIdsStartingWith(prefix: string): Promise<string[]> {
    const clean = prefix.toLowerCase().replace(/[^0-9a-f-]/g, '');
    if (clean.length === 0) return [];
    // substr, not LIKE: the prefix needs no escaping, and the comparison is exact on both engines.
    const rows = await this.scope.db
      .select({ id: t.activities.id })
      .from(t.activities)
      .where(and(this.mine, sql`substr(${t.activities.id}, 1, ${clean.length}) = ${clean}`))
      .orderBy(byId)
      .limit(10);
    return rows.map((r) => r.id);
  }

  /** Every activity's id and last change, ordered by id: what an analysis' input hash covers. */
  async activityVersions(): Promise<{ id: string; updatedAt: number; sourceHash: string }[]> {
    const rows = await this.scope.db
      .select({ id: t.activities.id, updatedAt: t.activities.updatedAt, sourceHash: t.activities.sourceHash })
      .from(t.activities)
      .where(this.mine)
      .orderBy(byId);
    return rows.map((r) => ({ id: r.id, updatedAt: r.updatedAt.getTime(), sourceHash: r.sourceHash }));
  }

  /**
   * Deletes one activity (its sources go with it, so the same file can be sent again later) and
   * marks the finished runs that read it as stale, with `reason`. Returns the runs marked, or
   * null when there is no such activity. Under the athlete's lock, as SQLite's IMMEDIATE
   * transaction: an upload or run of this athlete in another process is ordered before or after.
   */
  async deleteActivity(activityId: string, reason: string): Promise<{ staleRunIds: string[] } | null> {
    const { db, athleteId } = this.scope;
    return db.transaction(async (tx) => {
      await lockAthlete(tx, athleteId);
      const deleted = await tx
        .delete(t.activities)
        .where(and(this.mine, eq(t.activities.id, activityId)))
        .returning({ createdAt: t.activities.createdAt });
      const row = deleted[0];
      if (!row) return null;
      // A run made after the activity was stored read it.
      const stale = await tx
        .update(t.runs)
        .set({ staleReason: reason })
        .where(
          and(eq(t.runs.athleteId, athleteId), eq(t.runs.status, 'done'), gte(t.runs.createdAt, row.createdAt), isNull(t.runs.staleReason)),
        )
        .returning({ id: t.runs.id });
      return { staleRunIds: stale.map((r) => r.id) };
    });
  }

  /** Every activity, oldest first, with streams (the export). */
  async allWithStreams(): Promise<StoredActivity[]> {
    const rows = await this.scope.db.select().from(t.activities).where(this.mine).orderBy(asc(t.activities.startTime));
    return withSources(this.scope, rows, true);
  }
}

/** Rows as stored activities, with the sources each was seen in (one query per 500 rows). */
async function withSources(scope: PgAthleteScope, rows: PgActivityRow[], streams: boolean): Promise<StoredActivity[]> {
  if (rows.length === 0) return [];
  const sources = new Map<string, string[]>();
  for (const ids of chunks(
    rows.map((r) => r.id),
    500,
  )) {
    const s = t.activitySources;
    const found = await scope.db
      .select({ activityId: s.activityId, source: s.source })
      .from(s)
      .where(and(eq(s.athleteId, scope.athleteId), inArray(s.activityId, ids)))
      // SQLite reads them along the primary key (athlete, source hash, session): the same order here
      .orderBy(sql`${s.sourceHash} collate "C"`, asc(s.sessionIndex));
    for (const f of found) sources.set(f.activityId, [...(sources.get(f.activityId) ?? []), f.source]);
  }
  return rows.map((row) => ({
    activity: toActivity(asRow(row), streams),
    metrics: row.metrics as unknown as StoredMetrics,
    sources: sources.get(row.id) ?? [],
  }));
}

/** Stored metrics older than STORED_METRICS_VERSION (none recorded: the first version). */
function staleMetrics() {
  // metrics is JSON text (as on SQLite): read its version as json; a missing one is version 1.
  return sql`coalesce((${t.activities.metrics}::json ->> 'version')::double precision, 1) < ${STORED_METRICS_VERSION}`;
}

/**
 * Recomputes the stored metrics of activities stored under an older STORED_METRICS_VERSION from
 * their own streams, as refreshStaleMetrics of ../../repositories/activities.ts does. Returns how
 * many were stale; a database already current costs one scan of the metrics column. Each batch
 * locks its rows and reads them again under the lock: processes starting at once do not both
 * recompute a row (the one that waited finds it current).
 */
export async function refreshStaleMetricsPg(db: PgDb): Promise<number> {
  const stale = await db.select({ id: t.activities.id }).from(t.activities).where(staleMetrics());
  for (const ids of chunks(
    stale.map((r) => r.id),
    200,
  )) {
    await db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(t.activities)
        .where(and(inArray(t.activities.id, ids), staleMetrics()))
        .for('update');
      for (const row of rows) {
        const metrics = storedMetrics(toActivity(asRow(row), true));
        await tx
          .update(t.activities)
          .set({ metrics: metrics as unknown as Record<string, unknown> })
          .where(eq(t.activities.id, row.id));
      }
    });
  }
  return stale.length;
}
