/**
 * `generate`: the whole coach from the command line — parity with the original
 * `cycling-ai generate`. Profile + FIT folder and/or Strava CSV in; index.html,
 * coaching_insights.html, performance_dashboard.html and run.json out. Every error a user can
 * hit is caught before work starts, and the output folder never holds a half-written set.
 */
import { access, constants, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config.js';
import type { ProfileFields } from '../domain/profile.js';
import type { LlmProvider } from '../llm/provider.js';
import type { Logger } from '../logger.js';
import { PHASE_TITLES, type RunEvent } from '../orchestrator/events.js';
import { loadPrompts, PromptsError, type Prompts } from '../orchestrator/prompts.js';
import { nextMonday } from '../orchestrator/plan-start.js';
import { RunFailure } from '../orchestrator/run-failure.js';
import type { RunResult } from '../orchestrator/run-result.js';
import { Store } from '../store/store.js';
import { cliIdentity } from './import.js';
import { screenUpload } from '../ingest/plausibility.js';
import { ingestPaths, type IngestedPaths } from './inspect.js';
import { parseProfileJson } from './profile-json.js';
import { createOrchestrator, createProvider, type ProviderName } from './providers.js';
import { UserError } from './user-error.js';

export interface GenerateOptions {
  profile: string;
  fitDir?: string;
  csv?: string;
  outputDir: string;
  provider?: ProviderName;
  model?: string;
  periodMonths: number;
  trainingPlanWeeks?: number;
  skipTrainingPlan?: boolean;
  promptsDir?: string;
  db: string;
}

async function readProfile(arg: string): Promise<ProfileFields & { name?: string | null }> {
  let text = arg;
  let source = 'the --profile JSON';
  if (!arg.trim().startsWith('{')) {
    source = arg;
    try {
      text = await readFile(arg, 'utf8');
    } catch {
      throw new UserError(`The profile file ${arg} cannot be read. Give the path of a JSON file, e.g. --profile athlete.json.`);
    }
  }
  const parsed = parseProfileJson(text, source);
  if (!parsed.ok) throw new UserError(parsed.error.message);
  return parsed.value;
}

async function checkInputs(options: GenerateOptions): Promise<string[]> {
  const paths: string[] = [];
  if (options.fitDir) {
    const info = await stat(options.fitDir).catch(() => null);
    if (!info || !info.isDirectory())
      throw new UserError(`The FIT folder ${options.fitDir} does not exist. Give the folder your .fit files are in with --fit-dir.`);
    paths.push(options.fitDir);
  }
  if (options.csv) {
    const info = await stat(options.csv).catch(() => null);
    if (!info || !info.isFile())
      throw new UserError(`The Strava CSV ${options.csv} does not exist. Give the activities.csv from your Strava export with --csv.`);
    paths.push(options.csv);
  }
  return paths;
}

/** Checks that the output folder (or the nearest folder above it that exists) is writable, creating nothing yet. */
async function checkOutputDir(dir: string): Promise<void> {
  const refuse = () => new UserError(`The output folder ${dir} cannot be written. Choose another with --output-dir.`);
  let probe = resolve(dir);
  for (;;) {
    const found = await stat(probe).catch(() => null);
    if (found) {
      if (!found.isDirectory()) throw refuse(); // a file stands where a folder must be
      break;
    }
    const parent = dirname(probe);
    if (parent === probe) throw refuse();
    probe = parent;
  }
  try {
    await access(probe, constants.W_OK);
  } catch {
    throw refuse();
  }
}

/** Writes the files beside the target first, then moves them in: all of them or none. */
async function writeAtomically(dir: string, files: RunResult['files']): Promise<string[]> {
  const staging = join(dirname(resolve(dir)), `.${resolve(dir).split('/').pop()}.partial-${process.pid}`);
  await mkdir(dirname(resolve(dir)), { recursive: true });
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    for (const f of files) await writeFile(join(staging, f.fileName), f.content);
    await mkdir(dir, { recursive: true });
    for (const f of files) await rename(join(staging, f.fileName), join(dir, f.fileName));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return files.map((f) => join(dir, f.fileName));
}

function progressPrinter(stream: NodeJS.WriteStream): (event: RunEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'phase-started':
        stream.write(`▸ ${event.index + 1}/4 ${PHASE_TITLES[event.phase]}…\n`);
        break;
      case 'phase-progress':
        stream.write(`    ${event.message}\n`);
        break;
      case 'phase-done':
        stream.write(
          `  ${event.status === 'done' ? '✓' : event.status === 'skipped' ? '–' : '!'} ${PHASE_TITLES[event.phase]} ${event.status} (${event.seconds.toFixed(1)} s)${event.note ? ` — ${event.note}` : ''}\n`,
        );
        break;
      default:
        break;
    }
  };
}

/** The phase prompts (ours, or the user's copies in `dir`); a broken copy is the user's to fix. */
function promptsOrRefuse(dir: string | undefined): Prompts {
  try {
    return loadPrompts(dir);
  } catch (e) {
    if (e instanceof PromptsError) throw new UserError(e.message);
    throw e;
  }
}

/**
 * The activities in the input files, screened as a chat upload is (one ride dated 2100 would
 * otherwise end the analysis period there); refused when a file is missing or not a Strava export,
 * or when the inputs hold no activity at all.
 */
async function readActivities(paths: string[], config: Config, now: Date): Promise<IngestedPaths> {
  const ingested = await ingestPaths(paths, config.ingest);
  ingested.activities = screenUpload(ingested.activities, ingested.errors, now).kept;
  const fatal = ingested.errors.filter((e) => e.code === 'missing-columns' || e.code === 'not-found');
  if (fatal.length > 0) throw new UserError(fatal.map((e) => e.message).join('\n'));
  if (ingested.activities.length === 0 && paths.length > 0) {
    const why =
      ingested.errors.length > 0 ? ` ${ingested.errors.length} file(s) could not be read, e.g. ${ingested.errors[0]!.message}` : '';
    throw new UserError(`No activities were found in ${paths.join(' and ')}.${why}`);
  }
  return ingested;
}

/** What `generate` prints on stdout: the outcome, the key numbers, the usage and the files written. */
export function formatGenerate(result: RunResult, written: string[]): string {
  const s = result.runJson;
  return [
    `${result.status === 'done' ? 'Done' : 'Done, degraded: the offline coach stood in'} — run ${result.runId}${result.degradedReason ? `\n  ${result.degradedReason}` : ''}`,
    `  FTP ${s.athlete.ftp ?? '–'} W${s.athlete.ftpSource === 'estimated' ? ' (estimated)' : ''}, CTL ${s.fitness.ctl ?? '–'}, ATL ${s.fitness.atl ?? '–'}, TSB ${s.fitness.tsb ?? '–'}, best 20 min ${s.bests['1200'] ?? '–'} W`,
    `  tokens ${s.tokens.input + s.tokens.output}, cost $${s.costUsd.toFixed(4)}, provider ${s.provider}`,
    ...written.map((f) => `  wrote ${f}`),
    '',
  ].join('\n');
}

export async function generate(
  config: Config,
  options: GenerateOptions,
  log: Logger,
  out: { progress: NodeJS.WriteStream; clock?: () => Date; provider?: LlmProvider },
): Promise<{ result: RunResult; written: string[] }> {
  const clock = out.clock ?? (() => new Date());
  const profile = await readProfile(options.profile);
  const paths = await checkInputs(options);
  const prompts = promptsOrRefuse(options.promptsDir ?? config.runs.promptsDir ?? undefined);
  const provider =
    out.provider ??
    createProvider(config, {
      ...(options.provider ? { provider: options.provider } : {}),
      ...(options.model ? { model: options.model } : {}),
    });
  const check = await provider.check();
  if (!check.ok) throw new UserError(check.message);
  await checkOutputDir(options.outputDir);

  const ingested = await readActivities(paths, config, clock());

  const store = await Store.open(options.db, { busyTimeoutMs: config.databaseBusyTimeoutMs });
  try {
    const name = profile.name?.trim() || 'athlete';
    const athlete = await store.athleteForIdentity(cliIdentity(name), name);
    const scoped = store.athlete(athlete.id);
    const { name: _n, ...fields } = profile;
    const current = await scoped.currentProfile();
    const changed =
      !current || (Object.keys(fields) as (keyof ProfileFields)[]).some((k) => JSON.stringify(fields[k]) !== JSON.stringify(current[k]));
    if (changed) await scoped.updateProfile(fields, clock());
    const orchestrator = createOrchestrator(config, store, provider, prompts, clock);
    let result: RunResult;
    try {
      result = await orchestrator.run({
        athleteId: athlete.id,
        periodMonths: options.periodMonths,
        planWeeks: options.trainingPlanWeeks ?? null,
        skipPlan: options.skipTrainingPlan ?? false,
        planStartDate: nextMonday(clock()),
        upload: { files: ingested.files, activities: ingested.activities, errors: ingested.errors },
        onEvent: progressPrinter(out.progress),
      });
    } catch (e) {
      if (e instanceof RunFailure && e.code === 'no-activities') throw new UserError(e.message);
      throw e;
    }
    const written = await writeAtomically(options.outputDir, result.files);
    log.debug(
      { runId: result.runId, status: result.status, provider: result.provider, tokens: result.usage, costUsd: result.costUsd },
      'generate done',
    );
    return { result, written };
  } finally {
    await store.close();
  }
}
