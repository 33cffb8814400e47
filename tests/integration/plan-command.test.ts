/**
 * The `plan` command, driven as outside tools drive it: a child process, JSON on stdout, exit code 2
 * on bad input, through the real command line (src/cli.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Decoder, Stream } from '@garmin/fitsdk';
import { XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlanJson } from '../../src/app/plan-command.js';
import { parseProfileJson } from '../../src/app/profile-json.js';
import {
  fitText,
  generatePlan,
  parsePlanProposal,
  planInputFromProfile,
  snapToMonday,
  stepsDurationSeconds,
  validatePlan,
  workoutFileBaseName,
} from '../../src/domain/plan/index.js';
import { PYTHON } from '../support/python-profile.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir = '';
/** The real command line (src/cli.ts): its one exit path turns `plan`'s errors into exit code 2. */
const CLI = join(ROOT, 'src/cli.ts');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'domestique-plan-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

function plan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, 'plan', ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'silent' } },
      (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const OURS = {
  name: 'Sam',
  ftp: 240,
  weightKg: 68,
  maxHr: 188,
  lthr: 168,
  age: 38,
  sex: 'female',
  goals: 'A strong spring, then a gran fondo',
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  weeklyHours: 8,
  planWeeks: 8,
};

type Json = Record<string, unknown>;

function expectContractShape(out: Json): void {
  expect(Object.keys(out).sort()).toEqual(['violations', 'weeks']);
  expect(out.violations).toEqual([]);
  for (const week of out.weeks as Json[]) {
    expect(Object.keys(week).sort()).toEqual(['days', 'hours', 'phase', 'plannedTss', 'targetTss', 'week']);
    const days = week.days as Json[];
    expect(days.map((d) => d.weekday)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    for (const day of days) {
      expect(Object.keys(day).sort()).toEqual(['date', 'weekday', 'workouts']);
      for (const w of day.workouts as Json[]) {
        expect(Object.keys(w).sort()).toEqual(['durationMinutes', 'intensity', 'intensityFactor', 'name', 'tss', 'type']);
        expect(['easy', 'moderate', 'hard']).toContain(w.intensity);
        for (const key of ['durationMinutes', 'tss', 'intensityFactor']) expect(Number.isFinite(w[key])).toBe(true);
      }
    }
  }
}

describe('plan --json', () => {
  it('prints exactly the contract keys for a profile in our field names (inline JSON)', async () => {
    const { code, stdout, stderr } = await plan('--profile', JSON.stringify(OURS), '--start', '2025-03-05', '--ctl', '40', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Json;
    expectContractShape(out);
    const weeks = out.weeks as Json[];
    expect(weeks).toHaveLength(8);
    expect((weeks[0]!.days as Json[])[0]!.date).toBe('2025-03-10'); // snapped to the next Monday
    expect(weeks.map((w) => w.phase)).toEqual(['base', 'base', 'base', 'recovery', 'build', 'build', 'build', 'recovery']);
  });

  it("reads the original tool's profile file and matches the generator exactly", async () => {
    const file = join(dir, 'python-profile.json');
    await writeFile(file, JSON.stringify(PYTHON));
    const { code, stdout } = await plan(
      '--profile',
      file,
      '--start',
      '2025-03-03',
      '--event-date',
      '2025-05-25',
      '--ctl',
      '50',
      '--limiters',
      'vo2max',
      '--json',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Json;
    expectContractShape(out);

    const profile = parseProfileJson(JSON.stringify(PYTHON), 'python-profile.json');
    if (!profile.ok) throw new Error(profile.error.message);
    const input = planInputFromProfile(profile.value, { ctl: 50, atl: 50, limiters: ['vo2max'], strengths: [] }, '2025-03-03', {
      eventDate: '2025-05-25',
    });
    if (!input.ok) throw new Error('input');
    const expected = generatePlan(input.value);
    if (!expected.ok) throw new Error('plan');
    expect(out).toEqual(toPlanJson(expected.value, []));
    expect(out.weeks as Json[]).toHaveLength(12);
    expect(((out.weeks as Json[])[11]!.days as Json[])[6]).toEqual({ date: '2025-05-25', weekday: 'sun', workouts: [] });
  });

  it('starts on the next Monday by default', async () => {
    const { code, stdout } = await plan('--profile', JSON.stringify(OURS), '--json');
    expect(code).toBe(0);
    const first = (((JSON.parse(stdout) as Json).weeks as Json[])[0]!.days as Json[])[0]!.date as string;
    const local = (d: Date): string =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const now = new Date();
    // The child read its clock a moment ago: around midnight that may have been yesterday.
    expect([snapToMonday(local(now)), snapToMonday(local(new Date(now.getTime() - 60_000)))]).toContain(first);
  });
});

describe('plan: bad input exits 2 with the field named', () => {
  it('an FTP out of range, in either naming', async () => {
    const ours = await plan('--profile', JSON.stringify({ ...OURS, ftp: 700 }), '--json');
    expect(ours.code).toBe(2);
    expect(ours.stdout).toBe('');
    expect(ours.stderr).toContain('"ftp" must be 50–600 W (got 700)');
    const file = join(dir, 'bad-python.json');
    await writeFile(
      file,
      JSON.stringify({ ...PYTHON, FTP: '20w', weight: '7kg', training_availability: { hours_per_week: 10, week_days: 'Monday, Funday' } }),
    );
    const python = await plan('--profile', file, '--json');
    expect(python.code).toBe(2);
    expect(python.stderr).toContain('"FTP" must be 50–600 W (got "20w")');
    expect(python.stderr).toContain('"weight" must be 30–200 kg (got "7kg")');
    expect(python.stderr).toContain('"training_availability.week_days": "Funday" is not a day');
  });

  it('missing fields, bad options, a missing file', async () => {
    const [missing, weeks, event, file, none] = await Promise.all([
      plan('--profile', JSON.stringify({ ftp: 250 }), '--json'),
      plan('--profile', JSON.stringify(OURS), '--weeks', '30'),
      plan('--profile', JSON.stringify(OURS), '--start', '2025-03-03', '--event-date', '2025-03-12'),
      plan('--profile', join(dir, 'nope.json')),
      plan('--json'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('weekly hours');
    expect(missing.stderr).toContain('training days');
    expect(weeks.code).toBe(2);
    expect(weeks.stderr).toContain('--weeks must be a whole number from 4 to 24 (got "30")');
    expect(event.code).toBe(2);
    expect(event.stderr).toContain('The event on 2025-03-12 falls in week 2');
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('cannot read');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--profile');
  });
});

describe('plan --out', () => {
  it('writes plan.json (a valid proposal), plan.ics and one .zwo and one .fit per distinct workout; prints a calendar', async () => {
    const out = join(dir, 'out');
    const file = join(dir, 'profile.json');
    await writeFile(file, JSON.stringify(PYTHON));
    const before = Date.now();
    const { code, stdout } = await plan('--profile', file, '--start', '2025-03-03', '--ctl', '45', '--out', out, '--ics-time', '06:30');
    expect(code).toBe(0);
    expect(stdout).toContain('Training plan for Alex <The & Rider>: 12 weeks, 2025-03-03 to 2025-05-25');
    expect(stdout).toMatch(/Week 1 · base · target \d+ TSS/);
    expect(stdout).toContain('Checked: the plan passes every rule.');

    const parsed = parsePlanProposal(await readFile(join(out, 'plan.json'), 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const profile = parseProfileJson(JSON.stringify(PYTHON), 'profile.json');
    if (!profile.ok) throw new Error('profile');
    const input = planInputFromProfile(profile.value, { ctl: 45, atl: 45 }, '2025-03-03');
    if (!input.ok) throw new Error('input');
    expect(validatePlan(parsed.value, input.value)).toEqual([]);

    const workouts = parsed.value.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts));
    const calendar = new ICAL.Component(ICAL.parse(await readFile(join(out, 'plan.ics'), 'utf8')));
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(workouts.length);

    const files = (await readdir(out)).filter((f) => f.endsWith('.zwo'));
    expect(files.sort()).toEqual([...new Set(workouts.map((w) => `${w.id}.zwo`))].sort());
    for (const f of files) {
      const xml = await readFile(join(out, f), 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).toContain('Climb &lt;better&gt; &amp; faster');
    }

    // One FIT workout per .zwo, same base name, read back by Garmin's decoder: the workout's name,
    // its whole duration (repeats played) and its hardest target in watts of the profile's 265 W.
    const fits = (await readdir(out)).filter((f) => f.endsWith('.fit'));
    expect(fits.sort()).toEqual(files.map((f) => f.replace(/\.zwo$/, '.fit')).sort());
    expect(stdout).toContain(
      `Wrote ${2 + 2 * files.length} files to ${out}: plan.json, plan.ics, ${files.length} .zwo and ${fits.length} .fit workouts.`,
    );
    const ftp = 265;
    for (const f of fits) {
      const w = workouts.find((x) => `${workoutFileBaseName(x.id!)}.fit` === f)!;
      const decoder = new Decoder(Stream.fromByteArray(new Uint8Array(await readFile(join(out, f)))));
      expect(decoder.checkIntegrity()).toBe(true);
      const { messages, errors } = decoder.read();
      expect(errors).toEqual([]);
      expect(messages.fileIdMesgs![0]!.type).toBe('workout');
      expect((messages.fileIdMesgs![0]!.timeCreated as Date).getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(messages.workoutMesgs![0]).toMatchObject({ sport: 'cycling', wktName: fitText(w.name) });
      const steps = messages.workoutStepMesgs!;
      expect(messages.workoutMesgs![0]!.numValidSteps).toBe(steps.length);
      let seconds = 0;
      steps.forEach((s, i) => {
        if (s.durationType === 'time') seconds += Number(s.durationTime);
        else {
          const from = Number(s.durationStep);
          const once = steps.slice(from, i).reduce((sum, x) => sum + Number(x.durationTime), 0);
          seconds += once * (Number(s.repeatSteps) - 1);
        }
      });
      expect(seconds).toBe(stepsDurationSeconds(w.steps!));
      expect(seconds).toBe(Math.round(w.durationMinutes * 60));
      const hardest = Math.max(
        ...w.steps!.map((s) =>
          s.kind === 'steady' ? s.percentFtp : s.kind === 'ramp' ? Math.max(s.fromPercentFtp, s.toPercentFtp) : s.on.percentFtp,
        ),
      );
      const highest = Math.max(...steps.filter((s) => s.durationType === 'time').map((s) => Number(s.customTargetPowerHigh) - 1000));
      // A ramp's blocks sit at their means, a little under its top: only when the hardest step is not a ramp is it exact.
      expect(highest).toBeLessThanOrEqual(Math.round(((hardest + 2.5) * ftp) / 100));
      expect(highest).toBeGreaterThanOrEqual(Math.round(((hardest - 2.5) * ftp) / 100));
    }
  });
});
