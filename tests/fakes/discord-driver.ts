/**
 * The contract driver for Discord: the real bot (createChatApp + startDiscord, discord.js on the
 * gateway) against the fake Discord. The athlete uses slash commands in the bot's DM, writes free
 * text as DM messages, sends files with /upload and presses buttons; what they see is read back
 * from the fake, markdown rendered away.
 */
import { offlineCoachWithLatency } from './scripted-provider.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DISCORD_COMMANDS, MAX_UPLOAD_ATTACHMENTS, UPLOAD_OPTION_NAMES } from '../../bots/discord/commands.js';
import { startDiscord, type DiscordBot, type DiscordBotOptions } from '../../bots/discord/main.js';
import { registerCommands } from '../../bots/discord/register.js';
import { createChatApp, type ChatApp, type ChatAppOptions } from '../../src/app/chat-app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { pollUntil, type BotFile, type BotMessage, type ChatDriver, type DriverFactory } from '../contract/driver.js';
import { FakeDiscord, renderedText, type FakeMessage, type SlashOptions } from './fake-discord.js';

/** Tracks which incoming events the bot has finished handling. */
export class Settled {
  private readonly done = new Map<string, boolean>();
  private readonly waiters = new Map<string, (ok: boolean) => void>();

  mark(id: string, ok: boolean): void {
    this.done.set(id, ok);
    this.waiters.get(id)?.(ok);
    this.waiters.delete(id);
  }

  wait(id: string, timeoutMs = 30_000): Promise<boolean> {
    const known = this.done.get(id);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new Error(`the bot did not finish handling ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(id, (ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
  }
}

/** A running Discord bot on a fake Discord, on one database. */
export interface DiscordHarness {
  fake: FakeDiscord;
  app: ChatApp;
  bot: DiscordBot;
  config: Config;
  logger: Logger;
  settled: Settled;
  /** Stops the bot and the app and starts both again on the same database and fake. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  dbPath: string;
  fake?: FakeDiscord;
  app?: ChatAppOptions;
  bot?: Omit<DiscordBotOptions, 'onSettled'>;
  logger?: Logger;
  /** Extra environment for loadConfig. */
  env?: Record<string, string>;
  /** Register the commands (globally) before the bot starts, so the fake types options like Discord. Default true. */
  register?: boolean;
}

export async function startHarness(options: HarnessOptions): Promise<DiscordHarness> {
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const fake = options.fake ?? (await FakeDiscord.start());
  const config = loadConfig({
    DATABASE_PATH: options.dbPath,
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_BASE: fake.baseUrl,
    ...options.env,
  });
  const logger = options.logger ?? createLogger('silent');
  if (options.register !== false) await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.baseUrl });
  const settled = new Settled();
  const start = async () => {
    const app = await createChatApp(config, logger, { snapshot: false, statusIntervalMs: 50, ...options.app });
    try {
      const bot = await startDiscord(config, logger, app, { ...options.bot, onSettled: (e) => settled.mark(e.id, e.ok) });
      return { app, bot };
    } catch (error) {
      await app.close();
      throw error;
    }
  };
  const harness: DiscordHarness = {
    fake,
    config,
    logger,
    settled,
    ...(await start()),
    async restart() {
      await harness.bot.stop();
      await harness.app.close();
      Object.assign(harness, await start());
    },
    async close() {
      await harness.bot.stop();
      await harness.app.close();
      if (!options.fake) await fake.close();
    },
  };
  return harness;
}

const SLASH_NAMES = new Set(DISCORD_COMMANDS.map((c) => c.name));

/** `/plan`, `/plan next`, `/plan history`, `/plan week 3` as the slash command's options. */
function planSlash(args: string): { name: string; spec: SlashOptions } | null {
  if (args === '') return { name: 'plan', spec: {} };
  if (/^(next|history)$/i.test(args)) return { name: 'plan', spec: { options: { view: args.toLowerCase() } } };
  const week = /^week\s*(\d{1,2})$/i.exec(args);
  return week ? { name: 'plan', spec: { options: { week: Number(week[1]) } } } : null;
}

/** `/event add 2027-06-14 A Marmotte`, `/event list`, `/event remove 2` as the slash command's subcommands. */
function eventSlash(args: string): { name: string; spec: SlashOptions } | null {
  const add = /^add\s+(\d{4}-\d{2}-\d{2})\s+([ABC])\s+(.+)$/i.exec(args);
  if (add)
    return { name: 'event', spec: { subcommand: 'add', options: { date: add[1]!, priority: add[2]!.toUpperCase(), name: add[3]! } } };
  if (/^list$/i.test(args) || args === '') return { name: 'event', spec: { subcommand: 'list' } };
  const remove = /^remove\s+(.+)$/i.exec(args);
  return remove ? { name: 'event', spec: { subcommand: 'remove', options: { event: remove[1]! } } } : null;
}

/** `/checkin`, `/checkin on|off`, `/checkin day monday`, `/checkin time 08:00` as the slash command's options. */
function checkinSlash(args: string): { name: string; spec: SlashOptions } | null {
  if (args === '') return { name: 'checkin', spec: {} };
  if (/^(on|off)$/i.test(args)) return { name: 'checkin', spec: { options: { state: args.toLowerCase() } } };
  const day = /^day\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i.exec(args);
  if (day) return { name: 'checkin', spec: { options: { day: day[1]!.toLowerCase() } } };
  const time = /^time\s+(\d{1,2}:\d{2})$/i.exec(args);
  return time ? { name: 'checkin', spec: { options: { time: time[1]! } } } : null;
}

/** How a typed command is used on Discord: as a slash command where one fits, else as DM text. */
export function slashFor(text: string): { name: string; spec: SlashOptions } | null {
  const m = /^\/(\w+)\s*(.*)$/s.exec(text.trim());
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  const args = m[2]!.trim();
  if (!SLASH_NAMES.has(name)) return null;
  if (name === 'profile') {
    if (args === '') return { name, spec: { subcommand: 'show' } };
    if (/^history$/i.test(args)) return { name, spec: { subcommand: 'history' } };
    return null;
  }
  if (name === 'plan') return planSlash(args);
  if (name === 'event') return eventSlash(args);
  if (name === 'checkin') return checkinSlash(args);
  if (name === 'link' && args !== '') return { name, spec: { options: { code: args } } };
  if (name === 'connect' || name === 'disconnect') return serviceSlash(name, args);
  if (name === 'delete' && args !== '') return { name, spec: { options: { id: args } } };
  if (name === 'activities' && /^\d+$/.test(args)) return { name, spec: { options: { count: Number(args) } } };
  if (args !== '') return null;
  return { name, spec: {} };
}

/** `/connect intervals|strava [push on|off] [months N]` and `/disconnect intervals|strava` as Discord's options. */
function serviceSlash(name: string, args: string): { name: string; spec: SlashOptions } | null {
  const m = /^(intervals|strava)(?:\s+push\s+(on|off))?(?:\s+months\s+(\d+))?$/i.exec(args);
  if (!m) return null;
  const options: Record<string, string | number> = { service: m[1]!.toLowerCase() };
  if (m[2]) options.calendar_push = m[2].toLowerCase();
  if (m[3]) options.months = Number(m[3]);
  return { name, spec: { options } };
}

/** Bot messages as the contract sees them: text shown (markdown rendered), button labels, edits. */
export function botMessages(fake: FakeDiscord, userId: string): BotMessage[] {
  return fake
    .messagesFor(userId)
    .map((m) => ({
      id: m.id,
      text: renderedText(m.content).trim(),
      buttons: m.components.map((r) => r.components.map((c) => c.label ?? '')),
      edits: m.edits,
    }))
    .filter((m) => m.text !== '');
}

export function botFiles(fake: FakeDiscord, userId: string): BotFile[] {
  return fake.filesFor(userId).map((f) => ({
    fileName: f.fileName,
    content: f.content,
    kind: f.contentType.startsWith('image/') || /\.(png|jpe?g)$/i.test(f.fileName) ? 'photo' : 'document',
  }));
}

/** The first bytes of a JPEG: enough for a photo attachment the bot never needs to decode. */
const JPEG_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

/** A stable Discord user id for athlete number `n`. */
export const athleteUserId = (n: number) => (BigInt('300000000000000000') + BigInt(n)).toString();

/** What the contract's model takes per call (see offlineCoachWithLatency). */
export const MODEL_LATENCY_MS = 200;

/** Several athletes share one bot (one fake, one app) per database, as on a real server. */
const harnesses = new Map<string, { harness: Promise<DiscordHarness>; users: number }>();

/** The app the Discord drivers on this database share, once started (tests that drive its reminder ticker). */
export async function discordApp(dbPath: string): Promise<ChatApp | null> {
  const entry = harnesses.get(dbPath);
  return entry ? (await entry.harness).app : null;
}

/** Discord drivers whose app gets these options besides the contract's model (e.g. a clock the test moves), and `env` for its configuration. */
export function createDiscordDriverFactory(app: ChatAppOptions = {}, name = 'discord', env: Record<string, string> = {}): DriverFactory {
  return {
    name,
    async create({ dbPath, athleteNumber }): Promise<ChatDriver> {
      let entry = harnesses.get(dbPath);
      if (!entry) {
        entry = { harness: startHarness({ dbPath, env, app: { provider: offlineCoachWithLatency(MODEL_LATENCY_MS), ...app } }), users: 0 };
        harnesses.set(dbPath, entry);
      }
      entry.users += 1;
      const h = await entry.harness;
      const userId = athleteUserId(athleteNumber);
      h.fake.user(userId, `rider${athleteNumber}`, `Rider ${athleteNumber}`);
      const handled = async (id: string) => {
        if (!(await h.settled.wait(id, 60_000)))
          throw new Error(`the bot failed to handle ${id} (not acknowledged in time, or the conversation threw): see the log`);
      };
      const driver: ChatDriver = {
        athleteKey: `discord:${userId}`,
        async send(text) {
          const slash = slashFor(text);
          if (slash) await handled(h.fake.slash(userId, slash.name, slash.spec).id);
          else await handled(h.fake.dm(userId, text));
        },
        async sendFiles(files) {
          for (let i = 0; i < files.length; i += MAX_UPLOAD_ATTACHMENTS) {
            const options = Object.fromEntries(
              files
                .slice(i, i + MAX_UPLOAD_ATTACHMENTS)
                .map((f, j) => [UPLOAD_OPTION_NAMES[j]!, { fileName: f.fileName, content: f.content }]),
            );
            await handled(h.fake.slash(userId, 'upload', { options }).id);
          }
        },
        async sendMedia(kind) {
          // On Discord a photo or a voice note is an attachment; a sticker is neither text nor file.
          if (kind === 'sticker') await handled(h.fake.dm(userId, '', [], { sticker: true }));
          else
            await handled(
              h.fake.dm(userId, '', [
                kind === 'photo'
                  ? { fileName: 'IMG_2041.jpg', content: JPEG_BYTES, contentType: 'image/jpeg' }
                  : { fileName: 'voice-message.ogg', content: new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2]), contentType: 'audio/ogg' },
              ]),
            );
        },
        async press(label) {
          const message = [...h.fake.messagesFor(userId)]
            .reverse()
            .find((m: FakeMessage) => m.components.some((r) => r.components.some((c) => c.label === label)));
          if (!message) throw new Error(`no button "${label}"`);
          const button = message.components.flatMap((r) => r.components).find((c) => c.label === label)!;
          await handled(h.fake.press(userId, message.id, button.custom_id!).id);
        },
        messages: () => botMessages(h.fake, userId),
        files: () => botFiles(h.fake, userId),
        waitFor: (check, timeoutMs = 30_000, what = 'the bot') =>
          pollUntil(check, timeoutMs, what, () =>
            botMessages(h.fake, userId)
              .map((m) => m.text)
              .join('\n---\n'),
          ),
        restart: () => h.restart(),
        async close() {
          const current = harnesses.get(dbPath);
          if (!current) return;
          current.users -= 1;
          if (current.users <= 0) {
            harnesses.delete(dbPath);
            await (await current.harness).close();
          }
        },
      };
      return driver;
    },
  };
}

export const discordDriverFactory: DriverFactory = createDiscordDriverFactory();

export { offlineCoachWithLatency };
