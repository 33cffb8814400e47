/**
 * The sync's cross-athlete queue (the SyncQueue port) behaves the same on SQLite and on
 * PostgreSQL: one behaviour suite, run on each engine with two handles on one database, as two
 * processes would hold. Jobs deduplicated by key in any state, claimed oldest first under a lease
 * (taken over once it expired), finished only by their claimant, postponed, pruned; due polls
 * handed to one poller per interval; accounts found by their service's id; OAuth states taken
 * once — and two processes claiming jobs, polls and states at once each taking every one once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgAthleteSyncRepository } from '../../src/store/pg/repositories/sync.js';
import { PgSyncQueue } from '../../src/store/pg/repositories/sync-queue.js';
import { lifted, type AthleteSyncRepository, type SyncQueue } from '../../src/store/ports.js';
import type { Clock } from '../../src/store/records.js';
import { SqliteAthleteSyncRepository } from '../../src/store/repositories/sync.js';
import { SqliteSyncQueue } from '../../src/store/repositories/sync-queue.js';
import type { NewSyncJob } from '../../src/store/sync-records.js';
import { describePostgres } from '../support/postgres.js';

/** One empty database seen by two processes (`queue`, `second`), an athlete's connections, and raw SQL (`?` parameters). */
interface QueueHandles {
  queue: SyncQueue;
  second: SyncQueue;
  sync(athleteId: string): AthleteSyncRepository;
  exec(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const at = (iso: string) => new Date(iso);
const MIN = 60_000;
const FETCH = { service: 'strava', kind: 'fetch-activity' } as const;
const fetch = (athleteId: string, extra: Partial<NewSyncJob> = {}): NewSyncJob => ({ ...FETCH, athleteId, ...extra });
/** An intervals.icu connection of this account. */
const icu = (externalAthleteId: string) => ({ service: 'intervals', externalAthleteId, sealedSecret: `v1:${externalAthleteId}` }) as const;

/** Calls `take` until it gives nothing; everything it gave, in order. */
async function takeAll<T>(take: () => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (let batch = await take(); batch.length > 0; batch = await take()) all.push(...batch);
  return all;
}

/** Claims three jobs at a time and completes them, until none is left for this process; their ids. */
const drain = (queue: SyncQueue, claimant: string) =>
  takeAll(async () => {
    const jobs = await queue.claim(now, claimant, { limit: 3 });
    for (const job of jobs) expect(await queue.complete(job.id, claimant)).toBe(true);
    return jobs.map((job) => job.id);
  });

type Open = (clock: Clock) => Promise<QueueHandles>;

/** The time the clock of every database opened here tells; each test starts at 08:00. */
let now: Date;

/** Registers the hooks of one describe; `fresh(athletes)` then gives an empty database of `open` with these athletes. */
function freshDatabases(open: Open) {
  let opened: QueueHandles[] = [];
  beforeEach(() => {
    now = at('2027-03-01T08:00:00Z');
  });
  afterEach(async () => {
    for (const h of opened) await h.close();
    opened = [];
  });
  return async (athletes = ['ana', 'ben']) => {
    const h = await open(() => now);
    opened.push(h);
    for (const id of athletes)
      await h.exec('insert into athletes (id, display_name, created_at, updated_at) values (?, ?, 0, 0)', [id, id]);
    return h;
  };
}

const countOf = async (h: QueueHandles, table: string) => Number((await h.exec(`select count(*) as n from ${table}`))[0]!['n']);

/** Jobs queued once per key, claimed oldest first under a lease, finished only by their claimant. */
function claimBehaviour(name: string, open: Open): void {
  describe(`claiming sync jobs on ${name}`, () => {
    const fresh = freshDatabases(open);

    it('deduplicates by key whatever the state, and claims the due jobs oldest first (one millisecond: as queued)', async () => {
      const { queue: q, second } = await fresh();
      expect(await q.nextDue()).toBeNull();
      const later = at('2027-03-01T08:02:00Z');
      expect(await q.enqueue(fetch('ana', { payload: { id: '1' }, dedupeKey: 'strava:1', batch: 'b', runAfter: later }))).toBe(true);
      expect(await second.enqueue(fetch('ana', { payload: { id: '1' }, dedupeKey: 'strava:1' }))).toBe(false);
      expect(await q.enqueue(fetch('ana', { payload: { id: '2' }, dedupeKey: 'strava:2', batch: 'b' }))).toBe(true);
      for (let i = 0; i < 12; i++)
        expect(await q.enqueue(fetch('ben', { kind: 'push-calendar', service: 'intervals', payload: { i } }))).toBe(true);
      expect(await q.nextDue()).toEqual(now);

      const first = await q.claim(now, 'p1', { limit: 10 });
      expect(first.map((j) => j.payload['id'] ?? j.payload['i'])).toEqual(['2', 0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(first[0]).toEqual({ ...first[0], ...FETCH, athleteId: 'ana', payload: { id: '2' }, batch: 'b', attempts: 1, runAfter: now });
      expect(Object.keys(first[0]!).sort()).toEqual(['athleteId', 'attempts', 'batch', 'id', 'kind', 'payload', 'runAfter', 'service']);
      expect((await second.claim(now, 'p2')).map((j) => j.payload['i'])).toEqual([9, 10, 11]);
      expect(await q.claim(now, 'p2')).toEqual([]); // claimed, and the other not due yet
      expect(await q.nextDue()).toEqual(later);
      expect((await second.claim(later, 'p2')).map((j) => j.payload['id'])).toEqual(['1']);
      expect(await q.nextDue()).toBeNull();

      for (const job of first) expect(await q.complete(job.id, 'p1')).toBe(true);
      expect(await q.enqueue(fetch('ana', { dedupeKey: 'strava:2' }))).toBe(false); // done, still a duplicate
      expect(await q.batchProgress('ana', 'b')).toEqual({ queued: 0, running: 1, done: 1, failed: 0 });
      expect(await q.batchProgress('ben', 'b')).toEqual({ queued: 0, running: 0, done: 0, failed: 0 });
    });

    it('claims jobs queued in one millisecond in the order they were queued, batch after batch', async () => {
      const { queue: q } = await fresh();
      for (let i = 0; i < 60; i++) await q.enqueue(fetch(i % 3 ? 'ana' : 'ben', { payload: { i } }));
      const order = await takeAll(async () => (await q.claim(now, 'p1', { limit: 7 })).map((j) => j.payload['i']));
      expect(order).toEqual(Array.from({ length: 60 }, (_, i) => i));
    });

    it('lets only the claimant finish a job, retries it later, and takes over a claim past its lease', async () => {
      const { queue: q, second } = await fresh();
      await q.enqueue({ athleteId: 'ana', service: 'intervals', kind: 'fetch-activity', dedupeKey: 'i:1', batch: 'b' });
      const [job] = await q.claim(now, 'p1');
      expect(await q.complete(job!.id, 'p2')).toBe(false);
      expect(await second.fail(job!.id, 'p2', 'no')).toBe(false);
      expect(await q.retry(job!.id, 'p2', now, 'no')).toBe(false);
      expect(await q.retry(job!.id, 'p1', at('2027-03-01T08:10:00Z'), 'unavailable (503)')).toBe(true);
      expect(await q.complete(job!.id, 'p1')).toBe(false); // no longer claimed
      expect(await q.batchProgress('ana', 'b')).toEqual({ queued: 1, running: 0, done: 0, failed: 0 });
      expect(await q.claim(at('2027-03-01T08:09:59Z'), 'p1')).toEqual([]);
      const [again] = await q.claim(at('2027-03-01T08:10:00Z'), 'p1');
      expect(again).toMatchObject({ id: job!.id, attempts: 2, runAfter: at('2027-03-01T08:10:00Z') });

      // p1 dies: within the lease nobody takes it, after it p2 does, and p1 can no longer finish it
      expect(await second.claim(at('2027-03-01T08:15:00Z'), 'p2')).toEqual([]);
      expect(await second.claim(at('2027-03-01T08:10:30Z'), 'p2', { leaseMs: 30_000 })).toEqual([]);
      const [taken] = await second.claim(at('2027-03-01T08:15:01Z'), 'p2');
      expect(taken).toMatchObject({ id: job!.id, attempts: 3 });
      expect(await q.complete(job!.id, 'p1')).toBe(false);
      expect(await second.fail(job!.id, 'p2', 'bad-response')).toBe(true);
      expect(await q.batchProgress('ana', 'b')).toEqual({ queued: 0, running: 0, done: 0, failed: 1 });
      expect(await q.claim(at('2027-03-02T08:00:00Z'), 'p3', { leaseMs: 1 })).toEqual([]); // failed stays failed
      expect(await q.nextDue()).toBeNull();
    });
  });
}

/** Claims by service and limit, postponed services, pruned jobs. */
function postponeBehaviour(name: string, open: Open): void {
  describe(`postponing and pruning sync jobs on ${name}`, () => {
    const fresh = freshDatabases(open);

    it('claims only the services asked for, at most `limit`, and postpones a service (a rate limit)', async () => {
      const { queue: q } = await fresh();
      for (let i = 0; i < 3; i++) await q.enqueue(fetch('ana', { payload: { i } }));
      await q.enqueue(fetch('ben'));
      for (let i = 0; i < 2; i++) await q.enqueue(fetch('ana', { service: 'intervals', payload: { i } }));
      const until = at('2027-03-01T08:04:00Z'); // within the lease of the claims at 08:00
      expect(await q.postpone('strava', until, 'ana')).toBe(3);
      expect((await q.claim(now, 'p1', { services: ['strava'] })).map((j) => j.athleteId)).toEqual(['ben']);
      expect(await q.claim(now, 'p1', { services: [] })).toEqual([]);
      expect(await q.postpone('strava', at('2027-03-01T08:02:00Z'))).toBe(0); // never earlier than it was
      expect(await q.postpone('intervals', now, 'ben')).toBe(0);
      expect(await q.claim(now, 'p1', { limit: 1 })).toHaveLength(1);
      expect(await q.claim(now, 'p1')).toHaveLength(1);
      expect(await q.nextDue()).toEqual(until);
      expect(await q.postpone('strava', at('2027-03-01T08:05:00Z'))).toBe(3);
      expect(await q.claim(at('2027-03-01T08:04:30Z'), 'p1', { services: ['intervals', 'strava'] })).toEqual([]);
      expect(await q.claim(at('2027-03-01T08:05:00Z'), 'p1', { services: ['intervals', 'strava'] })).toHaveLength(3);
    });

    it('prunes finished jobs but the fetches (their keys keep a ride from being fetched twice)', async () => {
      const h = await fresh();
      const q = h.queue;
      for (const kind of ['fetch-activity', 'push-calendar', 'backfill', 'deauthorize'] as const) {
        await q.enqueue({ athleteId: 'ana', service: 'intervals', kind, dedupeKey: kind });
        now = new Date(now.getTime() + 1);
      }
      const jobs = await q.claim(now, 'p1');
      expect(jobs.map((j) => j.kind)).toEqual(['fetch-activity', 'push-calendar', 'backfill', 'deauthorize']);
      await q.complete(jobs[0]!.id, 'p1');
      await q.complete(jobs[1]!.id, 'p1');
      await q.fail(jobs[2]!.id, 'p1', 'gave up');
      // the fourth is still running
      expect(await q.pruneJobs(now)).toBe(0); // finished at `now`, not before
      expect(await q.pruneJobs(at('2027-03-02T00:00:00Z'))).toBe(2);
      expect(await q.enqueue({ athleteId: 'ana', service: 'intervals', kind: 'fetch-activity', dedupeKey: 'fetch-activity' })).toBe(false);
      expect(await q.enqueue({ athleteId: 'ana', service: 'intervals', kind: 'push-calendar', dedupeKey: 'push-calendar' })).toBe(true);
      expect(await countOf(h, 'sync_jobs')).toBe(3);
    });
  });
}

/** Due polls, accounts found by their id, OAuth states. */
function pollBehaviour(name: string, open: Open): void {
  describe(`polls, accounts and OAuth states on ${name}`, () => {
    const fresh = freshDatabases(open);

    it('hands each due intervals.icu connection to one poller per interval, the most overdue first', async () => {
      const { queue, second, sync } = await fresh(['ana', 'ben', 'cleo', 'dan']);
      await sync('ana').saveConnection(icu('i1')); // never polled
      await sync('ben').saveConnection({ ...icu('i2'), nextPollAt: at('2027-03-01T08:03:00Z') });
      await sync('dan').saveConnection({ ...icu('i4'), nextPollAt: at('2027-03-01T08:01:00Z') });
      await sync('cleo').saveConnection({ service: 'strava', externalAthleteId: '3', sealedSecret: 'v1:c' }); // not polled

      const first = await queue.claimDuePolls(now, 10 * MIN);
      expect(first.map((p) => p.athleteId)).toEqual(['ana']);
      expect(first[0]!.connection).toEqual({ ...(await sync('ana').connection('intervals'))!, nextPollAt: at('2027-03-01T08:10:00Z') });
      expect(first[0]!.connection).toMatchObject({ externalAthleteId: 'i1', sealedSecret: 'v1:i1', connectedAt: now });
      expect(await second.claimDuePolls(now, 10 * MIN)).toEqual([]);
      const t1 = at('2027-03-01T08:05:00Z');
      // SQLite gives them in the order the connections were made, PostgreSQL the most overdue first
      expect((await second.claimDuePolls(t1, 10 * MIN)).map((p) => p.athleteId).sort()).toEqual(['ben', 'dan']);
      expect(await queue.claimDuePolls(t1, 10 * MIN)).toEqual([]);
      expect((await sync('ana').connection('intervals'))!.nextPollAt).toEqual(at('2027-03-01T08:10:00Z'));
      expect((await sync('ben').connection('intervals'))!.nextPollAt).toEqual(at('2027-03-01T08:15:00Z'));
      const t2 = at('2027-03-01T08:20:00Z');
      // at most `limit`, the most overdue taken first
      expect((await queue.claimDuePolls(t2, 10 * MIN, 2)).map((p) => p.athleteId)).toContain('ana');
      expect(await queue.claimDuePolls(t2, 10 * MIN, 2)).toHaveLength(1);
      expect(await queue.claimDuePolls(t2, 10 * MIN, 2)).toHaveLength(0);
    });

    it('finds the athlete behind an account on a service (the latest to connect it)', async () => {
      const { queue, sync } = await fresh();
      await sync('ana').saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:a' });
      await sync('ben').saveConnection({ service: 'intervals', externalAthleteId: '777', sealedSecret: 'v1:b' });
      expect(await queue.athleteByExternalId('strava', '777')).toBe('ana');
      expect(await queue.athleteByExternalId('intervals', '777')).toBe('ben');
      expect(await queue.athleteByExternalId('strava', '778')).toBeNull();
      now = at('2027-03-02T08:00:00Z');
      await sync('ben').saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:c' });
      expect(await queue.athleteByExternalId('strava', '777')).toBe('ben');
      await sync('ben').deleteConnection('strava');
      expect(await queue.athleteByExternalId('strava', '777')).toBe('ana');
    });

    it('gives an OAuth state back once, not after it expired, and prunes the expired', async () => {
      const h = await fresh();
      const q = h.queue;
      const v = { athleteId: 'ana', identityKey: 'telegram:1', months: 6 };
      const expiresAt = at('2027-03-01T08:10:00Z');
      await q.saveOAuthState('state-1', { ...v, expiresAt });
      await q.saveOAuthState('state-2', { ...v, expiresAt });
      expect(await q.takeOAuthState('state-1', at('2027-03-01T08:09:59Z'))).toEqual(v);
      expect(await h.second.takeOAuthState('state-1', at('2027-03-01T08:09:59Z'))).toBeNull(); // single use
      expect(await q.takeOAuthState('unknown', now)).toBeNull();
      expect(await q.takeOAuthState('state-2', expiresAt)).toBeNull(); // expired
      await q.saveOAuthState('state-3', { ...v, expiresAt });
      await q.saveOAuthState('state-3', { athleteId: 'ben', identityKey: 'telegram:2', months: 3, expiresAt: at('2027-03-01T08:12:00Z') });
      await q.saveOAuthState('state-4', { ...v, expiresAt });
      expect(await countOf(h, 'oauth_states')).toBe(2);
      now = at('2027-03-01T08:11:00Z');
      await q.saveOAuthState('state-5', { ...v, expiresAt: at('2027-03-01T08:21:00Z') });
      expect(await countOf(h, 'oauth_states')).toBe(2); // 4 pruned; 3, saved again, lasts longer
      expect(await q.takeOAuthState('state-3', now)).toEqual({ athleteId: 'ben', identityKey: 'telegram:2', months: 3 });
      expect(await q.takeOAuthState('state-5', now)).toEqual(v);
    });
  });
}

/** Two processes taking jobs, polls and OAuth states at once. */
function raceBehaviour(name: string, open: Open): void {
  describe(`two processes at once on ${name}`, () => {
    const fresh = freshDatabases(open);

    it('two processes claiming jobs at once, three at a time until none is left, take every job exactly once', async () => {
      const h = await fresh();
      for (let i = 0; i < 90; i++) await h.queue.enqueue(fetch(i % 2 ? 'ana' : 'ben', { payload: { i }, dedupeKey: `s:${i}`, batch: 'b' }));
      const [byA, byB] = await Promise.all([drain(h.queue, 'p1'), drain(h.second, 'p2')]);
      expect(byA.length).toBeGreaterThan(0);
      expect(byB.length).toBeGreaterThan(0);
      expect([byA.length + byB.length, new Set([...byA, ...byB]).size]).toEqual([90, 90]); // each taken, once
      const progress = [await h.queue.batchProgress('ana', 'b'), await h.queue.batchProgress('ben', 'b')];
      const done = { queued: 0, running: 0, done: 45, failed: 0 };
      expect(progress).toEqual([done, done]);
    });

    it('two processes taking due polls and OAuth states at once take each one once', async () => {
      const athletes = Array.from({ length: 30 }, (_, i) => `athlete-${i}`);
      const h = await fresh(athletes);
      for (const [i, id] of athletes.entries()) await h.sync(id).saveConnection({ ...icu(`i${i}`), nextPollAt: i % 3 ? now : null });
      const polls = (queue: SyncQueue) => takeAll(async () => (await queue.claimDuePolls(now, 10 * MIN, 4)).map((p) => p.athleteId));
      const [pollsA, pollsB] = await Promise.all([polls(h.queue), polls(h.second)]);
      expect([...pollsA, ...pollsB].sort()).toEqual([...athletes].sort());

      const states = athletes.slice(0, 10);
      for (const state of states)
        await h.queue.saveOAuthState(state, { athleteId: state, identityKey: state, months: 1, expiresAt: at('2027-03-01T09:00:00Z') });
      const taken = await Promise.all(states.flatMap((state) => [h.queue.takeOAuthState(state, now), h.second.takeOAuthState(state, now)]));
      for (const [i, state] of states.entries()) {
        const pair = taken.slice(2 * i, 2 * i + 2).filter((t) => t !== null);
        expect(pair).toEqual([{ athleteId: state, identityKey: state, months: 1 }]);
      }
      expect(await countOf(h, 'oauth_states')).toBe(0);
    });
  });
}

const behaviours = [claimBehaviour, postponeBehaviour, pollBehaviour, raceBehaviour];

describe('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'domestique-pg-sync-queue-'));
  let files = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const open: Open = async (clock) => {
    const path = join(dir, `queue-${++files}.db`);
    const [first, second] = [openDatabase(path), openDatabase(path)];
    return {
      queue: lifted<SyncQueue>(new SqliteSyncQueue(first.db, clock)),
      second: lifted<SyncQueue>(new SqliteSyncQueue(second.db, clock)),
      sync: (athleteId) => lifted<AthleteSyncRepository>(new SqliteAthleteSyncRepository({ db: first.db, athleteId, clock })),
      exec: async (text, params = []) => {
        const statement = first.sqlite.prepare(text);
        if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
        statement.run(...params);
        return [];
      },
      close: async () => [first, second].forEach((opened) => opened.close()),
    };
  };
  for (const behaviour of behaviours) behaviour('sqlite', open);
});

describePostgres('postgres', (server) => {
  const open: Open = async (clock) => {
    const url = await server().freshDatabase();
    const [first, second] = [await openPostgres(url, { max: 4 }), await openPostgres(url, { max: 4 })];
    return {
      queue: new PgSyncQueue(first.db, clock),
      second: new PgSyncQueue(second.db, clock),
      sync: (athleteId) => new PgAthleteSyncRepository({ db: first.db, athleteId, clock }),
      exec: async (text, params = []) => {
        let n = 0;
        const numbered = text.replace(/\?/g, () => `$${++n}`);
        return (await first.pool.query(numbered, params)).rows as Record<string, unknown>[];
      },
      close: async () => void (await Promise.all([first.close(), second.close()])),
    };
  };
  for (const behaviour of behaviours) behaviour('postgres', open);
});
