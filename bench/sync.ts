/**
 * The intervals.icu/Strava sync engine, measured in this run with the real SyncService on a real
 * SQLite store against the loopback fakes (tests/fakes/fake-intervals.ts, fake-strava.ts):
 * - Strava's webhook intake: 500 create events POSTed to the app's HTTP route, answer times
 *   against Strava's 2 s budget;
 * - an intervals.icu backfill of 100 one-hour FIT rides, against ingesting and recording the same
 *   files directly (what an upload does anyway);
 * - with the engine running by itself (start(), a 1 s poll): a new ride to its post-ride message,
 *   by intervals.icu's poll (target 60 s) and by Strava's webhook (target 5 s).
 * Prints one JSON line. See bench/README.md.
 */
import { ingestFile } from '../src/ingest/ingest.js';
import { startFakeIntervals } from '../tests/fakes/fake-intervals.js';
import { startFakeStrava } from '../tests/fakes/fake-strava.js';
import { tempStore } from '../tests/support/store.js';
import { syncEngine, syncSettings } from '../tests/support/sync-kit.js';
import { syntheticRideBytes } from '../tests/support/synthetic-files.js';
import { connectStrava, percentile, startSyncServer, stravaSamples, timedChat } from './sync-timed-chat.js';

const WEBHOOK_EVENTS = 500;
/** Events in flight at once: a busy moment, many athletes finishing their rides. */
const WEBHOOK_CONCURRENCY = 50;
const STRAVA_BUDGET_MS = 2000;
const BACKFILL_RIDES = 100;
const RIDE_MINUTES = 60;
const LATENCY_RUNS = 5;
const POLL_TARGET_MS = 60_000;
const WEBHOOK_TARGET_MS = 5000;
/** The client's limiter: 10 request starts in any 1.1 s (src/sync/intervals/rate-limiter.ts). */
const LIMIT = { requests: 10, windowMs: 1100 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHAT = 'telegram:1';
const STRAVA_ID = '987654';
const CLIENT = { clientId: '4242', clientSecret: 'client-secret-xyz' };
const INTERVALS_KEY = 'bench-api-key-0123456789abcdef';

/** 500 create events through `POST /webhooks/strava`; the runner is not started, so this is the intake alone. */
async function webhookIntake() {
  const fake = await startFakeStrava(CLIENT);
  fake.addAthlete(STRAVA_ID, 'Ana Rider');
  const db = await tempStore();
  const chat = timedChat();
  const settings = syncSettings({ strava: { apiBase: fake.url, ...CLIENT, webhookVerifyToken: 'verify-token-123' } });
  const kit = syncEngine(db.store, () => new Date(), chat.directory, settings);
  const server = await startSyncServer(kit.sync);
  try {
    const athlete = db.store.athlete((await db.store.athleteForIdentity(CHAT, 'Ana')).id);
    await connectStrava(kit.sync, fake, athlete, CHAT, STRAVA_ID);
    const ms: number[] = [];
    const send = async (i: number) => {
      const answer = await fake.sendEvent(`${server.base}/webhooks/strava`, {
        object_type: 'activity',
        object_id: 14_000_000_000 + i,
        aspect_type: 'create',
        owner_id: Number(STRAVA_ID),
      });
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
      ms.push(answer.ms);
    };
    const t0 = performance.now();
    for (let i = 0; i < WEBHOOK_EVENTS; i += WEBHOOK_CONCURRENCY)
      await Promise.all(Array.from({ length: Math.min(WEBHOOK_CONCURRENCY, WEBHOOK_EVENTS - i) }, (_, j) => send(i + j)));
    const seconds = (performance.now() - t0) / 1000;
    // every event is one fetch queued (the connect queued the backfill besides)
    const queued = (await db.store.sync.claim(new Date(), 'bench-check', { limit: 10 * WEBHOOK_EVENTS })).filter(
      (j) => j.kind === 'fetch-activity',
    );
    if (queued.length !== WEBHOOK_EVENTS) throw new Error(`${queued.length} fetches queued for ${WEBHOOK_EVENTS} events`);
    const p95Ms = percentile(ms, 95);
    return {
      events: WEBHOOK_EVENTS,
      concurrency: WEBHOOK_CONCURRENCY,
      eventsPerSecond: WEBHOOK_EVENTS / seconds,
      p50Ms: percentile(ms, 50),
      p95Ms,
      maxMs: Math.max(...ms),
      budgetRatio: p95Ms / STRAVA_BUDGET_MS,
    };
  } finally {
    await kit.sync.stop();
    await server.close();
    await fake.close();
    await db.cleanup();
  }
}

/** Reads and records `files` as uploads of one file each, into a fresh store: seconds. */
async function ingestDirectly(files: Uint8Array[]): Promise<number> {
  const db = await tempStore();
  try {
    const athlete = db.store.athlete((await db.store.athleteForIdentity('telegram:9', 'Direct')).id);
    const t0 = performance.now();
    for (const [i, bytes] of files.entries()) {
      const name = `ride-${i}.fit`;
      const read = await ingestFile(bytes, name);
      if (!read.ok) throw new Error(read.error.message);
      await athlete.recordUpload([name], { activities: read.value.activities, errors: [], bytes: bytes.length });
    }
    const seconds = (performance.now() - t0) / 1000;
    const stored = await athlete.activityCount();
    if (stored !== files.length) throw new Error(`direct: ${stored} of ${files.length} rides stored`);
    return seconds;
  } finally {
    await db.cleanup();
  }
}

/** 100 rides on the fake intervals.icu: connect, then drain() until the backfill's summary; against the direct ingest. */
async function backfill() {
  const now = Date.now();
  const files = Array.from({ length: BACKFILL_RIDES }, (_, i) => {
    const start = new Date(now - (i + 1) * DAY);
    return { start, bytes: syntheticRideBytes(200 + i, start, RIDE_MINUTES) };
  });
  await ingestDirectly(files.slice(0, 5).map((f) => f.bytes)); // warm-up: the first reads compile the decoder
  const directSeconds = await ingestDirectly(files.map((f) => f.bytes));

  const fake = await startFakeIntervals();
  fake.addAthlete('i42', INTERVALS_KEY, 'Ada');
  for (const [i, f] of files.entries()) fake.addActivity('i42', { startTime: f.start, name: `Ride ${i}`, type: 'Ride', file: f.bytes });
  const db = await tempStore();
  const chat = timedChat();
  const settings = syncSettings({ intervals: { apiBase: fake.url, pollMinutes: 10, webhookSecret: null } });
  const kit = syncEngine(db.store, () => new Date(), chat.directory, settings);
  try {
    const athlete = db.store.athlete((await db.store.athleteForIdentity(CHAT, 'Ada')).id);
    const summary = chat.next(CHAT, (t) => t.startsWith('intervals.icu: done'), 10 * 60_000);
    const t0 = performance.now();
    const connected = await kit.sync.connectIntervals(athlete, CHAT, { athleteId: 'i42', apiKey: INTERVALS_KEY, months: 12 });
    if (!connected.ok) throw new Error(`intervals.icu not connected: ${connected.error}`);
    await kit.sync.drain();
    const seconds = ((await summary).at - t0) / 1000;
    const stored = await athlete.activityCount();
    if (stored !== BACKFILL_RIDES) throw new Error(`backfill: ${stored} of ${BACKFILL_RIDES} rides stored`);
    const requests = fake.requests.length;
    return {
      rides: BACKFILL_RIDES,
      minutesEach: RIDE_MINUTES,
      seconds,
      ridesPerSecond: BACKFILL_RIDES / seconds,
      requests,
      limiterFloorSeconds: ((Math.ceil(requests / LIMIT.requests) - 1) * LIMIT.windowMs) / 1000,
      directSeconds,
      ratio: seconds / directSeconds,
    };
  } finally {
    await kit.sync.stop();
    await fake.close();
    await db.cleanup();
  }
}

/** Median and max of the latencies, ms. */
const summarise = (ms: number[], targetMs: number) => ({ runs: ms.length, medianMs: percentile(ms, 50), maxMs: Math.max(...ms), targetMs });

/** The engine started with a 1 s poll: a ride added on intervals.icu to its post-ride message, LATENCY_RUNS times. */
async function pollLatency() {
  const fake = await startFakeIntervals();
  fake.addAthlete('i42', INTERVALS_KEY, 'Ada');
  const db = await tempStore();
  const chat = timedChat();
  const settings = syncSettings({ intervals: { apiBase: fake.url, pollMinutes: 1 / 60, webhookSecret: null } });
  const kit = syncEngine(db.store, () => new Date(), chat.directory, settings);
  try {
    const athlete = db.store.athlete((await db.store.athleteForIdentity(CHAT, 'Ada')).id);
    const done = chat.next(CHAT, (t) => t.startsWith('intervals.icu: done'), 30_000);
    const connected = await kit.sync.connectIntervals(athlete, CHAT, { athleteId: 'i42', apiKey: INTERVALS_KEY, months: 1 });
    if (!connected.ok) throw new Error(`intervals.icu not connected: ${connected.error}`);
    kit.sync.start();
    await done;
    const ms: number[] = [];
    for (let run = 0; run < LATENCY_RUNS; run++) {
      const start = new Date(Date.now() - (2 + run * 1.5) * HOUR);
      const bytes = syntheticRideBytes(300 + run, start, RIDE_MINUTES);
      const message = chat.next(CHAT, (t) => t.endsWith('(from intervals.icu)'), 2 * POLL_TARGET_MS);
      const t0 = performance.now();
      fake.addActivity('i42', { startTime: start, name: `Ride ${run}`, type: 'Ride', file: bytes });
      ms.push((await message).at - t0);
    }
    return summarise(ms, POLL_TARGET_MS);
  } finally {
    await kit.sync.stop();
    await fake.close();
    await db.cleanup();
  }
}

/** The engine started: Strava's create event, POSTed to the route, to the ride's post-ride message, LATENCY_RUNS times. */
async function webhookLatency() {
  const fake = await startFakeStrava(CLIENT);
  fake.addAthlete(STRAVA_ID, 'Ana Rider');
  const db = await tempStore();
  const chat = timedChat();
  const settings = syncSettings({ strava: { apiBase: fake.url, ...CLIENT, webhookVerifyToken: 'verify-token-123' } });
  const kit = syncEngine(db.store, () => new Date(), chat.directory, settings);
  const server = await startSyncServer(kit.sync);
  try {
    const athlete = db.store.athlete((await db.store.athleteForIdentity(CHAT, 'Ana')).id);
    const done = chat.next(CHAT, (t) => t.startsWith('Strava: done'), 30_000);
    await connectStrava(kit.sync, fake, athlete, CHAT, STRAVA_ID);
    kit.sync.start();
    await done;
    const ms: number[] = [];
    for (let run = 0; run < LATENCY_RUNS; run++) {
      const start = new Date(Date.now() - (2 + run * 1.5) * HOUR);
      const id = fake.addActivity(STRAVA_ID, { startTime: start, name: `Spin ${run}`, type: 'Ride', samples: stravaSamples(RIDE_MINUTES) });
      const message = chat.next(CHAT, (t) => t.endsWith('(from Strava)'), 2 * WEBHOOK_TARGET_MS);
      const t0 = performance.now();
      const answer = await fake.sendEvent(`${server.base}/webhooks/strava`, {
        object_type: 'activity',
        object_id: Number(id),
        aspect_type: 'create',
        owner_id: Number(STRAVA_ID),
      });
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
      ms.push((await message).at - t0);
    }
    return summarise(ms, WEBHOOK_TARGET_MS);
  } finally {
    await kit.sync.stop();
    await server.close();
    await fake.close();
    await db.cleanup();
  }
}

const webhook = await webhookIntake();
const backfilled = await backfill();
const poll = await pollLatency();
const stravaWebhook = await webhookLatency();
process.stdout.write(`${JSON.stringify({ webhook, backfill: backfilled, latency: { poll, webhook: stravaWebhook } })}\n`);
