/**
 * Strava's rate limits as its headers state them: `X-RateLimit-Limit` / `X-RateLimit-Usage` (all
 * requests) and `X-ReadRateLimit-Limit` / `X-ReadRateLimit-Usage` (reads, the tighter one for us),
 * each "15-minute, daily". The 15-minute windows start at :00, :15, :30 and :45; the daily one at
 * midnight UTC.
 */

/** Requests used and allowed in the 15-minute window and in the day. */
export interface StravaUsage {
  shortUsed: number;
  shortLimit: number;
  dailyUsed: number;
  dailyLimit: number;
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** "a,b" → [a, b]; null when absent or unreadable. */
function pair(value: string | null): [number, number] | null {
  if (value === null) return null;
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  return [parts[0]!, parts[1]!];
}

function usageOf(headers: Headers, prefix: string): StravaUsage | null {
  const limit = pair(headers.get(`${prefix}-Limit`));
  const used = pair(headers.get(`${prefix}-Usage`));
  if (limit === null || used === null) return null;
  return { shortUsed: used[0], shortLimit: limit[0], dailyUsed: used[1], dailyLimit: limit[1] };
}

/** The window with less room left of the two. */
function tighter(a: [number, number], b: [number, number]): [number, number] {
  return b[1] - b[0] < a[1] - a[0] ? b : a;
}

/**
 * The usage the headers report: for each window the tighter of the overall and the read limit
 * (reads count against both); null when Strava sent none.
 */
export function rateLimitUsage(headers: Headers): StravaUsage | null {
  const overall = usageOf(headers, 'X-RateLimit');
  const read = usageOf(headers, 'X-ReadRateLimit');
  if (overall === null || read === null) return overall ?? read;
  const [shortUsed, shortLimit] = tighter([overall.shortUsed, overall.shortLimit], [read.shortUsed, read.shortLimit]);
  const [dailyUsed, dailyLimit] = tighter([overall.dailyUsed, overall.dailyLimit], [read.dailyUsed, read.dailyLimit]);
  return { shortUsed, shortLimit, dailyUsed, dailyLimit };
}

/** Milliseconds from `now` to the next :00/:15/:30/:45. */
export function msToNextQuarterHour(now: Date): number {
  const t = now.getTime();
  return (Math.floor(t / QUARTER_HOUR_MS) + 1) * QUARTER_HOUR_MS - t;
}

/** Milliseconds from `now` to the next midnight UTC. */
export function msToMidnightUtc(now: Date): number {
  const t = now.getTime();
  return (Math.floor(t / DAY_MS) + 1) * DAY_MS - t;
}

/** A `Retry-After` header (seconds or an HTTP date) in ms from `now`; null when absent or unreadable. */
function retryAfterHeader(value: string | null, now: Date): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * How long to wait after a 429: `Retry-After` when Strava sends one; else until midnight UTC when
 * the daily limit is used up, else until the 15-minute window turns.
 */
export function retryAfterMs(headers: Headers, now: Date): number {
  const stated = retryAfterHeader(headers.get('Retry-After'), now);
  if (stated !== null) return stated;
  const usage = rateLimitUsage(headers);
  if (usage !== null && usage.dailyUsed >= usage.dailyLimit) return msToMidnightUtc(now);
  return msToNextQuarterHour(now);
}
