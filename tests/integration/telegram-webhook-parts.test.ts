/**
 * The parts of Telegram's webhook mode on their own: its configuration (the secret required and
 * checked as Telegram checks it, the HTTP server's port, HTTPS) and the secret kept out of logs.
 * The inbox of updates (store.updates) has its own suite, run on both engines:
 * chat-updates.engines.test.ts.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSecrets, ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const SECRET = 'Abc_123-xyz';
const WEBHOOK = { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/webhook', METRICS_PORT: '8080' };

const configError = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('webhook configuration', () => {
  it('takes the URL and the secret; long polling when no URL is set', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:x' }).telegram.webhook).toBeNull();
    const config = loadConfig({ ...WEBHOOK, TELEGRAM_WEBHOOK_SECRET: SECRET });
    expect(config.telegram.webhook).toEqual({ url: WEBHOOK.TELEGRAM_WEBHOOK_URL, secret: SECRET });
    expect(configSecrets(config)).toContain(SECRET);
    expect(loadConfig({ ...WEBHOOK, TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(256) }).telegram.webhook?.secret).toHaveLength(256);
    // A local Bot API server delivers to plain HTTP too.
    const local = { ...WEBHOOK, TELEGRAM_WEBHOOK_URL: 'http://bot:8080/hook', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' };
    expect(loadConfig({ ...local, TELEGRAM_WEBHOOK_SECRET: SECRET }).telegram.webhook?.url).toBe('http://bot:8080/hook');
  });

  it('refuses a URL without a secret, a secret Telegram would refuse, no port, or plain HTTP to Telegram — without echoing the secret', () => {
    expect(configError(WEBHOOK)).toMatch(/TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL/);
    for (const bad of ['with space', 'a'.repeat(257), 'naïve', 'semi;colon']) {
      const message = configError({ ...WEBHOOK, TELEGRAM_WEBHOOK_SECRET: bad });
      expect(message).toMatch(/TELEGRAM_WEBHOOK_SECRET: must be 1 to 256 characters/);
      expect(message).not.toContain(bad);
    }
    const { METRICS_PORT: _port, ...noPort } = WEBHOOK;
    expect(configError({ ...noPort, TELEGRAM_WEBHOOK_SECRET: SECRET })).toMatch(/METRICS_PORT: required with TELEGRAM_WEBHOOK_URL/);
    expect(configError({ ...WEBHOOK, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_WEBHOOK_URL: 'http://bot.example.org/hook' })).toMatch(
      /TELEGRAM_WEBHOOK_URL: must start with https:\/\//,
    );
    expect(configError({ ...WEBHOOK, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_WEBHOOK_URL: 'not a url' })).toMatch(/TELEGRAM_WEBHOOK_URL/);
  });

  it('keeps the secret out of the logs, by key and by value', () => {
    const lines: string[] = [];
    const config = loadConfig({ ...WEBHOOK, TELEGRAM_WEBHOOK_SECRET: 'the-webhook-secret-value' });
    const logger = createLogger('info', new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }), {
      secrets: configSecrets(config),
    });
    logger.info({ payload: { secret_token: 'the-webhook-secret-value' }, TELEGRAM_WEBHOOK_SECRET: 'the-webhook-secret-value' }, 'set');
    logger.error({ err: new Error('refused the-webhook-secret-value') }, 'failed');
    expect(lines.join('')).not.toContain('the-webhook-secret-value');
    expect(lines.join('')).toContain('[redacted]');
  });
});
