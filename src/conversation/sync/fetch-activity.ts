/**
 * The `fetch-activity` job: one remote ride → an activity, through what uploads go through — the
 * original FIT file from intervals.icu read by the ingest pool, or Strava's detail and streams —
 * then the plausibility screen, the athlete's room, and the store's dedupe (the same ride from a
 * FIT upload or from the other service is one activity). A new ride of the last 3 days that no
 * backfill brought gets its post-ride message; older ones are compared with the plan silently.
 */
import type { Activity } from '../../domain/activity.js';
import { activityFromStrava } from '../../ingest/strava-api/activity-from-strava.js';
import { screenUpload } from '../../ingest/plausibility.js';
import type { AthleteStore, StoredConnection, SyncJob, UploadError } from '../../store/store.js';
import { STRAVA_RIDE_TYPES } from '../../sync/strava/activity-json.js';
import { ServiceError, type SyncService as Service } from '../../sync/types.js';
import { storeFullText } from '../messages/uploads.js';
import { postRideMessage } from './ride-message.js';
import type { StravaBudget } from './strava-budget.js';
import type { StravaTokenKeeper } from './strava-tokens.js';
import { asError, WaitError, type SyncContext, type SyncOutcome } from './sync-context.js';

/** Rides that started longer ago than this get no message of their own. */
const RECENT_MS = 3 * 24 * 3_600_000;

/** What was read of one remote activity, as an upload of one file. */
interface Fetched {
  source: string;
  activities: Activity[];
  errors: UploadError[];
  bytes: number;
}

export interface FetcherHooks {
  /** A new plan version (the calendar push). */
  planChanged(athleteId: string): Promise<void>;
  /** A backfill's fetch waits for Strava's budget until then (its progress message says so). */
  waiting(athleteId: string, service: Service, until: Date): Promise<void>;
}

export class ActivityFetcher {
  constructor(
    private readonly ctx: SyncContext,
    private readonly tokens: StravaTokenKeeper,
    private readonly budget: StravaBudget,
    private readonly hooks: FetcherHooks,
  ) {}

  async run(job: SyncJob): Promise<void> {
    const { ctx } = this;
    const athlete = ctx.athlete(job.athleteId);
    const connection = await ctx.connection(athlete, job.service);
    const externalId = typeof job.payload.externalId === 'string' ? job.payload.externalId : null;
    if (!externalId) return;
    const seen = await athlete.sync.syncedActivity(job.service, externalId);
    // seen already (by a webhook, a poll, a backfill); Strava's "now it is a ride" asks again
    if (seen && !(job.payload.refetch === true && seen.activityId === null)) return;
    if (job.batch && job.service === 'strava') {
      const until = this.budget.backfillWaitUntil(ctx.now());
      if (until) {
        await this.hooks.waiting(job.athleteId, job.service, until);
        throw new WaitError(until, "waiting for Strava's rate limit (backfill)");
      }
    }
    let fetched: Fetched | null;
    try {
      fetched =
        job.service === 'intervals'
          ? await this.fromIntervals(athlete, connection, externalId)
          : await this.fromStrava(athlete, externalId);
    } catch (e) {
      if (!(e instanceof ServiceError && e.kind === 'not-found')) throw e;
      fetched = null; // deleted on the service since it was listed
    }
    if (!fetched) {
      await athlete.sync.recordSyncedActivity(job.service, externalId, null);
      this.observe(job.service, 'not-a-ride');
      return;
    }
    await this.store(job, athlete, externalId, fetched);
  }

  /** The original file intervals.icu holds (none for manual entries and rides it has from Strava). */
  private async fromIntervals(athlete: AthleteStore, connection: StoredConnection, externalId: string): Promise<Fetched> {
    const source = `intervals.icu/${externalId}.fit`;
    const bytes = await this.ctx.intervals(athlete.athleteId, connection).activityFile(externalId);
    if (!bytes) {
      const message = `intervals.icu holds no original file of activity ${externalId} (a manual entry, or a ride it has from Strava).`;
      return { source, activities: [], errors: [{ source, code: 'no-file', message }], bytes: 0 };
    }
    const read = await this.ctx.deps.ingest(bytes, source);
    if (!read.ok) return { source, activities: [], errors: [uploadError(read.error)], bytes: bytes.length };
    return { source, activities: read.value.activities, errors: read.value.errors.map(uploadError), bytes: bytes.length };
  }

  /** Strava's detail and streams; null when it is not a ride. */
  private async fromStrava(athlete: AthleteStore, externalId: string): Promise<Fetched | null> {
    const api = await this.tokens.api(athlete);
    const detail = await api.activity(externalId);
    if (!STRAVA_RIDE_TYPES.has(detail.type)) return null;
    const activity = activityFromStrava(detail, await api.streams(externalId));
    return { source: activity.source, activities: [activity], errors: [], bytes: 0 };
  }

  /** Screens and stores the ride as an upload of one file; then its message or its silent comparison. */
  private async store(job: SyncJob, athlete: AthleteStore, externalId: string, fetched: Fetched): Promise<void> {
    const { ctx } = this;
    const now = ctx.now();
    const errors = [...fetched.errors];
    const { kept } = screenUpload(fetched.activities, errors, now);
    if (kept.length === 0) {
      await athlete.sync.recordSyncedActivity(job.service, externalId, null);
      this.observe(job.service, 'failed');
      ctx.logger?.info({ athleteId: job.athleteId, service: job.service, codes: errors.map((e) => e.code) }, 'synced activity not stored');
      return;
    }
    const stored = await athlete.activityCount();
    if (stored + kept.length > ctx.deps.maxActivities) {
      // not recorded as seen: once there is room again, a new connect fetches it
      this.observe(job.service, 'failed');
      if (!job.batch) await ctx.tell(athlete, storeFullText(stored));
      return;
    }
    const summary = await athlete.recordUpload([fetched.source], { activities: kept, errors, bytes: fetched.bytes });
    const activityId = summary.activityIds[0] ?? null;
    await athlete.sync.recordSyncedActivity(job.service, externalId, activityId);
    await this.advance(athlete, job.service, kept[0]!.startTime, now);
    this.observe(job.service, summary.new > 0 ? 'new' : summary.merged > 0 ? 'merged' : 'duplicate');
    // already here (a FIT upload, the other service): its message went out when it first came
    if (!activityId || summary.new === 0) return;
    // a backfill compares its rides with the plan once, at its end, and says so in its summary
    if (job.batch) return;
    if (now.getTime() - kept[0]!.startTime.getTime() <= RECENT_MS) {
      await postRideMessage(ctx, athlete, activityId, job.service, (id) => this.hooks.planChanged(id));
      return;
    }
    try {
      if ((await ctx.deps.loop.afterRides(athlete, [activityId])).version) await this.hooks.planChanged(athlete.athleteId);
    } catch (e) {
      ctx.logger?.error({ err: asError(e), athleteId: athlete.athleteId }, 'synced ride not compared with the plan');
    }
  }

  /** The last sync, and the newest ride seen (intervals.icu's next `oldest=`). */
  private async advance(athlete: AthleteStore, service: Service, start: Date, now: Date): Promise<void> {
    const cursor = (await athlete.sync.connection(service))?.cursor ?? null;
    await athlete.sync.updateConnection(service, { lastSyncAt: now, ...(cursor === null || start > cursor ? { cursor: start } : {}) });
  }

  private observe(service: Service, outcome: SyncOutcome): void {
    this.ctx.deps.observer?.synced(service, outcome);
  }
}

const uploadError = (e: { source: string; code: string; message: string }): UploadError => ({
  source: e.source,
  code: e.code,
  message: e.message,
});
