/** Whatever a conversation needs to survive a restart, kept by chat identity (the dialogue step, pending choices, link codes). */
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../database.js';
import type { Blocking, ChatStateRepository } from '../ports.js';
import type { Clock } from '../records.js';
import * as t from '../schema.js';

export class SqliteChatStateRepository implements Blocking<ChatStateRepository> {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  getChatState(identityKey: string): Record<string, unknown> | null {
    return this.db.select().from(t.chatState).where(eq(t.chatState.identityKey, identityKey)).get()?.state ?? null;
  }

  setChatState(identityKey: string, state: Record<string, unknown>, athleteId: string | null = null): void {
    const updatedAt = this.clock();
    this.db
      .insert(t.chatState)
      .values({ identityKey, athleteId, state, updatedAt })
      .onConflictDoUpdate({ target: t.chatState.identityKey, set: { state, updatedAt, athleteId } })
      .run();
  }

  /** The states of these identities (an athlete's chats, for the export). */
  statesOf(identityKeys: string[]): { identityKey: string; state: Record<string, unknown>; updatedAt: Date }[] {
    if (identityKeys.length === 0) return [];
    return this.db
      .select()
      .from(t.chatState)
      .where(inArray(t.chatState.identityKey, identityKeys))
      .all()
      .map((c) => ({ identityKey: c.identityKey, state: c.state, updatedAt: c.updatedAt }));
  }
}
