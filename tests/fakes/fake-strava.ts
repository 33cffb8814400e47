/**
 * A fake Strava on 127.0.0.1 for running the real Strava client, sync engine and webhook endpoint
 * in tests.
 *
 *   const fake = await startFakeStrava({ clock });
 *   fake.addAthlete('987654', 'Ana Rider');
 *   const code = fake.authorize('987654');                 // the athlete clicked "Authorize"
 *   const id = fake.addActivity('987654', { startTime, samples: { watts: [...] } });
 *   await fake.sendEvent(`${base}/webhooks/strava`, { object_type: 'activity', object_id: Number(id), ... });
 *
 * Serves what the client uses, with Strava's paths, field names and errors:
 * - `POST /api/v3/oauth/token` (also `/oauth/token`): `authorization_code` (a code from `authorize`,
 *   once) and `refresh_token`. Access tokens live 6 h by the fake's clock; a refresh while the
 *   current access token has more than 1 h left returns that token again, as Strava does; every
 *   refresh ROTATES the refresh token and the old one is refused afterwards (400). The code answer
 *   carries the athlete; the refresh answer does not.
 * - `POST /oauth/deauthorize` (`access_token`): revokes the athlete's tokens; `deauthorized()` lists who.
 * - `GET /api/v3/athlete/activities` (`after`, `before`, `page`, `per_page`), `GET /api/v3/activities/{id}`,
 *   `GET /api/v3/activities/{id}/streams` (`keys`, `key_by_type`): Bearer auth, 401 for an unknown,
 *   expired or revoked token or one without an activity scope, 404 for another athlete's or a
 *   deleted activity. Every answer has `X-RateLimit-*` and `X-ReadRateLimit-*` headers (200/2,000 and
 *   100/1,000, the windows turning at each quarter hour and at midnight UTC by the fake's clock);
 *   `limitAfter` makes it answer 429.
 * - `POST/GET /api/v3/push_subscriptions`, `DELETE /api/v3/push_subscriptions/{id}`: creating one
 *   first calls the callback with `hub.mode=subscribe`, `hub.verify_token` and `hub.challenge` and
 *   wants `{"hub.challenge": …}` back within 2 s, like Strava; one subscription per application.
 *
 * Client credentials: checked when the options give them, else any non-empty pair is taken.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildActivity, listedActivity, streamsAnswer, type FakeActivity, type FakeStravaActivitySpec } from './fake-strava-activity.js';

export type { FakeStravaActivitySpec } from './fake-strava-activity.js';

export const ACCESS_TOKEN_SECONDS = 6 * 3600;
/** Strava's default limits: all requests (15 min, day) and reads. */
export const FAKE_RATE_LIMIT = { short: 200, daily: 2000 };
export const FAKE_READ_RATE_LIMIT = { short: 100, daily: 1000 };

export interface FakeStravaOptions {
  clock?: () => Date;
  clientId?: string;
  clientSecret?: string;
}

/** One request the fake answered. */
export interface FakeStravaRequest {
  method: string;
  /** The path without the query (which may hold the client secret). */
  path: string;
  status: number;
  /** Strava's athlete id of the Bearer token, when one was valid. */
  athleteId: string | null;
  at: Date;
}

/** A webhook event in Strava's own shape; `subscription_id` and `event_time` are filled in when left out. */
export interface FakeStravaEvent {
  object_type: string;
  object_id: number;
  aspect_type: string;
  owner_id: number;
  subscription_id?: number;
  event_time?: number;
  updates?: Record<string, string>;
}

export interface FakeStrava {
  /** The base URL (STRAVA_API_BASE), e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly requests: FakeStravaRequest[];
  addAthlete(stravaAthleteId: string, name?: string): void;
  /** The one-time code Strava puts in the redirect after the athlete allows access. */
  authorize(stravaAthleteId: string, scopes?: string[]): string;
  /** A recorded activity (1 Hz samples); its Strava id back. */
  addActivity(stravaAthleteId: string, spec: FakeStravaActivitySpec): string;
  deleteActivity(activityId: string): void;
  /** The athlete revokes the application on Strava's site: every token stops working. */
  revoke(stravaAthleteId: string): void;
  /** Athletes whose access the application gave up through `POST /oauth/deauthorize`. */
  deauthorized(): string[];
  /** Every access and refresh token ever issued to the athlete. */
  tokensOf(stravaAthleteId: string): string[];
  /** The athlete's current tokens, null when none are valid. */
  currentTokens(stravaAthleteId: string): { accessToken: string; refreshToken: string; expiresAt: Date } | null;
  /**
   * After `requests` more API requests, answer 429 until the window turns (`short`: the next quarter
   * hour, `daily`: midnight UTC, by the fake's clock) or, with `retryAfterSeconds`, for that long
   * with a `Retry-After` header.
   */
  limitAfter(requests: number, retryAfterSeconds?: number, window?: 'short' | 'daily'): void;
  /** Ends a `limitAfter`. */
  unlimit(): void;
  subscriptions(): { id: number; callbackUrl: string; verifyToken: string }[];
  /** POSTs a webhook event to the callback as Strava does; the status and how long the answer took. */
  sendEvent(callbackUrl: string, event: FakeStravaEvent): Promise<{ status: number; ms: number }>;
  close(): Promise<void>;
}

interface AthleteState {
  id: string;
  firstname: string;
  lastname: string;
  scopes: string[];
  access: string | null;
  accessExpiresAt: number;
  refresh: string | null;
  issued: string[];
}

interface Limit {
  remaining: number;
  retryAfterSeconds: number | null;
  window: 'short' | 'daily';
  until: number | null;
}

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const fault = (message: string, resource: string, field: string, code: string) => ({ message, errors: [{ resource, field, code }] });

export async function startFakeStrava(options: FakeStravaOptions = {}): Promise<FakeStrava> {
  const clock = options.clock ?? (() => new Date());
  const athletes = new Map<string, AthleteState>();
  const accessTokens = new Map<string, { athleteId: string; expiresAt: number }>();
  const codes = new Map<string, { athleteId: string; scopes: string[]; used: boolean }>();
  const activities = new Map<string, FakeActivity>();
  const requests: FakeStravaRequest[] = [];
  const deauthorizedIds: string[] = [];
  const subs: { id: number; callbackUrl: string; verifyToken: string; createdAt: Date }[] = [];
  const usage = { window: -1, day: -1, short: 0, daily: 0 };
  let limit: Limit | null = null;
  let nextActivityId = 13_000_000_001;
  let nextSubscriptionId = 1;
  const now = () => clock().getTime();
  const token = () => randomBytes(20).toString('hex');

  function athleteOf(id: string): AthleteState {
    const a = athletes.get(id);
    if (!a) throw new Error(`fake Strava: no athlete ${id} (addAthlete first)`);
    return a;
  }

  function revokeTokens(a: AthleteState): void {
    for (const [t, owner] of accessTokens) if (owner.athleteId === a.id) accessTokens.delete(t);
    a.access = null;
    a.refresh = null;
  }

  function issueAccess(a: AthleteState): void {
    a.access = token();
    a.accessExpiresAt = now() + ACCESS_TOKEN_SECONDS * 1000;
    accessTokens.set(a.access, { athleteId: a.id, expiresAt: a.accessExpiresAt });
    a.issued.push(a.access);
  }

  function tokenAnswer(a: AthleteState, withAthlete: boolean): Record<string, unknown> {
    const answer: Record<string, unknown> = {
      token_type: 'Bearer',
      expires_at: Math.floor(a.accessExpiresAt / 1000),
      expires_in: Math.max(0, Math.floor((a.accessExpiresAt - now()) / 1000)),
      refresh_token: a.refresh,
      access_token: a.access,
    };
    if (withAthlete) answer.athlete = { id: Number(a.id), username: null, resource_state: 2, firstname: a.firstname, lastname: a.lastname };
    return answer;
  }

  function clientRefused(params: URLSearchParams): boolean {
    const id = params.get('client_id');
    const secret = params.get('client_secret');
    if (!id || !secret) return true;
    return (
      (options.clientId !== undefined && id !== options.clientId) || (options.clientSecret !== undefined && secret !== options.clientSecret)
    );
  }

  /** `POST /api/v3/oauth/token`. */
  function tokenEndpoint(params: URLSearchParams): [number, unknown] {
    if (clientRefused(params)) return [401, fault('Bad Request', 'Application', 'client_id', 'invalid')];
    const grant = params.get('grant_type');
    if (grant === 'authorization_code') {
      const entry = codes.get(params.get('code') ?? '');
      if (!entry || entry.used) return [400, fault('Bad Request', 'AuthorizationCode', 'code', 'invalid')];
      entry.used = true;
      const a = athleteOf(entry.athleteId);
      revokeTokens(a);
      a.scopes = entry.scopes;
      issueAccess(a);
      a.refresh = token();
      a.issued.push(a.refresh);
      return [200, tokenAnswer(a, true)];
    }
    if (grant === 'refresh_token') {
      const given = params.get('refresh_token');
      const a = [...athletes.values()].find((x) => x.refresh !== null && x.refresh === given);
      if (!a) return [400, fault('Bad Request', 'RefreshToken', 'refresh_token', 'invalid')];
      // Strava hands back the current access token while it has more than an hour left
      if (a.access === null || a.accessExpiresAt - now() <= 3600_000) issueAccess(a);
      a.refresh = token();
      a.issued.push(a.refresh);
      return [200, tokenAnswer(a, false)];
    }
    return [400, fault('Bad Request', 'Application', 'grant_type', 'invalid')];
  }

  function deauthorizeEndpoint(params: URLSearchParams): [number, unknown] {
    const given = params.get('access_token') ?? '';
    const owner = accessTokens.get(given);
    if (!owner || owner.expiresAt <= now()) return [401, fault('Authorization Error', 'Athlete', 'access_token', 'invalid')];
    revokeTokens(athleteOf(owner.athleteId));
    deauthorizedIds.push(owner.athleteId);
    return [200, { access_token: given }];
  }

  /** Counts one API request in both windows and says whether it is refused (429). */
  function countRequest(): { limited: boolean; retryAfter: number | null } {
    const t = now();
    if (Math.floor(t / QUARTER_MS) !== usage.window) [usage.window, usage.short] = [Math.floor(t / QUARTER_MS), 0];
    if (Math.floor(t / DAY_MS) !== usage.day) [usage.day, usage.daily] = [Math.floor(t / DAY_MS), 0];
    usage.short += 1;
    usage.daily += 1;
    if (limit === null) return { limited: false, retryAfter: null };
    if (limit.until !== null && t >= limit.until) {
      limit = null;
      return { limited: false, retryAfter: null };
    }
    if (limit.until === null && limit.remaining > 0) {
      limit.remaining -= 1;
      return { limited: false, retryAfter: null };
    }
    if (limit.until === null) {
      const span = limit.window === 'daily' ? DAY_MS : QUARTER_MS;
      limit.until = limit.retryAfterSeconds !== null ? t + limit.retryAfterSeconds * 1000 : (Math.floor(t / span) + 1) * span;
    }
    return { limited: true, retryAfter: limit.retryAfterSeconds === null ? null : Math.ceil((limit.until - t) / 1000) };
  }

  function rateHeaders(limited: boolean): Record<string, string> {
    const short = limited && limit?.window !== 'daily' ? Math.max(usage.short, FAKE_READ_RATE_LIMIT.short) : usage.short;
    const daily = limited && limit?.window === 'daily' ? Math.max(usage.daily, FAKE_READ_RATE_LIMIT.daily) : usage.daily;
    return {
      'X-RateLimit-Limit': `${FAKE_RATE_LIMIT.short},${FAKE_RATE_LIMIT.daily}`,
      'X-RateLimit-Usage': `${short},${daily}`,
      'X-ReadRateLimit-Limit': `${FAKE_READ_RATE_LIMIT.short},${FAKE_READ_RATE_LIMIT.daily}`,
      'X-ReadRateLimit-Usage': `${short},${daily}`,
    };
  }

  /** The three GET endpoints, after the Bearer token is checked. */
  function apiEndpoint(a: AthleteState, path: string, query: URLSearchParams): [number, unknown] {
    if (!a.scopes.some((s) => s === 'activity:read' || s === 'activity:read_all'))
      return [401, fault('Authorization Error', 'AccessToken', 'activity:read_permission', 'missing')];
    if (path === '/api/v3/athlete/activities') return [200, listActivities(a, query)];
    const match = /^\/api\/v3\/activities\/(\d+)(\/streams)?$/.exec(path);
    const activity = match ? activities.get(match[1]!) : undefined;
    if (!match) return [404, fault('Resource Not Found', 'resource', 'path', 'invalid')];
    if (!activity || activity.deleted || activity.athleteId !== a.id) return [404, fault('Record Not Found', 'Activity', 'id', 'invalid')];
    if (match[2]) return [200, streamsAnswer(activity, query)];
    return [200, activity.detail];
  }

  function listActivities(a: AthleteState, query: URLSearchParams): unknown[] {
    const after = query.has('after') ? Number(query.get('after')) * 1000 : null;
    const before = query.has('before') ? Number(query.get('before')) * 1000 : null;
    const perPage = Math.min(200, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
    const own = [...activities.values()]
      .filter((x) => x.athleteId === a.id && !x.deleted)
      .filter((x) => (after === null || x.startTime.getTime() > after) && (before === null || x.startTime.getTime() < before))
      .sort((x, y) => (after !== null ? 1 : -1) * (x.startTime.getTime() - y.startTime.getTime()));
    return own.slice((page - 1) * perPage, page * perPage).map(listedActivity);
  }

  async function subscriptionsEndpoint(method: string, path: string, params: URLSearchParams): Promise<[number, unknown]> {
    if (clientRefused(params)) return [401, fault('Authorization Error', 'Application', 'client_id', 'invalid')];
    if (method === 'GET' && path === '/api/v3/push_subscriptions')
      return [
        200,
        subs.map((s) => ({
          id: s.id,
          resource_state: 2,
          application_id: Number(params.get('client_id')) || 0,
          callback_url: s.callbackUrl,
          created_at: s.createdAt.toISOString(),
          updated_at: s.createdAt.toISOString(),
        })),
      ];
    const del = /^\/api\/v3\/push_subscriptions\/(\d+)$/.exec(path);
    if (method === 'DELETE' && del) {
      const at = subs.findIndex((s) => s.id === Number(del[1]));
      if (at < 0) return [404, fault('Resource Not Found', 'PushSubscription', 'id', 'not found')];
      subs.splice(at, 1);
      return [204, null];
    }
    if (method !== 'POST' || path !== '/api/v3/push_subscriptions')
      return [404, fault('Resource Not Found', 'resource', 'path', 'invalid')];
    if (subs.length > 0) return [400, fault('Bad Request', 'PushSubscription', '', 'already exists')];
    const callbackUrl = params.get('callback_url') ?? '';
    const verifyToken = params.get('verify_token') ?? '';
    if (!(await callbackAnswers(callbackUrl, verifyToken)))
      return [400, fault('Bad Request', 'PushSubscription', 'callback url', 'GET to callback URL does not return 200')];
    const sub = { id: nextSubscriptionId++, callbackUrl, verifyToken, createdAt: clock() };
    subs.push(sub);
    return [201, { id: sub.id }];
  }

  /** Strava's check of a new subscription's callback: the challenge echoed within 2 s. */
  async function callbackAnswers(callbackUrl: string, verifyToken: string): Promise<boolean> {
    try {
      const url = new URL(callbackUrl);
      const challenge = randomBytes(8).toString('hex');
      url.searchParams.set('hub.mode', 'subscribe');
      url.searchParams.set('hub.verify_token', verifyToken);
      url.searchParams.set('hub.challenge', challenge);
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status !== 200) return false;
      const body = (await response.json()) as Record<string, unknown>;
      return body['hub.challenge'] === challenge;
    } catch {
      return false;
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const params = new URLSearchParams(url.searchParams);
    const body = await readBody(req);
    for (const [k, v] of parseBody(body, req.headers['content-type'])) params.set(k, v);
    const entry: FakeStravaRequest = { method, path: url.pathname, status: 0, athleteId: null, at: clock() };
    requests.push(entry);
    let answer: [number, unknown];
    let headers: Record<string, string> = {};
    if (method === 'POST' && (url.pathname === '/api/v3/oauth/token' || url.pathname === '/oauth/token')) answer = tokenEndpoint(params);
    else if (method === 'POST' && url.pathname === '/oauth/deauthorize') answer = deauthorizeEndpoint(params);
    else if (url.pathname.startsWith('/api/v3/push_subscriptions')) answer = await subscriptionsEndpoint(method, url.pathname, params);
    else if (method === 'GET' && url.pathname.startsWith('/api/v3/')) {
      const counted = countRequest();
      headers = rateHeaders(counted.limited);
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const owner = accessTokens.get(bearer);
      if (counted.limited) {
        answer = [429, fault('Rate Limit Exceeded', 'Application', 'rate limit', 'exceeded')];
        if (counted.retryAfter !== null) headers['Retry-After'] = String(counted.retryAfter);
      } else if (!owner || owner.expiresAt <= now()) answer = [401, fault('Authorization Error', 'Athlete', 'access_token', 'invalid')];
      else {
        entry.athleteId = owner.athleteId;
        answer = apiEndpoint(athleteOf(owner.athleteId), url.pathname, url.searchParams);
      }
    } else answer = [404, fault('Resource Not Found', 'resource', 'path', 'invalid')];
    entry.status = answer[0];
    send(res, answer[0], answer[1], headers);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => send(res, 500, { message: error instanceof Error ? error.message : String(error) }, {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    addAthlete(stravaAthleteId, name = 'Test Rider') {
      const [firstname = '', ...rest] = name.split(' ');
      athletes.set(stravaAthleteId, {
        id: stravaAthleteId,
        firstname,
        lastname: rest.join(' '),
        scopes: [],
        access: null,
        accessExpiresAt: 0,
        refresh: null,
        issued: [],
      });
    },
    authorize(stravaAthleteId, scopes = ['read', 'activity:read_all']) {
      athleteOf(stravaAthleteId);
      const code = token();
      codes.set(code, { athleteId: stravaAthleteId, scopes, used: false });
      return code;
    },
    addActivity(stravaAthleteId, spec) {
      athleteOf(stravaAthleteId);
      const id = String(nextActivityId++);
      activities.set(id, buildActivity(id, stravaAthleteId, spec));
      return id;
    },
    deleteActivity(activityId) {
      const activity = activities.get(activityId);
      if (activity) activity.deleted = true;
    },
    revoke(stravaAthleteId) {
      revokeTokens(athleteOf(stravaAthleteId));
    },
    deauthorized: () => [...deauthorizedIds],
    tokensOf: (stravaAthleteId) => [...(athletes.get(stravaAthleteId)?.issued ?? [])],
    currentTokens(stravaAthleteId) {
      const a = athleteOf(stravaAthleteId);
      if (a.access === null || a.refresh === null) return null;
      return { accessToken: a.access, refreshToken: a.refresh, expiresAt: new Date(a.accessExpiresAt) };
    },
    limitAfter(count, retryAfterSeconds, window = 'short') {
      limit = { remaining: count, retryAfterSeconds: retryAfterSeconds ?? null, window, until: null };
    },
    unlimit() {
      limit = null;
    },
    subscriptions: () => subs.map(({ id, callbackUrl, verifyToken }) => ({ id, callbackUrl, verifyToken })),
    async sendEvent(callbackUrl, event) {
      const body = {
        ...event,
        subscription_id: event.subscription_id ?? subs[0]?.id ?? 1,
        event_time: event.event_time ?? Math.floor(now() / 1000),
        updates: event.updates ?? {},
      };
      const started = performance.now();
      const response = await fetch(callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return { status: response.status, ms: performance.now() - started };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, ...(body === null ? {} : { 'content-type': 'application/json; charset=utf-8' }) });
  res.end(body === null ? undefined : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A form or JSON body as parameters (Strava takes either, and the query string). */
function parseBody(body: string, contentType: string | undefined): [string, string][] {
  if (body === '') return [];
  if (contentType?.includes('application/json')) {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      return Object.entries(json).map(([k, v]) => [k, String(v)]);
    } catch {
      return [];
    }
  }
  return [...new URLSearchParams(body)];
}
