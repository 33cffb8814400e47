/**
 * The process roles of issue 21, measured in this run: `bots/main.ts --role ingress` and
 * `--role worker` as real child processes on a real PostgreSQL (the harness of the multi-process
 * tests: tests/support/postgres.ts, roles-cluster.ts, roles-athletes.ts), athletes played through
 * the fake Bot API in webhook mode. Two setups, each on a fresh database with a fresh fake:
 * (a) 1 ingress + 1 worker, (b) 1 ingress + 2 workers. In each, the same ATHLETES athletes (their
 * FTP, RIDES short rides each; the offline coach, no pictures) send /analyze all at once, and while
 * those analyses run CHATTERS other athletes keep sending a plain message ("ftp N") one after
 * another. Measured: analyses per minute (first /analyze sent → last summary), the ratio (b)/(a),
 * /analyze → summary p50/p95, and the plain message's reply latency p50/p95 during the analyses
 * (and before them, idle). Prints a small table; without PostgreSQL it says so and exits 0.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as wait } from 'node:timers/promises';
import { startFakeTelegram, type FakeBotMessage } from '../tests/fakes/fake-telegram.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../tests/support/postgres.js';
import { DatabaseProbe, RoleAthlete, SUMMARY } from '../tests/support/roles-athletes.js';
import { metricOf, startRolesCluster } from '../tests/support/roles-cluster.js';
import { percentile } from './sync-timed-chat.js';

const ATHLETES = 40;
const RIDES = 2;
const CHATTERS = 10;
/** A chatter's pause between the answer to one message and the next message. */
const CHATTER_PAUSE_MS = 250;
/** The same rides in both setups: dated before this one instant. */
const NOW = new Date();
/** Far above a run's length: a slow analysis under load is not taken for a dead worker's. */
const EXPIRE_SECONDS = 900;

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

interface Figures {
  workers: number;
  setupSeconds: number;
  seconds: number;
  perMinute: number;
  analysis: number[];
  idle: number[];
  busy: number[];
  byWorker: number[];
  /** CPU seconds (user + system) during the analyses: the ingress's, and the workers' together; null off Linux. */
  cpu: { ingress: number; workers: number; bench: number } | null;
  jobs: { completed: number; retried: number };
}

/** Sends `text` and resolves with the time to the first new message matching `answer` (by the fake's clock of the message). */
async function timed(athlete: RoleAthlete, text: string, answer: RegExp): Promise<number> {
  const before = new Set(athlete.messages());
  const sent = Date.now();
  athlete.send(text);
  const reply = await athlete.waitForMessage(
    (m) => !before.has(m) && answer.test(m.text),
    `${athlete.name}'s answer to "${text}"`,
    120_000,
  );
  return reply.at - sent;
}

/** A process's CPU time so far (user + system), seconds, from /proc; null where there is none. */
function cpuSeconds(pid: number): number | null {
  try {
    // the fields after the command's closing parenthesis: utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds of each of these processes, or null when one cannot be read. */
function cpuOf(pids: number[]): number[] | null {
  const all = pids.map(cpuSeconds);
  return all.every((s) => s !== null) ? (all as number[]) : null;
}

async function setup(server: TestPostgres, workers: number): Promise<Figures> {
  const url = await server.freshDatabase();
  const fake = await startFakeTelegram();
  const cluster = await startRolesCluster({ databaseUrl: url, fake, jobExpireSeconds: EXPIRE_SECONDS });
  const db = await DatabaseProbe.open(url);
  try {
    const setupStart = performance.now();
    const [ingress, ...workerProcs] = await Promise.all([
      cluster.start('ingress'),
      ...range(workers).map((i) => cluster.start('worker', `worker-${i + 1}`)),
    ]);
    const analysts = range(ATHLETES, 1001).map((id) => new RoleAthlete(fake, id));
    const chatters = range(CHATTERS, 5001).map((id) => new RoleAthlete(fake, id));
    const ftp = (a: RoleAthlete, k: number) => 200 + (a.userId % 50) + k;
    await Promise.all(
      analysts.map(async (a) => {
        await a.say(`ftp ${ftp(a, 0)}`, new RegExp(`FTP ${ftp(a, 0)} W`));
        await a.uploadRides(RIDES, NOW);
      }),
    );
    // idle: each chatter's first plain messages, nothing else going on
    const idle: number[] = [];
    for (const k of range(3))
      idle.push(...(await Promise.all(chatters.map((c) => timed(c, `ftp ${ftp(c, k)}`, new RegExp(`FTP ${ftp(c, k)} W`))))));
    const setupSeconds = (performance.now() - setupStart) / 1000;

    // every analyst sends /analyze at once; the chatters talk until the last summary has come
    const pids = [ingress!.pid, ...workerProcs.map((w) => w.pid)];
    const cpuBefore = cpuOf(pids);
    const benchBefore = process.cpuUsage();
    const sentAt = new Map<RoleAthlete, number>();
    const t0 = Date.now();
    for (const a of analysts) {
      sentAt.set(a, Date.now());
      a.send('/analyze');
    }
    let done = false;
    const busy: number[] = [];
    const talking = Promise.all(
      chatters.map(async (c) => {
        for (let k = 3; !done; k++) {
          const latency = await timed(c, `ftp ${ftp(c, k % 40)}`, new RegExp(`FTP ${ftp(c, k % 40)} W`));
          if (!done) busy.push(latency);
          await wait(CHATTER_PAUSE_MS);
        }
      }),
    );
    const summaries = await fake.waitFor(
      () => {
        const found = analysts.map((a) => a.summaries()[0]);
        return found.every((m) => m !== undefined) ? (found as FakeBotMessage[]) : null;
      },
      300_000,
      'every summary',
    );
    done = true;
    const cpuAfter = cpuOf(pids);
    const benchUsed = process.cpuUsage(benchBefore);
    const used = cpuBefore && cpuAfter ? cpuAfter.map((s, i) => s - cpuBefore[i]!) : null;
    const last = Math.max(...summaries.map((m) => m.at));
    const analysis = analysts.map((a, i) => summaries[i]!.at - sentAt.get(a)!);
    await talking;
    await Promise.all(analysts.map((a) => a.waitForReport(120_000)));
    const jobs = await db.waitJobsEnded(ATHLETES, 60_000);
    const byWorker = await Promise.all(workerProcs.map((w) => metricOf(w, 'domestique_runs_total')));
    if (analysts.some((a) => a.summaries().length !== 1 || !SUMMARY.test(a.summaries()[0]!.text)))
      throw new Error('an athlete got no summary, or more than one');
    const seconds = (last - t0) / 1000;
    return {
      workers,
      setupSeconds,
      seconds,
      perMinute: (ATHLETES / seconds) * 60,
      analysis,
      idle,
      busy,
      byWorker,
      cpu: used
        ? {
            ingress: used[0]!,
            workers: used.slice(1).reduce((a, b) => a + b, 0),
            bench: (benchUsed.user + benchUsed.system) / 1e6,
          }
        : null,
      jobs: { completed: jobs.filter((j) => j.state === 'completed').length, retried: jobs.filter((j) => j.retryCount > 0).length },
    };
  } finally {
    await db.close();
    await cluster.close();
    await fake.close();
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const cores = availableParallelism();

// with DOMESTIQUE_REQUIRE_POSTGRES set (CI) a missing install throws instead
if (!postgresAvailable()) {
  process.stdout.write('roles: ingress + workers on PostgreSQL — PostgreSQL not installed (skipped)\n');
  process.exit(0);
}

const loadBefore = load();
const started = performance.now();
const server = await startPostgres();
const results: Figures[] = [];
try {
  for (const workers of [1, 2]) results.push(await setup(server, workers));
} finally {
  // a failure to stop must not hide the run's own error
  await server.stop().catch((error: unknown) => process.stderr.write(`roles: stopping PostgreSQL failed: ${String(error)}\n`));
}
const [one, two] = results as [Figures, Figures];

const ms = (values: number[], p: number) => `${(percentile(values, p) / 1000).toFixed(2)} s`.padStart(8);
const quick = (values: number[], p: number) => `${percentile(values, p).toFixed(0)} ms`.padStart(8);
const label = (f: Figures) => `1 ingress + ${f.workers} worker${f.workers > 1 ? 's' : ''}`.padEnd(22);
const lines = [
  `roles: bots/main.ts --role ingress|worker as processes on one PostgreSQL, the fake Bot API in webhook mode; ${cores} cores, load average (1/5/15 min) ${loadBefore} before, ${load()} after; ${((performance.now() - started) / 1000).toFixed(0)} s`,
  `  ${ATHLETES} athletes (FTP + ${RIDES} rides of 20 min each; offline coach, no pictures) send /analyze at once, each setup on a fresh database;`,
  `  meanwhile ${CHATTERS} other athletes send "ftp N" one after another (${CHATTER_PAUSE_MS} ms after each answer): its reply latency, idle (before) and during the analyses`,
  `  ${''.padEnd(22)}  analyses/min   /analyze → summary p50 / p95   "ftp N" idle p50 / p95   during analyses p50 / p95 (n)   runs per worker`,
  ...results.map(
    (f) =>
      `  ${label(f)}  ${f.perMinute.toFixed(1).padStart(6)} (${f.seconds.toFixed(1)} s)   ${ms(f.analysis, 50)} / ${ms(f.analysis, 95)}          ${quick(f.idle, 50)} / ${quick(f.idle, 95)}   ${quick(f.busy, 50)} / ${quick(f.busy, 95)} (${f.busy.length})      ${f.byWorker.join(' + ')}${f.jobs.retried > 0 ? ` (${f.jobs.retried} jobs retried)` : ''}`,
  ),
  `  throughput 2 workers / 1 worker = ${(two.perMinute / one.perMinute).toFixed(2)}  (a CPU-bound ratio cannot exceed the cores: ${cores} here, shared by the ingress, the workers, PostgreSQL and this bench; the CPU lines show how busy the workers were)`,
  `  (each worker runs RUN_CONCURRENCY = 2 analyses at once; a slot fetches its next job as soon as one ends)`,
  ...results.map((f) =>
    f.cpu
      ? `  CPU during the analyses, ${label(f).trim()}: workers ${f.cpu.workers.toFixed(1)} s (${(f.cpu.workers / f.seconds).toFixed(2)} cores busy), ingress ${f.cpu.ingress.toFixed(1)} s, this bench (the fake Bot API and the athletes) ${f.cpu.bench.toFixed(1)} s; ${(f.cpu.workers / ATHLETES).toFixed(2)} worker CPU s per analysis`
      : `  CPU during the analyses, ${label(f).trim()}: not measured (no /proc)`,
  ),
  `  (setup before the analyses — processes started, FTP + rides uploaded: ${one.setupSeconds.toFixed(0)} s and ${two.setupSeconds.toFixed(0)} s; every job completed: ${[one, two].every((f) => f.jobs.completed === ATHLETES) ? 'yes' : 'NO'})`,
];
process.stdout.write(`${lines.join('\n')}\n`);
