/**
 * A child process of bench/jobs.ts: one job-queue process working one queue. Given a JSON
 * `WorkerSpec` as its argument, it starts the queue (`PgBossQueue` on the bench's database, or an
 * `InProcessQueue` of its own), works the queue with `concurrency` slots, sends its own jobs if
 * told to, and prints one JSON line per job run — `{ sentAt, start, end }`, epoch ms, so the
 * parent can compare them with its own send times, and `cpuMs`, the process's CPU time during the
 * run (a CPU-bound handler holds the thread, so that is the job's) — after a first
 * `{ "ready": true }`. It stops
 * when its stdin closes.
 */
import { setTimeout as wait } from 'node:timers/promises';
import { normalizedPower } from '../src/domain/metrics/normalized-power.js';
import { meanMaximalPowerExact } from '../src/domain/metrics/mean-maximal-power.js';
import { trainingStressScore } from '../src/domain/metrics/activity-metrics.js';
import { InProcessQueue } from '../src/jobs/in-process-queue.js';
import { PgBossQueue } from '../src/jobs/pg-boss-queue.js';
import type { JobQueue } from '../src/jobs/types.js';
import { syntheticRide } from '../src/synthetic/synthetic-ride.js';

/** What one child does: see the file's comment. */
export interface WorkerSpec {
  adapter: 'pg' | 'memory';
  /** The database, for `pg`. */
  url?: string;
  queue: string;
  job: 'analysis' | 'model-call';
  concurrency: number;
  /** pg-boss's polling interval, seconds (absent: its default, 2 s). */
  pollingIntervalSeconds?: number;
  /** Jobs this process sends to its own queue once ready: all at once, or `perSecond`. */
  send?: { count: number; perSecond?: number };
}

/** The data of a bench job: the seed of its ride, and when it was sent (epoch ms). */
export interface BenchJob {
  seed: number;
  sentAt: number;
}

const RIDE_SECONDS = 2 * 3600;
const FTP = 260;
/** The wait standing for a model call. */
export const MODEL_CALL_MS = 20;
const EVERY_SECOND = Array.from({ length: RIDE_SECONDS }, (_, i) => i + 1);

/**
 * The stand-in for an analysis, CPU-bound: a synthetic two-hour ride (1 Hz, seeded), its NP and
 * TSS, and its power curve at every second from 1 s to 2 h.
 */
function analysis(seed: number): { np: number | null; tss: number | null; best20Minutes: number | undefined } {
  const ride = syntheticRide({
    seed,
    startTime: new Date(Date.UTC(2026, 5, 1, 7)),
    durationSeconds: RIDE_SECONDS,
    ftp: FTP,
    kind: 'intervals',
  });
  const power = ride.records.map((r) => r.power ?? 0);
  const np = normalizedPower(power);
  const curve = meanMaximalPowerExact(power, EVERY_SECOND);
  return { np, tss: trainingStressScore(np, power.length, FTP), best20Minutes: curve[1200] };
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

async function main(spec: WorkerSpec): Promise<void> {
  const queue: JobQueue =
    spec.adapter === 'pg'
      ? new PgBossQueue({ url: spec.url!, ...(spec.pollingIntervalSeconds ? { pollingIntervalSeconds: spec.pollingIntervalSeconds } : {}) })
      : new InProcessQueue();
  queue.onError((error) => process.stderr.write(`jobs-worker: ${error.message}\n`));
  await queue.start();
  await queue.work<BenchJob>(
    spec.queue,
    async (job) => {
      const start = Date.now();
      const cpu = process.cpuUsage();
      if (spec.job === 'analysis') analysis(job.data.seed);
      else await wait(MODEL_CALL_MS);
      process.stdout.write(`${JSON.stringify({ sentAt: job.data.sentAt, start, end: Date.now(), cpuMs: cpuMs(process.cpuUsage(cpu)) })}\n`);
    },
    { concurrency: spec.concurrency },
  );
  process.stdout.write('{"ready":true}\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    void queue.stop({ graceful: false }).finally(() => process.exit(0));
  });
  if (spec.send) await sendOwn(queue, spec.queue, spec.send);
}

/** This process's own jobs: all at once (one `send` each, concurrently), or at a steady rate. */
async function sendOwn(queue: JobQueue, name: string, send: { count: number; perSecond?: number }): Promise<void> {
  const t0 = Date.now();
  if (!send.perSecond) {
    await Promise.all(Array.from({ length: send.count }, (_, seed) => queue.send<BenchJob>(name, { seed, sentAt: Date.now() })));
    return;
  }
  for (let seed = 0; seed < send.count; seed++) {
    const due = t0 + (seed * 1000) / send.perSecond;
    if (due > Date.now()) await wait(due - Date.now());
    await queue.send<BenchJob>(name, { seed, sentAt: Date.now() });
  }
}

if (process.argv[1]?.endsWith('jobs-worker.ts')) await main(JSON.parse(process.argv[2]!) as WorkerSpec);
