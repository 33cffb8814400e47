/**
 * Telegram's error descriptions can echo the bot token (a proxy or a local Bot API server that
 * quotes the request URL `…/bot<token>/getMe`). Every path that carries such a text — the start
 * (getMe) error handed to the caller and logged by `npm start`, a failed send thrown to the
 * conversation, the logs — has the token scrubbed, and the start failure still says what is wrong.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { GrammyError } from 'grammy';
import { afterAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../bots/telegram/telegram-adapter.js';
import { DeliveryError } from '../../src/conversation/port.js';
import { createLogger } from '../../src/logger.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js';
import { ROOT } from '../support/cli.js';

const TSX = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const TOKEN = '987654321:AAechoedTOKENsecretPart_abcdefghijk';
const SECRET_PART = TOKEN.split(':')[1]!;
const FORMS = [TOKEN, SECRET_PART, encodeURIComponent(TOKEN)];

/** A description that quotes the token every way a server might. */
const echoing = (what: string) =>
  `${what}: token ${TOKEN} refused (POST /bot${TOKEN}/getMe, secret ${SECRET_PART}, encoded ${encodeURIComponent(TOKEN)})`;

const dirs: string[] = [];
const fakes: FakeTelegram[] = [];
afterAll(async () => {
  for (const fake of fakes) await fake.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function expectNoToken(text: string): void {
  for (const form of FORMS) expect(text).not.toContain(form);
}

function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger('trace', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
  return { logger, text: () => lines.join('') };
}

async function fakeTelegram(): Promise<FakeTelegram> {
  const fake = await startFakeTelegram({ token: TOKEN });
  fakes.push(fake);
  return fake;
}

describe('the Telegram token in error texts', () => {
  it('a getMe refusal that echoes the token: start() rejects with a clear 401 and no token, and nothing logged holds it', async () => {
    const fake = await fakeTelegram();
    fake.failNext('getMe', { errorCode: 401, description: echoing('Unauthorized') });
    const log = capturedLogger();
    const telegram = createTelegramBot({
      token: TOKEN,
      apiRoot: fake.url,
      conversation: { handle: async () => undefined },
      logger: log.logger,
    });
    const error = await telegram.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(fake.calls('getMe')).toBe(1);
    expect(error).toBeInstanceOf(GrammyError);
    const grammyError = error as GrammyError;
    expect(grammyError.error_code).toBe(401);
    expect(grammyError.method).toBe('getMe');
    expect(grammyError.message).toMatch(/getMe.*401: Unauthorized: token \[token\] refused \(POST \/bot\[token\]\/getMe/);
    expectNoToken(grammyError.message);
    expectNoToken(grammyError.description);
    expectNoToken(grammyError.stack ?? '');
    expectNoToken(JSON.stringify(grammyError));
    expectNoToken(log.text());
  });

  it('a failed send whose description echoes the token reaches the conversation without it (also as a DeliveryError)', async () => {
    const fake = await fakeTelegram();
    const log = capturedLogger();
    const telegram = createTelegramBot({
      token: TOKEN,
      apiRoot: fake.url,
      conversation: { handle: async () => undefined },
      logger: log.logger,
    });
    const thread = telegram.open('telegram:4242')!;
    fake.failNext('sendMessage', { errorCode: 400, description: echoing('Bad Request: something odd') });
    const failed = (await thread.post({ text: 'hello' }).catch((e: unknown) => e)) as GrammyError;
    expect(failed).toBeInstanceOf(GrammyError);
    expect(failed.description).toMatch(/^Bad Request: something odd: token \[token\]/);
    expectNoToken(`${failed.message} ${failed.description} ${failed.stack}`);
    fake.failNext('sendMessage', { errorCode: 403, description: echoing('Forbidden: bot was blocked by the user') });
    const blocked = await thread.post({ text: 'hello' }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(DeliveryError);
    expect((blocked as Error).message).toMatch(/^Telegram: Forbidden: bot was blocked by the user/);
    expectNoToken(`${(blocked as Error).message} ${(blocked as Error).stack}`);
    fake.failNext('getUpdates', { errorCode: 400, description: echoing('Bad Request: wrong offset') });
    await telegram.bot.api.getUpdates({ timeout: 0 }).catch(() => undefined);
    expect(log.text()).toMatch(/Telegram refused getUpdates/);
    expectNoToken(log.text());
  });

  it('npm start: a getMe refusal that echoes the token is reported as a refused token, exit 1, token nowhere in the output', async () => {
    const fake = await fakeTelegram();
    fake.failNext('getMe', { errorCode: 401, description: echoing('Unauthorized') });
    const dir = mkdtempSync(join(tmpdir(), 'domestique-token-'));
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', TSX, resolve(ROOT, 'bots/main.ts')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_PATH: join(dir, 'bot.db'),
        LOG_LEVEL: 'trace',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.url,
        LLM_PROVIDER: 'offline',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(fake.calls('getMe')).toBe(1);
    expect(output).toMatch(/the Telegram bot could not start: the platform refused the token — check TELEGRAM_BOT_TOKEN/);
    expect(output).toMatch(/401: Unauthorized: token \[token\] refused/);
    expectNoToken(output);
  }, 120_000);
});
