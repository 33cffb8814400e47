/**
 * Handling the Telegram updates of the inbox (store.updates): each is claimed under a lease,
 * renewed while it is handled, so that processes sharing the database never handle one twice;
 * handled through the bot's middleware (`bot.handleUpdate`: the per-chat `sequentialize` keeps each
 * chat in order) and marked handled. At start, and on a timer, the updates left unhandled (by a
 * process that died, or received while none was accepting) are claimed and handled, oldest first.
 *
 * The webhook (telegram-webhook.ts) stores what Telegram POSTs here; long polling only takes over
 * what a webhook-mode process left behind (an operator who switched back to polling after a crash):
 * Telegram had its 200 for those updates and will not deliver them again.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BotError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../src/logger.js';
import type { ChatUpdates, InboxClaim } from '../../src/store/ports.js';
import { scrubError } from './telegram-errors.js';

/** The inbox's name for this transport. */
export const TELEGRAM_TRANSPORT = 'telegram';
const DAY_MS = 24 * 3_600_000;

export interface TelegramInboxSettings {
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

/** Claims, handles and marks handled the inbox's Telegram updates, for one process. */
export class TelegramInbox {
  /** This process's claim. */
  readonly claim: InboxClaim;
  private readonly clock: () => Date;
  /** Updates this process is handling, by id (their claims are renewed). */
  private readonly handling = new Map<number, Promise<void>>();
  /** True between open() and close(): updates claimed are handled at once. */
  private open = false;
  private timers: NodeJS.Timeout[] = [];
  private sweeping = false;
  /** A sweep was asked for while one ran: it runs again once more (what it was asked for may have been stored after its claim). */
  private sweepAgain = false;

  constructor(
    private readonly bot: Bot,
    private readonly settings: TelegramInboxSettings,
    private readonly logger: Logger,
    private readonly scrub: (text: string) => string,
  ) {
    this.claim = {
      claimant: settings.claimant ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: settings.leaseMs ?? 60_000,
    };
    this.clock = settings.clock ?? (() => new Date());
  }

  /** The inbox itself (the webhook stores received updates there). */
  get store(): ChatUpdates {
    return this.settings.inbox;
  }

  /** True between start() and stop(). */
  get accepting(): boolean {
    return this.open;
  }

  /** True while this process handles that update from the inbox. */
  handles(updateId: number): boolean {
    return this.handling.has(updateId);
  }

  /**
   * Claims what the inbox holds unhandled (free, expired, or this claimant's own) and starts
   * handling it, oldest first, then starts the lease renewal and the sweep. The updates are in the
   * bot's per-chat queues when this resolves: updates of the same chat that come later wait behind them.
   */
  async start(): Promise<void> {
    const { inbox } = this.settings;
    const left = await inbox.claimUnhandled(TELEGRAM_TRANSPORT, this.claim, { own: true });
    this.open = true;
    for (const row of left) this.dispatch(row.updateId, row.payload as Update);
    if (left.length > 0) this.logger.info({ updates: left.length }, 'handling Telegram updates received before this start');
    const renewMs = Math.max(10, Math.floor(this.claim.leaseMs / 3));
    const sweepMs = this.settings.sweepMs ?? 15_000;
    this.timers = [setInterval(() => void this.renew(), renewMs), setInterval(() => void this.sweep(), sweepMs)];
    for (const timer of this.timers) timer.unref();
    // Updates stored unclaimed while this start was claiming, and old handled ones pruned.
    await this.sweep();
  }

  /** Stops taking updates, lets the updates in hand finish, and gives back the claims on the rest. */
  async stop(): Promise<void> {
    this.open = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    while (this.handling.size > 0) await Promise.allSettled([...this.handling.values()]);
    await this.settings.inbox
      .release(TELEGRAM_TRANSPORT, this.claim.claimant)
      .catch((error: unknown) => this.warn(error, 'releasing Telegram updates failed'));
  }

  /** Handles an update this process has claimed (once, however often it is dispatched). */
  dispatch(updateId: number, update: Update): void {
    if (this.handling.has(updateId)) return;
    // Started on the next microtask, so that handles() is true before the middleware sees the update.
    const task = Promise.resolve()
      .then(() => this.handle(updateId, update))
      .finally(() => this.handling.delete(updateId));
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
    const marked = await this.settings.inbox.markHandled(TELEGRAM_TRANSPORT, updateId, this.claim.claimant).catch((error: unknown) => {
      this.warn(error, 'marking a Telegram update handled failed');
      return true;
    });
    if (!marked) this.logger.warn({ updateId }, 'another process took over a Telegram update while it was being handled');
  }

  /** Keeps the claims on the updates in hand. */
  private async renew(): Promise<void> {
    await this.settings.inbox
      .renew(TELEGRAM_TRANSPORT, [...this.handling.keys()], this.claim)
      .catch((error: unknown) => this.warn(error, 'renewing the claims on Telegram updates failed'));
  }

  /** Claims and handles at once what waits unclaimed in the inbox (an update stored while this process was starting). */
  async sweepNow(): Promise<void> {
    await this.sweep();
  }

  /** Claims and handles updates left unhandled (claim free or expired), and prunes old handled ones. */
  private async sweep(): Promise<void> {
    if (!this.open) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = true;
    try {
      const { inbox } = this.settings;
      do {
        this.sweepAgain = false;
        for (const row of await inbox.claimUnhandled(TELEGRAM_TRANSPORT, this.claim)) this.dispatch(row.updateId, row.payload as Update);
      } while (this.sweepAgain && this.open);
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
