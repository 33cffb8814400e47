/**
 * The in-process job queue on a fake clock: every wait (retry delays, start times, expiry, due
 * minutes) is a fake timer moved by the test — nothing sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../../src/jobs/in-process-queue.js';
import type { Job, JobErrorContext, Timers } from '../../../src/jobs/types.js';

interface FakeTimer {
  at: number;
  seq: number;
  callback: () => void;
}

/** A clock that moves only when told, firing the timers that come due on the way, in order. */
class FakeTimers implements Timers {
  private readonly pending = new Set<FakeTimer>();
  private seq = 0;
  constructor(private time: number) {}
  now(): Date {
    return new Date(this.time);
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, callback };
    this.pending.add(timer);
    return timer;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as FakeTimer);
  }
  /** Moves the clock `ms` on, letting the handlers that the timers start run between two timers. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.pending].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.pending.delete(next);
      this.time = next.at;
      next.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

/** Lets the promises that are ready run (handlers' awaits, the queue's bookkeeping). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise the test resolves itself: a handler that runs until released. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const START = Date.parse('2026-03-02T07:58:30Z');
const queues: InProcessQueue[] = [];

async function queue(expireInSeconds?: number) {
  const timers = new FakeTimers(START);
  const q = new InProcessQueue({ timers, ...(expireInSeconds ? { expireInSeconds } : {}) });
  const errors: (JobErrorContext & { message: string })[] = [];
  q.onError((error, context) => errors.push({ message: error.message, ...context }));
  await q.start();
  queues.push(q);
  return { q, timers, errors };
}

afterEach(async () => {
  for (const q of queues.splice(0)) await q.stop({ graceful: false });
});

describe('the in-process job queue', () => {
  it('runs each job once, with its data after a JSON round trip, at most `concurrency` at a time', async () => {
    const { q } = await queue();
    const runs: Job<{ n: number; at: string }>[] = [];
    const gates = Array.from({ length: 5 }, gate);
    let running = 0;
    let most = 0;
    await q.work<{ n: number; at: string }>(
      'ingest',
      async (job) => {
        runs.push(job);
        most = Math.max(most, ++running);
        await gates[job.data.n]!.promise;
        running--;
      },
      { concurrency: 2 },
    );
    for (let n = 0; n < 5; n++) await q.send('ingest', { n, at: new Date(START) });
    await settle();
    expect(runs.map((r) => r.data.n)).toEqual([0, 1]);
    for (const g of gates) {
      g.open();
      await settle();
    }
    expect(runs.map((r) => [r.data.n, r.attempt, r.name])).toEqual([0, 1, 2, 3, 4].map((n) => [n, 1, 'ingest']));
    expect(runs[0]!.data.at).toBe('2026-03-02T07:58:30.000Z');
    expect(new Set(runs.map((r) => r.id)).size).toBe(5);
    expect(most).toBe(2);
  });

  it('retries a failing job after its delay, doubled each time with backoff, and reports each failure', async () => {
    const { q, timers, errors } = await queue();
    const attempts: { attempt: number; at: number }[] = [];
    await q.work('analysis', async (job) => {
      attempts.push({ attempt: job.attempt, at: timers.now().getTime() - START });
      if (job.attempt < 3) throw new Error(`boom ${job.attempt}`);
    });
    await q.send('analysis', { athlete: 'a' }, { retryLimit: 2, retryDelaySeconds: 10, retryBackoff: true });
    await settle();
    await timers.advance(9_999);
    expect(attempts).toEqual([{ attempt: 1, at: 0 }]);
    await timers.advance(1);
    expect(attempts.at(-1)).toEqual({ attempt: 2, at: 10_000 });
    await timers.advance(19_999);
    expect(attempts).toHaveLength(2);
    await timers.advance(1);
    expect(attempts.at(-1)).toEqual({ attempt: 3, at: 30_000 });
    expect(errors).toEqual([
      { message: 'boom 1', queue: 'analysis', jobId: expect.any(String), attempt: 1, willRetry: true },
      { message: 'boom 2', queue: 'analysis', jobId: expect.any(String), attempt: 2, willRetry: true },
    ]);
  });

  it('gives up after retryLimit retries and frees the singleton key', async () => {
    const { q, errors } = await queue();
    let runs = 0;
    await q.work('analysis', async () => {
      runs++;
      throw new Error('always');
    });
    expect(await q.send('analysis', {}, { retryLimit: 1, singletonKey: 'athlete-1' })).toEqual(expect.any(String));
    await settle();
    expect(runs).toBe(2);
    expect(errors.map((e) => e.willRetry)).toEqual([true, false]);
    expect(await q.send('analysis', {}, { retryLimit: 0, singletonKey: 'athlete-1' })).toEqual(expect.any(String));
  });

  it('keeps one job per singleton key queued, waiting for a retry or running', async () => {
    const { q, timers } = await queue();
    const running = gate();
    const seen: string[] = [];
    const first = await q.send('analysis', { who: 'a' }, { singletonKey: 'athlete-1', retryDelaySeconds: 60 });
    expect(first).toEqual(expect.any(String));
    expect(await q.send('analysis', { who: 'b' }, { singletonKey: 'athlete-1' })).toBeNull(); // queued
    await q.work<{ who: string }>(
      'analysis',
      async (job) => {
        seen.push(`${job.data.who}#${job.attempt}`);
        if (job.data.who === 'a' && job.attempt === 1) throw new Error('first try fails');
        await running.promise;
      },
      { concurrency: 4 },
    );
    await settle();
    expect(await q.send('analysis', { who: 'c' }, { singletonKey: 'athlete-1' })).toBeNull(); // waiting for its retry
    await timers.advance(60_000);
    expect(seen).toEqual(['a#1', 'a#2']);
    expect(await q.send('analysis', { who: 'd' }, { singletonKey: 'athlete-1' })).toBeNull(); // running
    expect(await q.send('other-queue', { who: 'e' }, { singletonKey: 'athlete-1' })).toEqual(expect.any(String));
    expect(await q.send('analysis', { who: 'f' }, { singletonKey: 'athlete-2' })).toEqual(expect.any(String));
    await settle();
    expect(seen).toEqual(['a#1', 'a#2', 'f#1']);
    running.open();
    await settle();
    expect(await q.send('analysis', { who: 'g' }, { singletonKey: 'athlete-1' })).toEqual(expect.any(String));
  });

  it('does not start a job before startAfter', async () => {
    const { q, timers } = await queue();
    const runs: number[] = [];
    await q.work('reminder', async () => void runs.push(timers.now().getTime() - START));
    await q.send('reminder', {}, { startAfter: new Date(START + 5_000) });
    await timers.advance(4_999);
    expect(runs).toEqual([]);
    await timers.advance(1);
    expect(runs).toEqual([5_000]);
  });

  it('fails a run that outlives its expiry and runs the job again, as after a dead worker', async () => {
    const { q, timers, errors } = await queue(30);
    const runs: number[] = [];
    await q.work(
      'analysis',
      async (job) => {
        runs.push(job.attempt);
        if (job.attempt === 1) await new Promise(() => undefined); // hangs, as a worker that died
      },
      { concurrency: 1 },
    );
    await q.send('analysis', {}, { singletonKey: 'athlete-1' });
    await timers.advance(29_999);
    expect(runs).toEqual([1]);
    await timers.advance(1);
    expect(runs).toEqual([1, 2]);
    expect(errors).toEqual([expect.objectContaining({ message: 'The job ran longer than its 30 s.', attempt: 1, willRetry: true })]);
  });

  it('stops gracefully after the running job, or at once failing it for a retry after the next start', async () => {
    const { q } = await queue();
    const release = gate();
    const runs: number[] = [];
    await q.work('sync', async (job) => {
      runs.push(job.attempt);
      if (job.attempt === 1) await release.promise;
    });
    await q.send('sync', {});
    await settle();
    let stopped = false;
    const stopping = q.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(runs).toEqual([1]);
    await expect(q.send('sync', {})).rejects.toThrow(/not started: call start\(\) first/);

    const { q: other } = await queue();
    const hang = gate();
    const again: number[] = [];
    await other.work('sync', async (job) => {
      again.push(job.attempt);
      if (job.attempt === 1) await hang.promise;
    });
    await other.send('sync', {});
    await settle();
    await other.stop({ graceful: false });
    expect(again).toEqual([1]);
    await other.start();
    await settle();
    expect(again).toEqual([1, 2]);
  });

  it('sends a scheduled job once per due minute in its time zone, one schedule per queue', async () => {
    const { q, timers } = await queue();
    const fired: string[] = [];
    await q.work<{ kind: string }>('checkin', async (job) => void fired.push(`${timers.now().toISOString()} ${job.data.kind}`));
    // two callers register the same queue's schedule: the second replaces the first
    await q.schedule('checkin', '0 9 * * 1', { kind: 'old' }, { tz: 'Europe/Paris' });
    await q.schedule('checkin', '0,1 9 * * 1', { kind: 'weekly' }, { tz: 'Europe/Paris' });
    await timers.advance(30_000); // 07:59 UTC
    expect(fired).toEqual([]);
    await timers.advance(3 * 60_000); // through 08:00 and 08:01 UTC = 09:00, 09:01 in Paris
    expect(fired).toEqual(['2026-03-02T08:00:00.000Z weekly', '2026-03-02T08:01:00.000Z weekly']);
    await timers.advance(7 * 24 * 3_600_000);
    expect(fired).toHaveLength(4);
    await q.unschedule('checkin');
    await timers.advance(7 * 24 * 3_600_000);
    expect(fired).toHaveLength(4);
    await expect(q.schedule('checkin', '* * * * * *')).rejects.toThrow(/not a schedule: give 5 cron fields/);
    await expect(q.schedule('checkin', '* * * * *', {}, { tz: 'Mars/Olympus' })).rejects.toThrow(/not a schedule/);
  });

  it('refuses bad queue names and options before queueing anything', async () => {
    const { q } = await queue();
    await expect(q.send('has space', {})).rejects.toThrow(/not a queue name/);
    await expect(q.send('ok', {}, { retryDelaySeconds: 1.5 })).rejects.toThrow(/retryDelaySeconds must be a whole number/);
    await expect(q.work('ok', async () => undefined, { concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});
