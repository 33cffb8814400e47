/**
 * The sync engine with Strava: the real SyncService on a real SQLite store, the real OAuth and API
 * clients against the loopback fake, webhooks through the app's HTTP routes — the callback (and the
 * links it refuses), the backfill within Strava's read limit, tokens refreshed with rotation as the
 * clock moves, webhook create/update/delete/deauthorize (duplicates ignored), 429, the same ride
 * from a FIT upload and from Strava being one activity, and disconnecting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { syncRoutes } from '../../src/app/sync-routes.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import type { AthleteStore, Store } from '../../src/store/store.js';
import { SecretBox } from '../../src/sync/secret-box.js';
import { startFakeStrava, type FakeStrava, type FakeStravaEvent } from '../fakes/fake-strava.js';
import { tempStore } from '../support/store.js';
import {
  movableClock,
  recordingChat,
  SECRETS_KEY,
  syncEngine,
  syncSettings,
  type EngineKit,
  type MovableClock,
  type RecordingChat,
} from '../support/sync-kit.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';

const STRAVA_ID = '987654';
const CHAT = 'telegram:7';
const NOW = new Date('2026-09-23T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CLIENT = { clientId: '4242', clientSecret: 'client-secret-xyz' };

let fake: FakeStrava;
let db: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let time: MovableClock;
let chat: RecordingChat;
let kit: EngineKit;
let athlete: AthleteStore;
let server: Server;
let base: string;

beforeEach(async () => {
  time = movableClock(NOW);
  fake = await startFakeStrava({ clock: time.clock, ...CLIENT });
  fake.addAthlete(STRAVA_ID, 'Ana Rider');
  db = await tempStore(time.clock);
  store = db.store;
  chat = recordingChat();
  kit = syncEngine(
    store,
    time.clock,
    chat.directory,
    syncSettings({ strava: { apiBase: fake.url, ...CLIENT, webhookVerifyToken: 'verify-token-123' } }),
  );
  athlete = store.athlete((await store.athleteForIdentity(CHAT, 'Ana')).id);
  const routes = syncRoutes(kit.sync);
  server = createServer((req, res) => {
    void routes(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await kit.sync.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await fake.close();
  await db.cleanup();
});

/** 1 Hz samples of a steady ride with a little variation. */
function samples(minutes: number, watts = 210): { watts: number[]; heartrate: number[] } {
  const n = minutes * 60;
  return {
    watts: Array.from({ length: n }, (_, i) => watts + ((i * 37) % 41) - 20),
    heartrate: Array.from({ length: n }, (_, i) => 130 + (i % 20)),
  };
}

function addRide(agoMs: number, name: string, minutes = 20, type = 'Ride'): { id: string; start: Date } {
  const start = new Date(time.clock().getTime() - agoMs);
  return { id: fake.addActivity(STRAVA_ID, { startTime: start, name, type, samples: samples(minutes) }), start };
}

/** The link, the athlete's "Authorize" on the fake, and the redirect back: the page it shows. */
async function connectStrava(scope = 'read,activity:read_all', months = 12) {
  const link = new URL(await kit.sync.stravaAuthorizeUrl(athlete, CHAT, months));
  expect(link.origin).toBe(fake.url);
  expect(link.searchParams.get('redirect_uri')).toBe('https://coach.example/oauth/strava/callback');
  const state = link.searchParams.get('state')!;
  const code = fake.authorize(STRAVA_ID);
  const page = await kit.sync.stravaCallback(new URLSearchParams({ state, code, scope }));
  expect(JSON.stringify(page)).not.toContain(code);
  return { page, state, code };
}

const event = (e: Partial<FakeStravaEvent> & { object_id: number }): FakeStravaEvent => ({
  object_type: 'activity',
  aspect_type: 'create',
  owner_id: Number(STRAVA_ID),
  event_time: Math.floor(time.clock().getTime() / 1000),
  ...e,
});

/** Posts the event as Strava does; it must be answered 200 within 2 s. */
async function send(e: FakeStravaEvent): Promise<void> {
  const answer = await fake.sendEvent(`${base}/webhooks/strava`, e);
  expect(answer.status).toBe(200);
  expect(answer.ms).toBeLessThan(2000);
}

/** The tokens the store holds for the athlete, opened with the secrets key. */
async function storedTokens(): Promise<{ accessToken: string; refreshToken: string; expiresAt: number }> {
  const sealed = (await athlete.sync.connection('strava'))!.sealedSecret;
  return JSON.parse(SecretBox.fromKey(SECRETS_KEY).open(sealed, `${athlete.athleteId}:strava`)) as never;
}

describe('connecting Strava', () => {
  it('the callback connects, the backfill fetches the rides (one summary), and the database holds no token', async () => {
    const rides = [addRide(2 * DAY, 'Tempo'), addRide(9 * DAY, 'Long'), addRide(20 * DAY, 'Hills'), addRide(40 * DAY, 'Easy')];
    addRide(5 * DAY, 'Morning run', 20, 'Run');
    const { page } = await connectStrava();
    expect(page).toEqual({
      status: 200,
      title: 'Strava connected',
      message: 'Connected — you can close this page and go back to the chat.',
    });
    expect((await athlete.sync.connection('strava'))?.externalAthleteId).toBe(STRAVA_ID);
    expect(chat.textsTo(CHAT)[0]).toMatch(/^Strava connected as Ana Rider\. I am fetching the rides of your last 12 months/);

    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(4);
    for (const r of rides) expect((await athlete.sync.syncedActivity('strava', r.id))?.activityId).toBeTruthy();
    const texts = chat.textsTo(CHAT);
    expect(texts).toHaveLength(3);
    expect(texts[1]).toMatch(/^Strava: looking for your rides/);
    expect(texts[2]).toMatch(/^Strava: done — 5 activities looked at: 4 new rides, 1 activity that is not a ride, skipped/);
    expect((await kit.sync.connections(athlete))[0]).toMatchObject({ service: 'strava', rides: 4, backfill: null, pushCalendar: false });

    const tokens = fake.currentTokens(STRAVA_ID)!;
    const file = readFileSync(db.path);
    const wal = existsSync(`${db.path}-wal`) ? readFileSync(`${db.path}-wal`) : Buffer.alloc(0);
    for (const secret of [tokens.accessToken, tokens.refreshToken]) expect(file.includes(secret) || wal.includes(secret)).toBe(false);
  });

  it('refuses what is not a fresh, complete authorization', async () => {
    const denied = await kit.sync.stravaCallback(new URLSearchParams({ error: 'access_denied', state: 'whatever' }));
    expect(denied.title).toBe('Strava not connected');
    expect(denied.message).toMatch(/nothing was connected/);

    const unknown = await kit.sync.stravaCallback(new URLSearchParams({ state: 'made-up', code: 'x', scope: 'activity:read_all' }));
    expect(unknown.message).toMatch(/^This link has expired: send \/connect strava again/);

    const link = new URL(await kit.sync.stravaAuthorizeUrl(athlete, CHAT, 12));
    time.advance(11 * 60_000);
    const late = await kit.sync.stravaCallback(
      new URLSearchParams({ state: link.searchParams.get('state')!, code: fake.authorize(STRAVA_ID), scope: 'read,activity:read_all' }),
    );
    expect(late.message).toMatch(/^This link has expired/);

    const { page: narrow } = await connectStrava('read,activity:read');
    expect(narrow.title).toBe('Strava not connected');
    expect(chat.textsTo(CHAT).at(-1)).toMatch(/reading your activities was not allowed/);

    const { page, state, code } = await connectStrava();
    expect(page.title).toBe('Strava connected');
    // a link works once
    const again = await kit.sync.stravaCallback(new URLSearchParams({ state, code, scope: 'read,activity:read_all' }));
    expect(again.message).toMatch(/^This link has expired/);
  });

  it('the webhook subscription challenge is answered only with the verify token', async () => {
    const ok = await fetch(`${base}/webhooks/strava?hub.mode=subscribe&hub.verify_token=verify-token-123&hub.challenge=abc123`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ 'hub.challenge': 'abc123' });
    const wrong = await fetch(`${base}/webhooks/strava?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=abc123`);
    expect(wrong.status).toBe(403);
  });
});

describe('Strava after connecting', () => {
  beforeEach(async () => {
    await connectStrava();
    await kit.sync.drain();
  });

  it('refreshes the tokens as the clock moves, always keeping the newest refresh token', async () => {
    const first = await storedTokens();
    for (const round of [1, 2, 3]) {
      time.advance(6 * HOUR + 60_000);
      const ride = addRide(HOUR, `Ride ${round}`);
      await send(event({ object_id: Number(ride.id) }));
      await kit.sync.drain();
      expect((await athlete.sync.syncedActivity('strava', ride.id))?.activityId, `ride ${round}`).toBeTruthy();
      const now = fake.currentTokens(STRAVA_ID)!;
      expect(await storedTokens()).toMatchObject({ accessToken: now.accessToken, refreshToken: now.refreshToken });
    }
    expect((await storedTokens()).refreshToken).not.toBe(first.refreshToken);
    const messages = chat.textsTo(CHAT).filter((t) => t.endsWith('(from Strava)'));
    expect(messages).toHaveLength(3);
  });

  it('webhook events: create (twice: one fetch), a title update (nothing fetched), delete, an unknown owner', async () => {
    const ride = addRide(HOUR, 'Sweet spot');
    const created = event({ object_id: Number(ride.id) });
    await send(created);
    await send(created);
    await send({ ...created, event_time: created.event_time! + 5 });
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(1);
    expect(fake.requests.filter((r) => r.path === `/api/v3/activities/${ride.id}`)).toHaveLength(1);
    expect(chat.textsTo(CHAT).filter((t) => t.endsWith('(from Strava)'))).toHaveLength(1);

    await send(event({ object_id: Number(ride.id), aspect_type: 'update', updates: { title: 'Renamed' } }));
    await send(event({ object_id: Number(ride.id), owner_id: 111 }));
    await kit.sync.drain();
    expect(fake.requests.filter((r) => r.path === `/api/v3/activities/${ride.id}`)).toHaveLength(1);

    fake.deleteActivity(ride.id);
    await send(event({ object_id: Number(ride.id), aspect_type: 'delete' }));
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(0);
  });

  it('an activity that becomes a ride is fetched then', async () => {
    const run = addRide(HOUR, 'Commute', 20, 'Run');
    await send(event({ object_id: Number(run.id) }));
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(0);
    expect(await athlete.sync.syncedActivity('strava', run.id)).toEqual({ activityId: null });
    const reads = () => fake.requests.filter((r) => r.path === `/api/v3/activities/${run.id}`).length;
    expect(reads()).toBe(1);
    // its type changed to a ride on Strava: read again (the fake still calls it a run, so still not stored)
    await send(event({ object_id: Number(run.id), aspect_type: 'update', updates: { type: 'Ride' } }));
    await kit.sync.drain();
    expect(reads()).toBe(2);
    // another sport: not read again
    await send(event({ object_id: Number(run.id), aspect_type: 'update', updates: { type: 'Walk' }, event_time: 1 }));
    await kit.sync.drain();
    expect(reads()).toBe(2);
  });

  it('deauthorization on Strava: the connection is deleted and the athlete told', async () => {
    const before = chat.posts.length;
    await send({
      object_type: 'athlete',
      object_id: Number(STRAVA_ID),
      aspect_type: 'update',
      owner_id: Number(STRAVA_ID),
      updates: { authorized: 'false' },
    });
    await kit.sync.drain();
    expect(await athlete.sync.connection('strava')).toBeNull();
    const told = chat.textsTo(CHAT).slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/You removed my access on Strava.*\/connect strava/s);
  });

  it('429: the fetch waits for the window, then completes', async () => {
    fake.limitAfter(0, 60);
    const ride = addRide(HOUR, 'Threshold');
    await send(event({ object_id: Number(ride.id) }));
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(0);
    time.advance(61_000);
    fake.unlimit();
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(1);
  });

  it('401 after revocation: disconnected, told once how to connect again', async () => {
    fake.revoke(STRAVA_ID);
    const ride = addRide(HOUR, 'Revoked');
    await send(event({ object_id: Number(ride.id) }));
    await kit.sync.drain();
    expect(await athlete.sync.connection('strava')).toBeNull();
    expect(chat.textsTo(CHAT).filter((t) => /Strava refused my access.*\/connect strava/s.test(t))).toHaveLength(1);
  });

  it('the same ride uploaded as a FIT file and then from Strava is one activity', async () => {
    const start = new Date(NOW.getTime() - 2 * HOUR);
    const read = await ingestFile(syntheticRideBytes(3, start, 40), 'evening.fit');
    if (!read.ok) throw new Error(read.error.message);
    await athlete.recordUpload(['evening.fit'], { activities: read.value.activities, errors: [] });
    const before = chat.posts.length;
    const id = fake.addActivity(STRAVA_ID, { startTime: start, name: 'Evening ride', samples: samples(40) });
    await send(event({ object_id: Number(id) }));
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(1);
    expect(kit.synced.at(-1)).toEqual({ service: 'strava', result: 'merged' });
    expect(chat.posts.length).toBe(before);
  });

  it('/disconnect deauthorizes on Strava and deletes the tokens; its own event then tells nothing', async () => {
    expect(await kit.sync.disconnect(athlete, 'strava')).toBe(true);
    expect(fake.deauthorized()).toContain(STRAVA_ID);
    expect(await athlete.sync.connection('strava')).toBeNull();
    const before = chat.posts.length;
    await send({
      object_type: 'athlete',
      object_id: Number(STRAVA_ID),
      aspect_type: 'update',
      owner_id: Number(STRAVA_ID),
      updates: { authorized: 'false' },
    });
    await kit.sync.drain();
    expect(chat.posts.length).toBe(before);
    expect(await kit.sync.disconnect(athlete, 'strava')).toBe(false);
  });
});

describe('running by itself (start)', () => {
  it('a webhook event becomes a post-ride message within 5 s', async () => {
    const real = await tempStore();
    const live = syncEngine(
      real.store,
      () => new Date(),
      chat.directory,
      syncSettings({ strava: { apiBase: fake.url, ...CLIENT, webhookVerifyToken: null } }),
    );
    try {
      const rider = real.store.athlete((await real.store.athleteForIdentity('telegram:8', 'Live')).id);
      const link = new URL(await live.sync.stravaAuthorizeUrl(rider, 'telegram:8', 1));
      const code = fake.authorize(STRAVA_ID);
      await live.sync.stravaCallback(new URLSearchParams({ state: link.searchParams.get('state')!, code, scope: 'activity:read_all' }));
      live.sync.start();
      const start = new Date(Date.now() - HOUR);
      const id = fake.addActivity(STRAVA_ID, { startTime: start, name: 'Live spin', type: 'VirtualRide', samples: samples(15) });
      const sent = Date.now();
      expect((await live.sync.stravaEvent(event({ object_id: Number(id), event_time: Math.floor(sent / 1000) }))).status).toBe(200);
      await vi.waitFor(() => expect(chat.textsTo('telegram:8').some((t) => t.startsWith('Live spin'))).toBe(true), {
        timeout: 5_000,
        interval: 20,
      });
      expect(Date.now() - sent).toBeLessThan(5_000);
    } finally {
      await live.sync.stop();
      await real.cleanup();
    }
  });
});

describe("a Strava backfill within Strava's read limit", () => {
  it('waits for the next window when the limit is nearly used, says so, and still fetches new rides meanwhile', async () => {
    const RIDES = 45;
    for (let i = 0; i < RIDES; i++) addRide((i + 4) * DAY, `Base ${i}`, 5);
    await connectStrava();
    await kit.sync.drain();
    const partial = await athlete.activityCount();
    expect(partial).toBeGreaterThan(30);
    expect(partial).toBeLessThan(RIDES);
    expect(chat.edits.at(-1)!.reply.text).toMatch(/Strava limits how fast I may fetch: I continue at Wed 10:15/);

    // a ride finished meanwhile comes at once (a webhook's job is not held back)
    const fresh = addRide(HOUR, 'Today');
    await send(event({ object_id: Number(fresh.id) }));
    await kit.sync.drain();
    expect((await athlete.sync.syncedActivity('strava', fresh.id))?.activityId).toBeTruthy();
    expect(chat.textsTo(CHAT).filter((t) => t.endsWith('(from Strava)'))).toHaveLength(1);

    time.set(new Date('2026-09-23T10:15:01Z'));
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(RIDES + 1);
    const summaries = chat.textsTo(CHAT).filter((t) => t.startsWith('Strava: done'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(/45 new rides/);
  });
});
