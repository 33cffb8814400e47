/**
 * Identities and link codes: which athlete a chat identity (`telegram:<id>`, `discord:<id>`,
 * `cli:<name>`) belongs to, the athlete row itself, and the `/link` codes kept in chat state.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import type { Blocking, AthleteRepository, IdentityDirectory } from '../ports.js';
import type { AthleteRecord, Clock } from '../records.js';
import * as t from '../schema.js';
import { IMMEDIATE, type AthleteScope, type Reader } from './scope.js';

/** The chat identities of an athlete (on a connection or in a transaction). */
export function identityKeysOf(db: Reader, athleteId: string): string[] {
  return db
    .select({ key: t.chatIdentities.key })
    .from(t.chatIdentities)
    .where(eq(t.chatIdentities.athleteId, athleteId))
    .all()
    .map((r) => r.key);
}

/** One athlete's row and identities. */
export class SqliteAthleteRepository implements Blocking<AthleteRepository> {
  constructor(private readonly scope: AthleteScope) {}

  info(): AthleteRecord {
    const { db, athleteId } = this.scope;
    const row = db.select().from(t.athletes).where(eq(t.athletes.id, athleteId)).get();
    if (!row) throw new Error(`no athlete ${athleteId}`);
    return { ...row, identities: identityKeysOf(db, athleteId) };
  }

  update(changes: Partial<Pick<AthleteRecord, 'displayName' | 'timeZone' | 'units'>>): AthleteRecord {
    this.scope.db
      .update(t.athletes)
      .set({ ...changes, updatedAt: this.scope.clock() })
      .where(eq(t.athletes.id, this.scope.athleteId))
      .run();
    return this.info();
  }

  /** Links another chat identity (e.g. the same person on Discord) to this athlete. */
  linkIdentity(identityKey: string): void {
    this.scope.db
      .insert(t.chatIdentities)
      .values({ key: identityKey, athleteId: this.scope.athleteId, createdAt: this.scope.clock() })
      .onConflictDoNothing()
      .run();
  }
}

/** Chat identities → athletes, across athletes. */
export class SqliteIdentityDirectory implements Blocking<IdentityDirectory> {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private info(athleteId: string): AthleteRecord {
    return new SqliteAthleteRepository({ db: this.db, athleteId, clock: this.clock }).info();
  }

  athleteForIdentity(identityKey: string, displayName: string): AthleteRecord {
    return this.db.transaction((tx) => {
      const found = tx.select().from(t.chatIdentities).where(eq(t.chatIdentities.key, identityKey)).get();
      if (found) return this.info(found.athleteId);
      const now = this.clock();
      const id = randomUUID();
      tx.insert(t.athletes).values({ id, displayName, createdAt: now, updatedAt: now }).run();
      tx.insert(t.chatIdentities).values({ key: identityKey, athleteId: id, createdAt: now }).run();
      return this.info(id);
    }, IMMEDIATE);
  }

  findByIdentity(identityKey: string): AthleteRecord | null {
    const found = this.db.select().from(t.chatIdentities).where(eq(t.chatIdentities.key, identityKey)).get();
    return found ? this.info(found.athleteId) : null;
  }

  findLinkCode(code: string, now: Date): { identityKey: string; athleteId: string } | null {
    const row = this.db
      .select({
        identityKey: t.chatState.identityKey,
        athleteId: t.chatState.athleteId,
        expires: sql<number | null>`json_extract(${t.chatState.state}, '$.linkExpiresAt')`,
      })
      .from(t.chatState)
      .where(sql`json_extract(${t.chatState.state}, '$.linkCode') = ${code}`)
      .get();
    return row && row.athleteId && row.expires !== null && row.expires > now.getTime()
      ? { identityKey: row.identityKey, athleteId: row.athleteId }
      : null;
  }

  moveIdentity(identityKey: string, toAthleteId: string): void {
    this.db.transaction((tx) => {
      const from = tx.select().from(t.chatIdentities).where(eq(t.chatIdentities.key, identityKey)).get();
      if (!from || from.athleteId === toAthleteId) return;
      tx.update(t.chatIdentities).set({ athleteId: toAthleteId }).where(eq(t.chatIdentities.key, identityKey)).run();
      tx.update(t.chatState).set({ athleteId: toAthleteId }).where(eq(t.chatState.identityKey, identityKey)).run();
      const left =
        tx
          .select({ n: sql<number>`count(*)` })
          .from(t.chatIdentities)
          .where(eq(t.chatIdentities.athleteId, from.athleteId))
          .get()?.n ?? 0;
      if (left === 0) tx.delete(t.athletes).where(eq(t.athletes.id, from.athleteId)).run();
    }, IMMEDIATE);
  }
}
