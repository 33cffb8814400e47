/**
 * Monthly reminders with an injected clock, on SQLite and on PostgreSQL: one catch-up after
 * downtime, two tickers on one database, blocked users, the look back at last month; and two
 * ticker processes on one SQLite file.
 * (When a reminder is due — DST in two time zones, the last day of February:
 * tests/unit/domain/reminder-schedule.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lookBack, reminderReply } from '../../src/conversation/month-review.js';
import { ReminderTicker } from '../../src/conversation/reminders.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { Store } from '../../src/store/store.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';
import { recordingDirectory as directory } from '../support/recording-directory.js';
import { storeEngines } from '../support/engines.js';
import { tempStore } from '../support/store.js';
import { raceTwoTickerProcesses } from '../support/ticker-race.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const at = (iso: string) => new Date(iso);

async function athleteWithReminder(store: Store, key: string, due: Date, zone = 'Europe/Berlin') {
  const a = store.athlete((await store.athleteForIdentity(key, key)).id);
  await a.update({ timeZone: zone });
  await a.setReminder({ enabled: true, dayOfMonth: '1', timeOfDay: '09:00', timeZone: zone, channelKey: key, nextDueAt: due });
  return a;
}

describe.each(storeEngines())('reminders on $name', (engine) => {
  describe('the ticker', () => {
    it('after 6 weeks down sends exactly one catch-up, then waits for the next month', async () => {
      let now = at('2026-04-12T10:00:00Z');
      const { store, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      const a = await athleteWithReminder(store, 'telegram:1', at('2026-03-01T08:00:00Z'));
      const { dir, sent } = directory();
      const ticker = new ReminderTicker({ store, directory: dir, clock: () => now, claimant: 'p1' });
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      expect(await ticker.tick()).toMatchObject({ sent: 0 });
      expect(sent.get('telegram:1')).toHaveLength(1);
      expect((await a.reminder())!.nextDueAt!.toISOString()).toBe('2026-05-01T07:00:00.000Z');
      expect((await a.reminder())!.lastSentAt!.toISOString()).toBe('2026-04-12T10:00:00.000Z');
      now = at('2026-05-01T07:00:00Z');
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      expect(sent.get('telegram:1')).toHaveLength(2);
    });

    it('two tickers racing on one database send each reminder once', async () => {
      const now = at('2026-06-01T08:00:00Z');
      const { store, path, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      for (let i = 0; i < 12; i++) await athleteWithReminder(store, `telegram:${i}`, at('2026-06-01T07:00:00Z'));
      const other = await Store.open(path, { clock: () => now }); // a second process's connection
      cleanups.push(() => other.close());
      const { dir, sent } = directory({ delayMs: 5 });
      const one = new ReminderTicker({ store, directory: dir, clock: () => now, claimant: 'process-1' });
      const two = new ReminderTicker({ store: other, directory: dir, clock: () => now, claimant: 'process-2' });
      const [r1, r2] = await Promise.all([one.tick(), two.tick(), one.tick(), two.tick()]);
      expect((r1?.sent ?? 0) + (r2?.sent ?? 0)).toBeLessThanOrEqual(12);
      expect([...sent.values()].map((r) => r.length)).toEqual(new Array(12).fill(1));
      expect(sent.size).toBe(12);
    });

    it('disables the reminder of a user who blocked the bot, with the reason; retries a transient failure', async () => {
      const now = at('2026-06-01T08:00:00Z');
      const { store, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      const blocked = await athleteWithReminder(store, 'telegram:7', at('2026-06-01T07:00:00Z'));
      const flaky = await athleteWithReminder(store, 'discord:8', at('2026-06-01T07:00:00Z'));
      const { dir, sent } = directory({ blocked: ['telegram:7'], flaky: ['discord:8'] });
      const ticker = new ReminderTicker({ store, directory: dir, clock: () => now, claimant: 'p' });
      expect(await ticker.tick()).toMatchObject({ sent: 0, disabled: 1, failed: 1 });
      expect(await blocked.reminder()).toMatchObject({ enabled: false, disabledReason: 'Telegram: the user blocked the bot (403)' });
      expect((await flaky.reminder())!.enabled).toBe(true);
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      expect(sent.get('discord:8')).toHaveLength(1);
      expect(await ticker.tick()).toMatchObject({ sent: 0, disabled: 0 });
    });

    it('leaves reminders of a platform that does not run here to the process that runs it', async () => {
      const now = at('2026-06-01T08:00:00Z');
      const { store, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      await athleteWithReminder(store, 'discord:1', at('2026-06-01T07:00:00Z'));
      const ticker = new ReminderTicker({
        store,
        directory: { open: (k) => (k.startsWith('telegram:') ? directory().dir.open(k) : null) },
        clock: () => now,
        claimant: 'telegram-only',
      });
      expect(await ticker.tick()).toMatchObject({ sent: 0, skipped: 1 });
    });
  });

  describe('the look back', () => {
    it("counts last month's rides, hours, load, CTL change and new bests; says when the month is already done", async () => {
      const now = at('2026-06-01T07:00:00Z');
      const { store, cleanup } = await engine.tempStore(() => now);
      cleanups.push(cleanup);
      const a = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
      await a.updateProfile({ ftp: 250 }, at('2026-01-01T00:00:00Z'));
      const ride = (seed: number, iso: string, minutes: number) => {
        const d = decodeFit(syntheticRideBytes(seed, at(iso), minutes, 250), `r${seed}.fit`);
        if (!d.ok) throw new Error(d.error.message);
        return d.value[0]!;
      };
      await a.recordUpload(['april'], {
        activities: [ride(1, '2026-04-10T07:00:00Z', 60), ride(2, '2026-04-20T07:00:00Z', 60)],
        errors: [],
      });
      await a.recordUpload(['may'], {
        activities: [ride(3, '2026-05-05T07:00:00Z', 90), ride(4, '2026-05-12T07:00:00Z', 120), ride(5, '2026-05-26T07:00:00Z', 60)],
        errors: [],
      });
      const look = await lookBack(a, now, 'Europe/Berlin');
      expect(look).toMatchObject({ label: 'May 2026', from: '2026-05-01', to: '2026-05-31', rides: 3 });
      expect(look.hours).toBeCloseTo(4.5, 1);
      expect(look.load).toBeGreaterThan(100);
      expect(look.ctlEnd!).toBeGreaterThan(look.ctlStart!);
      const reply = reminderReply(look, 'Anna');
      expect(reply.text).toMatch(/^May 2026: 3 rides, 4\.5 h, \d+ TSS\./);
      expect(reply.buttons?.flat().map((b) => b.action)).toEqual(['analyze']);
      // the uploads above were made "now" (1 June): uploaded this month, but not analysed yet
      expect(look).toMatchObject({ uploadedThisMonth: true, analysedThisMonth: false });
      const run = await a.startRun();
      await a.finishRun(run.id, { status: 'done' });
      const done = reminderReply(await lookBack(a, now, 'Europe/Berlin'), 'Anna');
      expect(done.text).toMatch(/already sent your rides and ran this month's analysis/);
      expect(done.buttons).toBeUndefined();
    });
  });
});

// SQLite only here: the ticker processes (tests/support/ticker-race.ts) open a database file
describe('the ticker, in two processes on SQLite', () => {
  it('two tickers in two processes on one database file send each of 300 due reminders exactly once', async () => {
    const now = at('2026-06-01T08:00:00Z');
    const { store, path, dir } = await tempStore(() => now);
    cleanups.push(() => store.close());
    for (let i = 0; i < 300; i++) await athleteWithReminder(store, `telegram:${i}`, at('2026-06-01T07:00:00Z'));
    const { sent, delivered } = await raceTwoTickerProcesses(path, dir, 'reminder');
    expect(delivered).toHaveLength(300);
    expect(new Set(delivered.map(([key]) => key)).size).toBe(300);
    expect(sent[0] + sent[1]).toBe(300);
    // both processes did part of the work: a real race, not one process doing it all
    expect(new Set(delivered.map(([, name]) => name))).toEqual(new Set(['one', 'two']));
    expect(await store.claimDueReminders(now, 'check')).toEqual([]);
  }, 60_000);
});
