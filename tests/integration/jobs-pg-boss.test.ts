/**
 * The pg-boss job queue on a real PostgreSQL server, with two queue instances standing for two
 * processes on one database (and a child process for the worker that dies): each job runs once,
 * a failing job is retried with backoff, a singleton key keeps one job per key, a SIGKILLed
 * worker's job is retried by the other after its expiry, and a schedule that both register fires
 * once per due minute. pg-boss's timers are turned down (polling 0.5 s, maintenance and cron
 * passes every second) so that all of this takes seconds, not minutes.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBossQueue } from '../../src/jobs/pg-boss-queue.js';
import type { JobErrorContext } from '../../src/jobs/types.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';

const ROOT = resolve(import.meta.dirname, '../..');

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const FAST = { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 };

/**
 * A worker in a child process: works `queue`, says "RUNNING <id> <attempt>" when a job starts,
 * and never finishes it — until the test SIGKILLs it.
 */
const DYING_WORKER = `
const { PgBossQueue } = await import('./src/jobs/pg-boss-queue.ts');
const [url, queue] = process.argv.slice(1);
const jobs = new PgBossQueue({ url, pollingIntervalSeconds: 0.5 });
await jobs.start();
await jobs.work(queue, async (job) => {
  process.stdout.write('RUNNING ' + job.id + ' ' + job.attempt + '\\n');
  await new Promise(() => {});
});
process.stdout.write('READY\\n');
`;

describe.skipIf(!postgresAvailable())('the pg-boss job queue, two processes on one database', () => {
  let server: TestPostgres;
  let db: pg.Client;
  let a: PgBossQueue;
  let b: PgBossQueue;
  const errors: (JobErrorContext & { message: string })[] = [];

  /** Jobs of `queue` not finished yet (created, retry or active). */
  async function unfinished(queue: string): Promise<number> {
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state < 'completed'`, [queue]);
    return Number(rows[0]!.n);
  }

  beforeAll(async () => {
    server = await startPostgres();
    a = new PgBossQueue({ url: server.url, ...FAST });
    b = new PgBossQueue({ url: server.url, ...FAST });
    for (const q of [a, b]) q.onError((error, context) => errors.push({ message: error.message, ...context }));
    await Promise.all([a.start(), b.start()]); // two processes starting at once: one installs the schema
    db = new pg.Client({ connectionString: server.url });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await Promise.all([a?.stop({ graceful: false }), b?.stop({ graceful: false })]);
    await server?.stop();
  });

  it('runs each job once, whichever process sends or works it', async () => {
    const runs: string[] = [];
    for (const [q, who] of [
      [a, 'a'],
      [b, 'b'],
    ] as const)
      await q.work<{ n: number }>('once', async (job) => void runs.push(`${job.data.n}:${job.attempt}:${who}`), { concurrency: 2 });
    const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? a : b).send('once', { n })));
    expect(new Set(ids).size).toBe(20);
    await until(async () => runs.length >= 20 && (await unfinished('once')) === 0);
    expect(runs.map((r) => r.split(':').slice(0, 2).join(':')).sort()).toEqual(Array.from({ length: 20 }, (_, n) => `${n}:1`).sort());
  });

  it('retries a failing job with backoff, keeping its singleton key until it succeeds', async () => {
    const attempts: { attempt: number; at: number }[] = [];
    await a.work('retry', async (job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      if (job.attempt < 3) throw new Error(`failed attempt ${job.attempt}`);
    });
    const id = await b.send(
      'retry',
      { athlete: 1 },
      { singletonKey: 'athlete-1', retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true },
    );
    expect(id).toEqual(expect.any(String));
    await until(() => attempts.length === 1);
    expect(await b.send('retry', {}, { singletonKey: 'athlete-1' })).toBeNull(); // waiting for its retry
    await until(async () => attempts.length === 3 && (await unfinished('retry')) === 0);
    expect(attempts.map((x) => x.attempt)).toEqual([1, 2, 3]);
    // pg-boss: delay × 2^(n-1), plus up to 100% jitter
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(1_900);
    expect(errors.filter((e) => e.queue === 'retry')).toEqual([
      { message: 'failed attempt 1', queue: 'retry', jobId: id, attempt: 1, willRetry: true },
      { message: 'failed attempt 2', queue: 'retry', jobId: id, attempt: 2, willRetry: true },
    ]);
    expect(await b.send('retry', {}, { singletonKey: 'athlete-1' })).toEqual(expect.any(String));
  }, 30_000);

  it('keeps one job per singleton key queued or running, across processes, without stalling other keys', async () => {
    const release = gate();
    const runs: string[] = [];
    expect(await a.send('single', { who: 'first' }, { singletonKey: 'athlete-1' })).toEqual(expect.any(String));
    expect(await b.send('single', { who: 'queued twin' }, { singletonKey: 'athlete-1' })).toBeNull();
    await a.work<{ who: string }>(
      'single',
      async (job) => {
        runs.push(job.data.who);
        if (job.data.who === 'first') await release.promise;
      },
      { concurrency: 2 },
    );
    await until(() => runs.length === 1);
    expect(await b.send('single', { who: 'running twin' }, { singletonKey: 'athlete-1' })).toBeNull();
    expect(await b.send('single', { who: 'other athlete' }, { singletonKey: 'athlete-2' })).toEqual(expect.any(String));
    await until(() => runs.length === 2); // runs while athlete-1's job still does
    release.open();
    await until(async () => (await unfinished('single')) === 0);
    expect(runs).toEqual(['first', 'other athlete']);
    // ten sends at once from both processes: the database lets exactly one in
    const racing = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).send('single', { who: 'race' }, { singletonKey: 'athlete-3' })),
    );
    expect(racing.filter((id) => id !== null)).toHaveLength(1);
  });

  it("retries a SIGKILLed worker's job on the other process once the run expires", async () => {
    const seen: string[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', DYING_WORKER, server.url, 'death'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => seen.push(...d.toString().split('\n').filter(Boolean)));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await until(() => seen.includes('READY') || child.exitCode !== null);
      expect(seen, stderr).toContain('READY');
      const id = await b.send('death', { athlete: 7 }, { singletonKey: 'athlete-7', expireInSeconds: 2, retryLimit: 1 });
      await until(() => seen.includes(`RUNNING ${id} 1`));
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const runs: { id: string; attempt: number }[] = [];
    await a.work('death', async (job) => void runs.push({ id: job.id, attempt: job.attempt }));
    await until(async () => runs.length === 1 && (await unfinished('death')) === 0);
    expect(runs).toEqual([{ id: seen[1]!.split(' ')[1], attempt: 2 }]);
  }, 40_000);

  it('fires a schedule both processes register once per due minute', async () => {
    // the observation below lasts a few seconds: start it early enough in a minute to stay in it
    await until(() => new Date().getUTCSeconds() < 45, 20_000);
    const minute = new Date().toISOString().slice(0, 16);
    const fired: string[] = [];
    for (const [q, who] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      await q.schedule('tick', '* * * * *', { from: who }, { tz: 'Europe/Paris' });
      await q.work('tick', async () => void fired.push(who));
    }
    await until(() => fired.length > 0);
    // three more cron passes after it (one process's each, elected by cron_on) send nothing more
    const passes = async () => (await db.query<{ c: Date }>('SELECT cron_on AS c FROM pgboss.version')).rows[0]!.c.getTime();
    const first = await passes();
    await until(async () => (await passes()) >= first + 3_000);
    await until(async () => (await unfinished('tick')) === 0);
    expect(new Date().toISOString().slice(0, 16)).toBe(minute);
    expect(fired).toHaveLength(1);
    await a.unschedule('tick');
    expect((await db.query('SELECT name FROM pgboss.schedule')).rows).toEqual([]);
  }, 40_000);
});
