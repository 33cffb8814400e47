/**
 * The contract suite's Telegram platform: the real bot (createChatApp + the grammY adapter,
 * started through bots/telegram/main.ts) polling a fake Bot API on 127.0.0.1, and a driver that
 * plays the athlete through the fake. Drivers on the same database share one fake, app and bot,
 * as athletes share one real bot; each driver is one Telegram user.
 *
 * A driver's `send`, `sendFiles` and `press` return once the bot has handled the update (the
 * conversation is wrapped to count what it handled per athlete), so a test reads the answer right
 * after, exactly as with the in-memory platform.
 */
import { offlineCoachWithLatency } from './scripted-provider.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TelegramBot } from '../../bots/telegram/telegram-adapter.js';
import { startTelegram } from '../../bots/telegram/main.js';
import { createChatApp, type ChatApp, type ChatAppOptions } from '../../src/app/chat-app.js';
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
  ) {}

  static async start(dbPath: string, options: TelegramDriverOptions = {}): Promise<TelegramTestBot> {
    mkdirSync(dirname(dbPath), { recursive: true });
    const fake = await startFakeTelegram(options.fake);
    const config = loadConfig({
      DATABASE_PATH: dbPath,
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      ...options.env,
    });
    const logger = options.logger ?? createLogger('silent');
    const holder: { bot?: TelegramTestBot } = {};
    const { app, telegram } = await TelegramTestBot.launch(config, logger, options, () => holder.bot!);
    holder.bot = new TelegramTestBot(fake, config, logger, options, app, telegram);
    return holder.bot;
  }

  private static async launch(
    config: Config,
    logger: Logger,
    options: TelegramDriverOptions,
    self: () => TelegramTestBot,
  ): Promise<{ app: ChatApp; telegram: TelegramBot }> {
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
    const telegram = await startTelegram(config, logger, { conversation, directories: app.directories });
    return { app, telegram };
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
    await this.telegram.stop();
    await this.app.close();
    const { app, telegram } = await TelegramTestBot.launch(this.config, this.logger, this.options, () => this);
    this.app = app;
    this.telegram = telegram;
  }

  async close(): Promise<void> {
    await this.telegram.stop();
    await this.app.close();
    await this.fake.close();
  }
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
