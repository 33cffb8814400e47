/**
 * The store on each engine (a real SQLite file, a PostgreSQL database): migrations, metrics stored
 * under an older definition refreshed at open, profile history, runs, reminders, chat state,
 * scoping and privacy. Uploads are in store-uploads.test.ts. SQLite-only: migrating a file made by
 * the previous migrations folder, and the forgotten words being gone from the file's bytes.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/domain/activity.js';
import { dailyLoads, rideLoads } from '../../src/domain/training-load.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { MIGRATIONS_FOLDER } from '../../src/store/database.js';
import { Store, STORED_METRICS_VERSION, type Clock } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { storeEngines, type EngineStore, type EngineUnderTest } from '../support/engines.js';
import { sqliteOf, tempStore } from '../support/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function ride(seed: number, start: string, minutes = 60, ftp = 250): Activity {
  const bytes = encodeActivityFit([syntheticRide({ seed, startTime: new Date(start), durationSeconds: minutes * 60, ftp })]);
  const decoded = decodeFit(bytes, `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value[0]!;
}

/** The tables of the store's database, and how many rows of each carrying an `athlete_id` are the athlete's. */
async function rowsOf(engine: EngineUnderTest, opened: EngineStore, athleteId: string) {
  const owned: Record<string, number> = {};
  if (engine.name === 'SQLite') {
    const sqlite = sqliteOf(opened.store);
    const tables = (
      sqlite
        .prepare("select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' and name not like 'sqlite%'")
        .all() as { name: string }[]
    ).map((r) => r.name);
    for (const table of tables) {
      const columns = (sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      if (columns.includes('athlete_id'))
        owned[table] = (sqlite.prepare(`select count(*) n from ${table} where athlete_id = ?`).get(athleteId) as { n: number }).n;
    }
    return { tables, owned };
  }
  const client = new pg.Client(opened.path);
  await client.connect();
  try {
    const tables = (
      await client.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public'")
    ).rows.map((r) => r.name);
    const withColumn = await client.query<{ name: string }>(
      "select table_name as name from information_schema.columns where table_schema = 'public' and column_name = 'athlete_id'",
    );
    for (const { name } of withColumn.rows)
      owned[name] = Number(
        (await client.query<{ n: string }>(`select count(*) n from ${name} where athlete_id = $1`, [athleteId])).rows[0]!.n,
      );
    return { tables, owned };
  } finally {
    await client.end();
  }
}

// SQLite-only: the migrations folder of the previous version is SQLite's (migrations/pg/ has its own test).
describe('migrations on SQLite', () => {
  it('apply to a database at the previous migration, keeping its data', async () => {
    const { dir, cleanup } = await tempStore();
    cleanups.push(cleanup);
    // the migrations folder as it was before the newest migration
    const old = join(dir, 'migrations-previous');
    mkdirSync(join(old, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    expect(journal.entries.length).toBeGreaterThanOrEqual(2);
    const previous = { ...journal, entries: journal.entries.slice(0, -1) };
    writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify(previous));
    for (const e of previous.entries) cpSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(old, `${e.tag}.sql`));

    const path = join(dir, 'old.db');
    const before = await Store.open(path, { migrationsFolder: old });
    const athlete = await before.athleteForIdentity('telegram:1', 'Old Timer');
    // data written by the previous version (tables the newest migration does not touch)
    await before.athlete(athlete.id).updateProfile({ ftp: 251 });
    await before.setChatState('telegram:1', { step: 'weightKg' }, athlete.id);
    const schema = (s: Store) =>
      JSON.stringify(sqliteOf(s).prepare("select name, sql from sqlite_master where name not like 'sqlite%' order by name").all());
    const oldSchema = schema(before);
    await before.close();

    const after = await Store.open(path);
    cleanups.push(() => after.close());
    expect(schema(after)).not.toBe(oldSchema); // the newest migration was applied…
    expect((await after.athlete(athlete.id).currentProfile())!.ftp).toBe(251); // …and the data kept
    expect(await after.getChatState('telegram:1')).toEqual({ step: 'weightKg' });
    expect((await after.athlete(athlete.id).startRun()).status).toBe('running');
    expect(
      (await after.athlete(athlete.id).recordUpload(['s.fit'], { activities: [ride(2, '2026-01-07T08:00:00Z')], errors: [], bytes: 1234 }))
        .new,
    ).toBe(1);
    expect((await after.check()).integrity).toBe('ok');
  });
});

describe.each(storeEngines())('the store on $name', (engine) => {
  async function fresh(clock?: Clock) {
    const s = await engine.tempStore(clock);
    cleanups.push(s.cleanup);
    return s;
  }

  it('migrations apply to an empty database', async () => {
    const { store } = await fresh();
    expect(await store.check()).toMatchObject({ integrity: 'ok', counts: { athletes: 0, activities: 0, runs: 0, reminders: 0 } });
  });

  describe('stored metrics follow a changed definition', () => {
    it('a ride stored under an older metrics version is recomputed from its streams when the database opens', async () => {
      const { store, path, exec } = await fresh();
      const athleteId = (await store.athleteForIdentity('telegram:1', 'Anna')).id;
      const a = store.athlete(athleteId);
      const withStop = ride(5, '2026-02-01T08:00:00Z', 40);
      const streams = withStop.streams!;
      // a 10-minute stop after 20 minutes: later samples move 600 s along the clock
      withStop.streams = { ...streams, elapsed: streams.elapsed.map((t, i) => (i >= 1200 ? t + 600 : t)) };
      await a.recordUpload(['stop.fit'], { activities: [withStop], errors: [] });
      const [current] = await a.activitiesBetween(new Date('2026-01-01'), new Date('2026-03-01'));
      expect(current!.metrics.version).toBe(STORED_METRICS_VERSION);
      const clockBest = current!.metrics.powerCurve[1200]!;

      // what an older version wrote: the curve of the moving stream, no version
      const old = { ...current!.metrics, powerCurve: { ...current!.metrics.powerCurve, 1200: clockBest + 40 } } as Record<string, unknown>;
      delete old.version;
      await exec(`update activities set metrics = '${JSON.stringify(old).replaceAll("'", "''")}'`);
      const [stale] = await a.activitiesBetween(new Date('2026-01-01'), new Date('2026-03-01'));
      expect(stale!.metrics.powerCurve[1200]).toBe(clockBest + 40); // the old row is what the database holds
      await store.close();

      const reopened = await Store.open(path);
      try {
        const [refreshed] = await reopened.athlete(athleteId).activitiesBetween(new Date('2026-01-01'), new Date('2026-03-01'));
        expect(refreshed!.metrics.powerCurve[1200]).toBe(clockBest);
        expect(refreshed!.metrics.version).toBe(STORED_METRICS_VERSION);
        expect(await reopened.refreshStaleMetrics()).toBe(0); // nothing left to do on the next start
      } finally {
        await reopened.close();
      }
    });
  });

  describe('profile history', () => {
    it("an analysis across an FTP change uses each ride's own FTP", async () => {
      const { store } = await fresh(() => new Date('2026-06-01T00:00:00Z'));
      const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      await a.updateProfile({ ftp: 250, weightKg: 70, maxHr: 185 }, new Date('2026-01-01T00:00:00Z'));
      await a.updateProfile({ ftp: 300 }, new Date('2026-03-01T00:00:00Z'));
      await a.recordUpload(['feb.fit', 'apr.fit'], {
        activities: [ride(1, '2026-02-10T08:00:00Z', 60, 250), ride(2, '2026-04-10T08:00:00Z', 60, 300)],
        errors: [],
      });

      const history = await a.profileHistory();
      expect(history.map((p) => p.ftp)).toEqual([250, 300]);
      expect(history[1]!.weightKg).toBe(70); // carried over
      const stored = await a.activitiesBetween(new Date('2026-01-01'), new Date('2026-06-01'));
      const loads = rideLoads(
        stored.map((s) => s.activity),
        history,
      );
      expect(loads.map((l) => l.profile?.ftp)).toEqual([250, 300]);
      for (const load of loads) {
        const np = load.activity.normalizedPower!;
        const ftp = load.profile!.ftp!;
        const expected = (load.activity.movingSeconds! / 3600) * (np / ftp) ** 2 * 100;
        expect(load.metrics.tss).toBeCloseTo(expected, 6);
      }
      // judged by today's FTP the February ride would score lower: prove the difference is real
      const flat = rideLoads(
        stored.map((s) => s.activity),
        [history[1]!],
      );
      expect(flat[0]!.metrics.tss!).toBeLessThan(loads[0]!.metrics.tss! * 0.8);
      expect(dailyLoads(loads).map((d) => d.date)).toEqual(['2026-02-10', '2026-04-10']);
      expect((await a.profileAt(new Date('2025-12-01')))!.ftp).toBe(250); // before every version: the earliest
    });
  });

  describe('runs, reports, reminders, chat state', () => {
    it('records a run with phases, tokens, cost and reports', async () => {
      const { store } = await fresh();
      const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      const run = await a.startRun({ periodFrom: '2026-01-01', periodTo: '2026-06-30', provider: 'offline', model: 'rules' });
      await a.finishPhase(run.id, { phase: 'data-preparation', status: 'done', startedAt: new Date(), durationMs: 120 });
      await a.finishPhase(run.id, {
        phase: 'performance-analysis',
        status: 'degraded',
        startedAt: new Date(),
        durationMs: 800,
        inputTokens: 1000,
        outputTokens: 200,
        note: '529 overloaded',
      });
      await a.saveReports(run.id, [{ fileName: 'index.html', contentType: 'text/html', content: new TextEncoder().encode('<h1>hi</h1>') }]);
      const done = await a.finishRun(run.id, { status: 'done', degraded: true, inputTokens: 1000, outputTokens: 200, costUsd: 0.004 });
      expect(done).toMatchObject({ status: 'done', degraded: true, inputTokens: 1000, costUsd: 0.004, provider: 'offline' });
      expect(done.phases.map((p) => p.phase)).toEqual(['data-preparation', 'performance-analysis']);
      expect(new TextDecoder().decode((await a.reports(run.id))[0]!.content)).toBe('<h1>hi</h1>');
      expect((await a.latestRun('done'))!.id).toBe(run.id);
    });

    it('marks runs left running by a dead process as interrupted', async () => {
      const { store } = await fresh();
      const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      const run = await a.startRun();
      const done = await a.startRun();
      await a.finishRun(done.id, { status: 'done' });
      expect(await store.interruptUnfinishedRuns()).toEqual([{ athleteId: a.athleteId, runId: run.id }]);
      expect((await a.run(run.id))!.status).toBe('interrupted');
      expect((await a.run(done.id))!.status).toBe('done');
    });

    it('finds due reminders across athletes', async () => {
      const { store } = await fresh();
      const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      const b = store.athlete((await store.athleteForIdentity('discord:2', 'Ben')).id);
      await a.setReminder({ enabled: true, nextDueAt: new Date('2026-12-01T08:00:00Z') });
      await b.setReminder({ enabled: true, nextDueAt: new Date('2026-12-01T20:00:00Z') });
      expect((await store.dueReminders(new Date('2026-12-01T09:00:00Z'))).map((r) => r.athleteId)).toEqual([a.athleteId]);
      await b.setReminder({ enabled: false });
      expect((await store.dueReminders(new Date('2026-12-02T00:00:00Z'))).map((r) => r.athleteId)).toEqual([a.athleteId]);
    });

    it('keeps chat state across a restart', async () => {
      const { store, path } = await fresh();
      await store.setChatState('telegram:1', { pending: 'ftp', statusMessageId: 42 });
      await store.close();
      const reopened = await Store.open(path);
      cleanups.push(() => reopened.close());
      expect(await reopened.getChatState('telegram:1')).toEqual({ pending: 'ftp', statusMessageId: 42 });
    });
  });

  describe('isolation and privacy', () => {
    it("one athlete can never read or change another's rows", async () => {
      const { store } = await fresh();
      const anna = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      const ben = store.athlete((await store.athleteForIdentity('telegram:2', 'Ben')).id);
      const up = await anna.recordUpload(['a.fit'], { activities: [ride(1, '2026-02-01T08:00:00Z')], errors: [] });
      const run = await anna.startRun();
      await anna.saveReports(run.id, [{ fileName: 'index.html', contentType: 'text/html', content: new Uint8Array([1]) }]);

      expect(await ben.activity(up.activityIds[0]!)).toBeNull();
      expect(await ben.activitiesBetween(new Date(0), new Date('2100-01-01'))).toEqual([]);
      expect(await ben.run(run.id)).toBeNull();
      expect(await ben.reports(run.id)).toEqual([]);
      expect(await ben.runs()).toEqual([]);
      await expect(ben.saveReports(run.id, [{ fileName: 'x', contentType: 'text/plain', content: new Uint8Array() }])).rejects.toThrow();
      await expect(ben.finishPhase(run.id, { phase: 'p', status: 'done', startedAt: new Date(), durationMs: 1 })).rejects.toThrow();
      await ben.finishRun(run.id, { status: 'failed' }); // scoped: touches nothing
      expect((await anna.run(run.id))!.status).toBe('running');
      // the same file uploaded by both is two rows, one each
      expect((await ben.recordUpload(['a.fit'], { activities: [ride(1, '2026-02-01T08:00:00Z')], errors: [] })).new).toBe(1);
    });

    it('exports everything about a person, and forgetting leaves nothing behind', async () => {
      const opened = await fresh();
      const { store, path } = opened;
      const anna = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      await anna.linkIdentity('discord:11');
      const ben = store.athlete((await store.athleteForIdentity('telegram:2', 'Ben')).id);
      await anna.updateProfile({ ftp: 260, goals: 'Sub-5 at the Marmotte' });
      await anna.recordQuestion({
        provider: 'anthropic',
        model: 'claude-sonnet-5',
        intent: 'ftp',
        inputTokens: 4000,
        outputTokens: 100,
        costUsd: 0.009,
        grounded: true,
      });
      await anna.recordUpload(['a.fit'], {
        activities: [ride(1, '2026-02-01T08:00:00Z')],
        errors: [{ source: 'x.gpx', code: 'unsupported-format', message: 'GPX' }],
      });
      await ben.recordUpload(['b.fit'], { activities: [ride(2, '2026-02-02T08:00:00Z')], errors: [] });
      const run = await anna.startRun();
      await anna.finishPhase(run.id, { phase: 'data-preparation', status: 'done', startedAt: new Date(), durationMs: 5 });
      await anna.saveReports(run.id, [{ fileName: 'index.html', contentType: 'text/html', content: new TextEncoder().encode('report') }]);
      await anna.setReminder({ enabled: true, nextDueAt: new Date('2026-12-01T08:00:00Z') });
      await store.setChatState('telegram:1', { pending: 'weight' }, anna.athleteId);
      await store.setChatState('discord:11', { pending: null });

      const exported = await anna.export();
      expect(exported.athlete.identities.sort()).toEqual(['discord:11', 'telegram:1']);
      expect(exported.profileHistory[0]!.goals).toBe('Sub-5 at the Marmotte');
      expect(exported.activities).toHaveLength(1);
      // the recording itself, as plain numbers
      const streams = exported.activities[0]!.streams!;
      expect(streams.power!.length).toBe(exported.activities[0]!.movingSeconds);
      expect(streams.power!.every((w) => w === null || (w >= 0 && w < 2500 && Math.round(w * 10) === w * 10))).toBe(true);
      expect(exported.questions).toEqual([expect.objectContaining({ model: 'claude-sonnet-5', inputTokens: 4000, costUsd: 0.009 })]);
      expect(exported.uploads[0]!.errors).toHaveLength(1);
      expect(exported.runs[0]!.phases).toHaveLength(1);
      expect(exported.reportFiles.map((f) => f.fileName)).toEqual(['index.html']);
      expect(exported.reminder?.enabled).toBe(true);
      expect(exported.chatState).toHaveLength(2);
      expect(JSON.stringify(exported)).not.toContain(ben.athleteId);

      await anna.forget();
      const { tables, owned } = await rowsOf(engine, opened, anna.athleteId);
      expect(tables.length).toBeGreaterThanOrEqual(11);
      for (const [table, n] of Object.entries(owned)) expect(n, table).toBe(0);
      expect(await store.getChatState('telegram:1')).toBeNull();
      expect(await store.getChatState('discord:11')).toBeNull();
      expect(await store.findByIdentity('telegram:1')).toBeNull();
      // someone else's data is untouched
      expect(await ben.activityCount()).toBe(1);
      expect((await store.check()).integrity).toBe('ok');
      // and the deleted words are gone from the files too, not just unlinked (a SQLite file's bytes)
      if (engine.name === 'SQLite')
        for (const file of [path, `${path}-wal`]) {
          if (!existsSync(file)) continue;
          const bytes = readFileSync(file);
          expect(bytes.includes('Sub-5 at the Marmotte'), file).toBe(false);
          expect(bytes.includes(anna.athleteId), file).toBe(false);
        }
    });
  });
});
