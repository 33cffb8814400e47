/**
 * The contract suite's Telegram platform: the real bot (createChatApp + the grammY adapter,
 * started through bots/telegram/main.ts) polling a fake Bot API on 127.0.0.1 — or, with the
 * `webhook` option, receiving its updates on the real operations server (METRICS_PORT's, on a free
 * port) to which the fake POSTs them — and a driver that plays the athlete through the fake. Drivers on the same database share one fake, app and bot,
 * as athletes share one real bot; each driver is one Telegram user.
 *
 * A driver's `send`, `sendFiles` and `press` return once the bot has handled the update (the
 * conversation is wrapped to count what it handled per athlete), so a test reads the answer right
 * after, exactly as with the in-memory platform.
 */
import { offlineCoachWithLatency } from './scripted-provider.js';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { TelegramBot } from '../../bots/telegram/telegram-adapter.js';
import { startTelegram, type StartTelegramOptions } from '../../bots/telegram/main.js';
import { createChatApp, type ChatApp, type ChatAppOptions } from '../../src/app/chat-app.js';
import { HttpRoutes, startOperationsServer } from '../../src/app/observability.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { ChatThread, Incoming } from '../../src/conversation/port.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { pollUntil, type BotFile, type BotMessage, type ChatDriver, type DriverFactory } from '../contract/driver.js';
import { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from './fake-telegram.js';

export interface TelegramDriverOptions extends Pick<ChatAppOptions, 'snapshot' | 'statusIntervalMs' | 'clock' | 'provider'> {
  logger?: Logger;
  /** More environment for loadConfig (e.g. RUN_CONCURRENCY). */
  env?: Record<string, string>;
  /** How long a driver waits for the bot to handle one update. */
  handleTimeoutMs?: number;
  /** Options of the fake Bot API (e.g. a local server's file folder). */
  fake?: FakeTelegramOptions;
  /** A fake Bot API already running (another process's bot used it): this bot uses it, and closes it at the end. */
  runningFake?: FakeTelegram;
  /** Webhook mode: Telegram POSTs to the bot's HTTP server at WEBHOOK_PATH with this secret; tuning as startTelegram takes it. */
  webhook?: { secret?: string; tuning?: StartTelegramOptions['webhook'] };
}

/** Where the test bots serve Telegram's webhook. */
export const WEBHOOK_PATH = '/telegram/webhook';
export const WEBHOOK_SECRET = 'test-webhook-secret_0123456789';

/** The running parts of one bot: the app, the grammY bot, and (webhook mode) the HTTP server. */
interface Launched {
  app: ChatApp;
  telegram: TelegramBot;
  server: Server | null;
}

/** One bot on one database: the fake Bot API, the chat app and the grammY bot polling it. */
export class TelegramTestBot {
  private readonly handled = new Map<string, number>();
  private constructor(
    readonly fake: FakeTelegram,
    readonly config: Config,
    private readonly logger: Logger,
    private readonly options: TelegramDriverOptions,
    public app: ChatApp,
    public telegram: TelegramBot,
    /** Webhook mode: the operations server Telegram POSTs to. */
    public server: Server | null,
  ) {}

  static async start(dbPath: string, options: TelegramDriverOptions = {}): Promise<TelegramTestBot> {
    mkdirSync(dirname(dbPath), { recursive: true });
    const fake = options.runningFake ?? (await startFakeTelegram(options.fake));
    const config = loadConfig({
      DATABASE_PATH: dbPath,
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      // (the webhook's port is only known once its server listens: launch() sets the URL)
      ...(options.webhook
        ? {
            METRICS_PORT: '0',
            TELEGRAM_WEBHOOK_URL: `http://127.0.0.1${WEBHOOK_PATH}`,
            TELEGRAM_WEBHOOK_SECRET: options.webhook.secret ?? WEBHOOK_SECRET,
          }
        : {}),
      ...options.env,
    });
    const logger = options.logger ?? createLogger('silent');
    const holder: { bot?: TelegramTestBot } = {};
    const { app, telegram, server } = await TelegramTestBot.launch(config, logger, options, () => holder.bot!);
    holder.bot = new TelegramTestBot(fake, config, logger, options, app, telegram, server);
    return holder.bot;
  }

  /** Webhook mode: the URL Telegram POSTs to now. */
  get webhookUrl(): string | null {
    return this.server ? webhookUrlOf(this.server) : null;
  }

  private static async launch(
    config: Config,
    logger: Logger,
    options: TelegramDriverOptions,
    self: () => TelegramTestBot,
  ): Promise<Launched> {
    const app = await createChatApp(config, logger, {
      snapshot: options.snapshot ?? false,
      statusIntervalMs: options.statusIntervalMs ?? 50,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.provider ? { provider: options.provider } : {}),
    });
    // Count every event the conversation finished handling, per athlete (failures too).
    const conversation = {
      handle: async (thread: ChatThread, incoming: Incoming) => {
        try {
          await app.conversation.handle(thread, incoming);
        } finally {
          self().countHandled(thread.athleteKey);
        }
      },
    };
    if (!config.telegram.webhook) {
      const telegram = await startTelegram(config, logger, { conversation, directories: app.directories });
      return { app, telegram, server: null };
    }
    // The operations server as bots/main.ts starts it, on a free port; the webhook URL points at it.
    const routes = new HttpRoutes();
    const server = await startOperationsServer(0, app.metrics, () => app.health(), routes.handle);
    const webhook = { ...config.telegram.webhook, url: webhookUrlOf(server) };
    const telegram = await startTelegram(
      { ...config, telegram: { ...config.telegram, webhook } },
      logger,
      { conversation, directories: app.directories, store: app.store },
      { routes, ...(options.webhook?.tuning ? { webhook: options.webhook.tuning } : {}) },
    ).catch(async (error: unknown) => {
      await closeServer(server);
      throw error;
    });
    return { app, telegram, server };
  }

  private readonly waiters = new Set<() => void>();

  private countHandled(athleteKey: string): void {
    this.handled.set(athleteKey, (this.handled.get(athleteKey) ?? 0) + 1);
    for (const wake of this.waiters) wake();
  }

  /** How many events of this athlete the conversation has handled. */
  handledCount(athleteKey: string): number {
    return this.handled.get(athleteKey) ?? 0;
  }

  /** Waits until the conversation has handled `count` events of this athlete. */
  async waitHandled(athleteKey: string, count: number, describe: () => string): Promise<void> {
    if (this.handledCount(athleteKey) >= count) return;
    const timeoutMs = this.options.handleTimeoutMs ?? 120_000;
    // Woken the moment the conversation is done (no polling delay: the next event goes out at once).
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        if (this.handledCount(athleteKey) < count) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for the bot to handle event ${count} of ${athleteKey}; the bot said:\n${describe()}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** A deploy: the bot and the app stop, new ones start on the same database and the same fake. */
  async restart(): Promise<void> {
    await this.stopBot();
    const { app, telegram, server } = await TelegramTestBot.launch(this.config, this.logger, this.options, () => this);
    this.app = app;
    this.telegram = telegram;
    this.server = server;
  }

  /** As bots/main.ts stops: the HTTP server, then the bot, then the app. */
  private async stopBot(): Promise<void> {
    if (this.server) await closeServer(this.server);
    await this.telegram.stop();
    await this.app.close();
  }

  async close(): Promise<void> {
    await this.stopBot();
    await this.fake.close();
  }
}

function webhookUrlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const shared = new Map<string, { bot: Promise<TelegramTestBot>; users: number }>();

/** The bot for a database, started on first use. */
export function telegramTestBot(dbPath: string, options: TelegramDriverOptions = {}): Promise<TelegramTestBot> {
  let entry = shared.get(dbPath);
  if (!entry) {
    entry = { bot: TelegramTestBot.start(dbPath, options), users: 0 };
    shared.set(dbPath, entry);
  }
  return entry.bot;
}

export interface TelegramChatDriver extends ChatDriver {
  readonly userId: number;
  readonly chatId: number;
  readonly bot: TelegramTestBot;
}

/** Albums hold at most 10 files: more are sent as several albums (a single file as a plain document). */
const ALBUM_LIMIT = 10;

export interface TelegramDriverFactory extends DriverFactory {
  create(options: { dbPath: string; athleteNumber: number }): Promise<TelegramChatDriver>;
}

export function createTelegramDriverFactory(options: TelegramDriverOptions = {}, name = 'telegram'): TelegramDriverFactory {
  return {
    name,
    async create({ dbPath, athleteNumber }): Promise<TelegramChatDriver> {
      const bot = await telegramTestBot(dbPath, options);
      shared.get(dbPath)!.users += 1;
      const fake = bot.fake;
      const userId = 700_000 + athleteNumber;
      const chatId = userId;
      const athleteKey = `telegram:${userId}`;
      const firstName = `Rider ${athleteNumber}`;
      let expected = bot.handledCount(athleteKey);
      const messages = (): BotMessage[] =>
        fake
          .messages(chatId)
          .map((m) => ({ id: String(m.messageId), text: m.text, buttons: m.buttons.map((row) => row.map((b) => b.text)), edits: m.edits }));
      const describe = () =>
        messages()
          .map((m) => m.text)
          .join('\n---\n');
      const handled = (events: number) => {
        expected += events;
        return bot.waitHandled(athleteKey, expected, describe);
      };
      let closed = false;
      const driver: TelegramChatDriver = {
        athleteKey,
        userId,
        chatId,
        bot,
        async send(text) {
          fake.userSendsText(userId, text, 'private', { firstName });
          await handled(1);
        },
        async sendFiles(files) {
          let events = 0;
          for (let i = 0; i < files.length; i += ALBUM_LIMIT) {
            const group = files.slice(i, i + ALBUM_LIMIT);
            if (group.length === 1) fake.userSendsDocument(userId, group[0]!.fileName, group[0]!.content, { firstName });
            else fake.userSendsAlbum(userId, group, { firstName });
            events += 1;
          }
          await handled(events);
        },
        async sendMedia(kind) {
          fake.userSendsMedia(userId, kind, { firstName });
          await handled(1);
        },
        async press(label) {
          const message = [...fake.messages(chatId)].reverse().find((m) => m.buttons.some((row) => row.some((b) => b.text === label)));
          if (!message) throw new Error(`no button "${label}"; the bot said:\n${describe()}`);
          fake.userPresses(userId, message.messageId, message.buttons.flat().find((b) => b.text === label)!.data);
          await handled(1);
        },
        messages,
        files: (): BotFile[] => fake.files(chatId).map((f) => ({ fileName: f.fileName, content: f.bytes, kind: f.kind })),
        waitFor: (check, timeoutMs = 30_000, what = 'the bot') => pollUntil(check, timeoutMs, what, describe),
        restart: () => bot.restart(),
        async close() {
          if (closed) return;
          closed = true;
          const entry = shared.get(dbPath);
          if (!entry) return;
          entry.users -= 1;
          if (entry.users <= 0) {
            shared.delete(dbPath);
            await bot.close();
          }
        },
      };
      return driver;
    },
  };
}

/** The contract suite's Telegram platform: the offline coach with a model's latency (100 ms a call). */
export const telegramDriverFactory = createTelegramDriverFactory({ provider: offlineCoachWithLatency(100) });
