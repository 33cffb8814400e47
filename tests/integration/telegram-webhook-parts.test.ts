/**
 * The parts of Telegram's webhook mode on their own: its configuration (the secret required and
 * checked as Telegram checks it, the HTTP server's port, HTTPS), the secret kept out of logs, and
 * the inbox (store.updates) on one SQLite file opened twice, as two processes would: redeliveries
 * recognised, claims under a lease that another process takes over only once expired, released
 * claims taken at once, handled updates without their payload, pruned after a while.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSecrets, ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { Store } from '../../src/store/store.js';

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

describe('the inbox of updates (store.updates)', () => {
  let dir: string;
  let now = new Date('2026-12-01T10:00:00Z');
  const clock = () => now;
  const later = (ms: number) => (now = new Date(now.getTime() + ms));
  const stores: Store[] = [];
  const open = (name: string) => {
    const store = Store.open(join(dir, name), { clock });
    stores.push(store);
    return store.updates;
  };
  const A = { claimant: 'process-a', leaseMs: 60_000 };
  const B = { claimant: 'process-b', leaseMs: 60_000 };
  const payload = (id: number) => JSON.stringify({ update_id: id, message: { text: `m${id}` } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-inbox-'));
  });
  afterAll(() => {
    for (const store of stores) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recognises a redelivery, in any state; each transport has its own ids', async () => {
    const inbox = open('dedupe.db');
    expect(await inbox.receive('telegram', 1, payload(1), A)).toBe(true);
    expect(await inbox.receive('telegram', 1, payload(1), A)).toBe(false);
    expect(await inbox.receive('telegram', 1, payload(1), null)).toBe(false);
    expect(await inbox.markHandled('telegram', 1, A.claimant)).toBe(true);
    expect(await inbox.receive('telegram', 1, payload(1), A)).toBe(false);
    expect(await inbox.receive('other', 1, payload(1), null)).toBe(true);
  });

  it('claims under a lease: another process takes an update over only once the claim expired; the first then cannot complete it', async () => {
    const a = open('lease.db');
    const b = open('lease.db');
    await a.receive('telegram', 10, payload(10), A);
    await a.receive('telegram', 11, payload(11), null);
    await a.receive('telegram', 12, payload(12), A);
    // B takes the unclaimed one only; A, starting again as itself, takes its own too.
    expect((await b.claimUnhandled('telegram', B)).map((u) => u.updateId)).toEqual([11]);
    expect(await b.markHandled('telegram', 11, B.claimant)).toBe(true);
    expect(await b.claimUnhandled('telegram', B)).toEqual([]);
    const own = await a.claimUnhandled('telegram', A, { own: true });
    expect(own.map((u) => u.updateId)).toEqual([10, 12]);
    expect(own[0]).toMatchObject({ payload: { update_id: 10, message: { text: 'm10' } }, receivedAt: now });
    // A keeps 12 alive; 10's claim runs out.
    later(40_000);
    await a.renew('telegram', [12], A);
    later(30_000);
    expect((await b.claimUnhandled('telegram', B)).map((u) => u.updateId)).toEqual([10]);
    expect(await a.markHandled('telegram', 10, A.claimant)).toBe(false);
    expect(await b.markHandled('telegram', 10, B.claimant)).toBe(true);
    expect(await b.markHandled('telegram', 10, B.claimant)).toBe(false);
    // A clean stop gives its claims back: taken at once.
    expect(await a.release('telegram', A.claimant)).toBe(1);
    expect((await b.claimUnhandled('telegram', B)).map((u) => u.updateId)).toEqual([12]);
    await b.markHandled('telegram', 12, B.claimant);
    expect(await a.claimUnhandled('telegram', A, { own: true })).toEqual([]);
  });

  it('two processes claiming at once never take the same update', async () => {
    const a = open('race.db');
    const b = open('race.db');
    for (let id = 100; id < 300; id++) await a.receive('telegram', id, payload(id), null);
    const [first, second] = await Promise.all([
      a.claimUnhandled('telegram', A, { limit: 120 }),
      b.claimUnhandled('telegram', B, { limit: 120 }),
    ]);
    const ids = [...first, ...second].map((u) => u.updateId);
    expect(new Set(ids).size).toBe(200);
    expect(ids.length).toBe(200);
  });

  it('drops the payload once handled, and prunes handled updates older than asked (never unhandled ones)', async () => {
    const inbox = open('prune.db');
    await inbox.receive('telegram', 1, payload(1), A);
    await inbox.receive('telegram', 2, payload(2), A);
    await inbox.markHandled('telegram', 1, A.claimant);
    later(8 * 24 * 3_600_000);
    await inbox.receive('telegram', 3, payload(3), A);
    await inbox.markHandled('telegram', 3, A.claimant);
    const store = stores.at(-1)!;
    const rows = () =>
      store.db.all<{ update_id: number; dropped: number }>(
        'select update_id, payload is null as dropped from chat_updates order by update_id',
      );
    expect(rows()).toEqual([
      { update_id: 1, dropped: 1 },
      { update_id: 2, dropped: 0 },
      { update_id: 3, dropped: 1 },
    ]);
    expect(await inbox.prune(new Date(now.getTime() - 7 * 24 * 3_600_000))).toBe(1);
    expect(rows().map((r) => r.update_id)).toEqual([2, 3]);
    // The one pruned is forgotten: delivered again, it would be new (Telegram keeps updates for 24 hours only).
    expect(await inbox.receive('telegram', 3, payload(3), A)).toBe(false);
  });
});
