/**
 * `db:copy` from a club's SQLite file into a real PostgreSQL server, and `db:check` on both: a club
 * built through the store (athletes, profiles, rides with their streams, uploads, runs and their
 * reports, plan versions, matches, events, reminders, check-ins, connections, the sync queue,
 * chat state, questions, quota counters, the update inbox) arrives with every table's rows and
 * checksum equal; a target that holds data is refused unless --replace; a copy that fails leaves
 * the target empty; the URL's password is never printed.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkoutMatch } from '../../src/domain/coaching/types.js';
import { checkPostgres } from '../../src/store/pg/check.js';
import { copySqliteToPostgres, CopyRefusedError } from '../../src/store/pg/copy.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { activities as pgActivities } from '../../src/store/pg/schema.js';
import { postgresDigest, sqliteDigest, type TableShape } from '../../src/store/pg/table-digest.js';
import { Store, type IntegrityReport } from '../../src/store/store.js';
import { seedAthlete } from '../support/athlete.js';
import { cli, cliFails } from '../support/cli.js';
import { withCoachingPlan } from '../support/coaching-athlete.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';

const PASSWORD = 'S3cret-pw-never-printed';
const NOW = new Date('2026-09-24T10:00:00.000Z');

/** A club in a SQLite file, every table with rows (calls awaited: the store's interface is becoming async). */
async function buildClub(path: string): Promise<void> {
  const store = await Store.open(path, { clock: () => NOW });
  try {
    const annaId = await seedAthlete(store, 'telegram:1', 'Anna');
    const anna = store.athlete(annaId);
    // text keys in an order where byte order and a locale's differ; names with quotes and emoji
    const zoe = await store.athleteForIdentity('discord:Zoë', `Zoë 🚴 "the climber" d'Alpe`);
    const bruno = store.athlete(zoe.id);
    for (const key of ['telegram:B', 'telegram:a', 'telegram:é', 'cli:zoë']) await bruno.linkIdentity(key);
    await bruno.updateProfile({ ftp: 0.1 + 0.2, weightKg: 61.12345678901234, maxHr: 190, age: 41, sex: 'female' }, NOW);
    await withCoachingPlan(bruno, NOW);
    const run = await anna.startRun({ periodFrom: '2026-03-01', periodTo: '2026-09-01', provider: 'offline', model: 'rules' });
    await anna.finishPhase(run.id, {
      phase: 'analysis',
      status: 'done',
      startedAt: NOW,
      durationMs: 1234,
      inputTokens: 10,
      outputTokens: 20,
    });
    await anna.finishRun(run.id, { status: 'done', degraded: true, inputTokens: 10, outputTokens: 20, costUsd: 0.000123 });
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    await anna.saveReports(run.id, [
      { fileName: 'report.html', contentType: 'text/html', content: new TextEncoder().encode('<h1>Zoë ✓</h1>') },
      { fileName: 'bytes.bin', contentType: 'application/octet-stream', content: everyByte },
    ]);
    await anna.recordQuestion({
      provider: 'offline',
      model: 'rules',
      intent: 'fitness',
      inputTokens: 3,
      outputTokens: 4,
      costUsd: 0,
      grounded: false,
    });
    await anna.setReminder({ enabled: true, dayOfMonth: 'last', timeOfDay: '07:30', channelKey: 'telegram:1', nextDueAt: NOW });
    await bruno.setCheckin({ enabled: true, weekday: 'sun', timeOfDay: '18:00', channelKey: 'discord:Zoë', nextDueAt: NOW });
    await store.setChatState('telegram:1', { step: 'weightKg', nested: { list: [1, 2.5, null], text: 'é"\\' } }, annaId);
    await store.usage('telegram:1').record('bytes', 3_000_000_000, NOW);
    await store.usage('discord:Zoë').record('question', 1, NOW);
    await bruno.coaching.addEvent({ date: '2026-10-18', priority: 'A', name: 'Gravel race 🏁' });
    const rides = (await anna.recentActivities(3)).map((s) => s.activity.id);
    const match = (activityId: string): WorkoutMatch => ({
      activityId,
      workoutKey: null,
      date: '2026-09-01',
      rideDate: '2026-09-01',
      status: 'extra',
      workoutName: null,
      ftp: 260,
      session: { plannedMinutes: 0, doneMinutes: 61.5, plannedTss: 0, doneTss: 55.25, plannedIf: 0, doneIf: 0.71 },
      intervals: [],
    });
    for (const id of rides.slice(0, 2)) await anna.coaching.saveMatch(match(id), 1);
    await anna.sync.saveConnection({ service: 'intervals', externalAthleteId: 'i42', sealedSecret: 'v1:sealed', nextPollAt: NOW });
    await anna.sync.recordSyncedActivity('intervals', 'ext-1', rides[0]!);
    await anna.sync.recordSyncedActivity('intervals', 'ext-2', null);
    await bruno.sync.saveCalendarEntry({
      externalId: 'domestique:w1',
      remoteId: null,
      date: '2026-09-22',
      contentHash: 'abc',
      pushedAt: NOW,
    });
    await store.sync.enqueue({
      athleteId: annaId,
      service: 'intervals',
      kind: 'backfill',
      payload: { months: 3 },
      dedupeKey: 'b:1',
      batch: 'b1',
    });
    await store.sync.enqueue({ athleteId: annaId, service: 'intervals', kind: 'fetch-activity', payload: { id: 'ext-3' }, batch: 'b1' });
    await store.sync.saveOAuthState('state-1', { athleteId: zoe.id, identityKey: 'discord:Zoë', months: 6, expiresAt: NOW });
    await store.updates.receive('telegram', 4_294_967_297, JSON.stringify({ update_id: 1, message: { text: 'hi' } }), null);
  } finally {
    await store.close();
  }
}

/** Rows of every table of a SQLite file, counted directly. */
function sqliteCounts(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const names = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations'")
      .all() as { name: string }[];
    return Object.fromEntries(
      names.map(({ name }) => [name, (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

/** db:check's report on PostgreSQL, in process (the CLI runs the same function; one CLI run per kind is enough). */
async function checkUnmigrated(url: string): Promise<IntegrityReport> {
  const opened = await openPostgres(url, { migrate: false, max: 1 });
  try {
    return await checkPostgres(opened.pool);
  } finally {
    await opened.close();
  }
}

const available = postgresAvailable();

describe.skipIf(!available)('db:copy and db:check on a real PostgreSQL server', () => {
  let server: TestPostgres;
  let admin: pg.Client;
  let dir: string;
  let club: string;
  let databases = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-db-copy-'));
    club = join(dir, 'club.db');
    [server] = await Promise.all([startPostgres(), buildClub(club)]);
    admin = new pg.Client(server.url);
    await admin.connect();
  }, 120_000);
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new empty database, its URL carrying a password (trust auth accepts any: the point is that it is never printed). */
  async function freshDatabase(): Promise<string> {
    const name = `copy_${++databases}`;
    await admin.query(`create database ${name}`);
    return server.url.replace('domestique@', `domestique:${PASSWORD}@`).replace(/\/[^/]+$/, `/${name}`);
  }

  it('copies every table with the same rows and checksums, values read back intact', async () => {
    const to = await freshDatabase();
    const report = await copySqliteToPostgres(club, to, { batchRows: 7 });
    const counts = sqliteCounts(club);
    expect(report.ok).toBe(true);
    expect(report.to).not.toContain(PASSWORD);
    expect(report.tables.map((t) => t.name).sort()).toEqual(Object.keys(counts).sort());
    for (const t of report.tables) {
      expect({ table: t.name, rows: t.rows, postgresRows: t.postgresRows }).toEqual({
        table: t.name,
        rows: counts[t.name],
        postgresRows: counts[t.name],
      });
      // every table of the club holds something, so that each is really compared
      expect({ table: t.name, empty: t.rows === 0 }).toEqual({ table: t.name, empty: false });
      expect(t.postgresChecksum).toBe(t.sqliteChecksum);
    }
    // the PostgreSQL schema's column types read the copied values as the SQLite store wrote them
    const target = await openPostgres(to);
    try {
      const sqlite = await Store.open(club);
      const [pgRide] = await target.db.select().from(pgActivities).limit(1);
      const liteRide = (await sqlite.athlete(pgRide!.athleteId).activity(pgRide!.id, { streams: true }))!;
      await sqlite.close();
      expect(pgRide!.startTime).toEqual(liteRide.activity.startTime);
      expect(pgRide!.streams!.byteLength).toBeGreaterThan(1000);
      expect(Buffer.isBuffer(pgRide!.streams)).toBe(true);
      expect(pgRide!.laps).toEqual(expect.any(Array));
    } finally {
      await target.close();
    }
  }, 120_000);

  it('refuses a target that holds data, copies again with --replace (CLI), and db:check agrees on both engines', async () => {
    const to = await freshDatabase();
    await copySqliteToPostgres(club, to);
    await expect(copySqliteToPostgres(club, to)).rejects.toThrow(CopyRefusedError);
    const refused = await cliFails({}, 'db:copy', '--from', club, '--to', to);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already holds data \(2 athletes, \d+ rows in all\).*--replace/);
    expect(refused.stderr + refused.stdout).not.toContain(PASSWORD);

    const json = await cli('db:copy', '--from', club, '--to', to, '--replace', '--json');
    expect(json.stdout + json.stderr).not.toContain(PASSWORD);
    const report = JSON.parse(json.stdout) as { from: string; to: string; ok: boolean; tables: { name: string; ok: boolean }[] };
    expect(report).toMatchObject({ from: club, ok: true, to: expect.stringContaining('domestique:***@127.0.0.1') });
    expect(report.tables.every((t) => t.ok)).toBe(true);

    const text = await cli('db:copy', '--from', club, '--to', to, '--replace');
    expect(text.stdout).toMatch(/^table\s+rows\s+checksum\s+ok$/m);
    expect(text.stdout).toMatch(/^activities\s+\d+\s+[0-9a-f]{16}\s+yes$/m);
    expect(text.stdout).toContain('every table has the same rows on both');
    expect(text.stdout + text.stderr).not.toContain(PASSWORD);

    const sqliteStore = await Store.open(club);
    const onSqlite = await sqliteStore.check();
    await sqliteStore.close();
    const checked = await cli('db:check', '--db', to, '--json');
    expect(checked.stdout + checked.stderr).not.toContain(PASSWORD);
    const onPostgres = JSON.parse(checked.stdout) as { integrity: string; counts: Record<string, number> };
    expect(onSqlite.integrity).toBe('ok');
    expect(onPostgres.integrity).toBe('ok');
    expect(onPostgres.counts).toMatchObject(onSqlite.counts);
    expect(onPostgres.counts.activities).toBeGreaterThan(30);
  }, 120_000);

  it('leaves the target empty when the copy fails half-way (one transaction), and says so without the password', async () => {
    const broken = join(dir, 'broken.db');
    copyFileSync(club, broken);
    const db = new Database(broken);
    // a row whose athlete does not exist (written with the foreign keys off): PostgreSQL refuses it late in the copy
    db.pragma('foreign_keys = OFF');
    db.prepare(
      "insert into oauth_states (state, athlete_id, identity_key, months, expires_at) values ('orphan', 'ghost', 'x', 1, 0)",
    ).run();
    db.close();
    const to = await freshDatabase();
    const failed = await cliFails({}, 'db:copy', '--from', broken, '--to', to);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/foreign key/i);
    expect(failed.stderr + failed.stdout).not.toContain(PASSWORD);
    const check = await checkUnmigrated(to);
    expect(check.integrity).toBe('ok');
    expect(Object.values(check.counts).every((n) => n === 0)).toBe(true);
  }, 120_000);

  it('db:check reports a database whose migrations are missing, or whose rows break a foreign key', async () => {
    const to = await freshDatabase();
    expect((await checkUnmigrated(to)).integrity).toMatch(/^(\d+) of \1 migrations not applied/);
    const target = await openPostgres(to);
    try {
      await target.pool.query(`insert into athletes values ('a1', 'A', 'UTC', 'metric', 0, 0)`);
      await target.pool.query(`insert into chat_identities values ('telegram:9', 'a1', 0)`);
      // rows loaded with the triggers (and so the foreign keys) off, as a careless restore does
      await target.pool.query(`alter table chat_identities disable trigger all`);
      await target.pool.query(`update chat_identities set athlete_id = 'ghost'`);
      await target.pool.query(`alter table chat_identities enable trigger all`);
    } finally {
      await target.close();
    }
    const broken = await checkUnmigrated(to);
    expect(broken.integrity).toMatch(/1 rows of chat_identities point to missing athletes/);
    expect(broken.counts).toMatchObject({ athletes: 1, chatIdentities: 1 });
  }, 60_000);

  it('checksums tell a value that changed type, and order text keys by bytes on both engines', async () => {
    const url = await freshDatabase();
    const client = new pg.Client(url);
    await client.connect();
    const lite = new Database(':memory:');
    try {
      const keys = ['b', 'B', 'é', 'a', 'Z', '🚴'];
      lite.exec('create table t (id text primary key, v)');
      await client.query('create table t (id text primary key, v text)');
      for (const [i, k] of keys.entries()) {
        lite.prepare('insert into t values (?, ?)').run(k, `value ${i}`);
        await client.query('insert into t values ($1, $2)', [k, `value ${i}`]);
      }
      const shape: TableShape = { name: 't', columns: ['id', 'v'], primaryKey: ['id'], textKeys: ['id'] };
      const digest = async () => {
        await client.query('begin');
        try {
          return await postgresDigest(client, shape);
        } finally {
          await client.query('commit');
        }
      };
      expect(await digest()).toEqual(sqliteDigest(lite, shape));
      // the same digits, as a number on one side and text on the other
      lite.prepare("update t set v = 42 where id = 'a'").run();
      await client.query("update t set v = '42' where id = 'a'");
      expect((await digest()).checksum).not.toBe(sqliteDigest(lite, shape).checksum);
    } finally {
      lite.close();
      await client.end();
    }
  });
});
