/**
 * The inbox of pushed chat updates (the ChatUpdates port) behaves the same on SQLite and on
 * PostgreSQL: one behaviour suite, run on each engine with two handles on one database, as two
 * processes would hold (two stores on one SQLite file; two pools on one PostgreSQL database).
 * Redeliveries recognised, claims under a lease taken over only once expired, renewed, released,
 * completed only by their claimant, payloads dropped once handled, handled updates pruned, and two
 * processes claiming at once never taking one update twice — on PostgreSQL truly at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/store/pg/database.js';
import { PgChatUpdates } from '../../src/store/pg/repositories/chat-updates.js';
import type { ChatUpdates, InboxClaim } from '../../src/store/ports.js';
import type { Clock } from '../../src/store/records.js';
import { Store } from '../../src/store/store.js';
import { describePostgres } from '../support/postgres.js';

/** A row of chat_updates as the tests look at it, whatever the engine. */
interface InboxRow {
  transport: string;
  updateId: number;
  claimedBy: string | null;
  /** The payload was dropped. */
  dropped: boolean;
}

/** One empty database seen by two processes, and its rows read directly. */
interface InboxHandles {
  inbox: ChatUpdates;
  second: ChatUpdates;
  rows(): Promise<InboxRow[]>;
  close(): Promise<void>;
}

const A: InboxClaim = { claimant: 'process-a', leaseMs: 60_000 };
const B: InboxClaim = { claimant: 'process-b', leaseMs: 60_000 };
const DAY = 24 * 3_600_000;
const payload = (id: number) => JSON.stringify({ update_id: id, message: { text: `m${id}` } });
const ids = (updates: { updateId: number }[]) => updates.map((u) => u.updateId);

/** Claims `limit` at a time until nothing is left for this process; every update it took. */
async function drain(inbox: ChatUpdates, claim: InboxClaim, limit: number): Promise<number[]> {
  const taken: number[] = [];
  for (;;) {
    const batch = await inbox.claimUnhandled('telegram', claim, { limit });
    // never more than asked for (a one-statement claim on PostgreSQL took more)
    expect(batch.length).toBeLessThanOrEqual(limit);
    if (batch.length === 0) return taken;
    taken.push(...ids(batch));
  }
}

/** The behaviour every engine's inbox has; `open` gives a fresh empty database each time, on `clock`. */
function inboxBehaviour(name: string, open: (clock: Clock) => Promise<InboxHandles>): void {
  describe(`the inbox of updates on ${name}`, () => {
    let now: Date;
    const clock = () => now;
    const later = (ms: number) => (now = new Date(now.getTime() + ms));
    let opened: InboxHandles[] = [];
    const fresh = async () => {
      const handles = await open(clock);
      opened.push(handles);
      return handles;
    };

    beforeEach(() => {
      now = new Date('2026-12-01T10:00:00Z');
    });
    afterEach(async () => {
      for (const handles of opened) await handles.close();
      opened = [];
    });

    it('recognises a redelivery, in any state, from either process; each transport has its own ids', async () => {
      const { inbox, second } = await fresh();
      expect(await inbox.receive('telegram', 1, payload(1), A)).toBe(true);
      expect(await inbox.receive('telegram', 1, payload(1), A)).toBe(false);
      expect(await second.receive('telegram', 1, payload(1), null)).toBe(false);
      expect(await inbox.markHandled('telegram', 1, A.claimant)).toBe(true);
      expect(await second.receive('telegram', 1, payload(1), B)).toBe(false);
      expect(await second.receive('other', 1, payload(1), null)).toBe(true);
      expect(ids(await second.claimUnhandled('telegram', B))).toEqual([]);
      expect(ids(await second.claimUnhandled('other', B))).toEqual([1]);
    });

    it('claims under a lease: the other process takes an update over only once the claim expired; the first then cannot complete it', async () => {
      const { inbox: a, second: b } = await fresh();
      await a.receive('telegram', 10, payload(10), A);
      await a.receive('telegram', 11, payload(11), null);
      await a.receive('telegram', 12, payload(12), A);
      // B takes the unclaimed one only; A, starting again as itself, takes its own too.
      expect(ids(await b.claimUnhandled('telegram', B))).toEqual([11]);
      expect(await a.markHandled('telegram', 11, A.claimant)).toBe(false);
      expect(await b.markHandled('telegram', 11, B.claimant)).toBe(true);
      expect(await b.claimUnhandled('telegram', B)).toEqual([]);
      const own = await a.claimUnhandled('telegram', A, { own: true });
      expect(ids(own)).toEqual([10, 12]);
      expect(own[0]).toEqual({ updateId: 10, payload: { update_id: 10, message: { text: 'm10' } }, receivedAt: now });
      // A keeps 12 alive (B's renewal of it changes nothing); 10's claim runs out.
      later(40_000);
      await a.renew('telegram', [12], A);
      await b.renew('telegram', [10], B);
      later(30_000);
      expect(ids(await b.claimUnhandled('telegram', B))).toEqual([10]);
      expect(await a.markHandled('telegram', 10, A.claimant)).toBe(false);
      expect(await b.markHandled('telegram', 10, B.claimant)).toBe(true);
      expect(await b.markHandled('telegram', 10, B.claimant)).toBe(false);
      // 12's renewed lease runs out too, a minute after the renewal (a lease ending now is still held).
      later(30_000);
      expect(await b.claimUnhandled('telegram', B)).toEqual([]);
      later(1);
      expect(ids(await b.claimUnhandled('telegram', B, { limit: 5 }))).toEqual([12]);
    });

    it('a clean stop gives the claims back: taken at once, and no longer the releaser’s to complete', async () => {
      const { inbox: a, second: b } = await fresh();
      for (const id of [1, 2, 3]) await a.receive('telegram', id, payload(id), A);
      await a.receive('other', 1, payload(1), A);
      expect(await a.markHandled('telegram', 3, A.claimant)).toBe(true);
      expect(await b.release('telegram', B.claimant)).toBe(0);
      expect(await a.release('telegram', A.claimant)).toBe(2);
      expect(await a.markHandled('telegram', 1, A.claimant)).toBe(false);
      expect(ids(await b.claimUnhandled('telegram', B))).toEqual([1, 2]);
      // The other transport's claim is untouched.
      expect(await b.claimUnhandled('other', B)).toEqual([]);
      expect(await a.claimUnhandled('telegram', A, { own: true })).toEqual([]);
    });

    it('drops the payload once handled, and prunes handled updates older than asked (never unhandled ones)', async () => {
      const { inbox, rows } = await fresh();
      await inbox.receive('telegram', 1, payload(1), A);
      await inbox.receive('telegram', 2, payload(2), A);
      await inbox.markHandled('telegram', 1, A.claimant);
      later(8 * DAY);
      await inbox.receive('telegram', 3, payload(3), A);
      await inbox.markHandled('telegram', 3, A.claimant);
      expect(await rows()).toEqual([
        { transport: 'telegram', updateId: 1, claimedBy: null, dropped: true },
        { transport: 'telegram', updateId: 2, claimedBy: A.claimant, dropped: false },
        { transport: 'telegram', updateId: 3, claimedBy: null, dropped: true },
      ]);
      expect(await inbox.prune(new Date(now.getTime() - 7 * DAY))).toBe(1);
      expect((await rows()).map((r) => r.updateId)).toEqual([2, 3]);
      // The one pruned is forgotten (delivered again, it is new); the one kept is still a redelivery.
      expect(await inbox.receive('telegram', 3, payload(3), A)).toBe(false);
      expect(await inbox.receive('telegram', 1, payload(1), A)).toBe(true);
    });

    it('two processes claiming at once, ten at a time until none is left, take every update exactly once', async () => {
      const { inbox: a, second: b, rows } = await fresh();
      for (let id = 100; id < 300; id++) await a.receive('telegram', id, payload(id), null);
      const [byA, byB] = await Promise.all([drain(a, A, 10), drain(b, B, 10)]);
      // Each first claim was sent before either answered, and left the other plenty: both took some.
      expect(byA.length).toBeGreaterThan(0);
      expect(byB.length).toBeGreaterThan(0);
      const all = [...byA, ...byB].sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: 200 }, (_, i) => 100 + i));
      const holders = new Map((await rows()).map((r) => [r.updateId, r.claimedBy]));
      for (const id of byA) expect(holders.get(id)).toBe(A.claimant);
      for (const id of byB) expect(holders.get(id)).toBe(B.claimant);
    });
  });
}

describe('sqlite', () => {
  let dir: string;
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-inbox-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  inboxBehaviour('sqlite', async (clock) => {
    const path = join(dir, `inbox-${++files}.db`);
    const first = await Store.open(path, { clock });
    const second = await Store.open(path, { clock });
    return {
      inbox: first.updates,
      second: second.updates,
      rows: async () =>
        first.db
          .all<{ transport: string; update_id: number; claimed_by: string | null; dropped: number }>(
            'select transport, update_id, claimed_by, payload is null as dropped from chat_updates order by transport, update_id',
          )
          .map((r) => ({ transport: r.transport, updateId: r.update_id, claimedBy: r.claimed_by, dropped: r.dropped === 1 })),
      close: async () => {
        await first.close();
        await second.close();
      },
    };
  });
});

describePostgres('postgres', (server) => {
  inboxBehaviour('postgres', async (clock) => {
    const first = await openPostgres(server().url);
    const second = await openPostgres(server().url);
    await first.pool.query('truncate chat_updates');
    return {
      inbox: new PgChatUpdates(first.db, clock),
      second: new PgChatUpdates(second.db, clock),
      rows: async () => {
        const result = await first.pool.query<{ transport: string; update_id: string; claimed_by: string | null; dropped: boolean }>(
          'select transport, update_id, claimed_by, payload is null as dropped from chat_updates order by transport, update_id',
        );
        return result.rows.map((r) => ({
          transport: r.transport,
          updateId: Number(r.update_id),
          claimedBy: r.claimed_by,
          dropped: r.dropped,
        }));
      },
      close: async () => {
        await first.close();
        await second.close();
      },
    };
  });
});
