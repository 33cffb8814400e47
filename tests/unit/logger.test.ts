import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSecrets } from '../../src/config.js';
import { createLogger, errorSerializer } from '../../src/logger.js';

const TOKEN = '123456789:AAsecretTokenPart_abcdefghij';
const API_KEY = 'sk-ant-api03-SECRETkey-0123456789';

function capture(secrets?: string[]) {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
  const logger = createLogger('trace', sink, secrets ? { secrets } : {});
  return { logger, text: () => lines.join(''), entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

class HttpFailure extends Error {
  override name = 'HttpFailure';
  constructor(
    message: string,
    readonly url: string,
    readonly status: number,
    readonly requestBody: unknown,
  ) {
    super(message);
  }
}

describe('logging errors under err', () => {
  it('keeps the type, message and stack of an Error', () => {
    const log = capture();
    const error = new TypeError('the wheel came off');
    log.logger.warn({ err: error, athleteKey: 'telegram:1' }, 'it failed');
    const [entry] = log.entries();
    expect(entry).toMatchObject({ msg: 'it failed', athleteKey: 'telegram:1', err: { type: 'TypeError', message: 'the wheel came off' } });
    expect((entry!.err as { stack: string }).stack).toBe(error.stack);
    expect((entry!.err as { stack: string }).stack).toContain('logger.test.ts');
  });

  it('keeps code and status but not a url or request body holding a token', () => {
    const log = capture();
    const error = Object.assign(
      new HttpFailure('Unauthorized', `https://api.telegram.org/bot${TOKEN}/getMe`, 401, { token: TOKEN, text: `bot${TOKEN}` }),
      { code: 'E_AUTH' },
    );
    log.logger.error({ err: error }, 'request failed');
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain('AAsecretTokenPart');
    expect(log.entries()[0]!.err).toEqual({
      type: 'HttpFailure',
      message: 'Unauthorized',
      stack: error.stack,
      code: 'E_AUTH',
      status: 401,
    });
  });

  it('keeps the cause chain, with the same fields', () => {
    const log = capture();
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED', address: '127.0.0.1' });
    const middle = new Error('fetch failed', { cause: root });
    const top = new RangeError('could not download', { cause: middle });
    log.logger.warn({ err: top }, 'download failed');
    const err = log.entries()[0]!.err as Record<string, unknown>;
    expect(err).toMatchObject({
      type: 'RangeError',
      message: 'could not download',
      cause: { type: 'Error', message: 'fetch failed', cause: { message: 'connect ECONNREFUSED 127.0.0.1:443', code: 'ECONNREFUSED' } },
    });
    expect(((err.cause as Record<string, unknown>).cause as Record<string, unknown>).stack).toBe(root.stack);
    expect(JSON.stringify(err)).not.toContain('address');
  });

  it('a cyclic cause does not loop', () => {
    const log = capture();
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    log.logger.warn({ err: a }, 'cycle');
    expect(log.entries()[0]!.err).toMatchObject({ message: 'a', cause: { message: 'b' } });
  });

  it('cuts the configured secrets out of messages, stacks and causes', () => {
    const log = capture(
      configSecrets({
        telegram: { token: TOKEN, apiRoot: null, maxDownloadBytes: 1 },
        discord: { token: null, applicationId: null, apiBase: null },
        llm: { anthropicApiKey: API_KEY } as never,
      }),
    );
    const cause = new Error(`request to https://api.telegram.org/bot${encodeURIComponent(TOKEN)}/getMe failed`);
    log.logger.error({ err: new Error(`key was ${API_KEY}; secret part ${TOKEN.split(':')[1]!}`, { cause }) }, 'boom');
    log.logger.error({ err: 'a thrown string with the key: ' + API_KEY }, 'string');
    const text = log.text();
    for (const secret of [TOKEN, encodeURIComponent(TOKEN), TOKEN.split(':')[1]!, API_KEY]) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(log.entries()[0]!.err).toMatchObject({
      message: 'key was [redacted]; secret part [redacted]',
      cause: { message: 'request to https://api.telegram.org/bot[redacted]/getMe failed' },
    });
  });

  it('cuts credentials out of URLs', () => {
    expect(errorSerializer()(new Error('GET http://user:hunter2@ollama:11434/api failed'))).toMatchObject({
      message: 'GET http://[redacted]@ollama:11434/api failed',
    });
  });

  it('an already serialized error logs the same (the Discord bot pre-serializes with its token)', () => {
    const log = capture([API_KEY]);
    const error = new SyntaxError(`bad ${TOKEN} and ${API_KEY}`);
    const serialized = errorSerializer([TOKEN])(error);
    log.logger.warn({ err: serialized }, 'pre-serialized');
    expect(log.entries()[0]!.err).toMatchObject({ type: 'SyntaxError', message: 'bad [redacted] and [redacted]' });
  });
});
