/**
 * The sync engine with intervals.icu: the real SyncService on a real SQLite store, the real client
 * against the loopback fake — connect, backfill (one progress message edited, one summary, no
 * message per ride), a new ride polled into one post-ride message, the same ride uploaded and
 * synced being one activity, 429 with Retry-After, 401 after revocation, the webhook, and the
 * plan's workouts on the calendar before and after an adaptation.
 */
import { readFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { zonedDate } from '../../src/domain/calendar.js';
import { calendarWorkouts } from '../../src/domain/coaching/calendar-workouts.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import type { AthleteStore, Store } from '../../src/store/store.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/fake-intervals.js';
import { withCoachingPlan } from '../support/coaching-athlete.js';
import { tempStore } from '../support/store.js';
import {
  movableClock,
  recordingChat,
  syncEngine,
  syncSettings,
  type EngineKit,
  type MovableClock,
  type RecordingChat,
} from '../support/sync-kit.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';

const KEY = 'ada-api-key-0123456789abcdef';
const CHAT = 'telegram:1';
const NOW = new Date('2026-09-23T10:00:00Z');
const DAY = 86_400_000;
const POLL_MS = 10 * 60_000;

let fake: FakeIntervals;
let db: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let time: MovableClock;
let chat: RecordingChat;
let kit: EngineKit;
let athlete: AthleteStore;

beforeEach(async () => {
  fake = await startFakeIntervals();
  fake.addAthlete('i42', KEY, 'Ada');
  time = movableClock(NOW);
  db = await tempStore(time.clock);
  store = db.store;
  chat = recordingChat();
  kit = syncEngine(
    store,
    time.clock,
    chat.directory,
    syncSettings({ intervals: { apiBase: fake.url, pollMinutes: 10, webhookSecret: 'hook-secret-1' } }),
  );
  athlete = store.athlete((await store.athleteForIdentity(CHAT, 'Ada')).id);
});

afterEach(async () => {
  await kit.sync.stop();
  await fake.close();
  await db.cleanup();
});

const connect = (months = 12) => kit.sync.connectIntervals(athlete, CHAT, { athleteId: 'i42', apiKey: KEY, months });

/** A ride on the fake, `agoMs` before the clock's now. */
function addRide(agoMs: number, seed: number, minutes = 30): { id: string; start: Date; bytes: Uint8Array } {
  const start = new Date(time.clock().getTime() - agoMs);
  const bytes = syntheticRideBytes(seed, start, minutes);
  const id = fake.addActivity('i42', { startTime: start, name: `Ride ${seed}`, type: 'Ride', file: bytes });
  return { id, start, bytes };
}

/** Past the connection's next poll, then one poll pass and every job it queued. */
async function pollAndDrain(): Promise<void> {
  time.advance(POLL_MS + 1000);
  await kit.sync.pollNow();
  await kit.sync.drain();
}

describe('connecting intervals.icu', () => {
  it('refuses a wrong key, and says when the service cannot be reached', async () => {
    expect(kit.sync.unavailable('intervals')).toBeNull();
    const wrong = await kit.sync.connectIntervals(athlete, CHAT, { athleteId: 'i42', apiKey: 'not-the-key-000000000', months: 12 });
    expect(wrong).toEqual({ ok: false, error: 'bad-key' });
    const away = syncEngine(
      store,
      time.clock,
      chat.directory,
      syncSettings({ intervals: { apiBase: 'http://127.0.0.1:9', pollMinutes: 10, webhookSecret: null } }),
    );
    expect(await away.sync.connectIntervals(athlete, CHAT, { athleteId: 'i42', apiKey: KEY, months: 12 })).toEqual({
      ok: false,
      error: 'unreachable',
    });
    expect(await athlete.sync.connection('intervals')).toBeNull();
    const noKey = syncEngine(store, time.clock, chat.directory, syncSettings({ secretsKey: null }));
    expect(noKey.sync.unavailable('intervals')).toBe('no-secrets-key');
  });

  it('backfills the last months: one progress message edited as it goes, one summary, no message per ride', async () => {
    const rides = Array.from({ length: 12 }, (_, i) => addRide((i * 5 + 2) * DAY, 10 + i));
    fake.addActivity('i42', { startTime: new Date(NOW.getTime() - 3 * DAY), type: 'Run', name: 'Run', file: syntheticRideBytes(1, NOW) });
    addRide(400 * DAY, 99); // before the 12 months

    const connected = await connect();
    expect(connected.ok && connected.value.backfill).toEqual({ done: 0, total: null });
    await kit.sync.drain();

    expect(await athlete.activityCount()).toBe(12);
    const stored = (await athlete.activitiesBetween(new Date(0), new Date(NOW.getTime() + 1))).map((s) => s.activity.startTime.getTime());
    expect(new Set(stored)).toEqual(new Set(rides.map((r) => r.start.getTime())));
    const texts = chat.textsTo(CHAT);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^intervals\.icu: looking for your rides/);
    expect(texts[1]).toMatch(/intervals\.icu: done — 13 activities looked at: 12 new rides, 1 activity that is not a ride, skipped/);
    expect(texts.some((t) => t.includes('(from intervals.icu)'))).toBe(false);
    const progressId = chat.posts[0]!.id;
    expect(chat.edits.length).toBeGreaterThanOrEqual(2);
    expect(chat.edits.every((e) => e.id === progressId)).toBe(true);
    expect(chat.edits.at(-1)!.reply.text).toContain('12 of 12');
    expect(kit.synced.filter((s) => s.result === 'new')).toHaveLength(12);

    const [status] = await kit.sync.connections(athlete);
    expect(status).toMatchObject({ service: 'intervals', externalAthleteId: 'i42', rides: 12, backfill: null, pushCalendar: true });
    expect(status!.lastSyncAt).not.toBeNull();
    // the key is sealed: neither the database nor its write-ahead log holds it
    for (const path of [db.path, `${db.path}-wal`]) if (existsSync(path)) expect(readFileSync(path).includes(KEY)).toBe(false);
  });

  it('a process that dies mid-backfill: another takes its jobs over after the lease; every ride once, one summary', async () => {
    for (let i = 0; i < 20; i++) addRide((i + 2) * DAY, 30 + i);
    await connect();
    // the first process hangs for good on its fourth file (as if killed): its claimed jobs stay "running"
    let read = 0;
    const dying = syncEngine(
      store,
      time.clock,
      chat.directory,
      syncSettings({ intervals: { apiBase: fake.url, pollMinutes: 10, webhookSecret: null } }),
      {
        claimant: 'dying',
        ingest: (bytes, name) => (++read > 3 ? new Promise(() => undefined) : ingestFile(bytes, name)),
      },
    );
    void dying.sync.drain();
    await vi.waitFor(() => expect(read).toBe(4), { timeout: 10_000, interval: 20 });
    expect(await athlete.activityCount()).toBe(3);

    // the next process does what is free, but not what the dead one holds until its lease ends
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBeLessThan(20);
    expect(chat.textsTo(CHAT).filter((t) => t.includes('done —'))).toHaveLength(0);
    time.advance(3 * 60_000);
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(20);
    const summaries = chat.textsTo(CHAT).filter((t) => t.includes('done —'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(/20 new rides/);
    expect(chat.posts.filter((p) => p.reply.text.startsWith('intervals.icu: looking'))).toHaveLength(1);
  });

  it('a ride recorded after connecting comes with one post-ride message at the next poll', async () => {
    addRide(10 * DAY, 1);
    await connect();
    await kit.sync.drain();
    const before = chat.posts.length;

    const ride = addRide(2 * 3_600_000, 42, 45);
    await pollAndDrain();
    const added = chat.posts.slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]!.reply.title).toMatch(/Wednesday 23 Sep/);
    expect(added[0]!.reply.text).toMatch(/\(from intervals\.icu\)$/);
    expect((await athlete.sync.syncedActivity('intervals', ride.id))?.activityId).toBeTruthy();

    // the next polls see it as seen: no second message
    await pollAndDrain();
    await pollAndDrain();
    expect(chat.posts.length).toBe(before + 1);
    expect(fake.downloads(ride.id)).toBe(1);
  });

  it('a ride older than 3 days that arrives by a poll is stored without a message of its own', async () => {
    await connect();
    await kit.sync.drain();
    const before = chat.posts.length;
    time.advance(6 * DAY);
    addRide(5 * DAY, 5);
    await pollAndDrain();
    expect(await athlete.activityCount()).toBe(1);
    expect(chat.posts.length).toBe(before);
  });

  it('the same ride uploaded as a FIT file and then synced is one activity, and no second message', async () => {
    await connect();
    await kit.sync.drain();
    const start = new Date(NOW.getTime() - 3_600_000);
    const bytes = syntheticRideBytes(7, start, 40);
    const read = await ingestFile(bytes, 'morning.fit');
    if (!read.ok) throw new Error(read.error.message);
    const upload = await athlete.recordUpload(['morning.fit'], { activities: read.value.activities, errors: [] });
    const before = chat.posts.length;

    const id = fake.addActivity('i42', { startTime: start, type: 'Ride', file: bytes });
    await pollAndDrain();
    expect(await athlete.activityCount()).toBe(1);
    expect(await athlete.sync.syncedActivity('intervals', id)).toEqual({ activityId: upload.activityIds[0] });
    expect(kit.synced.at(-1)).toEqual({ service: 'intervals', result: 'duplicate' });
    expect(chat.posts.length).toBe(before);
  });

  it('429 with Retry-After: the fetch waits that long, then completes', async () => {
    await connect();
    await kit.sync.drain();
    addRide(3_600_000, 3);
    time.advance(POLL_MS + 1000);
    await kit.sync.pollNow();
    fake.failNext(1, { status: 429, retryAfterSeconds: 120 });
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(0);

    time.advance(60_000);
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(0);
    time.advance(61_000);
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(1);
    expect(chat.textsTo(CHAT).at(-1)).toMatch(/\(from intervals\.icu\)$/);
  });

  it('503: tried again later with a longer wait', async () => {
    await connect();
    await kit.sync.drain();
    addRide(3_600_000, 4);
    time.advance(POLL_MS + 1000);
    await kit.sync.pollNow();
    fake.failNext(2, { status: 503 });
    await kit.sync.drain();
    time.advance(30_000);
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(0);
    time.advance(60_000);
    await kit.sync.drain();
    expect(await athlete.activityCount()).toBe(1);
  });

  it('a list that keeps failing: the backfill is given up after 8 tries, says so, and the polls go on', async () => {
    await connect();
    fake.failNext(8, { status: 503 });
    for (let i = 0; i < 10; i++) {
      await kit.sync.drain();
      time.advance(3_600_000);
    }
    expect(fake.requests.filter((r) => r.path.endsWith('/activities'))).toHaveLength(8);
    expect((await kit.sync.connections(athlete))[0]!.backfill).toBeNull();
    expect(chat.edits.at(-1)!.reply.text).toMatch(/could not read your list of past rides/);
    addRide(3_600_000, 9);
    await pollAndDrain();
    expect(await athlete.activityCount()).toBe(1);
    expect(chat.textsTo(CHAT).at(-1)).toMatch(/\(from intervals\.icu\)$/);
  });

  it('401 after the key was revoked: disconnected, the athlete told once how to connect again', async () => {
    await connect();
    await kit.sync.drain();
    addRide(3_600_000, 5);
    time.advance(POLL_MS + 1000);
    await kit.sync.pollNow();
    fake.revoke('i42');
    const before = chat.posts.length;
    await kit.sync.drain();
    expect(await athlete.sync.connection('intervals')).toBeNull();
    addRide(1_800_000, 6);
    await pollAndDrain();
    await pollAndDrain();
    const told = chat.textsTo(CHAT).slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/intervals\.icu refused your API key.*disconnected intervals\.icu.*\/connect intervals/s);
  });

  it('a poll refused with 401 disconnects too', async () => {
    await connect();
    await kit.sync.drain();
    fake.revoke('i42');
    await pollAndDrain();
    expect(await athlete.sync.connection('intervals')).toBeNull();
    expect(chat.textsTo(CHAT).filter((t) => t.includes('refused your API key'))).toHaveLength(1);
  });

  it('the webhook: refused without the secret; a new activity polls its athlete now', async () => {
    await connect();
    await kit.sync.drain();
    expect((await kit.sync.intervalsEvent({ secret: 'wrong', events: [] })).status).toBe(403);
    const ride = addRide(600_000, 8);
    const event = { secret: 'hook-secret-1', events: [{ athlete_id: 'i42', type: 'ACTIVITY_UPLOADED', activity: { id: ride.id } }] };
    expect((await kit.sync.intervalsEvent(event)).status).toBe(200);
    await vi.waitFor(
      async () => {
        await kit.sync.drain();
        expect(await athlete.activityCount()).toBe(1);
      },
      { timeout: 10_000, interval: 50 },
    );
    const quiet = syncEngine(store, time.clock, chat.directory, syncSettings());
    expect((await quiet.sync.intervalsEvent(event)).status).toBe(404);
  });
});

describe('running by itself (start)', () => {
  it('with a 1-second poll interval, a new ride reaches the chat within seconds', async () => {
    const real = await tempStore();
    const live = syncEngine(
      real.store,
      () => new Date(),
      chat.directory,
      syncSettings({ intervals: { apiBase: fake.url, pollMinutes: 1 / 60, webhookSecret: null } }),
    );
    try {
      const rider = real.store.athlete((await real.store.athleteForIdentity('telegram:2', 'Live')).id);
      expect((await live.sync.connectIntervals(rider, 'telegram:2', { athleteId: 'i42', apiKey: KEY, months: 1 })).ok).toBe(true);
      live.sync.start();
      await vi.waitFor(() => expect(chat.textsTo('telegram:2').some((t) => t.startsWith('intervals.icu: done'))).toBe(true), {
        timeout: 10_000,
        interval: 50,
      });
      const start = new Date(Date.now() - 3_600_000);
      const added = Date.now();
      fake.addActivity('i42', { startTime: start, name: 'Live ride', type: 'Ride', file: syntheticRideBytes(77, start, 30) });
      await vi.waitFor(() => expect(chat.textsTo('telegram:2').some((t) => t.endsWith('(from intervals.icu)'))).toBe(true), {
        timeout: 15_000,
        interval: 50,
      });
      expect(Date.now() - added).toBeLessThan(15_000);
    } finally {
      await live.sync.stop();
      await real.cleanup();
    }
  });
});

describe("the plan on the athlete's intervals.icu calendar", () => {
  /** Our workouts on the fake's calendar, as [external id, date, description]. */
  const ours = () =>
    fake
      .calendar('i42')
      .filter((e) => e.external_id?.startsWith('domestique:'))
      .map((e) => [e.external_id, e.start_date_local.slice(0, 10), e.description])
      .sort();
  const desired = async () =>
    calendarWorkouts((await kit.loop.currentPlan(athlete))!, zonedDate(time.clock(), (await athlete.info()).timeZone))
      .map((w) => [w.externalId, w.date, w.description])
      .sort();

  it('holds exactly the current plan from today, after connecting and after an adaptation; the athlete’s own events stay', async () => {
    await withCoachingPlan(athlete, NOW);
    const own = fake.addEvent('i42', { start_date_local: '2026-09-26T09:00:00', name: 'Club ride', category: 'WORKOUT' });
    await connect();
    await kit.sync.drain();
    expect((await desired()).length).toBeGreaterThan(10);
    expect(ours()).toEqual(await desired());

    const before = await desired();
    expect(await kit.loop.applySignal(athlete, { kind: 'unwell', reason: 'ill', days: 4 })).not.toBeNull();
    await kit.sync.planChanged(athlete.athleteId);
    await kit.sync.drain();
    expect(await desired()).not.toEqual(before);
    expect(ours()).toEqual(await desired());
    expect(fake.calendar('i42').some((e) => e.id === own)).toBe(true);

    // nothing changed: nothing pushed
    const pushes = () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/events/bulk')).length;
    const pushed = pushes();
    await kit.sync.planChanged(athlete.athleteId);
    await kit.sync.setCalendarPush(athlete, true);
    await kit.sync.drain();
    expect(pushes()).toBe(pushed);
    expect(ours()).toEqual(await desired());
  });

  it('push off: the calendar is left alone', async () => {
    await withCoachingPlan(athlete, NOW);
    await connect();
    await kit.sync.drain();
    const pushed = ours();
    expect(await kit.sync.setCalendarPush(athlete, false)).toBe(true);
    expect(await kit.loop.applySignal(athlete, { kind: 'unwell', reason: 'tired', days: 3 })).not.toBeNull();
    await kit.sync.planChanged(athlete.athleteId);
    await kit.sync.drain();
    expect(ours()).toEqual(pushed);
    expect((await kit.sync.connections(athlete))[0]!.pushCalendar).toBe(false);
  });
});
