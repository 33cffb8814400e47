import { describe } from 'vitest';
import { memoryApp } from '../fakes/memory-chat.js';
import { postgresMemoryDrivers } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { runCoachingLoopContract } from './coaching-loop.contract.js';

// The in-memory chat on a PostgreSQL store: the same contract as on SQLite (coaching-loop.memory.test.ts).
if (postgresAvailable())
  runCoachingLoopContract((clock) => ({ factory: postgresMemoryDrivers({ clock }), app: async (dbPath) => memoryApp(dbPath) }));
else describe.skip('the coaching-loop contract on PostgreSQL (not installed)', () => undefined);
