/**
 * When the rides, the run, the plan and the event fall, on the offline coach: the period ends with
 * the latest ride and fitness fades from there to the plan's start; form on the event day; events
 * out of one plan's reach; the first week with the coach (a Strava CSV alone, rides months old).
 * PostgreSQL runs the Strava CSV case only (rides without streams, device or measured power, and
 * other sports, stored and read back); the others use the store as every run does and run on
 * SQLite alone (every case on PostgreSQL too would more than double the file's time). Split from
 * orchestrator-offline.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/domain/activity.js';
import { addDays, longDate } from '../../src/domain/calendar.js';
import { performanceManagementChart } from '../../src/domain/metrics/pmc.js';
import { loadFactSheet } from '../../src/orchestrator/fact-sheet.js';
import { summaryText } from '../../src/conversation/messages/summary.js';
import type { Store } from '../../src/store/store.js';
import { seedAthlete } from '../support/athlete.js';
import { storeEngines, type EngineUnderTest } from '../support/engines.js';
import { julyRides as rides } from '../support/july-rides.js';
import { offlineOrchestrator } from '../support/offline-orchestrator.js';

const engines = storeEngines();
const sqlite = engines[0]!;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const orchestrator = (store: Store) => offlineOrchestrator(store, new Date('2026-11-24T12:00:00Z'));

async function fresh(engine: EngineUnderTest = sqlite) {
  const s = await engine.tempStore(() => new Date('2026-11-24T12:00:00Z'));
  cleanups.push(s.cleanup);
  return s.store;
}

describe('the period and the fitness the plan starts from', () => {
  it('end with the latest ride, not a later run; fitness faded since then is carried to the plan start', async () => {
    const store = await fresh();
    const athlete = await store.athleteForIdentity('telegram:8', 'Faded');
    await store
      .athlete(athlete.id)
      .updateProfile({ ftp: 240, weightKg: 70, trainingDays: ['tue', 'thu', 'sat', 'sun'], weeklyHours: 7 }, new Date('2025-01-01'));
    const season = rides(12); // July 2026
    const lastRide = season.at(-1)!.startTime.toISOString().slice(0, 10);
    const laterRun: Activity = {
      ...season[0]!,
      id: 'later-run',
      sourceHash: 'later-run',
      sport: 'running',
      startTime: new Date('2026-10-20T07:00:00Z'),
    };
    await store.athlete(athlete.id).recordUpload(['season'], { activities: [...season, laterRun], errors: [] });
    const result = await orchestrator(store).run({ athleteId: athlete.id, planStartDate: '2026-11-30' });
    expect(result.runJson.period.to).toBe(lastRide);
    const ctlAtLastRide = result.runJson.fitness!.ctl!;
    const carried = result.warnings.find((w) => w.code === 'fitness-carried-forward');
    // the date spelled out (was ISO: "2026-07-31"), as the summary says it
    expect(carried?.message).toMatch(new RegExp(`latest ride was on ${longDate(lastRide)}, \\d+ days before the plan starts`));
    // four months without riding: CTL decays by exp(-days/42), and the later run's load (hrTSS: it
    // has heart rate) counts on the way — other sports are apart from the volume, not from the load
    const [, now, then] = /fitness \(CTL\) (\d+\.\d) rather than (\d+\.\d)/.exec(carried!.message)!;
    expect(Number(then)).toBeCloseTo(ctlAtLastRide, 1);
    const run = (await loadFactSheet(store.athlete(athlete.id), 6, undefined, '2026-11-24'))!.loads.find(
      (l) => l.activity.sport === 'running',
    )!.metrics;
    expect(run.loadSource).toMatch(/^heart-rate/);
    const carriedOn = performanceManagementChart([{ date: '2026-10-20', load: run.load! }], {
      start: addDays(lastRide, 1),
      end: '2026-11-29',
      initialCtl: ctlAtLastRide,
      initialAtl: result.runJson.fitness!.atl!,
    }).at(-1)!;
    expect(Number(now)).toBeCloseTo(carriedOn.ctl, 1);
    expect(Number(now)).toBeLessThan(ctlAtLastRide / 5);
  });
});

describe('the event day', () => {
  it("the reports say where form (TSB) will be on the event day, from the plan's projection", async () => {
    const store = await fresh();
    const athleteId = await seedAthlete(store);
    await store.athlete(athleteId).updateProfile({ eventDate: '2027-02-21' }, new Date('2026-11-24T12:00:00Z'));
    const result = await orchestrator(store).run({ athleteId, planStartDate: '2026-11-30' });
    expect(result.report.plan!.eventDate).toBe('2027-02-21');
    expect(result.report.plan!.weeks.at(-1)!.phase).toBe('taper');
    const day = result.report.projectedPmc.find((p) => p.date === '2027-02-21')!;
    // the report quotes form in whole numbers (−1.9 reads −2)
    const tsb = String(Math.round(day.tsb)).replace('-', '−');
    const index = result.files.find((f) => f.fileName === 'index.html')!.content;
    expect(index).toMatch(new RegExp(`On the event day the plan puts your form \\(TSB\\) at <strong>${tsb}</strong>`));
    expect(day.tsb).toBeGreaterThan(result.report.projectedPmc.find((p) => p.date === '2027-02-07')!.tsb); // fresher than at the end of the peak
    const dashboard = result.files.find((f) => f.fileName === 'performance_dashboard.html')!.content;
    expect(dashboard).toContain('On the event day');
  });
});

describe("events out of one plan's reach", () => {
  it.each([
    ['32 weeks away', '2027-07-05', 'event-far', /is 32 weeks away, more than the 24 weeks one plan covers/],
    ['already past', '2026-06-01', 'event-past', /has passed/],
  ])('an event %s still gets a plan, without peak and taper, and says why', async (_, eventDate, code, words) => {
    const store = await fresh();
    const athleteId = await seedAthlete(store);
    await store.athlete(athleteId).updateProfile({ eventDate }, new Date('2026-11-24T12:00:00Z'));
    const result = await orchestrator(store).run({ athleteId, planStartDate: '2026-11-30' });
    expect(result.report.plan).not.toBeNull();
    expect(result.report.plan!.weeks.length).toBeGreaterThanOrEqual(4);
    expect(result.report.plan!.weeks.some((w) => w.phase === 'taper')).toBe(false);
    const warning = result.warnings.find((w) => w.code === code);
    expect(warning?.message).toMatch(words);
    expect(result.warnings.map((w) => w.code)).not.toContain('no-plan');
  });
});

/** Strava CSV rows without power meter or heart rate: Strava's estimated power on most rides, runs and hikes between. */
function stravaRows(): Activity[] {
  const base = rides(1)[0]!;
  const row = (i: number, sport: string, fields: Partial<Activity>): Activity => ({
    ...base,
    id: `csv-${i}`,
    sourceHash: `csv-${i}`,
    sourceKind: 'strava-csv',
    streams: null,
    device: null,
    laps: [],
    sport,
    startTime: new Date(Date.UTC(2026, 4, 1 + i, 7)),
    movingSeconds: 5400,
    timerSeconds: 5400,
    avgHeartRate: null,
    maxHeartRate: null,
    normalizedPower: null,
    avgPower: null,
    maxPower: null,
    power: 'none',
    ...fields,
  });
  return Array.from({ length: 60 }, (_, i) =>
    i % 3 === 2
      ? row(i, i % 2 ? 'running' : 'hiking', { movingSeconds: 3600 })
      : row(i, 'cycling', i % 5 === 0 ? {} : { power: 'estimated', avgPower: 170 }),
  );
}

describe.each(engines)('the first week with the coach on $name', (engine) => {
  it("a Strava CSV without power meter or heart rate: load, CTL and weekly TSS from Strava's estimated power and ride time, rides counted apart, the estimated share said", async () => {
    const store = await fresh(engine);
    const athlete = await store.athleteForIdentity('telegram:20', 'CsvOnly');
    await store
      .athlete(athlete.id)
      .updateProfile({ ftp: 250, weeklyHours: 6, trainingDays: ['tue', 'thu', 'sat', 'sun'] }, new Date('2025-01-01'));
    await store.athlete(athlete.id).recordUpload(['activities.csv'], { activities: stravaRows(), errors: [] });
    const result = await orchestrator(store).run({ athleteId: athlete.id, planStartDate: '2026-11-30' });
    const json = result.runJson;
    expect(json.fitness.ctl).toBeGreaterThan(0);
    expect(json.volume.weeklyLoad).toBeGreaterThan(0);
    expect(json.volume.activities).toBe(40);
    // the last run comes after the latest ride, which ends the period
    expect(json.volume.otherSports).toEqual([
      { sport: 'hiking', count: 10, hours: 10 },
      { sport: 'running', count: 9, hours: 9 },
    ]);
    expect(json.volume.estimatedLoadPercent).toBe(100);
    // 32 rides at Strava's 170 W (IF 0.68 at FTP 250), 8 by time at IF 0.65: 1.5 h × (0.68² × 32 + 0.65² × 8) × 100 TSS
    const estimated = result.warnings.find((w) => w.code === 'load-estimated')!.message;
    const total = 1.5 * (0.68 ** 2 * 32 + 0.65 ** 2 * 8) * 100;
    const fromStrava = Math.round(((1.5 * 0.68 ** 2 * 32 * 100) / total) * 100);
    expect(estimated).toBe(
      `100 % of this load is estimated rather than measured with a power meter: ${fromStrava} % from Strava's estimated power (taken as NP), ${100 - fromStrava} % from ride time at an assumed IF 0.65 (42.25 TSS an hour).`,
    );
    const text = summaryText(result, '2026-11-24').text;
    expect(text).toMatch(/^2025-12-29 – 2026-06-28: 40 activities, 60\.0 h, \d+ TSS a week\./m);
    expect(text).toMatch(/^Those are your rides; other sports apart: \+ 10 hikes, 10\.0 h · 9 runs, 9\.0 h/m);
    expect(text).toContain(estimated);
  });
});

describe('the first week with the coach', () => {
  it('rides that ended months ago: the summary dates the latest ride and fades fitness to today; the plan opens with a return block', async () => {
    const store = await fresh();
    const athlete = await store.athleteForIdentity('telegram:21', 'Stale');
    await store
      .athlete(athlete.id)
      .updateProfile({ ftp: 240, weeklyHours: 7, trainingDays: ['tue', 'thu', 'sat', 'sun'] }, new Date('2025-01-01'));
    const season = rides(12); // July 2026, the run on 24 Nov 2026
    await store.athlete(athlete.id).recordUpload(['season'], { activities: season, errors: [] });
    const result = await orchestrator(store).run({ athleteId: athlete.id, planStartDate: '2026-11-30' });
    const json = result.runJson;
    const lastRide = json.period.to;
    expect(json.latestRide).toEqual({
      date: lastRide,
      daysAgo: Math.round((Date.parse('2026-11-24') - Date.parse(lastRide)) / 86_400_000),
    });
    expect(json.fitnessToday!.date).toBe('2026-11-24');
    expect(json.fitnessToday!.ctl).toBeLessThan(json.fitness.ctl! * 0.2);
    const text = summaryText(result, '2026-11-24').text;
    expect(text).toMatch(
      new RegExp(
        `^Your latest ride was on ${longDate(lastRide)}, 3 months ago\\. On that day:\nFitness CTL ${json.fitness.ctl!.toFixed(1)} · fatigue ATL [\\d.]+ · form TSB -?[\\d.]+\nAs of today, 24 Nov 2026, faded since: fitness CTL ${json.fitnessToday!.ctl.toFixed(1)} · `,
        'm',
      ),
    );
    expect(text).not.toMatch(/train normally|last 6 months/);
    const week1 = result.report.plan!.weeks[0]!;
    expect(week1.phase).toBe('recovery');
    expect(week1.days.flatMap((d) => d.workouts).every((w) => w.intensity === 'easy')).toBe(true);
    expect(text).toMatch(/^Week 1 \(recovery\) — .*\n(?:.*\n){7}Note: Return block: your latest ride was on /m);
  });
});
