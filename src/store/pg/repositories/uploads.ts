/**
 * One athlete's uploads on PostgreSQL (the port: UploadRepository in ../../ports.ts), mirroring
 * ../../repositories/uploads.ts. Recording one is one transaction: for each activity read, the
 * domain's dedupe/merge policy (`decideUpload`, src/domain/activity-merge.ts) says whether it is a
 * duplicate, the same ride from another source, or new; this module looks up what the policy
 * needs and applies its decision. The transaction first takes the athlete's lock: what SQLite's
 * single writer gives, two processes recording the same ride for one athlete at once must get too
 * — the second reads what the first wrote, and finds a duplicate or merges, never a second ride.
 *
 * Each statement is a round trip to the server (SQLite's are calls in the process), so the writer
 * reads what the policy needs for the whole batch at its start and writes in batches: under the
 * athlete's lock nobody else changes this athlete's activities, so what it keeps in memory of
 * them, updated as it decides, is what SQLite's per-activity queries would read.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, between, eq, inArray, not, sql, type SQL } from 'drizzle-orm';
import type { Activity } from '../../../domain/activity.js';
import { decideUpload, sameActivityWindow, stravaIdOf, type StoredCopy, type UploadDecision } from '../../../domain/activity-merge.js';
import { storedMetricsOf } from '../../../domain/metrics/stored-metrics.js';
import type { UploadRepository } from '../../ports.js';
import type { UploadBatch, UploadHooks, UploadRecord, UploadSummary } from '../../records.js';
import { activityColumns } from '../../repositories/activity-rows.js';
import { chunks } from '../../repositories/scope.js';
import * as t from '../schema.js';
import { lockAthlete, type PgAthleteScope, type PgTx } from './scope.js';

/** One athlete's uploads on PostgreSQL. */
export class PgUploadRepository implements UploadRepository {
  constructor(private readonly scope: PgAthleteScope) {}

  /**
   * Records one upload in one transaction: new activities are inserted, the same file or row
   * again is a duplicate, and the same activity from another source is merged into one row
   * (the richer recording wins, the summary's name and description are kept). A hook that
   * throws rolls it all back.
   */
  async recordUpload(fileNames: string[], batch: UploadBatch, hooks: UploadHooks = {}): Promise<UploadSummary> {
    const uploadId = randomUUID();
    const now = this.scope.clock();
    return this.scope.db.transaction(async (tx) => {
      await lockAthlete(tx, this.scope.athleteId);
      const writer = new UploadWriter(tx, this.scope.athleteId, uploadId, now);
      const summary: UploadSummary = { uploadId, new: 0, duplicates: 0, merged: 0, errors: batch.errors, activityIds: [] };
      await writer.start(fileNames, batch);
      for (const [index, activity] of batch.activities.entries()) {
        const decision = writer.decide(activity);
        const activityId = await writer.apply(activity, decision);
        if (decision.kind === 'duplicate') summary.duplicates += 1;
        else if (decision.kind === 'merge') summary.merged += 1;
        else summary.new += 1;
        summary.activityIds.push(activityId);
        hooks.afterActivity?.(index);
      }
      await writer.finish(summary);
      return summary;
    });
  }

  /** Every upload, oldest first. */
  async uploads(): Promise<UploadRecord[]> {
    const u = t.uploads;
    const record = { id: u.id, fileNames: u.fileNames, new: u.newCount, duplicates: u.duplicateCount, merged: u.mergedCount };
    return this.scope.db
      .select({ ...record, errors: u.errors, createdAt: u.createdAt })
      .from(u)
      .where(eq(u.athleteId, this.scope.athleteId))
      .orderBy(asc(u.createdAt));
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
  hasStreams: sql<boolean>`${t.activities.streams} is not null`,
};

type ActivityInsert = typeof t.activities.$inferInsert;
type SourceInsert = typeof t.activitySources.$inferInsert;

/** Rows per insert: far below PostgreSQL's 65,535 parameters, and a bounded statement when rows carry streams. */
const ACTIVITY_CHUNK = 50;
const SOURCE_CHUNK = 1000;
/** Values per IN list. */
const LOOKUP_CHUNK = 1000;

const sourceKey = (hash: string, session: number) => `${hash}\u0000${session}`;

/** What a stored copy becomes when `activity`'s columns are written over it (or it is inserted). */
const copyOf = (activity: Activity): Omit<StoredCopy, 'id'> => ({
  sourceHash: activity.sourceHash,
  sessionIndex: activity.sessionIndex,
  startTime: activity.startTime,
  sport: activity.sport,
  sourceKind: activity.sourceKind,
  externalId: activity.externalId,
  power: activity.power,
  name: activity.name,
  description: activity.description,
  hasStreams: Boolean(activity.streams),
});

/**
 * The athlete's stored activities a batch can meet, as the merge policy sees them, kept in start
 * order and changed as the batch's rows are written: SQLite's candidate queries, answered here.
 */
class StoredCopies {
  private readonly byStart: StoredCopy[] = [];

  /** The first position whose start is not before `ms` (`orEqual`: after `ms`). */
  private position(ms: number, orEqual = false): number {
    let [lo, hi] = [0, this.byStart.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const start = this.byStart[mid]!.startTime.getTime();
      if (start < ms || (orEqual && start === ms)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A copy read or inserted: after those starting at the same time, as a new rowid sorts on SQLite. */
  add(copy: StoredCopy): void {
    this.byStart.splice(this.position(copy.startTime.getTime(), true), 0, copy);
  }

  /** A merge wrote over a copy: it changes likewise, and moves with its start. */
  update(id: string, changes: Partial<StoredCopy>): void {
    const index = this.byStart.findIndex((c) => c.id === id);
    if (index < 0) return;
    const [copy] = this.byStart.splice(index, 1);
    this.add({ ...copy!, ...changes });
  }

  /** Those starting around `activity` in start order, then for a Strava activity the one with its id (as SQLite's two queries). */
  candidates(activity: Activity): StoredCopy[] {
    const { from, to } = sameActivityWindow(activity.startTime);
    const rows = this.byStart.slice(this.position(from), this.position(to, true));
    // the ride that carries a Strava id, whenever it starts (a start time edited on Strava): asked only for Strava activities
    const stravaId = stravaIdOf(activity);
    if (stravaId) for (const copy of this.byStart) if (copy.externalId === stravaId && !rows.includes(copy)) rows.push(copy);
    return rows;
  }
}

/** The statements of one upload, inside its transaction. */
class UploadWriter {
  /** (source hash, session) → the activity stored from it: the batch's files seen before, then this upload's. */
  private readonly seen = new Map<string, string>();
  private readonly copies = new StoredCopies();
  /** Activities inserted by this upload and not yet written (a merge into one changes it here). */
  private readonly pending = new Map<string, ActivityInsert>();
  private readonly sources: SourceInsert[] = [];

  constructor(
    private readonly tx: PgTx,
    private readonly athleteId: string,
    readonly uploadId: string,
    private readonly now: Date,
  ) {}

  /** The upload's row; the activities already stored from the batch's files, and those it may be merged into. */
  async start(fileNames: string[], batch: UploadBatch): Promise<void> {
    const counts = { newCount: 0, duplicateCount: 0, mergedCount: 0 };
    await this.tx.insert(t.uploads).values({
      id: this.uploadId,
      athleteId: this.athleteId,
      fileNames,
      bytes: batch.bytes ?? 0,
      ...counts,
      errors: batch.errors,
      createdAt: this.now,
    });
    await this.readSeen(batch.activities);
    await this.readCopies(batch.activities);
  }

  /** The activities stored from the batch's files or rows before. */
  private async readSeen(activities: Activity[]): Promise<void> {
    const s = t.activitySources;
    for (const hashes of chunks([...new Set(activities.map((a) => a.sourceHash))], LOOKUP_CHUNK)) {
      const rows = await this.tx
        .select({ activityId: s.activityId, sourceHash: s.sourceHash, sessionIndex: s.sessionIndex })
        .from(s)
        .where(and(eq(s.athleteId, this.athleteId), inArray(s.sourceHash, hashes)));
      for (const row of rows) this.seen.set(sourceKey(row.sourceHash, row.sessionIndex), row.activityId);
    }
  }

  /** Every stored activity the batch's may be merged into: all within one span around its starts, and those with its Strava ids. */
  private async readCopies(activities: Activity[]): Promise<void> {
    if (activities.length === 0) return;
    // (a loop, not Math.min(...): an archive's batch may hold more activities than a call takes arguments)
    let [first, last] = [Infinity, -Infinity];
    for (const { startTime } of activities) [first, last] = [Math.min(first, startTime.getTime()), Math.max(last, startTime.getTime())];
    const a = t.activities;
    const span = between(a.startTime, new Date(sameActivityWindow(new Date(first)).from), new Date(sameActivityWindow(new Date(last)).to));
    // in start order, then as inserted: the order SQLite reads them along its (athlete, start) index
    const read = (where: SQL) =>
      this.tx
        .select(CANDIDATE_COLUMNS)
        .from(a)
        .where(and(eq(a.athleteId, this.athleteId), where))
        .orderBy(asc(a.startTime), asc(a.createdAt));
    const found = await read(span);
    const stravaIds = [...new Set(activities.map(stravaIdOf).filter((id): id is string => id !== null))];
    for (const ids of chunks(stravaIds, LOOKUP_CHUNK)) found.push(...(await read(and(inArray(a.externalId, ids), not(span))!)));
    for (const row of found) this.copies.add({ ...row, hasStreams: Boolean(row.hasStreams) });
  }

  /** The policy's decision, given this file's earlier copy and the activities stored around its start. */
  decide(activity: Activity): UploadDecision {
    const seen = this.seen.get(sourceKey(activity.sourceHash, activity.sessionIndex)) ?? null;
    return decideUpload(activity, seen, () => this.copies.candidates(activity));
  }

  /** Writes what the decision says (or queues it); returns the id of the activity the incoming one now is. */
  async apply(activity: Activity, decision: UploadDecision): Promise<string> {
    if (decision.kind === 'duplicate') return decision.activityId;
    const activityId = decision.kind === 'merge' ? decision.activityId : randomUUID();
    if (decision.kind === 'merge') await this.merge(activity, decision);
    else await this.insert(activityId, activity);
    this.seen.set(sourceKey(activity.sourceHash, activity.sessionIndex), activityId);
    const { sourceHash, sessionIndex, source, sourceKind } = activity;
    this.sources.push({
      athleteId: this.athleteId,
      sourceHash,
      sessionIndex,
      activityId,
      source,
      sourceKind,
      uploadId: this.uploadId,
      createdAt: this.now,
    });
    return activityId;
  }

  /** The activities and sources still queued, and the upload's counts. */
  async finish(summary: UploadSummary): Promise<void> {
    await this.flushActivities();
    for (const rows of chunks(this.sources, SOURCE_CHUNK)) await this.tx.insert(t.activitySources).values(rows);
    await this.tx
      .update(t.uploads)
      .set({ newCount: summary.new, duplicateCount: summary.duplicates, mergedCount: summary.merged })
      .where(eq(t.uploads.id, this.uploadId));
  }

  private async flushActivities(): Promise<void> {
    for (const rows of chunks([...this.pending.values()], ACTIVITY_CHUNK)) await this.tx.insert(t.activities).values(rows);
    this.pending.clear();
  }

  private async insert(activityId: string, activity: Activity): Promise<void> {
    const columns = activityColumns(activity, storedMetricsOf(activity));
    this.pending.set(activityId, { id: activityId, athleteId: this.athleteId, ...columns, createdAt: this.now, updatedAt: this.now });
    this.copies.add({ id: activityId, ...copyOf(activity) });
    if (this.pending.size >= ACTIVITY_CHUNK) await this.flushActivities();
  }

  /** The richer recording's columns when it is the incoming one; the kept summary fields either way. */
  private async merge(activity: Activity, decision: Extract<UploadDecision, { kind: 'merge' }>): Promise<void> {
    const columns = decision.replace ? activityColumns(activity, storedMetricsOf(activity)) : {};
    const changes = { ...columns, ...decision.keep, updatedAt: this.now };
    const queued = this.pending.get(decision.activityId);
    if (queued) Object.assign(queued, changes);
    else
      await this.tx
        .update(t.activities)
        .set(changes)
        .where(and(eq(t.activities.id, decision.activityId), eq(t.activities.athleteId, this.athleteId)));
    this.copies.update(decision.activityId, decision.replace ? { ...copyOf(activity), ...decision.keep } : decision.keep);
  }
}
