/**
 * A whole session of the real bot process at LOG_LEVEL=trace — onboarding, uploads, an analysis
 * whose model fails (Anthropic answering errors), a question, dropped connections to Telegram —
 * and then every line it logged is searched for the configured token and key: none appear.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fail, startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeTelegram } from '../fakes/fake-telegram.js';
import { ROOT } from '../support/cli.js';
import { recentRides } from '../support/synthetic-files.js';

const TSX = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('secrets never reach the logs', () => {
  it('a full session at trace level logs neither the bot token nor the API key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-secrets-'));
    dirs.push(dir);
    const token = '555555555:AAsecretTELEGRAMtokenPart_0123456789';
    const apiKey = 'sk-ant-api03-SECRETkeyPART-abcdefghijklmnop';
    const telegram = await startFakeTelegram({ token });
    const anthropic = await startFakeAnthropic({ apiKey });
    for (let i = 0; i < 40; i++)
      anthropic.enqueue(fail(500, { type: 'error', error: { type: 'api_error', message: `internal error, key was ${apiKey}` } }));
    const child = spawn(process.execPath, ['--import', TSX, resolve(ROOT, 'bots/main.ts')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_PATH: join(dir, 'bot.db'),
        LOG_LEVEL: 'trace',
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_API_ROOT: telegram.url,
        LLM_PROVIDER: 'anthropic',
        ANTHROPIC_API_KEY: apiKey,
        ANTHROPIC_BASE_URL: anthropic.url,
        LLM_TIMEOUT_MS: '3000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    const exit = new Promise((r) => child.on('exit', r));
    try {
      await telegram.waitFor(() => telegram.commands.length > 0, 60_000, 'the bot to start');
      const user = 7001;
      telegram.userSendsText(user, '/start');
      telegram.userSendsText(user, '250');
      telegram.dropNext('sendMessage');
      telegram.userSendsAlbum(user, recentRides(new Date(), 4, 51));
      await telegram.waitFor(() => telegram.messages(user).some((m) => /new activit/.test(m.text)), 60_000, 'the upload reply');
      telegram.userSendsText(user, '/analyze');
      await telegram.waitFor(() => telegram.documents(user).length >= 3, 120_000, 'the reports');
      telegram.userSendsText(user, 'How fit am I?');
      await telegram.waitFor(() => telegram.messages(user).some((m) => /offline coach answered|CTL/.test(m.text)), 60_000, 'the answer');
      expect(telegram.messages(user).some((m) => /offline coach stood in/.test(m.text))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await exit;
      await telegram.close();
      await anthropic.close();
    }
    expect(logs.length).toBeGreaterThan(1000); // it did log, at trace level
    for (const secret of [token, token.split(':')[1]!, apiKey, 'SECRETkeyPART']) expect(logs).not.toContain(secret);
  }, 240_000);
});
