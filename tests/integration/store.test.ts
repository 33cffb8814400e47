/**
 * The store on a real SQLite file: migrations, uploads that never duplicate, merging across
 * sources, all-or-nothing writes, profile history, runs, reminders, scoping and privacy.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/domain/activity.js';
import { computeActivityMetrics } from '../../src/domain/metrics/index.js';
import { dailyLoads, rideLoads } from '../../src/domain/training-load.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import { MIGRATIONS_FOLDER } from '../../src/store/database.js';
import * as schema from '../../src/store/schema.js';
import { Store, STORED_METRICS_VERSION } from '../../src/store/store.js';
import { encodeStreams, decodeStreams } from '../../src/store/stream-codec.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { corpusBytes, corpusFitFiles, describeCorpus } from '../support/corpus.js';
import { tempStore } from '../support/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function fresh(clock?: () => Date) {
  const s = await tempStore(clock);
  cleanups.push(s.cleanup);
  return s;
}

function ride(seed: number, start: string, minutes = 60, ftp = 250): Activity {
  const bytes = encodeActivityFit([syntheticRide({ seed, startTime: new Date(start), durationSeconds: minutes * 60, ftp })]);
  const decoded = decodeFit(bytes, `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value[0]!;
}

const stravaDate = (d: Date) => {
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `"${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}"`;
};

/** A Strava-style activities.csv with one row per given ride (start shifted by `shiftSeconds`). */
function csvFor(rides: { id: string; start: Date; name: string; type?: string }[], shiftSeconds = 0): Uint8Array {
  const header =
    'Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Filename,Elapsed Time,Moving Time,Distance,Average Watts,Weighted Average Power,Power Count';
  const rows = rides.map(
    (r) =>
      `${r.id},${stravaDate(new Date(r.start.getTime() + shiftSeconds * 1000))},${r.name},${r.type ?? 'Ride'},,3600,30.5,,3600.0,3500.0,30500.0,200,230,3600`,
  );
  return new TextEncoder().encode([header, ...rows].join('\n'));
}

describe('migrations', () => {
  it('apply to an empty database', async () => {
    const { store } = await fresh();
    expect(await store.check()).toMatchObject({ integrity: 'ok', counts: { athletes: 0, activities: 0, runs: 0, reminders: 0 } });
  });

  it('apply to a database at the previous migration, keeping its data', async () => {
    const { dir } = await fresh();
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
      JSON.stringify(
        (s as unknown as { opened: { sqlite: import('better-sqlite3').Database } }).opened.sqlite
          .prepare("select name, sql from sqlite_master where name not like 'sqlite%' order by name")
          .all(),
      );
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

describe('uploads', () => {
  it('records new rides, recognises the same file again, and says how many were new', async () => {
    const { store } = await fresh();
    const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
    const rides = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z')];
    expect(await a.recordUpload(['a.fit', 'b.fit'], { activities: rides, errors: [] })).toMatchObject({ new: 2, duplicates: 0, merged: 0 });
    expect(await a.recordUpload(['a.fit', 'b.fit'], { activities: rides, errors: [] })).toMatchObject({ new: 0, duplicates: 2, merged: 0 });
    expect(await a.activityCount()).toBe(2);
  });

  it('merges the same ride from a FIT file and a Strava CSV row, in either order', async () => {
    for (const order of ['fit-first', 'csv-first'] as const) {
      const { store } = await fresh();
      const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      const fits = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z')];
      const csv = await ingestFile(
        csvFor(
          fits.map((f, i) => ({ id: String(100 + i), start: f.startTime, name: `Morning ride ${i}` })),
          40,
        ),
        'activities.csv',
      );
      if (!csv.ok) throw new Error(csv.error.message);
      const first = order === 'fit-first' ? fits : csv.value.activities;
      const second = order === 'fit-first' ? csv.value.activities : fits;
      expect((await a.recordUpload(['first'], { activities: first, errors: [] })).new).toBe(2);
      expect(await a.recordUpload(['second'], { activities: second, errors: [] })).toMatchObject({ new: 0, merged: 2 });
      const stored = await a.activitiesBetween(new Date('2026-01-01'), new Date('2026-03-01'), { streams: true });
      expect(stored).toHaveLength(2);
      for (const [i, s] of stored.entries()) {
        expect(s.activity.sourceKind, order).toBe('fit'); // the recording wins
        expect(s.activity.streams?.power).not.toBeNull();
        expect(s.activity.name, order).toBe(`Morning ride ${i}`); // the row's name is kept
        expect(s.activity.externalId).toBe(String(100 + i));
        expect(s.sources).toHaveLength(2);
      }
    }
  });

  it('never merges two different Strava activities that started within a minute', async () => {
    const { store } = await fresh();
    const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
    const start = new Date('2026-02-01T08:00:00Z');
    const csv = await ingestFile(
      csvFor([
        { id: '1', start, name: 'Head unit' },
        { id: '2', start: new Date(start.getTime() + 20_000), name: 'Watch' },
      ]),
      'activities.csv',
    );
    if (!csv.ok) throw new Error(csv.error.message);
    expect((await a.recordUpload(['activities.csv'], { activities: csv.value.activities, errors: [] })).new).toBe(2);
  });

  it('writes nothing when the upload fails half-way (crash between two activities)', async () => {
    const { store } = await fresh();
    const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
    await a.recordUpload(['old.fit'], { activities: [ride(9, '2026-01-01T08:00:00Z')], errors: [] });
    const before = (await store.check()).counts;
    const rides = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z'), ride(3, '2026-02-05T08:00:00Z')];
    await expect(
      a.recordUpload(
        ['a.fit', 'b.fit', 'c.fit'],
        { activities: rides, errors: [] },
        {
          afterActivity: (i) => {
            if (i === 1) throw new Error('simulated crash');
          },
        },
      ),
    ).rejects.toThrow('simulated crash');
    expect((await store.check()).counts).toEqual(before);
    expect((await a.recordUpload(['a.fit', 'b.fit', 'c.fit'], { activities: rides, errors: [] })).new).toBe(3);
  });

  it("keeps streams to the device's resolution (codec round trip) and reloads summaries without them", async () => {
    const r = ride(5, '2026-02-01T08:00:00Z', 90);
    const back = decodeStreams(encodeStreams(r.streams!));
    const resolution: Record<string, number> = {
      elapsed: 0,
      power: 0.05,
      heartRate: 0.05,
      cadence: 0.05,
      speed: 0.0005,
      altitude: 0.005,
      distance: 0.005,
      latitude: 1e-7,
      longitude: 1e-7,
    };
    for (const key of Object.keys(r.streams!) as (keyof typeof back)[]) {
      const original = r.streams![key];
      if (original === null) {
        expect(back[key], key).toBeNull();
        continue;
      }
      const decoded = back[key]!;
      expect(decoded.length).toBe(original.length);
      for (let i = 0; i < original.length; i++) {
        if (Number.isNaN(original[i]!)) expect(Number.isNaN(decoded[i]!), key).toBe(true);
        else expect(Math.abs(decoded[i]! - original[i]!), `${key}[${i}]`).toBeLessThanOrEqual(resolution[key]! + 1e-9);
      }
    }
    // device integers (power, heart rate) come back exactly, and NaN stays NaN
    const withGap = {
      ...r.streams!,
      power: Float32Array.from([250, NaN, NaN, 251, 0, 1999]),
      elapsed: Float64Array.from([0, 1, 2, 3, 4, 5]),
      heartRate: null,
      cadence: null,
      speed: null,
      altitude: null,
      distance: null,
      latitude: null,
      longitude: null,
    };
    expect(Array.from(decodeStreams(encodeStreams(withGap)).power!)).toEqual([250, NaN, NaN, 251, 0, 1999]);
    // metrics from the stored streams equal the metrics from the file
    const restored = { ...r, streams: back };
    expect(computeActivityMetrics(restored, { ftp: 250 }).normalizedPower).toBeCloseTo(
      computeActivityMetrics(r, { ftp: 250 }).normalizedPower!,
      1,
    );
    const { store } = await fresh();
    const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
    await a.recordUpload(['r.fit'], { activities: [r], errors: [] });
    const [summary] = await a.activitiesBetween(new Date('2026-01-01'), new Date('2027-01-01'));
    expect(summary!.activity.streams).toBeNull();
    expect(summary!.metrics.powerCurve['60']).toBeGreaterThan(0);
    expect(summary!.activity.movingSeconds).toBe(r.streams!.elapsed.length);
  });
});

describe('deleting one activity', () => {
  it('removes it with its sources (the same file can come again), marks the finished runs that read it stale, and touches nothing else', async () => {
    let now = new Date('2026-03-01T10:00:00Z');
    const { store } = await fresh(() => now);
    const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
    const b = store.athlete((await store.athleteForIdentity('telegram:2', 'Ben')).id);
    const early = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z')];
    const ids = (await a.recordUpload(['a.fit', 'b.fit'], { activities: early, errors: [] })).activityIds;
    await b.recordUpload(['a.fit'], { activities: [early[0]!], errors: [] });
    now = new Date('2026-03-01T11:00:00Z');
    const before = await a.startRun({ inputHash: 'h1' });
    await a.finishRun(before.id, { status: 'done' });
    expect(await a.run(before.id)).toMatchObject({ inputHash: 'h1', staleReason: null });
    now = new Date('2026-03-01T12:00:00Z');
    const late = (await a.recordUpload(['c.fit'], { activities: [ride(3, '2026-02-05T08:00:00Z')], errors: [] })).activityIds[0]!;
    expect((await a.recentActivities(2)).map((s) => s.activity.id)).toEqual([late, ids[1]]);
    expect(await a.activityIdsStartingWith(late.slice(0, 8).toUpperCase())).toEqual([late]);
    expect(await a.activityIdsStartingWith(ids[0]!.slice(0, 8))).toEqual([ids[0]]);
    // Ben's id is not Anna's to find or delete.
    const bensId = (await b.recentActivities(1))[0]!.activity.id;
    expect(await a.activityIdsStartingWith(bensId.slice(0, 8))).toEqual([]);
    expect(await a.deleteActivity(bensId, 'no')).toBeNull();

    // The ride stored after the run: the run did not read it.
    expect(await a.deleteActivity(late, 'deleted c')).toEqual({ staleRunIds: [] });
    // A ride the run read: the run is stale, with the reason.
    const versions = await a.activityVersions();
    expect(await a.deleteActivity(ids[0]!, 'deleted a')).toEqual({ staleRunIds: [before.id] });
    expect((await a.run(before.id))!.staleReason).toBe('deleted a');
    expect(await a.deleteActivity(ids[0]!, 'again')).toBeNull();
    expect(await a.activityCount()).toBe(1);
    expect(await a.activityVersions()).toEqual(versions.filter((v) => v.id !== ids[0]));
    expect(await b.activityCount()).toBe(1);
    expect((await store.check()).counts.activitySources).toBe(2); // Anna's b.fit, Ben's a.fit
    // The same file again is new, not a duplicate of a deleted ride.
    expect(await a.recordUpload(['a.fit'], { activities: [early[0]!], errors: [] })).toMatchObject({ new: 1, duplicates: 0 });
  });
});

describe('stored metrics follow a changed definition', () => {
  it('a ride stored under an older metrics version is recomputed from its streams when the database opens', async () => {
    const { store, path } = await fresh();
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
    store.db.update(schema.activities).set({ metrics: old }).run();
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
    const { store, path } = await fresh();
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
    const sqlite = (store as unknown as { opened: { sqlite: import('better-sqlite3').Database } }).opened.sqlite;
    const tables = (
      sqlite
        .prepare("select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' and name not like 'sqlite%'")
        .all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables.length).toBeGreaterThanOrEqual(11);
    for (const table of tables) {
      const columns = (sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      if (columns.includes('athlete_id'))
        expect(sqlite.prepare(`select count(*) n from ${table} where athlete_id = ?`).get(anna.athleteId), table).toEqual({ n: 0 });
    }
    expect(await store.getChatState('telegram:1')).toBeNull();
    expect(await store.getChatState('discord:11')).toBeNull();
    expect(await store.findByIdentity('telegram:1')).toBeNull();
    // someone else's data is untouched
    expect(await ben.activityCount()).toBe(1);
    expect((await store.check()).integrity).toBe('ok');
    // and the deleted words are gone from the files too, not just unlinked
    for (const file of [path, `${path}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      expect(bytes.includes('Sub-5 at the Marmotte'), file).toBe(false);
      expect(bytes.includes(anna.athleteId), file).toBe(false);
    }
  });
});

describeCorpus('uploads of the real corpus', () => {
  it('the FIT folder twice and the Strava CSV twice leave one row per real activity', async () => {
    const { store } = await fresh();
    const a = store.athlete((await store.athleteForIdentity('cli:anna', 'Anna')).id);
    const fitActivities: Activity[] = [];
    for (const file of corpusFitFiles()) {
      const r = await ingestFile(corpusBytes('fit', file), file);
      if (r.ok) fitActivities.push(...r.value.activities);
    }
    const csv = await ingestFile(corpusBytes('strava', 'activities-2025-99col.csv'), 'activities.csv');
    if (!csv.ok) throw new Error(csv.error.message);

    const first = await a.recordUpload(corpusFitFiles(), { activities: fitActivities, errors: [] });
    // bad-file-crc.fit and bad-truncated.fit are the same FIT SDK sample run: one activity
    expect(first).toMatchObject({ new: 15, merged: 1, duplicates: 0 });
    expect(await a.recordUpload(corpusFitFiles(), { activities: fitActivities, errors: [] })).toMatchObject({
      new: 0,
      merged: 0,
      duplicates: 16,
    });
    expect(await a.recordUpload(['activities.csv'], { activities: csv.value.activities, errors: [] })).toMatchObject({
      new: 1845,
      duplicates: 0,
    });
    expect(await a.recordUpload(['activities.csv'], { activities: csv.value.activities, errors: [] })).toMatchObject({
      new: 0,
      duplicates: 1845,
    });
    expect(await a.activityCount()).toBe(15 + 1845);
  });
});
