/**
 * The ticker of scheduled messages (the monthly reminders, the weekly check-ins): every pass it
 * claims what is due — atomically in the database, so that two bot processes never send one twice
 * and a restart after downtime sends exactly one catch-up — writes and sends each, and schedules
 * the next one from now. What differs between them — the words and the next time — is a
 * `ScheduledMessage`.
 */
import type { Logger } from '../logger.js';
import type { DueCheckin, DueReminder, ReminderCompletion, Store } from '../store/store.js';
import { DeliveryError, type ChatDirectory, type Reply } from './port.js';

export interface TickResult {
  sent: number;
  disabled: number;
  failed: number;
  skipped: number;
}

export interface TickerOptions {
  store: Store;
  directory: ChatDirectory;
  clock: () => Date;
  /** Identifies this process in claims. */
  claimant: string;
  logger?: Logger;
  intervalMs?: number;
  /** Messages claimed at a time (default 50). */
  batchSize?: number;
  /** Pause between two sends, to stay inside platform rate limits. */
  sendSpacingMs?: number;
  /** Told the outcome of every pass (metrics). */
  onTick?: (result: TickResult) => void;
}

/** The kinds of scheduled message, each with what its claim holds. */
interface Kinds {
  reminder: DueReminder;
  'check-in': DueCheckin;
}
type Kind = keyof Kinds;

/** The store's queries of one kind: claim what is due (at most `limit`), complete a claim. */
interface Queries<D> {
  claim(now: Date, claimant: string, limit: number | undefined): Promise<D[]>;
  complete(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean>;
}

const QUERIES: { [K in Kind]: (store: Store) => Queries<Kinds[K]> } = {
  reminder: (store) => ({
    claim: (now, claimant, limit) => store.claimDueReminders(now, claimant, undefined, limit),
    complete: (athleteId, claimant, result) => store.completeReminder(athleteId, claimant, result),
  }),
  'check-in': (store) => ({
    claim: (now, claimant, limit) => store.claimDueCheckins(now, claimant, undefined, limit),
    complete: (athleteId, claimant, result) => store.completeCheckin(athleteId, claimant, result),
  }),
};

/** What differs between the kinds: the words, and when the next one comes. */
export interface ScheduledMessage<D> {
  /** The next time after this one (from `now`: one catch-up, not one per missed period). */
  next(due: D, now: Date): Date | null;
  compose(due: D, now: Date): Promise<Reply> | Reply;
}

const NOTHING: TickResult = { sent: 0, disabled: 0, failed: 0, skipped: 0 };

export class ScheduledTicker<K extends Kind> {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<TickResult> | null = null;
  private readonly queries: Queries<Kinds[K]>;

  constructor(
    private readonly options: TickerOptions,
    private readonly kind: K,
    private readonly message: ScheduledMessage<Kinds[K]>,
  ) {
    this.queries = QUERIES[kind](options.store) as Queries<Kinds[K]>;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running ??= this.tick()
        .then((result) => {
          this.options.onTick?.(result);
          return result;
        })
        .catch((error: unknown) => {
          this.options.logger?.error({ err: error instanceof Error ? error : new Error(String(error)) }, `${this.kind} pass failed`);
          return { ...NOTHING };
        })
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, this.options.intervalMs ?? 60_000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: claim what is due, send it, schedule the next one from now (one catch-up, not one per missed period). */
  async tick(): Promise<TickResult> {
    const { clock, claimant } = this.options;
    const now = clock();
    const result: TickResult = { ...NOTHING };
    const tried = new Set<string>();
    // Claims come in batches; keep claiming until nothing new is due (a transient failure is
    // released and waits for the next pass rather than being retried in this one). Each batch is
    // claimed at the time it is claimed, so that its lease counts from then, not from the pass's start.
    for (;;) {
      const claimed = await this.queries.claim(clock(), claimant, this.options.batchSize);
      const due = claimed.filter((d) => !tried.has(d.athleteId));
      for (const d of claimed)
        if (tried.has(d.athleteId)) await this.queries.complete(d.athleteId, claimant, { sentAt: null, nextDueAt: d.nextDueAt });
      if (due.length === 0) break;
      for (const d of due) tried.add(d.athleteId);
      await this.send(due, now, result);
    }
    return result;
  }

  private async send(due: Kinds[K][], now: Date, result: TickResult): Promise<void> {
    const { directory, claimant } = this.options;
    for (const message of due) {
      const thread = message.channelKey ? directory.open(message.channelKey) : null;
      if (!thread) {
        // Another process runs that platform: leave the message to it (its claim lease expires).
        result.skipped += 1;
        continue;
      }
      const next = this.message.next(message, now);
      try {
        await thread.post(await this.message.compose(message, now));
        await this.queries.complete(message.athleteId, claimant, { sentAt: now, nextDueAt: next });
        result.sent += 1;
      } catch (error) {
        if (error instanceof DeliveryError && error.permanent) {
          await this.queries.complete(message.athleteId, claimant, { sentAt: null, nextDueAt: next, disabledReason: error.message });
          result.disabled += 1;
        } else {
          // Transient: release the claim, keep it due, try again on the next tick.
          await this.queries.complete(message.athleteId, claimant, { sentAt: null, nextDueAt: message.nextDueAt });
          result.failed += 1;
        }
        this.options.logger?.warn(
          { athleteId: message.athleteId, err: error instanceof Error ? error : new Error(String(error)) },
          `${this.kind} not delivered`,
        );
      }
      if (this.options.sendSpacingMs) await new Promise((r) => setTimeout(r, this.options.sendSpacingMs));
    }
  }
}
