import { telegramDriverFactory } from '../fakes/telegram-driver.js';
import { runConversationContract } from './conversation.contract.js';

// The real grammY bot against a fake Bot API on 127.0.0.1 (tests/fakes/fake-telegram.ts).
runConversationContract(telegramDriverFactory);
