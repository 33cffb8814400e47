/**
 * The intervals.icu client against the loopback fake: the key check, activities and their files,
 * the calendar upsert and delete, the service's refusals as ServiceErrors without the key in them,
 * the process-wide rate limit, and the webhook body.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventName } from '../../../src/sync/intervals/calendar.js';
import { createIntervalsClient } from '../../../src/sync/intervals/client.js';
import { DEFAULT_RETRY_AFTER_MS, retryAfterMs } from '../../../src/sync/intervals/http.js';
import { createRateLimiter } from '../../../src/sync/intervals/rate-limiter.js';
import { parseIntervalsWebhook } from '../../../src/sync/intervals/webhook.js';
import { ServiceError, type CalendarWorkout } from '../../../src/sync/types.js';
import { startFakeIntervals, type FakeIntervals } from '../../fakes/fake-intervals.js';

const KEY = 'k3y-5ecret-abcdef0123456789';
const ATHLETE = 'i4242';

let fake: FakeIntervals;
beforeAll(async () => {
  fake = await startFakeIntervals();
  fake.addAthlete(ATHLETE, KEY, 'Ada Rider');
  fake.addAthlete('i7', 'other-athletes-key', 'Bo');
});
afterAll(() => fake.close());

const client = (apiKey = KEY, athleteId = ATHLETE, apiBase = fake.url) => createIntervalsClient({ apiBase, athleteId, apiKey });

/** The ServiceError a call threw; fails when it resolved or threw something else. */
async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  const e = error as ServiceError;
  expect(`${e.message} ${e.stack ?? ''}`).not.toContain(KEY);
  expect(e.service).toBe('intervals');
  return e;
}

const workout = (key: string, date: string, name = `Workout ${key}`): CalendarWorkout => ({
  externalId: `domestique:${key}`,
  date,
  name,
  description: '- 10m 55%\n\n3x\n- 5m 100%\n- 5m 50%',
  movingSeconds: 2400,
  load: 38,
});

describe('the key', () => {
  it('checkKey: the athlete name with the right key; 401 for a wrong one', async () => {
    await expect(client().checkKey()).resolves.toEqual({ name: 'Ada Rider' });
    const wrong = await failure(client('not-the-key').checkKey());
    expect(wrong).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(wrong.message).toMatch(/refused the athlete id or API key/);
    // another athlete's key on this athlete: 403, the same for us
    expect(await failure(client('other-athletes-key').checkKey())).toMatchObject({ kind: 'unauthorized', status: 403 });
    expect(await failure(client(KEY, 'i999').checkKey())).toMatchObject({ kind: 'not-found', status: 404 });
  });

  it('every call sends Basic auth API_KEY:<key> and nothing of it in the URL', async () => {
    await client().checkKey();
    const last = fake.requests.at(-1)!;
    expect(last.path).toBe(`/api/v1/athlete/${ATHLETE}`);
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });

  it('a revoked key: 401 from then on', async () => {
    const local = await startFakeIntervals();
    try {
      local.addAthlete('i1', 'revocable-key');
      const api = createIntervalsClient({ apiBase: local.url, athleteId: 'i1', apiKey: 'revocable-key' });
      await expect(api.checkKey()).resolves.toEqual({ name: null });
      local.revoke('i1');
      expect(await failure(api.listActivities(new Date('2026-01-01T00:00:00Z')))).toMatchObject({ kind: 'unauthorized', status: 401 });
    } finally {
      await local.close();
    }
  });
});

describe('activities', () => {
  const fit = new Uint8Array([0x0e, 0x20, 0x8d, 0x08, 1, 2, 3, 4, 5]);
  let ride: string;
  let manual: string;
  let run: string;

  beforeAll(() => {
    ride = fake.addActivity(ATHLETE, { startTime: new Date('2026-03-03T07:00:00Z'), name: 'Morning ride', file: fit });
    run = fake.addActivity(ATHLETE, { startTime: new Date('2026-03-02T18:00:00Z'), name: 'Run', type: 'Run', file: fit });
    manual = fake.addActivity(ATHLETE, { startTime: new Date('2026-03-04T09:30:00Z'), type: 'VirtualRide', file: null });
    fake.addActivity(ATHLETE, { startTime: new Date('2026-02-20T07:00:00Z'), type: 'GravelRide', file: fit });
    fake.addActivity('i7', { startTime: new Date('2026-03-03T08:00:00Z'), file: fit });
    fake.addActivity(ATHLETE, { startTime: new Date('2026-01-10T08:00:00Z'), file: fit, source: 'STRAVA' });
  });

  it('lists the athlete’s activities oldest first, rides marked, a day more on each side of the dates', async () => {
    const list = await client().listActivities(new Date('2026-03-02T00:00:00Z'), new Date('2026-03-04T23:00:00Z'));
    expect(list.map((a) => [a.id, a.type, a.isRide, a.name])).toEqual([
      [run, 'Run', false, 'Run'],
      [ride, 'Ride', true, 'Morning ride'],
      [manual, 'VirtualRide', true, null],
    ]);
    expect(list[1]!.startTime.toISOString()).toBe('2026-03-03T07:00:00.000Z');
    expect(fake.requests.at(-1)!.query).toEqual({ oldest: '2026-03-01', newest: '2026-03-05' });
    // no newest: everything from oldest on
    const open = await client().listActivities(new Date('2026-02-21T12:00:00Z'));
    expect(open.map((a) => a.type)).toEqual(['GravelRide', 'Run', 'Ride', 'VirtualRide']);
    expect(fake.requests.at(-1)!.query).toEqual({ oldest: '2026-02-20' });
    // what intervals.icu got from Strava is listed as a stub it does not serve: never a ride to fetch
    const stub = (await client().listActivities(new Date('2026-01-10T00:00:00Z'), new Date('2026-01-10T00:00:00Z')))[0]!;
    expect(stub).toMatchObject({ type: '', isRide: false, name: null });
  });

  it('the original file as stored; null for an activity without one or unknown', async () => {
    expect(await client().activityFile(ride)).toEqual(fit);
    expect(fake.downloads(ride)).toBe(1);
    await expect(client().activityFile(manual)).resolves.toBeNull();
    await expect(client().activityFile('i99999')).resolves.toBeNull();
  });
});

describe('failures', () => {
  it('429 with Retry-After seconds: rate-limited with the wait; without: a minute', async () => {
    fake.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const limited = await failure(client().checkKey());
    expect(limited).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 7000 });
    expect(limited.message).toMatch(/slow down.*7 s/);
    fake.failNext(1, { status: 429 });
    expect(await failure(client().checkKey())).toMatchObject({ kind: 'rate-limited', retryAfterMs: DEFAULT_RETRY_AFTER_MS });
    await expect(client().checkKey()).resolves.toEqual({ name: 'Ada Rider' });
  });

  it('Retry-After as an HTTP date, or unreadable', () => {
    const now = new Date('2026-03-03T10:00:00Z');
    expect(retryAfterMs('Tue, 03 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 03 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('soon', now)).toBe(DEFAULT_RETRY_AFTER_MS);
    expect(retryAfterMs(null, now)).toBe(DEFAULT_RETRY_AFTER_MS);
  });

  it('5xx: unavailable; an answer that is not JSON: bad-response; a refused request: bad-response with its reason', async () => {
    fake.failNext(1, { status: 503 });
    expect(await failure(client().checkKey())).toMatchObject({ kind: 'unavailable', status: 503 });
    fake.failNext(1, { status: 200, body: '<html>maintenance</html>' });
    expect(await failure(client().listActivities(new Date('2026-03-01T00:00:00Z')))).toMatchObject({ kind: 'bad-response' });
    fake.failNext(1, { status: 422, body: JSON.stringify({ status: 422, error: `Bad thing near ${KEY}` }) });
    const refused = await failure(client().checkKey());
    expect(refused).toMatchObject({ kind: 'bad-response', status: 422 });
    expect(refused.message).toContain('Bad thing near ***');
  });

  it('nobody listening: unavailable, naming what we were doing', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const e = await failure(client(KEY, ATHLETE, `http://127.0.0.1:${port}`).checkKey());
    expect(e).toMatchObject({ kind: 'unavailable', status: null });
    expect(e.message).toMatch(/could not be reached.*checking the API key/);
  });
});

describe('the calendar', () => {
  it('upserting twice keeps one event per external id, updated; the athlete’s own events are left alone', async () => {
    const own = fake.addEvent(ATHLETE, { start_date_local: '2026-03-10T00:00:00', name: 'Club ride' });
    const first = await client().upsertWorkouts([workout('2026-03-10#0', '2026-03-10'), workout('2026-03-12#0', '2026-03-12')]);
    expect(first.map((e) => [e.externalId, e.date])).toEqual([
      ['domestique:2026-03-10#0', '2026-03-10'],
      ['domestique:2026-03-12#0', '2026-03-12'],
    ]);
    const second = await client().upsertWorkouts([workout('2026-03-10#0', '2026-03-11', 'Moved'), workout('2026-03-12#0', '2026-03-12')]);
    expect(second.map((e) => e.id)).toEqual(first.map((e) => e.id));
    const calendar = fake.calendar(ATHLETE);
    expect(calendar).toHaveLength(3);
    expect(calendar.find((e) => e.external_id === 'domestique:2026-03-10#0')).toMatchObject({
      start_date_local: '2026-03-11T00:00:00',
      name: 'Moved',
      category: 'WORKOUT',
      type: 'Ride',
      moving_time: 2400,
      icu_training_load: 38,
      description: '- 10m 55%\n\n3x\n- 5m 100%\n- 5m 50%',
    });
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/api/v1/athlete/${ATHLETE}/events/bulk`,
      query: { upsert: 'true' },
    });

    const ours = await client().calendarWorkouts('2026-03-09', '2026-03-15');
    expect(ours.map((e) => [e.externalId, e.date]).sort()).toEqual([
      ['domestique:2026-03-10#0', '2026-03-11'],
      ['domestique:2026-03-12#0', '2026-03-12'],
    ]);
    expect(ours.some((e) => e.id === String(own))).toBe(false);
    expect(await client().calendarWorkouts('2026-03-12', '2026-03-12')).toHaveLength(1);

    await client().deleteEvents(ours.map((e) => e.id));
    expect(fake.calendar(ATHLETE).map((e) => e.name)).toEqual(['Club ride']);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/api/v1/athlete/${ATHLETE}/events/bulk-delete` });
    await expect(client().upsertWorkouts([])).resolves.toEqual([]);
  });

  it('names longer than intervals.icu takes are cut to 80 characters', async () => {
    const long = `Threshold over-unders 3×9 + 90 min endurance — ${'x'.repeat(80)}`;
    expect([...eventName(long)]).toHaveLength(80);
    expect(eventName(long).endsWith('…')).toBe(true);
    expect(eventName('Short')).toBe('Short');
    const [event] = await client().upsertWorkouts([workout('2026-03-20#0', '2026-03-20', long)]);
    expect(fake.calendar(ATHLETE).find((e) => String(e.id) === event!.id)!.name).toBe(eventName(long));
    await client().deleteEvents([event!.id]);
  });
});

describe('the rate limit', () => {
  it('a burst of 25 calls: never more than 10 in any second at the service', async () => {
    const local = await startFakeIntervals();
    try {
      local.addAthlete('i1', 'burst-key');
      const api = createIntervalsClient({ apiBase: local.url, athleteId: 'i1', apiKey: 'burst-key' });
      await Promise.all(Array.from({ length: 25 }, () => api.checkKey()));
      const at = local.requests.map((r) => r.at).sort((a, b) => a - b);
      expect(at).toHaveLength(25);
      for (let i = 0; i + 10 < at.length; i++) expect(at[i + 10]! - at[i]!).toBeGreaterThanOrEqual(1000);
    } finally {
      await local.close();
    }
  });

  it('the limiter: starts beyond the limit wait for the window, in order', async () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 50, now: () => t });
    const order: number[] = [];
    await Promise.all([0, 1].map((i) => limiter.acquire().then(() => order.push(i))));
    t = 20;
    const third = limiter.acquire().then(() => order.push(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([0, 1]); // waiting for the window that began at 0 to end
    t = 60; // the timer set for the window's end then finds the first starts out of it
    await third;
    expect(order).toEqual([0, 1, 2]);
  });
});

describe('parseIntervalsWebhook', () => {
  const body = {
    secret: 'webhook-secret-1',
    events: [
      { athlete_id: 'i4242', type: 'ACTIVITY_UPLOADED', timestamp: '2026-03-03T08:00:00Z', activity: { id: 'i1001', type: 'Ride' } },
      { athlete_id: 'i4242', type: 'CALENDAR_UPDATED', timestamp: '2026-03-03T08:00:01Z', events: [] },
      { type: 'ACTIVITY_UPLOADED' },
    ],
  };

  it('the events of a body with the right secret', () => {
    expect(parseIntervalsWebhook(body, 'webhook-secret-1')).toEqual([
      { athleteId: 'i4242', type: 'ACTIVITY_UPLOADED', activityId: 'i1001' },
      { athleteId: 'i4242', type: 'CALENDAR_UPDATED', activityId: null },
    ]);
  });

  it('null for a wrong or missing secret, an empty configured one, or no body', () => {
    expect(parseIntervalsWebhook(body, 'webhook-secret-2')).toBeNull();
    expect(parseIntervalsWebhook({ ...body, secret: undefined }, 'webhook-secret-1')).toBeNull();
    expect(parseIntervalsWebhook({ ...body, secret: '' }, '')).toBeNull();
    expect(parseIntervalsWebhook('nope', 'webhook-secret-1')).toBeNull();
    expect(parseIntervalsWebhook({ secret: 'webhook-secret-1', events: 'x' }, 'webhook-secret-1')).toBeNull();
  });
});
