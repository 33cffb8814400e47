/**
 * The database commands of the command line: `db:check` on either engine (a SQLite file or a
 * PostgreSQL URL) and `db:copy` from a SQLite file into PostgreSQL. A URL's password is never
 * printed: reports and errors show it masked.
 */
import type { Command } from 'commander';
import { dbOption } from './db-option.js';
import type { Config } from '../config.js';
import { checkPostgres } from '../store/pg/check.js';
import { CopyRefusedError, copySqliteToPostgres, type CopyReport } from '../store/pg/copy.js';
import { openPostgres } from '../store/pg/database.js';
import { isPostgresUrl, maskUrl, withoutPassword } from '../store/pg/url.js';
import type { IntegrityReport } from '../store/records.js';
import { Store } from '../store/store.js';
import { UserError } from './user-error.js';

/** Adds `db:check` and `db:copy` to the program. */
export function registerDbCommands(program: Command, config: Config): void {
  dbCheckCommand(program, config);
  dbCopyCommand(program, config);
}

/** Runs `work` on a PostgreSQL URL, with any error it throws rid of the URL's password. */
async function masking<T>(url: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError || error instanceof CopyRefusedError) throw error;
    const message = withoutPassword(error instanceof Error ? error.message : String(error), url);
    throw new UserError(`PostgreSQL at ${maskUrl(url)}: ${message}`, 1);
  }
}

async function check(config: Config, target: string): Promise<IntegrityReport> {
  if (isPostgresUrl(target))
    return masking(target, async () => {
      // not migrated on open: a database behind this version is reported, not silently brought up to date
      const opened = await openPostgres(target, { max: 1, migrate: false });
      try {
        return await checkPostgres(opened.pool);
      } finally {
        await opened.close();
      }
    });
  const store = await Store.open(target, { busyTimeoutMs: config.databaseBusyTimeoutMs });
  try {
    return await store.check();
  } finally {
    await store.close();
  }
}

/** `db:check` finishes with exit code 1 (and no error message: the report says it) when the integrity is not ok. */
function dbCheckCommand(program: Command, config: Config): void {
  program
    .command('db:check')
    .description(
      'Check the database and count its rows: a SQLite file (PRAGMA integrity_check) or a postgres:// URL (migrations applied, foreign keys hold).',
    )
    .addOption(dbOption(config))
    .option('--json', 'print one JSON document')
    .action(async (options: { db: string; json?: boolean }) => {
      const report = await check(config, options.db);
      const counts = Object.entries(report.counts).map(([k, v]) => `  ${k}: ${v}`);
      process.stdout.write(
        options.json ? `${JSON.stringify(report, null, 2)}\n` : `integrity: ${report.integrity}\n${counts.join('\n')}\n`,
      );
      if (report.integrity !== 'ok') process.exitCode = 1;
    });
}

/** The comparison as a table: one line per table, then what it means. */
function formatCopy(report: CopyReport): string {
  const width = Math.max(5, ...report.tables.map((t) => t.name.length));
  const lines = [`${'table'.padEnd(width)}  ${'rows'.padStart(9)}  ${'checksum'.padEnd(16)}  ok`];
  for (const t of report.tables) {
    const rows = t.rows === t.postgresRows ? String(t.rows) : `${t.rows}→${t.postgresRows}`;
    lines.push(`${t.name.padEnd(width)}  ${rows.padStart(9)}  ${t.sqliteChecksum.slice(0, 16)}  ${t.ok ? 'yes' : 'NO'}`);
  }
  const total = report.tables.reduce((sum, t) => sum + t.rows, 0);
  const bad = report.tables.filter((t) => !t.ok).map((t) => t.name);
  lines.push(
    bad.length === 0
      ? `Copied ${total} rows of ${report.tables.length} tables from ${report.from} to ${report.to}: every table has the same rows on both.`
      : `The copy differs from the SQLite file in ${bad.join(', ')}: do not switch to PostgreSQL yet; copy again with --replace, and report it if it persists.`,
  );
  return lines.join('\n');
}

/** `db:copy` exits 1 when a table differs after the copy (the report says which). */
function dbCopyCommand(program: Command, config: Config): void {
  program
    .command('db:copy')
    .description(
      "Copy a club's SQLite file into a PostgreSQL database (in one transaction), then compare every table's rows and checksum on both.",
    )
    .requiredOption('--from <file>', 'the SQLite database file (opened read-only)')
    .option('--to <url>', 'the PostgreSQL database: postgres://user:password@host:port/database (default: DATABASE_URL)')
    .option('--replace', 'delete everything in the PostgreSQL database first (otherwise a database that holds data is refused)')
    .option('--json', 'print one JSON document')
    .action(async (given: { from: string; to?: string; replace?: boolean; json?: boolean }) => {
      const to = given.to ?? config.databaseUrl;
      if (to === null) throw new UserError('Say where to copy to: --to postgres://user:password@host:port/database (or set DATABASE_URL).');
      const options = { ...given, to };
      if (isPostgresUrl(options.from)) throw new UserError('--from is the SQLite file to copy (a path); --to is the postgres:// URL.');
      if (!isPostgresUrl(options.to)) throw new UserError('--to must be a PostgreSQL URL (postgres://user:password@host:port/database).');
      const report = await masking(options.to, async () => {
        try {
          return await copySqliteToPostgres(options.from, options.to, { replace: options.replace === true });
        } catch (error) {
          if (error instanceof CopyRefusedError) throw new UserError(withoutPassword(error.message, options.to));
          throw error;
        }
      });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCopy(report)}\n`);
      if (!report.ok) process.exitCode = 1;
    });
}
