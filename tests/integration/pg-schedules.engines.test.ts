/**
 * The monthly reminders and the weekly check-ins (ReminderRepository, ReminderSchedule,
 * CheckinRepository, CheckinSchedule) behave the same on SQLite and on PostgreSQL: one behaviour
 * suite, run on each engine with three handles on one database, as three processes would hold.
 * Settings defaulted in the athlete's zone and changed in part; what is due; claims under a lease
 * taken over only once expired and completed only by their claimant; and three processes claiming
 * at once taking each athlete's reminder and check-in exactly once — on PostgreSQL truly at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { pgCheckinRepository, pgCheckinSchedule } from '../../src/store/pg/repositories/checkins.js';
import { PgReminderRepository, PgReminderSchedule } from '../../src/store/pg/repositories/reminders.js';
import {
  lifted,
  type CheckinRepository,
  type CheckinSchedule,
  type ReminderRepository,
  type ReminderSchedule,
} from '../../src/store/ports.js';
import type { Clock, ReminderCompletion } from '../../src/store/records.js';
import { checkinRepository, checkinSchedule } from '../../src/store/repositories/checkins.js';
import { SqliteReminderRepository, SqliteReminderSchedule } from '../../src/store/repositories/reminders.js';
import { describePostgres } from '../support/postgres.js';

/** One process's view of the tickers' queries. */
interface Schedules {
  reminders: ReminderSchedule;
  checkins: CheckinSchedule;
}

/** One empty database seen by three processes. */
interface ScheduleHandles {
  /** An athlete's settings (in the first process); `zone` is what the athlete's zone reads as. */
  reminders(athleteId: string, zone: string): ReminderRepository;
  checkins(athleteId: string, zone: string): CheckinRepository;
  /** The tickers' queries of three processes. */
  processes: [Schedules, Schedules, Schedules];
  /** Runs one statement (`?` placeholders) on the first process's connection. */
  exec(statement: string, params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** What the claims of both kinds have in common, to run one test on each. */
interface Kind {
  name: string;
  enable(h: ScheduleHandles, athleteId: string, nextDueAt: Date | null, enabled?: boolean): Promise<void>;
  read(
    h: ScheduleHandles,
    athleteId: string,
  ): Promise<{ enabled: boolean; nextDueAt: Date | null; lastSentAt: Date | null; disabledReason: string | null } | null>;
  claim(
    s: Schedules,
    now: Date,
    claimant: string,
    leaseMs?: number,
    limit?: number,
  ): Promise<{ athleteId: string; channelKey: string | null }[]>;
  complete(s: Schedules, athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean>;
}

const ZONE = 'Europe/Berlin';
const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);

const KINDS: Kind[] = [
  {
    name: 'reminders',
    enable: async (h, id, nextDueAt, enabled = true) =>
      void (await h.reminders(id, ZONE).setReminder({ enabled, channelKey: `chat:${id}`, nextDueAt })),
    read: (h, id) => h.reminders(id, ZONE).reminder(),
    claim: (s, ...args) => s.reminders.claimDueReminders(...args),
    complete: (s, ...args) => s.reminders.completeReminder(...args),
  },
  {
    name: 'check-ins',
    enable: async (h, id, nextDueAt, enabled = true) =>
      void (await h.checkins(id, ZONE).setCheckin({ enabled, channelKey: `chat:${id}`, nextDueAt })),
    read: (h, id) => h.checkins(id, ZONE).checkin(),
    claim: (s, ...args) => s.checkins.claimDueCheckins(...args),
    complete: (s, ...args) => s.checkins.completeCheckin(...args),
  },
];

async function athletes(h: ScheduleHandles, ids: string[]): Promise<void> {
  for (const id of ids) await h.exec('insert into athletes (id, display_name, created_at, updated_at) values (?, ?, ?, ?)', [id, id, 0, 0]);
}

const ids = (rows: { athleteId: string }[]) => rows.map((r) => r.athleteId);

/** Claims `limit` at a time until nothing is left for this process; every athlete it took. */
async function drain(kind: Kind, s: Schedules, now: Date, claimant: string, limit: number): Promise<string[]> {
  const taken: string[] = [];
  for (;;) {
    const batch = await kind.claim(s, now, claimant, undefined, limit);
    if (batch.length === 0) return taken;
    taken.push(...ids(batch));
  }
}

/** The behaviour every engine's schedules have; `open` gives a fresh empty database each time, on `clock`. */
function schedulesBehaviour(name: string, open: (clock: Clock) => Promise<ScheduleHandles>): void {
  describe(`reminders and check-ins on ${name}`, () => {
    let now: Date;
    const clock = () => now;
    let opened: ScheduleHandles[] = [];
    const fresh = async (...ids: string[]) => {
      const handles = await open(clock);
      opened.push(handles);
      await athletes(handles, ids);
      return handles;
    };

    beforeEach(() => {
      now = at('2026-06-01T08:00:00Z');
    });
    afterEach(async () => {
      for (const handles of opened) await handles.close();
      opened = [];
    });

    it('a reminder: none at first; a first change on the defaults in the athlete’s zone; later ones keep the rest', async () => {
      const h = await fresh('ana', 'ben');
      const ana = h.reminders('ana', ZONE);
      expect(await ana.reminder()).toBeNull();
      const first = await ana.setReminder({ enabled: true, channelKey: 'telegram:1' });
      expect(first).toEqual({
        enabled: true,
        dayOfMonth: '1',
        timeOfDay: '09:00',
        timeZone: ZONE,
        channelKey: 'telegram:1',
        nextDueAt: null,
        lastSentAt: null,
        disabledReason: null,
      });
      expect(await ana.reminder()).toEqual(first);
      const due = at('2026-07-01T07:00:00Z');
      const moved = await h.reminders('ana', 'Asia/Tokyo').setReminder({ dayOfMonth: 'last', nextDueAt: due });
      expect(moved).toEqual({ ...first, dayOfMonth: 'last', nextDueAt: due });
      expect(await ana.reminder()).toEqual(moved);
      // Another athlete's: their own zone, off until turned on.
      expect(await h.reminders('ben', 'UTC').reminder()).toBeNull();
      expect(await h.reminders('ben', 'UTC').setReminder({ timeOfDay: '18:00' })).toMatchObject({
        enabled: false,
        timeZone: 'UTC',
        timeOfDay: '18:00',
      });
    });

    it('a check-in: Monday 08:00 in the athlete’s zone by default; a weekday it does not know reads as Monday', async () => {
      const h = await fresh('ana');
      const ana = h.checkins('ana', ZONE);
      expect(await ana.checkin()).toBeNull();
      const first = await ana.setCheckin({ enabled: true });
      expect(first).toEqual({
        enabled: true,
        weekday: 'mon',
        timeOfDay: '08:00',
        timeZone: ZONE,
        channelKey: null,
        nextDueAt: null,
        lastSentAt: null,
        disabledReason: null,
      });
      expect(await ana.setCheckin({ weekday: 'sun', timeOfDay: '19:30', enabled: false })).toEqual({
        ...first,
        weekday: 'sun',
        timeOfDay: '19:30',
        enabled: false,
      });
      expect((await ana.checkin())!.weekday).toBe('sun');
      await h.exec("update checkins set weekday = 'someday' where athlete_id = ?", ['ana']);
      expect((await ana.checkin())!.weekday).toBe('mon');
      // The reminder is a row of its own.
      expect(await h.reminders('ana', ZONE).reminder()).toBeNull();
    });

    it('what is due: enabled and at or before now, oldest first, claimed or not', async () => {
      const h = await fresh('a', 'b', 'c', 'd', 'e');
      await KINDS[0]!.enable(h, 'a', new Date(now.getTime() - MINUTE));
      await KINDS[0]!.enable(h, 'b', new Date(now.getTime() - 2 * MINUTE));
      await KINDS[0]!.enable(h, 'c', now);
      await KINDS[0]!.enable(h, 'd', new Date(now.getTime() + 1));
      await KINDS[0]!.enable(h, 'e', new Date(now.getTime() - 3 * MINUTE), false);
      await KINDS[1]!.enable(h, 'd', now);
      const [p] = h.processes;
      expect(ids(await p.reminders.claimDueReminders(now, 'p', undefined, 1))).toEqual(['b']);
      const due = await h.processes[1].reminders.dueReminders(now);
      expect(ids(due)).toEqual(['b', 'a', 'c']);
      expect(due[0]).toEqual({ athleteId: 'b', ...(await h.reminders('b', ZONE).reminder()) });
    });

    for (const kind of KINDS) {
      it(`${kind.name}: claimed once, oldest first up to the limit; taken over only after the lease; completed only by the claimant`, async () => {
        const h = await fresh('a', 'b', 'c', 'd');
        const [p1, p2, p3] = h.processes;
        for (const [i, id] of ['c', 'a', 'b'].entries()) await kind.enable(h, id, new Date(now.getTime() - (3 - i) * MINUTE));
        await kind.enable(h, 'd', null);
        const claimed = await kind.claim(p1, now, 'p1', undefined, 2);
        expect(claimed).toEqual([
          { athleteId: 'c', ...(await kind.read(h, 'c')) },
          { athleteId: 'a', ...(await kind.read(h, 'a')) },
        ]);
        expect(ids(await kind.claim(p2, now, 'p2'))).toEqual(['b']);
        expect(await kind.claim(p3, now, 'p3')).toEqual([]);
        // p2 cannot complete p1's; completing an unclaimed row or an unknown athlete changes nothing.
        expect(await kind.complete(p2, 'c', 'p2', { sentAt: now, nextDueAt: null })).toBe(false);
        expect(await kind.complete(p1, 'd', 'p1', { sentAt: now, nextDueAt: null })).toBe(false);
        expect(await kind.complete(p1, 'zed', 'p1', { sentAt: now, nextDueAt: null })).toBe(false);
        // The default lease is ten minutes: a claim exactly that old is still held, a millisecond more it is taken over.
        now = new Date(now.getTime() + 10 * MINUTE);
        expect(await kind.claim(p3, now, 'p3')).toEqual([]);
        now = new Date(now.getTime() + 1);
        expect(ids(await kind.claim(p3, now, 'p3', undefined, 1))).toEqual(['c']);
        expect(await kind.complete(p1, 'c', 'p1', { sentAt: now, nextDueAt: null })).toBe(false);
        // A lease of one's own choosing.
        expect(ids(await kind.claim(p3, now, 'p3', 20 * MINUTE))).toEqual([]);
        expect(ids(await kind.claim(p3, now, 'p3', MINUTE))).toEqual(['a', 'b']);
        const next = at('2026-07-01T07:00:00Z');
        expect(await kind.complete(p1, 'c', 'p3', { sentAt: now, nextDueAt: next })).toBe(true);
        expect(await kind.complete(p1, 'c', 'p3', { sentAt: now, nextDueAt: next })).toBe(false);
        expect(await kind.read(h, 'c')).toMatchObject({ enabled: true, nextDueAt: next, lastSentAt: now, disabledReason: null });
        // Completed, it is no longer due; the others are still claimed by p3.
        expect(await kind.claim(p2, new Date(now.getTime() + MINUTE), 'p2', 10 * MINUTE)).toEqual([]);
      });

      it(`${kind.name}: a completion not sent keeps the last sent time; one refused turns it off with the reason`, async () => {
        const h = await fresh('a', 'b');
        const [p] = h.processes;
        await kind.enable(h, 'a', now);
        await kind.enable(h, 'b', now);
        expect(ids(await kind.claim(p, now, 'p'))).toEqual(['a', 'b']);
        expect(await kind.complete(p, 'a', 'p', { sentAt: now, nextDueAt: at('2026-07-01T07:00:00Z') })).toBe(true);
        const retry = new Date(now.getTime() + 5 * MINUTE);
        expect(await kind.complete(p, 'b', 'p', { sentAt: null, nextDueAt: retry })).toBe(true);
        expect(await kind.read(h, 'b')).toMatchObject({ enabled: true, nextDueAt: retry, lastSentAt: null });
        now = new Date(retry);
        expect(ids(await kind.claim(p, now, 'p'))).toEqual(['b']);
        const reason = 'Telegram: the user blocked the bot (403)';
        expect(await kind.complete(p, 'b', 'p', { sentAt: null, nextDueAt: null, disabledReason: reason })).toBe(true);
        expect(await kind.read(h, 'b')).toMatchObject({ enabled: false, nextDueAt: null, lastSentAt: null, disabledReason: reason });
        await kind.enable(h, 'b', now);
        expect(await kind.read(h, 'b')).toMatchObject({ enabled: true, disabledReason: reason });
      });
    }

    it('three processes claiming at once, a few at a time, take each of 50 athletes’ reminder and check-in exactly once', async () => {
      const everyone = Array.from({ length: 50 }, (_, i) => `athlete-${String(i).padStart(2, '0')}`);
      const h = await fresh(...everyone);
      for (const [i, id] of everyone.entries()) {
        for (const kind of KINDS) await kind.enable(h, id, new Date(now.getTime() - (i % 7) * MINUTE));
      }
      const claimants = ['one', 'two', 'three'];
      const races = KINDS.map((kind) => Promise.all(h.processes.map((s, i) => drain(kind, s, now, claimants[i]!, 3))));
      for (const [k, taken] of (await Promise.all(races)).entries()) {
        // Each first claim was sent before any answered and left the others plenty: all took some.
        for (const byOne of taken) expect(byOne.length).toBeGreaterThan(0);
        expect(taken.flat().sort()).toEqual(everyone);
        // Each holds what it took: only it can complete those.
        const done = { sentAt: now, nextDueAt: null };
        for (const [i, byOne] of taken.entries()) {
          const [mine, next] = [h.processes[i]!, h.processes[(i + 1) % 3]!];
          for (const id of byOne) {
            expect(await KINDS[k]!.complete(next, id, claimants[(i + 1) % 3]!, done)).toBe(false);
            expect(await KINDS[k]!.complete(mine, id, claimants[i]!, done)).toBe(true);
          }
        }
      }
    });
  });
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-schedules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  schedulesBehaviour('sqlite', async (clock) => {
    const path = join(dir, `schedules-${++files}.db`);
    const connections = [openDatabase(path), openDatabase(path), openDatabase(path)];
    const [first] = connections;
    const schedules = (c: (typeof connections)[number]): Schedules => ({
      reminders: lifted<ReminderSchedule>(new SqliteReminderSchedule(c.db, clock)),
      checkins: lifted<CheckinSchedule>(checkinSchedule(c.db, clock)),
    });
    return {
      reminders: (athleteId, zone) =>
        lifted<ReminderRepository>(new SqliteReminderRepository({ db: first!.db, athleteId, clock }, () => zone)),
      checkins: (athleteId, zone) => lifted<CheckinRepository>(checkinRepository({ db: first!.db, athleteId, clock }, () => zone)),
      processes: [schedules(connections[0]!), schedules(connections[1]!), schedules(connections[2]!)],
      exec: async (statement, params) => void first!.sqlite.prepare(statement).run(...params),
      close: async () => connections.forEach((c) => c.close()),
    };
  });
});

describePostgres('postgres', (server) => {
  schedulesBehaviour('postgres', async (clock) => {
    const url = await server().freshDatabase();
    const pools = await Promise.all([0, 1, 2].map(() => openPostgres(url, { max: 4 })));
    const [first] = pools;
    const schedules = (p: (typeof pools)[number]): Schedules => ({
      reminders: new PgReminderSchedule(p.db, clock),
      checkins: pgCheckinSchedule(p.db, clock),
    });
    return {
      reminders: (athleteId, zone) => new PgReminderRepository({ db: first!.db, athleteId, clock }, async () => zone),
      checkins: (athleteId, zone) => pgCheckinRepository({ db: first!.db, athleteId, clock }, async () => zone),
      processes: [schedules(pools[0]!), schedules(pools[1]!), schedules(pools[2]!)],
      exec: async (statement, params) => {
        let n = 0;
        await first!.pool.query(
          statement.replace(/\?/g, () => `$${++n}`),
          params,
        );
      },
      close: async () => {
        for (const p of pools) await p.close();
      },
    };
  });
});
