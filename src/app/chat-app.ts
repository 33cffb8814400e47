/**
 * The composition root of the chat bots: config → store → providers → orchestrator →
 * conversation. Bot adapters get a `Conversation` and never see what is behind it.
 */
import type { Config } from '../config.js';
import { ANALYSIS_QUEUE, type AnalysisJobData } from '../conversation/analysis-jobs.js';
import { AnalysisService } from '../conversation/analysis-service.js';
import { ChatDirectories } from '../conversation/chat-directories.js';
import { CheckinTicker } from '../conversation/checkins.js';
import { checkinWriter } from '../conversation/checkin-words.js';
import { CoachQuestions } from '../conversation/coach-questions.js';
import type { ChatDirectory } from '../conversation/port.js';
import { Conversation } from '../conversation/conversation.js';
import { ReminderTicker } from '../conversation/reminders.js';
import type { JobQueue } from '../jobs/types.js';
import type { LlmProvider } from '../llm/provider.js';
import type { Logger } from '../logger.js';
import { loadPrompts } from '../orchestrator/prompts.js';
import { createSnapshotter } from '../report/snapshot.js';
import { Store } from '../store/store.js';
import { ingestPool, type IngestPool } from '../ingest/ingest-pool.js';
import { CoachLoop } from '../orchestrator/coaching/coach-loop.js';
import { SyncService } from '../conversation/sync/sync-service.js';
import { hostname } from 'node:os';
import { Metrics, type Health } from './observability.js';
import { createOrchestrator, createProvider, priceOf } from './providers.js';

export interface ChatApp {
  conversation: Conversation;
  store: Store;
  analysis: AnalysisService;
  /** Every running bot adds itself here, so that the conversation can reach an athlete's other chats. */
  directories: ChatDirectories;
  metrics: Metrics;
  /** intervals.icu and Strava: connections, backfills, polling, webhooks, the calendar push. */
  sync: SyncService;
  /** The coaching loop the conversation and the sync engine share. */
  loop: CoachLoop;
  /** What /healthz reports. */
  health(): Promise<Health>;
  /** Tells athletes whose runs a previous process left unfinished, with a Retry button. */
  notifyInterrupted(directory: ChatDirectory): Promise<number>;
  /**
   * Starts the scheduled messages — the monthly reminders and the weekly check-ins — claimed as
   * `claimant` (this process) and sent through `directories`, and the sync engine's job runner and
   * poller; `stop()` before `close()`.
   */
  startTickers(claimant: string): { stop(): Promise<void> };
  /**
   * A worker: works the `analysis` jobs of `options.jobs` (started by the caller), RUN_CONCURRENCY
   * at once, each delivered through `directories`. Stop the queue before `close()`.
   */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface ChatAppOptions {
  clock?: () => Date;
  /** Replaces the configured provider (tests). */
  provider?: LlmProvider;
  /** false: no dashboard picture (tests that do not need a browser). */
  snapshot?: boolean;
  statusIntervalMs?: number;
  /** false: no process metrics (tests that create many apps). */
  processMetrics?: boolean;
  /** This process, as it claims sync jobs (default host:pid). */
  claimant?: string;
  /** How long a sync job claimed by a process that died stays claimed (default: the engine's). */
  syncLeaseMs?: number;
  /**
   * What this process does (process roles, on PostgreSQL): `all` everything (default); `ingress`
   * the chats — a Telegram athlete's analysis is sent to `jobs`; `worker` the jobs (`startWorker`).
   * Only `all` marks unfinished runs interrupted at start: in the others they may be another
   * process's live runs.
   */
  role?: 'all' | 'ingress' | 'worker';
  /** The job queue: where an ingress sends analyses and a worker takes them from. */
  jobs?: JobQueue;
}

/**
 * The app on its store; in role `all`, runs a previous process left unfinished are marked
 * interrupted before it returns.
 */
export async function createChatApp(config: Config, logger: Logger, options: ChatAppOptions = {}): Promise<ChatApp> {
  const clock = options.clock ?? (() => new Date());
  const role = options.role ?? 'all';
  const store = await Store.open(config.storeLocation, { busyTimeoutMs: config.databaseBusyTimeoutMs, clock });
  const interrupted = role === 'all' ? await store.interruptUnfinishedRuns() : [];
  if (interrupted.length > 0)
    logger.warn({ runs: interrupted.length }, 'runs left unfinished by the previous process were marked interrupted');
  const provider = options.provider ?? createProvider(config);
  const prompts = loadPrompts(config.runs.promptsDir ?? undefined);
  const orchestrator = createOrchestrator(config, store, provider, prompts, clock);
  const metrics = new Metrics({ processMetrics: options.processMetrics ?? true });
  metrics.runs.labels('interrupted').inc(interrupted.length);
  const analysis = new AnalysisService(store, orchestrator, clock, config.runs.concurrency, {
    event: (e) => metrics.runEvent(e),
    finished: (r) => metrics.runUsage(r.provider, r.usage.inputTokens, r.usage.outputTokens, r.costUsd),
  });
  metrics.queueDepth = () => analysis.depth;
  const snapshotter = options.snapshot === false ? null : createSnapshotter({ executablePath: config.chromiumPath, logger });
  const coach = new CoachQuestions({ provider, prompts, clock, priceOf });
  const directories = new ChatDirectories();
  const pool = ingestPool(config.ingestPool);
  const loop = new CoachLoop({ clock });
  const sync = syncService(config, { store, clock, directories, loop, logger, metrics, pool }, options);
  const conversation = new Conversation({
    directory: directories,
    coach,
    questionsPerDay: config.runs.questionsPerDay,
    limits: config.limits,
    observer: metrics,
    store,
    analysis,
    clock,
    ingestLimits: config.ingest,
    ingestPool: pool,
    coachLoop: loop,
    sync,
    syncBackfillMonths: config.sync.backfillMonths,
    snapshot: snapshotter,
    logger,
    ...(role === 'ingress' && options.jobs ? { jobs: options.jobs } : {}),
    ...(options.statusIntervalMs !== undefined ? { statusIntervalMs: options.statusIntervalMs } : {}),
  });
  return {
    conversation,
    store,
    analysis,
    directories,
    metrics,
    sync,
    loop,
    health: () => healthOf(store, analysis),
    notifyInterrupted: (directory) => notifyInterruptedRuns(store, logger, interrupted, directory),
    startTickers: (claimant) => {
      // sends spaced to stay inside the platforms' rate limits
      const common = { store, directory: directories, clock, claimant, logger, sendSpacingMs: 100 };
      const tickers = [
        new ReminderTicker({ ...common, onTick: (result) => metrics.scheduledTick(result, metrics.reminders) }),
        // five at a time: a model may take its minute on each, well inside a claim's 10-minute lease
        new CheckinTicker({
          ...common,
          batchSize: 5,
          words: checkinWriter({ provider, prompts, logger }),
          onTick: (result) => metrics.scheduledTick(result, metrics.checkins),
        }),
      ];
      for (const ticker of tickers) ticker.start();
      sync.start();
      return { stop: async () => void (await Promise.all([...tickers.map((t) => t.stop()), sync.stop()])) };
    },
    startWorker: () => workAnalyses(options.jobs, conversation, config.runs.concurrency),
    close: async () => {
      await snapshotter?.close();
      await store.close();
    },
  };
}

/** A worker: runs the `analysis` jobs of `jobs`, `concurrency` at once, through the conversation. */
async function workAnalyses(jobs: JobQueue | undefined, conversation: Conversation, concurrency: number): Promise<void> {
  if (!jobs) throw new Error('A worker needs the job queue (options.jobs).');
  await jobs.work<AnalysisJobData>(ANALYSIS_QUEUE, (job) => conversation.runAnalysisJob(job), { concurrency });
}

/** The sync engine of intervals.icu and Strava, on the app's store, loop and ingest pool. */
function syncService(
  config: Config,
  parts: {
    store: Store;
    clock: () => Date;
    directories: ChatDirectories;
    loop: CoachLoop;
    logger: Logger;
    metrics: Metrics;
    pool: IngestPool;
  },
  options: ChatAppOptions,
): SyncService {
  const { store, pool } = parts;
  const sync = new SyncService({
    store,
    clock: parts.clock,
    directory: parts.directories,
    loop: parts.loop,
    logger: parts.logger,
    settings: config.sync,
    ingest: (bytes, fileName) => pool.ingest(bytes, fileName, config.ingest),
    maxActivities: config.limits.maxActivities,
    claimant: options.claimant ?? `${hostname()}:${process.pid}`,
    ...(options.syncLeaseMs !== undefined ? { leaseMs: options.syncLeaseMs } : {}),
    observer: parts.metrics,
  });
  // every new plan version (rides, what the athlete said, an analysis, events) reaches the intervals.icu calendar
  store.onPlanVersion((athleteId) => void sync.planChanged(athleteId));
  return sync;
}

/** What /healthz reports: the database's quick check and the run queue. */
async function healthOf(store: Store, analysis: AnalysisService): Promise<Health> {
  const integrity = await store.quickCheck().catch((e: unknown) => (e instanceof Error ? e.message : 'unreadable'));
  return {
    ok: integrity === 'ok',
    checks: { database: integrity, queue: `${analysis.depth.running} running, ${analysis.depth.waiting} waiting` },
  };
}

/** Tells each athlete whose run was interrupted, in the first of their chats the directory can open; returns how many were told. */
async function notifyInterruptedRuns(
  store: Store,
  logger: Logger,
  interrupted: readonly { athleteId: string; runId: string }[],
  directory: ChatDirectory,
): Promise<number> {
  let told = 0;
  for (const { athleteId, runId } of interrupted) {
    const { identities } = await store.athlete(athleteId).info();
    const thread = identities.map((key) => directory.open(key)).find((t) => t !== null);
    if (!thread) continue;
    try {
      await thread.post({
        text: `Your analysis (run ${runId.slice(0, 8)}) was interrupted by a restart of the coach. Your rides are safe.`,
        buttons: [[{ label: 'Retry', action: 'analyze' }]],
      });
      told += 1;
    } catch (e) {
      logger.warn({ athleteId, err: e instanceof Error ? e : new Error(String(e)) }, 'could not tell about an interrupted run');
    }
  }
  return told;
}
