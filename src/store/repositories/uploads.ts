/**
 * One athlete's uploads. Recording one is one transaction: for each activity read, the domain's
 * dedupe/merge policy (`decideUpload`, src/domain/activity-merge.ts) says whether it is a
 * duplicate, the same ride from another source, or new; this module looks up what the policy
 * needs and applies its decision (insert, update of the merged row, the source row, the counts).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, between, eq, sql } from 'drizzle-orm';
import type { Activity } from '../../domain/activity.js';
import { decideUpload, sameActivityWindow, stravaIdOf, type StoredCopy, type UploadDecision } from '../../domain/activity-merge.js';
import { storedMetricsOf } from '../../domain/metrics/stored-metrics.js';
import type { Blocking, UploadRepository } from '../ports.js';
import type { UploadBatch, UploadHooks, UploadRecord, UploadSummary } from '../records.js';
import * as t from '../schema.js';
import { activityColumns } from './activity-rows.js';
import { IMMEDIATE, type AthleteScope } from './scope.js';

export class SqliteUploadRepository implements Blocking<UploadRepository> {
  constructor(private readonly scope: AthleteScope) {}

  /**
   * Records one upload in one transaction: new activities are inserted, the same file or row
   * again is a duplicate, and the same activity from another source is merged into one row
   * (the richer recording wins, the summary's name and description are kept).
   */
  recordUpload(fileNames: string[], batch: UploadBatch, hooks: UploadHooks = {}): UploadSummary {
    const writer = new UploadWriter(this.scope, randomUUID(), this.scope.clock());
    return this.scope.db.transaction(() => {
      const summary: UploadSummary = { uploadId: writer.uploadId, new: 0, duplicates: 0, merged: 0, errors: batch.errors, activityIds: [] };
      writer.insertUpload(fileNames, batch);
      batch.activities.forEach((activity, index) => {
        const decision = writer.decide(activity);
        const activityId = writer.apply(activity, decision);
        if (decision.kind === 'duplicate') summary.duplicates += 1;
        else if (decision.kind === 'merge') summary.merged += 1;
        else summary.new += 1;
        summary.activityIds.push(activityId);
        hooks.afterActivity?.(index);
      });
      writer.updateCounts(summary);
      return summary;
    }, IMMEDIATE);
  }

  /** Every upload, oldest first. */
  uploads(): UploadRecord[] {
    const u = t.uploads;
    const record = { id: u.id, fileNames: u.fileNames, new: u.newCount, duplicates: u.duplicateCount, merged: u.mergedCount };
    return this.scope.db
      .select({ ...record, errors: u.errors, createdAt: u.createdAt })
      .from(u)
      .where(eq(u.athleteId, this.scope.athleteId))
      .orderBy(asc(u.createdAt))
      .all();
  }
}

/** What the merge policy reads of a stored activity (`StoredCopy`). */
const CANDIDATE_COLUMNS = {
  id: t.activities.id,
  sourceHash: t.activities.sourceHash,
  sessionIndex: t.activities.sessionIndex,
  startTime: t.activities.startTime,
  sport: t.activities.sport,
  sourceKind: t.activities.sourceKind,
  externalId: t.activities.externalId,
  power: t.activities.power,
  name: t.activities.name,
  description: t.activities.description,
  hasStreams: sql<number>`${t.activities.streams} is not null`,
};

/** The statements of one upload, prepared once (building a query per activity costs more than running it). */
class UploadWriter {
  private readonly seenQuery;
  private readonly candidateQuery;
  private readonly stravaCopyQuery;
  private readonly insertSource;
  private insertActivity: { run(values: Record<string, unknown>): unknown } | undefined;

  constructor(
    private readonly scope: AthleteScope,
    readonly uploadId: string,
    private readonly now: Date,
  ) {
    const { db, athleteId } = scope;
    this.seenQuery = db
      .select({ activityId: t.activitySources.activityId })
      .from(t.activitySources)
      .where(
        and(
          eq(t.activitySources.athleteId, athleteId),
          eq(t.activitySources.sourceHash, sql.placeholder('hash')),
          eq(t.activitySources.sessionIndex, sql.placeholder('session')),
        ),
      )
      .prepare();
    this.candidateQuery = db
      .select(CANDIDATE_COLUMNS)
      .from(t.activities)
      .where(and(eq(t.activities.athleteId, athleteId), between(t.activities.startTime, sql.placeholder('from'), sql.placeholder('to'))))
      .prepare();
    // the ride that carries a Strava id, whenever it starts (a start time edited on Strava): asked only for Strava activities
    this.stravaCopyQuery = db
      .select(CANDIDATE_COLUMNS)
      .from(t.activities)
      .where(and(eq(t.activities.athleteId, athleteId), eq(t.activities.externalId, sql.placeholder('stravaId'))))
      .prepare();
    this.insertSource = db
      .insert(t.activitySources)
      .values({
        athleteId,
        sourceHash: sql.placeholder('hash'),
        sessionIndex: sql.placeholder('session'),
        activityId: sql.placeholder('activityId'),
        source: sql.placeholder('source'),
        sourceKind: sql.placeholder('kind'),
        uploadId,
        createdAt: now,
      })
      .prepare();
  }

  insertUpload(fileNames: string[], batch: UploadBatch): void {
    this.scope.db
      .insert(t.uploads)
      .values({
        id: this.uploadId,
        athleteId: this.scope.athleteId,
        fileNames,
        bytes: batch.bytes ?? 0,
        newCount: 0,
        duplicateCount: 0,
        mergedCount: 0,
        errors: batch.errors,
        createdAt: this.now,
      })
      .run();
  }

  /** The stored activities that may be the same ride: those starting around it, and for a Strava activity the one with its id. */
  private candidates(activity: Activity): StoredCopy[] {
    const rows = this.candidateQuery.all(sameActivityWindow(activity.startTime));
    const stravaId = stravaIdOf(activity);
    if (stravaId) for (const row of this.stravaCopyQuery.all({ stravaId })) if (!rows.some((r) => r.id === row.id)) rows.push(row);
    return rows.map((row) => ({ ...row, hasStreams: Boolean(row.hasStreams) }));
  }

  /** The policy's decision, given this file's earlier copy and the activities stored around its start. */
  decide(activity: Activity): UploadDecision {
    const seen = this.seenQuery.get({ hash: activity.sourceHash, session: activity.sessionIndex });
    return decideUpload(activity, seen?.activityId ?? null, () => this.candidates(activity));
  }

  /** Writes what the decision says; returns the id of the activity the incoming one now is. */
  apply(activity: Activity, decision: UploadDecision): string {
    if (decision.kind === 'duplicate') return decision.activityId;
    const activityId = decision.kind === 'merge' ? decision.activityId : randomUUID();
    if (decision.kind === 'merge') this.merge(activity, decision);
    else this.insert(activityId, activity);
    this.insertSource.run({
      hash: activity.sourceHash,
      session: activity.sessionIndex,
      activityId,
      source: activity.source,
      kind: activity.sourceKind,
    });
    return activityId;
  }

  updateCounts(summary: UploadSummary): void {
    this.scope.db
      .update(t.uploads)
      .set({ newCount: summary.new, duplicateCount: summary.duplicates, mergedCount: summary.merged })
      .where(eq(t.uploads.id, this.uploadId))
      .run();
  }

  private insert(activityId: string, activity: Activity): void {
    const columns = activityColumns(activity, storedMetricsOf(activity));
    const row = { id: activityId, athleteId: this.scope.athleteId, ...columns, createdAt: this.now, updatedAt: this.now };
    this.insertActivity ??= this.scope.db
      .insert(t.activities)
      .values(Object.fromEntries(Object.keys(row).map((k) => [k, sql.placeholder(k)])) as unknown as typeof row)
      .prepare();
    this.insertActivity.run(row);
  }

  /** The richer recording's columns when it is the incoming one; the kept summary fields either way. */
  private merge(activity: Activity, decision: Extract<UploadDecision, { kind: 'merge' }>): void {
    const columns = decision.replace ? activityColumns(activity, storedMetricsOf(activity)) : {};
    this.scope.db
      .update(t.activities)
      .set({ ...columns, ...decision.keep, updatedAt: this.now })
      .where(and(eq(t.activities.id, decision.activityId), eq(t.activities.athleteId, this.scope.athleteId)))
      .run();
  }
}
