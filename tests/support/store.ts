import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenOptions } from '../../src/store/database.js';
import { Store, type Clock } from '../../src/store/store.js';

/** A store for one test, where it is, and how to remove it. */
export interface TempStore {
  store: Store;
  path: string;
  dir: string;
  cleanup: () => Promise<void>;
}

/** A fresh database file in a temp folder; `cleanup()` removes it. `options`: e.g. `onQuery` to count statements. */
export async function tempStore(clock?: Clock, options: OpenOptions = {}): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'domestique-store-'));
  const path = join(dir, 'test.db');
  const store = await Store.open(path, clock ? { ...options, clock } : options);
  return {
    store,
    path,
    dir,
    cleanup: async () => {
      try {
        await store.close();
      } catch {
        // already closed
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The better-sqlite3 connection under a SQLite store, for tests that reach below drizzle (pragmas, statement hooks). */
export function sqliteOf(store: Store): Database.Database {
  return (store as unknown as { engine: { opened: { sqlite: Database.Database } } }).engine.opened.sqlite;
}
