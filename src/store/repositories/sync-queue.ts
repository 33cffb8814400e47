/**
 * The sync's cross-athlete side: the persistent job queue (claimed under a lease, as the reminder
 * claims in scheduled-claims.ts, so that several processes on one database file share it and a
 * process that died mid-job leaves nothing stuck), the intervals.icu polls that are due, who a
 * service's athlete id belongs to, and the Strava authorizations waiting for their callback. Every
 * write is one statement or one IMMEDIATE transaction: atomic across processes.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import type { Blocking, SyncQueue } from '../ports.js';
import type { Clock } from '../records.js';
import * as s from '../sync-schema.js';
import type { BatchProgress, NewSyncJob, OAuthState, StoredConnection, SyncJob, SyncService } from '../sync-records.js';
import { IMMEDIATE } from './scope.js';
import { connectionOf } from './sync.js';

/** A claim older than this is a process that died: the job may be claimed again. */
const LEASE_MS = 5 * 60_000;
/** Jobs one claim takes at most. */
const CLAIM_LIMIT = 20;
/** Polls one pass takes at most. */
const POLL_LIMIT = 50;

type JobRow = typeof s.syncJobs.$inferSelect;

export class SqliteSyncQueue implements Blocking<SyncQueue> {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Queues a job; false (nothing written) when a job with its dedupe key exists, in any state. */
  enqueue(job: NewSyncJob): boolean {
    const inserted = this.db
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
      .onConflictDoNothing({ target: s.syncJobs.dedupeKey })
      .run();
    return inserted.changes === 1;
  }

  /**
   * Claims the jobs due at `now` for one claimant, atomically (one UPDATE … RETURNING): queued ones
   * whose time has come, and running ones whose claim is older than `leaseMs` (a process that
   * died). The oldest first, at most `limit`; each is marked running and its attempts counted.
   */
  claim(now: Date, claimant: string, options: { limit?: number; leaseMs?: number; services?: SyncService[] } = {}): SyncJob[] {
    if (options.services?.length === 0) return [];
    const j = s.syncJobs;
    const leaseMs = options.leaseMs ?? LEASE_MS;
    const due = or(
      and(eq(j.state, 'queued'), lte(j.runAfter, now)),
      and(eq(j.state, 'running'), lt(j.claimedAt, new Date(now.getTime() - leaseMs))),
    );
    const claimable = options.services ? and(due, inArray(j.service, options.services)) : due;
    const batch = this.db
      .select({ id: j.id })
      .from(j)
      .where(claimable)
      .orderBy(asc(j.runAfter), asc(j.createdAt))
      .limit(options.limit ?? CLAIM_LIMIT);
    return this.db
      .update(j)
      .set({ state: 'running', claimedBy: claimant, claimedAt: now, attempts: sql`${j.attempts} + 1` })
      .where(and(claimable, inArray(j.id, batch)))
      .returning()
      .all()
      .sort((a, b) => a.runAfter.getTime() - b.runAfter.getTime() || a.createdAt.getTime() - b.createdAt.getTime())
      .map(jobOf);
  }

  /** Done. Only the claimant of a running job can. */
  complete(jobId: string, claimant: string): boolean {
    return this.finish(jobId, claimant, { state: 'done', finishedAt: this.clock(), lastError: null });
  }

  /** Back to the queue, to run at `runAfter` (a failure worth trying again). Only the claimant can. */
  retry(jobId: string, claimant: string, runAfter: Date, error: string): boolean {
    return this.finish(jobId, claimant, { state: 'queued', runAfter, lastError: error });
  }

  /** Given up. Only the claimant can. */
  fail(jobId: string, claimant: string, error: string): boolean {
    return this.finish(jobId, claimant, { state: 'failed', finishedAt: this.clock(), lastError: error });
  }

  private finish(jobId: string, claimant: string, set: Partial<JobRow>): boolean {
    const j = s.syncJobs;
    return (
      this.db
        .update(j)
        .set({ ...set, claimedBy: null, claimedAt: null })
        .where(and(eq(j.id, jobId), eq(j.state, 'running'), eq(j.claimedBy, claimant)))
        .run().changes === 1
    );
  }

  /** Queued jobs of a service (of one athlete, if given) wait until `until` at least (a rate limit). How many moved. */
  postpone(service: SyncService, until: Date, athleteId?: string): number {
    const j = s.syncJobs;
    const where: SQL[] = [eq(j.state, 'queued'), eq(j.service, service), lt(j.runAfter, until)];
    if (athleteId !== undefined) where.push(eq(j.athleteId, athleteId));
    return this.db
      .update(j)
      .set({ runAfter: until })
      .where(and(...where))
      .run().changes;
  }

  /** The earliest time a queued job may run, or null when none is queued. */
  nextDue(): Date | null {
    const j = s.syncJobs;
    const row = this.db.select({ runAfter: j.runAfter }).from(j).where(eq(j.state, 'queued')).orderBy(asc(j.runAfter)).limit(1).get();
    return row?.runAfter ?? null;
  }

  /** The jobs of one athlete's batch (a backfill), by state. */
  batchProgress(athleteId: string, batch: string): BatchProgress {
    const j = s.syncJobs;
    const progress: BatchProgress = { queued: 0, running: 0, done: 0, failed: 0 };
    const rows = this.db
      .select({ state: j.state, n: count() })
      .from(j)
      .where(and(eq(j.athleteId, athleteId), eq(j.batch, batch)))
      .groupBy(j.state)
      .all();
    for (const row of rows) progress[row.state] = row.n;
    return progress;
  }

  /**
   * The intervals.icu connections due for a poll at `now` (never polled, or next_poll_at ≤ now), at
   * most `limit`, the most overdue first; each is moved to `now + intervalMs` in the same UPDATE, so
   * that two processes never poll one athlete in one interval.
   */
  claimDuePolls(now: Date, intervalMs: number, limit = POLL_LIMIT): { athleteId: string; connection: StoredConnection }[] {
    const c = s.connections;
    const due = and(eq(c.service, 'intervals'), or(sql`${c.nextPollAt} is null`, lte(c.nextPollAt, now)));
    const batch = this.db
      .select({ athleteId: c.athleteId })
      .from(c)
      .where(due)
      .orderBy(sql`${c.nextPollAt} is not null`, asc(c.nextPollAt), asc(c.connectedAt))
      .limit(limit);
    return this.db
      .update(c)
      .set({ nextPollAt: new Date(now.getTime() + intervalMs) })
      .where(and(due, inArray(c.athleteId, batch)))
      .returning()
      .all()
      .map((row) => ({ athleteId: row.athleteId, connection: connectionOf(row) }));
  }

  /** The athlete connected to this account on the service (the latest to connect it, if several did). */
  athleteByExternalId(service: SyncService, externalAthleteId: string): string | null {
    const c = s.connections;
    const row = this.db
      .select({ athleteId: c.athleteId })
      .from(c)
      .where(and(eq(c.service, service), eq(c.externalAthleteId, externalAthleteId)))
      .orderBy(desc(c.connectedAt))
      .limit(1)
      .get();
    return row?.athleteId ?? null;
  }

  /** Remembers an authorization link's state until `expiresAt`; expired ones are deleted on the way. */
  saveOAuthState(state: string, v: OAuthState & { expiresAt: Date }): void {
    const o = s.oauthStates;
    this.db.transaction((tx) => {
      tx.delete(o).where(lte(o.expiresAt, this.clock())).run();
      tx.insert(o)
        .values({ state, athleteId: v.athleteId, identityKey: v.identityKey, months: v.months, expiresAt: v.expiresAt })
        .onConflictDoUpdate({
          target: o.state,
          set: { athleteId: v.athleteId, identityKey: v.identityKey, months: v.months, expiresAt: v.expiresAt },
        })
        .run();
    }, IMMEDIATE);
  }

  /** What a state stands for, once: it is deleted when taken. Null when unknown, taken already or expired. */
  takeOAuthState(state: string, now: Date): OAuthState | null {
    const o = s.oauthStates;
    const row = this.db.delete(o).where(eq(o.state, state)).returning().get();
    if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
    return { athleteId: row.athleteId, identityKey: row.identityKey, months: row.months };
  }

  /**
   * Deletes finished (done or failed) jobs that finished before `before`, but the fetches: their
   * dedupe keys keep a ride from being fetched twice. How many went.
   */
  pruneJobs(before: Date): number {
    const j = s.syncJobs;
    return this.db
      .delete(j)
      .where(and(inArray(j.state, ['done', 'failed']), lt(j.finishedAt, before), ne(j.kind, 'fetch-activity')))
      .run().changes;
  }
}

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
