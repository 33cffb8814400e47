/**
 * Identities, athletes, link codes and chat state (IdentityDirectory, AthleteRepository,
 * ChatStateRepository) behave the same on SQLite and on PostgreSQL: one behaviour suite, run on each
 * engine with two handles on one database, as two processes hold them. First contact creates one
 * athlete even when both processes see a new identity at once; moving the last identity away
 * deletes the athlete left, also when two identities leave it at once — on PostgreSQL truly at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/database.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgChatStateRepository } from '../../src/store/pg/repositories/chat-state.js';
import { PgAthleteRepository, PgIdentityDirectory } from '../../src/store/pg/repositories/identities.js';
import { lifted, type AthleteRepository, type ChatStateRepository, type IdentityDirectory } from '../../src/store/ports.js';
import type { Clock } from '../../src/store/records.js';
import { SqliteChatStateRepository } from '../../src/store/repositories/chat-state.js';
import { SqliteAthleteRepository, SqliteIdentityDirectory } from '../../src/store/repositories/identities.js';
import { describePostgres } from '../support/postgres.js';

type ChatStates = ChatStateRepository & Pick<PgChatStateRepository, 'statesOf'>;

/** What one process holds on the database. */
interface Handle {
  identities: IdentityDirectory;
  chatStates: ChatStates;
  athlete(athleteId: string): AthleteRepository;
}

/** One empty database seen by two processes, and its athletes' ids read directly. */
interface Opened {
  first: Handle;
  second: Handle;
  athleteIds(): Promise<string[]>;
  close(): Promise<void>;
}

const T0 = new Date('2026-12-01T10:00:00Z');
const MINUTE = 60_000;

/** A clock the tests move, and fresh databases closed after each test (hooks of the calling describe block). */
function testDatabases(open: (clock: Clock) => Promise<Opened>) {
  const time = { now: T0 };
  let opened: Opened[] = [];
  beforeEach(() => {
    time.now = T0;
  });
  afterEach(async () => {
    for (const handles of opened) await handles.close();
    opened = [];
  });
  return {
    time,
    later: (ms: number) => (time.now = new Date(time.now.getTime() + ms)),
    fresh: async () => {
      const handles = await open(() => time.now);
      opened.push(handles);
      return handles;
    },
  };
}

type Databases = ReturnType<typeof testDatabases>;

/** The behaviour every engine has; `open` gives a fresh empty database each time, on `clock`. */
function identityBehaviour(name: string, open: (clock: Clock) => Promise<Opened>): void {
  describe(`identities and chat state on ${name}`, () => {
    const databases = testDatabases(open);
    directoryCases(databases);
    movingCases(databases);
    chatStateCases(databases);
  });
}

/** First contact, the athlete's own row, link codes. */
function directoryCases({ time, later, fresh }: Databases): void {
  it('creates an athlete on first contact, finds it again by identity, never twice', async () => {
    const { first, second, athleteIds } = await fresh();
    expect(await first.identities.findByIdentity('telegram:1')).toBeNull();
    const anna = await first.identities.athleteForIdentity('telegram:1', 'Anna');
    expect(anna).toEqual({
      id: expect.any(String),
      displayName: 'Anna',
      timeZone: 'UTC',
      units: 'metric',
      createdAt: T0,
      updatedAt: T0,
      identities: ['telegram:1'],
    });
    later(MINUTE);
    expect(await second.identities.athleteForIdentity('telegram:1', 'Someone else')).toEqual(anna);
    expect(await second.identities.findByIdentity('telegram:1')).toEqual(anna);
    expect(await athleteIds()).toEqual([anna.id]);
  });

  it('an athlete reads and changes its own row, and links more identities (one held stays where it is)', async () => {
    const { first } = await fresh();
    const anna = await first.identities.athleteForIdentity('telegram:1', 'Anna');
    const ben = await first.identities.athleteForIdentity('telegram:2', 'Ben');
    const repo = first.athlete(anna.id);
    later(MINUTE);
    const changed = await repo.update({ timeZone: 'Europe/Paris', units: 'imperial' });
    expect(changed).toEqual({ ...anna, timeZone: 'Europe/Paris', units: 'imperial', updatedAt: time.now });
    expect(await repo.update({ displayName: 'Anna B.' })).toEqual({ ...changed, displayName: 'Anna B.' });
    later(MINUTE);
    await repo.linkIdentity('discord:11');
    await repo.linkIdentity('discord:11');
    await repo.linkIdentity('telegram:2');
    later(MINUTE);
    await repo.linkIdentity('cli:anna');
    expect((await repo.info()).identities).toEqual(['telegram:1', 'discord:11', 'cli:anna']);
    expect((await first.identities.findByIdentity('discord:11'))?.id).toBe(anna.id);
    expect(await first.athlete(ben.id).info()).toEqual(ben);
    await expect(first.athlete('nobody').info()).rejects.toThrow('no athlete nobody');
    await expect(first.athlete('nobody').update({ units: 'metric' })).rejects.toThrow('no athlete nobody');
  });

  it('finds an unexpired link code held as text in a chat tied to an athlete, and nothing else', async () => {
    const { first, second } = await fresh();
    const anna = await first.identities.athleteForIdentity('telegram:1', 'Anna');
    const expires = time.now.getTime() + 10 * MINUTE;
    await first.chatStates.setChatState('telegram:1', { step: null, linkCode: '012345', linkExpiresAt: expires }, anna.id);
    await first.chatStates.setChatState('telegram:9', { linkCode: '111111', linkExpiresAt: expires });
    await first.chatStates.setChatState('discord:9', { linkCode: 222222, linkExpiresAt: expires }, anna.id);
    await first.chatStates.setChatState('discord:8', { linkCode: '333333', linkExpiresAt: null }, anna.id);
    await first.chatStates.setChatState('discord:7', { linkCode: '444444' }, anna.id);
    const found = { identityKey: 'telegram:1', athleteId: anna.id };
    expect(await second.identities.findLinkCode('012345', time.now)).toEqual(found);
    expect(await second.identities.findLinkCode('12345', time.now)).toBeNull();
    expect(await second.identities.findLinkCode('111111', time.now)).toBeNull(); // no athlete
    expect(await second.identities.findLinkCode('222222', time.now)).toBeNull(); // a number, not the code
    expect(await second.identities.findLinkCode('333333', time.now)).toBeNull(); // no expiry
    expect(await second.identities.findLinkCode('444444', time.now)).toBeNull();
    expect(await second.identities.findLinkCode('012345', new Date(expires - 1))).toEqual(found);
    expect(await second.identities.findLinkCode('012345', new Date(expires))).toBeNull();
    await first.chatStates.setChatState('telegram:1', { linkCode: null, linkExpiresAt: null }, anna.id);
    expect(await second.identities.findLinkCode('012345', time.now)).toBeNull();
  });
}

/** Moving identities between athletes, also two processes at once; first contact at once. */
function movingCases({ time, later, fresh }: Databases): void {
  it('moves an identity with its chat state; the athlete left without identities is deleted', async () => {
    const { first, second, athleteIds } = await fresh();
    // A minute between identities: both engines list them in the order they came.
    const anna = await first.identities.athleteForIdentity('telegram:1', 'Anna');
    later(MINUTE);
    const other = await first.identities.athleteForIdentity('discord:11', 'Anna on Discord');
    later(MINUTE);
    await first.athlete(other.id).linkIdentity('cli:anna');
    await first.chatStates.setChatState('discord:11', { step: 'ftp' }, other.id);
    await second.identities.moveIdentity('unknown:1', anna.id);
    await second.identities.moveIdentity('telegram:1', anna.id);
    expect((await athleteIds()).sort()).toEqual([anna.id, other.id].sort());
    await second.identities.moveIdentity('discord:11', anna.id);
    expect((await first.identities.findByIdentity('discord:11'))?.identities).toEqual(['telegram:1', 'discord:11']);
    expect(await first.chatStates.statesOf(['discord:11'])).toEqual([
      { identityKey: 'discord:11', state: { step: 'ftp' }, updatedAt: time.now },
    ]);
    expect((await first.athlete(other.id).info()).identities).toEqual(['cli:anna']);
    await second.identities.moveIdentity('cli:anna', anna.id);
    expect(await athleteIds()).toEqual([anna.id]);
    await expect(first.athlete(other.id).info()).rejects.toThrow(`no athlete ${other.id}`);
    // The moved chat state went with the identity (deleting the athlete left would have taken it).
    expect(await first.chatStates.getChatState('discord:11')).toEqual({ step: 'ftp' });
  });
  it('two processes meeting the same new identities at once create one athlete each, and agree on it', async () => {
    const { first, second, athleteIds } = await fresh();
    const keys = Array.from({ length: 12 }, (_, i) => `telegram:${100 + i}`);
    const pairs = await Promise.all(
      keys.map((key) => Promise.all([first.identities.athleteForIdentity(key, 'A'), second.identities.athleteForIdentity(key, 'B')])),
    );
    for (const [a, b] of pairs) expect(a).toEqual(b);
    expect(pairs.map(([a]) => a.identities)).toEqual(keys.map((key) => [key]));
    expect((await athleteIds()).sort()).toEqual(pairs.map(([a]) => a.id).sort());
  });

  it('two identities leaving one athlete at once: the athlete is deleted all the same', async () => {
    const { first, second, athleteIds } = await fresh();
    const anna = await first.identities.athleteForIdentity('telegram:1', 'Anna');
    for (let i = 0; i < 5; i++) {
      const left = await first.identities.athleteForIdentity(`discord:${i}`, 'Left');
      await first.athlete(left.id).linkIdentity(`cli:${i}`);
      await Promise.all([first.identities.moveIdentity(`discord:${i}`, anna.id), second.identities.moveIdentity(`cli:${i}`, anna.id)]);
      expect(await athleteIds()).toEqual([anna.id]);
    }
    expect((await first.athlete(anna.id).info()).identities).toHaveLength(11);
  });
}

/** The chat states. */
function chatStateCases({ time, later, fresh }: Databases): void {
  it('keeps chat state by identity: replaced whole, with its athlete (none unless given), read back by identities', async () => {
    const { first, second } = await fresh();
    const anna = await first.identities.athleteForIdentity('telegram:1', 'Anna');
    expect(await first.chatStates.getChatState('telegram:1')).toBeNull();
    expect(await first.chatStates.statesOf([])).toEqual([]);
    await first.chatStates.setChatState('telegram:1', { pending: 'ftp', statusMessageId: 42, nested: { a: [1, null] } }, anna.id);
    await first.chatStates.setChatState('discord:b', { step: 'b' });
    await first.chatStates.setChatState('Discord:a', { step: 'a' });
    expect(await second.chatStates.getChatState('telegram:1')).toEqual({ pending: 'ftp', statusMessageId: 42, nested: { a: [1, null] } });
    later(MINUTE);
    await second.chatStates.setChatState('telegram:1', { step: null });
    expect(await first.chatStates.getChatState('telegram:1')).toEqual({ step: null });
    // Byte order of the keys, as SQLite's primary key gives them; unknown keys are left out.
    expect(await first.chatStates.statesOf(['telegram:1', 'discord:b', 'Discord:a', 'none'])).toEqual([
      { identityKey: 'Discord:a', state: { step: 'a' }, updatedAt: T0 },
      { identityKey: 'discord:b', state: { step: 'b' }, updatedAt: T0 },
      { identityKey: 'telegram:1', state: { step: null }, updatedAt: time.now },
    ]);
    // Written without an athlete, a state is no one's: it outlives the athlete it had; a state still tied goes with it.
    await first.chatStates.setChatState('Discord:a', { step: 'a' }, anna.id);
    await first.chatStates.setChatState('Discord:a', { step: 'a2' });
    await first.chatStates.setChatState('cli:z', { step: 'z' }, anna.id);
    const ben = await first.identities.athleteForIdentity('discord:b', 'Ben');
    await first.identities.moveIdentity('telegram:1', ben.id);
    const left = await first.chatStates.statesOf(['Discord:a', 'cli:z', 'telegram:1']);
    expect(left.map((c) => [c.identityKey, c.state])).toEqual([
      ['Discord:a', { step: 'a2' }],
      ['telegram:1', { step: null }],
    ]);
  });
}

function sqliteHandle(db: Db, clock: Clock): Handle {
  return {
    identities: lifted<IdentityDirectory>(new SqliteIdentityDirectory(db, clock)),
    chatStates: lifted<ChatStates>(new SqliteChatStateRepository(db, clock)),
    athlete: (athleteId) => lifted<AthleteRepository>(new SqliteAthleteRepository({ db, athleteId, clock })),
  };
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-identities-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  identityBehaviour('sqlite', async (clock) => {
    const path = join(dir, `identities-${++files}.db`);
    const first = openDatabase(path);
    const second = openDatabase(path);
    return {
      first: sqliteHandle(first.db, clock),
      second: sqliteHandle(second.db, clock),
      athleteIds: async () =>
        first.sqlite
          .prepare<[], { id: string }>('select id from athletes order by id')
          .all()
          .map((r) => r.id),
      close: async () => {
        first.close();
        second.close();
      },
    };
  });
});

describePostgres('postgres', (server) => {
  identityBehaviour('postgres', async (clock) => {
    const url = await server().freshDatabase();
    const [first, second] = [await openPostgres(url, { max: 4 }), await openPostgres(url, { max: 4 })];
    const handle = (db: typeof first.db): Handle => ({
      identities: new PgIdentityDirectory(db, clock),
      chatStates: new PgChatStateRepository(db, clock),
      athlete: (athleteId) => new PgAthleteRepository({ db, athleteId, clock }),
    });
    return {
      first: handle(first.db),
      second: handle(second.db),
      athleteIds: async () =>
        (await first.pool.query<{ id: string }>('select id from athletes order by id collate "C"')).rows.map((r) => r.id),
      close: async () => {
        await first.close();
        await second.close();
      },
    };
  });
});
