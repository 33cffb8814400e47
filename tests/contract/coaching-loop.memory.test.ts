import { createMemoryDriverFactory, memoryApp } from '../fakes/memory-chat.js';
import { runCoachingLoopContract } from './coaching-loop.contract.js';

runCoachingLoopContract((clock) => ({ factory: createMemoryDriverFactory({ clock }), app: async (dbPath) => memoryApp(dbPath) }));
