/**
 * The monthly reminder ticker: every pass it claims the reminders that are due — atomically in
 * the database, so that two bot processes never send one twice and a restart after downtime sends
 * exactly one catch-up — sends each its month in review (month-review.ts), and schedules the next
 * one (reminder-schedule.ts). What /reminders reads is in reminder-args.ts.
 */
import type { Logger } from '../logger.js';
import type { DueReminder, Store } from '../store/store.js';
import { lookBack, reminderReply } from './month-review.js';
import { DeliveryError, type ChatDirectory } from './port.js';
import { nextReminderAt } from '../domain/reminder-schedule.js';

export interface TickResult {
  sent: number;
  disabled: number;
  failed: number;
  skipped: number;
}

export interface ReminderTickerOptions {
  store: Store;
  directory: ChatDirectory;
  clock: () => Date;
  /** Identifies this process in claims. */
  claimant: string;
  logger?: Logger;
  intervalMs?: number;
  /** Reminders claimed at a time (default 50). */
  batchSize?: number;
  /** Pause between two sends, to stay inside platform rate limits. */
  sendSpacingMs?: number;
  /** Told the outcome of every pass (metrics). */
  onTick?: (result: TickResult) => void;
}

export class ReminderTicker {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<TickResult> | null = null;

  constructor(private readonly options: ReminderTickerOptions) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running ??= this.tick()
        .then((result) => {
          this.options.onTick?.(result);
          return result;
        })
        .catch((error: unknown) => {
          this.options.logger?.error({ err: error instanceof Error ? error : new Error(String(error)) }, 'reminder pass failed');
          return { sent: 0, disabled: 0, failed: 0, skipped: 0 };
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

  /** One pass: claim what is due, send it, schedule the next one from now (one catch-up, not one per missed month). */
  async tick(): Promise<TickResult> {
    const { store, clock, claimant } = this.options;
    const now = clock();
    const result: TickResult = { sent: 0, disabled: 0, failed: 0, skipped: 0 };
    const tried = new Set<string>();
    // Claims come in batches; keep claiming until nothing new is due (a transient failure is
    // released and waits for the next pass rather than being retried in this one).
    for (;;) {
      const claimed: DueReminder[] = store.claimDueReminders(now, claimant, undefined, this.options.batchSize);
      const due = claimed.filter((r) => !tried.has(r.athleteId));
      for (const r of claimed)
        if (tried.has(r.athleteId)) store.completeReminder(r.athleteId, claimant, { sentAt: null, nextDueAt: r.nextDueAt });
      if (due.length === 0) break;
      for (const r of due) tried.add(r.athleteId);
      await this.send(due, now, result);
    }
    return result;
  }

  private async send(due: DueReminder[], now: Date, result: TickResult): Promise<void> {
    const { store, directory, claimant } = this.options;
    for (const reminder of due) {
      const athlete = store.athlete(reminder.athleteId);
      const next = nextReminderAt(reminder, now);
      const thread = reminder.channelKey ? directory.open(reminder.channelKey) : null;
      if (!thread) {
        // Another process runs that platform: leave the reminder to it (its claim lease expires).
        result.skipped += 1;
        continue;
      }
      try {
        const info = athlete.info();
        await thread.post(reminderReply(lookBack(athlete, now, reminder.timeZone), info.displayName));
        store.completeReminder(reminder.athleteId, claimant, { sentAt: now, nextDueAt: next });
        result.sent += 1;
      } catch (error) {
        if (error instanceof DeliveryError && error.permanent) {
          store.completeReminder(reminder.athleteId, claimant, { sentAt: null, nextDueAt: next, disabledReason: error.message });
          result.disabled += 1;
        } else {
          // Transient: release the claim, keep it due, try again on the next tick.
          store.completeReminder(reminder.athleteId, claimant, { sentAt: null, nextDueAt: reminder.nextDueAt });
          result.failed += 1;
        }
        this.options.logger?.warn(
          { athleteId: reminder.athleteId, err: error instanceof Error ? error : new Error(String(error)) },
          'reminder not delivered',
        );
      }
      if (this.options.sendSpacingMs) await new Promise((r) => setTimeout(r, this.options.sendSpacingMs));
    }
  }
}
