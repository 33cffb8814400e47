/**
 * The PostgreSQL schema on a real server: its migrations apply (once, even from several processes
 * at once), and it has exactly the SQLite schema's tables, columns (with their nullability),
 * primary keys, foreign keys and indexes — a column added to one engine only fails here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { openPostgres, PG_MIGRATIONS_FOLDER, PG_MIGRATIONS_TABLE } from '../../src/store/pg/database.js';
import { PG_TABLES, tablesInForeignKeyOrder } from '../../src/store/pg/tables.js';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';

interface Shape {
  columns: Record<string, string[]>;
  primaryKeys: Record<string, string[]>;
  foreignKeys: string[];
  indexes: string[];
}

function sqliteShape(): Shape {
  const dir = mkdtempSync(join(tmpdir(), 'domestique-pg-schema-'));
  const opened = openDatabase(join(dir, 'shape.db'));
  try {
    const q = <T>(sql: string, ...args: unknown[]) => opened.sqlite.prepare(sql).all(...args) as T[];
    const tables = q<{ name: string }>(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations' order by name",
    ).map((r) => r.name);
    const shape: Shape = { columns: {}, primaryKeys: {}, foreignKeys: [], indexes: [] };
    for (const table of tables) {
      const info = q<{ name: string; notnull: number; pk: number }>('select name, "notnull", pk from pragma_table_info(?)', table);
      shape.columns[table] = info.map((c) => `${c.name}${c.notnull || c.pk ? ' not null' : ''}`).sort();
      shape.primaryKeys[table] = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      for (const fk of q<{ from: string; table: string; on_delete: string }>(
        'select "from", "table", on_delete from pragma_foreign_key_list(?)',
        table,
      ))
        shape.foreignKeys.push(`${table}.${fk.from} → ${fk.table} on delete ${fk.on_delete.toLowerCase()}`);
    }
    shape.indexes = q<{ tbl_name: string; name: string; sql: string }>(
      "select tbl_name, name, sql from sqlite_master where type = 'index' and name not like 'sqlite_autoindex%'",
    ).map((i) => `${i.tbl_name}.${i.name}${/^create unique/i.test(i.sql) ? ' unique' : ''}`);
    shape.foreignKeys.sort();
    shape.indexes.sort();
    return shape;
  } finally {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresShape(client: pg.Client): Promise<Shape> {
  const rows = async <T>(sql: string) => (await client.query(sql)).rows as T[];
  const shape: Shape = { columns: {}, primaryKeys: {}, foreignKeys: [], indexes: [] };
  for (const c of await rows<{ table_name: string; column_name: string; is_nullable: string }>(
    "select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'",
  ))
    (shape.columns[c.table_name] ??= []).push(`${c.column_name}${c.is_nullable === 'NO' ? ' not null' : ''}`);
  for (const list of Object.values(shape.columns)) list.sort();
  for (const k of await rows<{ table: string; columns: string[] }>(`
    select i.indrelid::regclass::text as table, array_agg(a.attname::text order by k.ord) as columns
    from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, ord)
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
    join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
    where i.indisprimary and n.nspname = 'public' group by i.indrelid`))
    shape.primaryKeys[k.table] = k.columns;
  const actions: Record<string, string> = { c: 'cascade', n: 'set null', a: 'no action', r: 'restrict', d: 'set default' };
  for (const fk of await rows<{ child: string; column: string; parent: string; action: string }>(`
    select c.conrelid::regclass::text as child, a.attname as column, c.confrelid::regclass::text as parent, c.confdeltype as action
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    join pg_namespace n on n.oid = c.connamespace where c.contype = 'f' and n.nspname = 'public'`))
    shape.foreignKeys.push(`${fk.child}.${fk.column} → ${fk.parent} on delete ${actions[fk.action]}`);
  shape.indexes = (
    await rows<{ table: string; name: string; unique: boolean }>(`
    select t.relname as table, x.relname as name, i.indisunique as unique
    from pg_index i join pg_class x on x.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public' and not i.indisprimary`)
  ).map((i) => `${i.table}.${i.name}${i.unique ? ' unique' : ''}`);
  shape.foreignKeys.sort();
  shape.indexes.sort();
  return shape;
}

const available = postgresAvailable();

describe.skipIf(!available)('the PostgreSQL schema (real server)', () => {
  let server: TestPostgres;
  let admin: pg.Client;
  beforeAll(async () => {
    server = await startPostgres();
    admin = new pg.Client(server.url);
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  /** A new empty database on the server; returns its URL. */
  async function freshDatabase(name: string): Promise<string> {
    await admin.query(`create database ${name}`);
    return server.url.replace(/\/[^/]+$/, `/${name}`);
  }

  it('applies its migrations once, even when three pools (as three processes) open a new database at once; again is a no-op', async () => {
    const url = await freshDatabase('migrate_once');
    const journal = JSON.parse(readFileSync(join(PG_MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    const opened = await Promise.all([1, 2, 3].map(() => openPostgres(url, { max: 2 })));
    const applied = async () => Number((await opened[0]!.pool.query(`select count(*) as n from ${PG_MIGRATIONS_TABLE}`)).rows[0].n);
    expect(await applied()).toBe(journal.entries.length);
    const again = await openPostgres(url);
    await again.close();
    expect(await applied()).toBe(journal.entries.length);
    await Promise.all(opened.map((o) => o.close()));
  });

  it('has exactly the SQLite tables, columns, primary keys, foreign keys and indexes', async () => {
    const url = await freshDatabase('same_shape');
    const opened = await openPostgres(url);
    await opened.close();
    const client = new pg.Client(url);
    await client.connect();
    try {
      const [lite, post] = [sqliteShape(), await postgresShape(client)];
      expect(Object.keys(post.columns).sort()).toEqual(Object.keys(lite.columns).sort());
      for (const table of Object.keys(lite.columns)) {
        expect({ table, columns: post.columns[table] }).toEqual({ table, columns: lite.columns[table] });
        expect({ table, key: post.primaryKeys[table] }).toEqual({ table, key: lite.primaryKeys[table] });
      }
      expect(post.foreignKeys).toEqual(lite.foreignKeys);
      expect(post.indexes).toEqual(lite.indexes);
    } finally {
      await client.end();
    }
  });

  it('names every table for db:check and orders them parents first for db:copy', () => {
    const names = Object.values(PG_TABLES).map((t) => getTableConfig(t).name);
    const ordered = tablesInForeignKeyOrder();
    expect([...ordered].sort()).toEqual([...names].sort());
    expect(Object.keys(sqliteShape().columns).sort()).toEqual([...names].sort());
    for (const table of Object.values(PG_TABLES))
      for (const fk of getTableConfig(table).foreignKeys)
        expect(ordered.indexOf(getTableConfig(fk.reference().foreignTable).name)).toBeLessThan(ordered.indexOf(getTableConfig(table).name));
  });
});
