/**
 * One athlete's activities as read: by period, by id, the newest, short-id lookups, the versions
 * an analysis hashes; deleting one (and marking the runs that read it stale). Also the start-up
 * refresh of metrics stored under an older definition.
 */
import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, sql } from 'drizzle-orm';
import { STORED_METRICS_VERSION, storedMetrics, type StoredMetrics } from '../../domain/metrics/stored-metrics.js';
import type { Db } from '../database.js';
import type { Blocking, ActivityRepository } from '../ports.js';
import type { StoredActivity } from '../records.js';
import * as t from '../schema.js';
import { toActivity, type ActivityRow } from './activity-rows.js';
import { chunks, IMMEDIATE, type AthleteScope } from './scope.js';

/**
 * The columns of a read: all of them, or — when the streams are not wanted — all but the streams
 * (a year of them is megabytes the read would fetch only to drop; read as null instead).
 */
function readColumns(streams: boolean) {
  const all = getTableColumns(t.activities);
  return streams ? all : { ...all, streams: sql<Buffer | null>`null` };
}

export class SqliteActivityRepository implements Blocking<ActivityRepository> {
  constructor(private readonly scope: AthleteScope) {}

  private get mine() {
    return eq(t.activities.athleteId, this.scope.athleteId);
  }

  /** Activities that started in [from, to), oldest first. Streams only when asked for. */
  activitiesBetween(from: Date, to: Date, options: { streams?: boolean } = {}): StoredActivity[] {
    const rows = this.scope.db
      .select(readColumns(options.streams ?? false))
      .from(t.activities)
      .where(and(this.mine, gte(t.activities.startTime, from), lt(t.activities.startTime, to)))
      .orderBy(asc(t.activities.startTime))
      .all();
    return withSources(this.scope, rows, options.streams ?? false);
  }

  activity(activityId: string, options: { streams?: boolean } = { streams: true }): StoredActivity | null {
    const row = this.scope.db
      .select(readColumns(options.streams ?? true))
      .from(t.activities)
      .where(and(this.mine, eq(t.activities.id, activityId)))
      .get();
    return row ? (withSources(this.scope, [row], options.streams ?? true)[0] ?? null) : null;
  }

  activityCount(): number {
    return (
      this.scope.db
        .select({ n: sql<number>`count(*)` })
        .from(t.activities)
        .where(this.mine)
        .get()?.n ?? 0
    );
  }

  /** The newest `limit` activities, newest first, without streams (the /activities list). */
  recentActivities(limit: number): StoredActivity[] {
    const rows = this.scope.db
      .select(readColumns(false))
      .from(t.activities)
      .where(this.mine)
      .orderBy(desc(t.activities.startTime))
      .limit(Math.max(0, Math.floor(limit)))
      .all();
    return withSources(this.scope, rows, false);
  }

  /** Ids of this athlete's activities that start with `prefix` (the short ids chat shows). */
  activityIdsStartingWith(prefix: string): string[] {
    const clean = prefix.toLowerCase().replace(/[^0-9a-f-]/g, '');
    if (clean.length === 0) return [];
    return this.scope.db
      .select({ id: t.activities.id })
      .from(t.activities)
      .where(and(this.mine, sql`substr(${t.activities.id}, 1, ${clean.length}) = ${clean}`))
      .limit(10)
      .all()
      .map((r) => r.id);
  }

  /** Every activity's id and last change, ordered by id: what an analysis' input hash covers. */
  activityVersions(): { id: string; updatedAt: number; sourceHash: string }[] {
    return this.scope.db
      .select({ id: t.activities.id, updatedAt: t.activities.updatedAt, sourceHash: t.activities.sourceHash })
      .from(t.activities)
      .where(this.mine)
      .orderBy(asc(t.activities.id))
      .all()
      .map((r) => ({ id: r.id, updatedAt: r.updatedAt.getTime(), sourceHash: r.sourceHash }));
  }

  /**
   * Deletes one activity (its sources go with it, so the same file can be sent again later) and
   * marks the finished runs that read it as stale, with `reason`: their load and plan no longer
   * match the rides. Returns the runs marked, or null when there is no such activity.
   */
  deleteActivity(activityId: string, reason: string): { staleRunIds: string[] } | null {
    const { db, athleteId } = this.scope;
    return db.transaction((tx) => {
      const row = tx
        .select({ id: t.activities.id, createdAt: t.activities.createdAt })
        .from(t.activities)
        .where(and(this.mine, eq(t.activities.id, activityId)))
        .get();
      if (!row) return null;
      tx.delete(t.activities)
        .where(and(this.mine, eq(t.activities.id, activityId)))
        .run();
      // A run made after the activity was stored read it.
      const stale = tx
        .update(t.runs)
        .set({ staleReason: reason })
        .where(
          and(
            eq(t.runs.athleteId, athleteId),
            eq(t.runs.status, 'done'),
            gte(t.runs.createdAt, row.createdAt),
            sql`${t.runs.staleReason} is null`,
          ),
        )
        .returning({ id: t.runs.id })
        .all();
      return { staleRunIds: stale.map((r) => r.id) };
    }, IMMEDIATE);
  }

  /** Every activity, oldest first, with streams (the export). */
  allWithStreams(): StoredActivity[] {
    const rows = this.scope.db.select().from(t.activities).where(this.mine).orderBy(asc(t.activities.startTime)).all();
    return withSources(this.scope, rows, true);
  }
}

/** Rows as stored activities, with the sources each was seen in (one query per 500 rows). */
function withSources(scope: AthleteScope, rows: ActivityRow[], streams: boolean): StoredActivity[] {
  if (rows.length === 0) return [];
  const sources = new Map<string, string[]>();
  for (const ids of chunks(
    rows.map((r) => r.id),
    500,
  )) {
    const found = scope.db
      .select({ activityId: t.activitySources.activityId, source: t.activitySources.source })
      .from(t.activitySources)
      .where(and(eq(t.activitySources.athleteId, scope.athleteId), inArray(t.activitySources.activityId, ids)))
      .all();
    for (const s of found) sources.set(s.activityId, [...(sources.get(s.activityId) ?? []), s.source]);
  }
  return rows.map((row) => ({
    activity: toActivity(row, streams),
    metrics: row.metrics as unknown as StoredMetrics,
    sources: sources.get(row.id) ?? [],
  }));
}

/**
 * Recomputes the stored metrics of activities stored under an older STORED_METRICS_VERSION from
 * their own streams, so a changed definition reaches rides already in the database. Returns how
 * many were refreshed; a database already current costs one scan of the metrics column.
 */
export function refreshStaleMetrics(db: Db): number {
  const stale = db
    .select({ id: t.activities.id })
    .from(t.activities)
    .where(sql`coalesce(json_extract(${t.activities.metrics}, '$.version'), 1) < ${STORED_METRICS_VERSION}`)
    .all();
  for (const ids of chunks(
    stale.map((r) => r.id),
    200,
  )) {
    db.transaction((tx) => {
      for (const row of tx.select().from(t.activities).where(inArray(t.activities.id, ids)).all()) {
        const metrics = storedMetrics(toActivity(row, true));
        tx.update(t.activities)
          .set({ metrics: metrics as unknown as Record<string, unknown> })
          .where(eq(t.activities.id, row.id))
          .run();
      }
    }, IMMEDIATE);
  }
  return stale.length;
}
