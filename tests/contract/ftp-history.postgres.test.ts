import { describe } from 'vitest';
import { postgresMemoryDrivers } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { runFtpHistoryContract } from './ftp-history.contract.js';

// The in-memory chat on a PostgreSQL store: the same contract as on SQLite (ftp-history.memory.test.ts).
if (postgresAvailable()) runFtpHistoryContract(postgresMemoryDrivers());
else describe.skip('ftp-history contract on PostgreSQL (not installed)', () => undefined);
