/**
 * Analysis runs, their phases and report files (the RunRepository port) and the operator's
 * Maintenance behave the same on SQLite and on PostgreSQL: one behaviour suite, run on each engine
 * with two handles on one database, as two processes would hold. Runs started queued or running,
 * phases recorded and re-recorded, runs finished; newest first with ties in write order; the
 * newest reported run and its files; reports replaced, in name order, bytes intact, never another
 * athlete's; the start-up repair across athletes, each run reported once when two processes start
 * at once; runs stamped delivered once; checksums that move only with athletes' data; checks with
 * row counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgMaintenance } from '../../src/store/pg/repositories/integrity.js';
import { PgRunRepository, timeOrderedId } from '../../src/store/pg/repositories/runs.js';
import { lifted, type Maintenance, type RunRepository } from '../../src/store/ports.js';
import type { Clock, ReportFile } from '../../src/store/records.js';
import { SqliteMaintenance } from '../../src/store/repositories/integrity.js';
import { SqliteRunRepository } from '../../src/store/repositories/runs.js';
import { describePostgres } from '../support/postgres.js';

/** The runs port and the export's extra read. */
type Runs = RunRepository & { allReports(): Promise<(ReportFile & { runId: string })[]> };

/** One empty database with athletes `anna` and `ben`, seen by two processes. */
interface Handles {
  runs(athleteId: string): Runs;
  maintenance: Maintenance;
  /** The second process's maintenance. */
  second: Maintenance;
  /** Plain SQL that both engines accept. */
  exec(statement: string): Promise<void>;
  close(): Promise<void>;
}

const file = (fileName: string, text: string, contentType = 'text/html'): ReportFile => ({
  fileName,
  contentType,
  content: new TextEncoder().encode(text),
});
const text = (f: ReportFile | null) => (f ? new TextDecoder().decode(f.content) : null);
const phase = (name: string, startedAt: Date, durationMs = 10) => ({
  phase: name,
  status: 'done' as 'done' | 'degraded',
  startedAt,
  durationMs,
});
const ATHLETES = "insert into athletes (id, display_name, created_at, updated_at) values ('anna', 'Anna', 0, 0), ('ben', 'Ben', 0, 0)";

/** What each group of cases gets: a fresh database (athletes' runs at hand) and the test clock. */
interface Suite {
  fresh(): Promise<Handles & { anna: Runs; ben: Runs }>;
  now(): Date;
  later(ms: number): void;
}

/** The behaviour every engine has; `open` gives a fresh database with both athletes, on `clock`. */
function runsBehaviour(name: string, open: (clock: Clock) => Promise<Handles>): void {
  describe(`runs and maintenance on ${name}`, () => {
    let now: Date;
    let opened: Handles[] = [];
    const suite: Suite = {
      fresh: async () => {
        const handles = await open(() => now);
        opened.push(handles);
        return { ...handles, anna: handles.runs('anna'), ben: handles.runs('ben') };
      },
      now: () => now,
      later: (ms) => void (now = new Date(now.getTime() + ms)),
    };
    beforeEach(() => {
      now = new Date('2026-12-01T10:00:00Z');
    });
    afterEach(async () => {
      for (const handles of opened) await handles.close();
      opened = [];
    });
    startCases(suite);
    finishCases(suite);
    reportCases(suite);
    maintenanceCases(suite);
  });
}

function startCases({ fresh, now, later }: Suite): void {
  it('starts runs running or queued with their options, and marks a queued one running', async () => {
    const { anna } = await fresh();
    const run = await anna.startRun({
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
      provider: 'offline',
      model: 'rules',
      inputHash: 'h',
    });
    expect(run).toMatchObject({ status: 'running', periodFrom: '2026-01-01', provider: 'offline', model: 'rules', inputHash: 'h' });
    expect(run).toMatchObject({ degraded: false, inputTokens: 0, outputTokens: 0, costUsd: 0, errorCode: null, staleReason: null });
    expect(run).toMatchObject({ createdAt: now(), startedAt: now(), finishedAt: null, phases: [] });
    const queued = await anna.startRun({ status: 'queued' });
    expect(queued).toMatchObject({ status: 'queued', periodFrom: null, provider: null, inputHash: null, startedAt: null });
    const created = now();
    later(5_000);
    await anna.markRunning(queued.id);
    expect(await anna.run(queued.id)).toMatchObject({ status: 'running', startedAt: now(), createdAt: created });
    expect(await anna.run('no-such-run')).toBeNull();
  });

  it('stamps a run delivered once (true the first time), never another athlete’s', async () => {
    const { anna, ben } = await fresh();
    const run = await anna.startRun({ status: 'queued' });
    expect(run.deliveredAt).toBeNull();
    const stamped = now();
    expect(await ben.markDelivered(run.id)).toBe(false);
    expect(await anna.markDelivered(run.id)).toBe(true);
    later(1_000);
    expect(await anna.markDelivered(run.id)).toBe(false);
    expect((await anna.run(run.id))?.deliveredAt).toEqual(stamped);
    expect(await anna.markDelivered('no-such-run')).toBe(false);
  });

  it('records phases in the order they started (ties in the order recorded), re-recording one in place', async () => {
    const { anna, ben } = await fresh();
    const run = await anna.startRun();
    const [t0, t1, early] = [now(), new Date(now().getTime() + 5), new Date(now().getTime() - 1)];
    await anna.finishPhase(run.id, phase('zeta', t1, 12.6));
    await anna.finishPhase(run.id, phase('mid', t0));
    await anna.finishPhase(run.id, { ...phase('early', early), inputTokens: 7, outputTokens: 3, note: 'n' });
    await anna.finishPhase(run.id, phase('alpha', t0));
    expect((await anna.run(run.id))!.phases[3]).toMatchObject({ phase: 'zeta', durationMs: 13, note: null });
    await anna.finishPhase(run.id, { ...phase('zeta', new Date(0), 99), status: 'degraded', inputTokens: 50, note: '529' });
    const { phases } = (await anna.run(run.id))!;
    expect(phases.map((p) => p.phase)).toEqual(['early', 'mid', 'alpha', 'zeta']);
    expect(phases[0]).toEqual({ ...phase('early', early), inputTokens: 7, outputTokens: 3, note: 'n' });
    // re-recorded: status, duration and note change; start and tokens stay
    expect(phases[3]).toEqual({ ...phase('zeta', t1, 99), status: 'degraded', inputTokens: 0, outputTokens: 0, note: '529' });
    await expect(ben.finishPhase(run.id, phase('x', t0))).rejects.toThrow(`no run ${run.id} for this athlete`);
    await expect(anna.finishPhase('no-such-run', phase('x', t0))).rejects.toThrow('no run no-such-run for this athlete');
  });
}

function finishCases({ fresh, now, later }: Suite): void {
  it('finishes a run with its usage, keeping provider and model unless given; never another athlete’s', async () => {
    const { anna, ben } = await fresh();
    const run = await anna.startRun({ provider: 'offline', model: 'rules' });
    later(60_000);
    const done = await anna.finishRun(run.id, { status: 'done', degraded: true, inputTokens: 1000, outputTokens: 200, costUsd: 0.004 });
    expect(done).toMatchObject({ status: 'done', degraded: true, inputTokens: 1000, outputTokens: 200, costUsd: 0.004 });
    expect(done).toMatchObject({ provider: 'offline', model: 'rules', errorCode: null, errorMessage: null, finishedAt: now() });
    const failure = { status: 'failed', provider: 'anthropic', model: 'm', errorCode: 'llm', errorMessage: 'down' } as const;
    const failed = await anna.finishRun(run.id, failure);
    expect(failed).toMatchObject({ ...failure, degraded: false, inputTokens: 0, costUsd: 0 });
    expect(await ben.finishRun(run.id, { status: 'done' })).toBeNull();
    await ben.markRunning(run.id);
    expect(await anna.run(run.id)).toEqual(failed);
    expect(await ben.run(run.id)).toBeNull();
    expect(await ben.runs()).toEqual([]);
  });

  it('lists runs newest first, ties in the order written; the latest run, of any status or one', async () => {
    const { anna, ben } = await fresh();
    expect(await anna.latestRun()).toBeNull();
    const first = await anna.startRun();
    const second = await anna.startRun();
    const third = await anna.startRun({ status: 'queued' });
    later(-60_000); // written last, created earliest (a clock set back)
    const past = await anna.startRun();
    await ben.startRun();
    await anna.finishRun(first.id, { status: 'done' });
    await anna.finishRun(second.id, { status: 'done' });
    expect((await anna.runs()).map((r) => r.id)).toEqual([third.id, second.id, first.id, past.id]);
    expect((await anna.latestRun())!.id).toBe(third.id);
    expect((await anna.latestRun('done'))!.id).toBe(second.id);
    expect((await anna.latestRun('running'))!.id).toBe(past.id);
    expect(await anna.latestRun('failed')).toBeNull();
  });
}

function reportCases({ fresh, later }: Suite): void {
  it('finds the newest finished run with reports, and its files', async () => {
    const { anna, ben } = await fresh();
    expect(await anna.latestReportedRun()).toBeNull();
    const older = await anna.startRun();
    await anna.saveReports(older.id, [file('index.html', 'older'), file('plan.ics', 'ics', 'text/calendar')]);
    await anna.finishRun(older.id, { status: 'done' });
    later(1_000);
    const bare = await anna.startRun(); // done without reports
    await anna.finishRun(bare.id, { status: 'done' });
    const running = await anna.startRun(); // reports, not finished
    await anna.saveReports(running.id, [file('index.html', 'running')]);
    const failed = await anna.startRun();
    await anna.saveReports(failed.id, [file('index.html', 'failed')]);
    await anna.finishRun(failed.id, { status: 'failed' });
    expect((await anna.latestReportedRun())!.id).toBe(older.id);
    expect(text(await anna.latestReportedFile('index.html'))).toBe('older');
    expect(await anna.latestReportedFile('plan.ics')).toMatchObject({ contentType: 'text/calendar' });
    expect(await anna.latestReportedFile('missing.html')).toBeNull();
    await anna.finishRun(running.id, { status: 'done' });
    expect((await anna.latestReportedRun())!.id).toBe(running.id);
    expect(text(await anna.latestReportedFile('index.html'))).toBe('running');
    expect(await anna.latestReportedFile('plan.ics')).toBeNull();
    expect(await ben.latestReportedRun()).toBeNull();
    expect(await ben.latestReportedFile('index.html')).toBeNull();
  });

  it('saves reports: replaced by name, listed in byte order, bytes intact, scoped to their athlete', async () => {
    const { anna, ben } = await fresh();
    const run = await anna.startRun();
    const bytes = new Uint8Array([0, 255, 1, 128, 0]);
    await anna.saveReports(run.id, [file('index.html', 'v1'), file('a.txt', 'a'), { fileName: 'B.bin', contentType: 'x', content: bytes }]);
    await anna.saveReports(run.id, [file('index.html', 'v2', 'text/x-html')]);
    await anna.saveReports(run.id, []);
    const saved = await anna.reports(run.id);
    expect(saved.map((f) => f.fileName)).toEqual(['B.bin', 'a.txt', 'index.html']);
    expect(saved[0]!.content).toBeInstanceOf(Uint8Array);
    expect([...saved[0]!.content]).toEqual([...bytes]);
    expect(await anna.reportFile(run.id, 'index.html')).toMatchObject({ contentType: 'text/x-html' });
    expect(text(await anna.reportFile(run.id, 'index.html'))).toBe('v2');
    expect(await anna.reportFile(run.id, 'missing')).toBeNull();
    expect(await anna.reports('no-such-run')).toEqual([]);
    expect(await ben.reports(run.id)).toEqual([]);
    expect(await ben.reportFile(run.id, 'index.html')).toBeNull();
    await expect(ben.saveReports(run.id, [file('x', 'x')])).rejects.toThrow(`no run ${run.id} for this athlete`);
    expect(await ben.allReports()).toEqual([]);
    const other = await anna.startRun();
    later(1_000);
    await anna.saveReports(other.id, [file('index.html', 'other')]);
    const all = await anna.allReports();
    const expected = [`${run.id} B.bin`, `${run.id} a.txt`, `${run.id} index.html`, `${other.id} index.html`];
    expect(all.map((f) => `${f.runId} ${f.fileName}`).sort()).toEqual(expected.sort());
    expect(text(all.find((f) => f.runId === other.id)!)).toBe('other');
  });
}

function maintenanceCases({ fresh, now, later }: Suite): void {
  it('interrupts the runs left queued or running, of every athlete, once', async () => {
    const { anna, ben, maintenance } = await fresh();
    const [running, queued, done] = [await anna.startRun(), await anna.startRun({ status: 'queued' }), await anna.startRun()];
    await anna.finishRun(done.id, { status: 'done' });
    const bens = await ben.startRun();
    later(3_600_000);
    const interrupted = await maintenance.interruptUnfinishedRuns();
    const expected = [running, queued].map((r) => ({ athleteId: 'anna', runId: r.id }));
    expect(interrupted).toHaveLength(3);
    expect(interrupted).toEqual(expect.arrayContaining([...expected, { athleteId: 'ben', runId: bens.id }]));
    const message = 'The service restarted while this run was in progress.';
    const after = { status: 'interrupted', errorCode: 'interrupted', errorMessage: message, finishedAt: now() };
    expect(await anna.run(running.id)).toMatchObject(after);
    expect(await ben.run(bens.id)).toMatchObject(after);
    expect(await anna.run(done.id)).toMatchObject({ status: 'done' });
    expect(await maintenance.interruptUnfinishedRuns()).toEqual([]);
  });

  it('two processes starting at once report each unfinished run once', async () => {
    const { anna, ben, maintenance, second } = await fresh();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await (i % 2 ? anna : ben).startRun({ status: i % 3 ? 'running' : 'queued' })).id);
    const [a, b] = await Promise.all([maintenance.interruptUnfinishedRuns(), second.interruptUnfinishedRuns()]);
    expect([...a, ...b].map((r) => r.runId).sort()).toEqual([...ids].sort());
  });

  it('checksums what athletes own, not the quota counters nor the inbox; checks and counts', async () => {
    const { anna, ben, maintenance, exec } = await fresh();
    const run = await anna.startRun();
    await anna.saveReports(run.id, [file('index.html', 'report')]);
    const before = await maintenance.checksum();
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(await maintenance.checksum()).toBe(before);
    await exec("insert into usage_events (id, subject, kind, amount, at) values ('u1', 'someone', 'file', 1, 0)");
    await exec("insert into chat_updates (transport, update_id, payload, received_at) values ('telegram', 1, '{}', 0)");
    await anna.saveReports(run.id, [file('index.html', 'report')]); // the same bytes, the same time
    expect(await maintenance.checksum()).toBe(before);
    await anna.saveReports(run.id, [file('index.html', 'reporT')]);
    const changed = await maintenance.checksum();
    expect(changed).not.toBe(before);
    await ben.startRun();
    expect(await maintenance.checksum()).not.toBe(changed);
    await anna.finishPhase(run.id, phase('p', now()));
    expect(await maintenance.quickCheck()).toBe('ok');
    const report = await maintenance.check();
    const counts = { athletes: 2, runs: 2, runPhases: 1, reports: 1, usageEvents: 1, chatUpdates: 1 };
    expect(report).toMatchObject({ integrity: 'ok', counts });
    expect(Object.keys(report.counts)).toHaveLength(23);
  });
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-runs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  runsBehaviour('sqlite', async (clock) => {
    const path = join(dir, `runs-${++files}.db`);
    const first = openDatabase(path);
    const second = openDatabase(path);
    first.sqlite.exec(ATHLETES);
    return {
      runs: (athleteId) => lifted<Runs>(new SqliteRunRepository({ db: first.db, athleteId, clock })),
      maintenance: lifted<Maintenance>(new SqliteMaintenance(first, clock)),
      second: lifted<Maintenance>(new SqliteMaintenance(second, clock)),
      exec: async (statement) => void first.sqlite.exec(statement),
      close: async () => {
        first.close();
        second.close();
      },
    };
  });
});

describePostgres('postgres', (server) => {
  const openPg = async (clock: Clock, refresh: () => Promise<number> = async () => 0) => {
    const url = await server().freshDatabase();
    const first = await openPostgres(url, { max: 4 });
    const second = await openPostgres(url, { max: 4 });
    await first.pool.query(ATHLETES);
    return {
      runs: (athleteId: string) => new PgRunRepository({ db: first.db, athleteId, clock }),
      maintenance: new PgMaintenance(first, clock, refresh),
      second: new PgMaintenance(second, clock, refresh),
      exec: async (statement: string) => void (await first.pool.query(statement)),
      close: async () => {
        await first.close();
        await second.close();
      },
    };
  };

  runsBehaviour('postgres', openPg);

  it('refuses backups (pg_dump makes them), hands the metrics repair on, and says why the server does not answer', async () => {
    let refreshed = 0;
    const handles = await openPg(
      () => new Date(),
      async () => ++refreshed,
    );
    try {
      await expect(handles.maintenance.backup('/tmp/x.db')).rejects.toThrow(/PostgreSQL store are made with pg_dump/);
      expect(await handles.maintenance.refreshStaleMetrics()).toBe(1);
      expect(refreshed).toBe(1);
    } finally {
      await handles.close();
    }
    expect(await handles.maintenance.quickCheck()).toMatch(/pool/i);
  });
});

describe('time-ordered run ids', () => {
  it('order by all but their first 8 digits, past 4096 in one millisecond; the first 8 (what chat shows) differ', () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId());
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(ids.every((id, i) => i === 0 || ids[i - 1]!.slice(9) < id.slice(9))).toBe(true);
    // 10,000 random 32-bit prefixes: a collision has odds of about 1 in 86
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeGreaterThan(9_990);
  });
});
