/**
 * Opening the embedded database: one SQLite file through better-sqlite3, drizzle on top,
 * migrations from `migrations/` applied at start.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface OpenedDatabase {
  db: Db;
  sqlite: Database.Database;
  path: string;
  close(): void;
}

export interface OpenOptions {
  /** Defaults to the project's `migrations/`; tests point it at older states. */
  migrationsFolder?: string;
  /** Milliseconds to wait for a lock held by another connection. */
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) the database file and brings its schema up to date. */
export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  // WAL: readers never block the writer; NORMAL is durable across application crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Deleted rows are overwritten, not just unlinked: /forget must leave nothing readable in the file.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  const db = drizzle({ client: sqlite, schema });
  migrate(db, { migrationsFolder: options.migrationsFolder ?? MIGRATIONS_FOLDER });
  return { db, sqlite, path, close: () => sqlite.close() };
}
