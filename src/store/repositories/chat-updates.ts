/**
 * The inbox of pushed chat updates (inbox-schema.ts): stored before the platform gets its 200,
 * deduplicated by the platform's update id, claimed under a lease so that two processes on one
 * database never handle one update, marked handled, pruned. Async, as every engine's store will
 * be; on SQLite each method is one synchronous statement (atomic across processes) inside.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { chatUpdates } from '../inbox-schema.js';
import type { ChatUpdates, InboxClaim, InboxUpdate } from '../ports.js';
import type { Clock } from '../records.js';

/** Updates one claim takes at most. */
const CLAIM_LIMIT = 500;

/** The inbox on SQLite (the port and its semantics: ports.ts). */
export class SqliteChatUpdates implements ChatUpdates {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async receive(transport: string, updateId: number, payload: string, claim: InboxClaim | null): Promise<boolean> {
    const now = this.clock();
    const inserted = this.db
      .insert(chatUpdates)
      .values({
        transport,
        updateId,
        payload,
        receivedAt: now,
        claimedBy: claim?.claimant ?? null,
        claimedUntil: claim ? new Date(now.getTime() + claim.leaseMs) : null,
      })
      .onConflictDoNothing()
      .run();
    return inserted.changes === 1;
  }

  async claimUnhandled(transport: string, claim: InboxClaim, options: { own?: boolean; limit?: number } = {}): Promise<InboxUpdate[]> {
    const u = chatUpdates;
    const now = this.clock();
    const free: SQL[] = [isNull(u.claimedBy), lt(u.claimedUntil, now)];
    if (options.own) free.push(eq(u.claimedBy, claim.claimant));
    const claimable = and(eq(u.transport, transport), isNull(u.handledAt), isNotNull(u.payload), or(...free));
    const ids = this.db
      .select({ updateId: u.updateId })
      .from(u)
      .where(claimable)
      .orderBy(asc(u.updateId))
      .limit(options.limit ?? CLAIM_LIMIT);
    // One UPDATE … RETURNING: the select and the claim are one statement, so two processes never take the same row.
    const rows = this.db
      .update(u)
      .set({ claimedBy: claim.claimant, claimedUntil: new Date(now.getTime() + claim.leaseMs) })
      .where(and(claimable, inArray(u.updateId, ids)))
      .returning({ updateId: u.updateId, payload: u.payload, receivedAt: u.receivedAt })
      .all();
    return rows
      .map((row) => ({ updateId: row.updateId, payload: JSON.parse(row.payload!) as unknown, receivedAt: row.receivedAt }))
      .sort((a, b) => a.updateId - b.updateId);
  }

  async renew(transport: string, updateIds: readonly number[], claim: InboxClaim): Promise<void> {
    if (updateIds.length === 0) return;
    const u = chatUpdates;
    this.db
      .update(u)
      .set({ claimedUntil: new Date(this.clock().getTime() + claim.leaseMs) })
      .where(and(eq(u.transport, transport), inArray(u.updateId, [...updateIds]), eq(u.claimedBy, claim.claimant), isNull(u.handledAt)))
      .run();
  }

  async markHandled(transport: string, updateId: number, claimant: string): Promise<boolean> {
    const u = chatUpdates;
    const done = this.db
      .update(u)
      .set({ handledAt: this.clock(), payload: null, claimedBy: null, claimedUntil: null })
      .where(and(eq(u.transport, transport), eq(u.updateId, updateId), eq(u.claimedBy, claimant), isNull(u.handledAt)))
      .run();
    return done.changes === 1;
  }

  async release(transport: string, claimant: string): Promise<number> {
    const u = chatUpdates;
    return this.db
      .update(u)
      .set({ claimedBy: null, claimedUntil: null })
      .where(and(eq(u.transport, transport), eq(u.claimedBy, claimant), isNull(u.handledAt)))
      .run().changes;
  }

  async prune(before: Date): Promise<number> {
    const u = chatUpdates;
    return this.db
      .delete(u)
      .where(and(isNotNull(u.handledAt), lt(u.receivedAt, before)))
      .run().changes;
  }
}
