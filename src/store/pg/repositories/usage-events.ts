/**
 * The quota counters on PostgreSQL (the port: UsageEvents in ../../engine.ts), mirroring
 * ../../usage-counters.ts: one row per attempt under the keyed hash of the chat identity
 * (`usageSubject`, the same on both engines, so `db:copy` moves rows that still count), kept for
 * USAGE_WINDOW_MS. What they hold and why they outlive `/forget` is explained there.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { UsageEvents } from '../../engine.js';
import { USAGE_WINDOW_MS, usageSubject, type UsageKind } from '../../usage-counters.js';
import type { PgDb } from '../database.js';
import { usageEvents } from '../schema.js';

/** The per-day counters on PostgreSQL, across athletes (keyed by chat identity, not athlete). */
export class PgUsageEvents implements UsageEvents {
  constructor(private readonly db: PgDb) {}

  async record(identityKey: string, kind: UsageKind, amount: number, at: Date): Promise<void> {
    const value = Math.max(0, Math.round(amount));
    // One transaction, as on SQLite: the new event and the expiry of the old ones commit together.
    // Two writers expiring the same rows at once only wait on each other's row locks (the second
    // finds them gone); the insert takes no lock another writer needs, so they cannot deadlock.
    await this.db.transaction(async (tx) => {
      await tx.insert(usageEvents).values({ id: randomUUID(), subject: usageSubject(identityKey), kind, amount: value, at });
      await tx.delete(usageEvents).where(lt(usageEvents.at, new Date(at.getTime() - USAGE_WINDOW_MS)));
    });
  }

  async since(identityKeys: readonly string[], kind: UsageKind, from: Date): Promise<number> {
    const subjects = [...new Set(identityKeys)].map(usageSubject);
    if (subjects.length === 0) return 0;
    const [row] = await this.db
      // sum(bigint) is numeric: node-postgres gives it as text
      .select({ total: sql<string>`coalesce(sum(${usageEvents.amount}), 0)` })
      .from(usageEvents)
      .where(and(inArray(usageEvents.subject, subjects), eq(usageEvents.kind, kind), gte(usageEvents.at, from)));
    return Number(row?.total ?? 0);
  }

  async prune(now: Date): Promise<number> {
    // No look-before-delete as on SQLite (which avoids taking its one write lock for nothing): a
    // PostgreSQL delete matching no row locks nothing.
    const pruned = await this.db.delete(usageEvents).where(lt(usageEvents.at, new Date(now.getTime() - USAGE_WINDOW_MS)));
    return pruned.rowCount ?? 0;
  }
}
