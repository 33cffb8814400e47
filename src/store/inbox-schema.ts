/**
 * The inbox of chat updates pushed to the bot (Telegram's webhook; drizzle.config.ts reads this
 * file with the others): each update is stored before the bot answers 200, so that one received
 * by a process that died before handling it is handled by the next, and a redelivered one
 * (Telegram sends again when it got no 200) is recognised by its id and not handled twice.
 * Rows are not an athlete's: the payload is dropped once handled and old rows are pruned.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const at = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** One update of one transport (`telegram`), by the id the platform gave it. */
export const chatUpdates = sqliteTable(
  'chat_updates',
  {
    transport: text('transport').notNull(),
    updateId: integer('update_id').notNull(),
    /**
     * The update as received (JSON text); null once handled — the id is all the deduplication
     * needs, and a message may hold what the athlete wanted gone (an API key the bot deletes).
     */
    payload: text('payload'),
    receivedAt: at('received_at').notNull(),
    handledAt: at('handled_at'),
    /** The process handling it, until `claimedUntil`: past that, another may take it over. */
    claimedBy: text('claimed_by'),
    claimedUntil: at('claimed_until'),
  },
  (t) => [
    primaryKey({ columns: [t.transport, t.updateId] }),
    index('chat_updates_unhandled').on(t.transport, t.handledAt, t.updateId),
    index('chat_updates_received').on(t.receivedAt),
  ],
);
