/**
 * The athlete's side of the connections: intervals.icu connected with an API key (checked with one
 * call, sealed, the backfill started, the plan pushed), what is connected, letting go of a service,
 * the calendar push switched, and a key or token the service no longer accepts.
 */
import { err, ok, type Result } from '../../domain/result.js';
import type { AthleteStore, StoredConnection } from '../../store/store.js';
import { ServiceError, type SyncService as Service } from '../../sync/types.js';
import { revokedText } from '../messages/sync.js';
import type { Backfills } from './backfill.js';
import type { CalendarPush } from './calendar-push.js';
import type { StravaTokenKeeper } from './strava-tokens.js';
import { asError, type SyncContext } from './sync-context.js';
import type { ConnectFailure, ConnectionStatus } from './sync-control.js';

export class Connections {
  constructor(
    private readonly ctx: SyncContext,
    private readonly parts: {
      backfills: Backfills;
      calendar: CalendarPush;
      tokens: StravaTokenKeeper;
      /** The poll interval, ms: a new connection's first poll falls somewhere inside it. */
      pollIntervalMs: () => number;
      queued: () => void;
    },
  ) {}

  /** Checks the key, stores it sealed, starts the backfill and the calendar push. */
  async connectIntervals(
    athlete: AthleteStore,
    identityKey: string,
    credentials: { athleteId: string; apiKey: string; months: number },
  ): Promise<Result<ConnectionStatus, ConnectFailure>> {
    const { ctx, parts } = this;
    const { athleteId: externalAthleteId, apiKey, months } = credentials;
    try {
      await ctx.intervalsClient(externalAthleteId, apiKey).checkKey();
    } catch (e) {
      if (!(e instanceof ServiceError))
        ctx.logger?.error({ err: asError(e), athleteId: athlete.athleteId }, 'intervals.icu key check failed');
      return err(connectFailure(e));
    }
    const old = await athlete.sync.connection('intervals');
    // another intervals.icu account than before: what was seen (and pushed) of the old one no longer applies
    if (old && old.externalAthleteId !== externalAthleteId) await athlete.sync.deleteConnection('intervals');
    const backfill = parts.backfills.begin('intervals', identityKey, months);
    // polls spread over the interval, so that many athletes do not hit the service at once
    const nextPollAt = new Date(ctx.now().getTime() + Math.floor(Math.random() * parts.pollIntervalMs()));
    const connection = await athlete.sync.saveConnection({
      service: 'intervals',
      externalAthleteId,
      sealedSecret: ctx.sealIntervalsKey(athlete.athleteId, apiKey),
      nextPollAt,
      backfill,
    });
    await parts.backfills.queue(athlete.athleteId, 'intervals', backfill);
    if (await ctx.deps.loop.currentPlan(athlete)) await parts.calendar.queue(athlete.athleteId, 'connect');
    ctx.logger?.info({ athleteId: athlete.athleteId, months }, 'intervals.icu connected');
    parts.queued();
    return ok(await this.status(athlete.athleteId, connection));
  }

  /** What is connected, with when it last synced and how far a backfill is. */
  async list(athlete: AthleteStore): Promise<ConnectionStatus[]> {
    const list: ConnectionStatus[] = [];
    for (const c of await athlete.sync.connections()) list.push(await this.status(athlete.athleteId, c));
    return list;
  }

  /**
   * Deletes the credentials. Strava: our access is revoked there too (best effort), after the
   * connection is gone here — Strava's deauthorization event then finds nothing left to tell.
   */
  async disconnect(athlete: AthleteStore, service: Service): Promise<boolean> {
    const { ctx, parts } = this;
    if (!(await athlete.sync.connection(service))) return false;
    let accessToken: string | null = null;
    if (service === 'strava' && parts.tokens.configured) {
      try {
        accessToken = await parts.tokens.accessToken(athlete);
      } catch (e) {
        ctx.logger?.warn({ err: asError(e), athleteId: athlete.athleteId }, 'Strava token not read for the deauthorization');
      }
    }
    await athlete.sync.deleteConnection(service);
    if (accessToken) {
      try {
        await parts.tokens.oauth().deauthorize(accessToken);
      } catch (e) {
        ctx.logger?.warn({ err: asError(e), athleteId: athlete.athleteId }, 'Strava deauthorization failed');
      }
    }
    ctx.logger?.info({ athleteId: athlete.athleteId, service }, 'service disconnected');
    return true;
  }

  /** intervals.icu: the plan pushed now and on every change (on), or the calendar left alone (off). */
  async setCalendarPush(athlete: AthleteStore, on: boolean): Promise<boolean> {
    if (!(await athlete.sync.updateConnection('intervals', { pushCalendar: on }))) return false;
    if (on && (await this.parts.calendar.queue(athlete.athleteId, 'on'))) this.parts.queued();
    return true;
  }

  /** The service refused the key or token: the connection goes, and the athlete is told once how to connect again. */
  async revoked(athleteId: string, service: Service): Promise<void> {
    const athlete = this.ctx.athlete(athleteId);
    if (!(await athlete.sync.deleteConnection(service))) return;
    this.ctx.logger?.warn({ athleteId, service }, 'credentials refused by the service: disconnected');
    await this.ctx.tell(athlete, revokedText(service));
  }

  private async status(athleteId: string, c: StoredConnection): Promise<ConnectionStatus> {
    return {
      service: c.service,
      externalAthleteId: c.externalAthleteId,
      connectedAt: c.connectedAt,
      lastSyncAt: c.lastSyncAt,
      pushCalendar: c.service === 'intervals' && c.pushCalendar,
      backfill: await this.parts.backfills.status(athleteId, c.backfill),
      rides: await this.ctx.athlete(athleteId).sync.syncedCount(c.service),
    };
  }
}

/** Why the key check failed, as the chat says it. */
function connectFailure(e: unknown): ConnectFailure {
  if (!(e instanceof ServiceError)) return 'unreachable';
  if (e.kind === 'unauthorized' || e.kind === 'not-found') return 'bad-key';
  if (e.kind === 'rate-limited') return 'rate-limited';
  return 'unreachable';
}
