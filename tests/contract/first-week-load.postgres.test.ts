import { describe } from 'vitest';
import { postgresMemoryDrivers } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { runFirstWeekLoadContract } from './first-week-load.contract.js';

// The in-memory chat on a PostgreSQL store: the same contract as on SQLite (first-week-load.memory.test.ts).
if (postgresAvailable()) runFirstWeekLoadContract(postgresMemoryDrivers());
else describe.skip('first-week-load contract on PostgreSQL (not installed)', () => undefined);
