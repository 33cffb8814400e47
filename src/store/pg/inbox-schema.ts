/**
 * The inbox of chat updates on PostgreSQL, mirroring src/store/inbox-schema.ts (whose comments
 * explain it): each pushed update stored before the bot answers, deduplicated by its id.
 */
import { bigint, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { timestampMs } from './columns.js';

export const chatUpdates = pgTable(
  'chat_updates',
  {
    transport: text('transport').notNull(),
    // bigint: Telegram's update ids are only promised to fit 52 bits
    updateId: bigint('update_id', { mode: 'number' }).notNull(),
    payload: text('payload'),
    receivedAt: timestampMs('received_at').notNull(),
    handledAt: timestampMs('handled_at'),
    claimedBy: text('claimed_by'),
    claimedUntil: timestampMs('claimed_until'),
  },
  (t) => [
    primaryKey({ columns: [t.transport, t.updateId] }),
    index('chat_updates_unhandled').on(t.transport, t.handledAt, t.updateId),
    index('chat_updates_received').on(t.receivedAt),
  ],
);
