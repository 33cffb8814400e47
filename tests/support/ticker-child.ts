/**
 * Ticker process for the race tests (tests/support/ticker-race.ts):
 *
 *   ticker-child.ts <location> <out> <name> [kinds] [batch size] [hold after]
 *
 * `<location>` is a SQLite file or a postgres:// URL (opened by `Store.open`, as `npm start` does).
 * `[kinds]` is `reminder`, `checkin` or `reminder,checkin` (default `reminder`). The process runs
 * the real tickers (ReminderTicker, CheckinTicker: the ones `npm start` starts) on a clock only
 * stdin moves: each `tick <ISO time>` line sets the clock and runs one pass of every kind at once,
 * then it prints `DONE {"reminder":<sent>,"checkin":<sent>}`. Every message delivered is appended
 * to `<out>` as `<kind> <key> <name>` — the "chat" all the processes write to. With `[hold after]`
 * each kind's ticker delivers that many messages of a pass and then never finishes the next send
 * (it prints `HOLDING <kind> <key>`): it has claimed its batch and completed the messages before,
 * and the rest of the batch stays claimed — the moment to SIGKILL it.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CheckinTicker } from '../../src/conversation/checkins.js';
import { ReminderTicker } from '../../src/conversation/reminders.js';
import type { ChatDirectory } from '../../src/conversation/port.js';
import { Store } from '../../src/store/store.js';
import { stubThread } from './recording-directory.js';

type Kind = 'reminder' | 'checkin';

const [location, out, name, kindsArg = 'reminder', batchArg = '10', holdArg] = process.argv.slice(2);
if (!location || !out || !name) throw new Error('usage: ticker-child.ts <location> <out> <name> [kinds] [batch size] [hold after]');
const kinds = kindsArg.split(',') as Kind[];
if (kinds.length === 0 || kinds.some((k) => k !== 'reminder' && k !== 'checkin')) throw new Error(`unknown kinds: ${kindsArg}`);
const holdAfter = holdArg === undefined ? Infinity : Number(holdArg);

let now = new Date(0); // set by each `tick` line
const clock = () => now;
const store = await Store.open(location, { clock });

/** What each pass starts afresh: the count of messages delivered before a hold. */
const passStarts: (() => void)[] = [];

/** The chat of one kind: a network round trip, then the delivery written down (unless this ticker holds). */
const directory = (kind: Kind): ChatDirectory => {
  let delivered = 0; // in this pass: a ticker's sends are one after another, so the ones before a hold are completed
  passStarts.push(() => (delivered = 0));
  return {
    open: (key) =>
      stubThread(key, async () => {
        await new Promise((r) => setTimeout(r, 1)); // a network round trip, during which the others work
        if (delivered >= holdAfter) {
          process.stdout.write(`HOLDING ${kind} ${key}\n`);
          await new Promise<never>(() => undefined); // never sent, never completed: claimed until the lease runs out
        }
        delivered += 1;
        appendFileSync(out, `${kind} ${key} ${name}\n`);
      }),
  };
};

const claimant = `${name}-${process.pid}`;
const batchSize = Number(batchArg);
const tickers = kinds.map((kind) => {
  const options = { store, directory: directory(kind), clock, claimant, batchSize };
  return kind === 'checkin' ? new CheckinTicker(options) : new ReminderTicker(options);
});

process.stdout.write('READY\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, iso] = line.split(' ');
  if (command !== 'tick' || !iso) throw new Error(`unknown command: ${line}`);
  now = new Date(iso);
  for (const start of passStarts) start();
  const results = await Promise.all(tickers.map((t) => t.tick()));
  process.stdout.write(`DONE ${JSON.stringify(Object.fromEntries(kinds.map((k, i) => [k, results[i]!.sent])))}\n`);
}
await store.close();
