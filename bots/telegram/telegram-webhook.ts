/**
 * Telegram's webhook mode: Telegram POSTs each update to the bot's HTTP server. The route checks
 * the secret header (constant time; 401 and nothing stored otherwise), stores the update in the
 * inbox (store.updates) and only then answers 200, so an update is never lost by a process that
 * dies after answering. A redelivered update id is answered 200 and not handled again.
 *
 * Updates are claimed, handled and marked handled by the inbox's handler (telegram-inbox.ts), the
 * same that long polling uses for what webhook mode left behind.
 *
 * grammY's `webhookCallback` is not used: it answers Telegram only once the update has been
 * handled (an analysis may take minutes, and `sequentialize` holds a chat's next update behind
 * it), and it has no place to store the update before the answer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { requestBody, type HttpRoute } from '../../src/app/sync-routes.js';
import { TELEGRAM_TRANSPORT, type TelegramInbox } from './telegram-inbox.js';

/** Telegram's updates are a few kB (a message, a button press); far more is not from Telegram. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Where Telegram POSTs updates, and the secret it sends with them. */
export interface TelegramWebhookTarget {
  /** Where Telegram POSTs updates: the operations server must be reachable there. */
  url: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token with every update. Secret. */
  secret: string;
}

/** The kinds of update a bot asks Telegram for (`allowed_updates`). */
export type UpdateKind = Exclude<keyof Update, 'update_id'>;

/** The header Telegram's secret comes in (Node lower-cases header names). */
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Compares in constant time whatever the lengths (both sides hashed first). */
function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** The update id of a body, if it is a JSON object with an integer `update_id`. */
function updateIdOf(text: string): number | null {
  try {
    const value = JSON.parse(text) as { update_id?: unknown } | null;
    const id = value?.update_id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
  } catch {
    return null;
  }
}

export class TelegramWebhook {
  /** The path of the URL: the route answers POSTs there. */
  readonly path: string;

  constructor(
    private readonly bot: Bot,
    private readonly target: TelegramWebhookTarget,
    private readonly inbox: TelegramInbox,
  ) {
    this.path = new URL(target.url).pathname;
  }

  /**
   * The operations server's route: `POST <path>`. Before open() (an old registration delivering
   * early) and after close(), updates are stored unclaimed: the next process to open takes them.
   */
  readonly route: HttpRoute = async (req, res, url) => {
    if (req.method !== 'POST' || url.pathname !== this.path) return false;
    if (!sameSecret(req.headers[SECRET_HEADER], this.target.secret)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized\n');
      return true;
    }
    const text = await requestBody(req, MAX_BODY_BYTES);
    if (text === null) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('too large\n');
      return true;
    }
    const updateId = updateIdOf(text);
    if (updateId === null) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('expected an update\n');
      return true;
    }
    const { inbox } = this;
    const accepting = inbox.accepting;
    // A failure here rejects: the server answers 500 and Telegram delivers the update again.
    const stored = await inbox.store.receive(TELEGRAM_TRANSPORT, updateId, text, accepting ? inbox.claim : null);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    // (Stopped meanwhile: the claim is given back by close(), or runs out; the next process handles it.)
    if (stored && accepting && inbox.accepting) inbox.dispatch(updateId, JSON.parse(text) as Update);
    // Stored unclaimed while the inbox was starting, and it has started since: claimed now, not at
    // the next sweep (15 s later, after the chat's later messages).
    else if (stored && !accepting && inbox.accepting) void inbox.sweepNow();
    return true;
  };

  /**
   * Handles what the inbox holds unhandled (oldest first), starts accepting, registers the webhook
   * with Telegram (pending updates kept), and starts the lease renewal and the sweep.
   */
  async open(allowedUpdates: readonly UpdateKind[]): Promise<void> {
    await this.inbox.start();
    await this.bot.api.setWebhook(this.target.url, {
      secret_token: this.target.secret,
      allowed_updates: allowedUpdates,
      drop_pending_updates: false,
    });
  }

  /** Stops accepting, lets the updates in hand finish, and gives back the claims on the rest. The webhook stays registered. */
  async close(): Promise<void> {
    await this.inbox.stop();
  }
}
