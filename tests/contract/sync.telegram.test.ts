/**
 * The sync contract on the real grammY bot against the fake Bot API: the message holding the
 * intervals.icu key is deleted by the bot (the fake records deleteMessage).
 */
import { vi } from 'vitest';
import { createTelegramDriverFactory, telegramTestBot, type TelegramChatDriver } from '../fakes/telegram-driver.js';
import { runSyncContract } from './sync.contract.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

runSyncContract('telegram', ({ env, clock }) => ({
  factory: createTelegramDriverFactory({ env, clock }),
  app: async (dbPath) => (await telegramTestBot(dbPath)).app,
  deletesKeyMessage: true,
  deleted: (driver) => (driver as TelegramChatDriver).bot.fake.deletedMessages(Number((driver as TelegramChatDriver).chatId)).map(String),
}));
