/**
 * One request to Strava and what its answer means: the JSON body, or a ServiceError — 401/403
 * `unauthorized`, 404 `not-found`, 429 `rate-limited` with the wait, 5xx, a network failure or a
 * timeout `unavailable`, anything unreadable `bad-response`. Messages name what was asked for,
 * never the URL (the push-subscription calls carry the client secret in it) nor a token.
 */
import { ServiceError } from '../types.js';
import { rateLimitUsage, retryAfterMs, type StravaUsage } from './rate-limit.js';

/** How long one call may take before Strava counts as unavailable. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** What a call needs besides its URL: its name in messages and how it reports. */
export interface StravaCall {
  /** What was asked for, for messages: `the activity list`, `activity 123`, `the refresh token`. */
  what: string;
  timeoutMs: number;
  clock: () => Date;
  onUsage?: ((usage: StravaUsage) => void) | undefined;
  /** What a 401/403 refuses, for messages; default `the access token`. */
  credential?: string;
  /** A 400 means the credential was refused (the token endpoint: a used code, a rotated refresh token). */
  badRequestIsUnauthorized?: boolean;
  /** Texts that must never appear in a message, even when Strava echoes them. */
  secrets?: readonly string[];
}

/** Strava's error body (`{message, errors: [{resource, field, code}]}`) as one short phrase. */
function faultDetail(text: string, secrets: readonly string[]): string | null {
  let detail: string | null = null;
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: { field?: unknown; code?: unknown }[] };
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const parts = errors
      .map((e) => [e.field, e.code].filter((p): p is string => typeof p === 'string' && p !== '').join(': '))
      .filter((p) => p !== '');
    detail = parts.length > 0 ? parts.join('; ') : typeof body.message === 'string' ? body.message : null;
  } catch {
    return null;
  }
  if (detail === null) return null;
  // a very short "secret" would cut ordinary words apart; real ones are long (the config wants 8+ characters)
  for (const secret of secrets) if (secret.length >= 6) detail = detail.split(secret).join('…');
  return detail.slice(0, 300);
}

/** The ServiceError for a response that is not a success (its body is read for Strava's reason). */
export async function errorFromResponse(response: Response, call: StravaCall): Promise<ServiceError> {
  const status = response.status;
  const text = await response.text().catch(() => '');
  const detail = faultDetail(text, call.secrets ?? []);
  const because = detail === null ? '' : `: ${detail}`;
  if (status === 401 || status === 403 || (status === 400 && call.badRequestIsUnauthorized === true)) {
    const credential = call.credential ?? 'the access token';
    const context = credential === call.what ? '' : ` for ${call.what}`;
    return new ServiceError('strava', 'unauthorized', status, `Strava refused ${credential} (HTTP ${status})${context}${because}.`);
  }
  if (status === 404) return new ServiceError('strava', 'not-found', status, `Strava found nothing for ${call.what} (HTTP 404).`);
  if (status === 429) {
    const wait = retryAfterMs(response.headers, call.clock());
    const minutes = Math.max(1, Math.ceil(wait / 60_000));
    return new ServiceError(
      'strava',
      'rate-limited',
      status,
      `Strava's request limit is used up (HTTP 429) for ${call.what}; it takes requests again in ${minutes} min.`,
      wait,
    );
  }
  if (status >= 500) return new ServiceError('strava', 'unavailable', status, `Strava is unavailable (HTTP ${status}) for ${call.what}.`);
  return new ServiceError('strava', 'bad-response', status, `Strava refused the request for ${call.what} (HTTP ${status})${because}.`);
}

/** The ServiceError for a request that got no answer (refused connection, DNS, timeout). */
export function errorFromFailure(error: unknown, call: StravaCall): ServiceError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return new ServiceError(
      'strava',
      'unavailable',
      null,
      `Strava did not answer within ${Math.round(call.timeoutMs / 1000)} s for ${call.what}.`,
    );
  // undici's "fetch failed" keeps the reason (ECONNREFUSED, ENOTFOUND) in its cause; the URL is left out
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return new ServiceError('strava', 'unavailable', null, `Strava could not be reached${code} for ${call.what}.`);
}

/** Reports the rate-limit headers of any answer, when the caller listens. */
export function reportUsage(headers: Headers, call: StravaCall): void {
  if (call.onUsage === undefined) return;
  const usage = rateLimitUsage(headers);
  if (usage !== null) call.onUsage(usage);
}

/** Sends the request; the parsed JSON body of a success (null when it is empty), else a ServiceError. */
export async function stravaRequest(url: string, init: RequestInit, call: StravaCall): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(call.timeoutMs) });
  } catch (error) {
    throw errorFromFailure(error, call);
  }
  reportUsage(response.headers, call);
  if (!response.ok) throw await errorFromResponse(response, call);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw errorFromFailure(error, call);
  }
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ServiceError('strava', 'bad-response', response.status, `Strava answered something that is not JSON for ${call.what}.`);
  }
}

/** A bad-response error for a body of the wrong shape. */
export function badShape(call: Pick<StravaCall, 'what'>, problem: string): ServiceError {
  return new ServiceError('strava', 'bad-response', 200, `Strava's answer for ${call.what} cannot be read: ${problem}.`);
}
