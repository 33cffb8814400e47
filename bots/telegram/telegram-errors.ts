/**
 * The bot token is part of every Bot API URL, and Telegram's error descriptions (or a proxy's) may
 * echo it: the scrubber and the scrubbed copies of errors that every text leaving the adapter goes
 * through; and Telegram's "cannot be messaged" answers as a permanent `DeliveryError`.
 */
import { GrammyError, HttpError } from 'grammy';
import { DeliveryError } from '../../src/conversation/port.js';

type Scrub = (text: string) => string;

/**
 * What to scrub from any text that may leave the adapter: the token (bare, and URL-encoded as in
 * `bot<token>` URLs), and its secret part after the colon (the part before it is the bot's public
 * user id). Longest first, so that the whole token becomes one `[token]`.
 */
export function tokenScrubber(token: string): Scrub {
  const secretPart = token.includes(':') ? token.slice(token.indexOf(':') + 1) : '';
  const secrets = [...new Set([token, encodeURIComponent(token), secretPart, encodeURIComponent(secretPart)])]
    .filter((s) => s.length >= 8 || (s.length > 0 && s === token))
    .sort((a, b) => b.length - a.length);
  return (text: string) => secrets.reduce((t, secret) => t.split(secret).join('[token]'), text);
}

const tokenFree = (text: string | undefined, scrub: Scrub) => text === undefined || scrub(text) === text;

/**
 * The same error with the token scrubbed from every text it carries (message, description, stack,
 * cause), keeping its class so callers can still tell a GrammyError's code or an HttpError. An
 * HttpError's inner error is also its `cause`, so that a log's `err` shows it.
 */
export function scrubError(error: unknown, scrub: Scrub): Error {
  if (error instanceof GrammyError) return scrubGrammyError(error, scrub);
  if (error instanceof HttpError) {
    const inner = error.error instanceof Error ? scrubError(error.error, scrub) : new Error(scrub(String(error.error)));
    const clean = new HttpError(scrub(error.message), inner);
    clean.cause = inner;
    if (error.stack) clean.stack = scrub(error.stack);
    return clean;
  }
  if (error instanceof Error) {
    // Untouched when it holds no token (it keeps its class and own properties).
    const causeFree =
      error.cause === undefined ||
      (error.cause instanceof Error ? scrubError(error.cause, scrub) === error.cause : tokenFree(String(error.cause), scrub));
    if (tokenFree(error.message, scrub) && tokenFree(error.stack, scrub) && causeFree) return error;
    const clean = Object.assign(new Error(scrub(error.message)), { name: error.name });
    clean.stack = error.stack ? scrub(error.stack) : clean.stack;
    if (error.cause !== undefined) clean.cause = error.cause instanceof Error ? scrubError(error.cause, scrub) : scrub(String(error.cause));
    return clean;
  }
  return new Error(scrub(String(error)));
}

function scrubGrammyError(error: GrammyError, scrub: Scrub): GrammyError {
  if (tokenFree(error.message, scrub) && tokenFree(error.description, scrub) && tokenFree(error.stack, scrub)) return error;
  const clean = new GrammyError(
    scrub(error.message),
    {
      ok: false,
      error_code: error.error_code,
      description: scrub(error.description),
      ...(error.parameters ? { parameters: error.parameters } : {}),
    },
    error.method,
    error.payload,
  );
  if (error.stack) clean.stack = scrub(error.stack);
  return clean;
}

/** What a scrubbed error says, in one line: Telegram's description, or the message. */
export function errorText(error: Error): string {
  return error instanceof GrammyError ? error.description : error.message;
}

/**
 * Telegram's answers that mean "this person cannot be messaged" (blocked the bot, deleted their
 * account, never started a chat) become a permanent DeliveryError, so reminders stop for them.
 */
export function asDeliveryError(error: unknown): unknown {
  if (!(error instanceof GrammyError)) return error;
  if (error.error_code === 403 || (error.error_code === 400 && /chat not found|user is deactivated/i.test(error.description)))
    return new DeliveryError(true, `Telegram: ${error.description}`);
  return error;
}
