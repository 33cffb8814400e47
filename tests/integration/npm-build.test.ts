/**
 * The production build: `npm start` (scripts/start.mjs) compiles src/ and bots/ to dist/ when dist/ is
 * missing or stale, then runs dist/bots/main.js with plain Node — no tsx loader — and serves an
 * athlete end to end: /help, and a FIT upload that goes through the ingest worker pool (whose worker
 * file is the compiled .js under dist/).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram } from '../fakes/fake-telegram.js';
import { ROOT } from '../support/cli.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';

const START = resolve(ROOT, 'scripts/start.mjs');
const BUILT_MAIN = resolve(ROOT, 'dist/bots/main.js');
const STAMP = resolve(ROOT, 'dist/.built');

function startBuilt(cwd: string, env: Record<string, string>, args: string[] = []) {
  // Only PATH and the variables given: no NODE_OPTIONS, so no tsx loader can sneak in.
  const child = spawn(process.execPath, [START, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  child.stdout.on('data', () => undefined);
  return {
    exit: new Promise<number | null>((r) => child.on('exit', (code) => r(code))),
    stderr: () => err,
    kill: (signal: NodeJS.Signals) => child.kill(signal),
  };
}

describe('npm run build / npm start (built JavaScript)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-built-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds dist/ when it is missing or stale, then runs it; a second start does not rebuild', async () => {
    const first = startBuilt(dir, { DATABASE_PATH: join(dir, 'none.db') });
    expect(await first.exit).toBe(1);
    expect(first.stderr()).toMatch(/No chat bot to start/);
    expect(existsSync(BUILT_MAIN)).toBe(true);
    const builtAt = statSync(STAMP).mtimeMs;

    const second = startBuilt(dir, { DATABASE_PATH: join(dir, 'none.db') });
    expect(await second.exit).toBe(1);
    expect(second.stderr()).not.toMatch(/building dist/);
    expect(second.stderr()).toMatch(/No chat bot to start/);
    expect(statSync(STAMP).mtimeMs).toBe(builtAt);
  }, 240_000);

  it('passes its arguments on to the bots (`npm start -- --role …`)', async () => {
    const child = startBuilt(dir, { DATABASE_PATH: join(dir, 'none.db') }, ['--role', 'nonsense']);
    expect(await child.exit).toBe(1);
    expect(child.stderr()).toMatch(/--role must be all, ingress or worker, not "nonsense"/);
  }, 240_000);

  it('the built bot answers /help and stores an uploaded FIT ride through its worker pool', async () => {
    const fake = await startFakeTelegram();
    try {
      const child = startBuilt(dir, {
        DATABASE_PATH: join(dir, 'bot.db'),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.url,
        LOG_LEVEL: 'info',
      });
      await fake.waitFor(() => fake.commands.length > 0, 240_000, 'setMyCommands');
      fake.userSendsText(4343, '/help');
      await fake.waitFor(() => fake.messages(4343).length > 0, 60_000, 'the answer to /help');
      expect(fake.messages(4343)[0]!.text).toMatch(/^domestique — your cycling coach\n/);

      fake.userSendsDocument(4343, 'tuesday.fit', syntheticRideBytes(7, new Date(Date.now() - 2 * 86_400_000), 60));
      const stored = await fake.waitFor(
        () =>
          fake
            .messages(4343)
            .map((m) => m.text ?? '')
            .find((t) => /new activity stored|could not be read/.test(t)),
        120_000,
        'the upload summary',
      );
      expect(stored).toMatch(/^1 new activity stored/);
      child.kill('SIGTERM');
      expect(await child.exit).toBe(0);
      expect(child.stderr()).not.toContain(fake.token);
    } finally {
      await fake.close();
    }
  }, 300_000);
});
