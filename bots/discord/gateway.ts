/**
 * The Discord transport: the discord.js client on the gateway (direct messages and interactions
 * only), connected and READY, with its errors and warnings logged without the token and the
 * close codes that end the bot for good reported.
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Logger } from '../../src/logger.js';
import { restApiUrl } from './register.js';

/** Close codes Discord uses to refuse a bot for good; discord.js does not reconnect after them. */
const FATAL_CLOSE_CODES = [4004, 4010, 4011, 4012, 4013, 4014];

export interface GatewayOptions {
  token: string;
  /** REST (and through `/gateway/bot`, the gateway) somewhere else than Discord, e.g. a local fake. */
  apiBase: string | null;
  log: Logger;
  /** How long to wait for the gateway's READY. */
  readyTimeoutMs: number;
  /** True once the bot is stopping: a closed connection is then expected. */
  stopping: () => boolean;
  onFatalError?: ((error: Error) => void) | undefined;
}

/** Error text that is safe to log: the message only, with the token cut out should it ever appear. */
export function safeMessage(error: unknown, token: string): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return token ? text.split(token).join('[redacted]') : text;
}

function fatalCloseError(code: number): Error {
  const why =
    code === 4004
      ? ' (the token was refused: check DISCORD_TOKEN)'
      : code === 4014
        ? ' (an intent is not enabled for the bot in the developer portal)'
        : '';
  return new Error(`Discord closed the gateway connection with code ${code}${why}.`);
}

/** A client whose errors, warnings and fatal close codes are reported as the options say; not connected yet. */
export function createGatewayClient(options: GatewayOptions, safeError: (error: unknown) => unknown): Client {
  const { log } = options;
  const client = new Client({
    intents: [GatewayIntentBits.DirectMessages],
    // DM channels are not cached before their first message; without this partial, DMs are dropped.
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    ...(options.apiBase ? { rest: { api: restApiUrl(options.apiBase) } } : {}),
  });
  client.on(Events.ShardDisconnect, (event) => {
    if (options.stopping() || !FATAL_CLOSE_CODES.includes(event.code)) return;
    log.fatal({ code: event.code }, 'discord gateway closed for good');
    options.onFatalError?.(fatalCloseError(event.code));
  });
  client.on(Events.Error, (error) => log.error({ err: safeError(error) }, 'discord client error'));
  client.on(Events.Warn, (warning) => log.warn({ warning: safeMessage(warning, options.token) }, 'discord client warning'));
  return client;
}

/** Logs in and resolves once the gateway is READY; throws (without the token) when it cannot. */
export async function connectGateway(client: Client, options: GatewayOptions): Promise<Client<true>> {
  // Registered before login: the READY can arrive before login() resolves.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ready = new Promise<Client<true>>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error('Discord did not send READY in time; check DISCORD_API_BASE and the network')),
      options.readyTimeoutMs,
    );
    client.once(Events.ClientReady, (readyClient) => resolve(readyClient));
  });
  ready.catch(() => undefined);
  try {
    await client.login(options.token);
    return await ready;
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw new Error(
      `Could not connect to Discord: ${safeMessage(error, options.token)}. Check DISCORD_TOKEN${options.apiBase ? ' and DISCORD_API_BASE' : ''}.`,
    );
  } finally {
    clearTimeout(timer);
  }
}
