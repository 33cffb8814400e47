import { offlineCoachWithLatency } from '../fakes/scripted-provider.js';
import { createTelegramDriverFactory, telegramTestBot } from '../fakes/telegram-driver.js';
import { runFirstWeekDialogueContract } from './first-week-dialogue.contract.js';

// The real grammY bot against a fake Bot API on 127.0.0.1 (tests/fakes/fake-telegram.ts), its app on the suite's clock.
runFirstWeekDialogueContract((clock) => ({
  factory: createTelegramDriverFactory({ provider: offlineCoachWithLatency(100), clock }),
  app: async (dbPath) => (await telegramTestBot(dbPath)).app,
}));
