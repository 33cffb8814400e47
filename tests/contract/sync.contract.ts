/**
 * Rides that arrive by themselves, on every platform: an athlete with a current plan connects
 * intervals.icu (id and key in one message, which Telegram deletes) and Strava (the OAuth link,
 * the callback on the bot's HTTP server), both against loopback fakes of the services. The backfill
 * ends in one summary; a ride recorded afterwards reaches the athlete as ONE post-ride message —
 * within 60 s through intervals.icu's poll (the poll interval shortened), within 5 s through a
 * Strava webhook; the same ride from a FIT upload and from both services is one activity; the
 * intervals.icu calendar holds exactly the plan's workouts, also after an adaptation; /connections,
 * /export (no secret in it), /disconnect (Strava told). The database file never holds a key or token.
 *
 * The app's clock runs at real speed from Tuesday 22 September 2026, 19:00 UTC (the first week of
 * the coaching athlete's plan): the latencies are real, the dates the plan's.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatApp } from '../../src/app/chat-app.js';
import { startOperationsServer } from '../../src/app/observability.js';
import { syncRoutes } from '../../src/app/sync-routes.js';
import { zonedDate } from '../../src/domain/calendar.js';
import { calendarWorkouts } from '../../src/domain/coaching/calendar-workouts.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { workoutRide } from '../../src/synthetic/workout-ride.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/fake-intervals.js';
import { startFakeStrava, type FakeStrava } from '../fakes/fake-strava.js';
import { COACHING_FTP, COACHING_ZONE, withCoachingPlan } from '../support/coaching-athlete.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';
import { suiteAthletes, type ChatDriver, type DriverFactory } from './driver.js';

export interface SyncPlatform {
  factory: DriverFactory;
  app(dbPath: string): Promise<ChatApp | null>;
  /** True where the bot deletes the message that held the key (Telegram); checked with `deleted`. */
  deletesKeyMessage: boolean;
  /** The ids of the athlete's messages the bot deleted (Telegram's fake). */
  deleted?(driver: ChatDriver): string[];
  /** Everything the bot logged (at debug level), where the platform captures it. */
  logs?(): string;
}

/** The environment every platform's app gets: the fakes, a short poll, a secrets key. */
export interface SyncEnvironment {
  env: Record<string, string>;
  clock: () => Date;
}

export const SYNC_SECRETS_KEY = 'contract-secrets-key-0123456789abcdef';
const START = new Date('2026-09-22T19:00:00Z');
const INTERVALS_ID = 'i4711';
const INTERVALS_KEY = '3k9x7q2m5v8b1n4c6z0l9p8o7i6u5y4t';
const STRAVA_ATHLETE = '987654';

/**
 * Runs the contract. `platform(environment)` builds the drivers with the environment's variables and
 * clock; the fakes are started first (their URLs are in the variables).
 */
export function runSyncContract(name: string, platform: (environment: SyncEnvironment) => SyncPlatform): void {
  const fakes: { intervals?: FakeIntervals; strava?: FakeStrava; lastRide?: { start: Date; bytes: Uint8Array } } = {};
  const t0 = Date.now();
  const clock = () => new Date(START.getTime() + (Date.now() - t0));
  const env: Record<string, string> = {
    SECRETS_KEY: SYNC_SECRETS_KEY,
    INTERVALS_POLL_MINUTES: '0.02',
    STRAVA_CLIENT_ID: '4242',
    STRAVA_CLIENT_SECRET: 'contract-client-secret',
    STRAVA_WEBHOOK_VERIFY_TOKEN: 'contract-verify-token',
    PUBLIC_URL: 'http://127.0.0.1:9',
  };
  // the fakes' URLs are only known once they listen: the platform reads `env` when its first driver starts
  const built = platform({ env, clock });
  const { athlete, dbPath } = suiteAthletes(built.factory, 'sync', 1200);
  let server: Server | null = null;

  beforeAll(async () => {
    fakes.intervals = await startFakeIntervals();
    fakes.strava = await startFakeStrava({ clock });
    env.INTERVALS_API_BASE = fakes.intervals.url;
    env.STRAVA_API_BASE = fakes.strava.url;
    fakes.intervals.addAthlete(INTERVALS_ID, INTERVALS_KEY, 'Rider');
    fakes.strava.addAthlete(STRAVA_ATHLETE, 'Rider');
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await fakes.intervals?.close();
    await fakes.strava?.close();
  });

  describe(`sync: intervals.icu and Strava in chat — ${name}`, () => {
    let d: ChatDriver;
    let app: ChatApp;
    let athleteId: string;
    let baseUrl: string;
    const now = () => clock();

    it('connects intervals.icu: the key is read, checked, stored sealed; the backfill ends in one summary', async () => {
      const intervals = fakes.intervals!;
      // history on intervals.icu: two rides last month and a run (not fetched)
      for (const daysAgo of [20, 12]) {
        const start = new Date(START.getTime() - daysAgo * 86_400_000);
        intervals.addActivity(INTERVALS_ID, {
          startTime: start,
          name: `Ride ${daysAgo}`,
          type: 'Ride',
          file: syntheticRideBytes(daysAgo, start, 60),
        });
      }
      intervals.addActivity(INTERVALS_ID, { startTime: new Date(START.getTime() - 5 * 86_400_000), name: 'Run', type: 'Run', file: null });

      d = await athlete();
      await d.send('/help');
      const running = await built.app(dbPath());
      if (!running) throw new Error('no app runs on this database');
      app = running;
      athleteId = (await app.store.athleteForIdentity(d.athleteKey, 'Rider')).id;
      await withCoachingPlan(app.store.athlete(athleteId), now());
      server = await startOperationsServer(0, app.metrics, () => app.health(), syncRoutes(app.sync));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      app.sync.start();

      await d.send('/connect intervals');
      expect(d.messages().at(-1)!.text).toMatch(/athlete id and API key/i);
      await d.send(`${INTERVALS_ID} ${INTERVALS_KEY}`);
      const connected = await d.waitFor(() => d.messages().find((m) => /Connected to intervals\.icu/i.test(m.text)), 10_000, 'connected');
      expect(connected.text).toContain(INTERVALS_ID);
      if (built.deletesKeyMessage) expect(built.deleted!(d).length, 'the message with the key was deleted').toBe(1);

      const summary = await d.waitFor(
        () => d.messages().find((m) => /2 new rides?/i.test(m.text) && /intervals\.icu/.test(m.text)),
        30_000,
        'the backfill summary',
      );
      expect(summary.text).not.toMatch(/Run/);
      expect(await app.store.athlete(athleteId).activityCount()).toBe(2);
      // no post-ride message for history
      expect(d.messages().filter((m) => /^Form:/m.test(m.text))).toHaveLength(0);
    });

    it('pushes the plan to the intervals.icu calendar: exactly its workouts from today on', async () => {
      const today = zonedDate(now(), COACHING_ZONE);
      // the plan's workouts, read before each wait (the plan changes only on the awaited messages)
      const expected = async () => {
        const version = (await app.loop.currentPlan(app.store.athlete(athleteId)))!;
        return calendarWorkouts(version, today)
          .map((w) => w.externalId)
          .sort();
      };
      const onCalendar = () =>
        fakes
          .intervals!.calendar(INTERVALS_ID)
          .filter((e) => e.start_date_local.slice(0, 10) >= today)
          .map((e) => e.external_id)
          .sort();
      const planned = await expected();
      expect(planned.length).toBeGreaterThan(0);
      await d.waitFor(() => JSON.stringify(onCalendar()) === JSON.stringify(planned), 20_000, 'the calendar push');
      // an adaptation: ill for three days → a new version, pushed again; dropped workouts removed
      await d.send("I'm ill, a bad cold, for 3 days");
      expect((await app.store.athlete(athleteId).coaching.planVersions()).length).toBeGreaterThan(1);
      const adapted = await expected();
      await d.waitFor(() => JSON.stringify(onCalendar()) === JSON.stringify(adapted), 20_000, 'the calendar after the adaptation');
      const names = new Map(fakes.intervals!.calendar(INTERVALS_ID).map((e) => [e.external_id, e]));
      for (const w of calendarWorkouts((await app.loop.currentPlan(app.store.athlete(athleteId)))!, today)) {
        expect(names.get(w.externalId)!.description, `${w.name} in intervals.icu's workout text`).toBe(w.description);
      }
    });

    it('a ride recorded after /connect arrives as one post-ride message within 60 s (intervals.icu poll)', async () => {
      const version = (await app.loop.currentPlan(app.store.athlete(athleteId)))!;
      const today = zonedDate(now(), COACHING_ZONE);
      const workout = version.plan.weeks.flatMap((w) => w.days).find((day) => day.date === today)?.workouts[0];
      const start = new Date(now().getTime() - 2 * 3_600_000);
      const bytes = workout
        ? encodeActivityFit([workoutRide({ seed: 3, startTime: start, ftp: COACHING_FTP, workout })])
        : syntheticRideBytes(3, start, 60);
      const before = d.messages().length;
      const added = Date.now();
      fakes.intervals!.addActivity(INTERVALS_ID, { startTime: start, name: 'Evening ride', type: 'Ride', file: bytes });
      const message = await d.waitFor(
        () =>
          d
            .messages()
            .slice(before)
            .find((m) => /Form/.test(m.text)),
        60_000,
        'the post-ride message',
      );
      expect(Date.now() - added).toBeLessThanOrEqual(60_000);
      expect(message.text).toMatch(/TSS/);
      expect(message.text).toMatch(/intervals\.icu/);
      expect(
        d
          .messages()
          .slice(before)
          .filter((m) => /Form/.test(m.text)),
      ).toHaveLength(1);
      expect(await app.store.athlete(athleteId).activityCount()).toBe(3);

      // the same ride uploaded by hand is the same activity
      await d.sendFiles([{ fileName: 'evening.fit', content: bytes }]);
      expect(await app.store.athlete(athleteId).activityCount()).toBe(3);
      fakes.lastRide = { start, bytes };
    });

    it('connects Strava through the OAuth link and the callback; the backfill merges the same ride', async () => {
      const strava = fakes.strava!;
      const last = fakes.lastRide!;
      strava.addActivity(STRAVA_ATHLETE, {
        startTime: last.start,
        name: 'Evening ride',
        type: 'Ride',
        samples: { watts: Array.from({ length: 3600 }, () => 180) },
      });
      await d.send('/connect strava');
      const link = /https?:\/\/\S+/.exec(d.messages().at(-1)!.text)?.[0];
      expect(link, 'the authorization link').toBeDefined();
      const url = new URL(link!);
      expect(url.searchParams.get('scope')).toBe('activity:read_all');
      const code = strava.authorize(STRAVA_ATHLETE);
      const page = await fetch(
        `${baseUrl}/oauth/strava/callback?state=${url.searchParams.get('state')}&code=${code}&scope=read,activity:read_all`,
      );
      expect(page.status).toBe(200);
      const pageText = await page.text();
      expect(pageText).toMatch(/Connected/);
      expect(pageText).not.toContain(code);
      await d.waitFor(() => d.messages().find((m) => /Strava connected/i.test(m.text)), 10_000, 'Strava connected');
      await d.waitFor(
        () => d.messages().find((m) => /Strava/.test(m.text) && /already here|merged/i.test(m.text)),
        30_000,
        'the Strava backfill summary',
      );
      expect(await app.store.athlete(athleteId).activityCount(), 'the ride from FIT, intervals.icu and Strava is one activity').toBe(3);
      // a second use of the same link is refused
      const again = await fetch(
        `${baseUrl}/oauth/strava/callback?state=${url.searchParams.get('state')}&code=${code}&scope=read,activity:read_all`,
      );
      expect(await again.text()).toMatch(/expired/i);
    });

    it('a Strava webhook event becomes a post-ride message within 5 s; a duplicate event changes nothing', async () => {
      const strava = fakes.strava!;
      const start = new Date(now().getTime() - 3_600_000);
      const id = strava.addActivity(STRAVA_ATHLETE, {
        startTime: start,
        name: 'Lunch spin',
        type: 'VirtualRide',
        samples: { watts: Array.from({ length: 1800 }, (_, i) => 150 + (i % 60)) },
      });
      const before = d.messages().length;
      const event = {
        object_type: 'activity',
        object_id: Number(id),
        aspect_type: 'create',
        owner_id: Number(STRAVA_ATHLETE),
        subscription_id: 1,
        event_time: Math.floor(Date.now() / 1000),
        updates: {},
      };
      const sent = Date.now();
      const answer = await strava.sendEvent(`${baseUrl}/webhooks/strava`, event);
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(2000);
      const message = await d.waitFor(
        () =>
          d
            .messages()
            .slice(before)
            .find((m) => /Lunch spin/.test(m.text)),
        5_000,
        'the post-ride message',
      );
      expect(Date.now() - sent).toBeLessThanOrEqual(5_000);
      expect(message.text).toMatch(/Strava/);
      expect((await strava.sendEvent(`${baseUrl}/webhooks/strava`, event)).status).toBe(200);
      await app.sync.drain();
      expect(
        d
          .messages()
          .slice(before)
          .filter((m) => /Lunch spin/.test(m.text)),
      ).toHaveLength(1);
      expect(await app.store.athlete(athleteId).activityCount()).toBe(4);
    });

    it('/connections, /export without secrets, and the database file holds no key or token', async () => {
      await d.send('/connections');
      const list = d.messages().at(-1)!.text;
      expect(list).toMatch(/intervals\.icu/);
      expect(list).toMatch(/Strava/);
      expect(list).toContain(INTERVALS_ID);
      await d.send('/export');
      const file = await d.waitFor(() => d.files().find((f) => /\.json(\.gz)?$/.test(f.fileName)), 20_000, 'the export');
      const text = Buffer.from(file.fileName.endsWith('.gz') ? gunzipSync(file.content) : file.content).toString('utf8');
      const exported = JSON.parse(text) as { connections: { service: string }[] };
      expect(exported.connections.map((c) => c.service).sort()).toEqual(['intervals', 'strava']);
      expect(text).not.toContain(INTERVALS_KEY);
      for (const token of fakes.strava!.tokensOf(STRAVA_ATHLETE)) expect(text).not.toContain(token);
      const database = readFileSync(dbPath());
      expect(database.includes(Buffer.from(INTERVALS_KEY)), 'the API key in the database file').toBe(false);
      for (const token of fakes.strava!.tokensOf(STRAVA_ATHLETE)) expect(database.includes(Buffer.from(token))).toBe(false);
    });

    it('no key, token or client secret reaches the log', async () => {
      if (!built.logs) return;
      const logs = built.logs();
      expect(logs.length, 'the bot logged at debug level').toBeGreaterThan(1000);
      for (const secret of [INTERVALS_KEY, SYNC_SECRETS_KEY, env.STRAVA_CLIENT_SECRET!, ...fakes.strava!.tokensOf(STRAVA_ATHLETE)])
        expect(logs).not.toContain(secret);
    });

    it('/disconnect strava deletes the tokens and tells Strava', async () => {
      await d.send('/disconnect strava');
      expect(d.messages().at(-1)!.text).toMatch(/Disconnected from Strava/);
      expect(fakes.strava!.deauthorized()).toContain(STRAVA_ATHLETE);
      expect(await app.store.athlete(athleteId).sync.connection('strava')).toBeNull();
      await d.send('/connections');
      expect(d.messages().at(-1)!.text).toMatch(/Strava[^\n]*not connected/i);
      await app.sync.stop();
    });
  });
}
