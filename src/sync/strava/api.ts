/**
 * The Strava API for one athlete's access token: the activity list (`GET /api/v3/athlete/activities`),
 * one activity (`GET /api/v3/activities/{id}`) and its streams (`GET /api/v3/activities/{id}/streams`).
 * Every answer's rate-limit headers go to `onUsage`, so the caller can pace a backfill.
 */
import type { StravaApi } from '../types.js';
import { activityDetail, activityStreams, remoteActivity, STREAM_KEYS } from './activity-json.js';
import { badShape, DEFAULT_TIMEOUT_MS, stravaRequest, type StravaCall } from './http.js';
import type { StravaUsage } from './rate-limit.js';

export interface StravaApiOptions {
  /** `https://www.strava.com` (STRAVA_API_BASE), without a trailing slash. */
  apiBase: string;
  accessToken: string;
  /** Called with the usage every answer reports (the tighter of the overall and read limits). */
  onUsage?: (usage: StravaUsage) => void;
  timeoutMs?: number;
  /** For the wait after a 429 (to the next quarter hour or midnight UTC). */
  clock?: () => Date;
}

/** Strava's ids are digits; anything else would change the path. */
function pathId(id: string): string {
  if (!/^\d{1,20}$/.test(id)) throw badShape({ what: 'an activity id' }, `"${id.slice(0, 30)}" is not a Strava activity id`);
  return id;
}

/** The Strava API with one athlete's access token. */
export function createStravaApi(options: StravaApiOptions): StravaApi {
  const apiBase = options.apiBase.replace(/\/+$/, '');
  const call = (what: string): StravaCall => ({
    what,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    clock: options.clock ?? (() => new Date()),
    onUsage: options.onUsage,
    secrets: [options.accessToken],
  });
  const get = (pathAndQuery: string, c: StravaCall): Promise<unknown> =>
    stravaRequest(
      `${apiBase}/api/v3${pathAndQuery}`,
      { headers: { Authorization: `Bearer ${options.accessToken}`, Accept: 'application/json' } },
      c,
    );

  return {
    async listActivities(after, page, perPage) {
      const c = call('the activity list');
      const query = new URLSearchParams({
        after: String(Math.floor(after.getTime() / 1000)),
        page: String(page),
        per_page: String(perPage),
      });
      const body = await get(`/athlete/activities?${query.toString()}`, c);
      if (!Array.isArray(body)) throw badShape(c, 'the list is not an array');
      const activities = body.map((raw) => remoteActivity(raw, c.what));
      // with `after` Strava lists oldest first already; sorting keeps that promise whatever it sends
      return activities.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    },
    async activity(id) {
      const c = call(`activity ${id.slice(0, 30)}`);
      return activityDetail(await get(`/activities/${pathId(id)}`, c), c.what);
    },
    async streams(id) {
      const c = call(`the streams of activity ${id.slice(0, 30)}`);
      const query = new URLSearchParams({ keys: STREAM_KEYS.join(','), key_by_type: 'true' });
      return activityStreams(await get(`/activities/${pathId(id)}/streams?${query.toString()}`, c), c.what);
    },
  };
}
