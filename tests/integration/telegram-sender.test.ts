/**
 * The worker role's send-only Telegram directory (`telegramDirectory`, bots/telegram/main.ts)
 * against the fake Bot API: it reaches `telegram:<id>` chats through the bot's API without ever
 * asking for updates (no getMe, getUpdates, webhook or commands), retries Telegram's 429s, keeps
 * the token out of its errors and logs, and cancels what is in flight when closed.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramDirectory } from '../../bots/telegram/main.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js';

describe('the send-only Telegram directory', () => {
  let fake: FakeTelegram;
  const logLines: string[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
  const directoryOf = (env: Record<string, string>) => telegramDirectory(loadConfig({ DATABASE_PATH: ':memory:', ...env }), logger);

  beforeEach(async () => {
    fake = await startFakeTelegram();
    logLines.length = 0;
  });
  afterEach(async () => {
    await fake.close();
  });

  it('is null without TELEGRAM_BOT_TOKEN', () => {
    expect(directoryOf({})).toBeNull();
  });

  it("opens a Telegram athlete's private chat and posts there, without ever asking for updates", async () => {
    const directory = directoryOf({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url })!;
    try {
      expect(directory.open('discord:1234')).toBeNull();
      expect(directory.open('telegram:not-a-number')).toBeNull();
      fake.userSendsText(4242, 'hello'); // the chat exists once the athlete has written (never read here)
      const thread = directory.open('telegram:4242')!;
      expect(thread.athleteKey).toBe('telegram:4242');
      const ref = await thread.post({ text: 'Your analysis is ready' });
      await thread.edit(ref, { text: 'Your analysis is ready — edited' });
      expect(fake.messages(4242).map((m) => m.text)).toEqual(['Your analysis is ready — edited']);
      for (const method of ['getMe', 'getUpdates', 'setWebhook', 'deleteWebhook', 'setMyCommands']) expect(fake.calls(method)).toBe(0);
    } finally {
      directory.close();
    }
  });

  it("waits out Telegram's 429 and sends; a refusal carries no token, in the error or the logs", async () => {
    const directory = directoryOf({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url })!;
    try {
      for (const id of [4343, 4444]) fake.userSendsText(id, 'hello');
      fake.failNext('sendMessage', { errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
      await directory.open('telegram:4343')!.post({ text: 'after the wait' });
      expect(fake.messages(4343).map((m) => m.text)).toEqual(['after the wait']);

      fake.failNext('sendMessage', { errorCode: 400, description: `Bad Request: chat not found (bot${fake.token})` });
      const error = await directory
        .open('telegram:4444')!
        .post({ text: 'refused' })
        .then(
          () => null,
          (e: unknown) => e as Error,
        );
      expect(error).toBeInstanceOf(Error);
      expect(String(error?.message)).not.toContain(fake.token);
      expect(logLines.join('')).not.toContain(fake.token);
    } finally {
      directory.close();
    }
  });

  it('close() cancels a send waiting out a 429', async () => {
    const directory = directoryOf({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url })!;
    fake.userSendsText(4545, 'hello');
    fake.failNext('sendMessage', { errorCode: 429, description: 'Too Many Requests: retry after 30', retryAfter: 30 });
    const sending = directory.open('telegram:4545')!.post({ text: 'never sent' });
    const outcome = sending.then(
      () => 'sent',
      () => 'cancelled',
    );
    await fake.waitFor(() => fake.calls('sendMessage') > 0, 5_000, 'the first sendMessage');
    const started = Date.now();
    directory.close();
    expect(await outcome).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.calls('sendMessage')).toBe(1); // the 429, and no retry after it
    expect(fake.messages(4545)).toEqual([]);
  });
});
