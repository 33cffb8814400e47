import { memoryDriverFactory } from '../fakes/memory-chat.js';
import { runConversationContract } from './conversation.contract.js';

runConversationContract(memoryDriverFactory);
