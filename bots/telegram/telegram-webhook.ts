/**
 * Telegram's webhook mode: Telegram POSTs each update to the bot's HTTP server. The route checks
 * the secret header (constant time; 401 and nothing stored otherwise), stores the update in the
 * inbox (store.updates) and only then answers 200, so an update is never lost by a process that
 * dies after answering. A redelivered update id is answered 200 and not handled again.
 *
 * Updates are handled through the same grammY middleware as long polling (`bot.handleUpdate`: the
 * per-chat `sequentialize` keeps each chat in order) and marked handled. Each is claimed under a
 * lease, renewed while it is handled, so that processes sharing the database never handle one
 * twice; at start, and on a timer, the updates left unhandled (by a process that died, or received
 * while none was accepting) are claimed and handled, oldest first.
 *
 * grammY's `webhookCallback` is not used: it answers Telegram only once the update has been
 * handled (an analysis may take minutes, and `sequentialize` holds a chat's next update behind
 * it), and it has no place to store the update before the answer.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import { BotError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { HttpRoute } from '../../src/app/sync-routes.js';
import type { Logger } from '../../src/logger.js';
import type { ChatUpdates, InboxClaim } from '../../src/store/repositories/chat-updates.js';
import { scrubError } from './telegram-errors.js';

/** The inbox's name for this transport. */
const TRANSPORT = 'telegram';
/** Telegram's updates are a few kB (a message, a button press); far more is not from Telegram. */
const MAX_BODY_BYTES = 1024 * 1024;
const DAY_MS = 24 * 3_600_000;

export interface TelegramWebhookSettings {
  /** Where Telegram POSTs updates: the operations server must be reachable there. */
  url: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token with every update. Secret. */
  secret: string;
  inbox: ChatUpdates;
  /** This process, as it claims updates (default host:pid and a random part). */
  claimant?: string;
  /** How long a claim holds before another process may take the update over (default 1 minute; renewed while handling). */
  leaseMs?: number;
  /** How often updates left unhandled are looked for, and old ones pruned (default 15 s). */
  sweepMs?: number;
  /** How long handled updates are kept to recognise redeliveries (default 7 days). */
  keepMs?: number;
  clock?: () => Date;
  /** Tests: awaited once an update is stored and claimed, before it is handled (to stop a process there). */
  beforeHandle?: (updateId: number) => Promise<void>;
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

/** The request's body as text; null when it is larger than `MAX_BODY_BYTES`. */
async function bodyText(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
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
  private readonly claim: InboxClaim;
  private readonly clock: () => Date;
  /** Updates this process is handling, by id (their claims are renewed). */
  private readonly handling = new Map<number, Promise<void>>();
  /** True between open() and close(): received updates are claimed and handled at once. */
  private accepting = false;
  private timers: NodeJS.Timeout[] = [];
  private sweeping = false;

  constructor(
    private readonly bot: Bot,
    private readonly settings: TelegramWebhookSettings,
    private readonly logger: Logger,
    private readonly scrub: (text: string) => string,
  ) {
    this.path = new URL(settings.url).pathname;
    this.claim = {
      claimant: settings.claimant ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: settings.leaseMs ?? 60_000,
    };
    this.clock = settings.clock ?? (() => new Date());
  }

  /**
   * The operations server's route: `POST <path>`. Before open() (an old registration delivering
   * early) and after close(), updates are stored unclaimed: the next process to open takes them.
   */
  readonly route: HttpRoute = async (req, res, url) => {
    if (req.method !== 'POST' || url.pathname !== this.path) return false;
    if (!sameSecret(req.headers[SECRET_HEADER], this.settings.secret)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized\n');
      return true;
    }
    const text = await bodyText(req);
    if (text === null) {
      res.writeHead(413, { 'content-type': 'text/plain' }).end('too large\n');
      return true;
    }
    const updateId = updateIdOf(text);
    if (updateId === null) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('expected an update\n');
      return true;
    }
    const accepting = this.accepting;
    // A failure here rejects: the server answers 500 and Telegram delivers the update again.
    const stored = await this.settings.inbox.receive(TRANSPORT, updateId, text, accepting ? this.claim : null);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    // (Stopped meanwhile: the claim is given back by close(), or runs out; the next process handles it.)
    if (stored && accepting && this.accepting) this.dispatch(updateId, JSON.parse(text) as Update);
    return true;
  };

  /**
   * Handles what the inbox holds unhandled (oldest first), starts accepting, registers the webhook
   * with Telegram (pending updates kept), and starts the lease renewal and the sweep.
   */
  async open(allowedUpdates: readonly UpdateKind[]): Promise<void> {
    const { inbox } = this.settings;
    const left = await inbox.claimUnhandled(TRANSPORT, this.claim, { own: true });
    this.accepting = true;
    for (const row of left) this.dispatch(row.updateId, row.payload as Update);
    if (left.length > 0) this.logger.info({ updates: left.length }, 'handling Telegram updates received before this start');
    await this.bot.api.setWebhook(this.settings.url, {
      secret_token: this.settings.secret,
      allowed_updates: allowedUpdates,
      drop_pending_updates: false,
    });
    const renewMs = Math.max(10, Math.floor(this.claim.leaseMs / 3));
    const sweepMs = this.settings.sweepMs ?? 15_000;
    this.timers = [setInterval(() => void this.renew(), renewMs), setInterval(() => void this.sweep(), sweepMs)];
    for (const timer of this.timers) timer.unref();
    // Updates stored unclaimed while this start was claiming, and old handled ones pruned.
    await this.sweep();
  }

  /** Stops accepting, lets the updates in hand finish, and gives back the claims on the rest. The webhook stays registered. */
  async close(): Promise<void> {
    this.accepting = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    while (this.handling.size > 0) await Promise.allSettled([...this.handling.values()]);
    await this.settings.inbox
      .release(TRANSPORT, this.claim.claimant)
      .catch((error: unknown) => this.warn(error, 'releasing Telegram updates failed'));
  }

  private dispatch(updateId: number, update: Update): void {
    if (this.handling.has(updateId)) return;
    const task = this.handle(updateId, update).finally(() => this.handling.delete(updateId));
    this.handling.set(updateId, task);
  }

  private async handle(updateId: number, update: Update): Promise<void> {
    try {
      await this.settings.beforeHandle?.(updateId);
      await this.bot.handleUpdate(update).catch(async (error: unknown) => {
        // Middleware errors go to the bot's one catch point (bot.catch), as with long polling.
        if (error instanceof BotError) await this.bot.errorHandler(error);
        else throw error;
      });
    } catch (error) {
      this.logger.error({ err: scrubError(error, this.scrub), updateId }, 'handling a Telegram update failed');
    }
    // Handled, well or not: the athlete had the answer (or the apology); it is not handled again.
    const marked = await this.settings.inbox.markHandled(TRANSPORT, updateId, this.claim.claimant).catch((error: unknown) => {
      this.warn(error, 'marking a Telegram update handled failed');
      return true;
    });
    if (!marked) this.logger.warn({ updateId }, 'another process took over a Telegram update while it was being handled');
  }

  /** Keeps the claims on the updates in hand. */
  private async renew(): Promise<void> {
    await this.settings.inbox
      .renew(TRANSPORT, [...this.handling.keys()], this.claim)
      .catch((error: unknown) => this.warn(error, 'renewing the claims on Telegram updates failed'));
  }

  /** Claims and handles updates left unhandled (claim free or expired), and prunes old handled ones. */
  private async sweep(): Promise<void> {
    if (this.sweeping || !this.accepting) return;
    this.sweeping = true;
    try {
      const { inbox } = this.settings;
      for (const row of await inbox.claimUnhandled(TRANSPORT, this.claim)) this.dispatch(row.updateId, row.payload as Update);
      await inbox.prune(new Date(this.clock().getTime() - (this.settings.keepMs ?? 7 * DAY_MS)));
    } catch (error) {
      this.warn(error, 'looking for unhandled Telegram updates failed');
    } finally {
      this.sweeping = false;
    }
  }

  private warn(error: unknown, message: string): void {
    this.logger.warn({ err: scrubError(error, this.scrub) }, message);
  }
}
