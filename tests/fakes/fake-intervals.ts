/**
 * A fake intervals.icu API on 127.0.0.1 for running the real client (src/sync/intervals) in tests.
 *
 *   const fake = await startFakeIntervals();
 *   fake.addAthlete('i42', 'key-42', 'Ada');
 *   fake.addActivity('i42', { startTime: new Date('2026-03-03T07:00:00Z'), file: fitBytes });
 *   const api = createIntervalsClient({ apiBase: fake.url, athleteId: 'i42', apiKey: 'key-42' });
 *
 * Serves, with Basic auth `API_KEY:<key>` checked on every call (401 for an unknown or revoked key,
 * 403 for another athlete's key, 404 for an unknown athlete or activity):
 * - `GET /api/v1/athlete/{id}` (`0` is the key's own athlete, as on intervals.icu);
 * - `GET /api/v1/athlete/{id}/activities?oldest=&newest=` (dates; `oldest` required; newest first);
 * - `GET /api/v1/activity/{id}/file` (the bytes given; 404 when the activity has no file);
 * - `POST /api/v1/athlete/{id}/events/bulk[?upsert=true]` (with upsert, an event whose `external_id`
 *   exists is updated, else created; names over 80 characters are refused with 422, as there);
 * - `GET /api/v1/athlete/{id}/events?oldest=&newest=&category=` (by the date of `start_date_local`);
 * - `PUT /api/v1/athlete/{id}/events/bulk-delete` (`[{ id } | { external_id }]`) and
 *   `DELETE /api/v1/athlete/{id}/events/{eventId}`.
 * Dates of activities are their UTC dates (the real service uses the athlete's zone); an activity
 * with `source: 'STRAVA'` is listed as the stub intervals.icu gives for those, without a file.
 * `failNext` scripts answers (a 429 with Retry-After, a 503, a body that is not JSON); `requests`
 * logs every call with when it arrived.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIntervalsEvent {
  id: number;
  external_id: string | null;
  start_date_local: string;
  name: string | null;
  description: string | null;
  category: string;
  type: string | null;
  moving_time: number | null;
  icu_training_load: number | null;
}

export interface FakeIntervalsRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** The query parameters. */
  query: Record<string, string>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface FakeActivityInput {
  id?: string;
  startTime: Date;
  name?: string;
  type?: string;
  file: Uint8Array | null;
  /** Where intervals.icu got it (default GARMIN_CONNECT, or MANUAL without a file). */
  source?: string;
}

export interface FakeFailure {
  status: number;
  retryAfterSeconds?: number;
  /** Instead of the service's error JSON (e.g. `status: 200` with text that is not JSON). */
  body?: string;
}

export interface FakeIntervals {
  /** The `apiBase`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly requests: FakeIntervalsRequest[];
  addAthlete(athleteId: string, apiKey: string, name?: string): void;
  /** Adds an activity and returns its id (`i…` unless given); `source: 'STRAVA'` makes it a stub without a file. */
  addActivity(athleteId: string, activity: FakeActivityInput): string;
  /** An event the athlete made themselves (no external id unless given): ours must never touch it. */
  addEvent(athleteId: string, event: Partial<Omit<FakeIntervalsEvent, 'id'>> & { start_date_local: string }): number;
  /** The athlete's calendar events, by date then id. */
  calendar(athleteId: string): FakeIntervalsEvent[];
  /** The athlete's key stops working: 401 from now on. */
  revoke(athleteId: string): void;
  /** The next `count` calls (any route) get this answer. */
  failNext(count: number, response: FakeFailure): void;
  /** How often an activity's file was downloaded. */
  downloads(activityId: string): number;
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

interface Athlete {
  id: string;
  apiKey: string;
  name: string | null;
  revoked: boolean;
  events: FakeIntervalsEvent[];
}

interface Activity {
  id: string;
  athleteId: string;
  startTime: Date;
  name: string | null;
  type: string;
  file: Uint8Array | null;
  source: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const NAME_MAX = 80;
const BODY_LIMIT = 5 * 1024 * 1024;
const CATEGORIES = new Set(['WORKOUT', 'NOTE', 'RACE_A', 'RACE_B', 'RACE_C', 'TARGET', 'PLAN', 'HOLIDAY', 'SICK', 'INJURED']);

export async function startFakeIntervals(): Promise<FakeIntervals> {
  const athletes = new Map<string, Athlete>();
  const activities = new Map<string, Activity>();
  const downloadCounts = new Map<string, number>();
  const requests: FakeIntervalsRequest[] = [];
  const failures: FakeFailure[] = [];
  let nextActivity = 1001;
  let nextEvent = 5001;

  function athleteOf(id: string): Athlete {
    const athlete = athletes.get(id);
    if (!athlete) throw new Error(`fake-intervals: no athlete ${id}`);
    return athlete;
  }

  /** The athlete the key belongs to, or a 401. */
  function keyOwner(req: IncomingMessage): Athlete {
    const header = req.headers.authorization ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(header);
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : '';
    const key = decoded.startsWith('API_KEY:') ? decoded.slice('API_KEY:'.length) : null;
    const owner = [...athletes.values()].find((a) => key !== null && a.apiKey === key && !a.revoked);
    if (!owner) throw new HttpError(401, 'Unauthorized');
    return owner;
  }

  /** The athlete of the path, checked against the key's owner. */
  function authorized(req: IncomingMessage, athleteId: string): Athlete {
    const owner = keyOwner(req);
    if (athleteId === '0') return owner;
    const athlete = athletes.get(athleteId);
    if (!athlete) throw new HttpError(404, 'Athlete not found');
    if (athlete !== owner) throw new HttpError(403, 'Access denied');
    return athlete;
  }

  const localDate = (d: Date): string => d.toISOString().slice(0, 10);
  const localTime = (d: Date): string => d.toISOString().slice(0, 19);

  function activityJson(a: Activity) {
    // What intervals.icu lists for an activity it got from Strava: a stub, as Strava's terms require.
    if (a.source === 'STRAVA')
      return {
        id: a.id,
        icu_athlete_id: a.athleteId,
        start_date_local: localTime(a.startTime),
        source: 'STRAVA',
        _note: 'STRAVA activities are not available via the API',
      };
    return {
      id: a.id,
      icu_athlete_id: a.athleteId,
      start_date_local: localTime(a.startTime),
      start_date: `${localTime(a.startTime)}Z`,
      type: a.type,
      name: a.name,
      source: a.source,
    };
  }

  function dateRange(query: Record<string, string>, required: boolean): { oldest: string; newest: string | null } {
    const oldest = query.oldest?.slice(0, 10);
    if (!oldest) {
      if (required) throw new HttpError(422, 'oldest is required');
      return { oldest: '0000-00-00', newest: query.newest?.slice(0, 10) ?? null };
    }
    return { oldest, newest: query.newest?.slice(0, 10) ?? null };
  }

  function upsert(athlete: Athlete, body: unknown, upsertOn: boolean): FakeIntervalsEvent[] {
    if (!Array.isArray(body)) throw new HttpError(422, 'Expected an array of events');
    const out: FakeIntervalsEvent[] = [];
    for (const raw of body as Record<string, unknown>[]) {
      const category = String(raw.category ?? '');
      const start = typeof raw.start_date_local === 'string' ? raw.start_date_local : '';
      if (!CATEGORIES.has(category)) throw new HttpError(422, `Invalid category: ${category}`);
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/.test(start)) throw new HttpError(422, 'start_date_local is required');
      const name = typeof raw.name === 'string' ? raw.name : null;
      if (name !== null && [...name].length > NAME_MAX) throw new HttpError(422, 'Name is too long');
      const externalId = typeof raw.external_id === 'string' ? raw.external_id : null;
      const fields = {
        external_id: externalId,
        start_date_local: start.length === 10 ? `${start}T00:00:00` : start,
        name,
        description: typeof raw.description === 'string' ? raw.description : null,
        category,
        type: typeof raw.type === 'string' ? raw.type : null,
        moving_time: typeof raw.moving_time === 'number' ? raw.moving_time : null,
        icu_training_load: typeof raw.icu_training_load === 'number' ? raw.icu_training_load : null,
      };
      const existing = upsertOn && externalId !== null ? athlete.events.find((e) => e.external_id === externalId) : undefined;
      if (existing) Object.assign(existing, fields);
      const event = existing ?? { id: nextEvent++, ...fields };
      if (!existing) athlete.events.push(event);
      out.push({ ...event });
    }
    return out;
  }

  function bulkDelete(athlete: Athlete, body: unknown): { eventsDeleted: number } {
    if (!Array.isArray(body)) throw new HttpError(422, 'Expected an array of event ids');
    const before = athlete.events.length;
    for (const raw of body as { id?: unknown; external_id?: unknown }[]) {
      athlete.events = athlete.events.filter(
        (e) =>
          !(
            (raw.id !== undefined && String(e.id) === String(raw.id)) ||
            (typeof raw.external_id === 'string' && e.external_id === raw.external_id)
          ),
      );
    }
    return { eventsDeleted: before - athlete.events.length };
  }

  function route(req: IncomingMessage, path: string, query: Record<string, string>, body: unknown): { json?: unknown; bytes?: Uint8Array } {
    const method = req.method ?? 'GET';
    const file = /^\/api\/v1\/activity\/([^/]+)\/file$/.exec(path);
    if (file && method === 'GET') {
      const owner = keyOwner(req);
      const activity = activities.get(decodeURIComponent(file[1]!));
      if (!activity) throw new HttpError(404, 'Activity not found');
      if (activity.athleteId !== owner.id) throw new HttpError(403, 'Access denied');
      if (!activity.file) throw new HttpError(404, 'Activity has no file');
      downloadCounts.set(activity.id, (downloadCounts.get(activity.id) ?? 0) + 1);
      return { bytes: activity.file };
    }
    const match = /^\/api\/v1\/athlete\/([^/]+)(\/.*)?$/.exec(path);
    if (!match) throw new HttpError(404, 'Not found');
    const athlete = authorized(req, decodeURIComponent(match[1]!));
    const rest = match[2] ?? '';
    if (rest === '' && method === 'GET') return { json: { id: athlete.id, name: athlete.name, email: null } };
    if (rest === '/activities' && method === 'GET') {
      const { oldest, newest } = dateRange(query, true);
      const list = [...activities.values()]
        .filter(
          (a) => a.athleteId === athlete.id && localDate(a.startTime) >= oldest && (newest === null || localDate(a.startTime) <= newest),
        )
        .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
      return { json: list.map(activityJson) };
    }
    if (rest === '/events/bulk' && method === 'POST') return { json: upsert(athlete, body, query.upsert === 'true') };
    if (rest === '/events' && method === 'GET') {
      const { oldest, newest } = dateRange(query, false);
      const categories = query.category ? new Set(query.category.split(',')) : null;
      const list = athlete.events.filter((e) => {
        const date = e.start_date_local.slice(0, 10);
        return date >= oldest && (newest === null || date <= newest) && (categories === null || categories.has(e.category));
      });
      return { json: sortEvents(list).map((e) => ({ ...e })) };
    }
    if (rest === '/events/bulk-delete' && method === 'PUT') return { json: bulkDelete(athlete, body) };
    const one = /^\/events\/(\d+)$/.exec(rest);
    if (one && method === 'DELETE') {
      const before = athlete.events.length;
      athlete.events = athlete.events.filter((e) => e.id !== Number(one[1]));
      if (athlete.events.length === before) throw new HttpError(404, 'Event not found');
      return { json: {} };
    }
    throw new HttpError(404, 'Not found');
  }

  const send = (res: ServerResponse, status: number, body: string | Uint8Array, type: string, headers: Record<string, string> = {}) => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams.entries());
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, at: Date.now() });
    const raw = await readBody(req);
    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
      const body = failure.body ?? JSON.stringify({ status: failure.status, error: `Scripted failure ${failure.status}` });
      return send(res, failure.status, body, 'application/json', headers);
    }
    try {
      let body: unknown = undefined;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8')) as unknown;
        } catch {
          throw new HttpError(400, 'Invalid JSON');
        }
      }
      const answer = route(req, url.pathname, query, body);
      if (answer.bytes) return send(res, 200, answer.bytes, 'application/octet-stream');
      send(res, 200, JSON.stringify(answer.json), 'application/json');
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      send(res, error.status, JSON.stringify({ status: error.status, error: error.message }), 'application/json');
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, JSON.stringify({ status: 500, error: String(error) }), 'application/json'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addAthlete(athleteId, apiKey, name) {
      athletes.set(athleteId, { id: athleteId, apiKey, name: name ?? null, revoked: false, events: [] });
    },
    addActivity(athleteId, activity) {
      athleteOf(athleteId);
      const id = activity.id ?? `i${nextActivity++}`;
      activities.set(id, {
        id,
        athleteId,
        startTime: activity.startTime,
        name: activity.name ?? null,
        type: activity.type ?? 'Ride',
        file: activity.source === 'STRAVA' ? null : activity.file,
        source: activity.source ?? (activity.file ? 'GARMIN_CONNECT' : 'MANUAL'),
      });
      return id;
    },
    addEvent(athleteId, event) {
      const id = nextEvent++;
      athleteOf(athleteId).events.push({
        id,
        external_id: null,
        name: null,
        description: null,
        category: 'WORKOUT',
        type: 'Ride',
        moving_time: null,
        icu_training_load: null,
        ...event,
      });
      return id;
    },
    calendar: (athleteId) => sortEvents(athleteOf(athleteId).events).map((e) => ({ ...e })),
    revoke(athleteId) {
      athleteOf(athleteId).revoked = true;
    },
    failNext(count, response) {
      for (let i = 0; i < count; i++) failures.push(response);
    },
    downloads: (activityId) => downloadCounts.get(activityId) ?? 0,
    async waitFor(check, timeoutMs = 5000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = check();
        if (value !== undefined && value !== false && value !== null) return value;
        if (Date.now() > deadline) throw new Error(`fake-intervals: timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sortEvents(events: readonly FakeIntervalsEvent[]): FakeIntervalsEvent[] {
  return [...events].sort((a, b) =>
    a.start_date_local < b.start_date_local ? -1 : a.start_date_local > b.start_date_local ? 1 : a.id - b.id,
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new Error('fake-intervals: request body too large');
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}
