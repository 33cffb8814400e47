import { createTelegramDriverFactory, telegramTestBot } from '../fakes/telegram-driver.js';
import { runCoachingLoopContract } from './coaching-loop.contract.js';

// The real grammY bot against a fake Bot API on 127.0.0.1 (tests/fakes/fake-telegram.ts), its app on the suite's clock.
runCoachingLoopContract((clock) => ({
  factory: createTelegramDriverFactory({ clock }),
  app: async (dbPath) => (await telegramTestBot(dbPath)).app,
}));
