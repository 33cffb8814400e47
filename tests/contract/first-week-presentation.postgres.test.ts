import { describe, vi } from 'vitest';
import { postgresMemoryDrivers } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { runFirstWeekPresentationContract } from './first-week-presentation.contract.js';

// The in-memory chat on a PostgreSQL store: the same contract as on SQLite (first-week-presentation.memory.test.ts).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });
if (postgresAvailable()) runFirstWeekPresentationContract(postgresMemoryDrivers({ snapshot: true }), { attachmentLimitBytes: null });
else describe.skip('the first-week presentation contract on PostgreSQL (not installed)', () => undefined);
