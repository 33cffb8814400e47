/**
 * One athlete's side of the sync (the AthleteSyncRepository port) behaves the same on SQLite and
 * on PostgreSQL: one behaviour suite, run on each engine. Connections one per service, scoped to
 * their athlete, updated, re-connected (the cursor and history kept only for the same account),
 * exported without their secret, and disconnected in one go (unfinished jobs but a deauthorize,
 * the rides seen, intervals.icu's calendar); remote rides seen; calendar entries in date order.
 * The queue's own behaviour is in pg-sync-queue.engines.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgAthleteSyncRepository } from '../../src/store/pg/repositories/sync.js';
import { PgSyncQueue } from '../../src/store/pg/repositories/sync-queue.js';
import { lifted, type AthleteSyncRepository, type SyncQueue } from '../../src/store/ports.js';
import type { Clock } from '../../src/store/records.js';
import { SqliteAthleteSyncRepository } from '../../src/store/repositories/sync.js';
import { SqliteSyncQueue } from '../../src/store/repositories/sync-queue.js';
import type { BackfillState } from '../../src/store/sync-records.js';
import { describePostgres } from '../support/postgres.js';

/** One empty database: an athlete's repository, a second process's for the races, the queue, raw SQL (`?` parameters). */
interface SyncHandles {
  sync(athleteId: string): AthleteSyncRepository;
  otherProcess(athleteId: string): AthleteSyncRepository;
  queue: SyncQueue;
  exec(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const at = (iso: string) => new Date(iso);
const backfill: BackfillState = {
  batch: 'backfill-1',
  months: 12,
  identityKey: 'telegram:1',
  messageId: null,
  startedAt: at('2027-03-01T08:00:00Z'),
  listed: false,
  finishedAt: null,
};

type Open = (clock: Clock) => Promise<SyncHandles>;

/** The time the clock of every database opened here tells; each test starts at 08:00. */
let now: Date;

/** Registers the hooks of one describe; `fresh()` then gives an empty database of `open`, with athletes ana and ben. */
function freshDatabases(open: Open) {
  let opened: SyncHandles[] = [];
  beforeEach(() => {
    now = at('2027-03-01T08:00:00Z');
  });
  afterEach(async () => {
    for (const h of opened) await h.close();
    opened = [];
  });
  return async () => {
    const h = await open(() => now);
    opened.push(h);
    for (const id of ['ana', 'ben'])
      await h.exec('insert into athletes (id, display_name, created_at, updated_at) values (?, ?, 0, 0)', [id, id]);
    return { ...h, ana: h.sync('ana'), ben: h.sync('ben') };
  };
}

/** A stored activity of ana's with this id (the rides seen point at activities). */
const ride = (h: SyncHandles, id: string) =>
  h.exec(
    `insert into activities (id, athlete_id, activity_key, source, source_kind, source_hash, session_index, sport, source_type,
       start_time, power, laps, warnings, metrics, created_at, updated_at)
     values (?, 'ana', ?, 'test', 'fit', ?, 0, 'cycling', 'test', 0, 'none', '[]', '[]', '{}', 0, 0)`,
    [id, id, id],
  );
const keysLeft = async (h: SyncHandles) => (await h.exec('select dedupe_key as k from sync_jobs')).map((r) => String(r['k'])).sort();
const countOf = async (h: SyncHandles, table: string) => Number((await h.exec(`select count(*) as n from ${table}`))[0]!['n']);

/** Connections saved, read, updated, exported, scoped to their athlete; saved by two processes at once. */
function connectionBehaviour(name: string, open: Open): void {
  describe(`an athlete's connections on ${name}`, () => {
    const fresh = freshDatabases(open);

    it('saves one connection per service, reads it back, updates what is given, scoped to its athlete', async () => {
      const { ana, ben } = await fresh();
      expect(await ana.connection('intervals')).toBeNull();
      const saved = await ana.saveConnection({ service: 'intervals', externalAthleteId: 'i42', sealedSecret: 'v1:sealed-a', backfill });
      const expected = { service: 'intervals', externalAthleteId: 'i42', sealedSecret: 'v1:sealed-a', pushCalendar: true };
      expect(saved).toEqual({ ...expected, connectedAt: now, lastSyncAt: null, cursor: null, nextPollAt: null, backfill });
      expect(await ana.connection('intervals')).toEqual(saved);
      await ana.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:sealed-s', pushCalendar: false });
      expect((await ana.connections()).map((c) => c.service)).toEqual(['intervals', 'strava']);

      const done = { ...backfill, listed: true, messageId: '55', finishedAt: at('2027-03-01T09:00:00Z') };
      const changes = { lastSyncAt: at('2027-03-01T08:30:00Z'), cursor: at('2027-02-28T07:00:00Z'), backfill: done, pushCalendar: false };
      expect(await ana.updateConnection('intervals', changes)).toBe(true);
      expect(await ana.connection('intervals')).toEqual({ ...saved, ...changes });
      const next = { backfill: null, nextPollAt: at('2027-03-01T08:40:00Z'), sealedSecret: 'v1:b' };
      expect(await ana.updateConnection('intervals', next)).toBe(true);
      expect(await ana.connection('intervals')).toEqual({ ...saved, ...changes, ...next });
      // nothing to change: whether it is connected
      expect(await ana.updateConnection('strava', {})).toBe(true);
      expect(await ben.updateConnection('strava', {})).toBe(false);

      // Ben sees and changes nothing of Ana's
      expect(await ben.connections()).toEqual([]);
      expect(await ben.updateConnection('intervals', { cursor: now })).toBe(false);
      expect(await ben.deleteConnection('intervals')).toBe(false);
      expect(await ana.connection('intervals')).not.toBeNull();
      expect(await ana.exportedConnections()).toEqual([
        { service: 'intervals', externalAthleteId: 'i42', connectedAt: now, lastSyncAt: at('2027-03-01T08:30:00Z'), pushCalendar: false },
        { service: 'strava', externalAthleteId: '777', connectedAt: now, lastSyncAt: null, pushCalendar: false },
      ]);
      expect(JSON.stringify(await ana.exportedConnections())).not.toContain('v1:');
      expect(await ben.exportedConnections()).toEqual([]);
    });
  });
}

/** Re-connecting a service: the same account keeps its history, another does not. */
function reconnectBehaviour(name: string, open: Open): void {
  describe(`re-connecting a service on ${name}`, () => {
    const fresh = freshDatabases(open);

    it('a re-connect replaces the secret; the cursor and history stay only for the same account; what is not given is kept', async () => {
      const { ana } = await fresh();
      const first = await ana.saveConnection({
        service: 'intervals',
        externalAthleteId: 'i42',
        sealedSecret: 'v1:old',
        pushCalendar: false,
        nextPollAt: at('2027-03-01T08:10:00Z'),
        backfill,
      });
      await ana.updateConnection('intervals', { cursor: at('2027-02-28T07:00:00Z'), lastSyncAt: at('2027-03-01T08:10:00Z') });
      now = at('2027-03-02T08:00:00Z');

      const again = await ana.saveConnection({ service: 'intervals', externalAthleteId: 'i42', sealedSecret: 'v1:new' });
      expect(again).toEqual({
        ...first,
        sealedSecret: 'v1:new',
        cursor: at('2027-02-28T07:00:00Z'),
        lastSyncAt: at('2027-03-01T08:10:00Z'),
      });
      expect(await ana.connection('intervals')).toEqual(again);

      const i99 = { service: 'intervals', externalAthleteId: 'i99' } as const;
      const other = await ana.saveConnection({ ...i99, sealedSecret: 'v1:other', nextPollAt: null });
      // another account: connected now, nothing of the old history; what is not given still kept
      expect(other).toEqual({ ...first, externalAthleteId: 'i99', sealedSecret: 'v1:other', connectedAt: now, nextPollAt: null });
      const cleared = await ana.saveConnection({ ...i99, sealedSecret: 'v1:c', backfill: null, pushCalendar: true });
      expect(cleared).toMatchObject({ backfill: null, pushCalendar: true, connectedAt: now });
      expect(await ana.connection('intervals')).toEqual(cleared);
      expect(await ana.connections()).toHaveLength(1);
    });

    it('two processes re-connecting one athlete at once leave one connection, the first connect time kept', async () => {
      const h = await fresh();
      const first = await h.ana.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: 'v1:0' });
      now = at('2027-03-01T09:00:00Z');
      const saves = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? h.otherProcess('ana') : h.ana).saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: `v1:${i}` }),
      );
      for (const saved of await Promise.all(saves)) expect(saved.connectedAt).toEqual(first.connectedAt);
      expect(await countOf(h, 'connections')).toBe(1);
    });
  });
}

/** Disconnecting a service removes what belongs to it, in one go. */
function disconnectBehaviour(name: string, open: Open): void {
  describe(`disconnecting a service on ${name}`, () => {
    const fresh = freshDatabases(open);

    it('disconnecting deletes the connection, its unfinished jobs but a deauthorize, the rides seen and the calendar — not the rides', async () => {
      const h = await fresh();
      const { ana, ben, queue } = h;
      await ride(h, 'ride-1');
      for (const service of ['intervals', 'strava'] as const) {
        await ana.saveConnection({ service, externalAthleteId: `${service}-1`, sealedSecret: 'v1:x' });
        await ana.recordSyncedActivity(service, `${service}-ride`, 'ride-1');
      }
      await ben.saveConnection({ service: 'intervals', externalAthleteId: 'i-ben', sealedSecret: 'v1:y' });
      const entry = { externalId: 'domestique:w1', remoteId: '9', date: '2027-03-03', contentHash: 'h', pushedAt: now };
      await ana.saveCalendarEntry(entry);
      await ben.saveCalendarEntry(entry);
      const job = (athleteId: string, service: 'intervals' | 'strava', kind: 'fetch-activity' | 'deauthorize', key: string) =>
        queue.enqueue({ athleteId, service, kind, dedupeKey: key });
      await job('ana', 'intervals', 'fetch-activity', 'i-running');
      now = at('2027-03-01T08:00:01Z');
      await job('ana', 'intervals', 'fetch-activity', 'i-done');
      const [running, finished] = await queue.claim(now, 'p1', { limit: 2 });
      expect(await queue.complete(finished!.id, 'p1')).toBe(true);
      now = at('2027-03-01T08:01:00Z');
      await job('ana', 'intervals', 'fetch-activity', 'i-queued');
      await job('ana', 'strava', 'fetch-activity', 's-queued');
      await job('ben', 'intervals', 'fetch-activity', 'ben-queued');
      await job('ana', 'intervals', 'deauthorize', 'i-deauth'); // queued for after the disconnect: kept

      expect(await ana.deleteConnection('intervals')).toBe(true);
      expect(await ana.connection('intervals')).toBeNull();
      expect(await ana.syncedActivity('intervals', 'intervals-ride')).toBeNull();
      expect(await ana.calendarEntries()).toEqual([]);
      expect(await queue.complete(running!.id, 'p1')).toBe(false); // deleted while running
      expect(await keysLeft(h)).toEqual(['ben-queued', 'i-deauth', 'i-done', 's-queued']);
      // Strava's side, Ben's, and the ride itself are untouched
      expect(await ana.connection('strava')).not.toBeNull();
      expect(await ana.syncedActivity('strava', 'strava-ride')).toEqual({ activityId: 'ride-1' });
      expect(await ben.connection('intervals')).not.toBeNull();
      expect(await ben.calendarEntries()).toEqual([entry]);
      expect(await countOf(h, 'activities')).toBe(1);
      expect(await ana.deleteConnection('intervals')).toBe(false);
      // Strava has no calendar: disconnecting it leaves the entries
      await ana.saveCalendarEntry(entry);
      expect(await ana.deleteConnection('strava')).toBe(true);
      expect(await ana.calendarEntries()).toEqual([entry]);
      expect(await ana.syncedActivity('strava', 'strava-ride')).toBeNull();
      expect(await keysLeft(h)).toEqual(['ben-queued', 'i-deauth', 'i-done']);
    });
  });
}

/** The remote rides seen and our calendar entries. */
function seenBehaviour(name: string, open: Open): void {
  describe(`rides seen and calendar entries on ${name}`, () => {
    const fresh = freshDatabases(open);

    it('records what each remote ride became (the newest outcome wins); a deleted ride stays seen', async () => {
      const h = await fresh();
      const { ana, ben } = h;
      await ride(h, 'ride-1');
      expect(await ana.syncedActivity('strava', '1001')).toBeNull();
      expect(await ana.syncedCount('strava')).toBe(0);
      await ana.recordSyncedActivity('strava', '1001', null); // unreadable at first
      expect(await ana.syncedActivity('strava', '1001')).toEqual({ activityId: null });
      now = at('2027-03-01T08:05:00Z');
      await ana.recordSyncedActivity('strava', '1001', 'ride-1'); // read on a retry
      await ana.recordSyncedActivity('strava', '1002', null); // a run
      await ana.recordSyncedActivity('intervals', 'i5', 'ride-1'); // the same ride from intervals.icu
      expect(await ana.syncedActivity('strava', '1001')).toEqual({ activityId: 'ride-1' });
      expect(await ana.syncedCount('strava')).toBe(1);
      expect(await ana.syncedCount('intervals')).toBe(1);
      expect(await ana.externalIdOf('strava', 'ride-1')).toBe('1001');
      expect(await ana.externalIdOf('intervals', 'ride-1')).toBe('i5');
      expect(await ana.externalIdOf('strava', 'ride-2')).toBeNull();
      expect(await ben.syncedActivity('strava', '1001')).toBeNull();
      expect(await ben.syncedCount('strava')).toBe(0);
      expect(await ben.externalIdOf('strava', 'ride-1')).toBeNull();
      // a second remote id for the ride, seen later: the first seen answers
      now = at('2027-03-01T08:10:00Z');
      await ana.recordSyncedActivity('strava', '0999', 'ride-1');
      expect(await ana.externalIdOf('strava', 'ride-1')).toBe('1001');
      expect(await ana.syncedCount('strava')).toBe(2);

      await h.exec("delete from activities where id = 'ride-1'");
      expect(await ana.syncedActivity('strava', '1001')).toEqual({ activityId: null });
      expect(await ana.syncedCount('strava')).toBe(0);
      expect(await ana.externalIdOf('strava', 'ride-1')).toBeNull();
    });

    it('keeps one calendar entry per workout, by date then id (byte-wise), replaced and deleted', async () => {
      const { ana, ben } = await fresh();
      const pushedAt = now;
      await ana.saveCalendarEntry({ externalId: 'domestique:b', remoteId: null, date: '2027-03-05', contentHash: 'h1', pushedAt });
      await ana.saveCalendarEntry({ externalId: 'domestique:a', remoteId: '11', date: '2027-03-06', contentHash: 'h2', pushedAt });
      await ana.saveCalendarEntry({ externalId: 'domestique:B', remoteId: '13', date: '2027-03-06', contentHash: 'h4', pushedAt });
      now = at('2027-03-01T09:00:00Z');
      await ana.saveCalendarEntry({ externalId: 'domestique:b', remoteId: '12', date: '2027-03-07', contentHash: 'h3', pushedAt: now });
      expect(await ana.calendarEntries()).toEqual([
        { externalId: 'domestique:B', remoteId: '13', date: '2027-03-06', contentHash: 'h4', pushedAt },
        { externalId: 'domestique:a', remoteId: '11', date: '2027-03-06', contentHash: 'h2', pushedAt },
        { externalId: 'domestique:b', remoteId: '12', date: '2027-03-07', contentHash: 'h3', pushedAt: now },
      ]);
      await ben.deleteCalendarEntry('domestique:a');
      expect(await ben.calendarEntries()).toEqual([]);
      await ana.deleteCalendarEntry('domestique:a');
      await ana.deleteCalendarEntry('domestique:none');
      expect((await ana.calendarEntries()).map((e) => e.externalId)).toEqual(['domestique:B', 'domestique:b']);
    });
  });
}

const behaviours = [connectionBehaviour, reconnectBehaviour, disconnectBehaviour, seenBehaviour];

describe('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'domestique-pg-sync-'));
  let files = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const open: Open = async (clock) => {
    const path = join(dir, `sync-${++files}.db`);
    const [first, second] = [openDatabase(path), openDatabase(path)];
    return {
      sync: (athleteId) => lifted<AthleteSyncRepository>(new SqliteAthleteSyncRepository({ db: first.db, athleteId, clock })),
      otherProcess: (athleteId) => lifted<AthleteSyncRepository>(new SqliteAthleteSyncRepository({ db: second.db, athleteId, clock })),
      queue: lifted<SyncQueue>(new SqliteSyncQueue(first.db, clock)),
      exec: async (text, params = []) => {
        const statement = first.sqlite.prepare(text);
        if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
        statement.run(...params);
        return [];
      },
      close: async () => [first, second].forEach((opened) => opened.close()),
    };
  };
  for (const behaviour of behaviours) behaviour('sqlite', open);
});

describePostgres('postgres', (server) => {
  const open: Open = async (clock) => {
    const url = await server().freshDatabase();
    const [first, second] = [await openPostgres(url, { max: 4 }), await openPostgres(url, { max: 4 })];
    return {
      sync: (athleteId) => new PgAthleteSyncRepository({ db: first.db, athleteId, clock }),
      otherProcess: (athleteId) => new PgAthleteSyncRepository({ db: second.db, athleteId, clock }),
      queue: new PgSyncQueue(first.db, clock),
      exec: async (text, params = []) => {
        let n = 0;
        const numbered = text.replace(/\?/g, () => `$${++n}`);
        return (await first.pool.query(numbered, params)).rows as Record<string, unknown>[];
      },
      close: async () => void (await Promise.all([first.close(), second.close()])),
    };
  };
  for (const behaviour of behaviours) behaviour('postgres', open);
});
