/**
 * The sync's rows and the athlete's privacy, on SQLite and on PostgreSQL: /export gives the
 * connections without their secrets, /forget removes every sync row of the athlete (on SQLite the
 * sealed text is overwritten in the file); and a SQLite database of the version before the sync
 * tables migrates. The tables themselves: store-sync.test.ts and store-sync-queue.test.ts.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { MIGRATIONS_FOLDER } from '../../src/store/database.js';
import { Store, type BackfillState } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { storeEngines } from '../support/engines.js';
import { tempStore } from '../support/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

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

describe.each(storeEngines())('the sync rows and privacy on $name', (engine) => {
  /** A store on the engine at 2027-03-01 08:00. */
  async function fresh() {
    const s = await engine.tempStore(() => at('2027-03-01T08:00:00Z'));
    cleanups.push(s.cleanup);
    const athlete = async (key: string, name: string) => s.store.athlete((await s.store.athleteForIdentity(key, name)).id);
    return { ...s, athlete };
  }

  describe('privacy', () => {
    it('/export gives the connections without secrets; /forget removes every sync row and the sealed text', async () => {
      const { store, path, athlete } = await fresh();
      const ana = await athlete('telegram:1', 'Ana');
      const ben = await athlete('telegram:2', 'Ben');
      const sealed = 'v1:SEALED-SECRET-OF-ANA-0123456789';
      await ana.sync.saveConnection({ service: 'intervals', externalAthleteId: 'i42', sealedSecret: sealed, backfill });
      await ana.sync.updateConnection('intervals', { lastSyncAt: at('2027-03-01T08:30:00Z'), cursor: at('2027-02-28T07:00:00Z') });
      await ana.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: `${sealed}-strava`, pushCalendar: false });
      await ana.sync.recordSyncedActivity('strava', '1001', await storedRide(store, ana.athleteId, 1));
      await ana.sync.saveCalendarEntry({
        externalId: 'domestique:a',
        remoteId: '1',
        date: '2027-03-03',
        contentHash: 'h',
        pushedAt: at('2027-03-01T08:00:00Z'),
      });
      await store.sync.enqueue({ athleteId: ana.athleteId, service: 'strava', kind: 'fetch-activity', dedupeKey: 'strava:1002' });
      await store.sync.saveOAuthState('state-ana', {
        athleteId: ana.athleteId,
        identityKey: 'telegram:1',
        months: 12,
        expiresAt: at('2027-03-01T08:10:00Z'),
      });
      await ben.sync.saveConnection({ service: 'strava', externalAthleteId: '888', sealedSecret: 'v1:ben' });
      await store.sync.enqueue({ athleteId: ben.athleteId, service: 'strava', kind: 'fetch-activity', dedupeKey: 'strava:2001' });

      const exported = await ana.export();
      expect(exported.connections).toEqual([
        {
          service: 'intervals',
          externalAthleteId: 'i42',
          connectedAt: at('2027-03-01T08:00:00Z'),
          lastSyncAt: at('2027-03-01T08:30:00Z'),
          pushCalendar: true,
        },
        { service: 'strava', externalAthleteId: '777', connectedAt: at('2027-03-01T08:00:00Z'), lastSyncAt: null, pushCalendar: false },
      ]);
      const json = JSON.stringify(exported);
      expect(json.includes('SEALED-SECRET')).toBe(false);
      expect(json.includes('v1:')).toBe(false);
      expect(json.includes(ben.athleteId)).toBe(false);

      await ana.forget();
      const counts = (await store.check()).counts;
      expect(counts).toMatchObject({ connections: 1, syncJobs: 1, syncedActivities: 0, calendarEntries: 0, oauthStates: 0 });
      expect(await store.sync.takeOAuthState('state-ana', at('2027-03-01T08:00:00Z'))).toBeNull();
      expect(await store.sync.athleteByExternalId('strava', '777')).toBeNull();
      expect(await store.sync.athleteByExternalId('strava', '888')).toBe(ben.athleteId);
      expect((await store.check()).integrity).toBe('ok');
      // SQLite only, its file's bytes: the sealed text is overwritten in the file, not just unlinked
      // (secure_delete and the checkpoint); PostgreSQL's files are the server's
      if (engine.name === 'SQLite') {
        expect(existsSync(path)).toBe(true);
        for (const file of [path, `${path}-wal`])
          if (existsSync(file)) expect(readFileSync(file).includes('SEALED-SECRET-OF-ANA')).toBe(false);
      }
    });
  });
});

// SQLite only: the migrations of an old SQLite database, from a folder of the previous version's files
describe('migration 0008 on SQLite', () => {
  it('brings a database of the previous version up, keeping its data, and the sync tables work', async () => {
    const { dir, cleanup } = await tempStore();
    cleanups.push(cleanup);
    const old = join(dir, 'migrations-0007');
    mkdirSync(join(old, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((e) => e.tag === '0008_sync_connections');
    expect(upTo).toBeGreaterThan(0);
    const previous = { ...journal, entries: journal.entries.slice(0, upTo) };
    writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify(previous));
    for (const e of previous.entries) cpSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(old, `${e.tag}.sql`));

    const path = join(dir, 'old.db');
    const before = await Store.open(path, { migrationsFolder: old });
    const id = (await before.athleteForIdentity('telegram:1', 'Old Timer')).id;
    await before.athlete(id).updateProfile({ ftp: 251 });
    await expect(before.sync.nextDue()).rejects.toThrow(/no such table/);
    await before.close();

    const after = await Store.open(path);
    cleanups.push(() => after.close());
    expect((await after.athlete(id).currentProfile())!.ftp).toBe(251);
    await after.athlete(id).sync.saveConnection({ service: 'intervals', externalAthleteId: 'i1', sealedSecret: 'v1:x' });
    expect(await after.sync.enqueue({ athleteId: id, service: 'intervals', kind: 'backfill', dedupeKey: 'b' })).toBe(true);
    expect(await after.check()).toMatchObject({ integrity: 'ok', counts: { connections: 1, syncJobs: 1 } });
    // opening again applies nothing twice
    const again = await Store.open(path);
    await again.close();
  });
});
