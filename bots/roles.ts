/**
 * The process roles of `npm start -- --role all|ingress|worker`:
 * - `all` (the default): one process does everything, as before roles existed.
 * - `ingress`: the chat connections and the HTTP endpoints; a Telegram athlete's analysis is sent
 *   to the workers as a job. No tickers.
 * - `worker`: no chat connection; works the analysis jobs and runs the reminder and check-in
 *   tickers and the sync engine, reaching Telegram chats through the bot's API only.
 * The split roles share their work through PostgreSQL (the store and pg-boss's job queue), so they
 * need DATABASE_URL.
 */
import { hostname } from 'node:os';
import type { ChatApp } from '../src/app/chat-app.js';
import { startOperationsServer } from '../src/app/observability.js';
import type { Config } from '../src/config.js';
import { PgBossQueue } from '../src/jobs/pg-boss-queue.js';
import type { Logger } from '../src/logger.js';
import { telegramDirectory } from './telegram/main.js';

export const ROLES = ['all', 'ingress', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** What each role says as it is running. */
export const RUNNING: Record<Role, string> = {
  all: 'domestique is running; Ctrl-C stops it',
  ingress:
    'domestique is running as the ingress (the chat connections and the HTTP endpoints; Telegram analyses go to the workers); Ctrl-C stops it',
  worker: 'domestique is running as a worker (analyses, reminders, check-ins and sync; no chat connection); Ctrl-C stops it',
};

/** The role `--role <role>` (or `--role=<role>`) names in `argv` (default `all`), or what is wrong with it. */
export function parseRole(argv: readonly string[]): Role | { error: string } {
  let value: string | undefined;
  for (const [i, arg] of argv.entries()) {
    if (arg === '--role') {
      value = argv[i + 1];
      if (value === undefined) return { error: '--role needs a value: all, ingress or worker' };
    } else if (arg.startsWith('--role=')) value = arg.slice('--role='.length);
  }
  if (value === undefined) return 'all';
  return (ROLES as readonly string[]).includes(value)
    ? (value as Role)
    : { error: `--role must be all, ingress or worker, not ${JSON.stringify(value)}` };
}

/** The role from the command line; a wrong one is one line on stderr and exit 1. */
export function roleOrExit(argv: readonly string[]): Role {
  const role = parseRole(argv);
  return typeof role === 'string' ? role : exit(role.error);
}

/** A split role without DATABASE_URL: one line on stderr and exit 1. */
export function checkRoleDatabase(role: Role, config: Pick<Config, 'databaseUrl'>): void {
  if (role !== 'all' && !config.databaseUrl) exit(`--role ${role} needs DATABASE_URL (PostgreSQL): the roles share their work through it`);
}

function exit(line: string): never {
  process.stderr.write(`domestique: ${line}\n`);
  process.exit(1);
}

/** The job queue the ingress sends the analyses to and the workers take them from: pg-boss on DATABASE_URL, started. */
export async function startJobQueue(config: Config, url: string, logger: Logger): Promise<PgBossQueue> {
  const expire = config.jobs.analysisExpireSeconds;
  const jobs = new PgBossQueue({
    url,
    pollingIntervalSeconds: 0.5,
    expireInSeconds: expire,
    // a dead worker's job is retried at the first maintenance pass after its expiry: at most a
    // minute (pg-boss's default is two) or the expiry, whichever is shorter, after it
    maintenanceIntervalSeconds: Math.min(60, expire),
  });
  jobs.onError((err, context) => logger.error({ err, ...context }, 'the job queue reported a failure'));
  await jobs.start();
  return jobs;
}

/** What the worker started, to stop in this order: the tickers and the HTTP server, then (after the queue) the directory. */
export interface RunningWorker {
  stopServices(): Promise<void>;
  /** Cancels the Telegram requests still in flight, once the queue has stopped. */
  closeDirectory(): void;
}

/**
 * The worker: a send-only Telegram directory (when TELEGRAM_BOT_TOKEN is set), the analysis jobs,
 * the tickers and the sync engine, and — with METRICS_PORT — /healthz and /metrics only (the
 * ingress serves the webhooks and the OAuth callback).
 */
export async function startWorker(config: Config, logger: Logger, app: ChatApp): Promise<RunningWorker> {
  const telegram = telegramDirectory(config, logger);
  const removeTelegram = telegram ? app.directories.add(telegram) : null;
  if (!telegram) logger.warn('TELEGRAM_BOT_TOKEN is not set: this worker cannot reach Telegram athletes');
  const operations = config.metricsPort !== null ? await startOperationsServer(config.metricsPort, app.metrics, () => app.health()) : null;
  if (operations) logger.info({ port: config.metricsPort }, '/healthz and /metrics are served');
  let tickers: { stop(): Promise<void> } | null = null;
  const running: RunningWorker = {
    async stopServices() {
      await tickers?.stop();
      await new Promise<void>((resolve) => (operations ? operations.close(() => resolve()) : resolve()));
    },
    closeDirectory() {
      removeTelegram?.();
      telegram?.close();
    },
  };
  try {
    await app.startWorker();
    tickers = app.startTickers(`${hostname()}:${process.pid}`);
  } catch (error) {
    await running.stopServices();
    running.closeDirectory();
    throw error;
  }
  return running;
}
