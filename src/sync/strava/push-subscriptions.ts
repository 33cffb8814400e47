/**
 * The application's webhook (push) subscription: `POST /api/v3/push_subscriptions` creates it —
 * Strava first calls the callback with `hub.mode=subscribe`, `hub.verify_token` and
 * `hub.challenge` and wants `{"hub.challenge": …}` back within 2 s — `GET` lists it (an
 * application has at most one), `DELETE /api/v3/push_subscriptions/{id}` removes it. These calls
 * carry the client secret (in the URL for GET and DELETE, as Strava wants): no URL reaches a message.
 */
import { badShape, DEFAULT_TIMEOUT_MS, stravaRequest, type StravaCall } from './http.js';

export interface PushSubscriptionOptions {
  apiBase: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  clock?: () => Date;
}

/** One subscription as Strava lists it. */
export interface PushSubscription {
  id: string;
  callbackUrl: string;
  createdAt: Date | null;
}

function callFor(what: string, options: PushSubscriptionOptions, extraSecrets: readonly string[] = []): StravaCall {
  return {
    what,
    credential: 'the client id or secret',
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    clock: options.clock ?? (() => new Date()),
    secrets: [options.clientSecret, ...extraSecrets],
  };
}

function endpoint(options: PushSubscriptionOptions, suffix = ''): string {
  return `${options.apiBase.replace(/\/+$/, '')}/api/v3/push_subscriptions${suffix}`;
}

const credentials = (options: PushSubscriptionOptions): URLSearchParams =>
  new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret });

/** Creates the subscription; Strava checks the callback (it must answer the challenge) before it answers. */
export async function createPushSubscription(
  options: PushSubscriptionOptions & { callbackUrl: string; verifyToken: string },
): Promise<{ id: string }> {
  const call = callFor('the push subscription', options, [options.verifyToken]);
  const body = credentials(options);
  body.set('callback_url', options.callbackUrl);
  body.set('verify_token', options.verifyToken);
  const answer = await stravaRequest(endpoint(options), { method: 'POST', body, headers: { Accept: 'application/json' } }, call);
  const id = (answer as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' && typeof id !== 'string') throw badShape(call, 'no subscription id');
  return { id: String(id) };
}

/** The application's subscriptions (Strava allows one). */
export async function listPushSubscriptions(options: PushSubscriptionOptions): Promise<PushSubscription[]> {
  const call = callFor('the push subscriptions', options);
  const answer = await stravaRequest(
    `${endpoint(options)}?${credentials(options).toString()}`,
    { headers: { Accept: 'application/json' } },
    call,
  );
  if (!Array.isArray(answer)) throw badShape(call, 'the list is not an array');
  return answer.map((raw: unknown) => {
    const s = (raw ?? {}) as { id?: unknown; callback_url?: unknown; created_at?: unknown };
    if (typeof s.id !== 'number' && typeof s.id !== 'string') throw badShape(call, 'a subscription has no id');
    const created = typeof s.created_at === 'string' ? new Date(s.created_at) : null;
    return {
      id: String(s.id),
      callbackUrl: typeof s.callback_url === 'string' ? s.callback_url : '',
      createdAt: created !== null && !Number.isNaN(created.getTime()) ? created : null,
    };
  });
}

/** Deletes a subscription (Strava stops sending events to its callback). */
export async function deletePushSubscription(options: PushSubscriptionOptions & { id: string }): Promise<void> {
  const call = callFor(`push subscription ${options.id.slice(0, 20)}`, options);
  const id = encodeURIComponent(options.id);
  await stravaRequest(`${endpoint(options, `/${id}`)}?${credentials(options).toString()}`, { method: 'DELETE' }, call);
}
