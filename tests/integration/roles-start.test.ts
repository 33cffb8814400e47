/**
 * `npm start -- --role …` (bots/main.ts) as a process: a role that does not exist, or a split role
 * without DATABASE_URL, is one clear line and exit 1. On a real PostgreSQL with the fake Bot API:
 * a worker never touches Telegram's updates (no getUpdates, no webhook, no setMyCommands), serves
 * only /healthz and /metrics, says its role, and stops cleanly on SIGTERM; an ingress answers an
 * athlete as `npm start` does and stops cleanly too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js';
import { startMain, type MainProcess } from '../support/main-process.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';

/** Until the process logs `line`; fails with its logs if it exits first. */
async function waitForLine(child: MainProcess, line: RegExp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null | undefined;
  void child.exit.then((code) => (exited = code));
  while (!line.test(child.stderr())) {
    if (exited !== undefined || Date.now() > deadline)
      throw new Error(`${exited !== undefined ? `exited ${exited}` : 'timed out'} before logging ${line}:\n${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('npm start --role (bots/main.ts)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-roles-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a role that does not exist is one clear line and exit 1', async () => {
    const child = startMain(dir, { DATABASE_PATH: join(dir, 'none.db'), TELEGRAM_BOT_TOKEN: '123:never-used' }, ['--role', 'nonsense']);
    expect(await child.exit).toBe(1);
    expect(child.stderr()).toBe('domestique: --role must be all, ingress or worker, not "nonsense"\n');
  }, 60_000);

  it('--role with no value is one clear line and exit 1', async () => {
    const child = startMain(dir, { DATABASE_PATH: join(dir, 'none.db'), TELEGRAM_BOT_TOKEN: '123:never-used' }, ['--role']);
    expect(await child.exit).toBe(1);
    expect(child.stderr()).toBe('domestique: --role needs a value: all, ingress or worker\n');
  }, 60_000);

  it.each(['worker', 'ingress'])(
    '--role %s without DATABASE_URL says it needs PostgreSQL and exits 1',
    async (role) => {
      const child = startMain(dir, { DATABASE_PATH: join(dir, 'none.db'), TELEGRAM_BOT_TOKEN: '123:never-used' }, [`--role=${role}`]);
      expect(await child.exit).toBe(1);
      expect(child.stderr()).toBe(`domestique: --role ${role} needs DATABASE_URL (PostgreSQL): the roles share their work through it\n`);
    },
    60_000,
  );

  it('--role worker with DATABASE_URL pointing at no server says the job queue could not be started — without the password — and exits 1', async () => {
    const password = 'pgPassNeverPrinted_44';
    const child = startMain(
      dir,
      {
        DATABASE_URL: `postgres://coach:${password}@127.0.0.1:1/domestique`,
        TELEGRAM_BOT_TOKEN: '123:never-used',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:1',
      },
      ['--role', 'worker'],
    );
    expect(await child.exit).toBe(1);
    const logs = child.stderr();
    expect(logs).toMatch(/the job queue could not be started: .*ECONNREFUSED/);
    expect(logs).toContain('postgres://coach:***@127.0.0.1:1/domestique');
    expect(logs).not.toContain(password);
  }, 60_000);

  describe.skipIf(!postgresAvailable())('on PostgreSQL, with the fake Bot API', () => {
    let server: TestPostgres;
    let fake: FakeTelegram;
    beforeAll(async () => {
      server = await startPostgres();
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    const environment = async (extra: Record<string, string> = {}): Promise<Record<string, string>> => {
      fake = await startFakeTelegram();
      return {
        DATABASE_URL: await server.freshDatabase(),
        DATABASE_PATH: join(dir, 'not-used.db'),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.url,
        ...extra,
      };
    };

    it('a worker never reads Telegram updates, serves only /healthz and /metrics, says its role, and exits 0 on SIGTERM', async () => {
      const port = await freePort();
      const child = startMain(dir, await environment({ METRICS_PORT: String(port) }), ['--role', 'worker']);
      try {
        await waitForLine(child, /domestique is running as a worker/);
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
        // The ingress serves the sync endpoints; here they are unknown.
        expect((await fetch(`http://127.0.0.1:${port}/oauth/strava/callback`)).status).toBe(404);
        // An update waiting at Telegram stays there: the worker is no bot.
        fake.userSendsText(4242, '/help');
        await new Promise((r) => setTimeout(r, 1500));
        child.kill('SIGTERM');
        expect(await child.exit).toBe(0);
        for (const method of ['getUpdates', 'setWebhook', 'deleteWebhook', 'setMyCommands', 'getMe']) expect(fake.calls(method)).toBe(0);
        expect(fake.pendingUpdates()).toBe(1);
        expect(fake.messages(4242)).toEqual([]);
        const logs = child.stderr();
        expect(logs).toMatch(/"role":"worker"/);
        expect(logs).toMatch(/shutting down/);
        expect(logs).not.toContain(fake.token);
      } finally {
        child.kill('SIGKILL');
        await fake.close();
      }
    }, 120_000);

    it('an ingress answers /help through the Bot API, says its role, and exits 0 on SIGTERM', async () => {
      const child = startMain(dir, await environment(), ['--role', 'ingress']);
      try {
        await waitForLine(child, /domestique is running as the ingress/);
        fake.userSendsText(4343, '/help');
        await fake.waitFor(() => fake.messages(4343).length > 0, 60_000, 'the answer to /help');
        expect(fake.messages(4343)[0]!.text).toMatch(/^domestique — your cycling coach\n/);
        child.kill('SIGTERM');
        expect(await child.exit).toBe(0);
        const logs = child.stderr();
        expect(logs).toMatch(/"role":"ingress","bots":\["Telegram"\]/);
        expect(logs).toMatch(/Telegram bot stopped/);
        expect(logs).not.toContain(fake.token);
        expect(fake.pendingUpdates()).toBe(0);
      } finally {
        child.kill('SIGKILL');
        await fake.close();
      }
    }, 120_000);
  });
});
