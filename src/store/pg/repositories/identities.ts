/**
 * Identities and link codes on PostgreSQL: which athlete a chat identity (`telegram:<id>`,
 * `discord:<id>`, `cli:<name>`) belongs to, the athlete row itself, and the `/link` codes kept in
 * chat state. Mirrors ../../repositories/identities.ts. What SQLite's single writer gives for free
 * is made explicit here: first contact relies on the identity's primary key (two processes seeing
 * one new identity create one athlete), and moving an identity locks the athlete it leaves.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { AthleteRepository, IdentityDirectory } from '../../ports.js';
import type { AthleteRecord, Clock } from '../../records.js';
import type { PgDb } from '../database.js';
import * as t from '../schema.js';
import { lockAthlete, type PgAthleteScope, type PgHandle } from './scope.js';

/**
 * The chat identities of an athlete (on the pool or in a transaction). SQLite lists them in
 * insertion order (rowid); here by creation time, then key, which is the same whenever the clock moved.
 */
export async function identityKeysOf(handle: PgHandle, athleteId: string): Promise<string[]> {
  const rows = await handle
    .select({ key: t.chatIdentities.key })
    .from(t.chatIdentities)
    .where(eq(t.chatIdentities.athleteId, athleteId))
    .orderBy(asc(t.chatIdentities.createdAt), sql`${t.chatIdentities.key} collate "C"`);
  return rows.map((r) => r.key);
}

/** The athlete's row and identities, read on `handle` (inside a transaction: what it wrote too). */
async function athleteInfo(handle: PgHandle, athleteId: string): Promise<AthleteRecord> {
  const [row] = await handle.select().from(t.athletes).where(eq(t.athletes.id, athleteId)).limit(1);
  if (!row) throw new Error(`no athlete ${athleteId}`);
  return { ...row, identities: await identityKeysOf(handle, athleteId) };
}

/** One athlete's row and identities on PostgreSQL. */
export class PgAthleteRepository implements AthleteRepository {
  constructor(private readonly scope: PgAthleteScope) {}

  async info(): Promise<AthleteRecord> {
    return athleteInfo(this.scope.db, this.scope.athleteId);
  }

  async update(changes: Partial<Pick<AthleteRecord, 'displayName' | 'timeZone' | 'units'>>): Promise<AthleteRecord> {
    await this.scope.db
      .update(t.athletes)
      .set({ ...changes, updatedAt: this.scope.clock() })
      .where(eq(t.athletes.id, this.scope.athleteId));
    return this.info();
  }

  /** Links another chat identity (e.g. the same person on Discord) to this athlete; one already held (by anyone) stays where it is. */
  async linkIdentity(identityKey: string): Promise<void> {
    await this.scope.db
      .insert(t.chatIdentities)
      .values({ key: identityKey, athleteId: this.scope.athleteId, createdAt: this.scope.clock() })
      .onConflictDoNothing();
  }
}

/** Chat identities → athletes, across athletes, on PostgreSQL. */
export class PgIdentityDirectory implements IdentityDirectory {
  constructor(
    private readonly db: PgDb,
    private readonly clock: Clock,
  ) {}

  /**
   * The athlete behind an identity, created on first contact. Two processes seeing the same new
   * identity at once both insert an athlete, but only one identity row can exist: the insert of
   * the other waits for the first to commit, then does nothing, and that process drops its athlete
   * (in its own transaction: it was never visible) and answers with the athlete the first created.
   */
  async athleteForIdentity(identityKey: string, displayName: string): Promise<AthleteRecord> {
    const existing = await this.athleteIdOf(this.db, identityKey);
    if (existing) return athleteInfo(this.db, existing);
    return this.db.transaction(async (tx) => {
      const now = this.clock();
      const id = randomUUID();
      await tx.insert(t.athletes).values({ id, displayName, createdAt: now, updatedAt: now });
      const linked = await tx
        .insert(t.chatIdentities)
        .values({ key: identityKey, athleteId: id, createdAt: now })
        .onConflictDoNothing()
        .returning({ key: t.chatIdentities.key });
      if (linked.length === 1) return athleteInfo(tx, id);
      await tx.delete(t.athletes).where(eq(t.athletes.id, id));
      // A statement started after the other commit (READ COMMITTED) sees its row.
      const winner = await this.athleteIdOf(tx, identityKey);
      if (!winner) throw new Error(`identity ${identityKey} was taken and then removed at once`);
      return athleteInfo(tx, winner);
    });
  }

  async findByIdentity(identityKey: string): Promise<AthleteRecord | null> {
    const found = await this.athleteIdOf(this.db, identityKey);
    return found ? athleteInfo(this.db, found) : null;
  }

  /**
   * The chat whose dialogue holds this code, unexpired and tied to an athlete. Only a JSON string
   * matches (SQLite's `json_extract` compares a JSON number with the text code as unequal). SQLite
   * looks at the first chat holding the code only; here at every chat holding it (oldest identity
   * key first), which differs only when two chats hold one code at once.
   */
  async findLinkCode(code: string, now: Date): Promise<{ identityKey: string; athleteId: string } | null> {
    const c = t.chatState;
    const state = sql`(${c.state})::json`;
    const rows = await this.db
      .select({
        identityKey: c.identityKey,
        athleteId: c.athleteId,
        // json, parsed by the driver: a number as a number (as json_extract gives it), JSON null as null
        expires: sql<unknown>`${state} -> 'linkExpiresAt'`,
      })
      .from(c)
      .where(sql`json_typeof(${state} -> 'linkCode') = 'string' and ${state} ->> 'linkCode' = ${code}`)
      .orderBy(sql`${c.identityKey} collate "C"`);
    const found = rows.find((row) => row.athleteId && row.expires !== null && (row.expires as number) > now.getTime());
    return found?.athleteId ? { identityKey: found.identityKey, athleteId: found.athleteId } : null;
  }

  /**
   * Moves an identity and its chat state; the athlete it leaves is deleted when no identity is
   * left to it. The identity row is locked, then the athlete left: two identities moving away from
   * one athlete at once count what is left one after the other, so the second sees none left.
   */
  async moveIdentity(identityKey: string, toAthleteId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [from] = await tx.select().from(t.chatIdentities).where(eq(t.chatIdentities.key, identityKey)).limit(1).for('update');
      if (!from || from.athleteId === toAthleteId) return;
      await lockAthlete(tx, from.athleteId);
      await tx.update(t.chatIdentities).set({ athleteId: toAthleteId }).where(eq(t.chatIdentities.key, identityKey));
      await tx.update(t.chatState).set({ athleteId: toAthleteId }).where(eq(t.chatState.identityKey, identityKey));
      const [left] = await tx
        .select({ n: sql<string>`count(*)` })
        .from(t.chatIdentities)
        .where(eq(t.chatIdentities.athleteId, from.athleteId));
      if (Number(left?.n ?? 0) === 0) await tx.delete(t.athletes).where(eq(t.athletes.id, from.athleteId));
    });
  }

  private async athleteIdOf(handle: PgHandle, identityKey: string): Promise<string | null> {
    const [found] = await handle
      .select({ athleteId: t.chatIdentities.athleteId })
      .from(t.chatIdentities)
      .where(eq(t.chatIdentities.key, identityKey))
      .limit(1);
    return found?.athleteId ?? null;
  }
}
