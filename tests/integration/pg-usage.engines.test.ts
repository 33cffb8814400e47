/**
 * The quota counters (UsageEvents) behave the same on SQLite and on PostgreSQL: one behaviour
 * suite, run on each engine with two handles on one empty database, as two processes would hold.
 * Sums read every chat linked to one history, from a time on (inclusive), per kind; events older
 * than the 24 h window are deleted on every record and by prune; the rows hold the keyed hash of
 * the chat identity, never the identity key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import type { UsageEvents } from '../../src/store/engine.js';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgUsageEvents } from '../../src/store/pg/repositories/usage-events.js';
import { lifted } from '../../src/store/ports.js';
import type { Clock } from '../../src/store/records.js';
import { UsageCounters, usageSubject } from '../../src/store/usage-counters.js';
import { describePostgres } from '../support/postgres.js';

/** A row of usage_events as the tests look at it, whatever the engine. */
interface UsageRow {
  subject: string;
  kind: string;
  amount: number;
  at: number;
}

/** One empty database seen by two processes, and its rows read directly. */
interface UsageHandles {
  usage: UsageEvents;
  second: UsageEvents;
  rows(): Promise<UsageRow[]>;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const TG = 'telegram:1001';
const DC = 'discord:2002';
const OTHER = 'telegram:3003';

/** The behaviour every engine's counters have; `open` gives a fresh empty database each time. */
function usageBehaviour(name: string, open: (clock: Clock) => Promise<UsageHandles>): void {
  describe(`the quota counters on ${name}`, () => {
    let now: Date;
    const clock = () => now;
    const at = (hours: number) => new Date(Date.UTC(2026, 10, 20, 12) + hours * HOUR);
    let opened: UsageHandles[] = [];
    const fresh = async () => {
      const handles = await open(clock);
      opened.push(handles);
      return handles;
    };

    beforeEach(() => {
      now = at(0);
    });
    afterEach(async () => {
      for (const handles of opened) await handles.close();
      opened = [];
    });

    it('sums a kind across the linked chats, from a time on (inclusive), each key once', async () => {
      const { usage, second } = await fresh();
      await usage.record(TG, 'file', 2, at(-3));
      await second.record(DC, 'file', 1, at(-2));
      await usage.record(OTHER, 'file', 5, at(-2));
      await usage.record(TG, 'question', 1, at(-1));
      expect(await usage.since([TG, DC], 'file', at(-4))).toBe(3);
      expect(await second.since([TG], 'file', at(-4))).toBe(2);
      expect(await usage.since([DC, TG, DC, TG], 'file', at(-4))).toBe(3);
      // `from` is inclusive: the event at -2 h counts, the one at -3 h does not
      expect(await usage.since([TG, DC], 'file', at(-2))).toBe(1);
      expect(await usage.since([TG, DC], 'file', new Date(at(-2).getTime() + 1))).toBe(0);
      expect(await usage.since([TG, DC], 'question', at(-4))).toBe(1);
      expect(await usage.since([TG, DC], 'analysis', at(-4))).toBe(0);
      expect(await usage.since([], 'file', at(-4))).toBe(0);
      expect(await usage.since(['telegram:never-seen'], 'file', at(-4))).toBe(0);
    });

    it('stores whole, non-negative amounts, byte counts past 2^32 included', async () => {
      const { usage, rows } = await fresh();
      await usage.record(TG, 'bytes', 6_000_000_000, at(-1));
      await usage.record(TG, 'bytes', 2.6, at(-1));
      await usage.record(TG, 'bytes', -4, at(-1));
      expect(await usage.since([TG], 'bytes', at(-2))).toBe(6_000_000_003);
      expect((await rows()).map((r) => r.amount).sort((a, b) => a - b)).toEqual([0, 3, 6_000_000_000]);
    });

    it('every record deletes the events older than the window before its own time (the window’s edge is kept)', async () => {
      const { usage, second, rows } = await fresh();
      await usage.record(TG, 'file', 1, at(-30));
      await usage.record(TG, 'file', 1, at(-24));
      await usage.record(DC, 'link-failure', 1, at(-25));
      // The window runs back from each event's own time, not from the clock: nothing expired yet.
      expect(await usage.since([TG, DC], 'file', at(-48))).toBe(2);
      // A record at 0 h: -30 h and -25 h are past the window; -24 h is exactly at its edge.
      await second.record(OTHER, 'analysis', 1, at(0));
      expect((await rows()).map((r) => [r.kind, r.at])).toEqual([
        ['file', at(-24).getTime()],
        ['analysis', at(0).getTime()],
      ]);
      expect(await usage.since([TG, DC], 'file', at(-48))).toBe(1);
      expect(await usage.since([TG, DC], 'link-failure', at(-48))).toBe(0);
    });

    it('prune deletes what is past the window before `now`, says how many, and finds nothing the second time', async () => {
      const { usage, second, rows } = await fresh();
      await usage.record(TG, 'file', 1, at(-40));
      await usage.record(TG, 'question', 1, at(-20));
      await usage.record(DC, 'file', 1, at(-10));
      await usage.record(OTHER, 'file', 1, at(0));
      expect(await usage.prune(at(0))).toBe(0);
      // (the record at 0 h already deleted the event at -40 h)
      expect(await second.prune(at(5))).toBe(1);
      expect(await usage.prune(at(5))).toBe(0);
      expect(await usage.prune(new Date(at(14).getTime() + 1))).toBe(1);
      expect((await rows()).map((r) => r.at)).toEqual([at(0).getTime()]);
      expect(await usage.since([TG, DC, OTHER], 'file', at(-48))).toBe(1);
    });

    it('holds the keyed hash of the chat identity, the same on every engine, never the identity key', async () => {
      const { usage, rows } = await fresh();
      await usage.record(TG, 'file', 1, at(-1));
      await usage.record(DC, 'question', 1, at(-1));
      const stored = await rows();
      expect(stored.map((r) => r.subject).sort()).toEqual([usageSubject(TG), usageSubject(DC)].sort());
      // the HMAC of the key, fixed across engines and releases (a changed key would reset every quota)
      expect(usageSubject(TG)).toMatch(/^[0-9a-f]{64}$/);
      expect(usageSubject(TG)).not.toBe(usageSubject(DC));
      const text = JSON.stringify(stored);
      for (const key of [TG, DC, '1001', '2002']) expect(text).not.toContain(key);
    });

    it('two processes recording at once lose no event', async () => {
      const { usage, second } = await fresh();
      const burst = (handle: UsageEvents, key: string) =>
        Promise.all(Array.from({ length: 25 }, (_, i) => handle.record(key, 'file', 1, at(-i / 10))));
      await Promise.all([burst(usage, TG), burst(second, DC), burst(usage, DC), burst(second, TG)]);
      expect(await usage.since([TG], 'file', at(-5))).toBe(50);
      expect(await second.since([TG, DC], 'file', at(-5))).toBe(100);
    });
  });
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-usage-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  usageBehaviour('sqlite', async (clock) => {
    const path = join(dir, `usage-${++files}.db`);
    const first = openDatabase(path);
    const second = openDatabase(path);
    return {
      usage: lifted<UsageEvents>(new UsageCounters(first.db, clock)),
      second: lifted<UsageEvents>(new UsageCounters(second.db, clock)),
      rows: async () => first.sqlite.prepare<[], UsageRow>('select subject, kind, amount, at from usage_events order by at, subject').all(),
      close: async () => {
        first.close();
        second.close();
      },
    };
  });
});

describePostgres('postgres', (server) => {
  usageBehaviour('postgres', async () => {
    const url = await server().freshDatabase();
    const first = await openPostgres(url, { max: 4 });
    const second = await openPostgres(url, { max: 4 });
    return {
      usage: new PgUsageEvents(first.db),
      second: new PgUsageEvents(second.db),
      rows: async () => {
        const result = await first.pool.query<{ subject: string; kind: string; amount: string; at: string }>(
          'select subject, kind, amount, at from usage_events order by at, subject collate "C"',
        );
        return result.rows.map((r) => ({ subject: r.subject, kind: r.kind, amount: Number(r.amount), at: Number(r.at) }));
      },
      close: async () => {
        await first.close();
        await second.close();
      },
    };
  });
});
