/**
 * `db:copy`: a club's SQLite file into a PostgreSQL database, without loss. The file is opened
 * read-only; the target gets its migrations, then every table's rows, parents first, in batches
 * inside one transaction (a failure leaves the target as empty as it was). Then each table is
 * read back from both engines and compared: row count and checksum (table-digest.ts).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type pg from 'pg';
import { MIGRATIONS_FOLDER } from '../database.js';
import { openPostgres } from './database.js';
import { postgresDigest, sqliteDigest, type TableShape } from './table-digest.js';
import { tablesInForeignKeyOrder } from './tables.js';
import { maskUrl, withoutPassword } from './url.js';

/** One table compared after the copy. */
export interface CopiedTable {
  name: string;
  /** Rows in the SQLite file. */
  rows: number;
  /** Rows read back from PostgreSQL (equal to `rows` when ok). */
  postgresRows: number;
  sqliteChecksum: string;
  postgresChecksum: string;
  ok: boolean;
}

/** What `db:copy` did; `to` has its password masked. */
export interface CopyReport {
  from: string;
  to: string;
  tables: CopiedTable[];
  ok: boolean;
}

/** The copy would not start: the words say why and what to do (nothing was written). */
export class CopyRefusedError extends Error {
  override name = 'CopyRefusedError';
}

export interface CopyOptions {
  /** Empty the target first (inside the copy's transaction) instead of refusing one that holds data. */
  replace?: boolean;
  /** Rows per INSERT at most (tests make it small to cross batch boundaries). */
  batchRows?: number;
}

/** Bytes of values per INSERT at most: rides' streams are large, a statement need not be. */
const BATCH_BYTES = 8 * 1024 * 1024;
/** PostgreSQL's limit on the parameters of one statement. */
const MAX_PARAMETERS = 65_535;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Copies the SQLite file `from` into the PostgreSQL database at `to` and compares both. */
export async function copySqliteToPostgres(from: string, to: string, options: CopyOptions = {}): Promise<CopyReport> {
  if (!existsSync(from)) throw new CopyRefusedError(`There is no SQLite file at ${from}: give the path of the club's database file.`);
  const sqlite = new Database(from, { readonly: true, fileMustExist: true });
  try {
    const shapes = sqliteShapes(sqlite);
    const target = await openPostgres(to, { max: 2 });
    try {
      await checkSameTables(target.pool, shapes);
      await copyRows(target.pool, sqlite, shapes, options);
      const tables = await compare(target.pool, sqlite, shapes);
      return { from, to: maskUrl(to), tables, ok: tables.every((t) => t.ok) };
    } finally {
      await target.close();
    }
  } finally {
    sqlite.close();
  }
}

/** Each SQLite table with its columns and key, parents first; refuses a file whose schema is behind this version. */
function sqliteShapes(sqlite: Database.Database): TableShape[] {
  const journal = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const hasJournal = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  const newest = hasJournal
    ? Number((sqlite.prepare('select max(created_at) as m from __drizzle_migrations').get() as { m: number | null }).m ?? 0)
    : 0;
  if (newest < Math.max(...journal.map((m) => m.folderMillis)))
    throw new CopyRefusedError(
      'The SQLite file was written by an older version of domestique: run `npm run -s cli -- db:check --db <file>` once to bring it up to date, then copy again.',
    );
  const names = (
    sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations'")
      .all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  const order = tablesInForeignKeyOrder();
  const unknown = names.filter((n) => !order.includes(n));
  if (unknown.length > 0) throw new CopyRefusedError(`The SQLite file has tables this version does not know: ${unknown.join(', ')}.`);
  return order
    .filter((name) => names.includes(name))
    .map((name) => {
      const info = sqlite.prepare('select name, type, pk from pragma_table_info(?) order by cid').all(name) as {
        name: string;
        type: string;
        pk: number;
      }[];
      const keys = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      const primaryKey = keys.length > 0 ? keys.map((c) => c.name) : info.map((c) => c.name);
      const textKeys = info.filter((c) => primaryKey.includes(c.name) && /text/i.test(c.type)).map((c) => c.name);
      return { name, columns: info.map((c) => c.name), primaryKey, textKeys };
    });
}

/** The target must have the same tables and columns (it does when both run the same version). */
async function checkSameTables(pool: pg.Pool, shapes: TableShape[]): Promise<void> {
  const { rows } = await pool.query<{ table: string; column: string }>(
    "select table_name as table, column_name as column from information_schema.columns where table_schema = 'public'",
  );
  const columns = new Map<string, Set<string>>();
  for (const r of rows) (columns.get(r.table) ?? columns.set(r.table, new Set()).get(r.table)!).add(r.column);
  for (const shape of shapes) {
    const target = columns.get(shape.name);
    const missing = shape.columns.filter((c) => !target?.has(c));
    if (missing.length > 0)
      throw new CopyRefusedError(`The PostgreSQL table ${shape.name} lacks ${missing.join(', ')}: is it the same version?`);
  }
}

/** Every row in one transaction: parents first, batched INSERTs; refused (or emptied, with replace) when the target holds data. */
async function copyRows(pool: pg.Pool, sqlite: Database.Database, shapes: TableShape[], options: CopyOptions): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const list = shapes.map((s) => quote(s.name)).join(', ');
    const held = await rowsHeld(client, shapes);
    if (held > 0 && !options.replace) {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from athletes');
      throw new CopyRefusedError(
        `The PostgreSQL database already holds data (${Number(rows[0]?.n ?? 0)} athletes, ${held} rows in all): copy into an empty database, or add --replace to delete everything in it first.`,
      );
    }
    if (held > 0) await client.query(`truncate ${list}`);
    for (const shape of shapes) await copyTable(client, sqlite, shape, options.batchRows ?? 1000);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    if (error instanceof CopyRefusedError) throw error;
    const message = withoutPassword(error instanceof Error ? error.message : String(error), pool.options.connectionString ?? '');
    throw new Error(
      `The copy stopped and was undone (the PostgreSQL database is as it was before): ${message}. Check the SQLite file with db:check, then copy again.`,
      { cause: error },
    );
  } finally {
    client.release();
  }
}

async function rowsHeld(client: pg.PoolClient, shapes: TableShape[]): Promise<number> {
  let total = 0;
  for (const shape of shapes) {
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${quote(shape.name)}`);
    total += Number(rows[0]?.n ?? 0);
  }
  return total;
}

async function copyTable(client: pg.PoolClient, sqlite: Database.Database, shape: TableShape, batchRows: number): Promise<void> {
  const columns = shape.columns.map(quote).join(', ');
  const perStatement = Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMETERS / shape.columns.length)));
  let batch: unknown[][] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const width = shape.columns.length;
    const tuples = batch.map((_, r) => `(${shape.columns.map((_c, i) => `$${r * width + i + 1}`).join(', ')})`);
    await client.query(`insert into ${quote(shape.name)} (${columns}) values ${tuples.join(', ')}`, batch.flat());
    batch = [];
    bytes = 0;
  };
  const select = sqlite
    .prepare(`select ${columns} from ${quote(shape.name)}`)
    .raw(true)
    .safeIntegers(true);
  for (const row of select.iterate() as Iterable<unknown[]>) {
    // bigint integers go as their digits (exact); pg sends Buffers as bytea
    batch.push(row.map((v) => (typeof v === 'bigint' ? v.toString() : v)));
    bytes += row.reduce<number>((sum, v) => sum + (v instanceof Uint8Array ? v.byteLength : typeof v === 'string' ? v.length : 8), 0);
    if (batch.length >= perStatement || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
}

/** Reads every table back from both engines (PostgreSQL in one snapshot) and compares. */
async function compare(pool: pg.Pool, sqlite: Database.Database, shapes: TableShape[]): Promise<CopiedTable[]> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const tables: CopiedTable[] = [];
    for (const shape of shapes) {
      const lite = sqliteDigest(sqlite, shape);
      const post = await postgresDigest(client, shape);
      tables.push({
        name: shape.name,
        rows: lite.rows,
        postgresRows: post.rows,
        sqliteChecksum: lite.checksum,
        postgresChecksum: post.checksum,
        ok: lite.rows === post.rows && lite.checksum === post.checksum,
      });
    }
    await client.query('commit');
    return tables;
  } finally {
    client.release();
  }
}
