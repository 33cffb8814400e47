/**
 * The coaching loop's tables (the CoachingRepository port) behave the same on SQLite and on
 * PostgreSQL: one behaviour suite, run on each engine with two handles on one database, as two
 * processes would hold (two connections to one SQLite file; two pools on one PostgreSQL database).
 * Plan versions numbered per athlete in order — also when two processes save at once — matches
 * replaced per ride, ordered by planned date and gone with the ride, events scoped to their athlete.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlanVersion, WorkoutMatch } from '../../src/domain/coaching/types.js';
import type { Plan, PlanInput } from '../../src/domain/plan/types.js';
import { openDatabase } from '../../src/store/database.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgCoachingRepository } from '../../src/store/pg/repositories/coaching.js';
import { lifted, type CoachingRepository } from '../../src/store/ports.js';
import type { Clock } from '../../src/store/records.js';
import { SqliteCoachingRepository } from '../../src/store/repositories/coaching.js';
import { describePostgres } from '../support/postgres.js';

/** One empty database seen by two processes, rows of other tables written directly. */
interface CoachingHandles {
  /** `athleteId`'s coaching repository in the first process, or in the second. */
  coaching(athleteId: string, process?: 'second'): CoachingRepository;
  /** Runs one statement (`?` placeholders) on the first process's connection. */
  exec(statement: string, params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 6,
  trainingDays: ['tue', 'thu', 'sat'],
  planWeeks: 4,
  startDate: '2027-01-04',
  fitness: { ctl: 40 },
};

function plan(name: string): Plan {
  const workout = {
    key: '2027-01-05#0',
    name,
    type: 'endurance' as const,
    intensity: 'easy' as const,
    durationMinutes: 60,
    tss: 45,
    intensityFactor: 0.68,
  };
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  return {
    startDate: '2027-01-04',
    weeks: [
      {
        week: 1,
        phase: 'base',
        targetTss: 45,
        plannedTss: 45,
        hours: 1,
        days: days.map((weekday, i) => ({ date: `2027-01-0${4 + i}`, weekday, workouts: i === 1 ? [workout] : [] })),
      },
    ],
  };
}

const version = (name: string, sourceRunId: string | null = null): Omit<PlanVersion, 'version' | 'createdAt'> => ({
  reason: name,
  changes: [{ kind: 'new-plan', text: `${name} plan` }],
  plan: plan(name),
  ftp: 250.5,
  sourceRunId,
  input: INPUT,
});

const match = (activityId: string, status: WorkoutMatch['status'], date = '2027-01-05'): WorkoutMatch => ({
  activityId,
  workoutKey: status === 'extra' ? null : `${date}#0`,
  date,
  rideDate: date,
  status,
  workoutName: status === 'extra' ? null : 'Endurance 1:00',
  ftp: 250,
  session: { plannedMinutes: 60, doneMinutes: 61, plannedTss: 45, doneTss: 47, plannedIf: 0.68, doneIf: 0.69 },
  intervals: [],
});

async function athlete(h: CoachingHandles, id: string): Promise<void> {
  await h.exec('insert into athletes (id, display_name, created_at, updated_at) values (?, ?, ?, ?)', [id, id, 0, 0]);
}

/** An activity row of `athleteId` (what a match refers to), with the columns that must be set. */
async function ride(h: CoachingHandles, athleteId: string, id: string): Promise<void> {
  await h.exec(
    `insert into activities (id, athlete_id, activity_key, source, source_kind, source_hash, session_index, sport, source_type,
       start_time, power, laps, warnings, metrics, created_at, updated_at)
     values (?, ?, ?, 'test', 'fit', ?, 0, 'cycling', 'test', 0, 'measured', '[]', '[]', '{}', 0, 0)`,
    [id, athleteId, id, id],
  );
}

/** The behaviour every engine's coaching tables have; `open` gives a fresh empty database each time, on `clock`. */
function coachingBehaviour(name: string, open: (clock: Clock) => Promise<CoachingHandles>): void {
  describe(`the coaching tables on ${name}`, () => {
    let now: Date;
    const clock = () => now;
    const later = (ms: number) => (now = new Date(now.getTime() + ms));
    let opened: CoachingHandles[] = [];
    const fresh = async (...athletes: string[]) => {
      const handles = await open(clock);
      opened.push(handles);
      for (const id of athletes) await athlete(handles, id);
      return handles;
    };

    beforeEach(() => {
      now = new Date('2027-01-04T08:00:00Z');
    });
    afterEach(async () => {
      for (const handles of opened) await handles.close();
      opened = [];
    });

    it('numbers plan versions in order per athlete, the newest being the current plan, also across two processes', async () => {
      const h = await fresh('ana', 'ben');
      const ana = h.coaching('ana');
      expect(await ana.currentPlanVersion()).toBeNull();
      expect(await ana.planVersions()).toEqual([]);
      const first = await ana.savePlanVersion(version('first', 'run-1'));
      expect(first).toEqual({ ...version('first', 'run-1'), version: 1, createdAt: now });
      later(60_000);
      expect((await h.coaching('ana', 'second').savePlanVersion(version('second'))).version).toBe(2);
      later(60_000);
      expect((await ana.savePlanVersion(version('third'))).version).toBe(3);
      // Another athlete's versions are numbered on their own.
      expect((await h.coaching('ben').savePlanVersion(version('ben'))).version).toBe(1);
      const current = (await h.coaching('ana', 'second').currentPlanVersion())!;
      expect(current).toEqual({ ...version('third'), version: 3, createdAt: now });
      expect(current.plan.weeks[0]!.days[1]!.workouts[0]!.name).toBe('third');
      const all = await ana.planVersions();
      expect(all.map((v) => [v.version, v.reason, v.sourceRunId])).toEqual([
        [1, 'first', 'run-1'],
        [2, 'second', null],
        [3, 'third', null],
      ]);
      expect(all[0]).toEqual(first);
      expect((await h.coaching('ben').planVersions()).map((v) => v.reason)).toEqual(['ben']);
    });

    it('two processes saving versions at once each get a distinct next number', async () => {
      const h = await fresh('ana');
      const saves = Array.from({ length: 20 }, (_, i) => h.coaching('ana', i % 2 ? 'second' : undefined).savePlanVersion(version(`v${i}`)));
      const saved = await Promise.all(saves);
      expect(saved.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const stored = await h.coaching('ana').planVersions();
      expect(stored.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      // Each stored version is the one its save returned.
      for (const v of saved) expect(stored[v.version - 1]!.reason).toBe(v.reason);
      expect((await h.coaching('ana').currentPlanVersion())!.version).toBe(20);
    });

    it('keeps one match per ride (replaced, its place kept), by planned date then when first matched, gone with the ride', async () => {
      const h = await fresh('ana', 'ben');
      for (const id of ['r1', 'r2', 'r3']) await ride(h, 'ana', id);
      const ana = h.coaching('ana');
      await ana.saveMatch(match('r1', 'partial', '2027-01-07'), 1);
      later(1000);
      await ana.saveMatch(match('r2', 'extra', '2027-01-05'), 1);
      later(1000);
      await ana.saveMatch(match('r3', 'done', '2027-01-07'), 1);
      later(1000);
      await h.coaching('ana', 'second').saveMatch(match('r1', 'done', '2027-01-07'), 2);
      expect((await ana.matches()).map((m) => [m.activityId, m.status])).toEqual([
        ['r2', 'extra'],
        ['r1', 'done'],
        ['r3', 'done'],
      ]);
      expect(await ana.matchOf('r1')).toEqual(match('r1', 'done', '2027-01-07'));
      expect(await ana.matchOf('r9')).toBeNull();
      // Another athlete sees none of them.
      expect(await h.coaching('ben').matchOf('r1')).toBeNull();
      expect(await h.coaching('ben').matches()).toEqual([]);
      await h.exec('delete from activities where id = ?', ['r1']);
      expect((await ana.matches()).map((m) => m.activityId)).toEqual(['r2', 'r3']);
      expect(await ana.matchOf('r1')).toBeNull();
    });

    it('keeps events by date then when added, scoped to their athlete; removes one only for its owner', async () => {
      const h = await fresh('ana', 'ben');
      const [ana, ben] = [h.coaching('ana'), h.coaching('ben')];
      const marmotte = await ana.addEvent({ date: '2027-07-04', priority: 'A', name: 'Marmotte' });
      expect(marmotte).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), date: '2027-07-04', priority: 'A', name: 'Marmotte' });
      later(1000);
      await ana.addEvent({ date: '2027-05-16', priority: 'B', name: 'Club TT' });
      later(1000);
      await ana.addEvent({ date: '2027-05-16', priority: 'C', name: 'Hill climb' });
      await ben.addEvent({ date: '2027-01-01', priority: 'C', name: 'New year' });
      expect(await ben.removeEvent(marmotte.id)).toBeNull();
      expect((await ana.events()).map((e) => e.name)).toEqual(['Club TT', 'Hill climb', 'Marmotte']);
      expect((await h.coaching('ben', 'second').events()).map((e) => e.name)).toEqual(['New year']);
      expect(await h.coaching('ana', 'second').removeEvent(marmotte.id)).toEqual(marmotte);
      expect(await ana.removeEvent(marmotte.id)).toBeNull();
      expect((await ana.events()).map((e) => e.priority)).toEqual(['B', 'C']);
    });
  });
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-coaching-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  coachingBehaviour('sqlite', async (clock) => {
    const path = join(dir, `coaching-${++files}.db`);
    const [first, second] = [openDatabase(path), openDatabase(path)];
    return {
      coaching: (athleteId, process) =>
        lifted<CoachingRepository>(new SqliteCoachingRepository({ db: (process ? second : first).db, athleteId, clock })),
      exec: async (statement, params) => void first.sqlite.prepare(statement).run(...params),
      close: async () => {
        first.close();
        second.close();
      },
    };
  });
});

describePostgres('postgres', (server) => {
  coachingBehaviour('postgres', async (clock) => {
    const url = await server().freshDatabase();
    const [first, second] = [await openPostgres(url, { max: 4 }), await openPostgres(url, { max: 4 })];
    return {
      coaching: (athleteId, process) => new PgCoachingRepository({ db: (process ? second : first).db, athleteId, clock }),
      exec: async (statement, params) => {
        let n = 0;
        await first.pool.query(
          statement.replace(/\?/g, () => `$${++n}`),
          params,
        );
      },
      close: async () => {
        await first.close();
        await second.close();
      },
    };
  });
});
