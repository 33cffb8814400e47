import { describe } from 'vitest';
import { postgresMemoryDrivers } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { runFirstWeekContract } from './first-week-uploads.contract.js';

// The in-memory chat on a PostgreSQL store: the same contract as on SQLite (first-week-uploads.memory.test.ts).
if (postgresAvailable()) runFirstWeekContract(postgresMemoryDrivers());
else describe.skip('first-week-uploads contract on PostgreSQL (not installed)', () => undefined);
