/**
 * `generate` driven as a user drives it: a child process, real files, the offline coach.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedLoopbackUrl } from '../fakes/fake-anthropic.js';
import { cliFails, cliWithEnv } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { writeSyntheticFiles } from '../support/synthetic-files.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'domestique-generate-'));
  dirs.push(d);
  return d;
}

/** A profile in the original tool's spelling. */
const ORIGINAL_PROFILE = {
  name: 'Original Format',
  FTP: '265w',
  weight: '70kg',
  max_HR: 186,
  critical_HR: 168,
  age: 41,
  goals: ['Finish the Marmotte', 'better threshold'],
  training_availability: { hours_per_week: 9, week_days: 'Tuesday, Thursday, Saturday, Sunday' },
  training_plan_weeks: 10,
};

function setup(profile: object = ORIGINAL_PROFILE) {
  const dir = temp();
  const profilePath = join(dir, 'profile.json');
  writeFileSync(profilePath, JSON.stringify(profile));
  return { dir, profilePath, out: join(dir, 'report'), db: join(dir, 'athlete.db') };
}

const env = (dir: string) => ({ DATABASE_PATH: join(dir, 'default.db'), LLM_PROVIDER: 'offline', ANTHROPIC_API_KEY: '' });

describe('generate (no corpus needed)', () => {
  it('writes the three reports and run.json from synthetic rides, offline', async () => {
    const { dir, profilePath, out, db } = setup();
    writeSyntheticFiles(join(dir, 'fit'), 8);
    const { stdout, stderr } = await cliWithEnv(
      env(dir),
      'generate',
      '--profile',
      profilePath,
      '--fit-dir',
      join(dir, 'fit'),
      '--output-dir',
      out,
      '--db',
      db,
      '--training-plan-weeks',
      '6',
    );
    expect(stderr).toContain('4/4 Report generation');
    expect(stdout).toMatch(/^Done — run /);
    expect(readdirSync(out).sort()).toEqual(['coaching_insights.html', 'index.html', 'performance_dashboard.html', 'run.json']);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ status: 'done', provider: 'offline', athlete: { ftp: 265, name: 'Original Format' }, plan: { weeks: 6 } });
    expect(run.phases.map((p: { name: string; status: string }) => `${p.name}:${p.status}`)).toEqual([
      'data-preparation:done',
      'performance-analysis:done',
      'training-planning:done',
      'report-generation:done',
    ]);
    for (const key of ['ctl', 'atl', 'tsb']) expect(typeof run.fitness[key]).toBe('number');
    expect(run.bests['1200']).toBeGreaterThan(100);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain(`${run.bests['1200']}`);
    expect(index).toContain('Finish the Marmotte');
  }, 120_000);

  it.each([
    [
      'a CSV that is not a Strava export',
      (d: string) => ['--csv', (writeFileSync(join(d, 'other.csv'), 'name,value\na,1\n'), join(d, 'other.csv'))],
      /missing.*Activity ID|Strava/i,
    ],
    ['a missing FIT folder', (d: string) => ['--fit-dir', join(d, 'nowhere')], /does not exist/],
    ['an empty FIT folder', (d: string) => ['--fit-dir', (mkdirSync(join(d, 'empty')), join(d, 'empty'))], /No activities were found/],
  ])(
    'refuses %s with a clear message, exit 2, nothing written',
    async (_what, args, message) => {
      const { dir, profilePath, out, db } = setup();
      const failure = await cliFails(env(dir), 'generate', '--profile', profilePath, ...args(dir), '--output-dir', out, '--db', db);
      expect(failure.code).toBe(2);
      expect(failure.stderr).toMatch(message);
      expect(existsSync(join(out, 'index.html'))).toBe(false);
    },
    60_000,
  );

  it('names a bad profile field', async () => {
    const { dir, profilePath, out, db } = setup({ ...ORIGINAL_PROFILE, FTP: '2650w' });
    const failure = await cliFails(env(dir), 'generate', '--profile', profilePath, '--output-dir', out, '--db', db);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/"FTP".*50.*600/);
  }, 60_000);

  it('stops before work when Anthropic has no key or Ollama is not running', async () => {
    const { dir, profilePath, out, db } = setup();
    writeSyntheticFiles(join(dir, 'fit'), 2);
    const anthropic = await cliFails(
      env(dir),
      'generate',
      '--profile',
      profilePath,
      '--fit-dir',
      join(dir, 'fit'),
      '--provider',
      'anthropic',
      '--output-dir',
      out,
      '--db',
      db,
    );
    expect(anthropic.code).toBe(2);
    expect(anthropic.stderr).toMatch(/ANTHROPIC_API_KEY/);
    const ollama = await cliFails(
      { ...env(dir), OLLAMA_HOST: await closedLoopbackUrl() },
      'generate',
      '--profile',
      profilePath,
      '--fit-dir',
      join(dir, 'fit'),
      '--provider',
      'ollama',
      '--output-dir',
      out,
      '--db',
      db,
    );
    expect(ollama.code).toBe(2);
    expect(ollama.stderr).toMatch(/ollama serve/);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(out)).toBe(false); // nothing half-made: not even the output folder
  }, 60_000);

  it('says when the output folder cannot be written', async () => {
    const { dir, profilePath, db } = setup();
    writeSyntheticFiles(join(dir, 'fit'), 2);
    writeFileSync(join(dir, 'a-file'), 'x');
    const failure = await cliFails(
      env(dir),
      'generate',
      '--profile',
      profilePath,
      '--fit-dir',
      join(dir, 'fit'),
      '--output-dir',
      join(dir, 'a-file', 'report'),
      '--db',
      db,
    );
    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/cannot be written/);
  }, 60_000);
});

describeCorpus('generate on the real corpus', () => {
  it('FIT folder + Strava CSV, offline: all four phases done, four files written', async () => {
    const { dir, profilePath, out, db } = setup();
    const { stdout } = await cliWithEnv(
      env(dir),
      'generate',
      '--profile',
      profilePath,
      '--fit-dir',
      corpusPath('fit'),
      '--csv',
      corpusPath('strava', 'activities-2025-99col.csv'),
      '--output-dir',
      out,
      '--db',
      db,
    );
    expect(stdout).toMatch(/^Done — run /);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('done');
    expect(run.phases.every((p: { status: string }) => p.status === 'done')).toBe(true);
    // the two damaged files salvage 13 s each: refused as too-short, as in chat
    expect(run.upload).toMatchObject({ new: 14 + 1845, merged: 0 });
    expect(readdirSync(out).sort()).toEqual(['coaching_insights.html', 'index.html', 'performance_dashboard.html', 'run.json']);
  }, 120_000);

  it("the Strava CSV alone: load from Strava's estimated power at the profile's FTP, rides counted apart, the latest ride dated, a return block first", async () => {
    const { dir, profilePath, out, db } = setup();
    const { stdout } = await cliWithEnv(
      env(dir),
      'generate',
      '--profile',
      profilePath,
      '--csv',
      corpusPath('strava', 'activities-2025-99col.csv'),
      '--output-dir',
      out,
      '--db',
      db,
    );
    expect(stdout).toMatch(/^Done — run /);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    // was: 0 TSS a week, no CTL, and 178 "activities" of every sport in the volume
    expect(run.volume.weeklyLoad).toBeGreaterThan(0);
    expect(run.fitness.ctl).toBeGreaterThan(0);
    expect(run.volume.activities).toBe(75);
    expect(run.volume.otherSports.map((o: { sport: string }) => o.sport).sort()).toEqual([
      'alpine_skiing',
      'cross_country_skiing',
      'hiking',
      'running',
    ]);
    expect(run.volume.estimatedLoadPercent).toBe(100);
    expect(run.warnings.find((w: { code: string }) => w.code === 'load-estimated').message).toMatch(
      /^100 % of this load is estimated .*: 100 % from Strava's estimated power \(taken as NP\)\.$/,
    );
    expect(run.latestRide.date).toBe('2025-08-25');
    expect(run.fitnessToday.ctl).toBeLessThan(run.fitness.ctl);
    // the export ends in August 2025: the plan's first week is the lighter return block
    expect(run.plan.plannedTss[0]).toBeLessThan(run.plan.plannedTss[1]);
    expect(readFileSync(join(out, 'coaching_insights.html'), 'utf8')).toContain('Return block');
  }, 120_000);
});
