/**
 * One HTTP call to intervals.icu: Basic auth (`API_KEY` and the athlete's key, the service's
 * convention for personal keys), the process-wide rate limit, a timeout, and every failure turned
 * into a ServiceError whose message names what we were doing and never holds the key.
 */
import { ServiceError } from '../types.js';
import type { RateLimiter } from './rate-limiter.js';

/** When a 429 names no wait (or one we cannot read). */
export const DEFAULT_RETRY_AFTER_MS = 60_000;
/** The most of an error body read into a message. */
const ERROR_TEXT_CHARS = 200;

/**
 * `Retry-After` as milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); absent or
 * unreadable: a minute.
 */
export function retryAfterMs(header: string | null, now: Date): number {
  const value = header?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = value ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : DEFAULT_RETRY_AFTER_MS;
}

export interface IntervalsHttpOptions {
  apiBase: string;
  apiKey: string;
  timeoutMs: number;
  limiter: RateLimiter;
  now: () => Date;
}

export interface IntervalsRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** From the root, e.g. `/api/v1/athlete/i1/activities`. */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** What we were doing, for messages: "listing activities". */
  what: string;
}

/** Calls intervals.icu; a response here is a 2xx (anything else threw). */
export type IntervalsCall = (request: IntervalsRequest) => Promise<Response>;

export function createIntervalsCall(options: IntervalsHttpOptions): IntervalsCall {
  const base = options.apiBase.replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`API_KEY:${options.apiKey}`, 'utf8').toString('base64')}`;
  const scrub = (text: string): string => (options.apiKey ? text.split(options.apiKey).join('***') : text);
  const fail = (kind: ServiceError['kind'], status: number | null, message: string, retryMs: number | null = null): ServiceError =>
    new ServiceError('intervals', kind, status, scrub(message), retryMs);

  return async (request) => {
    const url = new URL(base + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    await options.limiter.acquire();
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: {
          authorization,
          accept: 'application/json, */*',
          ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw fail('unavailable', null, unreachable(error, request.what, options.timeoutMs));
    }
    if (response.ok) return response;
    const detail = await errorText(response);
    const status = response.status;
    const http = `HTTP ${status}`;
    if (status === 401 || status === 403)
      throw fail('unauthorized', status, `intervals.icu refused the athlete id or API key (${http}) while ${request.what}.`);
    if (status === 404) throw fail('not-found', status, `intervals.icu found nothing there (${http}) while ${request.what}.`);
    if (status === 429) {
      const wait = retryAfterMs(response.headers.get('retry-after'), options.now());
      throw fail(
        'rate-limited',
        status,
        `intervals.icu asked us to slow down (${http}) while ${request.what}; next try in ${Math.ceil(wait / 1000)} s.`,
        wait,
      );
    }
    if (status >= 500) throw fail('unavailable', status, `intervals.icu is unavailable (${http}) while ${request.what}.`);
    throw fail(
      'bad-response',
      status,
      `intervals.icu did not accept the request (${http}) while ${request.what}${detail ? `: ${detail}` : '.'}`,
    );
  };
}

/** The service's own error text (`error` of its JSON, else the start of the body); '' when none. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    const parsed = JSON.parse(text) as unknown;
    const first = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed;
    const error = first && typeof first === 'object' ? (first as { error?: unknown }).error : undefined;
    if (typeof error === 'string') message = error;
  } catch {
    // not JSON: the text as it is
  }
  return message
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim()
    .slice(0, ERROR_TEXT_CHARS);
}

function unreachable(error: unknown, what: string, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return `intervals.icu did not answer within ${Math.round(timeoutMs / 1000)} s while ${what}.`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return `intervals.icu could not be reached${code} while ${what}.`;
}

/** The body as JSON, or a `bad-response` ServiceError; a body that cannot be read is `unavailable`. */
export async function readJson(response: Response, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new ServiceError('intervals', 'unavailable', response.status, `intervals.icu stopped answering while ${what}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ServiceError(
      'intervals',
      'bad-response',
      response.status,
      `intervals.icu answered something that is not JSON while ${what}.`,
    );
  }
}

type Json = Record<string, unknown>;
/** A JSON object (not an array). */
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A non-empty string, else null. */
export const jsonText = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
/** An id the service sends as a number or a string, as a string. */
export const jsonId = (value: unknown): string | null =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : jsonText(value);

/** A body that must be a JSON array (a list of activities or events). */
export function jsonList(body: unknown, what: string): unknown[] {
  if (!Array.isArray(body)) throw unexpectedShape(what);
  return body;
}

/** The service answered JSON, but not the shape it documents. */
export function unexpectedShape(what: string): ServiceError {
  return new ServiceError('intervals', 'bad-response', 200, `intervals.icu answered an unexpected shape while ${what}.`);
}
