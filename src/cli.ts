/**
 * The command line: `npm run cli -- <command>`.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEMO_PROFILE, writeDemoSeason } from './app/demo.js';
import { generate, UserError } from './app/generate.js';
import { registerPlanCommand } from './app/plan-command.js';
import { formatImport, importPaths } from './app/import.js';
import { formatTable, inspectJsonChunks, inspectPaths } from './app/inspect.js';
import { loadConfigOrExit } from './config.js';
import { closeIngestPool, ingestPool } from './ingest/ingest-pool.js';
import { configSecrets, createLogger } from './logger.js';
import { Store } from './store/store.js';
import { isDatabaseBusy } from './store/database.js';

/** Exit code when the database stayed locked by another process (EX_TEMPFAIL: try again). */
const DATABASE_BUSY_EXIT_CODE = 75;

function watts(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 50 || n > 600) throw new InvalidArgumentError('FTP must be a number of watts between 50 and 600.');
  return n;
}

async function main(argv: string[]): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel, undefined, { secrets: configSecrets(config) });
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
      log.debug(
        { activities: report.activities.length, errors: report.errors.length, ms: Math.round(performance.now() - started) },
        'inspect done',
      );
      // the JSON contract is exactly {activities, errors}; skipped archive entries show in the table
      if (options.json) {
        // written piece by piece, waiting when the pipe is full: one string of a large report would be hundreds of MB
        for (const chunk of inspectJsonChunks(report)) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
      } else process.stdout.write(`${formatTable(report)}\n`);
    });

  program
    .command('import')
    .description(
      'Record files (or folders) as one upload for an athlete in the database: new rides are added, duplicates recognised, the same ride from another source merged.',
    )
    .argument('<paths...>', 'files or folders')
    .requiredOption('--athlete <name>', 'the athlete the rides belong to (created on first import)')
    .option('--db <file>', 'the database file', config.databasePath)
    .option('--json', 'print one JSON document')
    .action(async (paths: string[], options: { athlete: string; db: string; json?: boolean }) => {
      const store = Store.open(options.db, { busyTimeoutMs: config.databaseBusyTimeoutMs });
      try {
        const report = await importPaths(store, options.athlete, paths, config.ingest);
        log.debug(
          { athlete: report.athlete, new: report.new, duplicates: report.duplicates, merged: report.merged, errors: report.errors.length },
          'import recorded',
        );
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
      const store = Store.open(options.db, { busyTimeoutMs: config.databaseBusyTimeoutMs });
      try {
        const report = store.check();
        process.stdout.write(
          options.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : `integrity: ${report.integrity}\n${Object.entries(report.counts)
                .map(([k, v]) => `  ${k}: ${v}`)
                .join('\n')}\n`,
        );
        if (report.integrity !== 'ok') process.exitCode = 1;
      } finally {
        store.close();
      }
    });

  const months = (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 24)
      throw new InvalidArgumentError('--period-months must be a whole number of months from 1 to 24.');
    return n;
  };
  const weeks = (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 4 || n > 24)
      throw new InvalidArgumentError('--training-plan-weeks must be a whole number of weeks from 4 to 24.');
    return n;
  };
  const providerName = (value: string) => {
    if (value !== 'offline' && value !== 'anthropic' && value !== 'ollama')
      throw new InvalidArgumentError('--provider must be offline, anthropic or ollama.');
    return value;
  };

  const runGenerate = async (options: Parameters<typeof generate>[1]) => {
    try {
      const { result, written } = await generate(config, options, log, { progress: process.stderr });
      const s = result.runJson;
      process.stdout.write(
        [
          `${result.status === 'done' ? 'Done' : 'Done, degraded: the offline coach stood in'} — run ${result.runId}${result.degradedReason ? `\n  ${result.degradedReason}` : ''}`,
          `  FTP ${s.athlete.ftp ?? '–'} W${s.athlete.ftpSource === 'estimated' ? ' (estimated)' : ''}, CTL ${s.fitness.ctl ?? '–'}, ATL ${s.fitness.atl ?? '–'}, TSB ${s.fitness.tsb ?? '–'}, best 20 min ${s.bests['1200'] ?? '–'} W`,
          `  tokens ${s.tokens.input + s.tokens.output}, cost $${s.costUsd.toFixed(4)}, provider ${s.provider}`,
          ...written.map((f) => `  wrote ${f}`),
          '',
        ].join('\n'),
      );
    } catch (e) {
      if (e instanceof UserError) {
        process.stderr.write(`domestique: ${e.message}\n`);
        process.exit(2);
      }
      throw e;
    }
  };

  program
    .command('generate')
    .description('Analyse the rides, plan the next block and write the three HTML reports and run.json.')
    .requiredOption('--profile <json>', "athlete profile: a JSON file (our field names or the original tool's) or inline JSON")
    .option('--fit-dir <dir>', 'folder of .fit / .fit.gz / .zip files to add first')
    .option('--csv <file>', "Strava's activities.csv to add first")
    .option('--output-dir <dir>', 'where to write the reports', 'reports')
    .option('--provider <name>', 'offline | anthropic | ollama (default: LLM_PROVIDER)', providerName)
    .option('--model <name>', 'model of the provider')
    .option('--period-months <n>', 'months analysed (compared with the same length before)', months, 6)
    .option('--training-plan-weeks <n>', 'weeks of the plan (4–24)', weeks)
    .option('--skip-training-plan', 'analysis only')
    .option('--prompts-dir <dir>', 'your own copies of the phase prompts')
    .option('--db <file>', 'the database file', config.databasePath)
    .action(async (options: Parameters<typeof generate>[1]) => runGenerate(options));

  registerPlanCommand(program);

  program
    .command('discord:register')
    .description('Register the Discord slash commands (globally, or for one server with --guild) from the definitions the bot uses.')
    .option('--guild <id>', 'register for one server only (instant; global commands can take up to an hour to appear)')
    .action(async (options: { guild?: string }) => {
      if (!config.discord.token || !config.discord.applicationId) {
        process.stderr.write(
          'domestique: set DISCORD_TOKEN and DISCORD_APPLICATION_ID in .env first (Discord developer portal → your application).\n',
        );
        process.exit(2);
      }
      // The CLI is an entry point like bots/main.ts: the Discord code is loaded only for this command.
      const { registerCommands } = await import('../bots/discord/register.js');
      try {
        const result = await registerCommands({
          token: config.discord.token,
          applicationId: config.discord.applicationId,
          apiBase: config.discord.apiBase,
          guildId: options.guild ?? null,
        });
        process.stdout.write(
          `Registered ${result.names.length} commands ${result.scope === 'guild' ? `for server ${options.guild}` : 'globally'}: ${result.names.map((n) => `/${n}`).join(' ')}\n`,
        );
      } catch (e) {
        process.stderr.write(`domestique: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      }
    });

  program
    .command('demo')
    .description('Offline demo: write a synthetic season of rides as FIT files, then run generate on them (no network, no keys).')
    .option('--out <folder>', 'where to write the rides, the database and the reports', 'out/demo')
    .action(async (options: { out: string }) => {
      const { fitDir, profilePath, db } = await writeDemoSeason(options.out);
      process.stderr.write(`Synthetic season: ${fitDir} (FTP ${DEMO_PROFILE.ftp} W)\n`);
      await runGenerate({ profile: profilePath, fitDir, outputDir: join(options.out, 'report'), provider: 'offline', periodMonths: 6, db });
    });

  ingestPool(config.ingestPool);
  try {
    await program.parseAsync(argv);
  } finally {
    // the worker threads that read files would keep the process alive
    await closeIngestPool();
  }
}

main(process.argv).catch((error: unknown) => {
  if (isDatabaseBusy(error)) {
    // Another process (a parallel import, the bot) held the database longer than the busy timeout.
    process.stderr.write(`domestique: The database is busy (another domestique process holds it); try again.\n`);
    process.exit(DATABASE_BUSY_EXIT_CODE);
  }
  process.stderr.write(`domestique: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
