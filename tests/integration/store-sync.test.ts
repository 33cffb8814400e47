/**
 * The sync's tables on a real SQLite file: connections (one per service, re-connects, scoped to
 * their athlete), remote rides seen, calendar entries, the job queue shared by processes (dedupe,
 * claims under a lease, only the claimant finishing), due polls, OAuth states, and all of it in
 * /export without secrets and gone after /forget — and a database of the previous version migrates.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { activityFromStrava } from '../../src/ingest/strava-api/activity-from-strava.js';
import { MIGRATIONS_FOLDER } from '../../src/store/database.js';
import { Store, type BackfillState } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { tempStore } from '../support/store.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A store whose clock the test moves. */
async function fresh(start = '2027-03-01T08:00:00Z') {
  const clock = { now: new Date(start) };
  const s = await tempStore(() => clock.now);
  cleanups.push(s.cleanup);
  const athlete = async (key: string, name: string) => s.store.athlete((await s.store.athleteForIdentity(key, name)).id);
  return { ...s, clock, athlete };
}

const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

async function storedRide(store: Store, athleteId: string, seed: number): Promise<string> {
  const bytes = encodeActivityFit([syntheticRide({ seed, startTime: at('2027-02-20T17:00:00Z'), durationSeconds: 1800, ftp: 250 })]);
  const decoded = decodeFit(bytes, `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return (await store.athlete(athleteId).recordUpload([`ride-${seed}.fit`], { activities: decoded.value, errors: [] })).activityIds[0]!;
}

const backfill: BackfillState = {
  batch: 'backfill-1',
  months: 12,
  identityKey: 'telegram:1',
  messageId: null,
  startedAt: at('2027-03-01T08:00:00Z'),
  listed: false,
  finishedAt: null,
};

describe('connections', () => {
  it('are saved per service, read back, updated, and scoped to their athlete', async () => {
    const { clock, athlete } = await fresh();
    const ana = await athlete('telegram:1', 'Ana');
    const ben = await athlete('telegram:2', 'Ben');
    expect(await ana.sync.connection('intervals')).toBeNull();
    const saved = await ana.sync.saveConnection({ service: 'intervals', externalAthleteId: 'i42', sealedSecret: 'v1:sealed-a', backfill });
    expect(saved).toEqual({
      service: 'intervals',
      externalAthleteId: 'i42',
      sealedSecret: 'v1:sealed-a',
      pushCalendar: true,
      connectedAt: clock.now,
      lastSyncAt: null,
      cursor: null,
      nextPollAt: null,
      backfill,
    });
    expect(await ana.sync.connection('intervals')).toEqual(saved);
    await ana.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:sealed-s', pushCalendar: false });
    expect((await ana.sync.connections()).map((c) => c.service)).toEqual(['intervals', 'strava']);

    const done = { ...backfill, listed: true, messageId: '55', finishedAt: at('2027-03-01T09:00:00Z') };
    expect(
      await ana.sync.updateConnection('intervals', {
        lastSyncAt: at('2027-03-01T08:30:00Z'),
        cursor: at('2027-02-28T07:00:00Z'),
        backfill: done,
        pushCalendar: false,
      }),
    ).toBe(true);
    expect(await ana.sync.connection('intervals')).toMatchObject({
      lastSyncAt: at('2027-03-01T08:30:00Z'),
      cursor: at('2027-02-28T07:00:00Z'),
      backfill: done,
      pushCalendar: false,
      sealedSecret: 'v1:sealed-a',
    });
    expect(await ana.sync.updateConnection('intervals', { backfill: null })).toBe(true);
    expect((await ana.sync.connection('intervals'))!.backfill).toBeNull();

    // Ben sees and changes nothing of Ana's
    expect(await ben.sync.connections()).toEqual([]);
    expect(await ben.sync.updateConnection('intervals', { cursor: clock.now })).toBe(false);
    expect(await ben.sync.deleteConnection('intervals')).toBe(false);
    expect(await ana.sync.connection('intervals')).not.toBeNull();
  });

  it('a re-connect replaces the secret; the cursor and history stay only for the same account', async () => {
    const { clock, athlete } = await fresh();
    const ana = await athlete('telegram:1', 'Ana');
    const first = await ana.sync.saveConnection({
      service: 'intervals',
      externalAthleteId: 'i42',
      sealedSecret: 'v1:old',
      pushCalendar: false,
    });
    await ana.sync.updateConnection('intervals', { cursor: at('2027-02-28T07:00:00Z'), lastSyncAt: at('2027-03-01T08:10:00Z') });
    clock.now = at('2027-03-02T08:00:00Z');

    const again = await ana.sync.saveConnection({ service: 'intervals', externalAthleteId: 'i42', sealedSecret: 'v1:new' });
    expect(again).toMatchObject({
      sealedSecret: 'v1:new',
      connectedAt: first.connectedAt,
      cursor: at('2027-02-28T07:00:00Z'),
      lastSyncAt: at('2027-03-01T08:10:00Z'),
      pushCalendar: false, // not given: kept
    });
    expect(await ana.sync.connection('intervals')).toEqual(again);

    const other = await ana.sync.saveConnection({
      service: 'intervals',
      externalAthleteId: 'i99',
      sealedSecret: 'v1:other',
      pushCalendar: true,
    });
    expect(other).toMatchObject({ externalAthleteId: 'i99', connectedAt: clock.now, cursor: null, lastSyncAt: null, pushCalendar: true });
    expect(await ana.sync.connections()).toHaveLength(1);
  });

  it('disconnecting deletes the connection, its unfinished jobs, the rides seen and the calendar — not the rides', async () => {
    const { store, athlete } = await fresh();
    const ana = await athlete('telegram:1', 'Ana');
    const rideId = await storedRide(store, ana.athleteId, 1);
    for (const service of ['intervals', 'strava'] as const) {
      await ana.sync.saveConnection({ service, externalAthleteId: `${service}-1`, sealedSecret: 'v1:x' });
      await ana.sync.recordSyncedActivity(service, `${service}-ride`, rideId);
    }
    await ana.sync.saveCalendarEntry({
      externalId: 'domestique:w1',
      remoteId: '9',
      date: '2027-03-03',
      contentHash: 'h',
      pushedAt: at('2027-03-01T08:00:00Z'),
    });
    const job = (service: 'intervals' | 'strava', kind: 'fetch-activity' | 'deauthorize', key: string) =>
      store.sync.enqueue({ athleteId: ana.athleteId, service, kind, dedupeKey: key });
    await job('intervals', 'fetch-activity', 'i-queued');
    await job('intervals', 'fetch-activity', 'i-running');
    await job('intervals', 'fetch-activity', 'i-done');
    await job('strava', 'fetch-activity', 's-queued');
    const [running, finished] = await store.sync.claim(at('2027-03-01T08:00:00Z'), 'p1', { limit: 2 });
    await store.sync.complete(finished!.id, 'p1');
    expect(running).toBeDefined();
    await job('intervals', 'deauthorize', 'i-deauth'); // queued for after the disconnect: kept

    expect(await ana.sync.deleteConnection('intervals')).toBe(true);
    expect(await ana.sync.connection('intervals')).toBeNull();
    expect(await ana.sync.syncedActivity('intervals', 'intervals-ride')).toBeNull();
    expect(await ana.sync.calendarEntries()).toEqual([]);
    expect((await store.check()).counts['syncJobs']).toBe(3); // the done one, the deauthorize, Strava's
    expect((await store.sync.claim(at('2027-03-01T09:00:00Z'), 'p2')).map((j) => `${j.service}:${j.kind}`)).toEqual([
      'strava:fetch-activity',
      'intervals:deauthorize',
    ]);
    // Strava's side and the ride itself are untouched
    expect(await ana.sync.connection('strava')).not.toBeNull();
    expect(await ana.sync.syncedActivity('strava', 'strava-ride')).toEqual({ activityId: rideId });
    expect(await ana.activity(rideId, { streams: false })).not.toBeNull();
    expect(await ana.sync.deleteConnection('intervals')).toBe(false);
  });

  it('find the athlete behind an account on a service', async () => {
    const { store, clock, athlete } = await fresh();
    const ana = await athlete('telegram:1', 'Ana');
    const ben = await athlete('telegram:2', 'Ben');
    await ana.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:a' });
    await ben.sync.saveConnection({ service: 'intervals', externalAthleteId: '777', sealedSecret: 'v1:b' });
    expect(await store.sync.athleteByExternalId('strava', '777')).toBe(ana.athleteId);
    expect(await store.sync.athleteByExternalId('intervals', '777')).toBe(ben.athleteId);
    expect(await store.sync.athleteByExternalId('strava', '778')).toBeNull();
    clock.now = at('2027-03-02T08:00:00Z');
    await ben.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:c' }); // the latest to connect it
    expect(await store.sync.athleteByExternalId('strava', '777')).toBe(ben.athleteId);
  });
});

describe('remote rides seen and calendar entries', () => {
  it('record what each remote ride became; a deleted ride stays seen', async () => {
    const { store, athlete } = await fresh();
    const ana = await athlete('telegram:1', 'Ana');
    const ben = await athlete('telegram:2', 'Ben');
    const rideId = await storedRide(store, ana.athleteId, 1);
    expect(await ana.sync.syncedActivity('strava', '1001')).toBeNull();
    await ana.sync.recordSyncedActivity('strava', '1001', null); // unreadable at first
    expect(await ana.sync.syncedActivity('strava', '1001')).toEqual({ activityId: null });
    await ana.sync.recordSyncedActivity('strava', '1001', rideId); // read on a retry
    await ana.sync.recordSyncedActivity('strava', '1002', null); // a run
    await ana.sync.recordSyncedActivity('intervals', 'i5', rideId); // the same ride from intervals.icu
    expect(await ana.sync.syncedActivity('strava', '1001')).toEqual({ activityId: rideId });
    expect(await ana.sync.syncedCount('strava')).toBe(1);
    expect(await ana.sync.syncedCount('intervals')).toBe(1);
    expect(await ana.sync.externalIdOf('strava', rideId)).toBe('1001');
    expect(await ana.sync.externalIdOf('intervals', rideId)).toBe('i5');
    expect(await ben.sync.syncedActivity('strava', '1001')).toBeNull();
    expect(await ben.sync.externalIdOf('strava', rideId)).toBeNull();

    await ana.deleteActivity(rideId, 'deleted by the athlete');
    expect(await ana.sync.syncedActivity('strava', '1001')).toEqual({ activityId: null });
    expect(await ana.sync.syncedCount('strava')).toBe(0);
    expect(await ana.sync.externalIdOf('strava', rideId)).toBeNull();
  });

  it('keep one calendar entry per workout, by date, replaced and deleted', async () => {
    const { athlete } = await fresh();
    const ana = await athlete('telegram:1', 'Ana');
    const ben = await athlete('telegram:2', 'Ben');
    const pushedAt = at('2027-03-01T08:00:00Z');
    await ana.sync.saveCalendarEntry({ externalId: 'domestique:b', remoteId: null, date: '2027-03-05', contentHash: 'h1', pushedAt });
    await ana.sync.saveCalendarEntry({ externalId: 'domestique:a', remoteId: '11', date: '2027-03-03', contentHash: 'h2', pushedAt });
    await ana.sync.saveCalendarEntry({ externalId: 'domestique:b', remoteId: '12', date: '2027-03-06', contentHash: 'h3', pushedAt });
    expect(await ana.sync.calendarEntries()).toEqual([
      { externalId: 'domestique:a', remoteId: '11', date: '2027-03-03', contentHash: 'h2', pushedAt },
      { externalId: 'domestique:b', remoteId: '12', date: '2027-03-06', contentHash: 'h3', pushedAt },
    ]);
    await ben.sync.deleteCalendarEntry('domestique:a');
    expect(await ben.sync.calendarEntries()).toEqual([]);
    await ana.sync.deleteCalendarEntry('domestique:a');
    expect((await ana.sync.calendarEntries()).map((e) => e.externalId)).toEqual(['domestique:b']);
  });
});

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

describe('privacy', () => {
  it('/export gives the connections without secrets; /forget removes every sync row and the sealed text', async () => {
    const { store, path, athlete } = await fresh();
    const ana = await athlete('telegram:1', 'Ana');
    const ben = await athlete('telegram:2', 'Ben');
    const sealed = 'v1:SEALED-SECRET-OF-ANA-0123456789';
    await ana.sync.saveConnection({ service: 'intervals', externalAthleteId: 'i42', sealedSecret: sealed, backfill });
    await ana.sync.updateConnection('intervals', { lastSyncAt: at('2027-03-01T08:30:00Z'), cursor: at('2027-02-28T07:00:00Z') });
    await ana.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: `${sealed}-strava`, pushCalendar: false });
    await ana.sync.recordSyncedActivity('strava', '1001', await storedRide(store, ana.athleteId, 1));
    await ana.sync.saveCalendarEntry({
      externalId: 'domestique:a',
      remoteId: '1',
      date: '2027-03-03',
      contentHash: 'h',
      pushedAt: at('2027-03-01T08:00:00Z'),
    });
    await store.sync.enqueue({ athleteId: ana.athleteId, service: 'strava', kind: 'fetch-activity', dedupeKey: 'strava:1002' });
    await store.sync.saveOAuthState('state-ana', {
      athleteId: ana.athleteId,
      identityKey: 'telegram:1',
      months: 12,
      expiresAt: at('2027-03-01T08:10:00Z'),
    });
    await ben.sync.saveConnection({ service: 'strava', externalAthleteId: '888', sealedSecret: 'v1:ben' });
    await store.sync.enqueue({ athleteId: ben.athleteId, service: 'strava', kind: 'fetch-activity', dedupeKey: 'strava:2001' });

    const exported = await ana.export();
    expect(exported.connections).toEqual([
      {
        service: 'intervals',
        externalAthleteId: 'i42',
        connectedAt: at('2027-03-01T08:00:00Z'),
        lastSyncAt: at('2027-03-01T08:30:00Z'),
        pushCalendar: true,
      },
      { service: 'strava', externalAthleteId: '777', connectedAt: at('2027-03-01T08:00:00Z'), lastSyncAt: null, pushCalendar: false },
    ]);
    const json = JSON.stringify(exported);
    expect(json.includes('SEALED-SECRET')).toBe(false);
    expect(json.includes('v1:')).toBe(false);
    expect(json.includes(ben.athleteId)).toBe(false);

    await ana.forget();
    const counts = (await store.check()).counts;
    expect(counts).toMatchObject({ connections: 1, syncJobs: 1, syncedActivities: 0, calendarEntries: 0, oauthStates: 0 });
    expect(await store.sync.takeOAuthState('state-ana', at('2027-03-01T08:00:00Z'))).toBeNull();
    expect(await store.sync.athleteByExternalId('strava', '777')).toBeNull();
    expect(await store.sync.athleteByExternalId('strava', '888')).toBe(ben.athleteId);
    expect((await store.check()).integrity).toBe('ok');
    // the sealed text is overwritten in the file, not just unlinked (secure_delete and the checkpoint)
    for (const file of [path, `${path}-wal`]) if (existsSync(file)) expect(readFileSync(file).includes('SEALED-SECRET-OF-ANA')).toBe(false);
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

describe('migration 0008', () => {
  it('brings a database of the previous version up, keeping its data, and the sync tables work', async () => {
    const { dir } = await fresh();
    const old = join(dir, 'migrations-0007');
    mkdirSync(join(old, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((e) => e.tag === '0008_sync_connections');
    expect(upTo).toBeGreaterThan(0);
    const previous = { ...journal, entries: journal.entries.slice(0, upTo) };
    writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify(previous));
    for (const e of previous.entries) cpSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(old, `${e.tag}.sql`));

    const path = join(dir, 'old.db');
    const before = await Store.open(path, { migrationsFolder: old });
    const id = (await before.athleteForIdentity('telegram:1', 'Old Timer')).id;
    await before.athlete(id).updateProfile({ ftp: 251 });
    await expect(before.sync.nextDue()).rejects.toThrow(/no such table/);
    await before.close();

    const after = await Store.open(path);
    cleanups.push(() => after.close());
    expect((await after.athlete(id).currentProfile())!.ftp).toBe(251);
    await after.athlete(id).sync.saveConnection({ service: 'intervals', externalAthleteId: 'i1', sealedSecret: 'v1:x' });
    expect(await after.sync.enqueue({ athleteId: id, service: 'intervals', kind: 'backfill', dedupeKey: 'b' })).toBe(true);
    expect(await after.check()).toMatchObject({ integrity: 'ok', counts: { connections: 1, syncJobs: 1 } });
    // opening again applies nothing twice
    const again = await Store.open(path);
    await again.close();
  });
});

describe('the same Strava activity, its start time edited on Strava', () => {
  /** A 30-minute ride from Strava's API, starting at `start`. */
  const fromStrava = (start: Date) =>
    activityFromStrava(
      {
        id: '13000000042',
        name: 'Morning ride',
        description: null,
        type: 'Ride',
        startTime: start,
        elapsedSeconds: 1800,
        movingSeconds: 1800,
        distanceMeters: 15_000,
        ascentMeters: 50,
        averageWatts: 200,
        weightedAverageWatts: 205,
        maxWatts: 400,
        kilojoules: 360,
        deviceWatts: true,
        averageHeartrate: 140,
        maxHeartrate: 160,
        averageCadence: 88,
        deviceName: null,
      },
      { time: Array.from({ length: 1800 }, (_, i) => i), watts: Array.from({ length: 1800 }, (_, i) => 190 + (i % 20)) },
    );

  it('is one activity when its export row comes with a start 5 minutes later, and two Strava ids stay two rides', async () => {
    const { athlete } = await fresh();
    const me = await athlete('telegram:71', 'Edited');
    const first = await me.recordUpload(['strava:13000000042'], { activities: [fromStrava(at('2027-02-20T07:00:00Z'))], errors: [] });
    expect(first.new).toBe(1);
    // the row of a later Strava export (another source, so not a duplicate of the file), its start moved by 5 minutes
    const row = {
      ...fromStrava(at('2027-02-20T07:05:00Z')),
      sourceKind: 'strava-csv' as const,
      sourceHash: 'csv-row',
      id: 'csv-row-id',
      streams: null,
    };
    const again = await me.recordUpload(['activities.csv'], { activities: [row], errors: [] });
    expect(again).toMatchObject({ new: 0, merged: 1 });
    expect(again.activityIds).toEqual(first.activityIds);
    expect(await me.activityCount()).toBe(1);
    const other = { ...fromStrava(at('2027-02-20T07:00:30Z')), externalId: '13000000043', id: 'other-strava-id', sourceHash: 'other' };
    expect((await me.recordUpload(['strava:13000000043'], { activities: [other], errors: [] })).new).toBe(1);
    expect(await me.activityCount()).toBe(2);
  });
});
