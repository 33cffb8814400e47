import { telegramDriverFactory } from '../fakes/telegram-driver.js';
import { runFirstWeekContract } from './first-week-uploads.contract.js';

// The real grammY bot against a fake Bot API on 127.0.0.1 (tests/fakes/fake-telegram.ts).
runFirstWeekContract(telegramDriverFactory);
