/**
 * Switching from webhook mode back to long polling after a crash: a webhook-mode process (a child,
 * killed with SIGKILL) stored an update and answered Telegram 200, then died before handling it.
 * Telegram will not deliver that update again, so the polling start on the same database takes it
 * from the inbox, under the same claims: handled exactly once, before what polling brings for the
 * same chat, and not again by a later start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegram } from '../../bots/telegram/main.js';
import type { TelegramBot } from '../../bots/telegram/telegram-adapter.js';
import { createChatApp, type ChatApp } from '../../src/app/chat-app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FAKE_BOT_TOKEN, startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js';
import { WEBHOOK_SECRET } from '../fakes/telegram-driver.js';
import { runChild } from '../support/child-run.js';

let dir: string;
const logLines: string[] = [];
const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
const closers: (() => Promise<void>)[] = [];
const CHAT = 4242;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'domestique-telegram-webhook-polling-'));
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
  const all = logLines.join('');
  for (const secret of [FAKE_BOT_TOKEN, FAKE_BOT_TOKEN.split(':')[1]!, WEBHOOK_SECRET]) expect(all).not.toContain(secret);
});

/** A webhook-mode child stores CHAT's "/start" (claimed for `leaseMs`), answers 200, and is killed before handling it. */
async function diedAfterStoring(db: string, fake: FakeTelegram, leaseMs: number): Promise<number> {
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const child = runChild('tests/support/telegram-webhook-child.ts', [db, fake.url, String(leaseMs)], (line) => {
    if (line === 'READY') ready();
    return line.startsWith('STORED ');
  });
  await Promise.race([started, child.then((c) => Promise.reject(new Error(`the child ended: ${c.stderr}`)))]);
  const { updateId } = fake.userSendsText(CHAT, '/start', 'private', { firstName: 'Crash' });
  const run = await child;
  expect(run.killed).toBe(true);
  expect(run.lines).toContain(`STORED ${updateId}`);
  // Telegram had its 200: it will not deliver the update again. Nothing was answered.
  expect(fake.webhookDeliveries().filter((d) => d.updateId === updateId && d.status === 200)).toHaveLength(1);
  expect(fake.pendingUpdates()).toBe(0);
  expect(fake.messages(CHAT)).toEqual([]);
  return updateId;
}

/** The bot as `npm start` runs it with no TELEGRAM_WEBHOOK_URL: long polling, on the chat app of `db`. */
async function startPolling(
  db: string,
  fake: FakeTelegram,
  options: { clock?: () => Date; sweepMs?: number } = {},
): Promise<{ app: ChatApp; telegram: TelegramBot; close: () => Promise<void> }> {
  const config = loadConfig({ DATABASE_PATH: db, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url });
  expect(config.telegram.webhook).toBeNull();
  const app = await createChatApp(config, logger, {
    snapshot: false,
    processMetrics: false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const telegram = await startTelegram(
    config,
    logger,
    { conversation: app.conversation, directories: app.directories, store: app.store },
    options.sweepMs ? { webhook: { sweepMs: options.sweepMs } } : {},
  );
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await telegram.stop();
    await app.close();
  };
  closers.push(close);
  return { app, telegram, close };
}

const texts = (fake: FakeTelegram) => fake.messages(CHAT).map((m) => m.text);
const greetings = (fake: FakeTelegram) => texts(fake).filter((t) => t.startsWith('Hello Crash!'));

describe('Telegram: long polling after webhook mode', () => {
  it('handles the update a crashed webhook-mode process left in the inbox once, before the chat’s polled updates', async () => {
    const db = join(dir, 'switch.db');
    const fake = await startFakeTelegram({ redeliveryMs: 20 });
    closers.push(() => fake.close());
    await diedAfterStoring(db, fake, 60_000);
    // Sent while the dead process's webhook is still registered: Telegram keeps it for getUpdates.
    fake.userSendsText(CHAT, 'ftp 250', 'private', { firstName: 'Crash' });

    // Restarted in polling mode two minutes later (the dead process's claim has run out).
    const later = () => new Date(Date.now() + 120_000);
    const first = await startPolling(db, fake, { clock: later });
    await fake.waitFor(() => texts(fake).some((t) => /250/.test(t)), 20_000, 'the answer to "ftp 250"');
    expect(fake.webhook()).toBeNull();
    expect(fake.calls('getUpdates')).toBeGreaterThan(0);
    // The inbox's "/start" was answered once, and before the polled "ftp 250" of the same chat.
    expect(greetings(fake)).toHaveLength(1);
    expect(texts(fake)[0]).toMatch(/^Hello Crash!/);
    expect(texts(fake).at(-1)).toMatch(/250/);
    expect(logLines.join('')).toMatch(/"updates":1,.*handling Telegram updates received before this start/);
    // Nothing of the inbox is left unhandled.
    expect(await first.app.store.updates.claimUnhandled('telegram', { claimant: 'test', leaseMs: 1 })).toEqual([]);
    await first.close();

    // A later start (polling again) does not handle it again; the chat carries on.
    const answers = texts(fake).length;
    await startPolling(db, fake, { clock: later });
    fake.userSendsText(CHAT, '/status', 'private', { firstName: 'Crash' });
    await fake.waitFor(() => texts(fake).length > answers, 20_000, 'the answer to /status');
    expect(texts(fake).at(-1)).toMatch(/^Status/);
    expect(greetings(fake)).toHaveLength(1);
  }, 90_000);

  it('takes the update over once its claim runs out, when polling starts while the dead process still held it', async () => {
    const db = join(dir, 'lease.db');
    const fake = await startFakeTelegram({ redeliveryMs: 20 });
    closers.push(() => fake.close());
    await diedAfterStoring(db, fake, 1000);
    // Started at once: the claim holds for up to a second more, then the sweep takes the update.
    await startPolling(db, fake, { sweepMs: 50 });
    await fake.waitFor(() => greetings(fake).length > 0, 20_000, 'the answer to /start');
    fake.userSendsText(CHAT, '/status', 'private', { firstName: 'Crash' });
    await fake.waitFor(() => texts(fake).some((t) => t.startsWith('Status')), 20_000, 'the answer to /status');
    expect(greetings(fake)).toHaveLength(1);
  }, 90_000);
});
