/**
 * The inbox of pushed chat updates on PostgreSQL (the port: ChatUpdates in ../../ports.ts), with
 * the SQLite repository's semantics (../../repositories/chat-updates.ts). Each method is one
 * statement, so atomic on its own; what SQLite gets from its single writer, the claim gets here
 * from `FOR UPDATE SKIP LOCKED`: processes claiming at once each lock different rows, none waits
 * on another, and none takes a row another has just taken.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { ChatUpdates, InboxClaim, InboxUpdate } from '../../ports.js';
import type { Clock } from '../../records.js';
import type { PgDb } from '../database.js';
import { chatUpdates } from '../inbox-schema.js';

/** Updates one claim takes at most (as on SQLite). */
const CLAIM_LIMIT = 500;

/** The inbox on PostgreSQL; `clock` decides received, handled and lease times, as on SQLite. */
export class PgChatUpdates implements ChatUpdates {
  constructor(
    private readonly db: PgDb,
    private readonly clock: Clock,
  ) {}

  async receive(transport: string, updateId: number, payload: string, claim: InboxClaim | null): Promise<boolean> {
    const now = this.clock();
    const inserted = await this.db
      .insert(chatUpdates)
      .values({
        transport,
        updateId,
        payload,
        receivedAt: now,
        claimedBy: claim?.claimant ?? null,
        claimedUntil: claim ? new Date(now.getTime() + claim.leaseMs) : null,
      })
      .onConflictDoNothing();
    return inserted.rowCount === 1;
  }

  async claimUnhandled(transport: string, claim: InboxClaim, options: { own?: boolean; limit?: number } = {}): Promise<InboxUpdate[]> {
    const u = chatUpdates;
    const now = this.clock();
    const free: SQL[] = [isNull(u.claimedBy), lt(u.claimedUntil, now)];
    if (options.own) free.push(eq(u.claimedBy, claim.claimant));
    const claimable = and(eq(u.transport, transport), isNull(u.handledAt), isNotNull(u.payload), or(...free));
    // Two statements in one transaction: the pick locks its rows (skipping those another claim has
    // locked; one that claim has just committed is re-read under the lock and, no longer claimable,
    // left out), then the update claims exactly those. (One `update … where key in (select … limit n
    // for update skip locked)` may re-run the subquery per row and claim more than `limit`.)
    const rows = await this.db.transaction(async (tx) => {
      const picked = await tx
        .select({ updateId: u.updateId })
        .from(u)
        .where(claimable)
        .orderBy(asc(u.updateId))
        .limit(options.limit ?? CLAIM_LIMIT)
        .for('update', { skipLocked: true });
      if (picked.length === 0) return [];
      return tx
        .update(u)
        .set({ claimedBy: claim.claimant, claimedUntil: new Date(now.getTime() + claim.leaseMs) })
        .where(
          and(
            eq(u.transport, transport),
            inArray(
              u.updateId,
              picked.map((p) => p.updateId),
            ),
          ),
        )
        .returning({ updateId: u.updateId, payload: u.payload, receivedAt: u.receivedAt });
    });
    return rows
      .map((row) => ({ updateId: row.updateId, payload: JSON.parse(row.payload!) as unknown, receivedAt: row.receivedAt }))
      .sort((a, b) => a.updateId - b.updateId);
  }

  async renew(transport: string, updateIds: readonly number[], claim: InboxClaim): Promise<void> {
    if (updateIds.length === 0) return;
    const u = chatUpdates;
    await this.db
      .update(u)
      .set({ claimedUntil: new Date(this.clock().getTime() + claim.leaseMs) })
      .where(and(eq(u.transport, transport), inArray(u.updateId, [...updateIds]), eq(u.claimedBy, claim.claimant), isNull(u.handledAt)));
  }

  async markHandled(transport: string, updateId: number, claimant: string): Promise<boolean> {
    const u = chatUpdates;
    const done = await this.db
      .update(u)
      .set({ handledAt: this.clock(), payload: null, claimedBy: null, claimedUntil: null })
      .where(and(eq(u.transport, transport), eq(u.updateId, updateId), eq(u.claimedBy, claimant), isNull(u.handledAt)));
    return done.rowCount === 1;
  }

  async release(transport: string, claimant: string): Promise<number> {
    const u = chatUpdates;
    const released = await this.db
      .update(u)
      .set({ claimedBy: null, claimedUntil: null })
      .where(and(eq(u.transport, transport), eq(u.claimedBy, claimant), isNull(u.handledAt)));
    return released.rowCount ?? 0;
  }

  async prune(before: Date): Promise<number> {
    const u = chatUpdates;
    const pruned = await this.db.delete(u).where(and(isNotNull(u.handledAt), lt(u.receivedAt, before)));
    return pruned.rowCount ?? 0;
  }
}
