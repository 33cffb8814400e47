/**
 * Telegram in webhook mode, through the real grammY bot, the real HTTP server (the operations
 * server of bots/main.ts) and a real SQLite inbox: the fake Bot API POSTs each update to the
 * webhook with the secret and delivers again until it gets a 2xx. A conversation works; a wrong or
 * missing secret gets 401 and nothing is stored; a redelivered update is answered and not handled
 * again; a process killed after storing an update and before handling it loses nothing (the next
 * start handles it once); 50 athletes at once each get exactly their answers, in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { FAKE_BOT_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js';
import {
  createTelegramDriverFactory,
  TelegramTestBot,
  WEBHOOK_PATH,
  WEBHOOK_SECRET,
  type TelegramChatDriver,
  type TelegramDriverOptions,
} from '../fakes/telegram-driver.js';
import { runChild } from '../support/child-run.js';
import { recentRides } from '../support/synthetic-files.js';

const NOW = new Date();
let dir: string;
const logLines: string[] = [];
const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
const closers: (() => Promise<void>)[] = [];
const WEBHOOK: TelegramDriverOptions['webhook'] = { tuning: { sweepMs: 50 } };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'domestique-telegram-webhook-'));
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
  // Every bot of this file logged at debug level: neither the token nor the webhook's secret is there.
  const all = logLines.join('');
  for (const secret of [FAKE_BOT_TOKEN, FAKE_BOT_TOKEN.split(':')[1]!, WEBHOOK_SECRET]) expect(all).not.toContain(secret);
});

async function athlete(database: string, athleteNumber: number): Promise<TelegramChatDriver> {
  const d = await createTelegramDriverFactory({ logger, webhook: WEBHOOK }).create({ dbPath: join(dir, database), athleteNumber });
  closers.push(() => d.close());
  return d;
}

function post(url: string, body: unknown, secret?: string, method = 'POST'): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'X-Telegram-Bot-Api-Secret-Token': secret } : {}) },
    ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
}

const okDeliveries = (fake: FakeTelegram, updateId: number) =>
  fake.webhookDeliveries().filter((d) => d.updateId === updateId && d.status === 200).length;

describe('Telegram webhook mode', () => {
  it("carries a new athlete's conversation: /start, FTP, a FIT file; the webhook is registered with the secret and no polling happens", async () => {
    const d = await athlete('conversation.db', 1);
    const fake = d.bot.fake;
    expect(fake.webhook()).toEqual({ url: d.bot.webhookUrl, secret: WEBHOOK_SECRET, allowedUpdates: ['message', 'callback_query'] });
    await d.send('/start');
    expect(d.messages()[0]!.text).toMatch(/^Hello Rider 1! I'm domestique/);
    await d.send('ftp 250');
    expect(d.messages().at(-1)!.text).toMatch(/250/);
    const before = d.messages().length;
    await d.sendFiles(recentRides(NOW, 1, 7));
    expect(
      d
        .messages()
        .slice(before)
        .map((m) => m.text),
    ).toContainEqual(expect.stringMatching(/1 new activity stored/));
    await d.send('/status');
    expect(d.messages().at(-1)!.text).toMatch(/^Status\n1 activity stored/m);
    // Every update went by POST, answered 200 the first time; nobody polled or deleted the webhook.
    expect(fake.webhookDeliveries().every((x) => x.status === 200)).toBe(true);
    expect(fake.webhookDeliveries()).toHaveLength(4);
    expect(fake.calls('getUpdates')).toBe(0);
    expect(fake.calls('deleteWebhook')).toBe(0);
    const info = await d.bot.telegram.bot.api.getWebhookInfo();
    expect(info).toMatchObject({ url: d.bot.webhookUrl, pending_update_count: 0 });

    // A restart (a deploy) does not delete the webhook; the new start registers it again.
    await d.restart();
    expect(fake.calls('deleteWebhook')).toBe(0);
    expect(fake.calls('setWebhook')).toBe(2);
    await d.send('/status');
    expect(d.messages().at(-1)!.text).toMatch(/^Status\n1 activity stored/m);
  }, 60_000);

  it('answers 401 to a wrong or missing secret and stores nothing; refuses what is no update', async () => {
    const d = await athlete('secret.db', 2);
    const url = d.bot.webhookUrl!;
    const update = d.bot.fake.textUpdate(555, '/start');
    for (const secret of [undefined, '', 'wrong-secret', `${WEBHOOK_SECRET}x`, WEBHOOK_SECRET.slice(0, -1)])
      expect((await post(url, update, secret)).status).toBe(401);
    expect((await post(url, { hello: 'world' }, WEBHOOK_SECRET)).status).toBe(400);
    expect((await post(url, 'not json', WEBHOOK_SECRET)).status).toBe(400);
    expect((await post(url, null, WEBHOOK_SECRET, 'GET')).status).toBe(404);
    expect((await post(url.replace(WEBHOOK_PATH, '/telegram/other'), update, WEBHOOK_SECRET)).status).toBe(404);
    expect(d.bot.handledCount('telegram:555')).toBe(0);
    // Nothing was stored under that id: with the right secret it is new, and handled.
    expect((await post(url, update, WEBHOOK_SECRET)).status).toBe(200);
    await d.bot.waitHandled('telegram:555', 1, () => '');
    await d.bot.fake.waitFor(() => d.bot.fake.messages(555).length > 0, 10_000, 'the answer to /start');
    expect(d.bot.fake.messages(555)[0]!.text).toMatch(/^Hello User555!/);
  }, 60_000);

  it('handles an update delivered twice (a lost answer, or two requests at once) once', async () => {
    const d = await athlete('duplicates.db', 3);
    const fake = d.bot.fake;
    await d.send('/start');
    const answers = d.messages().length;
    const updateId = fake.webhookDeliveries().at(-1)!.updateId;
    fake.redeliver(updateId);
    await fake.waitFor(() => okDeliveries(fake, updateId) === 2, 10_000, 'the second delivery');
    // A new update POSTed three times at once: each answered 200, handled once.
    const update = fake.textUpdate(556, '/start');
    const url = d.bot.webhookUrl!;
    const statuses = await Promise.all([1, 2, 3].map(() => post(url, update, WEBHOOK_SECRET).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200]);
    await d.bot.waitHandled('telegram:556', 1, () => '');
    await fake.waitFor(() => fake.messages(556).length > 0, 10_000, 'the answer to /start');
    // Anything more would have been handled by now: the next update of that chat comes after it.
    expect((await post(url, fake.textUpdate(556, '/status'), WEBHOOK_SECRET)).status).toBe(200);
    await d.bot.waitHandled('telegram:556', 2, () => '');
    expect(d.bot.handledCount('telegram:556')).toBe(2);
    expect(fake.messages(556).filter((m) => m.text.startsWith('Hello'))).toHaveLength(1);
    expect(d.bot.handledCount(d.athleteKey)).toBe(1);
    expect(d.messages()).toHaveLength(answers);
  }, 60_000);

  it('a process killed after storing an update, before handling it: the next start handles it once, and a redelivery not again', async () => {
    const db = join(dir, 'crash.db');
    const fake = await startFakeTelegram({ redeliveryMs: 20 });
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const child = runChild('tests/support/telegram-webhook-child.ts', [db, fake.url, '1000'], (line) => {
      if (line === 'READY') ready();
      return line.startsWith('STORED ');
    });
    await Promise.race([started, child.then((c) => Promise.reject(new Error(`the child ended: ${c.stderr}`)))]);
    const { updateId } = fake.userSendsText(4242, '/start', 'private', { firstName: 'Crash' });
    const run = await child;
    expect(run.killed).toBe(true);
    expect(run.lines).toContain(`STORED ${updateId}`);
    // Telegram had its 200: it will not deliver the update again by itself. Nothing was answered.
    expect(okDeliveries(fake, updateId)).toBe(1);
    expect(fake.pendingUpdates()).toBe(0);
    expect(fake.messages(4242)).toEqual([]);

    // Started again on the same database: the update (its claim expired) is handled, once.
    const bot = await TelegramTestBot.start(db, { logger, runningFake: fake, webhook: WEBHOOK });
    closers.push(() => bot.close());
    await bot.waitHandled('telegram:4242', 1, () => '');
    await fake.waitFor(() => fake.messages(4242).length > 0, 10_000, 'the answer to /start');
    expect(fake.messages(4242)[0]!.text).toMatch(/^Hello Crash!/);
    // Telegram delivers it again (as if our 200 had been lost): answered, not handled again.
    fake.redeliver(updateId);
    await fake.waitFor(() => okDeliveries(fake, updateId) === 2, 10_000, 'the redelivery');
    fake.userSendsText(4242, '/status', 'private', { firstName: 'Crash' });
    await bot.waitHandled('telegram:4242', 2, () => '');
    expect(bot.handledCount('telegram:4242')).toBe(2);
    expect(fake.messages(4242).filter((m) => m.text.startsWith('Hello'))).toHaveLength(1);
  }, 60_000);

  it('50 athletes sending at once: each answered exactly once per message, in order', async () => {
    const athletes = await Promise.all(Array.from({ length: 50 }, (_, i) => athlete('crowd.db', 100 + i)));
    const fake = athletes[0]!.bot.fake;
    const bot = athletes[0]!.bot;
    // Two messages each, sent together: the second must be handled after the first.
    for (const [i, d] of athletes.entries()) {
      fake.userSendsText(d.userId, '/start', 'private', { firstName: `Rider ${100 + i}` });
      fake.userSendsText(d.userId, `ftp ${200 + i}`, 'private', { firstName: `Rider ${100 + i}` });
    }
    await Promise.all(
      athletes.map((d) =>
        bot.waitHandled(d.athleteKey, 2, () =>
          d
            .messages()
            .map((m) => m.text)
            .join('\n'),
        ),
      ),
    );
    for (const [i, d] of athletes.entries()) {
      const texts = d.messages().map((m) => m.text);
      expect(texts.filter((t) => t.startsWith(`Hello Rider ${100 + i}!`))).toHaveLength(1);
      expect(texts.at(-1)).toMatch(new RegExp(`${200 + i}`));
      expect(bot.handledCount(d.athleteKey)).toBe(2);
    }
    expect(fake.chatsWithBotOutput().sort()).toEqual(athletes.map((d) => d.chatId).sort());
    expect(fake.webhookDeliveries()).toHaveLength(100);
    expect(fake.pendingUpdates()).toBe(0);
  }, 120_000);
});
