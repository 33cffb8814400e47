/**
 * `/plan`, `/report` and questions find the latest finished run and its files in a constant number
 * of SQL statements, whatever the number of runs: counted on a real SQLite file through the
 * store's `onQuery` hook (better-sqlite3's `verbose`), for 1 run and for 50.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { latestDoneRun, planOfRun, runJsonOf, storedPlan } from '../../src/conversation/stored-plan.js';
import { PLAN_FILE } from '../../src/orchestrator/run-result.js';
import { REPORT_FILES } from '../../src/report/report-model.js';
import type { AthleteStore } from '../../src/store/store.js';
import { tempStore } from '../support/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const text = (s: string) => new TextEncoder().encode(s);

/** An athlete with `count` finished runs, each with phases, its reports, plan.json and run.json. */
async function athleteWithRuns(count: number) {
  let now = Date.parse('2026-01-01T08:00:00Z');
  const statements: string[] = [];
  const s = await tempStore(() => new Date((now += 60_000)), { onQuery: (sql) => statements.push(sql) });
  cleanups.push(s.cleanup);
  const athlete = s.store.athlete((await s.store.athleteForIdentity('telegram:1', 'Anna')).id);
  for (let i = 0; i < count; i++) {
    const run = await athlete.startRun({ provider: 'offline', model: 'offline' });
    for (const phase of ['analysis', 'planning'])
      await athlete.finishPhase(run.id, { phase, status: 'done', startedAt: new Date(now), durationMs: 1_000 });
    await athlete.finishRun(run.id, { status: 'done' });
    await athlete.saveReports(run.id, [
      ...REPORT_FILES.map((fileName) => ({ fileName, contentType: 'text/html', content: text(`<p>${fileName} ${i}</p>`.repeat(500)) })),
      { fileName: PLAN_FILE, contentType: 'application/json', content: text(JSON.stringify({ run: i })) },
      {
        fileName: 'run.json',
        contentType: 'application/json',
        content: text(JSON.stringify({ generatedAt: new Date(now).toISOString() })),
      },
    ]);
  }
  // a newer run that failed, and a newer one still running: neither has a plan to show
  await athlete.finishRun((await athlete.startRun()).id, { status: 'failed', errorCode: 'x' });
  await athlete.startRun();
  return { athlete, statements };
}

/** The statements `read` runs. */
async function counted(statements: string[], read: () => Promise<unknown>): Promise<string[]> {
  statements.length = 0;
  await read();
  return [...statements];
}

/** What `/plan` and `/report` read of the store: the latest finished run, its plan, run.json and report files. */
async function planAndReport(athlete: AthleteStore): Promise<void> {
  const run = await latestDoneRun(athlete);
  if (!run) throw new Error('no run');
  await planOfRun(athlete, run.id);
  await runJsonOf(athlete, run.id);
  await athlete.reports(run.id);
  await storedPlan(athlete);
}

describe('the latest finished run and its plan', () => {
  it('are found among 50 runs: the newest done run with reports, and its own files', async () => {
    const { athlete } = await athleteWithRuns(50);
    const run = (await latestDoneRun(athlete))!;
    expect(run.id).toBe((await athlete.runs()).find((r) => r.status === 'done')!.id);
    expect(run.phases.map((p) => p.phase)).toEqual(['analysis', 'planning']);
    expect(await storedPlan(athlete)).toEqual({ run: 49 });
    expect(await planOfRun(athlete, run.id)).toEqual({ run: 49 });
    expect((await athlete.reports(run.id)).map((f) => f.fileName)).toEqual([...REPORT_FILES, PLAN_FILE, 'run.json'].sort());
    expect(await athlete.reportFile(run.id, 'missing.html')).toBeNull();
    expect(await athlete.runs()).toHaveLength(52);
  });

  it('a done run without reports, or with no plan, is passed over or has none', async () => {
    const { athlete } = await athleteWithRuns(2);
    const newest = await athlete.startRun();
    await athlete.finishRun(newest.id, { status: 'done' });
    expect((await latestDoneRun(athlete))!.id).not.toBe(newest.id); // no reports: not a run to show
    await athlete.saveReports(newest.id, [{ fileName: 'index.html', contentType: 'text/html', content: text('<p>new</p>') }]);
    expect((await latestDoneRun(athlete))!.id).toBe(newest.id);
    expect(await storedPlan(athlete)).toBeNull(); // the newest finished analysis made no plan: not an older one's
  });

  it('cost one SQL statement each, for 1 run as for 50', async () => {
    const one = await athleteWithRuns(1);
    const fifty = await athleteWithRuns(50);
    for (const read of [
      (a: AthleteStore) => latestDoneRun(a),
      (a: AthleteStore) => storedPlan(a),
      async (a: AthleteStore) => planOfRun(a, (await latestDoneRun(a))!.id),
    ]) {
      expect((await counted(one.statements, () => read(one.athlete))).length).toBeLessThanOrEqual(2);
      expect(await counted(fifty.statements, () => read(fifty.athlete))).toHaveLength(
        (await counted(one.statements, () => read(one.athlete))).length,
      );
    }
    expect(await counted(fifty.statements, () => latestDoneRun(fifty.athlete))).toHaveLength(1);
    expect(await counted(fifty.statements, () => storedPlan(fifty.athlete))).toHaveLength(1);
  });

  it('/plan and /report together issue the same statements for 1 run and for 50', async () => {
    const one = await athleteWithRuns(1);
    const fifty = await athleteWithRuns(50);
    const forOne = await counted(one.statements, () => planAndReport(one.athlete));
    const forFifty = await counted(fifty.statements, () => planAndReport(fifty.athlete));
    expect(forOne).toHaveLength(5);
    expect(forFifty.length).toBe(forOne.length);
    // the same statements, only the ids bound to them differ
    const shape = (sql: string) => sql.replace(/'[0-9a-f-]+'(\/\*\+\d+ bytes\*\/)?/g, '?');
    expect(forFifty.map(shape)).toEqual(forOne.map(shape));
  });

  it('every run with its phases is one statement too', async () => {
    const { athlete, statements } = await athleteWithRuns(50);
    expect(await counted(statements, () => athlete.runs())).toHaveLength(1);
  });
});
