/**
 * The operator's side of a PostgreSQL store (the port: Maintenance in ../../ports.ts), mirroring
 * ../../repositories/integrity.ts: start-up repairs (runs left unfinished, metrics stored under an
 * older definition), a checksum of everything athletes own, and checks with row counts. Backups
 * are pg_dump's job, not the store's.
 */
import { createHash } from 'node:crypto';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Maintenance } from '../../ports.js';
import type { Clock, IntegrityReport } from '../../records.js';
import { checkPostgres } from '../check.js';
import type { OpenedPostgres } from '../database.js';
import { postgresDigest, type TableShape } from '../table-digest.js';
import { PG_TABLES } from '../tables.js';
import { interruptUnfinishedRunsPg } from './runs.js';

/**
 * Left out of the checksum, as on SQLite: the quota counters (`usage_events`, which count every
 * attempt, refused ones included, and hold nothing of the athlete) and the webhook's inbox
 * (`chat_updates`, which records every update received).
 */
const NOT_ATHLETE_DATA = new Set<PgTable>([PG_TABLES.usageEvents!, PG_TABLES.chatUpdates!]);

/** What table-digest.ts reads of a table: its columns in schema order, rows in primary-key order. */
function shapeOf(table: PgTable): TableShape {
  const config = getTableConfig(table);
  const columns = config.columns.map((c) => c.name);
  const composite = config.primaryKeys[0]?.columns.map((c) => c.name);
  const single = config.columns.filter((c) => c.primary).map((c) => c.name);
  // A table without a key would be ordered by every column (each has one today).
  const primaryKey = composite ?? (single.length > 0 ? single : columns);
  const textKeys = config.columns.filter((c) => primaryKey.includes(c.name) && c.getSQLType() === 'text').map((c) => c.name);
  return { name: config.name, columns, primaryKey, textKeys };
}

/** The tables the checksum reads, by name (a stable order whatever the schema files' order). */
const CHECKSUMMED: TableShape[] = Object.values(PG_TABLES)
  .filter((table) => !NOT_ATHLETE_DATA.has(table))
  .map(shapeOf)
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** What `backup` says on PostgreSQL. */
export const PG_BACKUP_REFUSED = 'Backups of a PostgreSQL store are made with pg_dump (see the README); `backup` writes SQLite files only.';

/** Maintenance of a PostgreSQL store; `refreshStaleMetrics` is the activities' repair (pg/repositories/activities.ts). */
export class PgMaintenance implements Maintenance {
  constructor(
    private readonly opened: OpenedPostgres,
    private readonly clock: Clock,
    private readonly refreshStaleMetricsOf: () => Promise<number>,
  ) {}

  /** At start-up: runs left queued or running by a previous process become `interrupted`. */
  async interruptUnfinishedRuns(): Promise<{ athleteId: string; runId: string }[]> {
    return interruptUnfinishedRunsPg(this.opened.db, this.clock);
  }

  async refreshStaleMetrics(): Promise<number> {
    return this.refreshStaleMetricsOf();
  }

  /** Refused: an online copy of a PostgreSQL database is pg_dump's (or the server's own backups'). */
  async backup(_path: string): Promise<void> {
    throw new Error(PG_BACKUP_REFUSED);
  }

  /**
   * SHA-256 of every row of every table but the quota counters and the inbox, each table digested
   * as `db:copy` digests it (table-digest.ts), all read in one snapshot: it changes when, and only
   * when, something an athlete owns was written. (Not equal to SQLite's checksum of the same rows.)
   */
  async checksum(): Promise<string> {
    const hash = createHash('sha256');
    const client = await this.opened.pool.connect();
    let failure: Error | undefined;
    try {
      await client.query('begin isolation level repeatable read read only');
      for (const shape of CHECKSUMMED) {
        const digest = await postgresDigest(client, shape);
        hash.update(`\0table ${shape.name}\0${digest.rows}\0${digest.checksum}`);
      }
      await client.query('commit');
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // a connection that failed mid-transaction is dropped, not handed back to the pool
      client.release(failure);
    }
    return hash.digest('hex');
  }

  /** Cheap enough for a health endpoint: `ok` when the server answers, else why not. */
  async quickCheck(): Promise<string> {
    try {
      await this.opened.pool.query('select 1');
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Migrations all applied, foreign keys sound, and row counts of every table (check.ts). */
  async check(): Promise<IntegrityReport> {
    return checkPostgres(this.opened.pool);
  }
}
