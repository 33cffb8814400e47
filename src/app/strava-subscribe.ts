/**
 * `strava:subscribe`: creates the application's Strava push subscription, so that Strava posts
 * webhook events (new, changed and deleted activities, athletes who revoke access) to
 * `PUBLIC_URL/webhooks/strava`. Strava checks that callback while subscribing — it must answer
 * the challenge with STRAVA_WEBHOOK_VERIFY_TOKEN — so the bot has to be running and reachable.
 * An application has one subscription: when it exists already, it is shown and nothing changes.
 */
import type { Command } from 'commander';
import type { Config, SyncConfig } from '../config.js';
import { createPushSubscription, listPushSubscriptions } from '../sync/strava/client.js';
import { ServiceError } from '../sync/types.js';
import { UserError } from './user-error.js';

/** Where the bot's HTTP server takes Strava's webhook calls. */
export const STRAVA_WEBHOOK_PATH = '/webhooks/strava';

export interface StravaSubscribeOutcome {
  id: string;
  /** The subscription's callback (for one that existed, whatever it was made with). */
  callbackUrl: string;
  /** False when a subscription existed already. */
  created: boolean;
  /** The callback this configuration wants. */
  wantedCallbackUrl: string;
}

/** The settings the command needs, or the UserError naming every missing variable. */
function settings(sync: SyncConfig): { clientId: string; clientSecret: string; verifyToken: string; callbackUrl: string } {
  const { clientId, clientSecret, webhookVerifyToken } = sync.strava;
  const missing = [
    clientId === null ? 'STRAVA_CLIENT_ID' : null,
    clientSecret === null ? 'STRAVA_CLIENT_SECRET' : null,
    webhookVerifyToken === null ? 'STRAVA_WEBHOOK_VERIFY_TOKEN' : null,
    sync.publicUrl === null ? 'PUBLIC_URL' : null,
  ].filter((name): name is string => name !== null);
  if (missing.length > 0) {
    const names = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)!}`;
    throw new UserError(
      `strava:subscribe needs ${names}. Set ${missing.length === 1 ? 'it' : 'them'} in the environment (or .env) — PUBLIC_URL is the address where Strava reaches the bot's HTTP server, e.g. https://coach.example.com — and run it again.`,
    );
  }
  return {
    clientId: clientId!,
    clientSecret: clientSecret!,
    verifyToken: webhookVerifyToken!,
    callbackUrl: `${sync.publicUrl!}${STRAVA_WEBHOOK_PATH}`,
  };
}

/** What to do about a refusal, in words for the operator. */
function advice(error: ServiceError, callbackUrl: string): UserError {
  if (error.kind === 'unauthorized')
    return new UserError(
      `${error.message} Check STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET against your application's page on Strava (Settings → My API Application).`,
    );
  if (error.kind === 'bad-response' && error.status === 400)
    return new UserError(
      `${error.message} Strava checks ${callbackUrl} while subscribing: start the bot first, make sure that address reaches it from the internet, and that it runs with the same STRAVA_WEBHOOK_VERIFY_TOKEN.`,
    );
  return new UserError(`${error.message} Try again in a few minutes.`, 1);
}

/** Creates the push subscription, or finds the one that exists. */
export async function stravaSubscribe(sync: SyncConfig): Promise<StravaSubscribeOutcome> {
  const s = settings(sync);
  const credentials = { apiBase: sync.strava.apiBase, clientId: s.clientId, clientSecret: s.clientSecret };
  try {
    const existing = await listPushSubscriptions(credentials);
    if (existing.length > 0)
      return { id: existing[0]!.id, callbackUrl: existing[0]!.callbackUrl, created: false, wantedCallbackUrl: s.callbackUrl };
    const { id } = await createPushSubscription({ ...credentials, callbackUrl: s.callbackUrl, verifyToken: s.verifyToken });
    return { id, callbackUrl: s.callbackUrl, created: true, wantedCallbackUrl: s.callbackUrl };
  } catch (error) {
    if (error instanceof ServiceError) throw advice(error, s.callbackUrl);
    throw error;
  }
}

/** The command's output. */
export function formatStravaSubscribe(outcome: StravaSubscribeOutcome): string {
  if (outcome.created) return `Strava push subscription ${outcome.id} created: Strava now sends its events to ${outcome.callbackUrl}.`;
  const lines = [`A Strava push subscription exists already: id ${outcome.id}, events go to ${outcome.callbackUrl}.`];
  if (outcome.callbackUrl !== outcome.wantedCallbackUrl)
    lines.push(
      `That is not this bot's callback (${outcome.wantedCallbackUrl}): delete subscription ${outcome.id} (DELETE /api/v3/push_subscriptions/${outcome.id} with your client id and secret) and run strava:subscribe again.`,
    );
  return lines.join('\n');
}

/** Adds `strava:subscribe` to the command line. */
export function registerStravaSubscribeCommand(program: Command, config: Config): void {
  program
    .command('strava:subscribe')
    .description(
      'Create the Strava push subscription (webhook events to PUBLIC_URL/webhooks/strava). Strava checks that address while subscribing, so start the bot first.',
    )
    .action(async () => {
      process.stdout.write(`${formatStravaSubscribe(await stravaSubscribe(config.sync))}\n`);
    });
}
