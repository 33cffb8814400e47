/**
 * Opening a PostgreSQL database: a `pg` pool, drizzle on top, the migrations of `migrations/pg/`
 * applied at start under an advisory lock (several processes starting at once on one database
 * apply each migration once).
 */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { projectPath } from '../../project-root.js';
import * as coaching from './coaching-schema.js';
import * as inbox from './inbox-schema.js';
import * as core from './schema.js';
import * as sync from './sync-schema.js';

const schema = { ...core, ...coaching, ...sync, ...inbox };
export type PgDb = NodePgDatabase<typeof schema>;

/** Found from the project root, so the same path works from src/ under tsx and from dist/ once built. */
export const PG_MIGRATIONS_FOLDER = projectPath('migrations', 'pg');

/** Where drizzle's migrator records what it applied (its defaults). */
export const PG_MIGRATIONS_TABLE = 'drizzle.__drizzle_migrations';

/** Any number that is ours: the key of the advisory lock held while migrating. */
const MIGRATION_LOCK = 2_104_202_601;

export interface OpenedPostgres {
  db: PgDb;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** Connections in the pool (pg's default: 10). */
  max?: number;
  /** false: open without applying migrations (`db:check` reports what is missing instead). Default true. */
  migrate?: boolean;
  /** Defaults to the project's `migrations/pg/`. */
  migrationsFolder?: string;
}

/** Connects to `url` and brings its schema up to date. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<OpenedPostgres> {
  const pool = new pg.Pool({ connectionString: url, ...(options.max ? { max: options.max } : {}) });
  // An idle connection the server dropped (a restart) is discarded by the pool and the next query
  // reconnects; without a listener its error would end the process.
  pool.on('error', () => undefined);
  const close = () => pool.end();
  try {
    if (options.migrate !== false) await applyMigrations(pool, options.migrationsFolder ?? PG_MIGRATIONS_FOLDER);
  } catch (error) {
    await close();
    throw error;
  }
  return { db: drizzle({ client: pool, schema }), pool, close };
}

/** drizzle's migrator on one connection that holds the advisory lock until it is done. */
async function applyMigrations(pool: pg.Pool, migrationsFolder: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
