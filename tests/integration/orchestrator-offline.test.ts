/**
 * The offline coach end to end on awkward athletes, and the orchestrator's isolation rules,
 * with a scripted model that records every request. On each store engine, but see `engines` below.
 * (The period, the event day and the first week: orchestrator-timeline.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineCoach } from '../../src/llm/offline/offline-coach.js';
import type { LlmProvider } from '../../src/llm/provider.js';
import type { RunEvent } from '../../src/orchestrator/events.js';
import { loadPrompts } from '../../src/orchestrator/prompts.js';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { RunFailure } from '../../src/orchestrator/run-failure.js';
import { renderReports } from '../../src/report/render.js';
import type { Store } from '../../src/store/store.js';
import { scriptedProvider } from '../fakes/scripted-provider.js';
import { seasonActivities, seedAthlete } from '../support/athlete.js';
import { storeEngines, type EngineUnderTest } from '../support/engines.js';
import { julyRides as rides } from '../support/july-rides.js';
import { ANALYSIS_ANSWER, PLANNING_ANSWER } from '../support/model-answers.js';

/**
 * PostgreSQL runs the cases that use the store in their own way: a whole run (a season of rides,
 * the run, its phases and reports), a failed run, and two athletes in one store. The others differ
 * from these in the coach only, not in what they store or read: they run on SQLite alone (every
 * case on PostgreSQL too would more than double the file's time).
 */
const engines = storeEngines();
const sqlite = engines[0]!;

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

async function fresh(engine: EngineUnderTest = sqlite) {
  const s = await engine.tempStore(() => new Date('2026-11-24T12:00:00Z'));
  cleanups.push(s.cleanup);
  return s.store;
}

describe.each(engines)('offline coach on awkward athletes on $name', (engine) => {
  it("a full season: all phases done, reports carry the engine's numbers, events in order", async () => {
    const store = await fresh(engine);
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

  it('no rides at all: a clear failure recorded on the run', async () => {
    const store = await fresh(engine);
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

describe('offline coach on awkward athletes', () => {
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

describe.each(engines)('isolation on $name', (engine) => {
  it("each phase starts a fresh conversation holding only its own inputs, and only this athlete's data", async () => {
    const store = await fresh(engine);
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
