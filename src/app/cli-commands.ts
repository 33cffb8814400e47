/**
 * The commands of the command line (src/cli.ts), one function each adding its command to the
 * program; `plan` is in plan-command.ts. The Discord registration lives in bots/discord-register.ts
 * (`npm run discord:register`); `discord:register` here runs that entry as a child process, so the
 * command line keeps the command without src/ importing bots/. Commands print their output and throw on failure — a
 * UserError for what the user can fix — and src/cli.ts turns what they throw into a message and
 * an exit code.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { dbOption } from './db-option.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { projectPath } from '../project-root.js';
import { Store } from '../store/store.js';
import { registerDbCommands } from './db-commands.js';
import { DEMO_PROFILE, writeDemoSeason } from './demo.js';
import { formatGenerate, generate, type GenerateOptions } from './generate.js';
import { formatImport, importPaths } from './import.js';
import { formatTable, inspectJsonChunks, inspectPaths } from './inspect.js';
import { registerPlanCommand } from './plan-command.js';
import { registerPlanStatusCommand } from './plan-status-command.js';
import { registerStravaSubscribeCommand } from './strava-subscribe.js';
import { UserError } from './user-error.js';

export interface CliContext {
  config: Config;
  log: Logger;
}

/** Every command, in the order `--help` lists them. */
export function registerCommands(program: Command, context: CliContext): void {
  inspectCommand(program, context);
  importCommand(program, context);
  registerDbCommands(program, context.config);
  generateCommand(program, context);
  registerPlanCommand(program);
  registerPlanStatusCommand(program, context.config);
  demoCommand(program, context);
  discordRegisterCommand(program);
  registerStravaSubscribeCommand(program, context.config);
}

function discordRegisterCommand(program: Command): void {
  program
    .command('discord:register')
    .description('Register the Discord slash commands (globally, or for one server with --guild): runs `npm run discord:register`.')
    .option('--guild <id>', 'register for one server only (instant; global commands can take up to an hour to appear)')
    .action(async (options: { guild?: string }) => {
      const entry = projectPath('bots/discord-register.ts');
      const child = spawn(
        process.execPath,
        ['--import', import.meta.resolve('tsx'), entry, ...(options.guild ? ['--guild', options.guild] : [])],
        {
          stdio: 'inherit',
        },
      );
      const [code] = (await once(child, 'exit')) as [number | null];
      // the entry has already said what went wrong: pass its exit code on, with nothing more to print
      if (code !== 0) throw new UserError('', code ?? 1);
    });
}

/** An option parser for a number within [min, max] (whole when `integer`), refusing anything else with `message`. */
function numberIn(min: number, max: number, integer: boolean, message: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!(integer ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max) throw new InvalidArgumentError(message);
    return n;
  };
}

const watts = numberIn(50, 600, false, 'FTP must be a number of watts between 50 and 600.');
const months = numberIn(1, 24, true, '--period-months must be a whole number of months from 1 to 24.');
const weeks = numberIn(4, 24, true, '--training-plan-weeks must be a whole number of weeks from 4 to 24.');

function providerName(value: string): 'offline' | 'anthropic' | 'ollama' {
  if (value !== 'offline' && value !== 'anthropic' && value !== 'ollama')
    throw new InvalidArgumentError('--provider must be offline, anthropic or ollama.');
  return value;
}

function inspectCommand(program: Command, { config, log }: CliContext): void {
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
}

/** Opens the database for one command and closes it after, whatever happens. */
async function withStore<T>(config: Config, path: string, work: (store: Store) => Promise<T> | T): Promise<T> {
  const store = await Store.open(path, { busyTimeoutMs: config.databaseBusyTimeoutMs });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function importCommand(program: Command, { config, log }: CliContext): void {
  program
    .command('import')
    .description(
      'Record files (or folders) as one upload for an athlete in the database: new rides are added, duplicates recognised, the same ride from another source merged; each new ride is compared with the current plan.',
    )
    .argument('<paths...>', 'files or folders')
    .requiredOption('--athlete <name>', 'the athlete the rides belong to (created on first import)')
    .addOption(dbOption(config))
    .option('--json', 'print one JSON document')
    .action(async (paths: string[], options: { athlete: string; db: string; json?: boolean }) => {
      const outcome = await withStore(config, options.db, (store) => importPaths(store, options.athlete, paths, config.ingest));
      const { report } = outcome;
      log.debug(
        { athlete: report.athlete, new: report.new, duplicates: report.duplicates, merged: report.merged, errors: report.errors.length },
        'import recorded',
      );
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatImport(outcome)}\n`);
    });
}

async function runGenerate({ config, log }: CliContext, options: GenerateOptions): Promise<void> {
  const { result, written } = await generate(config, options, log, { progress: process.stderr });
  process.stdout.write(formatGenerate(result, written));
}

function generateCommand(program: Command, context: CliContext): void {
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
    .addOption(dbOption(context.config))
    .action((options: GenerateOptions) => runGenerate(context, options));
}

function demoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('Offline demo: write a synthetic season of rides as FIT files, then run generate on them (no network, no keys).')
    .option('--out <folder>', 'where to write the rides, the database and the reports', 'out/demo')
    .action(async (options: { out: string }) => {
      const { fitDir, profilePath, db } = await writeDemoSeason(options.out);
      process.stderr.write(`Synthetic season: ${fitDir} (FTP ${DEMO_PROFILE.ftp} W)\n`);
      await runGenerate(context, {
        profile: profilePath,
        fitDir,
        outputDir: join(options.out, 'report'),
        provider: 'offline',
        periodMonths: 6,
        db,
      });
    });
}
