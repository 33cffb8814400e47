/**
 * The sync contract on the real grammY bot against the fake Bot API: the message holding the
 * intervals.icu key is deleted by the bot (the fake records deleteMessage); the bot logs at debug
 * level, and no key, token or client secret is in the log.
 */
import { Writable } from 'node:stream';
import { vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createTelegramDriverFactory, telegramTestBot, type TelegramChatDriver } from '../fakes/telegram-driver.js';
import { runSyncContract } from './sync.contract.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const lines: string[] = [];
const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));

runSyncContract('telegram', ({ env, clock }) => ({
  factory: createTelegramDriverFactory({ env, clock, logger }),
  logs: () => lines.join(''),
  app: async (dbPath) => (await telegramTestBot(dbPath)).app,
  deletesKeyMessage: true,
  deleted: (driver) => (driver as TelegramChatDriver).bot.fake.deletedMessages(Number((driver as TelegramChatDriver).chatId)).map(String),
}));
