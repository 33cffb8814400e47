/**
 * `/export` and `/forget` (PrivacyRepository) behave the same on SQLite and on PostgreSQL: one
 * behaviour suite, run on SQLite through `Store.open` + `store.athlete(id)` and on PostgreSQL on the
 * PostgreSQL repositories composed by hand around PgPrivacyRepository. The export holds every part
 * of one athlete and nothing of another, no secret; forgetting deletes every row carrying the
 * athlete's id, the states of its chats, and leaves the quota counters. On PostgreSQL also: both
 * engines, given the same writes, export the same thing (field order included), and an identity
 * linked while /forget runs waits for it and loses its chat state too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type OpenedPostgres } from '../../src/store/pg/database.js';
import type { Clock } from '../../src/store/records.js';
import { usageSubject } from '../../src/store/usage-counters.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';
import { EXPORT_FIELDS, normalized, openSqlite, pgWorld, seed, type PrivacyWorld } from '../support/privacy-world.js';

/** The behaviour every engine's /export and /forget have; `open` gives a fresh empty database each time. */
function privacyBehaviour(name: string, open: (clock: Clock) => Promise<PrivacyWorld>): void {
  describe(`export and forget on ${name}`, () => {
    let now: Date;
    const tick = () => (now = new Date(now.getTime() + 1000));
    let opened: PrivacyWorld[] = [];
    const fresh = async () => {
      const world = await open(() => now);
      opened.push(world);
      return world;
    };

    beforeEach(() => {
      now = new Date('2027-01-10T10:00:00Z');
    });
    afterEach(async () => {
      for (const world of opened) await world.close();
      opened = [];
    });

    it('exports every part of the athlete, in order, and nothing of another athlete nor any secret', async () => {
      const world = await fresh();
      const { ana, ben } = await seed(world, tick);
      const exported = await ana.export();
      expect(Object.keys(exported)).toEqual(EXPORT_FIELDS);
      expect(exported.exportedAt).toBe(now.toISOString());
      expect(exported.athlete).toMatchObject({ id: ana.athleteId, displayName: 'Ana', identities: ['telegram:1', 'discord:11'] });
      expect(exported.profileHistory.map((p) => p.goals)).toEqual(['Sub-5 at the Marmotte']);
      expect(exported.activities).toHaveLength(1);
      const power = exported.activities[0]!.streams!.power!;
      expect(power.length).toBe(exported.activities[0]!.movingSeconds);
      expect(exported.uploads.map((u) => [u.fileNames, u.new, u.errors.length])).toEqual([[['a.fit', 'x.gpx'], 1, 1]]);
      expect(exported.runs.map((r) => [r.status, r.phases.length])).toEqual([['done', 1]]);
      expect(exported.reportFiles).toEqual([
        { runId: exported.runs[0]!.id, fileName: 'index.html', contentType: 'text/html', content: new TextEncoder().encode('report') },
      ]);
      expect([exported.reminder?.enabled, exported.checkin?.enabled]).toEqual([true, true]);
      expect(exported.questions).toEqual([expect.objectContaining({ model: 'm', inputTokens: 40, costUsd: 0.009 })]);
      expect(exported.chatState.map((c) => [c.identityKey, c.state])).toEqual([
        ['discord:11', { pending: null }],
        ['telegram:1', { pending: 'weight' }],
      ]);
      expect(exported.planVersions.map((v) => v.version)).toEqual([1]);
      expect(exported.workoutMatches.map((m) => m.activityId)).toEqual([exported.activities[0]!.id]);
      expect(exported.events.map((e) => e.name)).toEqual(['Marmotte']);
      expect(exported.connections).toEqual([expect.objectContaining({ service: 'strava', externalAthleteId: '777', pushCalendar: false })]);
      const json = JSON.stringify(exported);
      for (const absent of ['SEALED-SECRET', ben.athleteId, 'telegram:2', usageSubject('telegram:1')]) expect(json).not.toContain(absent);
    });

    it('forgets every row of the athlete and the states of its chats; others’ rows and the quota counters stay', async () => {
      const world = await fresh();
      const { ana, ben } = await seed(world, tick);
      const before = await world.counts();
      const owned = await world.counts(ana.athleteId);
      expect(Object.keys(owned).length).toBeGreaterThanOrEqual(20);
      await ana.forget();
      for (const [table, n] of Object.entries(await world.counts(ana.athleteId))) expect(n, table).toBe(0);
      const after = await world.counts();
      // Every table lost exactly Ana's rows (the unowned ones: her two chat states, her identity-less one included)
      for (const [table, n] of Object.entries(before))
        expect([table, after[table]]).toEqual([
          table,
          table === 'athletes' ? n - 1 : table === 'chat_state' ? n - 2 : n - (owned[table] ?? 0),
        ]);
      expect(after['usage_events']).toBe(1);
      expect(await world.chatStates.getChatState('discord:11')).toBeNull();
      expect(await world.chatStates.getChatState('telegram:2')).toEqual({ step: 'ben' });
      expect(await world.identities.findByIdentity('telegram:1')).toBeNull();
      expect((await world.identities.findByIdentity('telegram:2'))?.id).toBe(ben.athleteId);
      expect(await ben.activityCount()).toBe(1);
      // Forgetting again is harmless; reading a forgotten athlete fails as it does for any unknown one.
      await ana.forget();
      await expect(ana.export()).rejects.toThrow(`no athlete ${ana.athleteId}`);
    });

    it('an athlete with nothing but a first contact exports empty parts', async () => {
      const world = await fresh();
      const ana = world.athlete((await world.identities.athleteForIdentity('telegram:1', 'Ana')).id);
      const exported = await ana.export();
      expect({ ...exported, athlete: null }).toEqual({
        ...Object.fromEntries(EXPORT_FIELDS.map((field) => [field, []])),
        ...{ exportedAt: now.toISOString(), athlete: null, reminder: null, checkin: null },
      });
      await ana.forget();
      expect(await world.counts()).toMatchObject({ athletes: 0, chat_identities: 0 });
    });
  });
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-privacy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  privacyBehaviour('sqlite', (clock) => openSqlite(join(dir, `privacy-${++files}.db`), clock));
});

describe.skipIf(!postgresAvailable())('postgres', () => {
  let server: TestPostgres;
  const pools: OpenedPostgres[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => server?.stop());
  const openPg = async (clock: Clock) => {
    const url = await server.freshDatabase();
    const opened = await openPostgres(url, { max: 4 });
    pools.push(opened);
    return { opened, url, world: pgWorld(opened, clock) };
  };
  afterEach(async () => {
    for (const opened of pools.splice(0)) await opened.close().catch(() => undefined);
  });

  privacyBehaviour('postgres', async (clock) => (await openPg(clock)).world);

  it('both engines, given the same writes, export the same thing, field order included, and forget the same rows', async () => {
    let now = new Date('2027-01-10T10:00:00Z');
    const tick = () => (now = new Date(now.getTime() + 1000));
    const dir = mkdtempSync(join(tmpdir(), 'domestique-privacy-both-'));
    const sqlite = await openSqlite(join(dir, 'both.db'), () => now);
    try {
      const { world: postgres } = await openPg(() => now);
      const start = now;
      const onSqlite = await seed(sqlite, tick);
      now = start;
      const onPostgres = await seed(postgres, tick);
      const [a, b] = [normalized(await onSqlite.ana.export()), normalized(await onPostgres.ana.export())];
      expect(b).toEqual(a);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      await onSqlite.ana.forget();
      await onPostgres.ana.forget();
      expect(await postgres.counts()).toEqual(await sqlite.counts());
    } finally {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an identity being linked while /forget runs is waited for, and its chat state is forgotten too', async () => {
    const { opened, url, world } = await openPg(() => new Date('2027-01-10T10:00:00Z'));
    const ana = world.athlete((await world.identities.athleteForIdentity('telegram:1', 'Ana')).id);
    await world.chatStates.setChatState('discord:late', { step: 'linking' });
    const linker = new pg.Client(url);
    await linker.connect();
    try {
      await linker.query('begin');
      await linker.query('insert into chat_identities (key, athlete_id, created_at) values ($1, $2, $3)', [
        'discord:late',
        ana.athleteId,
        0,
      ]);
      const forgetting = ana.forget();
      // forget waits on the row lock the uncommitted link holds on the athlete
      const waiting = "select count(*) n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()";
      while (Number((await opened.pool.query<{ n: string }>(waiting)).rows[0]!.n) === 0) await new Promise((r) => setImmediate(r));
      await linker.query('commit');
      await forgetting;
    } finally {
      await linker.end();
    }
    expect(await world.chatStates.getChatState('discord:late')).toBeNull();
    expect(await world.counts()).toMatchObject({ athletes: 0, chat_identities: 0, chat_state: 0 });
  });
});
