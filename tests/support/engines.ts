/**
 * Running one test file on both store engines: `describe.each(storeEngines())('… on %s', (engine) => …)`
 * and `await engine.tempStore(clock)` inside, instead of tests/support/store.ts's `tempStore`. The
 * PostgreSQL server is started at the first store asked for (one per test file; each store gets a
 * new database copied from a migrated template) and stopped after the file. Without PostgreSQL on
 * the machine its half says SKIPPED and why (postgres.ts); with DOMESTIQUE_REQUIRE_POSTGRES it fails.
 */
import pg from 'pg';
import { afterAll } from 'vitest';
import type { OpenOptions } from '../../src/store/database.js';
import { Store, type Clock } from '../../src/store/store.js';
import type { DriverFactory } from '../contract/driver.js';
import { createMemoryDriverFactory } from '../fakes/memory-chat.js';
import { postgresAvailable, startPostgres, type TestPostgres } from './postgres.js';
import { tempStore, type TempStore } from './store.js';

/** A store on an engine, with a way to run raw SQL on its database (for tests that age or break rows). */
export interface EngineStore extends TempStore {
  /** Runs one statement on the store's database (`?`-free SQL valid on both engines). */
  exec(statement: string): Promise<void>;
}

export interface EngineUnderTest {
  name: 'SQLite' | 'PostgreSQL';
  /** A new empty store on this engine; `cleanup()` closes and removes it. */
  tempStore(clock?: Clock, options?: OpenOptions): Promise<EngineStore>;
  /** A database location (file path or URL) for code that opens its own store (createChatApp, the CLI). */
  location(): Promise<{ location: string; cleanup: () => Promise<void> }>;
}

let server: Promise<TestPostgres> | null = null;
let registered = false;

function postgres(): Promise<TestPostgres> {
  server ??= startPostgres();
  return server;
}

const sqlite: EngineUnderTest = {
  name: 'SQLite',
  async tempStore(clock, options = {}) {
    const opened = await tempStore(clock, options);
    return { ...opened, exec: async (statement) => void opened.store.db.run(statement) };
  },
  async location() {
    const opened = await tempStore();
    await opened.store.close();
    return { location: opened.path, cleanup: opened.cleanup };
  },
};

const postgresql: EngineUnderTest = {
  name: 'PostgreSQL',
  async tempStore(clock) {
    const url = await (await postgres()).freshDatabase();
    const store = await Store.open(url, clock ? { clock, poolSize: 4 } : { poolSize: 4 });
    return {
      store,
      path: url,
      dir: '',
      exec: async (statement) => {
        const client = new pg.Client(url);
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
      },
      cleanup: async () => {
        await store.close().catch(() => undefined);
      },
    };
  },
  async location() {
    return { location: await (await postgres()).freshDatabase(), cleanup: async () => undefined };
  },
};

/**
 * In-memory chat drivers whose app runs on PostgreSQL: one new database per suite (per `dbPath`),
 * kept across the drivers' restarts. Call at the top level of the test file, after checking
 * `postgresAvailable()`.
 */
export function postgresMemoryDrivers(options: Omit<Parameters<typeof createMemoryDriverFactory>[0], 'database'> = {}): DriverFactory {
  registerStop();
  const databases = new Map<string, Promise<string>>();
  const database = (dbPath: string) => {
    let url = databases.get(dbPath);
    if (!url) databases.set(dbPath, (url = postgres().then((server) => server.freshDatabase())));
    return url;
  };
  return { ...createMemoryDriverFactory({ ...options, database }, 'in-memory on PostgreSQL'), storeLocation: database };
}

function registerStop(): void {
  if (registered) return;
  registered = true;
  afterAll(async () => {
    const running = server;
    server = null;
    if (running) await (await running).stop();
  }, 60_000);
}

/**
 * The engines to run a file on: SQLite always, PostgreSQL when it is installed. Call at the top
 * level of the test file (it registers the server's stop after the file).
 */
export function storeEngines(): EngineUnderTest[] {
  registerStop();
  return postgresAvailable() ? [sqlite, postgresql] : [sqlite];
}
