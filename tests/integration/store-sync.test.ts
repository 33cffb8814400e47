/**
 * The sync's tables of one athlete, on SQLite and on PostgreSQL: connections (one per service,
 * re-connects, scoped to their athlete, found by the service's athlete id), remote rides seen,
 * calendar entries, and one Strava activity arriving twice with its start edited. The shared job
 * queue, polls and OAuth states: store-sync-queue.test.ts; /export, /forget and migration 0008:
 * store-sync-privacy.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { activityFromStrava } from '../../src/ingest/strava-api/activity-from-strava.js';
import type { BackfillState, Store } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { storeEngines, type EngineUnderTest } from '../support/engines.js';

const engines = storeEngines();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A store on `engine` whose clock the test moves. */
async function freshOn(engine: EngineUnderTest, start = '2027-03-01T08:00:00Z') {
  const clock = { now: new Date(start) };
  const s = await engine.tempStore(() => clock.now);
  cleanups.push(s.cleanup);
  const athlete = async (key: string, name: string) => s.store.athlete((await s.store.athleteForIdentity(key, name)).id);
  return { ...s, clock, athlete };
}

const at = (iso: string) => new Date(iso);

async function storedRide(store: Store, athleteId: string, seed: number): Promise<string> {
  const bytes = encodeActivityFit([syntheticRide({ seed, startTime: at('2027-02-20T17:00:00Z'), durationSeconds: 1800, ftp: 250 })]);
  const decoded = decodeFit(bytes, `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return (await store.athlete(athleteId).recordUpload([`ride-${seed}.fit`], { activities: decoded.value, errors: [] })).activityIds[0]!;
}

const backfill: BackfillState = {
  batch: 'backfill-1',
  months: 12,
  identityKey: 'telegram:1',
  messageId: null,
  startedAt: at('2027-03-01T08:00:00Z'),
  listed: false,
  finishedAt: null,
};

describe.each(engines)('the sync store of an athlete on $name', (engine) => {
  const fresh = (start?: string) => freshOn(engine, start);

  describe('connections', () => {
    it('are saved per service, read back, updated, and scoped to their athlete', async () => {
      const { clock, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const ben = await athlete('telegram:2', 'Ben');
      expect(await ana.sync.connection('intervals')).toBeNull();
      const saved = await ana.sync.saveConnection({
        service: 'intervals',
        externalAthleteId: 'i42',
        sealedSecret: 'v1:sealed-a',
        backfill,
      });
      expect(saved).toEqual({
        service: 'intervals',
        externalAthleteId: 'i42',
        sealedSecret: 'v1:sealed-a',
        pushCalendar: true,
        connectedAt: clock.now,
        lastSyncAt: null,
        cursor: null,
        nextPollAt: null,
        backfill,
      });
      expect(await ana.sync.connection('intervals')).toEqual(saved);
      await ana.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:sealed-s', pushCalendar: false });
      expect((await ana.sync.connections()).map((c) => c.service)).toEqual(['intervals', 'strava']);

      const done = { ...backfill, listed: true, messageId: '55', finishedAt: at('2027-03-01T09:00:00Z') };
      expect(
        await ana.sync.updateConnection('intervals', {
          lastSyncAt: at('2027-03-01T08:30:00Z'),
          cursor: at('2027-02-28T07:00:00Z'),
          backfill: done,
          pushCalendar: false,
        }),
      ).toBe(true);
      expect(await ana.sync.connection('intervals')).toMatchObject({
        lastSyncAt: at('2027-03-01T08:30:00Z'),
        cursor: at('2027-02-28T07:00:00Z'),
        backfill: done,
        pushCalendar: false,
        sealedSecret: 'v1:sealed-a',
      });
      expect(await ana.sync.updateConnection('intervals', { backfill: null })).toBe(true);
      expect((await ana.sync.connection('intervals'))!.backfill).toBeNull();

      // Ben sees and changes nothing of Ana's
      expect(await ben.sync.connections()).toEqual([]);
      expect(await ben.sync.updateConnection('intervals', { cursor: clock.now })).toBe(false);
      expect(await ben.sync.deleteConnection('intervals')).toBe(false);
      expect(await ana.sync.connection('intervals')).not.toBeNull();
    });

    it('a re-connect replaces the secret; the cursor and history stay only for the same account', async () => {
      const { clock, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const first = await ana.sync.saveConnection({
        service: 'intervals',
        externalAthleteId: 'i42',
        sealedSecret: 'v1:old',
        pushCalendar: false,
      });
      await ana.sync.updateConnection('intervals', { cursor: at('2027-02-28T07:00:00Z'), lastSyncAt: at('2027-03-01T08:10:00Z') });
      clock.now = at('2027-03-02T08:00:00Z');

      const again = await ana.sync.saveConnection({ service: 'intervals', externalAthleteId: 'i42', sealedSecret: 'v1:new' });
      expect(again).toMatchObject({
        sealedSecret: 'v1:new',
        connectedAt: first.connectedAt,
        cursor: at('2027-02-28T07:00:00Z'),
        lastSyncAt: at('2027-03-01T08:10:00Z'),
        pushCalendar: false, // not given: kept
      });
      expect(await ana.sync.connection('intervals')).toEqual(again);

      const other = await ana.sync.saveConnection({
        service: 'intervals',
        externalAthleteId: 'i99',
        sealedSecret: 'v1:other',
        pushCalendar: true,
      });
      expect(other).toMatchObject({ externalAthleteId: 'i99', connectedAt: clock.now, cursor: null, lastSyncAt: null, pushCalendar: true });
      expect(await ana.sync.connections()).toHaveLength(1);
    });

    it('disconnecting deletes the connection, its unfinished jobs, the rides seen and the calendar — not the rides', async () => {
      const { store, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const rideId = await storedRide(store, ana.athleteId, 1);
      for (const service of ['intervals', 'strava'] as const) {
        await ana.sync.saveConnection({ service, externalAthleteId: `${service}-1`, sealedSecret: 'v1:x' });
        await ana.sync.recordSyncedActivity(service, `${service}-ride`, rideId);
      }
      await ana.sync.saveCalendarEntry({
        externalId: 'domestique:w1',
        remoteId: '9',
        date: '2027-03-03',
        contentHash: 'h',
        pushedAt: at('2027-03-01T08:00:00Z'),
      });
      const job = (service: 'intervals' | 'strava', kind: 'fetch-activity' | 'deauthorize', key: string) =>
        store.sync.enqueue({ athleteId: ana.athleteId, service, kind, dedupeKey: key });
      await job('intervals', 'fetch-activity', 'i-queued');
      await job('intervals', 'fetch-activity', 'i-running');
      await job('intervals', 'fetch-activity', 'i-done');
      await job('strava', 'fetch-activity', 's-queued');
      const [running, finished] = await store.sync.claim(at('2027-03-01T08:00:00Z'), 'p1', { limit: 2 });
      await store.sync.complete(finished!.id, 'p1');
      expect(running).toBeDefined();
      await job('intervals', 'deauthorize', 'i-deauth'); // queued for after the disconnect: kept

      expect(await ana.sync.deleteConnection('intervals')).toBe(true);
      expect(await ana.sync.connection('intervals')).toBeNull();
      expect(await ana.sync.syncedActivity('intervals', 'intervals-ride')).toBeNull();
      expect(await ana.sync.calendarEntries()).toEqual([]);
      expect((await store.check()).counts['syncJobs']).toBe(3); // the done one, the deauthorize, Strava's
      expect((await store.sync.claim(at('2027-03-01T09:00:00Z'), 'p2')).map((j) => `${j.service}:${j.kind}`)).toEqual([
        'strava:fetch-activity',
        'intervals:deauthorize',
      ]);
      // Strava's side and the ride itself are untouched
      expect(await ana.sync.connection('strava')).not.toBeNull();
      expect(await ana.sync.syncedActivity('strava', 'strava-ride')).toEqual({ activityId: rideId });
      expect(await ana.activity(rideId, { streams: false })).not.toBeNull();
      expect(await ana.sync.deleteConnection('intervals')).toBe(false);
    });

    it('find the athlete behind an account on a service', async () => {
      const { store, clock, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const ben = await athlete('telegram:2', 'Ben');
      await ana.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:a' });
      await ben.sync.saveConnection({ service: 'intervals', externalAthleteId: '777', sealedSecret: 'v1:b' });
      expect(await store.sync.athleteByExternalId('strava', '777')).toBe(ana.athleteId);
      expect(await store.sync.athleteByExternalId('intervals', '777')).toBe(ben.athleteId);
      expect(await store.sync.athleteByExternalId('strava', '778')).toBeNull();
      clock.now = at('2027-03-02T08:00:00Z');
      await ben.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:c' }); // the latest to connect it
      expect(await store.sync.athleteByExternalId('strava', '777')).toBe(ben.athleteId);
    });
  });

  describe('remote rides seen and calendar entries', () => {
    it('record what each remote ride became; a deleted ride stays seen', async () => {
      const { store, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const ben = await athlete('telegram:2', 'Ben');
      const rideId = await storedRide(store, ana.athleteId, 1);
      expect(await ana.sync.syncedActivity('strava', '1001')).toBeNull();
      await ana.sync.recordSyncedActivity('strava', '1001', null); // unreadable at first
      expect(await ana.sync.syncedActivity('strava', '1001')).toEqual({ activityId: null });
      await ana.sync.recordSyncedActivity('strava', '1001', rideId); // read on a retry
      await ana.sync.recordSyncedActivity('strava', '1002', null); // a run
      await ana.sync.recordSyncedActivity('intervals', 'i5', rideId); // the same ride from intervals.icu
      expect(await ana.sync.syncedActivity('strava', '1001')).toEqual({ activityId: rideId });
      expect(await ana.sync.syncedCount('strava')).toBe(1);
      expect(await ana.sync.syncedCount('intervals')).toBe(1);
      expect(await ana.sync.externalIdOf('strava', rideId)).toBe('1001');
      expect(await ana.sync.externalIdOf('intervals', rideId)).toBe('i5');
      expect(await ben.sync.syncedActivity('strava', '1001')).toBeNull();
      expect(await ben.sync.externalIdOf('strava', rideId)).toBeNull();

      await ana.deleteActivity(rideId, 'deleted by the athlete');
      expect(await ana.sync.syncedActivity('strava', '1001')).toEqual({ activityId: null });
      expect(await ana.sync.syncedCount('strava')).toBe(0);
      expect(await ana.sync.externalIdOf('strava', rideId)).toBeNull();
    });

    it('keep one calendar entry per workout, by date, replaced and deleted', async () => {
      const { athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const ben = await athlete('telegram:2', 'Ben');
      const pushedAt = at('2027-03-01T08:00:00Z');
      await ana.sync.saveCalendarEntry({ externalId: 'domestique:b', remoteId: null, date: '2027-03-05', contentHash: 'h1', pushedAt });
      await ana.sync.saveCalendarEntry({ externalId: 'domestique:a', remoteId: '11', date: '2027-03-03', contentHash: 'h2', pushedAt });
      await ana.sync.saveCalendarEntry({ externalId: 'domestique:b', remoteId: '12', date: '2027-03-06', contentHash: 'h3', pushedAt });
      expect(await ana.sync.calendarEntries()).toEqual([
        { externalId: 'domestique:a', remoteId: '11', date: '2027-03-03', contentHash: 'h2', pushedAt },
        { externalId: 'domestique:b', remoteId: '12', date: '2027-03-06', contentHash: 'h3', pushedAt },
      ]);
      await ben.sync.deleteCalendarEntry('domestique:a');
      expect(await ben.sync.calendarEntries()).toEqual([]);
      await ana.sync.deleteCalendarEntry('domestique:a');
      expect((await ana.sync.calendarEntries()).map((e) => e.externalId)).toEqual(['domestique:b']);
    });
  });

  describe('the same Strava activity, its start time edited on Strava', () => {
    /** A 30-minute ride from Strava's API, starting at `start`. */
    const fromStrava = (start: Date) =>
      activityFromStrava(
        {
          id: '13000000042',
          name: 'Morning ride',
          description: null,
          type: 'Ride',
          startTime: start,
          elapsedSeconds: 1800,
          movingSeconds: 1800,
          distanceMeters: 15_000,
          ascentMeters: 50,
          averageWatts: 200,
          weightedAverageWatts: 205,
          maxWatts: 400,
          kilojoules: 360,
          deviceWatts: true,
          averageHeartrate: 140,
          maxHeartrate: 160,
          averageCadence: 88,
          deviceName: null,
        },
        { time: Array.from({ length: 1800 }, (_, i) => i), watts: Array.from({ length: 1800 }, (_, i) => 190 + (i % 20)) },
      );

    it('is one activity when its export row comes with a start 5 minutes later, and two Strava ids stay two rides', async () => {
      const { athlete } = await fresh();
      const me = await athlete('telegram:71', 'Edited');
      const first = await me.recordUpload(['strava:13000000042'], { activities: [fromStrava(at('2027-02-20T07:00:00Z'))], errors: [] });
      expect(first.new).toBe(1);
      // the row of a later Strava export (another source, so not a duplicate of the file), its start moved by 5 minutes
      const row = {
        ...fromStrava(at('2027-02-20T07:05:00Z')),
        sourceKind: 'strava-csv' as const,
        sourceHash: 'csv-row',
        id: 'csv-row-id',
        streams: null,
      };
      const again = await me.recordUpload(['activities.csv'], { activities: [row], errors: [] });
      expect(again).toMatchObject({ new: 0, merged: 1 });
      expect(again.activityIds).toEqual(first.activityIds);
      expect(await me.activityCount()).toBe(1);
      const other = { ...fromStrava(at('2027-02-20T07:00:30Z')), externalId: '13000000043', id: 'other-strava-id', sourceHash: 'other' };
      expect((await me.recordUpload(['strava:13000000043'], { activities: [other], errors: [] })).new).toBe(1);
      expect(await me.activityCount()).toBe(2);
    });
  });
});
