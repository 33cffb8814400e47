/**
 * Strava's OAuth endpoints for this application: the authorization page, the token endpoint
 * (`POST /api/v3/oauth/token`, authorization-code and refresh-token grants, the client id and
 * secret in the body) and `POST /oauth/deauthorize`. The token requests and the checks of their
 * answers are oauth4webapi's; what Strava adds to the answer (`expires_at` in epoch seconds, the
 * `athlete`) is read here.
 */
import * as oauth from 'oauth4webapi';
import { ServiceError, type StravaOAuth, type StravaTokens } from '../types.js';
import { DEFAULT_TIMEOUT_MS, errorFromFailure, errorFromResponse, stravaRequest, type StravaCall } from './http.js';

/** What the application asks for: every activity of the athlete, private ones included. */
export const STRAVA_SCOPE = 'activity:read_all';

export interface StravaOAuthOptions {
  /** `https://www.strava.com` (STRAVA_API_BASE), without a trailing slash. */
  apiBase: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  clock?: () => Date;
}

/** Strava's athlete as the code exchange returns it. */
interface TokenAthlete {
  id?: unknown;
  firstname?: unknown;
  lastname?: unknown;
}

function athleteName(athlete: TokenAthlete | undefined): string | null {
  const parts = [athlete?.firstname, athlete?.lastname].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length > 0 ? parts.map((p) => p.trim()).join(' ') : null;
}

/**
 * The tokens of a token-endpoint answer. The refresh answer carries no athlete: then `athleteId`
 * is '' and `name` null, and the caller keeps what it stored at the exchange.
 */
function tokensFrom(body: oauth.TokenEndpointResponse, now: Date, call: StravaCall): StravaTokens {
  const refreshToken = body.refresh_token;
  if (typeof refreshToken !== 'string' || refreshToken === '')
    throw new ServiceError('strava', 'bad-response', 200, `Strava's answer for ${call.what} has no refresh token.`);
  const expiresAtSeconds = typeof body.expires_at === 'number' ? body.expires_at : null;
  const expiresInSeconds = typeof body.expires_in === 'number' ? body.expires_in : null;
  if (expiresAtSeconds === null && expiresInSeconds === null)
    throw new ServiceError('strava', 'bad-response', 200, `Strava's answer for ${call.what} does not say when the token expires.`);
  const expiresAt = expiresAtSeconds !== null ? new Date(expiresAtSeconds * 1000) : new Date(now.getTime() + expiresInSeconds! * 1000);
  const athlete = typeof body.athlete === 'object' && body.athlete !== null ? (body.athlete as TokenAthlete) : undefined;
  const id = athlete?.id;
  return {
    accessToken: body.access_token,
    refreshToken,
    expiresAt,
    athleteId: typeof id === 'number' || typeof id === 'string' ? String(id) : '',
    scopes: typeof body.scope === 'string' ? body.scope.split(/[ ,]+/).filter((s) => s !== '') : [],
    name: athleteName(athlete),
  };
}

/** One token request: its answer checked by `process`, or the ServiceError for why it failed. */
async function tokenRequest(
  call: StravaCall,
  send: () => Promise<Response>,
  process: (response: Response) => Promise<oauth.TokenEndpointResponse>,
): Promise<StravaTokens> {
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    throw errorFromFailure(error, call);
  }
  if (response.status !== 200) throw await errorFromResponse(response, call);
  let body: oauth.TokenEndpointResponse;
  try {
    body = await process(response);
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw errorFromFailure(error, call);
    throw new ServiceError('strava', 'bad-response', 200, `Strava's answer for ${call.what} is not a token we can read.`);
  }
  return tokensFrom(body, call.clock(), call);
}

/** Strava's OAuth for one application (client id and secret). */
export function createStravaOAuth(options: StravaOAuthOptions): StravaOAuth {
  const apiBase = options.apiBase.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? (() => new Date());
  const server: oauth.AuthorizationServer = { issuer: apiBase, token_endpoint: `${apiBase}/api/v3/oauth/token` };
  const client: oauth.Client = { client_id: options.clientId };
  const clientAuth = oauth.ClientSecretPost(options.clientSecret);
  // oauth4webapi refuses plain http unless told: only a loopback fake or a test server is reached that way
  const http = { signal: () => AbortSignal.timeout(timeoutMs), [oauth.allowInsecureRequests]: apiBase.startsWith('http:') };
  const callFor = (what: string): StravaCall => ({
    what,
    credential: what,
    timeoutMs,
    clock,
    badRequestIsUnauthorized: true,
    secrets: [options.clientSecret],
  });

  return {
    authorizeUrl(state, redirectUri) {
      const url = new URL(`${apiBase}/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: options.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        approval_prompt: 'auto',
        scope: STRAVA_SCOPE,
        state,
      }).toString();
      return url.toString();
    },
    exchangeCode(code) {
      // a generic grant: Strava wants no redirect_uri with the code, and PKCE is not used
      return tokenRequest(
        callFor('the authorization code'),
        () => oauth.genericTokenEndpointRequest(server, client, clientAuth, 'authorization_code', { code }, http),
        (response) => oauth.processGenericTokenEndpointResponse(server, client, response),
      );
    },
    refresh(refreshToken) {
      return tokenRequest(
        callFor('the refresh token'),
        () => oauth.refreshTokenGrantRequest(server, client, clientAuth, refreshToken, http),
        (response) => oauth.processRefreshTokenResponse(server, client, response),
      );
    },
    async deauthorize(accessToken) {
      await stravaRequest(
        `${apiBase}/oauth/deauthorize`,
        { method: 'POST', body: new URLSearchParams({ access_token: accessToken }), headers: { Accept: 'application/json' } },
        {
          ...callFor('the deauthorization'),
          credential: 'the access token',
          badRequestIsUnauthorized: false,
          secrets: [options.clientSecret, accessToken],
        },
      );
    },
  };
}
