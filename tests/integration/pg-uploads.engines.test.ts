/**
 * Recording uploads (the UploadRepository port) behaves the same on SQLite and on PostgreSQL: one
 * behaviour suite, run on each engine on a fresh database seen by two processes (two connections
 * to one SQLite file; two pools on one PostgreSQL database). The same file again is a duplicate,
 * the same ride from another source (FIT and Strava CSV row, in either order; a Strava activity
 * whose start was edited) is merged into one row, two Strava activities stay two, a failed upload
 * writes nothing — and two processes recording the same rides of one athlete at once end with one
 * activity per ride: on PostgreSQL truly at once, serialised by the athlete's lock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/domain/activity.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import { activityFromStrava } from '../../src/ingest/strava-api/activity-from-strava.js';
import { openDatabase } from '../../src/store/database.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgActivityRepository } from '../../src/store/pg/repositories/activities.js';
import { PgUploadRepository } from '../../src/store/pg/repositories/uploads.js';
import { lifted, type ActivityRepository, type UploadRepository } from '../../src/store/ports.js';
import type { Clock } from '../../src/store/records.js';
import { SqliteActivityRepository } from '../../src/store/repositories/activities.js';
import { SqliteUploadRepository } from '../../src/store/repositories/uploads.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { corpusBytes, corpusFitFiles, describeCorpus } from '../support/corpus.js';
import { describePostgres } from '../support/postgres.js';

/** One athlete's activity and upload repositories, as one process holds them. */
interface Repos {
  activities: ActivityRepository;
  uploads: UploadRepository;
}

/** A fresh empty database on one engine, open in two processes. */
interface Engine {
  /** Athlete `id`'s repositories in process 0 or 1 (its row made on first use). */
  athlete(id: string, process?: 0 | 1): Promise<Repos>;
  /** Rows in these tables, all athletes'. */
  counts(): Promise<{ activities: number; activitySources: number; uploads: number }>;
  close(): Promise<void>;
}

const ATHLETE_ROW = 'insert into athletes (id, display_name, created_at, updated_at) values ($1, $2, $3, $4) on conflict do nothing';
const COUNTS =
  'select (select count(*) from activities) as activities, (select count(*) from activity_sources) as sources, (select count(*) from uploads) as uploads';
const at = (iso: string) => new Date(iso);
const batch = (activities: Activity[]) => ({ activities, errors: [] });

function ride(seed: number, start: string, minutes = 30): Activity {
  const bytes = encodeActivityFit([syntheticRide({ seed, startTime: at(start), durationSeconds: minutes * 60, ftp: 250 })]);
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

/** The activities of a Strava-style activities.csv with one row per given ride (start shifted by `shiftSeconds`). */
async function csvRows(rides: { id: string; start: Date; name: string }[], shiftSeconds = 0): Promise<Activity[]> {
  const header =
    'Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Filename,Elapsed Time,Moving Time,Distance,Average Watts,Weighted Average Power,Power Count';
  const rows = rides.map(
    (r) =>
      `${r.id},${stravaDate(new Date(r.start.getTime() + shiftSeconds * 1000))},${r.name},Ride,,1800,15.5,,1800.0,1750.0,15500.0,200,230,1800`,
  );
  const read = await ingestFile(new TextEncoder().encode([header, ...rows].join('\n')), 'activities.csv');
  if (!read.ok) throw new Error(read.error.message);
  return read.value.activities;
}

/** The figures of a 30-minute ride from Strava's API. */
const STRAVA_RIDE = { name: 'Morning ride', description: null, type: 'Ride', elapsedSeconds: 1800, movingSeconds: 1800 } as const;
const STRAVA_FIGURES = {
  distanceMeters: 15_000,
  ascentMeters: 50,
  averageWatts: 200,
  weightedAverageWatts: 205,
  maxWatts: 400,
  kilojoules: 360,
};
const STRAVA_DEVICE = { deviceWatts: true, averageHeartrate: 140, maxHeartrate: 160, averageCadence: 88, deviceName: null };
const STRAVA_STREAMS = { time: Array.from({ length: 1800 }, (_, i) => i), watts: Array.from({ length: 1800 }, (_, i) => 190 + (i % 20)) };

/** That ride with Strava id `id`, starting at `start`. */
const fromStrava = (id: string, startTime: Date) =>
  activityFromStrava({ id, startTime, ...STRAVA_RIDE, ...STRAVA_FIGURES, ...STRAVA_DEVICE }, STRAVA_STREAMS);

/** The behaviour every engine's upload repository has; `open` gives a fresh empty database each time, on `clock`. */
function uploadBehaviour(name: string, open: (clock: Clock) => Promise<Engine>): void {
  describe(`uploads on ${name}`, () => {
    let now: Date;
    const clock = () => now;
    let engine: Engine;
    beforeEach(async () => {
      now = at('2026-03-01T10:00:00Z');
      engine = await open(clock);
    });
    afterEach(async () => engine.close());

    it('records new rides, recognises the same file again (one athlete’s, not another’s) and lists the uploads', async () => {
      const anna = await engine.athlete('anna');
      const rides = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z')];
      const first = await anna.uploads.recordUpload(['a.fit', 'b.fit'], { ...batch(rides), bytes: 3_000_000_000 });
      expect(first).toMatchObject({ new: 2, duplicates: 0, merged: 0, errors: [] });
      now = at('2026-03-01T11:00:00Z');
      const errors = [{ source: 'c.fit', code: 'bad-fit', message: 'not a FIT file' }];
      const again = await anna.uploads.recordUpload(['a.fit', 'b.fit', 'c.fit'], { activities: rides, errors });
      expect(again).toEqual({ uploadId: again.uploadId, new: 0, duplicates: 2, merged: 0, errors, activityIds: first.activityIds });
      expect(await anna.activities.activityCount()).toBe(2);
      const ben = await engine.athlete('ben');
      expect(await ben.uploads.recordUpload(['a.fit'], batch([rides[0]!]))).toMatchObject({ new: 1, duplicates: 0 });
      expect(await anna.uploads.uploads()).toEqual([
        {
          id: first.uploadId,
          fileNames: ['a.fit', 'b.fit'],
          new: 2,
          duplicates: 0,
          merged: 0,
          errors: [],
          createdAt: at('2026-03-01T10:00:00Z'),
        },
        { id: again.uploadId, fileNames: ['a.fit', 'b.fit', 'c.fit'], new: 0, duplicates: 2, merged: 0, errors, createdAt: now },
      ]);
      expect(await engine.counts()).toEqual({ activities: 3, activitySources: 3, uploads: 3 });
    });

    it('merges the same ride from a FIT file and a Strava CSV row, in either order: the recording wins, the row’s name is kept', async () => {
      for (const order of ['fit-first', 'csv-first'] as const) {
        const anna = await engine.athlete(order);
        const fits = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z')];
        const csv = await csvRows(
          fits.map((f, i) => ({ id: String(100 + i), start: f.startTime, name: `Morning ride ${i}` })),
          40,
        );
        const [first, second] = order === 'fit-first' ? [fits, csv] : [csv, fits];
        const stored = await anna.uploads.recordUpload(['first'], batch(first));
        expect(stored.new).toBe(2);
        expect(await anna.uploads.recordUpload(['second'], batch(second))).toMatchObject({
          new: 0,
          merged: 2,
          activityIds: stored.activityIds,
        });
        const all = await anna.activities.activitiesBetween(at('2026-01-01'), at('2026-03-01'), { streams: true });
        expect(all).toHaveLength(2);
        for (const [i, s] of all.entries()) {
          expect(s.activity).toMatchObject({ sourceKind: 'fit', name: `Morning ride ${i}`, externalId: String(100 + i) });
          expect(s.activity.streams?.power).not.toBeNull();
          expect(s.sources).toHaveLength(2);
        }
        // Both again: every one a duplicate of its own source.
        expect(await anna.uploads.recordUpload(['both'], batch([...first, ...second]))).toMatchObject({ new: 0, merged: 0, duplicates: 4 });
      }
    });

    it('never merges two Strava activities, however close (CSV rows or from the API)', async () => {
      const anna = await engine.athlete('anna');
      const start = at('2026-02-01T08:00:00Z');
      const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);
      const rows = await csvRows([
        { id: '1', start, name: 'Head unit' },
        { id: '2', start: later(20), name: 'Watch' },
      ]);
      expect(await anna.uploads.recordUpload(['activities.csv'], batch(rows))).toMatchObject({ new: 2 });
      expect(await anna.uploads.recordUpload(['strava:3'], batch([fromStrava('3', later(30))]))).toMatchObject({ new: 1 });
      expect(await anna.activities.activityCount()).toBe(3);
    });

    it('decides within one upload as across uploads: copies merged into rows the upload itself made, duplicates of its own rows', async () => {
      const anna = await engine.athlete('anna');
      const [fitA, fitC] = [ride(1, '2026-02-01T08:00:00Z'), ride(3, '2026-02-03T08:00:00Z')];
      const [csvA, csvC] = await csvRows(
        [
          { id: '100', start: fitA.startTime, name: 'Ride A' },
          { id: '300', start: fitC.startTime, name: 'Ride C' },
        ],
        40,
      );
      const watchA = { ...fitA, id: 'watch-a', source: 'watch.fit', sourceHash: 'watch-a', power: 'none' as const, streams: null };
      const apiD = fromStrava('400', at('2026-02-05T07:00:00Z'));
      const rowOf = (a: Activity, key: string, start: string) => ({
        ...a,
        startTime: at(start),
        sourceKind: 'strava-csv' as const,
        source: key,
        sourceHash: key,
        id: key,
        streams: null,
      });
      const csvD = rowOf(apiD, 'csv-d', '2026-02-05T07:05:00Z');
      const all = [fitA, csvA!, watchA, fitA, csvA!, csvC!, fitC, apiD, csvD];
      const summary = await anna.uploads.recordUpload(['everything'], batch(all));
      expect(summary).toMatchObject({ new: 3, merged: 4, duplicates: 2 });
      const [a, c, d] = [summary.activityIds[0], summary.activityIds[5], summary.activityIds[7]];
      expect(summary.activityIds).toEqual([a, a, a, a, a, c, c, d, d]);
      const stored = await anna.activities.activitiesBetween(at('2026-01-01'), at('2026-03-01'), { streams: true });
      expect(stored.map((s) => [s.activity.id, s.activity.sourceKind, s.activity.name, s.activity.externalId, s.sources.length])).toEqual([
        [a, 'fit', 'Ride A', '100', 3],
        [c, 'fit', 'Ride C', '300', 2], // the CSV row came first: the recording replaced it, the row's name stays
        [d, 'strava-api', 'Morning ride', '400', 2],
      ]);
      expect(stored.every((s) => s.activity.streams?.power)).toBe(true);
      // Later rows of Strava activities stored by that upload, their starts edited: found by their ids, outside any window.
      const later = [rowOf(apiD, 'csv-d2', '2026-02-05T07:10:00Z'), rowOf(csvC!, 'csv-c2', '2026-02-03T08:30:00Z')];
      expect(await anna.uploads.recordUpload(['later'], batch(later))).toMatchObject({ new: 0, merged: 2, activityIds: [d, c] });
      expect(await anna.activities.activityCount()).toBe(3);
    });

    it('writes nothing when an upload fails half-way; the hook runs after each activity', async () => {
      const anna = await engine.athlete('anna');
      await anna.uploads.recordUpload(['a.fit'], batch([ride(1, '2026-02-01T08:00:00Z')]));
      const before = await engine.counts();
      const rides = [ride(2, '2026-02-03T08:00:00Z'), ride(3, '2026-02-05T08:00:00Z'), ride(4, '2026-02-07T08:00:00Z')];
      const crash = (i: number) => {
        if (i === 1) throw new Error('simulated crash');
      };
      await expect(anna.uploads.recordUpload(['b', 'c', 'd'], batch(rides), { afterActivity: crash })).rejects.toThrow('simulated crash');
      expect(await engine.counts()).toEqual(before);
      const seen: number[] = [];
      const done = await anna.uploads.recordUpload(['b', 'c', 'd'], batch(rides), { afterActivity: (i) => seen.push(i) });
      expect(done.new).toBe(3);
      expect(seen).toEqual([0, 1, 2]);
      expect((await anna.uploads.uploads()).length).toBe(2);
    });

    it('two processes recording the same rides of one athlete at once end with one activity per ride', async () => {
      const rides = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z'), ride(3, '2026-02-05T08:00:00Z')];
      const here = await engine.athlete('anna', 0);
      const there = await engine.athlete('anna', 1);
      const same = await Promise.all([here, there, here, there].map((p) => p.uploads.recordUpload(['r.fit'], batch(rides))));
      expect(same.map((s) => s.new).sort()).toEqual([0, 0, 0, 3]);
      expect(same.map((s) => s.duplicates).sort()).toEqual([0, 3, 3, 3]);
      expect(new Set(same.flatMap((s) => s.activityIds)).size).toBe(3);
      // The same rides from the CSV and from files not seen before, at once: merged, never new.
      const csv = await csvRows(rides.map((r, i) => ({ id: String(i + 1), start: r.startTime, name: `Ride ${i}` })));
      const watch = rides.map((r, i) => ({ ...r, id: `w${i}`, source: `w${i}.fit`, sourceHash: `w${i}` }));
      const other = await Promise.all([
        here.uploads.recordUpload(['activities.csv'], batch(csv)),
        there.uploads.recordUpload(['w'], batch(watch)),
      ]);
      expect(other.map((s) => [s.new, s.merged])).toEqual([
        [0, 3],
        [0, 3],
      ]);
      expect(await engine.counts()).toEqual({ activities: 3, activitySources: 9, uploads: 6 });
      for (const s of await there.activities.activitiesBetween(at('2026-01-01'), at('2026-03-01'))) expect(s.sources).toHaveLength(3);
    });

    describeCorpus('the real corpus', () => {
      it('the FIT folder twice and the Strava CSV twice leave one row per real activity', async () => {
        const anna = await engine.athlete('anna');
        const fitActivities: Activity[] = [];
        for (const file of corpusFitFiles()) {
          const r = await ingestFile(corpusBytes('fit', file), file);
          if (r.ok) fitActivities.push(...r.value.activities);
        }
        const csv = await ingestFile(corpusBytes('strava', 'activities-2025-99col.csv'), 'activities.csv');
        if (!csv.ok) throw new Error(csv.error.message);
        // bad-file-crc.fit and bad-truncated.fit are the same FIT SDK sample run: one activity
        const files = corpusFitFiles();
        expect(await anna.uploads.recordUpload(files, batch(fitActivities))).toMatchObject({ new: 15, merged: 1, duplicates: 0 });
        expect(await anna.uploads.recordUpload(files, batch(fitActivities))).toMatchObject({ new: 0, merged: 0, duplicates: 16 });
        expect(await anna.uploads.recordUpload(['activities.csv'], batch(csv.value.activities))).toMatchObject({
          new: 1845,
          duplicates: 0,
        });
        expect(await anna.uploads.recordUpload(['activities.csv'], batch(csv.value.activities))).toMatchObject({
          new: 0,
          duplicates: 1845,
        });
        expect(await anna.activities.activityCount()).toBe(15 + 1845);
      }, 60_000);
    });
  });
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-uploads-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  uploadBehaviour('sqlite', async (clock) => {
    const path = join(dir, `uploads-${++files}.db`);
    const processes = [openDatabase(path), openDatabase(path)] as const;
    const query = (text: string) => processes[0].sqlite.prepare(text.replace(/\$\d+/g, '?'));
    return {
      athlete: async (id, process = 0) => {
        query(ATHLETE_ROW).run(id, id, clock().getTime(), clock().getTime());
        const scope = { db: processes[process].db, athleteId: id, clock };
        return {
          activities: lifted<ActivityRepository>(new SqliteActivityRepository(scope)),
          uploads: lifted<UploadRepository>(new SqliteUploadRepository(scope)),
        };
      },
      counts: async () => {
        const row = query(COUNTS).get() as Record<string, number>;
        return { activities: row.activities!, activitySources: row.sources!, uploads: row.uploads! };
      },
      close: async () => processes.forEach((p) => p.close()),
    };
  });
});

describePostgres('postgres', (server) => {
  uploadBehaviour('postgres', async (clock) => {
    const url = await server().freshDatabase();
    const processes = [await openPostgres(url, { max: 4 }), await openPostgres(url, { max: 4 })] as const;
    const pool = processes[0].pool;
    return {
      athlete: async (id, process = 0) => {
        await pool.query(ATHLETE_ROW, [id, id, clock().getTime(), clock().getTime()]);
        const scope = { db: processes[process].db, athleteId: id, clock };
        return { activities: new PgActivityRepository(scope), uploads: new PgUploadRepository(scope) };
      },
      counts: async () => {
        const row = (await pool.query<Record<string, string>>(COUNTS)).rows[0]!;
        return { activities: Number(row.activities), activitySources: Number(row.sources), uploads: Number(row.uploads) };
      },
      close: async () => {
        for (const p of processes) await p.close();
      },
    };
  });
});
