import { telegramDriverFactory } from '../fakes/telegram-driver.js';
import { runFirstWeekLoadContract } from './first-week-load.contract.js';

// The real grammY bot against a fake Bot API on 127.0.0.1 (tests/fakes/fake-telegram.ts).
runFirstWeekLoadContract(telegramDriverFactory);
