/**
 * How the contract suite talks to a bot, from the athlete's side. One implementation per
 * platform (in-memory, Telegram through a fake Bot API, Discord through a fake gateway); the same
 * suite runs against each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface BotMessage {
  /** Platform message id. */
  id: string;
  /** Text as the athlete sees it (after the latest edit), title included. */
  text: string;
  /** Button labels, row by row. */
  buttons: string[][];
  /** How many times the message was edited. */
  edits: number;
}

export interface BotFile {
  fileName: string;
  content: Uint8Array;
  kind: 'photo' | 'document';
}

export interface ChatDriver {
  /** The athlete writes text; a leading "/" makes it a command. */
  send(text: string): Promise<void>;
  /** The athlete sends files (as one message where the platform allows). */
  sendFiles(files: { fileName: string; content: Uint8Array }[]): Promise<void>;
  /**
   * The athlete sends what is no ride file, the way the platform carries it: a photo (Telegram's
   * photo message, a .jpg attachment on Discord), a sticker, or a voice note.
   */
  sendMedia(kind: 'photo' | 'sticker' | 'voice'): Promise<void>;
  /** The athlete presses the button with this label on the newest message that has it. */
  press(label: string): Promise<void>;
  /** Every message the bot sent to this athlete, oldest first. */
  messages(): BotMessage[];
  /** Every file the bot sent to this athlete. */
  files(): BotFile[];
  /** Waits until `check` passes on the bot's output (polls), or fails after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs?: number, what?: string): Promise<T>;
  /** Stops the bot and starts a new one on the same database (a deploy or a crash). */
  restart(): Promise<void>;
  /** The athlete's key (`telegram:<id>`, ...). */
  readonly athleteKey: string;
  close(): Promise<void>;
}

export interface DriverFactory {
  name: string;
  /** A driver for a new athlete on a shared bot, with its own database folder per suite. */
  create(options: { dbPath: string; athleteNumber: number }): Promise<ChatDriver>;
  /** Where the bot keeps a suite's data when it is not the SQLite file `dbPath` (a PostgreSQL URL). */
  storeLocation?(dbPath: string): Promise<string>;
}

export async function pollUntil<T>(
  check: () => T | undefined | false | null,
  timeoutMs: number,
  what: string,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the bot said:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * One suite's athletes on one bot: a temp folder for its database (made before the suite, removed
 * after it, with every driver closed), `athlete()` for the next new athlete and `dbPath()` for the
 * database. `firstNumber` keeps athlete numbers (platform user ids) apart between suites.
 */
export function suiteAthletes(
  factory: DriverFactory,
  label: string,
  firstNumber = 0,
): { athlete: () => Promise<ChatDriver>; dbPath: () => string } {
  let dir = '';
  let n = firstNumber;
  const drivers: ChatDriver[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `domestique-${label}-${factory.name}-`));
  });
  afterAll(async () => {
    for (const d of drivers) await d.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const dbPath = () => join(dir, 'bot.db');
  return {
    dbPath,
    athlete: async () => {
      const d = await factory.create({ dbPath: dbPath(), athleteNumber: ++n });
      drivers.push(d);
      return d;
    },
  };
}
