/**
 * `npm start`: runs every chat bot whose token is configured, on one shared chat app (one
 * database, one analysis queue) with the monthly reminder and weekly check-in tickers, until SIGINT/SIGTERM. With no
 * token set it says which variables to set and exits non-zero. The HTTP server (METRICS_PORT)
 * serves /healthz, /metrics, Strava's OAuth callback, the webhooks of Strava and intervals.icu, and
 * Telegram's webhook when TELEGRAM_WEBHOOK_URL is set (the configuration then requires METRICS_PORT).
 * The store is PostgreSQL when DATABASE_URL is set, else the SQLite file DATABASE_PATH.
 *
 * `npm start -- --role ingress|worker` splits that over processes sharing one PostgreSQL database
 * (bots/roles.ts): the ingress runs the bots and the HTTP server, the workers the analyses of
 * Telegram athletes (as jobs), the tickers and the sync engine. `--role all` is the default.
 */
import { hostname } from 'node:os';
import { maskUrl, withoutPassword } from '../src/store/pg/url.js';
import { startBackups } from '../src/app/backups.js';
import { createChatApp, type ChatApp } from '../src/app/chat-app.js';
import { HttpRoutes, startOperationsServer } from '../src/app/observability.js';
import { syncRoutes } from '../src/app/sync-routes.js';
import { configSecrets, loadConfigOrExit, type Config } from '../src/config.js';
import type { JobQueue } from '../src/jobs/types.js';
import { createLogger, type Logger } from '../src/logger.js';
import { startDiscord } from './discord/main.js';
import { checkRoleDatabase, roleOrExit, RUNNING, startJobQueue, startWorker, type Role } from './roles.js';
import { startTelegram } from './telegram/main.js';

/** A started bot, as main needs it (it reaches its athletes through the app's chat directories). */
interface RunningBot {
  stop(): Promise<void>;
}

interface BotEntry {
  name: string;
  /** The variable that holds its token, for the "nothing to start" message. */
  tokenVariable: string;
  enabled(config: Config): boolean;
  start(config: Config, logger: Logger, app: ChatApp, services: BotServices): Promise<RunningBot>;
}

/** What main gives a bot as it starts it. */
interface BotServices {
  onFatalError: (error: Error) => void;
  /** The HTTP server's routes (a webhook adds its own); null when no server runs. */
  routes: HttpRoutes | null;
}

/** Every platform. */
const BOTS: readonly BotEntry[] = [
  {
    name: 'Telegram',
    tokenVariable: 'TELEGRAM_BOT_TOKEN',
    enabled: (c) => c.telegram.token !== null,
    start: (config, logger, app, { onFatalError, routes }) =>
      startTelegram(config, logger, app, { onFatalError, ...(routes ? { routes } : {}) }),
  },
  {
    name: 'Discord',
    tokenVariable: 'DISCORD_TOKEN',
    enabled: (c) => c.discord.token !== null,
    start: (config, logger, app, { onFatalError }) => startDiscord(config, logger, app, { onFatalError }),
  },
];

const NO_BOT = [
  'No chat bot to start: no bot token is set.',
  'Set at least one of these in .env (see .env.example) or the environment:',
  '  TELEGRAM_BOT_TOKEN  the token @BotFather gave you for your Telegram bot',
  "  DISCORD_TOKEN       your Discord application's bot token",
  '',
].join('\n');

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** The started bots, and how to stop them and what runs beside them, once. */
class RunningBots {
  private readonly running: { name: string; bot: RunningBot }[] = [];
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly app: ChatApp,
    /** What stops before the bots (the tickers, the HTTP server) and after them (the job queue). */
    private readonly hooks: { beforeBots: () => Promise<void>; afterBots: () => Promise<void> },
    private readonly routes: HttpRoutes | null,
  ) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        // A second signal while stopping means "now".
        if (this.stopping) process.exit(130);
        void this.shutdown(signal, 0);
      });
    }
  }

  names(): string[] {
    return this.running.map((r) => r.name);
  }

  shutdown(reason: string, exitCode: number): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info({ reason }, 'shutting down');
      await this.hooks.beforeBots();
      const results = await Promise.allSettled(this.running.map((r) => r.bot.stop()));
      for (const [i, result] of results.entries()) {
        if (result.status === 'rejected')
          this.logger.error({ bot: this.running[i]!.name, err: asError(result.reason) }, 'a bot did not stop cleanly');
      }
      await this.hooks
        .afterBots()
        .catch((error: unknown) => this.logger.error({ err: asError(error) }, 'the job queue did not stop cleanly'));
      await this.app.close();
      process.exit(exitCode);
    })();
    return this.stopping;
  }

  /** Starts one bot; false (and shutting down) when it cannot start. */
  async start(entry: BotEntry, config: Config): Promise<boolean> {
    try {
      const onFatalError = (error: Error) => {
        this.logger.fatal({ bot: entry.name, err: error }, 'a bot stopped working');
        void this.shutdown(`${entry.name} failed`, 1);
      };
      const bot = await entry.start(config, this.logger, this.app, { onFatalError, routes: this.routes });
      this.running.push({ name: entry.name, bot });
      return true;
    } catch (error) {
      // Startup errors carry no secrets (grammY's say which call failed and Telegram's description).
      const message = error instanceof Error ? error.message : String(error);
      this.logger.fatal(
        { bot: entry.name, err: error instanceof Error ? error : new Error(message) },
        `the ${entry.name} bot could not start${/401|Unauthorized/.test(message) ? `: the platform refused the token — check ${entry.tokenVariable}` : ''}`,
      );
      await this.shutdown(`${entry.name} could not start`, 1);
      return false;
    }
  }
}

/** A clear line — without the database password — when `what` cannot reach the database, and exit 1. */
function unreachable(config: Config, logger: Logger, what: string, error: unknown): never {
  const message = withoutPassword(error instanceof Error ? error.message : String(error), config.databaseUrl ?? '');
  logger.error({ location: config.databaseUrl ? maskUrl(config.databaseUrl) : config.databasePath }, `${what}: ${message}`);
  process.exit(1);
}

/** The chat app in its role, or — when its database cannot be opened (PostgreSQL down, a file not writable) — a clear line and exit 1. */
async function openApp(config: Config, logger: Logger, role: Role, jobs: JobQueue | null): Promise<ChatApp> {
  try {
    return await createChatApp(config, logger, role === 'all' || !jobs ? {} : { role, jobs });
  } catch (error) {
    unreachable(config, logger, 'the store could not be opened', error);
  }
}

/** The split roles' job queue (null for `all`), or a clear line and exit 1. */
async function openJobs(config: Config, logger: Logger, role: Role): Promise<JobQueue | null> {
  if (role === 'all' || !config.databaseUrl) return null;
  try {
    return await startJobQueue(config, config.databaseUrl, logger);
  } catch (error) {
    unreachable(config, logger, 'the job queue could not be started', error);
  }
}

async function main(): Promise<void> {
  const role = roleOrExit(process.argv.slice(2));
  const config = loadConfigOrExit();
  checkRoleDatabase(role, config);
  const wanted = role === 'worker' ? [] : BOTS.filter((b) => b.enabled(config));
  if (role !== 'worker' && wanted.length === 0) {
    process.stderr.write(NO_BOT);
    process.exit(1);
  }

  const logger = createLogger(config.logLevel, undefined, { secrets: configSecrets(config) });
  const jobs = await openJobs(config, logger, role);
  const app = await openApp(config, logger, role, jobs);
  logger.info(
    { store: app.store.kind, location: app.store.path },
    `the store is ${app.store.kind === 'postgres' ? 'PostgreSQL' : 'the SQLite file'} ${app.store.path}`,
  );
  const stopJobs = async () => void (await jobs?.stop({ graceful: true }));
  if (role === 'worker') return runWorker(config, logger, app, stopJobs);
  // Reaching an athlete unprompted (reminders, "your run was interrupted"): through whichever running bot knows their key.
  const directory = app.directories;
  let tickers: { stop(): Promise<void> } | null = null;
  // Telegram's webhook adds its route here before it tells Telegram the URL.
  const routes = new HttpRoutes(syncRoutes(app.sync));
  const operations =
    config.metricsPort !== null ? await startOperationsServer(config.metricsPort, app.metrics, () => app.health(), routes.handle) : null;
  if (operations) logger.info({ port: config.metricsPort }, '/healthz, /metrics and the sync endpoints are served');
  else if (config.sync.strava.clientId)
    logger.warn('STRAVA_CLIENT_ID is set but METRICS_PORT is not: Strava cannot reach the OAuth callback or the webhook');
  const stopBackups = startBackups(config, app, logger);
  const bots = new RunningBots(
    logger,
    app,
    {
      beforeBots: async () => {
        await tickers?.stop();
        stopBackups?.();
        await new Promise<void>((resolve) => (operations ? operations.close(() => resolve()) : resolve()));
      },
      afterBots: stopJobs,
    },
    operations ? routes : null,
  );

  for (const entry of wanted) if (!(await bots.start(entry, config))) return;
  // The ingress runs no tickers and leaves unfinished runs alone: other processes' runs are live.
  if (role === 'all') {
    // The monthly reminders and the weekly check-ins, on the system clock.
    tickers = app.startTickers(`${hostname()}:${process.pid}`);
    const told = await app.notifyInterrupted(directory);
    if (told > 0) logger.info({ athletes: told }, 'told athletes whose analysis the last shutdown interrupted');
  }
  logger.info({ role, bots: bots.names() }, RUNNING[role]);
}

/** The worker role: no bots; the analysis jobs, the tickers, the sync engine. */
async function runWorker(config: Config, logger: Logger, app: ChatApp, stopJobs: () => Promise<void>): Promise<void> {
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  const stopBackups = startBackups(config, app, logger);
  const stopping = new RunningBots(
    logger,
    app,
    {
      beforeBots: async () => {
        stopBackups?.();
        await worker?.stopServices();
      },
      afterBots: async () => {
        try {
          await stopJobs();
        } finally {
          worker?.closeDirectory();
        }
      },
    },
    null,
  );
  try {
    worker = await startWorker(config, logger, app);
  } catch (error) {
    logger.fatal({ err: asError(error) }, 'the worker could not start');
    await stopping.shutdown('the worker could not start', 1);
    return;
  }
  logger.info({ role: 'worker' }, RUNNING.worker);
}

await main();
