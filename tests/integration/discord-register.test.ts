/**
 * `npm run discord:register` (bots/discord-register.ts) as a process against the fake Discord: it
 * registers the slash commands for one server with `--guild`, says so, and without the variables
 * it needs names them and exits 2.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_COMMANDS } from '../../bots/discord/commands.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { ROOT } from '../support/cli.js';

const ENTRY = resolve(ROOT, 'bots/discord-register.ts');
const TSX = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** Runs the entry in an empty folder (so no .env is read) with exactly this environment. */
async function register(cwd: string, env: Record<string, string>, ...args: string[]) {
  return promisify(execFile)(process.execPath, ['--import', TSX, ENTRY, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('npm run discord:register (bots/discord-register.ts)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-register-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('registers the slash commands for one server and lists them', async () => {
    const fake = await FakeDiscord.start();
    try {
      const guildId = '990000000000000002';
      const result = await register(
        dir,
        {
          DATABASE_PATH: join(dir, 'r.db'),
          DISCORD_TOKEN: fake.token,
          DISCORD_APPLICATION_ID: fake.applicationId,
          DISCORD_API_BASE: fake.baseUrl,
        },
        '--guild',
        guildId,
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        `Registered ${DISCORD_COMMANDS.length} commands for server ${guildId}: ${DISCORD_COMMANDS.map((c) => `/${c.name}`).join(' ')}\n`,
      );
      expect(fake.registered.guilds.get(guildId)).toEqual(JSON.parse(JSON.stringify(DISCORD_COMMANDS)));
      expect(fake.registered.global).toBeNull();
    } finally {
      await fake.close();
    }
  }, 60_000);

  it('the command line keeps `discord:register` and runs the same entry', async () => {
    const fake = await FakeDiscord.start();
    try {
      const cli = await promisify(execFile)(process.execPath, ['--import', TSX, resolve(ROOT, 'src/cli.ts'), 'discord:register'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_PATH: join(dir, 'r.db'),
          DISCORD_TOKEN: fake.token,
          DISCORD_APPLICATION_ID: fake.applicationId,
          DISCORD_API_BASE: fake.baseUrl,
        },
      });
      expect(cli.stdout).toMatch(new RegExp(`^Registered ${DISCORD_COMMANDS.length} commands globally: /`));
      expect(fake.registered.global).toEqual(JSON.parse(JSON.stringify(DISCORD_COMMANDS)));
      const missing = await register(dir, { DATABASE_PATH: join(dir, 'r.db') });
      const viaCli = await promisify(execFile)(process.execPath, ['--import', TSX, resolve(ROOT, 'src/cli.ts'), 'discord:register'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'r.db') },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      expect(viaCli).toEqual({ code: missing.code, stderr: missing.stderr });
    } finally {
      await fake.close();
    }
  }, 90_000);

  it('without DISCORD_TOKEN and DISCORD_APPLICATION_ID, names them and exits 2', async () => {
    const result = await register(dir, { DATABASE_PATH: join(dir, 'r.db') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/set DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
  }, 60_000);
});
