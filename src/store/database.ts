/**
 * Opening the embedded database: one SQLite file through better-sqlite3, drizzle on top,
 * migrations from `migrations/` applied at start.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import * as schema from './schema.js';
import { projectPath } from '../project-root.js';

export type Db = BetterSQLite3Database<typeof schema>;

export const MIGRATIONS_FOLDER = projectPath('migrations');

export interface OpenedDatabase {
  db: Db;
  sqlite: Database.Database;
  path: string;
  close(): void;
}

export interface OpenOptions {
  /** Defaults to the project's `migrations/`; tests point it at older states. */
  migrationsFolder?: string;
  /** Milliseconds to wait for a lock held by another connection (default DEFAULT_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /**
   * Called with the SQL of every statement the connection runs (better-sqlite3's `verbose`), for
   * tests that count queries. Leave unset otherwise: each call expands the statement's parameters.
   */
  onQuery?: (sql: string) => void;
}

/**
 * How long a connection waits for another process's write (parallel CLI imports, the bot and the
 * CLI on one file) before SQLITE_BUSY: long enough for a large upload's transaction.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** better-sqlite3's error for a lock it waited for in vain ("database is locked"). */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Opens (creating if needed) the database file and brings its schema up to date. */
export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const timeout = Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
  // The busy timeout from the first statement on: switching a new file to WAL takes a lock too.
  const onQuery = options.onQuery;
  const sqlite = new Database(path, onQuery ? { timeout, verbose: (message) => onQuery(String(message)) } : { timeout });
  // WAL: readers never block the writer; NORMAL is durable across application crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Deleted rows are overwritten, not just unlinked: /forget must leave nothing readable in the file.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma(`busy_timeout = ${timeout}`);
  const db = drizzle({ client: sqlite, schema });
  try {
    applyMigrations(sqlite, options.migrationsFolder ?? MIGRATIONS_FOLDER);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return { db, sqlite, path, close: () => sqlite.close() };
}

const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * drizzle's `migrate()` (same table, same bookkeeping: a migration runs when it is newer than the
 * newest one recorded), except that the check and the migrations happen under one write lock
 * taken up front (BEGIN IMMEDIATE). drizzle reads what is applied before it locks: two processes
 * opening a new (or outdated) file at once would both apply the same migration, and the second
 * fail ("table already exists"). A file already up to date is only read: no lock is taken.
 */
function applyMigrations(sqlite: Database.Database, migrationsFolder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  const newest = () => {
    const exists = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(MIGRATIONS_TABLE);
    if (!exists) return null;
    const row = sqlite.prepare(`select created_at from "${MIGRATIONS_TABLE}" order by created_at desc limit 1`).get() as
      { created_at: number | string } | undefined;
    return row ? Number(row.created_at) : null;
  };
  const pending = (last: number | null) => migrations.filter((m) => last === null || last < m.folderMillis);
  if (pending(newest()).length === 0) return;
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`);
    for (const migration of pending(newest())) {
      for (const statement of migration.sql) sqlite.prepare(statement).run();
      record.run(migration.hash, migration.folderMillis);
    }
    sqlite.exec('COMMIT');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}
