import { telegramDriverFactory } from '../fakes/telegram-driver.js';
import { runFtpHistoryContract } from './ftp-history.contract.js';

// The real grammY bot against a fake Bot API on 127.0.0.1 (tests/fakes/fake-telegram.ts).
runFtpHistoryContract(telegramDriverFactory);
