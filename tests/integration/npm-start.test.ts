/**
 * `npm start` (bots/main.ts) as a process: without a token it says what to set and fails; with
 * TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT pointing at the fake Bot API, or DISCORD_TOKEN and
 * DISCORD_API_BASE pointing at the fake Discord, it serves athletes until SIGTERM, then exits
 * cleanly — and its logs never hold the token. With DATABASE_URL set it runs on that PostgreSQL
 * database (or says it cannot reach it and exits 1), never printing the URL's password.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, renderedText } from '../fakes/fake-discord.js';
import { startFakeTelegram } from '../fakes/fake-telegram.js';
import { startMain } from '../support/main-process.js';
import { postgresAvailable, startPostgres } from '../support/postgres.js';
import { Store } from '../../src/store/store.js';

describe('npm start (bots/main.ts)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-main-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without a bot token, names the variables to set and exits non-zero', async () => {
    const child = startMain(dir, { DATABASE_PATH: join(dir, 'none.db') });
    expect(await child.exit).toBe(1);
    expect(child.stderr()).toMatch(/No chat bot to start/);
    expect(child.stderr()).toMatch(/TELEGRAM_BOT_TOKEN/);
    expect(child.stderr()).toMatch(/DISCORD_TOKEN/);
  }, 60_000);

  it('with a token Telegram refuses, says which variable to check — without printing the token — and exits non-zero', async () => {
    const fake = await startFakeTelegram();
    const wrong = '987654321:AAWrongTokenNeverToBePrinted_xyz';
    try {
      const child = startMain(dir, { DATABASE_PATH: join(dir, 'refused.db'), TELEGRAM_BOT_TOKEN: wrong, TELEGRAM_API_ROOT: fake.url });
      expect(await child.exit).toBe(1);
      expect(child.stderr()).toMatch(/the platform refused the token — check TELEGRAM_BOT_TOKEN/);
      expect(child.stderr()).not.toContain(wrong);
      expect(child.stderr()).not.toContain(wrong.split(':')[1]!);
    } finally {
      await fake.close();
    }
  }, 60_000);

  it('with a Telegram token, answers athletes through the Bot API until SIGTERM, then exits 0', async () => {
    const fake = await startFakeTelegram();
    try {
      const child = startMain(dir, {
        DATABASE_PATH: join(dir, 'bot.db'),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.url,
        LOG_LEVEL: 'debug',
      });
      await fake.waitFor(() => fake.commands.length > 0, 60_000, 'setMyCommands');
      fake.userSendsText(4242, '/help');
      await fake.waitFor(() => fake.messages(4242).length > 0, 60_000, 'the answer to /help');
      expect(fake.messages(4242)[0]!.text).toMatch(/^domestique — your cycling coach\n/);
      child.kill('SIGTERM');
      expect(await child.exit).toBe(0);
      const logs = child.stderr();
      expect(logs).toMatch(/Telegram bot started/);
      expect(logs).toMatch(/Telegram bot stopped/);
      expect(logs).not.toContain(fake.token);
      // The handled update was confirmed on the way out: a next start would not answer it again.
      expect(fake.pendingUpdates()).toBe(0);
    } finally {
      await fake.close();
    }
  }, 90_000);

  it.skipIf(!postgresAvailable())(
    'with DATABASE_URL set, runs on that PostgreSQL database — the athlete is stored there, not in DATABASE_PATH — and never prints the password',
    async () => {
      const fake = await startFakeTelegram();
      const server = await startPostgres();
      const password = 'pgPassNeverPrinted_42';
      // trust authentication on loopback takes any password: the point is that it is never printed
      const url = (await server.freshDatabase()).replace('domestique@', `domestique:${password}@`);
      const database = join(dir, 'not-used.db');
      try {
        const child = startMain(dir, {
          DATABASE_PATH: database,
          DATABASE_URL: url,
          TELEGRAM_BOT_TOKEN: fake.token,
          TELEGRAM_API_ROOT: fake.url,
        });
        await fake.waitFor(() => fake.commands.length > 0, 60_000, 'setMyCommands');
        fake.userSendsText(4343, 'my FTP is 262 W');
        await fake.waitFor(() => fake.messages(4343).length > 0, 60_000, 'the answer to the FTP');
        child.kill('SIGTERM');
        expect(await child.exit).toBe(0);
        const logs = child.stderr();
        expect(logs).toContain('the store is PostgreSQL postgres://domestique:***@127.0.0.1:');
        expect(logs).not.toContain(password);
        expect(existsSync(database)).toBe(false);
        const store = await Store.open(url);
        try {
          const athlete = await store.findByIdentity('telegram:4343');
          expect(athlete).not.toBeNull();
          expect((await store.athlete(athlete!.id).currentProfile())?.ftp).toBe(262);
        } finally {
          await store.close();
        }
      } finally {
        await fake.close();
        await server.stop();
      }
    },
    90_000,
  );

  it('with DATABASE_URL pointing at no server, says the store could not be opened — without the password — and exits 1', async () => {
    const password = 'pgPassNeverPrinted_43';
    const child = startMain(dir, {
      DATABASE_URL: `postgres://coach:${password}@127.0.0.1:1/domestique`,
      TELEGRAM_BOT_TOKEN: '123:never-used',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:1',
    });
    expect(await child.exit).toBe(1);
    const logs = child.stderr();
    expect(logs).toMatch(/the store could not be opened: .*ECONNREFUSED/);
    expect(logs).toContain('postgres://coach:***@127.0.0.1:1/domestique');
    expect(logs).not.toContain(password);
  }, 60_000);

  it('with a Discord token and DISCORD_API_BASE, answers slash commands through the fake Discord until SIGTERM, then exits 0', async () => {
    const fake = await FakeDiscord.start();
    try {
      const child = startMain(dir, {
        DATABASE_PATH: join(dir, 'discord.db'),
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_BASE: fake.baseUrl,
        LOG_LEVEL: 'debug',
      });
      await fake.waitFor(
        () => fake.requests.some((r) => r.route === 'GET /gateway/bot') && fake.connected,
        60_000,
        'the gateway connection',
      );
      const user = '777000111222333444';
      fake.slash(user, 'help');
      const answer = await fake.waitFor(
        () =>
          fake
            .messagesFor(user)
            .map((m) => renderedText(m.content))
            .find((t) => /domestique — your cycling coach/.test(t)),
        60_000,
        'the answer to /help',
      );
      expect(answer).toMatch(/\/analyze/);
      child.kill('SIGTERM');
      expect(await child.exit).toBe(0);
      const logs = child.stderr();
      expect(logs).toMatch(/"bots":\["Discord"\].*domestique is running/);
      expect(logs).not.toContain(fake.token);
    } finally {
      await fake.close();
    }
  }, 90_000);
});
