/**
 * Connecting Strava: the authorization link (a random `state` bound to the athlete and their chat,
 * valid 10 minutes, used once) and `GET /oauth/strava/callback`, where Strava sends the athlete back
 * with a code — exchanged for tokens, sealed, stored, and the backfill started. The page says what
 * happened, the chat is told; no code or token is ever shown or logged.
 */
import { randomBytes } from 'node:crypto';
import type { AthleteStore } from '../../store/store.js';
import { STRAVA_SCOPE } from '../../sync/strava/oauth.js';
import { ServiceError, type StravaTokens } from '../../sync/types.js';
import { CALLBACK_PAGES, stravaConnectedText, stravaScopeMissingText, type CallbackPage } from '../messages/sync.js';
import type { Backfills } from './backfill.js';
import type { StravaTokenKeeper } from './strava-tokens.js';
import { asError, type SyncContext } from './sync-context.js';

const STATE_TTL_MS = 10 * 60_000;

export class StravaConnect {
  constructor(
    private readonly ctx: SyncContext,
    private readonly tokens: StravaTokenKeeper,
    private readonly backfills: Backfills,
    private readonly queued: () => void,
  ) {}

  get redirectUri(): string {
    return `${this.ctx.settings.publicUrl ?? ''}/oauth/strava/callback`;
  }

  /** The link the athlete opens; its state names them, their chat and the months to fetch. */
  async authorizeUrl(athlete: AthleteStore, identityKey: string, months: number): Promise<string> {
    const state = randomBytes(24).toString('base64url');
    const expiresAt = new Date(this.ctx.now().getTime() + STATE_TTL_MS);
    await this.ctx.store.sync.saveOAuthState(state, { athleteId: athlete.athleteId, identityKey, months, expiresAt });
    return this.tokens.oauth().authorizeUrl(state, this.redirectUri);
  }

  /** Strava's redirect back: the page the athlete sees. */
  async callback(query: URLSearchParams): Promise<CallbackPage> {
    const { ctx } = this;
    if (!this.tokens.configured || !ctx.canSeal) return CALLBACK_PAGES.unavailable;
    const stateText = query.get('state');
    // the state is used up whatever follows: a link works once
    const state = stateText ? await ctx.store.sync.takeOAuthState(stateText, ctx.now()) : null;
    // access_denied: the athlete pressed Cancel on Strava's page
    if (query.get('error')) return CALLBACK_PAGES.denied;
    if (!state) return CALLBACK_PAGES.expired;
    const athlete = ctx.athlete(state.athleteId);
    const scopes = (query.get('scope') ?? '').split(/[ ,]+/);
    if (!scopes.includes(STRAVA_SCOPE)) {
      await ctx.tell(athlete, stravaScopeMissingText(), state.identityKey);
      return CALLBACK_PAGES.scope;
    }
    const code = query.get('code');
    if (!code) return CALLBACK_PAGES.failed;
    let tokens: StravaTokens;
    try {
      tokens = await this.tokens.oauth().exchangeCode(code);
    } catch (e) {
      const kind = e instanceof ServiceError ? e.kind : 'error';
      ctx.logger?.warn({ athleteId: athlete.athleteId, kind, err: asError(e) }, 'Strava code not exchanged');
      return CALLBACK_PAGES.failed;
    }
    if (!tokens.athleteId) return CALLBACK_PAGES.failed;
    const owner = await ctx.store.sync.athleteByExternalId('strava', tokens.athleteId);
    if (owner && owner !== athlete.athleteId) return CALLBACK_PAGES.taken;
    await this.save(athlete, state.identityKey, state.months, tokens);
    return CALLBACK_PAGES.connected;
  }

  /** Stores the tokens; a first connect (or another account) starts a backfill, a reconnect only renews them. */
  private async save(athlete: AthleteStore, identityKey: string, months: number, tokens: StravaTokens): Promise<void> {
    const { ctx } = this;
    const old = await athlete.sync.connection('strava');
    const sealedSecret = this.tokens.seal(athlete.athleteId, tokens);
    const again = old?.externalAthleteId === tokens.athleteId;
    if (again) {
      await athlete.sync.updateConnection('strava', { sealedSecret });
    } else {
      // another account than before: what was seen of the old one no longer applies
      if (old) await athlete.sync.deleteConnection('strava');
      const backfill = this.backfills.begin('strava', identityKey, months);
      await athlete.sync.saveConnection({
        service: 'strava',
        externalAthleteId: tokens.athleteId,
        sealedSecret,
        pushCalendar: false,
        backfill,
      });
      await this.backfills.queue(athlete.athleteId, 'strava', backfill);
    }
    ctx.logger?.info({ athleteId: athlete.athleteId, again }, 'Strava connected');
    // the chat first, then the backfill's progress message below it
    await ctx.tell(athlete, stravaConnectedText(tokens.name, months, again), identityKey);
    this.queued();
  }
}
