/**
 * Whatever a conversation needs to survive a restart, kept by chat identity (the dialogue step,
 * pending choices, link codes), on PostgreSQL. Mirrors ../../repositories/chat-state.ts.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { ChatStateRepository } from '../../ports.js';
import type { Clock } from '../../records.js';
import type { PgDb } from '../database.js';
import * as t from '../schema.js';

/** Chat states on PostgreSQL, across athletes. */
export class PgChatStateRepository implements ChatStateRepository {
  constructor(
    private readonly db: PgDb,
    private readonly clock: Clock,
  ) {}

  async getChatState(identityKey: string): Promise<Record<string, unknown> | null> {
    const [row] = await this.db.select().from(t.chatState).where(eq(t.chatState.identityKey, identityKey)).limit(1);
    return row?.state ?? null;
  }

  /** Replaces the state, and its athlete (none when not given, as on SQLite). */
  async setChatState(identityKey: string, state: Record<string, unknown>, athleteId: string | null = null): Promise<void> {
    const updatedAt = this.clock();
    await this.db
      .insert(t.chatState)
      .values({ identityKey, athleteId, state, updatedAt })
      .onConflictDoUpdate({ target: t.chatState.identityKey, set: { state, updatedAt, athleteId } });
  }

  /**
   * The states of these identities (an athlete's chats, for the export), by identity key in byte
   * order as SQLite's primary key index gives them. An athlete has a handful of identities: one statement.
   */
  async statesOf(identityKeys: string[]): Promise<{ identityKey: string; state: Record<string, unknown>; updatedAt: Date }[]> {
    if (identityKeys.length === 0) return [];
    const rows = await this.db
      .select()
      .from(t.chatState)
      .where(inArray(t.chatState.identityKey, identityKeys))
      .orderBy(sql`${t.chatState.identityKey} collate "C"`);
    return rows.map((c) => ({ identityKey: c.identityKey, state: c.state, updatedAt: c.updatedAt }));
  }
}
