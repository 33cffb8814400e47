/**
 * The job queue, measured in this run: `PgBossQueue` on a real PostgreSQL (tests/support/postgres.ts)
 * with its workers in real child processes (bench/jobs-worker.ts), against `InProcessQueue`.
 * - Throughput: jobs sent at once, worked by 1 and by 2 processes — a CPU-bound analysis and a
 *   20 ms wait standing for a model call — with pg-boss's default polling (2 s) and at 0.5 s.
 * - Latency, send → handler start, at a light steady rate: sent by another process (what wakes
 *   the worker is its own poll) and by the worker's own process (`send` wakes it).
 * Prints a small table. Without PostgreSQL it says so and measures the in-process queue alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as wait } from 'node:timers/promises';
import { PgBossQueue } from '../src/jobs/pg-boss-queue.js';
import { postgresAvailable, startPostgres } from '../tests/support/postgres.js';
import { MODEL_CALL_MS, type BenchJob, type WorkerSpec } from './jobs-worker.js';
import { percentile } from './sync-timed-chat.js';

const ROOT = resolve(import.meta.dirname, '..');
const CPU_JOBS = 50;
const IO_JOBS = 100;
/** Slots per worker process (`work(…, { concurrency })`). */
const SLOTS = 10;
/** The light steady rate of the latency runs, and for how long. */
const RATE = { perSecond: 3, seconds: 8 };
/** A run still going after this is cut short: its jobs/s are those done by then. */
const CAP_MS = 15_000;

interface Record {
  sentAt: number;
  start: number;
  end: number;
  cpuMs: number;
}

interface Figures {
  jobs: number;
  jobsPerSecond: number;
  handlerMs: number;
  cpuMs: number;
  p50: number;
  p95: number;
  max: number;
  cut: boolean;
}

/** Starts one child; resolves once it works its queue. */
async function child(spec: WorkerSpec, records: Record[], onRecord: () => void): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/jobs-worker.ts', JSON.stringify(spec)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout! });
  await new Promise<void>((ready, fail) => {
    proc.once('exit', (code) => fail(new Error(`jobs-worker exited (${code}) before it was ready`)));
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as Record | { ready: true };
      if ('ready' in parsed) return ready();
      records.push(parsed);
      onRecord();
    });
  });
  return proc;
}

/** Closes a child's stdin (it stops its queue and exits); kills it when it takes longer than 10 s. */
async function end(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((done) => proc.once('exit', done));
  proc.stdin!.end();
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * One run: the children work (and maybe send), the parent's `sender` sends `fromParent` jobs to
 * queue `queue` (all at once, or at `perSecond`); until `expected` jobs ran or CAP_MS passed.
 */
async function scenario(
  specs: WorkerSpec[],
  expected: number,
  sender?: { queue: PgBossQueue; name: string; count: number; perSecond?: number },
): Promise<Figures> {
  const records: Record[] = [];
  let done!: () => void;
  const allRan = new Promise<void>((resolve) => (done = resolve));
  const procs = await Promise.all(specs.map((spec) => child(spec, records, () => records.length >= expected && done())));
  try {
    if (sender) {
      const t0 = Date.now();
      const send = (seed: number) => sender.queue.send<BenchJob>(sender.name, { seed, sentAt: Date.now() });
      if (!sender.perSecond) await Promise.all(Array.from({ length: sender.count }, (_, seed) => send(seed)));
      else
        for (let seed = 0; seed < sender.count; seed++) {
          const due = t0 + (seed * 1000) / sender.perSecond;
          if (due > Date.now()) await wait(due - Date.now());
          await send(seed);
        }
    }
    const cap = new AbortController();
    const cut = await Promise.race([allRan.then(() => false), wait(CAP_MS, true, { signal: cap.signal }).catch(() => false)]);
    cap.abort();
    return figures(records, cut);
  } finally {
    await Promise.all(procs.map(end));
  }
}

function figures(records: Record[], cut: boolean): Figures {
  if (records.length === 0) throw new Error(`No job ran within ${CAP_MS / 1000} s: see the worker's messages above.`);
  const first = Math.min(...records.map((r) => r.sentAt));
  const last = Math.max(...records.map((r) => r.end));
  const latency = records.map((r) => r.start - r.sentAt);
  const handler = records.reduce((sum, r) => sum + r.end - r.start, 0) / records.length;
  return {
    jobs: records.length,
    jobsPerSecond: records.length / ((last - first) / 1000),
    handlerMs: handler,
    cpuMs: records.reduce((sum, r) => sum + r.cpuMs, 0) / records.length,
    p50: percentile(latency, 50),
    p95: percentile(latency, 95),
    max: Math.max(...latency),
    cut,
  };
}

let serial = 0;
/** `count` worker processes of one kind, on a fresh queue. */
function workers(count: number, base: Omit<WorkerSpec, 'queue'>): WorkerSpec[] {
  const queue = `bench-${base.adapter}-${base.job}-${++serial}`;
  return Array.from({ length: count }, () => ({ ...base, queue }));
}

/** Table rows: a heading (a string) or a label and its figures, the labels padded to one width at the end. */
const rows: Array<string | [label: string, text: string]> = [];
/** A throughput row; the process's CPU time per job is the job's own only when the handler holds the thread (the analysis). */
const row = (label: string, f: Figures, extra = '') => {
  const cpu = label.includes('analysis') ? `CPU ${f.cpuMs.toFixed(0).padStart(3)} ms` : 'CPU   – ms';
  rows.push([
    label,
    `${f.jobsPerSecond.toFixed(1).padStart(6)} jobs/s  ${f.handlerMs.toFixed(0).padStart(4)} ms/job (${cpu})  ${f.jobs} jobs${f.cut ? ` (cut at ${CAP_MS / 1000} s)` : ''}${extra}`,
  ]);
};
const latencyRow = (label: string, f: Figures) =>
  rows.push([
    label,
    `p50 ${f.p50.toFixed(0).padStart(5)} ms  p95 ${f.p95.toFixed(0).padStart(5)} ms  max ${f.max.toFixed(0).padStart(5)} ms`,
  ]);
const ratio = (two: Figures, one: Figures) => (two.jobsPerSecond / one.jobsPerSecond).toFixed(2);

const load = () => `${loadavg()[0]!.toFixed(2)}`;
const loadBefore = load();
const t0 = performance.now();
const memory = { adapter: 'memory' as const };
const burst = (count: number) => ({ send: { count } });

rows.push(`throughput, jobs sent at once (analysis: ${CPU_JOBS}, model call: ${IO_JOBS})`);
const memCpu = await scenario(workers(1, { ...memory, job: 'analysis', concurrency: 1, ...burst(CPU_JOBS) }), CPU_JOBS);
row('in-process queue, analysis, 1 slot', memCpu);
const memIo = await scenario(workers(1, { ...memory, job: 'model-call', concurrency: SLOTS, ...burst(IO_JOBS) }), IO_JOBS);
row(`in-process queue, model call, ${SLOTS} slots`, memIo);

const pgVersion = (JSON.parse(readFileSync(resolve(ROOT, 'node_modules/pg-boss/package.json'), 'utf8')) as { version: string }).version;
let header = `PgBossQueue (pg-boss ${pgVersion}) vs InProcessQueue`;
// with DOMESTIQUE_REQUIRE_POSTGRES set (CI) a missing install throws instead
const available = postgresAvailable();
if (!available) {
  header +=
    ' — pg-boss part SKIPPED: PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on the PATH); apt-get install postgresql to measure it';
} else {
  const pg = await startPostgres();
  const sender = new PgBossQueue({ url: pg.url });
  await sender.start();
  try {
    const on = (name: string, count: number, perSecond?: number) => ({ queue: sender, name, count, ...(perSecond ? { perSecond } : {}) });
    const pgRun = async (procs: number, job: WorkerSpec['job'], count: number, poll?: number) => {
      const specs = workers(procs, {
        adapter: 'pg',
        url: pg.url,
        job,
        concurrency: SLOTS,
        ...(poll ? { pollingIntervalSeconds: poll } : {}),
      });
      return scenario(specs, count, on(specs[0]!.queue, count));
    };
    rows.push(
      `  (pg-boss 10's worker waits out its polling interval after each job too: one slot takes at most one job per interval, ${SLOTS} slots ${SLOTS / 2} jobs/s at 2 s, ${SLOTS * 2} at 0.5 s;`,
      `   a process's slots take up to ${SLOTS} analyses at once and run them one after another on its thread, so the last of ${CPU_JOBS} may sit in one process)`,
    );
    for (const poll of [undefined, 0.5]) {
      const label = poll ? `poll ${poll} s` : 'poll 2 s (default)';
      const one = await pgRun(1, 'analysis', CPU_JOBS, poll);
      row(`pg-boss, analysis, 1 process × ${SLOTS} slots, ${label}`, one);
      const two = await pgRun(2, 'analysis', CPU_JOBS, poll);
      row(`pg-boss, analysis, 2 processes × ${SLOTS} slots, ${label}`, two, `  → 2/1 = ${ratio(two, one)}`);
    }
    const ioOne = await pgRun(1, 'model-call', IO_JOBS, 0.5);
    row(`pg-boss, model call, 1 process × ${SLOTS} slots, poll 0.5 s`, ioOne);
    const ioTwo = await pgRun(2, 'model-call', IO_JOBS, 0.5);
    row(`pg-boss, model call, 2 processes × ${SLOTS} slots, poll 0.5 s`, ioTwo, `  → 2/1 = ${ratio(ioTwo, ioOne)}`);

    const count = RATE.perSecond * RATE.seconds;
    rows.push(
      '',
      `latency send → handler start, model call, ${RATE.perSecond} jobs/s for ${RATE.seconds} s, 1 worker process × ${SLOTS} slots`,
      "  (a job sent by another process waits for the worker's next poll; `send` wakes only its own process's workers)",
    );
    for (const poll of [undefined, 0.5]) {
      const specs = workers(1, {
        adapter: 'pg',
        url: pg.url,
        job: 'model-call',
        concurrency: SLOTS,
        ...(poll ? { pollingIntervalSeconds: poll } : {}),
      });
      const f = await scenario(specs, count, on(specs[0]!.queue, count, RATE.perSecond));
      latencyRow(`pg-boss, sent by another process, poll ${poll ? `${poll} s` : '2 s (default)'}`, f);
    }
    const self = workers(1, {
      adapter: 'pg',
      url: pg.url,
      job: 'model-call',
      concurrency: SLOTS,
      send: { count, perSecond: RATE.perSecond },
    });
    latencyRow('pg-boss, sent by the worker process itself, poll 2 s (default)', await scenario(self, count));
  } finally {
    await sender.stop();
    await pg.stop();
  }
}
const memSelf = workers(1, {
  ...memory,
  job: 'model-call',
  concurrency: SLOTS,
  send: { count: RATE.perSecond * RATE.seconds, perSecond: RATE.perSecond },
});
if (!available) rows.push('', `latency send → handler start, model call, ${RATE.perSecond} jobs/s for ${RATE.seconds} s`);
latencyRow('in-process queue (sender and worker are one process)', await scenario(memSelf, RATE.perSecond * RATE.seconds));

const width = Math.max(...rows.map((r) => (typeof r === 'string' ? 0 : r[0].length)));
const lines = [
  `jobs: ${header}; ${availableParallelism()} cores, load average ${loadBefore} before, ${load()} after; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  `  analysis = a synthetic 2 h ride's NP, TSS and power curve at every second (CPU-bound); model call = a ${MODEL_CALL_MS} ms wait`,
  ...rows.map((r) => (typeof r === 'string' ? r : `  ${r[0].padEnd(width)}  ${r[1]}`)),
];
process.stdout.write(`${lines.join('\n')}\n`);
