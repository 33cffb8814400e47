/**
 * The services' webhooks. Strava: the subscription challenge, and events that are only queued here
 * (the answer must go back within 2 s) — an activity created → a fetch (the same job a backfill
 * would queue for it), deleted → the ride deleted here too, the athlete's deauthorization → the
 * connection deleted and the athlete told. Duplicate deliveries are one job (dedupe keys).
 * intervals.icu (when INTERVALS_WEBHOOK_SECRET is set): a new activity brings the athlete's poll forward.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { SyncJob } from '../../store/store.js';
import { parseIntervalsWebhook } from '../../sync/intervals/webhook.js';
import { STRAVA_RIDE_TYPES } from '../../sync/strava/activity-json.js';
import { parseStravaWebhook } from '../../sync/strava/webhook.js';
import type { StravaWebhookEvent } from '../../sync/types.js';
import { stravaDeauthorizedText } from '../messages/sync.js';
import { fetchKey } from './ride-queue.js';
import type { SyncContext } from './sync-context.js';

/** intervals.icu's events that mean a new activity to look at. */
const INTERVALS_NEW_ACTIVITY = new Set(['ACTIVITY_UPLOADED', 'ACTIVITY_ANALYZED']);

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
const sameText = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export interface WebhookHooks {
  /** Jobs were queued: run them now. */
  queued(): void;
  /** intervals.icu: poll now. */
  pollSoon(): void;
}

export class Webhooks {
  constructor(
    private readonly ctx: SyncContext,
    private readonly hooks: WebhookHooks,
  ) {}

  /** GET /webhooks/strava: Strava checks the subscription with our verify token and expects its challenge back. */
  stravaChallenge(query: URLSearchParams): { status: number; body: unknown } {
    const expected = this.ctx.settings.strava.webhookVerifyToken;
    const token = query.get('hub.verify_token');
    const challenge = query.get('hub.challenge');
    if (!expected || query.get('hub.mode') !== 'subscribe' || token === null || challenge === null || !sameText(token, expected))
      return { status: 403, body: { error: 'forbidden' } };
    return { status: 200, body: { 'hub.challenge': challenge } };
  }

  /** POST /webhooks/strava: queued, never run here. */
  async stravaEvent(body: unknown): Promise<{ status: number }> {
    const event = parseStravaWebhook(body);
    // not an event we know: answered 200 all the same (Strava would only send it again)
    if (!event) return { status: 200 };
    const athleteId = await this.ctx.store.sync.athleteByExternalId('strava', event.ownerId);
    if (!athleteId) return { status: 200 };
    const connection = await this.ctx.athlete(athleteId).sync.connection('strava');
    if (!connection) return { status: 200 };
    const eventKey = `strava-event:${event.objectType}:${event.objectId}:${event.aspectType}:${event.eventTime}`;
    const job = await this.stravaJob(event, athleteId, eventKey, fetchKey(athleteId, 'strava', connection, event.objectId));
    if (job && (await this.ctx.store.sync.enqueue({ athleteId, service: 'strava', ...job }))) this.hooks.queued();
    return { status: 200 };
  }

  /** What an event asks for, with its dedupe key; null: nothing to do. */
  private async stravaJob(
    event: StravaWebhookEvent,
    athleteId: string,
    eventKey: string,
    fetchDedupeKey: string,
  ): Promise<(Pick<SyncJob, 'kind' | 'payload'> & { dedupeKey: string }) | null> {
    if (event.objectType === 'athlete')
      return event.updates.authorized === 'false' ? { kind: 'deauthorize', payload: {}, dedupeKey: eventKey } : null;
    const payload = { externalId: event.objectId };
    if (event.aspectType === 'create') return { kind: 'fetch-activity', payload, dedupeKey: fetchDedupeKey };
    if (event.aspectType === 'delete') return { kind: 'delete-activity', payload, dedupeKey: eventKey };
    // An update changes a title, a description, the privacy or the type. The ride as recorded does
    // not change, and reading it again costs two requests of Strava's small read budget: only an
    // activity that becomes a ride (a ride first saved as another sport) is fetched again.
    const type = event.updates.sport_type ?? event.updates.type;
    if (type === undefined || !STRAVA_RIDE_TYPES.has(type)) return null;
    const seen = await this.ctx.athlete(athleteId).sync.syncedActivity('strava', event.objectId);
    if (seen?.activityId) return null;
    return { kind: 'fetch-activity', payload: { ...payload, refetch: true }, dedupeKey: eventKey };
  }

  /** The `delete-activity` job: the ride deleted here too — unless it also came from elsewhere (a FIT file, intervals.icu). */
  async deleteActivity(job: SyncJob): Promise<void> {
    const athlete = this.ctx.athlete(job.athleteId);
    const externalId = typeof job.payload.externalId === 'string' ? job.payload.externalId : null;
    if (!externalId || !(await athlete.sync.connection('strava'))) return;
    const activityId = (await athlete.sync.syncedActivity('strava', externalId))?.activityId ?? null;
    // seen, and gone: never fetched again (a late create event of it included)
    await athlete.sync.recordSyncedActivity('strava', externalId, null);
    if (!activityId) return;
    const stored = await athlete.activity(activityId, { streams: false });
    if (stored && stored.sources.every((s) => s.startsWith('strava:'))) await athlete.deleteActivity(activityId, 'deleted on Strava');
  }

  /** The `deauthorize` job: the athlete revoked our access on Strava — the connection goes, and they are told. */
  async deauthorize(job: SyncJob): Promise<void> {
    const athlete = this.ctx.athlete(job.athleteId);
    if (!(await athlete.sync.deleteConnection('strava'))) return;
    await this.ctx.tell(athlete, stravaDeauthorizedText());
  }

  /** POST /webhooks/intervals: refused without the configured secret; a new activity polls its athlete now. */
  async intervalsEvent(body: unknown): Promise<{ status: number }> {
    const secret = this.ctx.settings.intervals.webhookSecret;
    if (!secret) return { status: 404 };
    const events = parseIntervalsWebhook(body, secret);
    if (!events) return { status: 403 };
    let due = false;
    for (const event of events) {
      // ACTIVITY_DELETED and the calendar's events change nothing here: a ride stays once it reached us
      if (!INTERVALS_NEW_ACTIVITY.has(event.type)) continue;
      const athleteId = await this.ctx.store.sync.athleteByExternalId('intervals', event.athleteId);
      if (!athleteId) continue;
      // the poll lists what is new, with its type, and queues the rides (one job per ride, however many events)
      if (await this.ctx.athlete(athleteId).sync.updateConnection('intervals', { nextPollAt: this.ctx.now() })) due = true;
    }
    if (due) this.hooks.pollSoon();
    return { status: 200 };
  }
}
