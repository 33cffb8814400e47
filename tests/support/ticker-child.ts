/**
 * One reminder ticker in its own process, for the race test: `ticker-child.ts <db> <out> <name>`
 * waits for the start signal (a line on stdin), runs one pass at the fixed time, and appends each
 * delivered reminder's key to <out> — the "chat" both processes write to.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReminderTicker } from '../../src/conversation/reminders.js';
import type { ChatDirectory, ChatThread, MessageRef } from '../../src/conversation/port.js';
import { Store } from '../../src/store/store.js';

const [db, out, name] = process.argv.slice(2);
if (!db || !out || !name) throw new Error('usage: ticker-child.ts <db> <out> <name>');
const now = new Date('2026-06-01T08:00:00Z');
const store = Store.open(db, { clock: () => now });
const directory: ChatDirectory = {
  open(key) {
    const thread: ChatThread = {
      athleteKey: key,
      displayName: key,
      isPrivate: true,
      maxDownloadBytes: 1,
      async post(): Promise<MessageRef> {
        await new Promise((r) => setTimeout(r, 1)); // a network round trip, during which the other process works
        appendFileSync(out, `${key} ${name}\n`);
        return { id: key };
      },
      async edit() {},
      async sendFiles() {},
    };
    return thread;
  },
};
const ticker = new ReminderTicker({ store, directory, clock: () => now, claimant: `${name}-${process.pid}`, batchSize: 10 });
process.stdout.write('READY\n');
for await (const _ of createInterface({ input: process.stdin })) break;
const result = await ticker.tick();
process.stdout.write(`DONE ${result.sent}\n`);
store.close();
