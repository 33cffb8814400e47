/**
 * Strava's tokens of each athlete: sealed in the connection, refreshed when the access token expires
 * within 10 minutes (they last 6 h), and stored again at once — Strava may rotate the refresh token,
 * and only the newest one works. One refresh at a time per athlete in this process.
 */
import type { AthleteStore } from '../../store/store.js';
import { createStravaApi } from '../../sync/strava/api.js';
import { createStravaOAuth } from '../../sync/strava/oauth.js';
import type { StravaUsage } from '../../sync/strava/rate-limit.js';
import type { StravaApi, StravaOAuth, StravaTokens } from '../../sync/types.js';
import type { SyncContext } from './sync-context.js';

/** Refresh when the access token has less than this left. */
const REFRESH_BEFORE_MS = 10 * 60_000;

/** The tokens as sealed in the connection (no athlete name: nothing more than needed). */
interface SealedTokens {
  accessToken: string;
  refreshToken: string;
  /** ms since the epoch */
  expiresAt: number;
}

export class StravaTokenKeeper {
  private client: StravaOAuth | null = null;
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(
    private readonly ctx: SyncContext,
    private readonly onUsage: (usage: StravaUsage) => void,
  ) {}

  /** Whether Strava can be connected on this bot (client id and secret, and where its callback is). */
  get configured(): boolean {
    const { clientId, clientSecret } = this.ctx.settings.strava;
    return Boolean(clientId && clientSecret && this.ctx.settings.publicUrl);
  }

  /** The application's OAuth endpoints. */
  oauth(): StravaOAuth {
    const { apiBase, clientId, clientSecret } = this.ctx.settings.strava;
    if (!clientId || !clientSecret) throw new Error('Strava is not configured (STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET).');
    this.client ??= createStravaOAuth({ apiBase, clientId, clientSecret, clock: this.ctx.deps.clock });
    return this.client;
  }

  /** The tokens sealed for the athlete's connection. */
  seal(athleteId: string, tokens: Pick<StravaTokens, 'accessToken' | 'refreshToken' | 'expiresAt'>): string {
    const sealed: SealedTokens = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt.getTime(),
    };
    return this.ctx.seal(athleteId, 'strava', sealed);
  }

  /**
   * A valid access token: the stored one, or a refreshed one (stored before it is used). Concurrent
   * callers for one athlete share one refresh, so a rotated refresh token is never used twice.
   */
  accessToken(athlete: AthleteStore): Promise<string> {
    const pending = this.refreshing.get(athlete.athleteId);
    if (pending) return pending;
    const fresh = this.fresh(athlete).finally(() => this.refreshing.delete(athlete.athleteId));
    this.refreshing.set(athlete.athleteId, fresh);
    return fresh;
  }

  /** The Strava API with the athlete's (fresh) access token; its rate-limit headers are counted. */
  async api(athlete: AthleteStore): Promise<StravaApi> {
    const accessToken = await this.accessToken(athlete);
    return createStravaApi({ apiBase: this.ctx.settings.strava.apiBase, accessToken, onUsage: this.onUsage, clock: this.ctx.deps.clock });
  }

  private async fresh(athlete: AthleteStore): Promise<string> {
    // read now, not when the job was queued: another job (or process) may have refreshed meanwhile
    const connection = await this.ctx.connection(athlete, 'strava');
    const tokens = this.ctx.open<SealedTokens>(athlete.athleteId, 'strava', connection.sealedSecret);
    if (tokens.expiresAt - this.ctx.now().getTime() > REFRESH_BEFORE_MS) return tokens.accessToken;
    const next = await this.oauth().refresh(tokens.refreshToken);
    // Strava rotates the refresh token: the new one replaces the old at once (an answer without one keeps the old)
    const sealedSecret = this.seal(athlete.athleteId, { ...next, refreshToken: next.refreshToken || tokens.refreshToken });
    await athlete.sync.updateConnection('strava', { sealedSecret });
    return next.accessToken;
  }
}
