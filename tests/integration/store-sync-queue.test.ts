/**
 * The sync's shared side, on SQLite and on PostgreSQL: the job queue shared by processes (dedupe,
 * claims under a lease, only the claimant finishing, two processes claiming every job once between
 * them), due polls handed to one poller an interval, OAuth states, and the plan versions told to the
 * listeners of the store that saved them (the calendar push). One athlete's sync tables:
 * store-sync.test.ts.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { storeEngines, type EngineUnderTest } from '../support/engines.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const engines = storeEngines();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A store on `engine` whose clock the test moves; `path` is where another process opens it. */
async function freshOn(engine: EngineUnderTest, start = '2027-03-01T08:00:00Z') {
  const clock = { now: new Date(start) };
  const s = await engine.tempStore(() => clock.now);
  cleanups.push(s.cleanup);
  const athlete = async (key: string, name: string) => s.store.athlete((await s.store.athleteForIdentity(key, name)).id);
  return { ...s, clock, athlete };
}

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

describe.each(engines)('the sync queue on $name', (engine) => {
  const fresh = (start?: string) => freshOn(engine, start);

  describe('the job queue', () => {
    it('deduplicates by key whatever the state, and claims the due jobs oldest first', async () => {
      const { store, clock, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const q = store.sync;
      const base = { athleteId: ana.athleteId, service: 'strava' as const, kind: 'fetch-activity' as const };
      expect(await q.nextDue()).toBeNull();
      expect(
        await q.enqueue({ ...base, payload: { id: '1' }, dedupeKey: 'strava:1', batch: 'b', runAfter: at('2027-03-01T08:02:00Z') }),
      ).toBe(true);
      expect(await q.enqueue({ ...base, payload: { id: '1' }, dedupeKey: 'strava:1' })).toBe(false);
      expect(await q.enqueue({ ...base, payload: { id: '2' }, dedupeKey: 'strava:2', batch: 'b' })).toBe(true);
      expect(await q.enqueue({ ...base, kind: 'push-calendar', service: 'intervals' })).toBe(true); // no key: never a duplicate
      expect(await q.enqueue({ ...base, kind: 'push-calendar', service: 'intervals' })).toBe(true);
      expect(await q.nextDue()).toEqual(clock.now);

      const first = await q.claim(clock.now, 'p1');
      expect(first.map((j) => j.payload['id'] ?? j.kind)).toEqual(['2', 'push-calendar', 'push-calendar']);
      expect(first[0]).toMatchObject({ athleteId: ana.athleteId, service: 'strava', kind: 'fetch-activity', batch: 'b', attempts: 1 });
      expect(await q.claim(clock.now, 'p2')).toEqual([]); // claimed, and the other not due yet
      expect(await q.nextDue()).toEqual(at('2027-03-01T08:02:00Z'));
      expect((await q.claim(at('2027-03-01T08:02:00Z'), 'p2')).map((j) => j.payload['id'])).toEqual(['1']);

      for (const job of first) expect(await q.complete(job.id, 'p1')).toBe(true);
      expect(await q.enqueue({ ...base, dedupeKey: 'strava:2' })).toBe(false); // done, still a duplicate
      expect(await q.batchProgress(ana.athleteId, 'b')).toEqual({ queued: 0, running: 1, done: 1, failed: 0 });
    });

    it('lets only the claimant finish a job, retries it later, and takes over a claim past its lease', async () => {
      const { store, clock, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const q = store.sync;
      await q.enqueue({ athleteId: ana.athleteId, service: 'intervals', kind: 'fetch-activity', dedupeKey: 'i:1', batch: 'b' });
      const [job] = await q.claim(clock.now, 'p1');
      expect(await q.complete(job!.id, 'p2')).toBe(false);
      expect(await q.fail(job!.id, 'p2', 'no')).toBe(false);
      expect(await q.retry(job!.id, 'p1', at('2027-03-01T08:10:00Z'), 'unavailable (503)')).toBe(true);
      expect(await q.complete(job!.id, 'p1')).toBe(false); // no longer claimed
      expect(await q.claim(at('2027-03-01T08:09:59Z'), 'p1')).toEqual([]);
      const [again] = await q.claim(at('2027-03-01T08:10:00Z'), 'p1');
      expect(again).toMatchObject({ id: job!.id, attempts: 2 });

      // p1 dies: within the lease nobody takes it, after it p2 does, and p1 can no longer finish it
      expect(await q.claim(at('2027-03-01T08:14:59Z'), 'p2')).toEqual([]);
      const [taken] = await q.claim(at('2027-03-01T08:15:01Z'), 'p2');
      expect(taken).toMatchObject({ id: job!.id, attempts: 3 });
      expect(await q.complete(job!.id, 'p1')).toBe(false);
      expect(await q.fail(job!.id, 'p2', 'bad-response')).toBe(true);
      expect(await q.batchProgress(ana.athleteId, 'b')).toEqual({ queued: 0, running: 0, done: 0, failed: 1 });
      expect(await q.claim(at('2027-03-02T08:00:00Z'), 'p3', { leaseMs: 1 })).toEqual([]); // failed stays failed
      expect(await q.batchProgress(ana.athleteId, 'other')).toEqual({ queued: 0, running: 0, done: 0, failed: 0 });
    });

    it('claims only the services asked for, at most `limit`, and postpones a service (a rate limit)', async () => {
      const { store, clock, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const ben = await athlete('telegram:2', 'Ben');
      const q = store.sync;
      for (const [who, service, n] of [
        [ana, 'strava', 3],
        [ben, 'strava', 1],
        [ana, 'intervals', 2],
      ] as const)
        for (let i = 0; i < n; i++) await q.enqueue({ athleteId: who.athleteId, service, kind: 'fetch-activity', payload: { i } });
      const until = at('2027-03-01T08:04:00Z'); // within the lease of the claims at 08:00
      expect(await q.postpone('strava', until, ana.athleteId)).toBe(3);
      expect((await q.claim(clock.now, 'p1', { services: ['strava'] })).map((j) => j.athleteId)).toEqual([ben.athleteId]);
      expect(await q.claim(clock.now, 'p1', { services: [] })).toEqual([]);
      expect(await q.postpone('strava', at('2027-03-01T08:02:00Z'))).toBe(0); // never earlier than it was
      expect(await q.claim(clock.now, 'p1', { limit: 1 })).toHaveLength(1);
      expect(await q.claim(clock.now, 'p1')).toHaveLength(1);
      expect(await q.nextDue()).toEqual(until);
      expect(await q.claim(until, 'p1', { services: ['intervals', 'strava'] })).toHaveLength(3);
    });

    it('prunes finished jobs but the fetches (their keys keep a ride from being fetched twice)', async () => {
      const { store, clock, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const q = store.sync;
      for (const kind of ['fetch-activity', 'push-calendar', 'backfill', 'deauthorize'] as const)
        await q.enqueue({ athleteId: ana.athleteId, service: 'intervals', kind, dedupeKey: kind });
      const jobs = await q.claim(clock.now, 'p1');
      await q.complete(jobs[0]!.id, 'p1');
      await q.complete(jobs[1]!.id, 'p1');
      await q.fail(jobs[2]!.id, 'p1', 'gave up');
      // the fourth is still running
      expect(await q.pruneJobs(clock.now)).toBe(0); // finished at `now`, not before
      expect(await q.pruneJobs(at('2027-03-02T00:00:00Z'))).toBe(2);
      expect(await q.enqueue({ athleteId: ana.athleteId, service: 'intervals', kind: 'fetch-activity', dedupeKey: 'fetch-activity' })).toBe(
        false,
      );
      expect(await q.enqueue({ athleteId: ana.athleteId, service: 'intervals', kind: 'push-calendar', dedupeKey: 'push-calendar' })).toBe(
        true,
      );
      expect((await store.check()).counts['syncJobs']).toBe(3);
    });

    it('two processes on one file claim every job once between them', async () => {
      const { store, path, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const total = 60;
      for (let i = 0; i < total; i++)
        await store.sync.enqueue({
          athleteId: ana.athleteId,
          service: 'strava',
          kind: 'fetch-activity',
          payload: { i },
          dedupeKey: `s:${i}`,
        });
      const storeModule = join(ROOT, 'src/store/store.ts');
      // each child opens the file, says READY, and claims one job at a time from "go" until none is left
      const code = (name: string) => `
        const { Store } = await import(${JSON.stringify(storeModule)});
        const store = await Store.open(${JSON.stringify(path)});
        process.stdout.write('READY\\n');
        await new Promise((go) => process.stdin.once('data', go));
        const ids = [];
        for (;;) {
          const jobs = await store.sync.claim(new Date('2027-03-01T09:00:00Z'), ${JSON.stringify(name)}, { limit: 1 });
          if (jobs.length === 0) break;
          for (const job of jobs) { ids.push(job.id); await store.sync.complete(job.id, ${JSON.stringify(name)}); }
        }
        await store.close();
        process.stdout.write('IDS' + JSON.stringify(ids) + '\\n');
        process.stdin.destroy();`;
      const children = ['one', 'two'].map((name) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code(name)], {
          cwd: ROOT,
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        cleanups.push(() => {
          if (proc.exitCode === null) proc.kill();
        });
        let out = '';
        const seen = (pattern: RegExp) =>
          new Promise<string>((done, reject) => {
            const check = () => {
              const m = pattern.exec(out);
              if (m) done(m[1] ?? m[0]);
            };
            proc.stdout.on('data', (chunk: Buffer) => {
              out += chunk.toString();
              check();
            });
            proc.once('exit', (exitCode) => reject(new Error(`${name} exited ${exitCode} before ${pattern}`)));
            check();
          });
        return { proc, seen };
      });
      await Promise.all(children.map((c) => c.seen(/READY/)));
      const results = children.map((c) => c.seen(/IDS(\[.*\])\n/));
      for (const c of children) c.proc.stdin.write('go\n'); // both start at once
      const [one, two] = (await Promise.all(results)).map((text) => JSON.parse(text) as string[]);
      const all = [...one!, ...two!];
      expect(all).toHaveLength(total);
      expect(new Set(all).size).toBe(total);
      expect(await store.sync.batchProgress(ana.athleteId, 'none')).toEqual({ queued: 0, running: 0, done: 0, failed: 0 });
      expect((await store.check()).counts['syncJobs']).toBe(total);
      expect(await store.sync.nextDue()).toBeNull();
    }, 30_000);
  });

  describe('polls and OAuth states', () => {
    it('hands each due intervals.icu connection to one poller per interval', async () => {
      const { store, path, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const ben = await athlete('telegram:2', 'Ben');
      const cleo = await athlete('telegram:3', 'Cleo');
      await ana.sync.saveConnection({ service: 'intervals', externalAthleteId: 'i1', sealedSecret: 'v1:a' }); // never polled
      await ben.sync.saveConnection({
        service: 'intervals',
        externalAthleteId: 'i2',
        sealedSecret: 'v1:b',
        nextPollAt: at('2027-03-01T08:03:00Z'),
      });
      await cleo.sync.saveConnection({ service: 'strava', externalAthleteId: '3', sealedSecret: 'v1:c' }); // not polled
      const other = await Store.open(path);
      cleanups.push(() => other.close());

      const t0 = at('2027-03-01T08:00:00Z');
      const first = await store.sync.claimDuePolls(t0, minutes(10));
      expect(first.map((p) => p.athleteId)).toEqual([ana.athleteId]);
      expect(first[0]!.connection).toMatchObject({ externalAthleteId: 'i1', sealedSecret: 'v1:a', nextPollAt: at('2027-03-01T08:10:00Z') });
      expect(await other.sync.claimDuePolls(t0, minutes(10))).toEqual([]);
      const t1 = at('2027-03-01T08:05:00Z');
      expect((await other.sync.claimDuePolls(t1, minutes(10))).map((p) => p.athleteId)).toEqual([ben.athleteId]);
      expect(await store.sync.claimDuePolls(t1, minutes(10))).toEqual([]);
      expect((await ana.sync.connection('intervals'))!.nextPollAt).toEqual(at('2027-03-01T08:10:00Z'));
      expect(await store.sync.claimDuePolls(at('2027-03-01T08:20:00Z'), minutes(10), 1)).toHaveLength(1);
      expect(await store.sync.claimDuePolls(at('2027-03-01T08:20:00Z'), minutes(10), 1)).toHaveLength(1);
      expect(await store.sync.claimDuePolls(at('2027-03-01T08:20:00Z'), minutes(10), 1)).toHaveLength(0);
    });

    it('gives an OAuth state back once, not after it expired, and prunes the expired', async () => {
      const { store, clock, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const q = store.sync;
      const v = { athleteId: ana.athleteId, identityKey: 'telegram:1', months: 6 };
      await q.saveOAuthState('state-1', { ...v, expiresAt: at('2027-03-01T08:10:00Z') });
      await q.saveOAuthState('state-2', { ...v, expiresAt: at('2027-03-01T08:10:00Z') });
      expect(await q.takeOAuthState('state-1', at('2027-03-01T08:09:59Z'))).toEqual(v);
      expect(await q.takeOAuthState('state-1', at('2027-03-01T08:09:59Z'))).toBeNull(); // single use
      expect(await q.takeOAuthState('unknown', clock.now)).toBeNull();
      expect(await q.takeOAuthState('state-2', at('2027-03-01T08:10:00Z'))).toBeNull(); // expired
      await q.saveOAuthState('state-3', { ...v, expiresAt: at('2027-03-01T08:10:00Z') });
      await q.saveOAuthState('state-4', { ...v, expiresAt: at('2027-03-01T08:10:00Z') });
      expect((await store.check()).counts['oauthStates']).toBe(2);
      clock.now = at('2027-03-01T08:11:00Z');
      await q.saveOAuthState('state-5', { ...v, expiresAt: at('2027-03-01T08:21:00Z') });
      expect((await store.check()).counts['oauthStates']).toBe(1); // 3 and 4 pruned
      expect(await q.takeOAuthState('state-5', clock.now)).toEqual(v);
    });
  });

  describe('plan versions', () => {
    it('are told to the listeners of the store that saved them (the calendar push), until they unsubscribe', async () => {
      const { store, path, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const told: [string, number][] = [];
      const stop = store.onPlanVersion((athleteId, version) => told.push([athleteId, version.version]));
      store.onPlanVersion(() => {
        throw new Error('a listener that fails'); // does not make the save fail, nor keep the others from hearing
      });
      const version = {
        reason: 'test',
        changes: [],
        plan: { startDate: '2027-03-01', weeks: [] },
        ftp: 250,
        sourceRunId: null,
        input: { ftp: 250, weeklyHours: 6, trainingDays: ['tue' as const], planWeeks: 4, startDate: '2027-03-01', fitness: { ctl: 40 } },
      };
      expect((await ana.coaching.savePlanVersion(version)).version).toBe(1);
      expect((await store.athlete(ana.athleteId).coaching.savePlanVersion(version)).version).toBe(2);
      const other = await Store.open(path); // another process's saves are its own
      cleanups.push(() => other.close());
      await other.athlete(ana.athleteId).coaching.savePlanVersion(version);
      stop();
      await store.athlete(ana.athleteId).coaching.savePlanVersion(version);
      expect(told).toEqual([
        [ana.athleteId, 1],
        [ana.athleteId, 2],
      ]);
      expect((await ana.coaching.currentPlanVersion())!.version).toBe(4);
    });
  });
});
