/**
 * Profile history and questions to the coach (ProfileRepository, QuestionRepository) behave the
 * same on SQLite and on PostgreSQL: one behaviour suite, run on each engine with two handles on one
 * database, as two processes hold them. Versions from a date, corrections on the same day in the
 * athlete's time zone (also when two processes change the profile at once), measured fields
 * resolved across versions; questions counted and listed per athlete.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_PROFILE } from '../../src/domain/profile.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { openPostgres, type PgDb } from '../../src/store/pg/database.js';
import { PgAthleteRepository, PgIdentityDirectory } from '../../src/store/pg/repositories/identities.js';
import { PgProfileRepository } from '../../src/store/pg/repositories/profile.js';
import { PgQuestionRepository } from '../../src/store/pg/repositories/questions.js';
import {
  lifted,
  type AthleteRepository,
  type IdentityDirectory,
  type ProfileRepository,
  type QuestionRepository,
} from '../../src/store/ports.js';
import type { Clock, QuestionRecord } from '../../src/store/records.js';
import { SqliteAthleteRepository, SqliteIdentityDirectory } from '../../src/store/repositories/identities.js';
import { SqliteProfileRepository } from '../../src/store/repositories/profile.js';
import { SqliteQuestionRepository } from '../../src/store/repositories/questions.js';
import { describePostgres } from '../support/postgres.js';

/** One athlete's repositories in one process. */
interface Ports {
  athlete: AthleteRepository;
  profile: ProfileRepository;
  questions: QuestionRepository;
}

/** What one process holds on the database. */
interface Handle {
  identities: IdentityDirectory;
  athlete(athleteId: string): Ports;
}

/** One empty database seen by two processes. */
interface Opened {
  first: Handle;
  second: Handle;
  close(): Promise<void>;
}

const T0 = new Date('2026-06-01T10:00:00Z');
const at = (iso: string) => new Date(iso);
const question = (q: Partial<QuestionRecord> = {}): QuestionRecord => ({
  provider: 'anthropic',
  model: 'claude',
  intent: null,
  inputTokens: 100,
  outputTokens: 20,
  costUsd: 0.0125,
  grounded: true,
  ...q,
});

/** A clock the tests move, and fresh databases with one athlete, closed after each test (hooks of the calling describe block). */
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
    /** A fresh database with one athlete, Anna, seen by both processes. */
    anna: async () => {
      const handles = await open(() => time.now);
      opened.push(handles);
      const { id } = await handles.first.identities.athleteForIdentity('telegram:1', 'Anna');
      return { id, a: handles.first.athlete(id), b: handles.second.athlete(id), handles };
    },
  };
}

type Databases = ReturnType<typeof testDatabases>;

/** The behaviour every engine has; `open` gives a fresh empty database each time, on `clock`. */
function profileBehaviour(name: string, open: (clock: Clock) => Promise<Opened>): void {
  describe(`profiles and questions on ${name}`, () => {
    const databases = testDatabases(open);
    profileCases(databases);
    questionCases(databases);
  });
}

/** Versions, corrections, resolution, concurrent changes, one profile per athlete. */
function profileCases({ time, anna }: Databases): void {
  it('starts without a profile, then keeps versions from their dates and resolves measured fields across them', async () => {
    const { a, b } = await anna();
    expect(await a.profile.profileHistory()).toEqual([]);
    expect(await a.profile.profileAt(T0)).toBeNull();
    expect(await a.profile.currentProfile()).toBeNull();
    const first = await a.profile.updateProfile(
      { weightKg: 70, trainingDays: ['mon', 'wed'], goals: 'Marmotte' },
      at('2026-01-01T00:00:00Z'),
    );
    expect(first).toEqual({
      ...EMPTY_PROFILE,
      weightKg: 70,
      trainingDays: ['mon', 'wed'],
      goals: 'Marmotte',
      validFrom: at('2026-01-01T00:00:00Z'),
    });
    // Resolved: the FTP first given in March applies before it too; the weight is carried over.
    const second = await b.profile.updateProfile(
      { ftp: 300, weightKg: undefined, goals: null, sex: 'female', age: 41 },
      at('2026-03-01T00:00:00Z'),
    );
    expect(second).toMatchObject({ ftp: 300, weightKg: 70, goals: null, sex: 'female', age: 41, trainingDays: ['mon', 'wed'] });
    const history = await b.profile.profileHistory();
    expect(history.map((v) => [v.validFrom, v.ftp, v.weightKg, v.goals])).toEqual([
      [at('2026-01-01T00:00:00Z'), null, 70, 'Marmotte'],
      [at('2026-03-01T00:00:00Z'), 300, 70, null],
    ]);
    expect(Object.keys(history[0]!)).toEqual(['validFrom', ...Object.keys(EMPTY_PROFILE)]);
    expect(await a.profile.profileAt(at('2026-02-01T00:00:00Z'))).toMatchObject({
      ftp: 300,
      goals: 'Marmotte',
      validFrom: at('2026-01-01T00:00:00Z'),
    });
    expect(await a.profile.profileAt(at('2025-12-01T00:00:00Z'))).toMatchObject({ ftp: 300, weightKg: 70, goals: 'Marmotte' });
    expect(await a.profile.currentProfile()).toEqual(second);
    // Without a date: now. A version older than the newest is inserted between them.
    time.now = at('2026-05-01T09:00:00Z');
    await a.profile.updateProfile({ ftp: 310 });
    await a.profile.updateProfile({ ftp: 290 }, at('2026-02-01T00:00:00Z'));
    expect((await a.profile.profileHistory()).map((v) => v.ftp)).toEqual([null, 290, 300, 310]);
  });

  it("corrects the version of the same day in the athlete's time zone instead of adding one", async () => {
    const { a } = await anna();
    await a.athlete.update({ timeZone: 'Pacific/Auckland' });
    // 12:00 UTC on the 10th and 09:00 UTC on the 11th are both the 11th in Auckland (UTC+12).
    await a.profile.updateProfile({ ftp: 250, goals: 'base' }, at('2026-06-10T12:00:00Z'));
    const corrected = await a.profile.updateProfile({ ftp: 262, weightKg: 68 }, at('2026-06-11T09:00:00Z'));
    expect(corrected).toMatchObject({ ftp: 262, weightKg: 68, goals: 'base', validFrom: at('2026-06-10T12:00:00Z') });
    expect(await a.profile.profileHistory()).toEqual([corrected]);
    // 13:00 UTC on the 11th is the 12th there: a new version.
    await a.profile.updateProfile({ ftp: 270 }, at('2026-06-11T13:00:00Z'));
    expect((await a.profile.profileHistory()).map((v) => v.ftp)).toEqual([262, 270]);
  });

  it('two processes changing the profile on one day at once make one version with both changes', async () => {
    const { a, b } = await anna();
    for (let day = 1; day <= 5; day++) {
      const date = at(`2026-07-0${day}T08:00:00Z`);
      await Promise.all([a.profile.updateProfile({ ftp: 200 + day }, date), b.profile.updateProfile({ weightKg: 60 + day }, date)]);
    }
    const history = await a.profile.profileHistory();
    expect(history.map((v) => [v.ftp, v.weightKg])).toEqual([1, 2, 3, 4, 5].map((day) => [200 + day, 60 + day]));
  });

  it('keeps one profile per athlete', async () => {
    const { a, handles } = await anna();
    const ben = await handles.second.identities.athleteForIdentity('telegram:2', 'Ben');
    await a.profile.updateProfile({ ftp: 250 });
    expect(await handles.second.athlete(ben.id).profile.profileHistory()).toEqual([]);
    await handles.second.athlete(ben.id).profile.updateProfile({ ftp: 180 });
    expect((await a.profile.profileHistory()).map((v) => v.ftp)).toEqual([250]);
  });
}

/** Questions counted and listed. */
function questionCases({ time, anna }: Databases): void {
  it('counts and lists questions per athlete, oldest first, those of the same instant in the order asked', async () => {
    const { a, b, handles } = await anna();
    const ben = handles.second.athlete((await handles.second.identities.athleteForIdentity('telegram:2', 'Ben')).id);
    expect(await a.questions.questionsSince(T0)).toBe(0);
    expect(await a.questions.questions()).toEqual([]);
    await a.questions.recordQuestion(question({ intent: 'ftp' }));
    await b.questions.recordQuestion(question({ model: 'second', grounded: false, inputTokens: 0, costUsd: 0 }));
    await ben.questions.recordQuestion(question());
    time.now = new Date(T0.getTime() + 3_600_000);
    await a.questions.recordQuestion(question({ provider: 'ollama', model: 'llama', outputTokens: 7 }));
    expect(await b.questions.questionsSince(T0)).toBe(3);
    expect(await b.questions.questionsSince(time.now)).toBe(1);
    expect(await b.questions.questionsSince(new Date(time.now.getTime() + 1))).toBe(0);
    expect(await ben.questions.questionsSince(T0)).toBe(1);
    expect(await a.questions.questions()).toEqual([
      { ...question({ intent: 'ftp' }), askedAt: T0 },
      { ...question({ model: 'second', grounded: false, inputTokens: 0, costUsd: 0 }), askedAt: T0 },
      { ...question({ provider: 'ollama', model: 'llama', outputTokens: 7 }), askedAt: time.now },
    ]);
  });
}

function sqliteHandle(db: Db, clock: Clock): Handle {
  return {
    identities: lifted<IdentityDirectory>(new SqliteIdentityDirectory(db, clock)),
    athlete: (athleteId) => {
      const scope = { db, athleteId, clock };
      return {
        athlete: lifted<AthleteRepository>(new SqliteAthleteRepository(scope)),
        profile: lifted<ProfileRepository>(new SqliteProfileRepository(scope)),
        questions: lifted<QuestionRepository>(new SqliteQuestionRepository(scope)),
      };
    },
  };
}

function pgHandle(db: PgDb, clock: Clock): Handle {
  return {
    identities: new PgIdentityDirectory(db, clock),
    athlete: (athleteId) => {
      const scope = { db, athleteId, clock };
      return {
        athlete: new PgAthleteRepository(scope),
        profile: new PgProfileRepository(scope),
        questions: new PgQuestionRepository(scope),
      };
    },
  };
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-profile-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  profileBehaviour('sqlite', async (clock) => {
    const path = join(dir, `profile-${++files}.db`);
    const [first, second] = [openDatabase(path), openDatabase(path)];
    return {
      first: sqliteHandle(first.db, clock),
      second: sqliteHandle(second.db, clock),
      close: async () => {
        first.close();
        second.close();
      },
    };
  });
});

describePostgres('postgres', (server) => {
  profileBehaviour('postgres', async (clock) => {
    const url = await server().freshDatabase();
    const [first, second] = [await openPostgres(url, { max: 4 }), await openPostgres(url, { max: 4 })];
    return {
      first: pgHandle(first.db, clock),
      second: pgHandle(second.db, clock),
      close: async () => {
        await first.close();
        await second.close();
      },
    };
  });
});
