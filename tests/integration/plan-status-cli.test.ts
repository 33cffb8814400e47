/**
 * `import` comparing each new ride with the current plan, and `plan status`: the JSON contracts
 * (README), driven as child processes on a real database file whose athlete has a current plan. The
 * CLI runs on the system clock, so the plan starts three weeks before this week: its first weeks
 * are past whatever day the test runs.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIdentity } from '../../src/app/import.js';
import { addDays, zonedDate } from '../../src/domain/calendar.js';
import { targetRange, workIntervals } from '../../src/domain/coaching/work-intervals.js';
import { generatePlan, planInputFromProfile, snapToMonday } from '../../src/domain/plan/index.js';
import type { PlannedWorkout } from '../../src/domain/plan/types.js';
import { EMPTY_PROFILE, type ProfileFields } from '../../src/domain/profile.js';
import { adoptPlan } from '../../src/orchestrator/coaching/adopt.js';
import { Store } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { workoutRide } from '../../src/synthetic/workout-ride.js';
import { cli, cliFails } from '../support/cli.js';

const FTP = 250;
const PROFILE: ProfileFields = { ...EMPTY_PROFILE, ftp: FTP, weeklyHours: 7, trainingDays: ['mon', 'tue', 'wed', 'thu'], planWeeks: 8 };

interface Setup {
  dir: string;
  db: string;
  followed: { key: string; date: string; workout: PlannedWorkout };
  skipped: { key: string; date: string };
  extraDate: string;
  rides: string;
}

let setup: Setup;
const temp: string[] = [];
afterAll(async () => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

/** Noon UTC of a date: that day in any zone within ±11 h. */
const noon = (date: string) => new Date(`${date}T12:00:00Z`);

/** The athlete Anna with a profile and a current plan that started three weeks before this week's Monday. */
async function seedAthlete(db: string): Promise<Pick<Setup, 'followed' | 'skipped' | 'extraDate'>> {
  const store = await Store.open(db);
  try {
    const record = await store.athleteForIdentity(cliIdentity('Anna'), 'Anna');
    const athlete = store.athlete(record.id);
    const today = zonedDate(new Date(), record.timeZone);
    const start = addDays(snapToMonday(addDays(today, -6)), -21);
    await athlete.updateProfile(PROFILE, new Date(`${addDays(start, -60)}T00:00:00Z`));
    const input = planInputFromProfile(PROFILE, { ctl: 45, atl: 45, limiters: [], strengths: [] }, start);
    if (!input.ok) throw new Error(JSON.stringify(input.error));
    const plan = generatePlan(input.value);
    if (!plan.ok) throw new Error(JSON.stringify(plan.error));
    const version = await adoptPlan(athlete, { plan: plan.value, input: input.value, runId: null });
    const placed = version.plan.weeks
      .slice(0, 3)
      .flatMap((w) => w.days.flatMap((d) => d.workouts.map((workout) => ({ key: workout.key!, date: d.date, workout }))));
    // an easy session skipped (easy ones are neither moved nor dropped), then the next one with work intervals followed
    const skipped = placed.find((p) => p.workout.intensity === 'easy');
    const followed = placed.find((p) => skipped && p.date > skipped.date && workIntervals(p.workout).length > 0);
    if (!skipped || !followed) throw new Error('the plan has no easy workout followed by one with work intervals in its first weeks');
    // the extra ride: the first Saturday (no training either side) after the followed workout
    const extraDate = [5, 12, 19].map((d) => addDays(start, d)).find((d) => d > followed.date)!;
    return { followed, skipped, extraDate };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'domestique-plan-status-'));
  temp.push(dir);
  const db = join(dir, 'coach.db');
  const seeded = await seedAthlete(db);
  const rides = join(dir, 'rides');
  await mkdir(rides);
  const followedStart = new Date(noon(seeded.followed.date).getTime() + 5 * 3_600_000);
  await writeFile(
    join(rides, 'followed.fit'),
    encodeActivityFit([
      workoutRide({
        seed: 19,
        startTime: followedStart,
        ftp: FTP,
        workout: seeded.followed.workout,
        lateStartSeconds: 240,
        // each interval ridden in the middle of its target range (a planned 88 % is the sweet spot's lower edge)
        executionPercent: workIntervals(seeded.followed.workout).map((i) => {
          const range = targetRange(i.percentFtp);
          return ((range.low + range.high) / 2 / i.percentFtp) * 100;
        }),
      }),
    ]),
  );
  await writeFile(
    join(rides, 'extra.fit'),
    encodeActivityFit([syntheticRide({ seed: 7, startTime: noon(seeded.extraDate), durationSeconds: 5400, ftp: FTP, kind: 'endurance' })]),
  );
  setup = { dir, db, rides, ...seeded };
}, 60_000);

describe('import compares each new ride with the plan', () => {
  it('prints the match of the followed workout with its intervals, and the extra ride', async () => {
    const report = JSON.parse((await cli('import', '--db', setup.db, '--athlete', 'Anna', setup.rides, '--json')).stdout);
    expect(Object.keys(report).sort()).toEqual(['activities', 'athlete', 'duplicates', 'errors', 'merged', 'new']);
    expect(report).toMatchObject({ athlete: 'Anna', new: 2, duplicates: 0 });
    expect(report.activities.map((a: { date: string }) => a.date)).toEqual([setup.followed.date, setup.extraDate]);
    const [followed, extra] = report.activities;
    expect(Object.keys(followed).sort()).toEqual(['activityId', 'date', 'match', 'name']);
    const planned = workIntervals(setup.followed.workout);
    expect(followed.match).toMatchObject({ workoutId: setup.followed.key, date: setup.followed.date, status: 'done' });
    expect(followed.match.intervals).toHaveLength(planned.length);
    followed.match.intervals.forEach((found: { targetLow: number; targetHigh: number; avgPower: number; seconds: number }, i: number) => {
      const range = targetRange(planned[i]!.percentFtp);
      expect(Object.keys(found).sort()).toEqual(['avgPower', 'seconds', 'targetHigh', 'targetLow']);
      expect(found.targetLow).toBe(Math.round((range.low * FTP) / 100));
      expect(found.targetHigh).toBe(Math.round((range.high * FTP) / 100));
      expect(found.avgPower).toBeGreaterThanOrEqual(found.targetLow);
      expect(found.avgPower).toBeLessThanOrEqual(found.targetHigh);
      expect(Math.abs(found.seconds - planned[i]!.seconds)).toBeLessThanOrEqual(planned[i]!.seconds * 0.1);
    });
    expect(extra.match).toEqual({ workoutId: null, date: setup.extraDate, status: 'extra', intervals: [] });
    // the same files again: nothing new, nothing to list
    const again = JSON.parse((await cli('import', '--db', setup.db, '--athlete', 'Anna', setup.rides, '--json')).stdout);
    expect(again).toMatchObject({ new: 0, duplicates: 2, activities: [] });
  }, 120_000);

  it('plan status --json: done for the followed workout, missed for the skipped day, extra for the unplanned ride', async () => {
    const status = JSON.parse((await cli('plan', 'status', '--db', setup.db, '--athlete', 'anna', '--json')).stdout);
    expect(Object.keys(status).sort()).toEqual(['athlete', 'changes', 'extras', 'ftp', 'reason', 'version', 'workouts']);
    expect(status).toMatchObject({ athlete: 'Anna', ftp: FTP });
    expect(status.version).toBeGreaterThanOrEqual(1);
    const byId = new Map(status.workouts.map((w: { workoutId: string }) => [w.workoutId, w]));
    const followed = byId.get(setup.followed.key) as Record<string, unknown> & { compliance: { intervals: unknown[] } };
    expect(Object.keys(followed).sort()).toEqual(
      ['compliance', 'date', 'name', 'plannedMinutes', 'plannedTss', 'state', 'type', 'week', 'weekday', 'workoutId'].sort(),
    );
    expect(followed).toMatchObject({
      date: setup.followed.date,
      state: 'done',
      name: setup.followed.workout.name,
      week: expect.any(Number),
    });
    expect(followed.compliance).toMatchObject({ status: 'done', doneTss: expect.any(Number), doneMinutes: expect.any(Number) });
    expect(followed.compliance.intervals).toHaveLength(workIntervals(setup.followed.workout).length);
    expect(byId.get(setup.skipped.key)).toMatchObject({ date: setup.skipped.date, state: 'missed', compliance: null });
    // every workout after today is still to come
    const states = new Set(status.workouts.map((w: { state: string }) => w.state));
    expect([...states].every((s) => ['planned', 'done', 'partial', 'missed', 'moved'].includes(s as string))).toBe(true);
    expect(status.extras).toEqual([
      { activityId: expect.any(String), date: setup.extraDate, doneTss: expect.any(Number), doneMinutes: expect.any(Number) },
    ]);
    expect(status.extras[0].doneMinutes).toBeCloseTo(90, -1);
    expect(status.changes[0]).toMatchObject({ version: 1, reason: 'New analysis' });
  }, 60_000);

  it('plan status in text: a week per block, the followed workout ✓ and the skipped one ✗', async () => {
    const { stdout } = await cli('plan', 'status', '--db', setup.db, '--athlete', 'Anna');
    expect(stdout).toMatch(/^Anna's plan — version \d+, FTP 250 W/);
    expect(stdout).toMatch(/^Week 1 · /m);
    const line = (date: string) => stdout.split('\n').find((l) => l.includes(` ${date.slice(5)}  `)) ?? '';
    expect(line(setup.followed.date)).toMatch(/^ {2}✓ .* — done: /);
    expect(line(setup.skipped.date)).toMatch(/^ {2}✗ .* — missed/);
    expect(line(setup.extraDate)).toMatch(/^ {2}\+ .* — extra$/);
  }, 60_000);

  it('plan --profile still makes a plan, and a plan status usage error is bad input', async () => {
    const plan = JSON.parse((await cli('plan', '--profile', JSON.stringify(PROFILE), '--weeks', '4', '--json')).stdout);
    expect(plan.weeks).toHaveLength(4);
    expect((await cliFails({}, 'plan', '--json')).code).toBe(2);
    const noAthleteOption = await cliFails({}, 'plan', 'status', '--db', setup.db, '--json');
    expect(noAthleteOption.code).toBe(2);
    expect(noAthleteOption.stderr).toContain("'--athlete <name>'");
  }, 60_000);

  it('exit code 2 with a clear message: no such athlete, no plan, no database', async () => {
    const nobody = await cliFails({}, 'plan', 'status', '--db', setup.db, '--athlete', 'Nobody', '--json');
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('no athlete "Nobody"');
    // Ben has rides but no plan: import shows no matches
    const ben = JSON.parse((await cli('import', '--db', setup.db, '--athlete', 'Ben', join(setup.rides, 'extra.fit'), '--json')).stdout);
    expect(ben.activities).toEqual([expect.objectContaining({ date: setup.extraDate, match: null })]);
    const noPlan = await cliFails({}, 'plan', 'status', '--db', setup.db, '--athlete', 'Ben');
    expect(noPlan.code).toBe(2);
    expect(noPlan.stderr).toContain('Ben has no plan yet');
    const missing = join(setup.dir, 'missing.db');
    const noDb = await cliFails({}, 'plan', 'status', '--db', missing, '--athlete', 'Anna');
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain(`no database at ${missing}`);
  }, 60_000);
});
