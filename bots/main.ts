/**
 * `npm start`: runs every chat bot whose token is configured, on one shared chat app (one
 * database, one analysis queue) with the monthly reminder ticker, until SIGINT/SIGTERM. With no
 * token set it says which variables to set and exits non-zero.
 */
import { hostname } from 'node:os';
import { createChatApp, type ChatApp } from '../src/app/chat-app.js';
import { loadConfigOrExit, type Config } from '../src/config.js';
import type { ChatThread } from '../src/conversation/port.js';
import { ReminderTicker, type ChatDirectory } from '../src/conversation/reminders.js';
import { configSecrets, createLogger, type Logger } from '../src/logger.js';
import { startOperationsServer } from '../src/app/observability.js';
import { scheduleBackups } from '../src/store/backup.js';
import { startDiscord } from './discord/main.js';
import { startTelegram } from './telegram/main.js';

/** A started bot, as main needs it. */
interface RunningBot {
  stop(): Promise<void>;
  /** A thread for one of its athletes (`telegram:<id>`), for reminders; null for other platforms' keys. */
  openThread(identityKey: string): ChatThread | null;
}

interface BotEntry {
  name: string;
  /** The variable that holds its token, for the "nothing to start" message. */
  tokenVariable: string;
  enabled(config: Config): boolean;
  start(config: Config, logger: Logger, app: ChatApp, onFatalError: (error: Error) => void): Promise<RunningBot>;
}

/** Every platform. */
const BOTS: readonly BotEntry[] = [
  {
    name: 'Telegram',
    tokenVariable: 'TELEGRAM_BOT_TOKEN',
    enabled: (c) => c.telegram.token !== null,
    start: (config, logger, app, onFatalError) => startTelegram(config, logger, app, { onFatalError }),
  },
  {
    name: 'Discord',
    tokenVariable: 'DISCORD_TOKEN',
    enabled: (c) => c.discord.token !== null,
    start: async (config, logger, app, onFatalError) => {
      const discord = await startDiscord(config, logger, app, { onFatalError });
      return { stop: () => discord.stop(), openThread: (key) => discord.open(key) };
    },
  },
];

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const wanted = BOTS.filter((b) => b.enabled(config));
  if (wanted.length === 0) {
    process.stderr.write(
      [
        'No chat bot to start: no bot token is set.',
        'Set at least one of these in .env (see .env.example) or the environment:',
        '  TELEGRAM_BOT_TOKEN  the token @BotFather gave you for your Telegram bot',
        "  DISCORD_TOKEN       your Discord application's bot token",
        '',
      ].join('\n'),
    );
    process.exit(1);
  }

  const logger = createLogger(config.logLevel, undefined, { secrets: configSecrets(config) });
  const app = createChatApp(config, logger);
  const running: { name: string; bot: RunningBot }[] = [];
  // Reaching an athlete unprompted (reminders, "your run was interrupted"): through whichever running bot knows their key.
  const directory: ChatDirectory = { open: (key) => running.map((r) => r.bot.openThread(key)).find((thread) => thread !== null) ?? null };
  const reminders = new ReminderTicker({
    store: app.store,
    directory,
    clock: () => new Date(),
    claimant: `${hostname()}:${process.pid}`,
    logger,
    sendSpacingMs: 100,
    onTick: (result) => app.metrics.reminderTick(result),
  });
  const operations = config.metricsPort !== null ? await startOperationsServer(config.metricsPort, app.metrics, () => app.health()) : null;
  if (operations) logger.info({ port: config.metricsPort }, '/healthz and /metrics are served');
  const stopBackups = config.backup.dir
    ? scheduleBackups(app.store, {
        dir: config.backup.dir,
        intervalHours: config.backup.intervalHours,
        keep: config.backup.keep,
        clock: () => new Date(),
        onDone: (path) => logger.info({ path }, 'database backed up'),
        onError: (error) => logger.error({ err: error instanceof Error ? error : new Error(String(error)) }, 'database backup failed'),
      })
    : null;
  let stopping: Promise<void> | null = null;

  const shutdown = (reason: string, exitCode: number): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      await reminders.stop();
      stopBackups?.();
      await new Promise<void>((resolve) => (operations ? operations.close(() => resolve()) : resolve()));
      const results = await Promise.allSettled(running.map((r) => r.bot.stop()));
      for (const [i, result] of results.entries()) {
        if (result.status === 'rejected')
          logger.error(
            { bot: running[i]!.name, err: result.reason instanceof Error ? result.reason : new Error(String(result.reason)) },
            'a bot did not stop cleanly',
          );
      }
      await app.close();
      process.exit(exitCode);
    })();
    return stopping;
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A second signal while stopping means "now".
      if (stopping) process.exit(130);
      void shutdown(signal, 0);
    });
  }

  for (const entry of wanted) {
    try {
      const bot = await entry.start(config, logger, app, (error) => {
        logger.fatal({ bot: entry.name, err: error }, 'a bot stopped working');
        void shutdown(`${entry.name} failed`, 1);
      });
      running.push({ name: entry.name, bot });
    } catch (error) {
      // Startup errors carry no secrets (grammY's say which call failed and Telegram's description).
      const message = error instanceof Error ? error.message : String(error);
      logger.fatal(
        { bot: entry.name, err: error instanceof Error ? error : new Error(message) },
        `the ${entry.name} bot could not start${/401|Unauthorized/.test(message) ? `: the platform refused the token — check ${entry.tokenVariable}` : ''}`,
      );
      await shutdown(`${entry.name} could not start`, 1);
      return;
    }
  }
  reminders.start();
  const told = await app.notifyInterrupted(directory);
  if (told > 0) logger.info({ athletes: told }, 'told athletes whose analysis the last shutdown interrupted');
  logger.info({ bots: running.map((r) => r.name) }, 'domestique is running; Ctrl-C stops it');
}

await main();
