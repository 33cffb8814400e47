/**
 * New rides on intervals.icu, polled: each connected athlete every INTERVALS_POLL_MINUTES, spread
 * over the interval (each connection's next poll time, claimed atomically in the database so two
 * processes never poll one athlete twice). A poll lists the activities from the newest ride seen
 * (a day earlier, for time zones) and queues a fetch for each ride not seen yet.
 */
import type { StoredConnection } from '../../store/store.js';
import { ServiceError } from '../../sync/types.js';
import { queueFetches } from './ride-queue.js';
import { asError, type SyncContext } from './sync-context.js';

const DAY_MS = 86_400_000;
/** The poller looks for due polls this often: a tenth of the interval, but never more than 4 times a second nor less than once a minute. */
const MIN_TICK_MS = 250;
const MAX_TICK_MS = 60_000;

export interface PollerHooks {
  /** Jobs were queued: run them. */
  queued(): void;
  /** The key was refused: disconnect and say so. */
  revoked(athleteId: string): Promise<void>;
  /** A chance to queue the calendar push of a plan version that missed it (coalesced: usually nothing). */
  polled(athleteId: string, connection: StoredConnection): Promise<void>;
}

export class Poller {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly hooks: PollerHooks,
  ) {}

  get intervalMs(): number {
    return Math.max(1, Math.round(this.ctx.settings.intervals.pollMinutes * 60_000));
  }

  start(): void {
    if (this.timer) return;
    const tickMs = Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, Math.round(this.intervalMs / 10)));
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass now, unless one is running (then that one). */
  tick(): Promise<void> {
    this.running ??= this.pollNow()
      .catch((e: unknown) => this.ctx.logger?.error({ err: asError(e) }, 'intervals.icu poll pass failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Every poll due now, one after the other. */
  async pollNow(): Promise<void> {
    const due = await this.ctx.store.sync.claimDuePolls(this.ctx.now(), this.intervalMs);
    let queued = 0;
    for (const { athleteId, connection } of due) queued += await this.poll(athleteId, connection);
    if (queued > 0) this.hooks.queued();
  }

  /** One athlete's poll; how many fetches it queued. Never throws. */
  private async poll(athleteId: string, connection: StoredConnection): Promise<number> {
    const { ctx } = this;
    // a backfill that has not listed yet will find these rides itself (and send no message for each)
    if (connection.backfill && !connection.backfill.listed && !connection.backfill.finishedAt) return 0;
    const athlete = ctx.athlete(athleteId);
    try {
      await this.hooks.polled(athleteId, connection);
      const from = connection.cursor ?? connection.connectedAt;
      const list = await ctx.intervals(athleteId, connection).listActivities(new Date(from.getTime() - DAY_MS));
      const result = await queueFetches(ctx, athlete, 'intervals', connection, list, null);
      // every activity listed is queued or seen: the next poll starts from the newest (a run included)
      const cursor = (await athlete.sync.connection('intervals'))?.cursor ?? null;
      const newer = result.newest && (!cursor || result.newest > cursor) ? { cursor: result.newest } : {};
      await athlete.sync.updateConnection('intervals', { lastSyncAt: ctx.now(), ...newer });
      return result.queued;
    } catch (e) {
      if (e instanceof ServiceError && e.kind === 'unauthorized') await this.hooks.revoked(athleteId);
      else if (e instanceof ServiceError) ctx.logger?.info({ athleteId, kind: e.kind, err: e }, 'intervals.icu poll failed: next time');
      else ctx.logger?.error({ athleteId, err: asError(e) }, 'intervals.icu poll failed');
      return 0;
    }
  }
}
