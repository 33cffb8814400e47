/**
 * The counters behind the per-day quotas: files and bytes sent, analyses started, questions asked
 * and wrong `/link` codes, one row per attempt (what was refused or failed counts too).
 *
 * Keyed by the chat identity, not the athlete, and holding no personal data — a keyed hash of the
 * identity key (HMAC-SHA-256 with a fixed, app-specific key: the same chat always gives the same
 * subject, and the key itself is never stored), the kind, the amount and the time; no athlete id,
 * no file names. That is why `/forget` leaves these rows and `/export` does not include them: they
 * outlive the athlete on purpose, so that deleting one's history does not reset the quotas. Note
 * that chat ids are small numbers: anyone holding the database and this source could match a
 * subject to an id by trying them all — the rows are pseudonymous, and that is why they say nothing
 * but "how much, when", and are kept only for WINDOW_MS.
 *
 * Rows older than 24 h are deleted on every write and when the store opens.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import type { UsageEvents } from './engine.js';
import type { Blocking } from './ports.js';
import * as t from './schema.js';

export type UsageKind = (typeof t.usageKinds)[number];

/** How long an event is kept: the longest window any quota looks at. */
export const USAGE_WINDOW_MS = 24 * 3_600_000;

const SUBJECT_KEY = 'domestique/usage-counters/v1';

/** The stored subject of a chat identity key: never the key itself. */
export function usageSubject(identityKey: string): string {
  return createHmac('sha256', SUBJECT_KEY).update(identityKey).digest('hex');
}

/** The counters on SQLite (the UsageEvents port of engine.ts, synchronous inside). */
export class UsageCounters implements Blocking<UsageEvents> {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
  ) {}

  /** Records `amount` of `kind` for one chat at `at` (default: the store's clock), and deletes what is older than the window. */
  record(identityKey: string, kind: UsageKind, amount = 1, at: Date = this.clock()): void {
    const value = Math.max(0, Math.round(amount));
    this.db.transaction(
      (tx) => {
        tx.insert(t.usageEvents)
          .values({ id: randomUUID(), subject: usageSubject(identityKey), kind, amount: value, at })
          .run();
        tx.delete(t.usageEvents)
          .where(lt(t.usageEvents.at, new Date(at.getTime() - USAGE_WINDOW_MS)))
          .run();
      },
      { behavior: 'immediate' },
    );
  }

  /** The sum of `kind` recorded since `from` (inclusive) for any of these chats. */
  since(identityKeys: readonly string[], kind: UsageKind, from: Date): number {
    const subjects = [...new Set(identityKeys)].map(usageSubject);
    if (subjects.length === 0) return 0;
    const row = this.db
      .select({ total: sql<number>`coalesce(sum(${t.usageEvents.amount}), 0)` })
      .from(t.usageEvents)
      .where(and(inArray(t.usageEvents.subject, subjects), eq(t.usageEvents.kind, kind), gte(t.usageEvents.at, from)))
      .get();
    return Number(row?.total ?? 0);
  }

  /** Deletes the events older than the window before `now`; returns how many. Takes no write lock when there are none. */
  prune(now: Date = this.clock()): number {
    const expired = lt(t.usageEvents.at, new Date(now.getTime() - USAGE_WINDOW_MS));
    if (
      !this.db
        .select({ one: sql`1` })
        .from(t.usageEvents)
        .where(expired)
        .limit(1)
        .get()
    )
      return 0;
    return this.db.delete(t.usageEvents).where(expired).run().changes;
  }
}

/**
 * One chat's counters (`store.usage(identityKey)`). Events are recorded under the first key; the
 * sums read every key given — a chat and the other chats linked to the same history, so that
 * linking Telegram and Discord does not double the quotas.
 */
export class ChatUsage {
  constructor(
    private readonly counters: UsageEvents,
    private readonly identityKeys: readonly string[],
    private readonly clock: () => Date,
  ) {
    if (identityKeys.length === 0) throw new Error('usage needs at least one identity key');
  }

  async record(kind: UsageKind, amount = 1, at: Date = this.clock()): Promise<void> {
    await this.counters.record(this.identityKeys[0]!, kind, amount, at);
  }

  async since(kind: UsageKind, from: Date): Promise<number> {
    return this.counters.since(this.identityKeys, kind, from);
  }
}
