/**
 * The command line: `npm run cli -- <command>`.
 */
import { Command, InvalidArgumentError } from 'commander';
import { DEMO_FTP, writeDemoFiles } from './app/demo.js';
import { formatImport, importPaths } from './app/import.js';
import { formatTable, inspectPaths } from './app/inspect.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { Store } from './store/store.js';

function watts(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 50 || n > 600) throw new InvalidArgumentError('FTP must be a number of watts between 50 and 600.');
  return n;
}

async function main(argv: string[]): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  const program = new Command('domestique').description('A cycling coach that lives in chat — command line.').showHelpAfterError();

  program
    .command('inspect')
    .description('Read FIT, FIT.gz, ZIP and Strava activities.csv files (or folders of them) and describe the activities in them.')
    .argument('<paths...>', 'files or folders')
    .option('--json', 'print one JSON document instead of a table')
    .option('--ftp <watts>', 'your FTP, for TSS and IF', watts)
    .action(async (paths: string[], options: { json?: boolean; ftp?: number }) => {
      const started = performance.now();
      const report = await inspectPaths(paths, { ftp: options.ftp ?? null, limits: config.ingest });
      log.debug({ activities: report.activities.length, errors: report.errors.length, ms: Math.round(performance.now() - started) }, 'inspect done');
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(report)}\n`);
    });

  program
    .command('import')
    .description('Record files (or folders) as one upload for an athlete in the database: new rides are added, duplicates recognised, the same ride from another source merged.')
    .argument('<paths...>', 'files or folders')
    .requiredOption('--athlete <name>', 'the athlete the rides belong to (created on first import)')
    .option('--db <file>', 'the database file', config.databasePath)
    .option('--json', 'print one JSON document')
    .action(async (paths: string[], options: { athlete: string; db: string; json?: boolean }) => {
      const store = Store.open(options.db);
      try {
        const report = await importPaths(store, options.athlete, paths, config.ingest);
        log.info({ athlete: report.athlete, new: report.new, duplicates: report.duplicates, merged: report.merged, errors: report.errors.length }, 'import recorded');
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatImport(report)}\n`);
      } finally {
        store.close();
      }
    });

  program
    .command('db:check')
    .description('Check the database (PRAGMA integrity_check) and count its rows.')
    .option('--db <file>', 'the database file', config.databasePath)
    .option('--json', 'print one JSON document')
    .action((options: { db: string; json?: boolean }) => {
      const store = Store.open(options.db);
      try {
        const report = store.check();
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `integrity: ${report.integrity}\n${Object.entries(report.counts).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);
        if (report.integrity !== 'ok') process.exitCode = 1;
      } finally {
        store.close();
      }
    });

  program
    .command('demo')
    .description('Offline demo: write a month of synthetic rides as FIT files and read them back (no network, no keys).')
    .option('--out <folder>', 'where to write the FIT files', 'out/demo')
    .option('--json', 'print the inspect JSON instead of a table')
    .action(async (options: { out: string; json?: boolean }) => {
      const paths = await writeDemoFiles(options.out);
      const report = await inspectPaths([options.out], { ftp: DEMO_FTP, limits: config.ingest });
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`Wrote ${paths.length} synthetic FIT files to ${options.out}/ (FTP ${DEMO_FTP} W)\n\n${formatTable(report)}\n`);
    });

  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`domestique: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
