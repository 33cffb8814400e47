/**
 * `npm run bench`: ingest + metrics over a synthetic year, the store, the coach, the bots under
 * load, the coaching loop, the sync engine, the job queue and the process roles (ingress + workers),
 * with the figures measured in this one run. See bench/README.md.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureSyntheticYear } from './synthetic-year.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

interface Measurement {
  mode: string;
  files: number;
  activities: number;
  samples: number;
  megabytes: number;
  totalMs: number;
  readMs: number;
  peakRssMb: number;
}

async function measure(mode: 'ours' | 'raw', folder: string): Promise<Measurement> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/measure.ts', mode, folder], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim()) as Measurement;
}

const folder = await ensureSyntheticYear(resolve(ROOT, 'bench/.cache'));
const ours = await measure('ours', folder);
const raw = await measure('raw', folder);
// the store on both engines prints its own table (bench/store-engines.ts), shown as it is
const { stdout: storeOut } = await run(process.execPath, ['--import', 'tsx', 'bench/store-engines.ts'], { cwd: ROOT, maxBuffer: 1 << 20 });
const { stdout: orchestratorOut } = await run(process.execPath, ['--import', 'tsx', 'bench/orchestrator.ts'], {
  cwd: ROOT,
  maxBuffer: 1 << 20,
});
const { stdout: loadOut } = await run(process.execPath, ['--import', 'tsx', 'bench/load-telegram.ts', '50'], {
  cwd: ROOT,
  maxBuffer: 1 << 20,
});
const load = JSON.parse(loadOut.trim().split('\n').pop()!) as {
  athletes: number;
  completed: number;
  seconds: number;
  analysesPerMinute: number;
  replyP50Ms: number;
  replyP95Ms: number;
  peakQueue: number;
  peakRssMb: number;
};
const { stdout: deferOut } = await run(process.execPath, ['--import', 'tsx', 'bench/discord-defer.ts', '--n', '50'], {
  cwd: ROOT,
  maxBuffer: 1 << 20,
});
const defer = JSON.parse(deferOut.trim().split('\n').pop()!) as {
  p50: number;
  p95: number;
  max: number;
  n: number;
  late: number;
  busy: { p50: number; p95: number };
  loopMaxMs: number;
};
const { stdout: coachingOut } = await run(process.execPath, ['--import', 'tsx', 'bench/coaching.ts'], { cwd: ROOT, maxBuffer: 1 << 20 });
const coaching = JSON.parse(coachingOut.trim()) as {
  seconds: number;
  intervals: number;
  hits: number;
  alignMs: number;
  readMs: number;
  ratio: number;
};
const { stdout: syncOut } = await run(process.execPath, ['--import', 'tsx', 'bench/sync.ts'], { cwd: ROOT, maxBuffer: 1 << 20 });
const sync = JSON.parse(syncOut.trim().split('\n').pop()!) as {
  webhook: {
    events: number;
    concurrency: number;
    eventsPerSecond: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
    budgetRatio: number;
  };
  backfill: {
    rides: number;
    minutesEach: number;
    seconds: number;
    ridesPerSecond: number;
    requests: number;
    limiterFloorSeconds: number;
    directSeconds: number;
    ratio: number;
  };
  latency: Record<'poll' | 'webhook', { runs: number; medianMs: number; maxMs: number; targetMs: number }>;
};
// the job queue prints its own table (bench/jobs.ts), shown as it is
const { stdout: jobsOut } = await run(process.execPath, ['--import', 'tsx', 'bench/jobs.ts'], { cwd: ROOT, maxBuffer: 1 << 20 });
// the process roles print their own table (bench/roles.ts), shown as it is
const { stdout: rolesOut } = await run(process.execPath, ['--import', 'tsx', 'bench/roles.ts'], { cwd: ROOT, maxBuffer: 1 << 20 });
const orch = JSON.parse(orchestratorOut.trim()) as {
  corpus: { seconds: number; activities: number } | null;
  overhead: { latencyMs: number; calls: number; modelPhaseSeconds: number; latencySeconds: number; ratio: number; status: string };
  sent: Record<string, { calls: number; inputChars: number; outputChars: number }>;
  tokens: { inputTokens: number; outputTokens: number };
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** A post-ride latency: median, max and its target. */
const latency = (l: { runs: number; medianMs: number; maxMs: number; targetMs: number }) =>
  `median ${l.medianMs.toFixed(0)} ms, max ${l.maxMs.toFixed(0)} ms (${l.runs} runs) — target ≤ ${l.targetMs / 1000} s: ${l.maxMs <= l.targetMs ? 'met' : 'NOT met'}`;
const lines = [
  `domestique benchmark — synthetic year: ${ours.files} FIT files, ${ours.megabytes.toFixed(1)} MB, ${(ours.samples / 1e6).toFixed(2)} M moving seconds (${availableParallelism()} cores, Node ${process.version})`,
  '',
  `ingest + metrics (ours)        ${seconds(ours.totalMs)} total   ${(ours.totalMs / ours.files).toFixed(1)} ms/ride   ${(ours.totalMs / ours.megabytes).toFixed(1)} ms/MB   peak RSS ${ours.peakRssMb.toFixed(0)} MB`,
  `fit-file-parser parseAsync    ${seconds(raw.totalMs)} total   ${(raw.totalMs / raw.files).toFixed(1)} ms/ride   ${(raw.totalMs / raw.megabytes).toFixed(1)} ms/MB   peak RSS ${raw.peakRssMb.toFixed(0)} MB`,
  '',
  `ratio ours / raw parseAsync   ${(ours.totalMs / raw.totalMs).toFixed(2)}`,
  `target: whole year ≤ 10 s     ${ours.totalMs <= 10_000 ? 'met' : 'NOT met'} (${seconds(ours.totalMs)})`,
  `target: peak RSS ≤ 300 MB     ${ours.peakRssMb <= 300 ? 'met' : 'NOT met'} (${ours.peakRssMb.toFixed(0)} MB)`,
  '',
  storeOut.trimEnd(),
  '',
  orch.corpus
    ? `generate offline on the corpus (${orch.corpus.activities} activities)   ${orch.corpus.seconds.toFixed(2)} s — target ≤ 3 s: ${orch.corpus.seconds <= 3 ? 'met' : 'NOT met'}`
    : 'generate offline on the corpus               skipped: ../shared/data not found',
  `orchestration overhead, model at ${orch.overhead.latencyMs} ms/call   ${(orch.overhead.ratio * 100).toFixed(1)} % of the model phases (${orch.overhead.calls} calls, ${orch.overhead.modelPhaseSeconds.toFixed(2)} s for ${orch.overhead.latencySeconds.toFixed(2)} s of latency) — target ≤ 5 %: ${orch.overhead.ratio <= 0.05 ? 'met' : 'NOT met'}`,
  ...Object.entries(orch.sent).map(
    ([phase, s]) =>
      `sent in ${phase.padEnd(22)} ${s.calls} calls, ${s.inputChars.toLocaleString('en-US')} chars in (≈ ${Math.ceil(s.inputChars / 4).toLocaleString('en-US')} tokens), ${s.outputChars.toLocaleString('en-US')} chars out (≈ ${Math.ceil(s.outputChars / 4).toLocaleString('en-US')} tokens)`,
  ),
  '',
  `load: ${load.athletes} athletes on the fake Telegram API, 5 rides + an analysis each   ${load.completed}/${load.athletes} completed in ${load.seconds.toFixed(1)} s (${load.analysesPerMinute.toFixed(0)} analyses/min) — all completed: ${load.completed === load.athletes ? 'yes' : 'NO'}`,
  `load: reply latency p50 ${(load.replyP50Ms / 1000).toFixed(2)} s, p95 ${(load.replyP95Ms / 1000).toFixed(2)} s; peak queue ${load.peakQueue} waiting; peak RSS ${load.peakRssMb.toFixed(0)} MB`,
  `discord: time to defer ${defer.n} concurrent /analyze   p50 ${defer.p50.toFixed(0)} ms, p95 ${defer.p95.toFixed(0)} ms, max ${defer.max.toFixed(0)} ms, ${defer.late} late — target p95 ≤ 300 ms: ${defer.p95 <= 300 ? 'met' : 'NOT met'}`,
  `discord: /status during those runs              p50 ${defer.busy.p50.toFixed(0)} ms, p95 ${defer.busy.p95.toFixed(0)} ms; longest event-loop block ${defer.loopMaxMs.toFixed(0)} ms`,
  `coaching: align ${coaching.intervals} intervals in a ${(coaching.seconds / 3600).toFixed(1)} h ride   ${coaching.alignMs.toFixed(1)} ms = ${(coaching.ratio * 100).toFixed(1)} % of reading its FIT file (${coaching.readMs.toFixed(0)} ms); ${coaching.hits}/${coaching.intervals} on target — target ≤ 50 ms: ${coaching.alignMs <= 50 ? 'met' : 'NOT met'}`,
  `tokens per run ≈ ${orch.tokens.inputTokens.toLocaleString('en-US')} in + ${orch.tokens.outputTokens.toLocaleString('en-US')} out — target ≤ 12,000 + 4,000: ${orch.tokens.inputTokens <= 12_000 && orch.tokens.outputTokens <= 4_000 ? 'met' : 'NOT met'}`,
  '',
  `sync: ${sync.webhook.events} Strava webhook events, ${sync.webhook.concurrency} at a time   p50 ${sync.webhook.p50Ms.toFixed(0)} ms, p95 ${sync.webhook.p95Ms.toFixed(0)} ms, max ${sync.webhook.maxMs.toFixed(0)} ms (${sync.webhook.eventsPerSecond.toFixed(0)} events/s); p95 = ${(sync.webhook.budgetRatio * 100).toFixed(1)} % of Strava's 2 s — every answer inside 2 s: ${sync.webhook.maxMs < 2000 ? 'yes' : 'NO'}`,
  `sync: intervals.icu backfill of ${sync.backfill.rides} rides of ${sync.backfill.minutesEach} min   ${sync.backfill.seconds.toFixed(2)} s = ${sync.backfill.ridesPerSecond.toFixed(1)} rides/s, ${sync.backfill.ratio.toFixed(2)} × ingest + record of the same files (${sync.backfill.directSeconds.toFixed(2)} s); ${sync.backfill.requests} requests, the 10 req/s limiter's floor ${sync.backfill.limiterFloorSeconds.toFixed(1)} s`,
  `sync: new ride on intervals.icu (1 s poll) → post-ride message   ${latency(sync.latency.poll)}`,
  `sync: Strava webhook create event → post-ride message   ${latency(sync.latency.webhook)}`,
  '',
  jobsOut.trimEnd(),
  '',
  rolesOut.trimEnd(),
];
process.stdout.write(`${lines.join('\n')}\n`);
