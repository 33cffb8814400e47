/**
 * The offline coach end to end on awkward athletes, and the orchestrator's isolation rules,
 * with a scripted model that records every request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/domain/activity.js';
import { addDays, longDate } from '../../src/domain/calendar.js';
import { performanceManagementChart } from '../../src/domain/metrics/pmc.js';
import { loadFactSheet } from '../../src/orchestrator/fact-sheet.js';
import { summaryText } from '../../src/conversation/messages/summary.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { createOfflineCoach } from '../../src/llm/offline/offline-coach.js';
import type { LlmProvider } from '../../src/llm/provider.js';
import type { RunEvent } from '../../src/orchestrator/events.js';
import { loadPrompts } from '../../src/orchestrator/prompts.js';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { RunFailure } from '../../src/orchestrator/run-failure.js';
import { renderReports } from '../../src/report/render.js';
import type { Store } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { scriptedProvider } from '../fakes/scripted-provider.js';
import { seasonActivities, seedAthlete } from '../support/athlete.js';
import { ANALYSIS_ANSWER, PLANNING_ANSWER } from '../support/model-answers.js';
import { tempStore } from '../support/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function orchestrator(store: Store, provider: LlmProvider = createOfflineCoach()) {
  return new Orchestrator({
    store,
    provider,
    offline: createOfflineCoach(),
    prompts: loadPrompts(),
    clock: () => new Date('2026-11-24T12:00:00Z'),
    renderReports,
  });
}

async function fresh() {
  const s = await tempStore(() => new Date('2026-11-24T12:00:00Z'));
  cleanups.push(s.cleanup);
  return s.store;
}

function rides(count: number, options: { powerMeter?: boolean; heartRateMonitor?: boolean } = {}): Activity[] {
  return Array.from({ length: count }, (_, i) => {
    const spec = syntheticRide({
      seed: 40 + i,
      startTime: new Date(Date.UTC(2026, 6, 1 + i * 3, 7)),
      durationSeconds: 3600 + (i % 3) * 1800,
      ftp: 240,
      kind: i % 4 === 0 ? 'intervals' : 'endurance',
      powerMeter: options.powerMeter ?? true,
      heartRateMonitor: options.heartRateMonitor ?? true,
    });
    const decoded = decodeFit(encodeActivityFit([spec]), `r${i}.fit`);
    if (!decoded.ok) throw new Error(decoded.error.message);
    return decoded.value[0]!;
  });
}

describe('offline coach on awkward athletes', () => {
  it("a full season: all phases done, reports carry the engine's numbers, events in order", async () => {
    const store = await fresh();
    const athleteId = await seedAthlete(store);
    const events: RunEvent[] = [];
    const result = await orchestrator(store).run({ athleteId, planStartDate: '2026-11-30', onEvent: (e) => events.push(e) });
    expect(result.status).toBe('done');
    expect(result.phases.every((p) => p.status === 'done')).toBe(true);
    expect(events[0]).toMatchObject({ type: 'run-started' });
    expect(events.filter((e) => e.type === 'phase-started').map((e) => (e as { phase: string }).phase)).toEqual([
      'data-preparation',
      'performance-analysis',
      'training-planning',
      'report-generation',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'run-done', degraded: false });
    const json = result.runJson;
    const index = result.files.find((f) => f.fileName === 'index.html')!.content;
    expect(index).toContain(String(json.bests['1200']));
    expect(index).toContain(String(json.fitness.ctl));
    expect(result.report.analysis.keyTrends.join(' ')).toMatch(/TSS a week/);
    expect(result.report.plan!.weeks).toHaveLength(8);
    // every key number carries its trend against the previous period
    const key = (label: string) => result.report.keyNumbers.find((k) => k.label === label)!;
    for (const label of ['FTP', 'eFTP (CP model)', 'W/kg', 'Fitness (CTL)', 'Fatigue (ATL)', 'Form (TSB)', 'Volume', 'Best 20 min'])
      expect(key(label).trend?.direction, label).not.toBeNull();
    expect(key('FTP').trend).toEqual({ percent: 0, direction: 'flat' }); // one FTP all along
    expect(key('Form (TSB)').trend!.percent).toBeNull(); // form crosses zero: direction only
  });

  it('no FTP: estimates it from the rides and says so; no hours or days: takes them from the rides', async () => {
    const store = await fresh();
    const athlete = await store.athleteForIdentity('telegram:5', 'NoFtp');
    await store.athlete(athlete.id).updateProfile({ weightKg: 68 }, new Date('2025-01-01'));
    await store.athlete(athlete.id).recordUpload(['season'], { activities: seasonActivities(), errors: [] });
    const result = await orchestrator(store).run({ athleteId: athlete.id, planStartDate: '2026-11-30' });
    expect(result.status).toBe('done');
    const codes = result.warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['ftp-estimated', 'hours-estimated', 'days-estimated']));
    expect(result.runJson.athlete.ftpSource).toBe('estimated');
    expect(result.runJson.athlete.ftp).toBeGreaterThan(150);
    expect(result.report.plan).not.toBeNull();
    expect(result.report.keyNumbers.find((k) => k.label === 'FTP')!.note).toMatch(/estimated/);
  });

  it('heart rate only, no power meter: load from hrTSS, the analysis says there is no power', async () => {
    const store = await fresh();
    const athlete = await store.athleteForIdentity('telegram:6', 'HrOnly');
    await store
      .athlete(athlete.id)
      .updateProfile({ maxHr: 190, lthr: 170, restingHr: 50, weeklyHours: 6, trainingDays: ['mon', 'wed', 'sat'] }, new Date('2025-01-01'));
    await store.athlete(athlete.id).recordUpload(['r'], { activities: rides(12, { powerMeter: false }), errors: [] });
    const result = await orchestrator(store).run({ athleteId: athlete.id, planStartDate: '2026-11-30' });
    expect(result.status).toBe('done');
    expect(result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['no-ftp', 'no-power']));
    expect(result.runJson.fitness.ctl).toBeGreaterThan(0);
    expect(result.report.plan).toBeNull(); // no FTP: no power targets to plan with
    expect(result.report.planNotes!.coachingNotes[0]).toMatch(/FTP/);
  });

  it('no rides at all: a clear failure recorded on the run', async () => {
    const store = await fresh();
    const athlete = await store.athleteForIdentity('telegram:7', 'Empty');
    const failure = await orchestrator(store)
      .run({ athleteId: athlete.id, planStartDate: '2026-11-30' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(RunFailure);
    expect(failure).toMatchObject({ code: 'no-activities' });
    const run = (await store.athlete(athlete.id).latestRun())!;
    expect(run).toMatchObject({ status: 'failed', errorCode: 'no-activities' });
  });
});

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

describe('token budget', () => {
  it("a model that uses the run's budget up is replaced by the offline coach; the run completes degraded", async () => {
    const store = await fresh();
    const athleteId = await seedAthlete(store);
    const model = scriptedProvider('anthropic');
    model.enqueue({ toolCalls: [{ name: 'get_period_summary', arguments: {} }], usage: { inputTokens: 29_000, outputTokens: 2_000 } });
    const result = await orchestrator(store, model).run({ athleteId, planStartDate: '2026-11-30' });
    expect(result.status).toBe('degraded');
    expect(result.degradedReason).toMatch(/budget/);
    expect(result.phases.map((p) => [p.name, p.status, p.provider])).toEqual([
      ['data-preparation', 'done', 'engine'],
      ['performance-analysis', 'degraded', 'offline'],
      ['training-planning', 'degraded', 'offline'],
      ['report-generation', 'done', 'engine'],
    ]);
    expect(result.report.plan).not.toBeNull();
    expect(result.usage).toEqual({ inputTokens: 29_000, outputTokens: 2_000 });
    expect(model.pending()).toBe(0);
  });
});

describe('a model that skips the plan', () => {
  it('answers the planning phase without proposing a plan: the engine builds it, and says so', async () => {
    const store = await fresh();
    const athleteId = await seedAthlete(store);
    const model = scriptedProvider('anthropic');
    model.enqueue({ text: JSON.stringify(ANALYSIS_ANSWER) }, { text: JSON.stringify(PLANNING_ANSWER) });
    const result = await orchestrator(store, model).run({ athleteId, planStartDate: '2026-11-30' });
    expect(result.status).toBe('done');
    expect(result.report.plan).not.toBeNull();
    expect(result.report.plan!.weeks.length).toBeGreaterThanOrEqual(4);
    expect(result.warnings.map((w) => w.code)).toContain('plan-by-engine');
  });
});

describe('isolation', () => {
  it("each phase starts a fresh conversation holding only its own inputs, and only this athlete's data", async () => {
    const store = await fresh();
    const anna = await seedAthlete(store, 'telegram:1', 'Anna');
    const ben = await store.athleteForIdentity('telegram:2', 'Ben Secretname');
    await store.athlete(ben.id).updateProfile({ ftp: 311, goals: 'BEN-PRIVATE-GOAL' });
    await store.athlete(ben.id).recordUpload(['b'], { activities: rides(3), errors: [] });
    const model = scriptedProvider();
    model.enqueue(
      { toolCalls: [{ name: 'search_activities', arguments: { from: '2000-01-01', to: '2030-01-01', limit: 20 } }] },
      { text: JSON.stringify(ANALYSIS_ANSWER) },
      { toolCalls: [{ name: 'get_planning_context', arguments: {} }] },
      { toolCalls: [{ name: 'propose_plan', arguments: { weeks: 5 } }] },
      { text: JSON.stringify(PLANNING_ANSWER) },
    );
    const result = await orchestrator(store, model).run({ athleteId: anna, planStartDate: '2026-11-30' });
    expect(result.status).toBe('done');
    const [analysis1, , planning1] = model.requests;
    expect(analysis1!.messages).toHaveLength(1);
    expect(planning1!.messages).toHaveLength(1);
    expect(planning1!.purpose).toBe('training-planning');
    // the planning phase sees the analysis, not the raw fact sheet
    expect(planning1!.messages[0]!.content).toContain('Main limiter: **VO2max**');
    expect(planning1!.messages[0]!.content).not.toContain('"comparison"');
    const everything = JSON.stringify(model.requests);
    expect(everything).not.toContain('BEN-PRIVATE-GOAL');
    expect(everything).not.toContain('Secretname');
    expect(everything).not.toContain('"ftp":311');
    // the activity search found only Anna's rides
    const searchResult = model.requests[1]!.messages.at(-1) as { content: string };
    expect(searchResult.content).toContain('"count":40');
  });
});

describe('the first week with the coach', () => {
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

  it("a Strava CSV without power meter or heart rate: load, CTL and weekly TSS from Strava's estimated power and ride time, rides counted apart, the estimated share said", async () => {
    const store = await fresh();
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
