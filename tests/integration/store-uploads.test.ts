/**
 * Uploads through the store, on each engine (a real SQLite file, a PostgreSQL database): rides that
 * never duplicate, merging a recording with its Strava row, all-or-nothing writes, streams kept to
 * the device's resolution, deleting one activity, and the real corpus uploaded twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/domain/activity.js';
import { computeActivityMetrics } from '../../src/domain/metrics/index.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import type { Clock } from '../../src/store/store.js';
import { encodeStreams, decodeStreams } from '../../src/store/stream-codec.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { corpusBytes, corpusFitFiles, describeCorpus } from '../support/corpus.js';
import { storeEngines } from '../support/engines.js';

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

describe.each(storeEngines())('store uploads on $name', (engine) => {
  async function fresh(clock?: Clock) {
    const s = await engine.tempStore(clock);
    cleanups.push(s.cleanup);
    return s;
  }

  describe('uploads', () => {
    it('records new rides, recognises the same file again, and says how many were new', async () => {
      const { store } = await fresh();
      const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      const rides = [ride(1, '2026-02-01T08:00:00Z'), ride(2, '2026-02-03T08:00:00Z')];
      expect(await a.recordUpload(['a.fit', 'b.fit'], { activities: rides, errors: [] })).toMatchObject({
        new: 2,
        duplicates: 0,
        merged: 0,
      });
      expect(await a.recordUpload(['a.fit', 'b.fit'], { activities: rides, errors: [] })).toMatchObject({
        new: 0,
        duplicates: 2,
        merged: 0,
      });
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
});
