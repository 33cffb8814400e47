/**
 * `db:check` on PostgreSQL: the same report as on SQLite (records.ts `IntegrityReport`). PostgreSQL
 * has no `integrity_check`; what can go wrong here is a database whose migrations were not all
 * applied, or rows that break a foreign key (loaded with the checks switched off, or a constraint
 * left NOT VALID). `integrity` is `ok` when there is none of that, else it lists the problems.
 */
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { IntegrityReport } from '../records.js';
import { PG_MIGRATIONS_FOLDER, PG_MIGRATIONS_TABLE } from './database.js';
import { PG_TABLES } from './tables.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Checks the database behind `pool` (opened without migrating, so that a missing migration shows). */
export async function checkPostgres(pool: pg.Pool, migrationsFolder = PG_MIGRATIONS_FOLDER): Promise<IntegrityReport> {
  const problems = [...(await missingMigrations(pool, migrationsFolder)), ...(await brokenForeignKeys(pool))];
  const counts: Record<string, number> = {};
  const present = await existingTables(pool);
  for (const [key, table] of Object.entries(PG_TABLES)) {
    const name = getTableConfig(table).name;
    if (!present.has(name)) {
      counts[key] = 0;
      continue;
    }
    const { rows } = await pool.query<{ n: string }>(`select count(*) as n from ${quote(name)}`);
    counts[key] = Number(rows[0]?.n ?? 0);
  }
  return { integrity: problems.length === 0 ? 'ok' : problems.join('; '), counts };
}

async function existingTables(pool: pg.Pool): Promise<Set<string>> {
  const { rows } = await pool.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
  );
  return new Set(rows.map((r) => r.name));
}

/** Every migration of the folder not recorded by drizzle's migrator (by its timestamp, as the migrator decides). */
async function missingMigrations(pool: pg.Pool, migrationsFolder: string): Promise<string[]> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const { rows: exists } = await pool.query<{ t: string | null }>('select to_regclass($1) as t', [PG_MIGRATIONS_TABLE]);
  const applied = new Set<number>();
  if (exists[0]?.t) {
    const { rows } = await pool.query<{ created_at: string }>(`select created_at from ${PG_MIGRATIONS_TABLE}`);
    for (const row of rows) applied.add(Number(row.created_at));
  }
  const missing = migrations.filter((m) => !applied.has(m.folderMillis)).length;
  return missing === 0 ? [] : [`${missing} of ${migrations.length} migrations not applied (open it once with this version to apply them)`];
}

interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  columns: string[];
  parentColumns: string[];
  validated: boolean;
}

/** Foreign keys not validated, and for each foreign key the rows whose parent is missing. */
async function brokenForeignKeys(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<ForeignKey>(`
    select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent, c.convalidated as validated,
      array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as columns,
      array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as "parentColumns"
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where c.contype = 'f' and n.nspname = 'public' order by c.conname`);
  const problems: string[] = [];
  for (const fk of rows) {
    if (!fk.validated) problems.push(`foreign key ${fk.name} is not validated`);
    const notNull = fk.columns.map((col) => `c.${quote(col)} is not null`).join(' and ');
    const joins = fk.columns.map((col, i) => `p.${quote(fk.parentColumns[i]!)} = c.${quote(col)}`).join(' and ');
    const { rows: orphans } = await pool.query<{ n: string }>(
      `select count(*) as n from ${fk.child} c where ${notNull} and not exists (select 1 from ${fk.parent} p where ${joins})`,
    );
    const n = Number(orphans[0]?.n ?? 0);
    if (n > 0) problems.push(`${n} rows of ${fk.child} point to missing ${fk.parent} (${fk.name})`);
  }
  return problems;
}
