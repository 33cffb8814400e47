/**
 * The history fetched after connecting: a `backfill` job lists the rides of the last months and
 * queues one `fetch-activity` job per ride not seen yet (all in the backfill's batch, so the queue
 * knows how far it is — across restarts: a restarted process goes on where the queue is). One
 * progress message, edited as rides come in; at the end the rides are compared with the plan at
 * once, silently, and one summary says what came in.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AthleteStore, BackfillState, BatchProgress, SyncJob } from '../../store/store.js';
import { SERVICE_NAMES, type RemoteActivity, type SyncService as Service } from '../../sync/types.js';
import { planChangedText } from '../messages/coaching.js';
import { backfillProgressText, backfillSummaryText } from '../messages/post-ride.js';
import { backfillFailedText } from '../messages/sync.js';
import type { JobOutcome } from './job-runner.js';
import { queueFetches } from './ride-queue.js';
import type { StravaTokenKeeper } from './strava-tokens.js';
import { asError, type SyncContext } from './sync-context.js';

/** Edit the progress message after this many rides, or this long after the last edit. */
const EDIT_EVERY_RIDES = 10;
const EDIT_EVERY_MS = 2_000;
/** Strava's largest page; and enough pages for any history. */
const STRAVA_PAGE = 200;
const STRAVA_MAX_PAGES = 100;
const DAY_MS = 86_400_000;

/** What this process showed of a backfill (lost on restart: the queue holds what matters). */
interface Shown {
  done: number;
  /** performance.now() of the last edit */
  at: number;
  waitingUntil: Date | null;
  /** Activities of the list that are not rides. */
  notRides: number;
}

/** The first day a backfill of `months` from `from` reaches back to. */
export function monthsBefore(from: Date, months: number): Date {
  const d = new Date(from);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** Whether an upload's file came from the service (`intervals.icu/<id>.fit`, `strava:<id>`). */
const fromService = (service: Service, fileName: string) => fileName.startsWith(service === 'intervals' ? 'intervals.icu/' : 'strava:');

export class Backfills {
  private readonly shown = new Map<string, Shown>();
  private readonly finishing = new Set<string>();

  constructor(
    private readonly ctx: SyncContext,
    private readonly tokens: StravaTokenKeeper,
    private readonly planChanged: (athleteId: string) => Promise<void>,
  ) {}

  /** The state of a new backfill (saved with the connection, then `queue`d). */
  begin(service: Service, identityKey: string, months: number): BackfillState {
    const now = this.ctx.now();
    const batch = `backfill:${service}:${now.getTime()}:${randomBytes(4).toString('hex')}`;
    return { batch, months, identityKey, messageId: null, startedAt: now, listed: false, finishedAt: null };
  }

  /** Queues the listing job of a backfill saved with the connection. */
  async queue(athleteId: string, service: Service, state: BackfillState): Promise<void> {
    await this.ctx.store.sync.enqueue({ athleteId, service, kind: 'backfill', payload: { batch: state.batch }, dedupeKey: state.batch });
  }

  /** How far a running backfill is: rides fetched of those found (total null while listing). */
  async status(athleteId: string, state: BackfillState | null): Promise<{ done: number; total: number | null } | null> {
    if (!state || state.finishedAt) return null;
    const p = await this.ctx.store.sync.batchProgress(athleteId, state.batch);
    return { done: p.done + p.failed, total: state.listed ? total(p) : null };
  }

  /** The `backfill` job: the progress message, then the list of rides → fetch jobs. */
  async run(job: SyncJob): Promise<void> {
    const { ctx } = this;
    const athlete = ctx.athlete(job.athleteId);
    const connection = await ctx.connection(athlete, job.service);
    let state = connection.backfill;
    if (!state || state.batch !== job.payload.batch || state.finishedAt) return;
    if (state.messageId === null) {
      const ref = await ctx.postTo(athlete.athleteId, state.identityKey, {
        text: await this.progressText(athlete, job.service, 0, null, null),
      });
      if (ref) {
        state = { ...state, messageId: ref.id };
        await athlete.sync.updateConnection(job.service, { backfill: state });
      }
    }
    if (state.listed) return;
    const since = monthsBefore(state.startedAt, state.months);
    const rides =
      job.service === 'intervals'
        ? await ctx.intervals(athlete.athleteId, connection).listActivities(since)
        : await this.stravaList(athlete, since);
    const queued = await queueFetches(ctx, athlete, job.service, connection, rides, state.batch);
    this.note(state.batch).notRides += queued.notRides;
    const cursor = connection.cursor;
    state = { ...state, listed: true };
    await athlete.sync.updateConnection(job.service, {
      backfill: state,
      ...(queued.newest && (!cursor || queued.newest > cursor) ? { cursor: queued.newest } : {}),
    });
    const p = await ctx.store.sync.batchProgress(athlete.athleteId, state.batch);
    await this.show(athlete, job.service, state, { done: p.done + p.failed, total: total(p), waitingUntil: null });
  }

  /** After any job of a backfill: its progress message, or its end. */
  async afterJob(job: SyncJob, outcome: JobOutcome): Promise<void> {
    if (job.kind !== 'backfill' && job.batch === null) return;
    const athlete = this.ctx.athlete(job.athleteId);
    const state = (await athlete.sync.connection(job.service))?.backfill ?? null;
    const batch = job.kind === 'backfill' ? job.payload.batch : job.batch;
    if (!state || state.finishedAt || batch !== state.batch) return;
    if (job.kind === 'backfill' && outcome === 'failed') return this.abandon(athlete, job.service, state);
    const p = await this.ctx.store.sync.batchProgress(job.athleteId, state.batch);
    if (state.listed && p.queued + p.running === 0) return this.finish(athlete, job.service, state, p);
    const note = this.note(state.batch);
    const done = p.done + p.failed;
    if (done === note.done || (done - note.done < EDIT_EVERY_RIDES && performance.now() - note.at < EDIT_EVERY_MS)) return;
    // a fetch went through: no longer waiting
    await this.show(athlete, job.service, state, { done, total: state.listed ? total(p) : null, waitingUntil: null });
  }

  /** A fetch of the backfill waits for the service's limit: the progress message says until when. */
  async waiting(athleteId: string, service: Service, until: Date): Promise<void> {
    const athlete = this.ctx.athlete(athleteId);
    const state = (await athlete.sync.connection(service))?.backfill ?? null;
    if (!state || state.finishedAt) return;
    const note = this.note(state.batch);
    if (note.waitingUntil?.getTime() === until.getTime()) return;
    const p = await this.ctx.store.sync.batchProgress(athleteId, state.batch);
    await this.show(athlete, service, state, { done: p.done + p.failed, total: state.listed ? total(p) : null, waitingUntil: until });
  }

  /**
   * The list could not be read (the service kept failing): the backfill ends with what it has, the
   * progress message says so — and the polls, which wait for a backfill to list, go on.
   */
  private async abandon(athlete: AthleteStore, service: Service, state: BackfillState): Promise<void> {
    const now = this.ctx.now();
    await athlete.sync.updateConnection(service, { backfill: { ...state, listed: true, finishedAt: now }, lastSyncAt: now });
    this.shown.delete(state.batch);
    if (state.messageId === null) return;
    await this.ctx.edit(athlete, state.identityKey, { id: state.messageId }, backfillFailedText(SERVICE_NAMES[service]));
  }

  /** Strava's list, page after page (oldest first). */
  private async stravaList(athlete: AthleteStore, since: Date): Promise<RemoteActivity[]> {
    const api = await this.tokens.api(athlete);
    const all: RemoteActivity[] = [];
    for (let page = 1; page <= STRAVA_MAX_PAGES; page++) {
      const list = await api.listActivities(since, page, STRAVA_PAGE);
      all.push(...list);
      if (list.length < STRAVA_PAGE) break;
    }
    return all;
  }

  /** The end: the last edit, the rides against the plan (once), and one summary. */
  private async finish(athlete: AthleteStore, service: Service, state: BackfillState, p: BatchProgress): Promise<void> {
    const { ctx } = this;
    if (this.finishing.has(state.batch)) return;
    this.finishing.add(state.batch);
    try {
      const now = ctx.now();
      await athlete.sync.updateConnection(service, { backfill: { ...state, finishedAt: now }, lastSyncAt: now });
      const notRides = this.note(state.batch).notRides;
      const rideJobs = p.done + p.failed;
      // what the fetches stored, from the uploads they recorded (the queue outlives a restart; this process's memory does not)
      const uploads = (await athlete.uploads()).filter(
        (u) => u.createdAt >= state.startedAt && u.fileNames.every((f) => fromService(service, f)),
      );
      const newRides = Math.min(rideJobs, sum(uploads.map((u) => u.new)));
      const alreadyHere = Math.min(rideJobs - newRides, sum(uploads.map((u) => u.duplicates + u.merged)));
      await this.show(athlete, service, state, { done: rideJobs, total: rideJobs, waitingUntil: null });
      const planChanged = newRides > 0 ? await this.compare(athlete, state, now) : null;
      const text = backfillSummaryText({
        service: SERVICE_NAMES[service],
        fetched: rideJobs + notRides,
        newRides,
        alreadyHere,
        notRides,
        failed: rideJobs - newRides - alreadyHere,
        planChanged,
      });
      await ctx.tell(athlete, { text }, state.identityKey);
    } finally {
      this.shown.delete(state.batch);
      this.finishing.delete(state.batch);
    }
  }

  /** The backfill's rides against the current plan, at once; what the plan changed, in words. */
  private async compare(athlete: AthleteStore, state: BackfillState, now: Date): Promise<string | null> {
    try {
      // the rides of the backfill's months (a day more for the zones); ones compared before are skipped
      const from = new Date(monthsBefore(state.startedAt, state.months).getTime() - DAY_MS);
      const ids = (await athlete.activitiesBetween(from, new Date(now.getTime() + 1))).map((s) => s.activity.id);
      const outcome = await this.ctx.deps.loop.afterRides(athlete, ids);
      if (outcome.version) await this.planChanged(athlete.athleteId);
      return outcome.version ? planChangedText(outcome.version.changes, outcome.ftpNote) : null;
    } catch (e) {
      this.ctx.logger?.error({ err: asError(e), athleteId: athlete.athleteId }, 'backfilled rides not compared with the plan');
      return null;
    }
  }

  private async progressText(
    athlete: AthleteStore,
    service: Service,
    done: number,
    all: number | null,
    waitingUntil: Date | null,
  ): Promise<string> {
    const { timeZone } = await athlete.info();
    return backfillProgressText({ service: SERVICE_NAMES[service], done, total: all, waitingUntil, timeZone });
  }

  /** Edits the progress message (when there is one) and remembers what it shows. */
  private async show(
    athlete: AthleteStore,
    service: Service,
    state: BackfillState,
    p: { done: number; total: number | null; waitingUntil: Date | null },
  ): Promise<void> {
    const note = this.note(state.batch);
    Object.assign(note, { done: p.done, at: performance.now(), waitingUntil: p.waitingUntil });
    if (state.messageId === null) return;
    const text = await this.progressText(athlete, service, p.done, p.total, p.waitingUntil);
    await this.ctx.edit(athlete, state.identityKey, { id: state.messageId }, { text });
  }

  private note(batch: string): Shown {
    let note = this.shown.get(batch);
    if (!note) {
      note = { done: 0, at: performance.now(), waitingUntil: null, notRides: 0 };
      this.shown.set(batch, note);
    }
    return note;
  }
}

const total = (p: BatchProgress) => p.queued + p.running + p.done + p.failed;
const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
