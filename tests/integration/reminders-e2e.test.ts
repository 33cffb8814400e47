/**
 * The monthly reminder end to end through the real bots: on Telegram and on Discord it arrives
 * with the look back at the athlete's stored rides, and its button starts an analysis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookBack } from '../../src/conversation/month-review.js';
import { ReminderTicker } from '../../src/conversation/reminders.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import type { Store } from '../../src/store/store.js';
import { athleteUserId, startHarness } from '../fakes/discord-driver.js';
import { TelegramTestBot } from '../fakes/telegram-driver.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'domestique-remind-'));
  dirs.push(d);
  return d;
};

/** Last month's rides for an athlete, plus a reminder due now, delivered to `channelKey`. */
async function seedMonth(store: Store, key: string, now: Date): Promise<{ athleteId: string; rides: number }> {
  const athlete = store.athlete((await store.athleteForIdentity(key, 'Rider')).id);
  await athlete.updateProfile({ ftp: 255 }, new Date(now.getTime() - 400 * 86_400_000));
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 3, 7));
  const activities = [0, 6, 13, 20].map((day, i) => {
    const decoded = decodeFit(syntheticRideBytes(700 + i, new Date(lastMonth.getTime() + day * 86_400_000), 60 + i * 15, 255), `r${i}.fit`);
    if (!decoded.ok) throw new Error(decoded.error.message);
    return decoded.value[0]!;
  });
  await athlete.recordUpload(['last-month'], { activities, errors: [] });
  await athlete.setReminder({
    enabled: true,
    dayOfMonth: '1',
    timeOfDay: '09:00',
    timeZone: 'UTC',
    channelKey: key,
    nextDueAt: new Date(now.getTime() - 60_000),
  });
  return { athleteId: athlete.athleteId, rides: activities.length };
}

const NOW = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1, 9, 5)); // the 1st at 09:05 UTC of this month

describe('monthly reminder through the real bots', () => {
  it('Telegram: the reminder holds last month\'s numbers and "Analyze now" starts an analysis', async () => {
    const bot = await TelegramTestBot.start(join(tempDir(), 't.db'));
    try {
      const user = 31_337;
      // the athlete has talked to the bot before (Telegram only lets bots write to chats people opened)
      bot.fake.userSendsText(user, '/help');
      await bot.fake.waitFor(() => bot.fake.messages(user).length > 0, 30_000, 'the help');
      const { athleteId, rides } = await seedMonth(bot.app.store, `telegram:${user}`, NOW);
      const expected = await lookBack(bot.app.store.athlete(athleteId), NOW, 'UTC');
      const ticker = new ReminderTicker({
        store: bot.app.store,
        directory: { open: (k) => bot.telegram.open(k) },
        clock: () => NOW,
        claimant: 'test',
      });
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      const message = await bot.fake.waitFor(
        () => bot.fake.messages(user).find((m) => /month in review/.test(m.text)),
        10_000,
        'the reminder',
      );
      expect(message.text).toContain(`${expected.label}: ${rides} rides, ${expected.hours.toFixed(1)} h, ${expected.load.toFixed(0)} TSS.`);
      expect(message.text).toMatch(/Fitness \(CTL\) [\d.]+ → [\d.]+/);
      const button = message.buttons.flat().find((b) => b.text === 'Analyze now')!;
      bot.fake.userPresses(user, message.messageId, button.data);
      await bot.fake.waitFor(
        () => bot.fake.documents(user).filter((d) => d.fileName.endsWith('.html')).length === 3,
        120_000,
        'the reports',
      );
      expect((await bot.app.store.athlete(athleteId).latestRun())!.status).toBe('done');
      expect(await ticker.tick()).toMatchObject({ sent: 0 }); // next one is next month
    } finally {
      await bot.close();
    }
  }, 180_000);

  it("Discord: the reminder arrives by DM with last month's numbers and its button starts an analysis", async () => {
    const harness = await startHarness({ dbPath: join(tempDir(), 'd.db') });
    try {
      const user = athleteUserId(77);
      harness.fake.dm(user, 'hello'); // the athlete has talked to the bot before
      const { athleteId, rides } = await seedMonth(harness.app.store, `discord:${user}`, NOW);
      const expected = await lookBack(harness.app.store.athlete(athleteId), NOW, 'UTC');
      const ticker = new ReminderTicker({ store: harness.app.store, directory: harness.bot, clock: () => NOW, claimant: 'test' });
      expect(await ticker.tick()).toMatchObject({ sent: 1 });
      const waitFor = async <T>(check: () => T | undefined, what: string, ms = 60_000): Promise<T> => {
        const end = Date.now() + ms;
        for (;;) {
          const v = check();
          if (v) return v;
          if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      const message = await waitFor(() => harness.fake.messagesFor(user).find((m) => /month in review/.test(m.content)), 'the reminder');
      expect(message.source).toBe('channel');
      expect(message.content).toContain(
        `${expected.label}: ${rides} rides, ${expected.hours.toFixed(1)} h, ${expected.load.toFixed(0)} TSS.`,
      );
      const button = message.components.flatMap((r) => r.components).find((c) => c.label === 'Analyze now')!;
      harness.fake.press(user, message.id, button.custom_id!);
      await waitFor(
        () => harness.fake.filesFor(user).filter((f) => f.fileName.endsWith('.html')).length >= 3 || undefined,
        'the reports',
        120_000,
      );
      expect((await harness.app.store.athlete(athleteId).latestRun())!.status).toBe('done');
    } finally {
      await harness.close();
    }
  }, 180_000);
});
