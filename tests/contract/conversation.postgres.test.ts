import { describe } from 'vitest';
import { postgresMemoryDrivers } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { runConversationContract } from './conversation.contract.js';

// The in-memory chat on a PostgreSQL store: the same contract as on SQLite (memory.contract.test.ts).
if (postgresAvailable()) runConversationContract(postgresMemoryDrivers());
else describe.skip('the conversation contract on PostgreSQL (not installed)', () => undefined);
