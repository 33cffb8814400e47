/**
 * One table's rows and checksum as read back from each engine, for `db:copy`'s comparison: every
 * row in primary-key order (byte order for text on both engines: SQLite's BINARY collation,
 * PostgreSQL's "C"), each value serialized with its JavaScript type and hashed with SHA-256. It is
 * computed here in Node from what each driver returns, not by either database, so a value that
 * changed type on the way (a number become text, bytes become a string) changes the checksum.
 */
import { createHash, type Hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import pg from 'pg';

/** A table's row count and SHA-256 (hex) of its rows. */
export interface TableDigest {
  rows: number;
  checksum: string;
}

/** What to read: the table, its columns (in one order for both engines) and its primary key. */
export interface TableShape {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** The primary-key columns that hold text (sorted with COLLATE "C" on PostgreSQL). */
  textKeys: string[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Feeds one value into the hash: a type tag, then the value (length-prefixed for text and bytes). */
function feed(hash: Hash, value: unknown): void {
  if (value === null || value === undefined) hash.update('N;');
  // integers are bigint from SQLite (safe integers) and from PostgreSQL's bigint, number otherwise: one tag
  else if (typeof value === 'number' || typeof value === 'bigint') hash.update(`n${String(value)};`);
  else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    hash.update(`s${bytes.length}:`);
    hash.update(bytes);
  } else if (value instanceof Uint8Array) {
    hash.update(`b${value.byteLength}:`);
    hash.update(value);
  } else throw new Error(`A value of an unexpected type (${typeof value}) in the database.`);
}

/** Rows in, digest out. */
function rowHasher(): { add(row: unknown[]): void; done(): TableDigest } {
  const hash = createHash('sha256');
  let rows = 0;
  return {
    add(row) {
      for (const value of row) feed(hash, value);
      hash.update('\n');
      rows++;
    },
    done: () => ({ rows, checksum: hash.digest('hex') }),
  };
}

const selectSql = (shape: TableShape, collate: boolean) =>
  `select ${shape.columns.map(quote).join(', ')} from ${quote(shape.name)} order by ${shape.primaryKey
    .map((k) => (collate && shape.textKeys.includes(k) ? `${quote(k)} collate "C"` : quote(k)))
    .join(', ')}`;

/** The digest of a SQLite table (integers read exactly, as bigint). */
export function sqliteDigest(sqlite: Database.Database, shape: TableShape): TableDigest {
  const hasher = rowHasher();
  for (const row of sqlite.prepare(selectSql(shape, false)).raw(true).safeIntegers(true).iterate()) hasher.add(row as unknown[]);
  return hasher.done();
}

/** PostgreSQL's bigint read exactly as a bigint (pg gives text); everything else as pg reads it (bytea: Buffer). */
const EXACT_TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (text: string) => BigInt(text)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** How many rows a cursor fetches at a time (a table of rides with their streams does not fit in memory at once). */
const FETCH_ROWS = 500;

/** The digest of a PostgreSQL table, read through a cursor inside the caller's transaction on `client`. */
export async function postgresDigest(client: pg.ClientBase, shape: TableShape): Promise<TableDigest> {
  const hasher = rowHasher();
  await client.query(`declare digest_cursor no scroll cursor for ${selectSql(shape, true)}`);
  try {
    for (;;) {
      const { rows } = await client.query<unknown[]>({
        text: `fetch ${FETCH_ROWS} from digest_cursor`,
        rowMode: 'array',
        types: EXACT_TYPES,
      });
      for (const row of rows) hasher.add(row);
      if (rows.length < FETCH_ROWS) break;
    }
  } finally {
    await client.query('close digest_cursor');
  }
  return hasher.done();
}
