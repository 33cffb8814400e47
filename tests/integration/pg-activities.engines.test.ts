/**
 * One athlete's activities as read (the ActivityRepository port, plus the export's
 * `allWithStreams` and the start-up refresh of stale metrics) behave the same on SQLite and on
 * PostgreSQL: one behaviour suite, run on each engine on a fresh database. By period, by id, the
 * newest, short ids, versions, every one with streams; deleting one marks the runs that read it
 * stale; metrics stored under an older definition are recomputed — and one athlete never sees
 * another's rides. Uploads' dedupe and merge: pg-uploads.engines.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/domain/activity.js';
import { STORED_METRICS_VERSION } from '../../src/domain/metrics/stored-metrics.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { openDatabase } from '../../src/store/database.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgActivityRepository, refreshStaleMetricsPg } from '../../src/store/pg/repositories/activities.js';
import { PgUploadRepository } from '../../src/store/pg/repositories/uploads.js';
import { lifted, type ActivityRepository, type UploadRepository } from '../../src/store/ports.js';
import type { Clock, StoredActivity } from '../../src/store/records.js';
import { refreshStaleMetrics, SqliteActivityRepository } from '../../src/store/repositories/activities.js';
import { SqliteUploadRepository } from '../../src/store/repositories/uploads.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { describePostgres } from '../support/postgres.js';

/** One athlete's activity and upload repositories, as the port objects callers use. */
interface Repos {
  activities: ActivityRepository & { allWithStreams(): Promise<StoredActivity[]> };
  uploads: UploadRepository;
}

/** A fresh empty database on one engine. */
interface Engine {
  /** The repositories of athlete `id` (its row made on first use). */
  athlete(id: string): Promise<Repos>;
  /** SQL with $1… parameters, each used once and in order; the rows as the driver gives them. */
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  refreshStaleMetrics(): Promise<number>;
  close(): Promise<void>;
}

type Query = Engine['query'];

const ATHLETE_ROW = 'insert into athletes (id, display_name, created_at, updated_at) values ($1, $2, $3, $4) on conflict do nothing';
const at = (iso: string) => new Date(iso);

function ride(seed: number, start: string, minutes = 30): Activity {
  const bytes = encodeActivityFit([syntheticRide({ seed, startTime: at(start), durationSeconds: minutes * 60, ftp: 250 })]);
  const decoded = decodeFit(bytes, `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value[0]!;
}

/** The same ride as `r` from a second device: another file, so merged into `r`'s row, not a duplicate. */
const secondDevice = (r: Activity, name: string): Activity => ({ ...r, id: `${r.id}-2`, source: name, sourceHash: `${r.sourceHash}-2` });

const addRun = (query: Query, athleteId: string, id: string, status: string, createdAt: Date) =>
  query('insert into runs (id, athlete_id, status, created_at) values ($1, $2, $3, $4)', [id, athleteId, status, createdAt.getTime()]);

const count = async (query: Query, table: string) => Number((await query(`select count(*) as n from ${table}`))[0]!.n);

/** The behaviour every engine's activity repository has; `open` gives a fresh empty database each time, on `clock`. */
function activityBehaviour(name: string, open: (clock: Clock) => Promise<Engine>): void {
  describe(`activities as read on ${name}`, () => {
    let now: Date;
    const clock = () => now;
    let engine: Engine;
    beforeEach(async () => {
      now = at('2026-03-01T10:00:00Z');
      engine = await open(clock);
    });
    afterEach(async () => engine.close());

    it('reads by period, by id and the newest, with streams only when asked, with their sources; never another athlete’s', async () => {
      const anna = await engine.athlete('anna');
      const ben = await engine.athlete('ben');
      const rides = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z'), ride(3, '2026-02-05T08:00:00Z')];
      const ids = (await anna.uploads.recordUpload(['r.fit'], { activities: rides, errors: [] })).activityIds;
      expect(await anna.uploads.recordUpload(['w.fit'], { activities: [secondDevice(rides[1]!, 'watch.fit')], errors: [] })).toMatchObject({
        merged: 1,
      });
      const bens = (await ben.uploads.recordUpload(['r.fit'], { activities: [rides[0]!], errors: [] })).activityIds[0]!;

      const between = await anna.activities.activitiesBetween(at('2026-02-01T08:00:01Z'), at('2026-02-05T08:00:00Z'));
      expect(between.map((s) => s.activity.id)).toEqual([ids[1]]);
      const [second] = between;
      expect(second!.activity).toMatchObject({ name: rides[1]!.name, startTime: rides[1]!.startTime, sport: 'cycling', streams: null });
      expect(second!.activity.laps[0]!.startTime).toEqual(rides[1]!.laps[0]!.startTime);
      expect([...second!.sources].sort()).toEqual(['ride-2.fit', 'watch.fit']);
      expect(second!.metrics).toMatchObject({ version: STORED_METRICS_VERSION, hasCyclingPower: true });
      const withStreams = await anna.activities.activitiesBetween(at('2026-01-01'), at('2026-03-01'), { streams: true });
      expect(withStreams.map((s) => s.activity.id)).toEqual(ids);
      expect(withStreams.every((s) => s.activity.streams!.power!.length === 1800)).toBe(true);

      expect((await anna.activities.activity(ids[0]!))!.activity.streams!.power).not.toBeNull();
      expect((await anna.activities.activity(ids[0]!, { streams: false }))!.activity.streams).toBeNull();
      expect((await anna.activities.activity(ids[0]!))!.sources).toEqual(['ride-1.fit']);
      expect(await anna.activities.activity(bens)).toBeNull();
      expect(await anna.activities.activity('no-such-id')).toBeNull();

      expect(await anna.activities.activityCount()).toBe(3);
      expect(await ben.activities.activityCount()).toBe(1);
      expect(await (await engine.athlete('cleo')).activities.activityCount()).toBe(0);
      const recent = await anna.activities.recentActivities(2);
      expect(recent.map((s) => s.activity.id)).toEqual([ids[2], ids[1]]);
      expect(recent.every((s) => s.activity.streams === null)).toBe(true);
      expect((await anna.activities.recentActivities(2.9)).length).toBe(2);
      expect(await anna.activities.recentActivities(0)).toEqual([]);
      expect(await anna.activities.recentActivities(-3)).toEqual([]);
      expect(await (await engine.athlete('cleo')).activities.activitiesBetween(at('2000-01-01'), at('2100-01-01'))).toEqual([]);
    });

    it('finds short ids (any case, stray characters ignored) and lists versions by id, changed by a merge', async () => {
      const anna = await engine.athlete('anna');
      const ben = await engine.athlete('ben');
      const rides = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z')];
      const ids = (await anna.uploads.recordUpload(['r.fit'], { activities: rides, errors: [] })).activityIds;
      const bens = (await ben.uploads.recordUpload(['r.fit'], { activities: [rides[0]!], errors: [] })).activityIds[0]!;
      expect(await anna.activities.activityIdsStartingWith(ids[0]!.slice(0, 8).toUpperCase())).toEqual([ids[0]]);
      expect(await anna.activities.activityIdsStartingWith(` #${ids[1]!.slice(0, 6)}!`)).toEqual([ids[1]]);
      expect(await anna.activities.activityIdsStartingWith(ids[1]!)).toEqual([ids[1]]);
      expect(await anna.activities.activityIdsStartingWith(bens.slice(0, 8))).toEqual([]);
      expect(await anna.activities.activityIdsStartingWith('')).toEqual([]);
      expect(await anna.activities.activityIdsStartingWith('xyz')).toEqual([]);
      expect(await anna.activities.activityIdsStartingWith('%')).toEqual([]);

      const versions = await anna.activities.activityVersions();
      expect(versions.map((v) => v.id)).toEqual([...ids].sort());
      expect(versions.find((v) => v.id === ids[0])).toEqual({ id: ids[0], updatedAt: now.getTime(), sourceHash: rides[0]!.sourceHash });
      now = at('2026-03-01T11:00:00Z');
      await anna.uploads.recordUpload(['w.fit'], { activities: [secondDevice(rides[0]!, 'watch.fit')], errors: [] });
      const after = await anna.activities.activityVersions();
      expect(after.find((v) => v.id === ids[0])!.updatedAt).toBe(now.getTime());
      expect(after.find((v) => v.id === ids[1])).toEqual(versions.find((v) => v.id === ids[1]));
    });

    it('deletes one activity with its sources, marks the finished runs that read it stale, and touches nothing else', async () => {
      const anna = await engine.athlete('anna');
      const ben = await engine.athlete('ben');
      const early = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z')];
      const ids = (await anna.uploads.recordUpload(['a.fit', 'b.fit'], { activities: early, errors: [] })).activityIds;
      const bens = (await ben.uploads.recordUpload(['a.fit'], { activities: [early[0]!], errors: [] })).activityIds[0]!;
      now = at('2026-03-01T11:00:00Z');
      for (const [id, status] of [
        ['done-1', 'done'],
        ['failed-1', 'failed'],
      ])
        await addRun(engine.query, 'anna', id!, status!, now);
      await addRun(engine.query, 'anna', 'done-before', 'done', at('2026-03-01T09:00:00Z'));
      await addRun(engine.query, 'ben', 'bens-run', 'done', now);
      now = at('2026-03-01T12:00:00Z');
      const late = (await anna.uploads.recordUpload(['c.fit'], { activities: [ride(3, '2026-02-05T08:00:00Z')], errors: [] }))
        .activityIds[0]!;

      expect(await anna.activities.deleteActivity(bens, 'no')).toBeNull();
      expect(await anna.activities.deleteActivity(late, 'deleted c')).toEqual({ staleRunIds: [] });
      const versions = await anna.activities.activityVersions();
      expect(await anna.activities.deleteActivity(ids[0]!, 'deleted a')).toEqual({ staleRunIds: ['done-1'] });
      expect(await anna.activities.deleteActivity(ids[0]!, 'again')).toBeNull();
      const stale = await engine.query('select id, stale_reason from runs order by id');
      expect(stale.map((r) => [r.id, r.stale_reason])).toEqual([
        ['bens-run', null],
        ['done-1', 'deleted a'],
        ['done-before', null],
        ['failed-1', null],
      ]);
      // A run already stale keeps its first reason.
      expect(await anna.activities.deleteActivity(ids[1]!, 'deleted b')).toEqual({ staleRunIds: [] });
      expect(await anna.activities.activityVersions()).toEqual(versions.filter((v) => v.id !== ids[0] && v.id !== ids[1]));
      expect(await anna.activities.activityCount()).toBe(0);
      expect(await ben.activities.activityCount()).toBe(1);
      expect(await count(engine.query, 'activity_sources')).toBe(1);
      // The same file again is new, not a duplicate of a deleted ride.
      expect(await anna.uploads.recordUpload(['a.fit'], { activities: [early[0]!], errors: [] })).toMatchObject({ new: 1, duplicates: 0 });
    });

    it('gives every activity, oldest first, with streams and sources, for the export', async () => {
      const anna = await engine.athlete('anna');
      const ben = await engine.athlete('ben');
      expect(await anna.activities.allWithStreams()).toEqual([]);
      const rides = [ride(2, '2026-02-03T08:00:00Z'), ride(1, '2026-02-01T08:00:00Z')];
      await anna.uploads.recordUpload(['r.fit'], { activities: rides, errors: [] });
      await ben.uploads.recordUpload(['x.fit'], { activities: [ride(4, '2026-02-02T08:00:00Z')], errors: [] });
      const all = await anna.activities.allWithStreams();
      expect(all.map((s) => s.activity.startTime)).toEqual([rides[1]!.startTime, rides[0]!.startTime]);
      expect(all.map((s) => s.sources)).toEqual([['ride-1.fit'], ['ride-2.fit']]);
      for (const s of all) expect(Array.from(s.activity.streams!.heartRate!).length).toBe(1800);
      expect(all[0]).toEqual(await anna.activities.activity(all[0]!.activity.id));
    });

    it('recomputes metrics stored under an older definition from the streams, once, for every athlete', async () => {
      const anna = await engine.athlete('anna');
      const ben = await engine.athlete('ben');
      const withStop = ride(5, '2026-02-01T08:00:00Z', 40);
      // a 10-minute stop after 20 minutes: later samples move 600 s along the clock
      withStop.streams = { ...withStop.streams!, elapsed: withStop.streams!.elapsed.map((t, i) => (i >= 1200 ? t + 600 : t)) };
      await anna.uploads.recordUpload(['stop.fit'], { activities: [withStop], errors: [] });
      await ben.uploads.recordUpload(['b.fit'], { activities: [ride(6, '2026-02-01T08:00:00Z')], errors: [] });
      const [current] = await anna.activities.activitiesBetween(at('2026-01-01'), at('2026-03-01'));
      const [bensCurrent] = await ben.activities.activitiesBetween(at('2026-01-01'), at('2026-03-01'));
      expect(await engine.refreshStaleMetrics()).toBe(0);

      // what an older version wrote: another curve and no version; and one that says version 1
      const clockBest = current!.metrics.powerCurve[1200]!;
      const old = { ...current!.metrics, powerCurve: { ...current!.metrics.powerCurve, 1200: clockBest + 40 } } as Record<string, unknown>;
      delete old.version;
      await engine.query('update activities set metrics = $1 where id = $2', [JSON.stringify(old), current!.activity.id]);
      const first = { ...bensCurrent!.metrics, version: 1, maxPower: 1 };
      await engine.query('update activities set metrics = $1 where id = $2', [JSON.stringify(first), bensCurrent!.activity.id]);

      expect(await engine.refreshStaleMetrics()).toBe(2);
      const [refreshed] = await anna.activities.activitiesBetween(at('2026-01-01'), at('2026-03-01'));
      expect(refreshed!.metrics).toEqual(current!.metrics);
      expect(refreshed!.metrics.powerCurve[1200]).toBe(clockBest);
      expect((await ben.activities.activity(bensCurrent!.activity.id))!.metrics).toEqual(bensCurrent!.metrics);
      expect(await engine.refreshStaleMetrics()).toBe(0);
    });
  });
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-activities-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  activityBehaviour('sqlite', async (clock) => {
    const opened = openDatabase(join(dir, `activities-${++files}.db`));
    const query: Query = async (text, params = []) => {
      const statement = opened.sqlite.prepare(text.replace(/\$\d+/g, '?'));
      if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
      statement.run(...params);
      return [];
    };
    return {
      query,
      athlete: async (id) => {
        await query(ATHLETE_ROW, [id, id, clock().getTime(), clock().getTime()]);
        const scope = { db: opened.db, athleteId: id, clock };
        return {
          activities: lifted<Repos['activities']>(new SqliteActivityRepository(scope)),
          uploads: lifted<UploadRepository>(new SqliteUploadRepository(scope)),
        };
      },
      refreshStaleMetrics: async () => refreshStaleMetrics(opened.db),
      close: async () => opened.close(),
    };
  });
});

describePostgres('postgres', (server) => {
  activityBehaviour('postgres', async (clock) => {
    const opened = await openPostgres(await server().freshDatabase(), { max: 4 });
    const query: Query = async (text, params = []) => (await opened.pool.query<Record<string, unknown>>(text, params)).rows;
    return {
      query,
      athlete: async (id) => {
        await query(ATHLETE_ROW, [id, id, clock().getTime(), clock().getTime()]);
        const scope = { db: opened.db, athleteId: id, clock };
        return { activities: new PgActivityRepository(scope), uploads: new PgUploadRepository(scope) };
      },
      refreshStaleMetrics: async () => refreshStaleMetricsPg(opened.db),
      close: async () => opened.close(),
    };
  });
});
