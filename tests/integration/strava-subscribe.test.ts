/**
 * `npm run -s cli -- strava:subscribe` against the fake Strava, with a tiny loopback server in the
 * bot's place answering Strava's challenge at PUBLIC_URL/webhooks/strava: the subscription is
 * created once, shown when it exists, refused with advice when the callback does not answer, and
 * every missing variable is named.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatStravaSubscribe, stravaSubscribe } from '../../src/app/strava-subscribe.js';
import { UserError } from '../../src/app/user-error.js';
import { loadConfig } from '../../src/config.js';
import { startFakeStrava, type FakeStrava } from '../fakes/fake-strava.js';
import { cliFails, cliWithEnv } from '../support/cli.js';

const SECRET = 'subscribe-client-secret-123';
const VERIFY = 'subscribe-verify-token';

let fake: FakeStrava;
let callback: Server;
let publicUrl: string;
const challenges: string[] = [];

beforeAll(async () => {
  fake = await startFakeStrava({ clientId: '4242', clientSecret: SECRET });
  // the bot's GET /webhooks/strava, as small as it can be
  callback = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ok = url.pathname === '/webhooks/strava' && url.searchParams.get('hub.verify_token') === VERIFY;
    if (ok) challenges.push(url.searchParams.get('hub.challenge')!);
    res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
    res.end(ok ? JSON.stringify({ 'hub.challenge': url.searchParams.get('hub.challenge') }) : '{"error":"forbidden"}');
  });
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  publicUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => callback.close(() => resolve()));
  await fake.close();
});
afterEach(async () => {
  for (const s of fake.subscriptions())
    await fetch(`${fake.url}/api/v3/push_subscriptions/${s.id}?client_id=4242&client_secret=${SECRET}`, { method: 'DELETE' });
});

const env = (overrides: Record<string, string> = {}): Record<string, string> => ({
  STRAVA_API_BASE: fake.url,
  STRAVA_CLIENT_ID: '4242',
  STRAVA_CLIENT_SECRET: SECRET,
  STRAVA_WEBHOOK_VERIFY_TOKEN: VERIFY,
  PUBLIC_URL: publicUrl,
  ...overrides,
});

describe('strava:subscribe', () => {
  it('creates the subscription through the command line, then shows it instead of creating another', async () => {
    const first = await cliWithEnv(env(), 'strava:subscribe');
    expect(fake.subscriptions()).toEqual([{ id: 1, callbackUrl: `${publicUrl}/webhooks/strava`, verifyToken: VERIFY }]);
    expect(challenges).toHaveLength(1);
    expect(first.stdout).toBe(`Strava push subscription 1 created: Strava now sends its events to ${publicUrl}/webhooks/strava.\n`);
    const second = await cliWithEnv(env(), 'strava:subscribe');
    expect(second.stdout).toMatch(/exists already: id 1, events go to http:\/\/127\.0\.0\.1:\d+\/webhooks\/strava\./);
    expect(fake.subscriptions()).toHaveLength(1);
    for (const out of [first, second]) expect(out.stdout + out.stderr).not.toContain(SECRET);
  });

  it('names every missing variable (exit code 2)', async () => {
    const { code, stderr } = await cliFails({ STRAVA_API_BASE: fake.url, STRAVA_CLIENT_SECRET: SECRET }, 'strava:subscribe');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^domestique: strava:subscribe needs STRAVA_CLIENT_ID, STRAVA_WEBHOOK_VERIFY_TOKEN and PUBLIC_URL\. Set them/);
    expect(stderr).not.toContain(SECRET);
    const { PUBLIC_URL: _unset, ...withoutUrl } = env();
    const one = await stravaSubscribe(loadConfig(withoutUrl).sync).catch((e: unknown) => e);
    expect(one).toBeInstanceOf(UserError);
    expect((one as UserError).message).toMatch(/^strava:subscribe needs PUBLIC_URL\. Set it/);
  });

  it('says what to do when the callback does not answer the challenge, without the secret', async () => {
    const config = loadConfig(env({ STRAVA_WEBHOOK_VERIFY_TOKEN: 'a-different-token' }));
    const error = (await stravaSubscribe(config.sync).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/callback url/i);
    expect(error.message).toMatch(/start the bot first/);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('a-different-token');
    expect(fake.subscriptions()).toEqual([]);
  });

  it('a wrong client secret is named as such', async () => {
    const config = loadConfig(env({ STRAVA_CLIENT_SECRET: 'wrong-secret-value' }));
    const error = (await stravaSubscribe(config.sync).catch((e: unknown) => e)) as UserError;
    expect(error.message).toMatch(/Check STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET/);
    expect(error.message).not.toContain('wrong-secret-value');
  });

  it('an existing subscription to another address is shown with what to do', () => {
    const text = formatStravaSubscribe({
      id: '9',
      callbackUrl: 'https://old.example/hook',
      created: false,
      wantedCallbackUrl: 'https://new.example/webhooks/strava',
    });
    expect(text).toMatch(/^A Strava push subscription exists already: id 9, events go to https:\/\/old\.example\/hook\./);
    expect(text).toMatch(/delete subscription 9/);
  });
});
