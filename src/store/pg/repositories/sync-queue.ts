/**
 * The sync's cross-athlete side on PostgreSQL (the port: SyncQueue in ../../ports.ts), mirroring
 * ../../repositories/sync-queue.ts: the persistent job queue claimed under a lease, the
 * intervals.icu polls that are due, who a service's athlete id belongs to, and the Strava
 * authorizations waiting for their callback. What SQLite gets from its single writer, the claims
 * get here from `FOR UPDATE SKIP LOCKED`: processes claiming at once lock different rows, none
 * waits on another, and none takes a job (or a poll) another has just taken.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { SyncQueue } from '../../ports.js';
import type { Clock } from '../../records.js';
import { connectionOf } from '../../repositories/sync.js';
import type { BatchProgress, NewSyncJob, OAuthState, StoredConnection, SyncJob, SyncService } from '../../sync-records.js';
import type { PgDb } from '../database.js';
import * as s from '../sync-schema.js';

/** A claim older than this is a process that died: the job may be claimed again (as on SQLite). */
const LEASE_MS = 5 * 60_000;
/** Jobs one claim takes at most. */
const CLAIM_LIMIT = 20;
/** Polls one pass takes at most. */
const POLL_LIMIT = 50;

type JobRow = typeof s.syncJobs.$inferSelect;

/** The sync job queue, due polls and OAuth states on PostgreSQL; `clock` dates what is written, as on SQLite. */
export class PgSyncQueue implements SyncQueue {
  constructor(
    private readonly db: PgDb,
    private readonly clock: Clock,
  ) {}

  /** Queues a job; false (nothing written) when a job with its dedupe key exists, in any state. */
  async enqueue(job: NewSyncJob): Promise<boolean> {
    const inserted = await this.db
      .insert(s.syncJobs)
      .values({
        id: randomUUID(),
        athleteId: job.athleteId,
        service: job.service,
        kind: job.kind,
        payload: job.payload ?? {},
        batch: job.batch ?? null,
        dedupeKey: job.dedupeKey ?? null,
        state: 'queued',
        attempts: 0,
        runAfter: job.runAfter ?? this.clock(),
        createdAt: this.clock(),
      })
      .onConflictDoNothing({ target: s.syncJobs.dedupeKey });
    return inserted.rowCount === 1;
  }

  /**
   * Claims the jobs due at `now` for one claimant, in one transaction: queued ones whose time has
   * come, and running ones whose claim is older than `leaseMs` (a process that died). The oldest
   * first, at most `limit`; each is marked running and its attempts counted.
   */
  async claim(
    now: Date,
    claimant: string,
    options: { limit?: number; leaseMs?: number; services?: SyncService[] } = {},
  ): Promise<SyncJob[]> {
    if (options.services?.length === 0) return [];
    const j = s.syncJobs;
    const leaseMs = options.leaseMs ?? LEASE_MS;
    const due = or(
      and(eq(j.state, 'queued'), lte(j.runAfter, now)),
      and(eq(j.state, 'running'), lt(j.claimedAt, new Date(now.getTime() - leaseMs))),
    );
    const claimable = options.services ? and(due, inArray(j.service, options.services)) : due;
    return this.db.transaction(async (tx) => {
      // Jobs another claim has locked are skipped, not waited for; one it has just committed is
      // re-read under the lock and, no longer claimable, left out. Jobs due at one time and queued
      // in one millisecond come in the order they were queued, as SQLite gives them (its rowid
      // order): `xmin` is the transaction that last wrote the row, its insert for a job untouched
      // since (a postponed or retried one goes by when that happened instead).
      const picked = await tx
        .select({ id: j.id })
        .from(j)
        .where(claimable)
        .orderBy(asc(j.runAfter), asc(j.createdAt), sql`xmin::text::bigint`)
        .limit(options.limit ?? CLAIM_LIMIT)
        .for('update', { skipLocked: true });
      if (picked.length === 0) return [];
      const order = new Map(picked.map((p, i) => [p.id, i]));
      // Locked by this transaction since the select: every one is still claimable.
      const rows = await tx
        .update(j)
        .set({ state: 'running', claimedBy: claimant, claimedAt: now, attempts: sql`${j.attempts} + 1` })
        .where(inArray(j.id, [...order.keys()]))
        .returning();
      return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(jobOf);
    });
  }

  /** Done. Only the claimant of a running job can. */
  async complete(jobId: string, claimant: string): Promise<boolean> {
    return this.finish(jobId, claimant, { state: 'done', finishedAt: this.clock(), lastError: null });
  }

  /** Back to the queue, to run at `runAfter` (a failure worth trying again). Only the claimant can. */
  async retry(jobId: string, claimant: string, runAfter: Date, error: string): Promise<boolean> {
    return this.finish(jobId, claimant, { state: 'queued', runAfter, lastError: error });
  }

  /** Given up. Only the claimant can. */
  async fail(jobId: string, claimant: string, error: string): Promise<boolean> {
    return this.finish(jobId, claimant, { state: 'failed', finishedAt: this.clock(), lastError: error });
  }

  private async finish(jobId: string, claimant: string, set: Partial<JobRow>): Promise<boolean> {
    const j = s.syncJobs;
    const finished = await this.db
      .update(j)
      .set({ ...set, claimedBy: null, claimedAt: null })
      .where(and(eq(j.id, jobId), eq(j.state, 'running'), eq(j.claimedBy, claimant)));
    return finished.rowCount === 1;
  }

  /** Queued jobs of a service (of one athlete, if given) wait until `until` at least (a rate limit). How many moved. */
  async postpone(service: SyncService, until: Date, athleteId?: string): Promise<number> {
    const j = s.syncJobs;
    const where: SQL[] = [eq(j.state, 'queued'), eq(j.service, service), lt(j.runAfter, until)];
    if (athleteId !== undefined) where.push(eq(j.athleteId, athleteId));
    const moved = await this.db
      .update(j)
      .set({ runAfter: until })
      .where(and(...where));
    return moved.rowCount ?? 0;
  }

  /** The earliest time a queued job may run, or null when none is queued. */
  async nextDue(): Promise<Date | null> {
    const j = s.syncJobs;
    const [row] = await this.db.select({ runAfter: j.runAfter }).from(j).where(eq(j.state, 'queued')).orderBy(asc(j.runAfter)).limit(1);
    return row?.runAfter ?? null;
  }

  /** The jobs of one athlete's batch (a backfill), by state. */
  async batchProgress(athleteId: string, batch: string): Promise<BatchProgress> {
    const j = s.syncJobs;
    const progress: BatchProgress = { queued: 0, running: 0, done: 0, failed: 0 };
    const rows = await this.db
      .select({ state: j.state, n: count() })
      .from(j)
      .where(and(eq(j.athleteId, athleteId), eq(j.batch, batch)))
      .groupBy(j.state);
    for (const row of rows) progress[row.state] = Number(row.n);
    return progress;
  }

  /**
   * The intervals.icu connections due for a poll at `now` (never polled, or next_poll_at ≤ now), at
   * most `limit`, the most overdue first; each is moved to `now + intervalMs` before the
   * transaction ends. The ones picked stay locked until then and other pollers skip them, so two
   * processes never poll one athlete in one interval.
   */
  async claimDuePolls(now: Date, intervalMs: number, limit = POLL_LIMIT): Promise<{ athleteId: string; connection: StoredConnection }[]> {
    const c = s.connections;
    const due = and(eq(c.service, 'intervals'), or(sql`${c.nextPollAt} is null`, lte(c.nextPollAt, now)));
    return this.db.transaction(async (tx) => {
      const picked = await tx
        .select({ athleteId: c.athleteId })
        .from(c)
        .where(due)
        .orderBy(sql`${c.nextPollAt} is not null`, asc(c.nextPollAt), asc(c.connectedAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (picked.length === 0) return [];
      const order = picked.map((p) => p.athleteId);
      const rows = await tx
        .update(c)
        .set({ nextPollAt: new Date(now.getTime() + intervalMs) })
        .where(and(due, inArray(c.athleteId, order)))
        .returning();
      // In the order picked: the most overdue first.
      return rows
        .sort((a, b) => order.indexOf(a.athleteId) - order.indexOf(b.athleteId))
        .map((row) => ({ athleteId: row.athleteId, connection: connectionOf(row) }));
    });
  }

  /** The athlete connected to this account on the service (the latest to connect it, if several did). */
  async athleteByExternalId(service: SyncService, externalAthleteId: string): Promise<string | null> {
    const c = s.connections;
    const [row] = await this.db
      .select({ athleteId: c.athleteId })
      .from(c)
      .where(and(eq(c.service, service), eq(c.externalAthleteId, externalAthleteId)))
      .orderBy(desc(c.connectedAt))
      .limit(1);
    return row?.athleteId ?? null;
  }

  /** Remembers an authorization link's state until `expiresAt`; expired ones are deleted on the way. */
  async saveOAuthState(state: string, v: OAuthState & { expiresAt: Date }): Promise<void> {
    const o = s.oauthStates;
    await this.db.transaction(async (tx) => {
      await tx.delete(o).where(lte(o.expiresAt, this.clock()));
      await tx
        .insert(o)
        .values({ state, athleteId: v.athleteId, identityKey: v.identityKey, months: v.months, expiresAt: v.expiresAt })
        .onConflictDoUpdate({
          target: o.state,
          set: { athleteId: v.athleteId, identityKey: v.identityKey, months: v.months, expiresAt: v.expiresAt },
        });
    });
  }

  /**
   * What a state stands for, once: it is deleted when taken (two callbacks at once: the second
   * waits on the first's delete and finds nothing). Null when unknown, taken already or expired.
   */
  async takeOAuthState(state: string, now: Date): Promise<OAuthState | null> {
    const o = s.oauthStates;
    const [row] = await this.db.delete(o).where(eq(o.state, state)).returning();
    if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
    return { athleteId: row.athleteId, identityKey: row.identityKey, months: row.months };
  }

  /**
   * Deletes finished (done or failed) jobs that finished before `before`, but the fetches: their
   * dedupe keys keep a ride from being fetched twice. How many went.
   */
  async pruneJobs(before: Date): Promise<number> {
    const j = s.syncJobs;
    const pruned = await this.db
      .delete(j)
      .where(and(inArray(j.state, ['done', 'failed']), lt(j.finishedAt, before), ne(j.kind, 'fetch-activity')));
    return pruned.rowCount ?? 0;
  }
}

/** A stored job as a claimant receives it. */
function jobOf(row: JobRow): SyncJob {
  return {
    id: row.id,
    athleteId: row.athleteId,
    service: row.service,
    kind: row.kind,
    payload: row.payload,
    batch: row.batch,
    attempts: row.attempts,
    runAfter: row.runAfter,
  };
}
