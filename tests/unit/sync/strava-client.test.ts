/**
 * The Strava client against the loopback fake: OAuth (code exchange, refresh with rotation,
 * deauthorization), the activity list, one activity and its streams, 401 after revocation, 429 with
 * the wait, the rate-limit headers, the push subscription, and webhook bodies.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPushSubscription,
  createStravaApi,
  createStravaOAuth,
  deletePushSubscription,
  listPushSubscriptions,
  parseStravaWebhook,
  type StravaUsage,
} from '../../../src/sync/strava/client.js';
import { ServiceError } from '../../../src/sync/types.js';
import { startFakeStrava, type FakeStrava } from '../../fakes/fake-strava.js';

const CLIENT = { clientId: '4242', clientSecret: 'test-client-secret-xyz' };
const ATHLETE = '987654';

let now = new Date('2026-09-22T10:07:30Z');
const clock = () => now;
let fake: FakeStrava;

beforeAll(async () => {
  fake = await startFakeStrava({ clock, ...CLIENT });
  fake.addAthlete(ATHLETE, 'Ana Rider');
});
afterAll(() => fake.close());
beforeEach(() => {
  now = new Date('2026-09-22T10:07:30Z');
  fake.unlimit();
});

const oauth = () => createStravaOAuth({ apiBase: fake.url, ...CLIENT, clock });

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error('expected a ServiceError');
}

async function connect(): Promise<{ accessToken: string; refreshToken: string }> {
  return oauth().exchangeCode(fake.authorize(ATHLETE));
}

describe('Strava OAuth', () => {
  it('builds the authorization link with the scope, state and redirect', () => {
    const url = new URL(oauth().authorizeUrl('st4te', 'https://bot.example/oauth/strava/callback'));
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '4242',
      redirect_uri: 'https://bot.example/oauth/strava/callback',
      response_type: 'code',
      approval_prompt: 'auto',
      scope: 'activity:read_all',
      state: 'st4te',
    });
  });

  it('exchanges a code once: tokens valid 6 h, the athlete and their name', async () => {
    const code = fake.authorize(ATHLETE);
    const tokens = await oauth().exchangeCode(code);
    expect(tokens.athleteId).toBe(ATHLETE);
    expect(tokens.name).toBe('Ana Rider');
    expect(tokens.expiresAt.getTime()).toBe(now.getTime() + 6 * 3600_000);
    expect(fake.currentTokens(ATHLETE)).toMatchObject({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    const again = await failure(oauth().exchangeCode(code));
    expect(again.kind).toBe('unauthorized');
    expect(again.message).not.toContain(code);
  });

  it('refreshes with rotation: the old refresh token is refused afterwards', async () => {
    const first = await connect();
    // more than an hour left: Strava keeps the access token, the refresh token still rotates
    now = new Date(now.getTime() + 2 * 3600_000);
    const early = await oauth().refresh(first.refreshToken);
    expect(early.accessToken).toBe(first.accessToken);
    expect(early.refreshToken).not.toBe(first.refreshToken);
    expect(early.athleteId).toBe('');
    // under an hour left: a new access token
    now = new Date(now.getTime() + 3.5 * 3600_000);
    const late = await oauth().refresh(early.refreshToken);
    expect(late.accessToken).not.toBe(first.accessToken);
    expect(late.expiresAt.getTime()).toBe(now.getTime() + 6 * 3600_000);
    const old = await failure(oauth().refresh(first.refreshToken));
    expect(old.kind).toBe('unauthorized');
    expect(old.status).toBe(400);
    expect(old.message).not.toContain(first.refreshToken);
    expect(old.message).not.toContain(CLIENT.clientSecret);
  });

  it('refuses a wrong client secret without showing it', async () => {
    const wrong = createStravaOAuth({ apiBase: fake.url, clientId: '4242', clientSecret: 'not-the-secret', clock });
    const error = await failure(wrong.exchangeCode(fake.authorize(ATHLETE)));
    expect(error.kind).toBe('unauthorized');
    expect(error.message).not.toContain('not-the-secret');
  });

  it('deauthorizes: Strava is told and the token stops working', async () => {
    const { accessToken } = await connect();
    await oauth().deauthorize(accessToken);
    expect(fake.deauthorized()).toContain(ATHLETE);
    const error = await failure(createStravaApi({ apiBase: fake.url, accessToken, clock }).listActivities(new Date(0), 1, 10));
    expect(error.kind).toBe('unauthorized');
  });
});

describe('Strava API', () => {
  let accessToken: string;
  let rideId: string;
  let runId: string;
  beforeAll(async () => {
    ({ accessToken } = await connect());
    rideId = fake.addActivity(ATHLETE, {
      startTime: new Date('2026-09-20T07:00:00Z'),
      name: 'Sunday loop',
      type: 'GravelRide',
      samples: { watts: Array.from({ length: 600 }, () => 200), heartrate: Array.from({ length: 600 }, () => 140) },
    });
    runId = fake.addActivity(ATHLETE, { startTime: new Date('2026-09-19T07:00:00Z'), type: 'Run', samples: { heartrate: [150, 151] } });
  });
  beforeEach(async () => {
    if (fake.currentTokens(ATHLETE) === null) ({ accessToken } = await connect());
  });
  const api = (onUsage?: (u: StravaUsage) => void) => createStravaApi({ apiBase: fake.url, accessToken, clock, onUsage });

  it('lists the activities after a date, oldest first, rides marked', async () => {
    const list = await api().listActivities(new Date('2026-09-01T00:00:00Z'), 1, 50);
    expect(list.map((a) => [a.id, a.type, a.isRide])).toEqual([
      [runId, 'Run', false],
      [rideId, 'GravelRide', true],
    ]);
    expect(list[1]!.startTime.toISOString()).toBe('2026-09-20T07:00:00.000Z');
    expect(await api().listActivities(new Date('2026-09-01T00:00:00Z'), 2, 50)).toEqual([]);
    expect(await api().listActivities(new Date('2026-09-19T12:00:00Z'), 1, 50)).toHaveLength(1);
  });

  it('reads one activity and its streams', async () => {
    const detail = await api().activity(rideId);
    expect(detail).toMatchObject({
      id: rideId,
      name: 'Sunday loop',
      type: 'GravelRide',
      averageWatts: 200,
      deviceWatts: true,
      movingSeconds: 600,
    });
    expect(detail.averageHeartrate).toBe(140);
    const streams = await api().streams(rideId);
    expect(Object.keys(streams).sort()).toEqual([
      'altitude',
      'distance',
      'heartrate',
      'latlng',
      'moving',
      'time',
      'velocity_smooth',
      'watts',
    ]);
    expect(streams.watts).toHaveLength(600);
    expect((streams.latlng as [number, number][])[0]).toHaveLength(2);
    const missing = await failure(api().activity('99999'));
    expect(missing.kind).toBe('not-found');
  });

  it('reports the rate-limit usage of every answer (the read limit, the tighter)', async () => {
    const seen: StravaUsage[] = [];
    await api((u) => seen.push(u)).activity(rideId);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ shortLimit: 100, dailyLimit: 1000 });
    expect(seen[0]!.shortUsed).toBeGreaterThan(0);
  });

  it('answers 401 after the athlete revoked the application, without the token in the message', async () => {
    fake.revoke(ATHLETE);
    const error = await failure(api().activity(rideId));
    expect(error).toMatchObject({ service: 'strava', kind: 'unauthorized', status: 401 });
    expect(error.message).not.toContain(accessToken);
  });

  it('429: the wait from Retry-After, else to the next quarter hour, else to midnight UTC', async () => {
    fake.limitAfter(1, 120);
    await api().activity(rideId);
    const stated = await failure(api().activity(rideId));
    expect(stated).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 120_000 });
    fake.limitAfter(0);
    const quarter = await failure(api().streams(rideId));
    expect(quarter.retryAfterMs).toBe(7.5 * 60_000);
    fake.limitAfter(0, undefined, 'daily');
    const daily = await failure(api().listActivities(new Date(0), 1, 10));
    expect(daily.retryAfterMs).toBe(13 * 3600_000 + 52.5 * 60_000);
    expect(daily.message).toMatch(/833 min/);
    // the day turns: answers again
    now = new Date('2026-09-23T00:00:01Z');
    ({ accessToken } = await connect());
    await expect(api().activity(rideId)).resolves.toMatchObject({ id: rideId });
  });

  it('a service that cannot be reached is unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(createStravaApi({ apiBase: `http://127.0.0.1:${port}`, accessToken, clock }).activity('1'));
    expect(error.kind).toBe('unavailable');
    expect(error.message).not.toContain(String(port));
  });
});

describe('push subscription', () => {
  let callback: Server;
  let callbackUrl: string;
  const verifyToken = 'verify-me-please';
  beforeAll(async () => {
    callback = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const ok = url.searchParams.get('hub.verify_token') === verifyToken && url.searchParams.get('hub.mode') === 'subscribe';
      res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
      res.end(ok ? JSON.stringify({ 'hub.challenge': url.searchParams.get('hub.challenge') }) : '{}');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/webhooks/strava`;
  });
  afterAll(() => new Promise<void>((resolve) => callback.close(() => resolve())));
  afterEach(async () => {
    for (const s of fake.subscriptions()) await deletePushSubscription({ apiBase: fake.url, ...CLIENT, id: String(s.id) });
  });

  it('creates (the callback answers the challenge), lists and deletes', async () => {
    const { id } = await createPushSubscription({ apiBase: fake.url, ...CLIENT, callbackUrl, verifyToken });
    expect(fake.subscriptions()).toEqual([{ id: Number(id), callbackUrl, verifyToken }]);
    const listed = await listPushSubscriptions({ apiBase: fake.url, ...CLIENT });
    expect(listed).toMatchObject([{ id, callbackUrl }]);
    const again = await failure(createPushSubscription({ apiBase: fake.url, ...CLIENT, callbackUrl, verifyToken }));
    expect(again.message).toMatch(/already exists/);
  });

  it('is refused when the callback does not answer the challenge; no secret in the message', async () => {
    const error = await failure(createPushSubscription({ apiBase: fake.url, ...CLIENT, callbackUrl, verifyToken: 'another-token' }));
    expect(error.message).toMatch(/callback url/i);
    expect(error.message).not.toContain(CLIENT.clientSecret);
    expect(error.message).not.toContain('another-token');
    expect(fake.subscriptions()).toEqual([]);
  });

  it("the fake posts events like Strava's", async () => {
    const bodies: unknown[] = [];
    const sink = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const answer = await fake.sendEvent(`http://127.0.0.1:${(sink.address() as AddressInfo).port}/`, {
      object_type: 'activity',
      object_id: 123,
      aspect_type: 'create',
      owner_id: Number(ATHLETE),
    });
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    expect(answer.status).toBe(200);
    expect(parseStravaWebhook(bodies[0])).toEqual({
      objectType: 'activity',
      objectId: '123',
      aspectType: 'create',
      ownerId: ATHLETE,
      eventTime: Math.floor(now.getTime() / 1000),
      updates: {},
    });
  });
});

describe('parseStravaWebhook', () => {
  it('reads an athlete deauthorization and an update', () => {
    expect(
      parseStravaWebhook({
        aspect_type: 'update',
        event_time: 1516126040,
        object_id: 134815,
        object_type: 'athlete',
        owner_id: 134815,
        subscription_id: 120475,
        updates: { authorized: 'false' },
      }),
    ).toEqual({
      objectType: 'athlete',
      objectId: '134815',
      aspectType: 'update',
      ownerId: '134815',
      eventTime: 1516126040,
      updates: { authorized: 'false' },
    });
    expect(
      parseStravaWebhook({
        aspect_type: 'update',
        event_time: 1,
        object_id: 5,
        object_type: 'activity',
        owner_id: 7,
        updates: { title: 'Messy', private: true },
      })?.updates,
    ).toEqual({ title: 'Messy', private: 'true' });
  });

  it('refuses what is not an event', () => {
    for (const body of [
      null,
      'text',
      [],
      { object_type: 'segment', aspect_type: 'create', object_id: 1, owner_id: 1, event_time: 1 },
      { object_type: 'activity', aspect_type: 'rename', object_id: 1, owner_id: 1, event_time: 1 },
      { object_type: 'activity', aspect_type: 'create', object_id: 'x', owner_id: 1, event_time: 1 },
      { object_type: 'activity', aspect_type: 'create', object_id: 1, owner_id: 1 },
      { object_type: 'activity', aspect_type: 'create', object_id: 1, owner_id: 1, event_time: 1, updates: [] },
    ])
      expect(parseStravaWebhook(body)).toBeNull();
  });
});
