import { createMemoryDriverFactory, memoryApp } from '../fakes/memory-chat.js';
import { runFirstWeekDialogueContract } from './first-week-dialogue.contract.js';

runFirstWeekDialogueContract((clock) => ({ factory: createMemoryDriverFactory({ clock }), app: async (dbPath) => memoryApp(dbPath) }));
