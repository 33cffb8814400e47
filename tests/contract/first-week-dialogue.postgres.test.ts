import { describe } from 'vitest';
import { memoryApp } from '../fakes/memory-chat.js';
import { postgresMemoryDrivers } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { runFirstWeekDialogueContract } from './first-week-dialogue.contract.js';

// The in-memory chat on a PostgreSQL store: the same contract as on SQLite (first-week-dialogue.memory.test.ts).
if (postgresAvailable())
  runFirstWeekDialogueContract((clock) => ({ factory: postgresMemoryDrivers({ clock }), app: async (dbPath) => memoryApp(dbPath) }));
else describe.skip('the first-week dialogue contract on PostgreSQL (not installed)', () => undefined);
