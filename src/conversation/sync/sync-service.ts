/**
 * The sync engine: intervals.icu and Strava connected to the coaching loop. It implements what the
 * chat commands need (SyncControl) and runs the rest on its own — the persistent job queue
 * (backfills, fetches, deletions, deauthorizations, calendar pushes: job-runner.ts), the
 * intervals.icu poller, Strava's webhook events and OAuth callback, and the post-ride messages.
 * Each part lives in its own module; this class wires them and is what the app holds.
 */
import type { Result } from '../../domain/result.js';
import type { AthleteStore } from '../../store/store.js';
import type { SyncService as Service } from '../../sync/types.js';
import { Backfills } from './backfill.js';
import { CalendarPush } from './calendar-push.js';
import { Connections } from './connections.js';
import { ActivityFetcher } from './fetch-activity.js';
import { JobRunner } from './job-runner.js';
import { StravaConnect } from './oauth-callback.js';
import { Poller } from './poller.js';
import { StravaBudget } from './strava-budget.js';
import { StravaTokenKeeper } from './strava-tokens.js';
import { asError, SyncContext, type SyncDeps } from './sync-context.js';
import type { ConnectFailure, ConnectionStatus, SyncControl, Unavailable } from './sync-control.js';
import { Webhooks } from './webhooks.js';

export type { SyncDeps, SyncSettings } from './sync-context.js';

/** Finished jobs older than this are deleted at start (the fetches stay: their keys keep rides fetched once). */
const KEEP_JOBS_MS = 30 * 86_400_000;

export class SyncService implements SyncControl {
  private readonly ctx: SyncContext;
  private readonly tokens: StravaTokenKeeper;
  private readonly backfills: Backfills;
  private readonly calendar: CalendarPush;
  private readonly poller: Poller;
  private readonly runner: JobRunner;
  private readonly webhooks: Webhooks;
  private readonly strava: StravaConnect;
  private readonly links: Connections;

  constructor(deps: SyncDeps) {
    const ctx = (this.ctx = new SyncContext(deps));
    const budget = new StravaBudget(deps.clock);
    const wake = () => this.wake();
    const planChanged = (athleteId: string) => this.planChanged(athleteId);
    this.tokens = new StravaTokenKeeper(ctx, budget.record);
    this.backfills = new Backfills(ctx, this.tokens, planChanged);
    this.calendar = new CalendarPush(ctx);
    this.links = new Connections(ctx, {
      backfills: this.backfills,
      calendar: this.calendar,
      tokens: this.tokens,
      pollIntervalMs: () => this.poller.intervalMs,
      queued: wake,
    });
    this.poller = new Poller(ctx, {
      queued: wake,
      revoked: (athleteId) => this.links.revoked(athleteId, 'intervals'),
      polled: (athleteId) => this.planChanged(athleteId),
    });
    this.webhooks = new Webhooks(ctx, { queued: wake, pollSoon: () => void this.poller.tick() });
    this.strava = new StravaConnect(ctx, this.tokens, this.backfills, wake);
    const fetcher = new ActivityFetcher(ctx, this.tokens, budget, {
      planChanged,
      waiting: (athleteId, service, until) => this.backfills.waiting(athleteId, service, until),
    });
    this.runner = new JobRunner(
      ctx,
      {
        backfill: (job) => this.backfills.run(job),
        'fetch-activity': (job) => fetcher.run(job),
        'delete-activity': (job) => this.webhooks.deleteActivity(job),
        deauthorize: (job) => this.webhooks.deauthorize(job),
        'push-calendar': (job) => this.calendar.run(job),
      },
      {
        revoked: (athleteId, service) => this.links.revoked(athleteId, service),
        afterJob: (job, outcome) => this.backfills.afterJob(job, outcome),
      },
    );
  }

  // ---- SyncControl (the chat commands) ----

  unavailable(service: Service): Unavailable | null {
    if (!this.ctx.canSeal) return 'no-secrets-key';
    if (service === 'strava' && !this.tokens.configured) return 'not-configured';
    return null;
  }

  connectIntervals(
    athlete: AthleteStore,
    identityKey: string,
    credentials: { athleteId: string; apiKey: string; months: number },
  ): Promise<Result<ConnectionStatus, ConnectFailure>> {
    return this.links.connectIntervals(athlete, identityKey, credentials);
  }

  stravaAuthorizeUrl(athlete: AthleteStore, identityKey: string, months: number): Promise<string> {
    return this.strava.authorizeUrl(athlete, identityKey, months);
  }

  connections(athlete: AthleteStore): Promise<ConnectionStatus[]> {
    return this.links.list(athlete);
  }

  disconnect(athlete: AthleteStore, service: Service): Promise<boolean> {
    return this.links.disconnect(athlete, service);
  }

  setCalendarPush(athlete: AthleteStore, on: boolean): Promise<boolean> {
    return this.links.setCalendarPush(athlete, on);
  }

  // ---- running ----

  /** The job runner and the intervals.icu poller (real timers; due times by the clock); old jobs pruned alongside. */
  start(): void {
    // the prune touches only finished jobs: the runner need not wait for it
    this.ctx.store.sync
      .pruneJobs(new Date(this.ctx.now().getTime() - KEEP_JOBS_MS))
      .catch((e: unknown) => this.ctx.logger?.warn({ err: asError(e) }, 'old sync jobs not pruned'));
    this.runner.start();
    this.poller.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.runner.stop(), this.poller.stop()]);
  }

  /** A job was queued: run it now. */
  wake(): void {
    this.runner.wake();
  }

  /** Tests and the CLI: runs every due job (and the jobs they queue) until none is due. */
  drain(): Promise<void> {
    return this.runner.drain();
  }

  /** One pass of the intervals.icu poller. */
  pollNow(): Promise<void> {
    return this.poller.pollNow();
  }

  // ---- HTTP (the operations server's routes) ----

  stravaCallback(query: URLSearchParams): Promise<{ status: number; title: string; message: string }> {
    return this.strava.callback(query);
  }

  stravaChallenge(query: URLSearchParams): { status: number; body: unknown } {
    return this.webhooks.stravaChallenge(query);
  }

  stravaEvent(body: unknown): Promise<{ status: number }> {
    return this.guarded(() => this.webhooks.stravaEvent(body));
  }

  intervalsEvent(body: unknown): Promise<{ status: number }> {
    return this.guarded(() => this.webhooks.intervalsEvent(body));
  }

  /** A new plan version: its calendar push queued (coalesced per version; nothing without intervals.icu and the push on). */
  async planChanged(athleteId: string): Promise<void> {
    try {
      if (await this.calendar.queue(athleteId)) this.wake();
    } catch (e) {
      this.ctx.logger?.error({ err: asError(e), athleteId }, 'calendar push not queued');
    }
  }

  /** A webhook that failed here is a 500 (the service sends it again), never a crash. */
  private async guarded(answer: () => Promise<{ status: number }>): Promise<{ status: number }> {
    try {
      return await answer();
    } catch (e) {
      this.ctx.logger?.error({ err: asError(e) }, 'webhook event not queued');
      return { status: 500 };
    }
  }
}
