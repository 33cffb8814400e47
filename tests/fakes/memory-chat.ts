/**
 * The in-memory chat platform: a ChatThread that records what the bot says, and a driver that
 * plays the athlete straight into the Conversation. The contract suite's reference platform.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createChatApp, type ChatApp, type ChatAppOptions } from '../../src/app/chat-app.js';
import { loadConfig } from '../../src/config.js';
import type { ChatThread, Incoming, MessageRef, OutgoingFile, Reply } from '../../src/conversation/port.js';
import { createLogger } from '../../src/logger.js';
import { pollUntil, type BotFile, type BotMessage, type ChatDriver, type DriverFactory } from '../contract/driver.js';

class MemoryThread implements ChatThread {
  readonly isPrivate = true;
  readonly maxDownloadBytes = 20 * 1024 * 1024;
  private next = 1;
  constructor(
    readonly athleteKey: string,
    readonly displayName: string,
    private readonly out: { messages: (BotMessage & { actions: string[][] })[]; files: BotFile[] },
  ) {}
  private render(reply: Reply) {
    return {
      text: reply.title ? `${reply.title}\n${reply.text}` : reply.text,
      buttons: (reply.buttons ?? []).map((r) => r.map((b) => b.label)),
      actions: (reply.buttons ?? []).map((r) => r.map((b) => b.action)),
    };
  }
  async post(reply: Reply): Promise<MessageRef> {
    const id = String(this.next++);
    this.out.messages.push({ id, edits: 0, ...this.render(reply) });
    return { id };
  }
  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    const m = this.out.messages.find((x) => x.id === ref.id);
    if (!m) throw new Error(`no message ${ref.id}`);
    Object.assign(m, this.render(reply), { edits: m.edits + 1 });
  }
  async sendFiles(files: OutgoingFile[], caption?: string): Promise<void> {
    if (caption) await this.post({ text: caption });
    for (const f of files) this.out.files.push({ fileName: f.fileName, content: f.content, kind: f.kind });
  }
}

/**
 * Several athletes share one app, as on a real bot; each driver is one athlete. The entry holds the
 * app's promise, set before it is awaited, so two drivers starting together share one app.
 */
const apps = new Map<string, { app: Promise<ChatApp>; ready: ChatApp | null; users: number }>();
/** Each athlete's current thread, by database and key: the app's directory (a /link told to the issuing chat). */
const threads = new Map<string, () => ChatThread>();

/** The app the in-memory drivers on this database share (tests that drive its ticker), if one runs. */
export const memoryApp = (dbPath: string): ChatApp | null => apps.get(dbPath)?.ready ?? null;

/** Where the app of a suite's database keeps its data: a PostgreSQL URL for that suite, or none (the SQLite file itself). */
export type DatabaseLocator = (dbPath: string) => Promise<string>;

/** The store's configuration for a suite's database: the SQLite file, or the URL the locator gives. */
async function storeEnv(dbPath: string, locate?: DatabaseLocator): Promise<Record<string, string>> {
  return locate ? { DATABASE_PATH: dbPath, DATABASE_URL: await locate(dbPath) } : { DATABASE_PATH: dbPath };
}

async function appFor(dbPath: string, options: MemoryAppOptions = {}): Promise<ChatApp> {
  let entry = apps.get(dbPath);
  if (!entry) {
    mkdirSync(dirname(dbPath), { recursive: true });
    const { database, ...appOptions } = options;
    const created: { app: Promise<ChatApp>; ready: ChatApp | null; users: number } = {
      app: storeEnv(dbPath, database)
        .then((env) =>
          createChatApp(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent'), {
            snapshot: false,
            statusIntervalMs: 50,
            ...appOptions,
          }),
        )
        .then(
          (app) => {
            app.directories.add({ open: (key) => threads.get(`${dbPath}|${key}`)?.() ?? null });
            created.ready = app;
            return app;
          },
          (error: unknown) => {
            if (apps.get(dbPath) === created) apps.delete(dbPath);
            throw error;
          },
        ),
      ready: null,
      users: 0,
    };
    entry = created;
    apps.set(dbPath, entry);
  }
  entry.users += 1;
  return entry.app;
}

/** How the in-memory drivers' app runs: its clock and pictures, and with `database` on PostgreSQL. */
type MemoryAppOptions = Pick<ChatAppOptions, 'clock' | 'snapshot'> & { database?: DatabaseLocator };

/**
 * In-memory drivers whose app runs on `options.clock` (tests that move time), with pictures when
 * `options.snapshot`, on the database `options.database` gives for the suite (default: its SQLite file).
 */
export function createMemoryDriverFactory(options: MemoryAppOptions = {}, name = 'in-memory'): DriverFactory {
  return { name, create: (o) => createMemoryDriver(o, options) };
}

export const memoryDriverFactory: DriverFactory = createMemoryDriverFactory();

async function createMemoryDriver(
  { dbPath, athleteNumber }: { dbPath: string; athleteNumber: number },
  options: MemoryAppOptions,
): Promise<ChatDriver> {
  const out = { messages: [] as (BotMessage & { actions: string[][] })[], files: [] as BotFile[] };
  const key = `memory:${athleteNumber}`;
  let app = await appFor(dbPath, options);
  const thread = () => new MemoryThread(key, `Rider ${athleteNumber}`, out);
  let current = thread();
  threads.set(`${dbPath}|${key}`, () => current);
  const handle = (incoming: Incoming) => app.conversation.handle(current, incoming);
  const driver: ChatDriver = {
    athleteKey: key,
    async send(text) {
      const command = /^\/(\w+)(?:@\w+)?\s*(.*)$/s.exec(text);
      await handle(command ? { kind: 'command', name: command[1]!.toLowerCase(), args: command[2] ?? '' } : { kind: 'text', text });
    },
    async sendFiles(files) {
      await handle({
        kind: 'files',
        attachments: files.map((f) => ({ fileName: f.fileName, sizeBytes: f.content.length, download: async () => f.content })),
      });
    },
    async sendMedia(kind) {
      // What an adapter makes of a message without a file it reads.
      await handle({ kind: 'unreadable', what: kind === 'photo' ? 'a photo' : kind === 'sticker' ? 'a sticker' : 'a voice message' });
    },
    async press(label) {
      const message = [...out.messages].reverse().find((m) => m.buttons.some((row) => row.includes(label)));
      if (!message) throw new Error(`no button "${label}"`);
      const row = message.buttons.findIndex((r) => r.includes(label));
      await handle({ kind: 'action', action: message.actions[row]![message.buttons[row]!.indexOf(label)]! });
    },
    messages: () => out.messages.map(({ actions: _a, ...m }) => m),
    files: () => out.files,
    waitFor: (check, timeoutMs = 30_000, what = 'the bot') =>
      pollUntil(check, timeoutMs, what, () => out.messages.map((m) => m.text).join('\n---\n')),
    async restart() {
      const entry = apps.get(dbPath)!;
      await (await entry.app).close();
      apps.delete(dbPath);
      app = await appFor(dbPath, options);
      current = thread();
    },
    async close() {
      const entry = apps.get(dbPath);
      if (!entry) return;
      entry.users -= 1;
      if (entry.users <= 0) {
        await (await entry.app).close();
        apps.delete(dbPath);
      }
    },
  };
  return driver;
}
