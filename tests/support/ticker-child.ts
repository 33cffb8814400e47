/**
 * One ticker in its own process, for the race tests: `ticker-child.ts <db> <out> <name> [reminder|checkin]`
 * waits for the start signal (a line on stdin), runs one pass of the monthly reminders (default) or
 * the weekly check-ins at the fixed time, and appends each delivered message's key to <out> — the
 * "chat" both processes write to.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CheckinTicker } from '../../src/conversation/checkins.js';
import { ReminderTicker } from '../../src/conversation/reminders.js';
import type { ChatDirectory } from '../../src/conversation/port.js';
import { Store } from '../../src/store/store.js';
import { stubThread } from './recording-directory.js';

const [db, out, name, kind = 'reminder'] = process.argv.slice(2);
if (!db || !out || !name) throw new Error('usage: ticker-child.ts <db> <out> <name> [reminder|checkin]');
const now = new Date('2026-06-01T08:00:00Z');
const store = await Store.open(db, { clock: () => now });
const directory: ChatDirectory = {
  open: (key) =>
    stubThread(key, async () => {
      await new Promise((r) => setTimeout(r, 1)); // a network round trip, during which the other process works
      appendFileSync(out, `${key} ${name}\n`);
    }),
};
const options = { store, directory, clock: () => now, claimant: `${name}-${process.pid}`, batchSize: 10 };
const ticker = kind === 'checkin' ? new CheckinTicker(options) : new ReminderTicker(options);
process.stdout.write('READY\n');
for await (const _ of createInterface({ input: process.stdin })) break;
const result = await ticker.tick();
process.stdout.write(`DONE ${result.sent}\n`);
await store.close();
