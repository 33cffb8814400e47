/**
 * Monthly reminders on PostgreSQL, mirroring ../../repositories/reminders.ts: one athlete's
 * settings, and the ticker's cross-athlete queries (what is due, claiming it under a lease with
 * `FOR UPDATE SKIP LOCKED`, completing it) — the queries the weekly check-ins share
 * (scheduled-claims.ts).
 */
import { DEFAULT_SCHEDULE } from '../../../domain/reminder-schedule.js';
import type { ReminderRepository, ReminderSchedule } from '../../ports.js';
import type { Clock, DueReminder, ReminderCompletion, ReminderSettings } from '../../records.js';
import type { PgDb } from '../database.js';
import * as t from '../schema.js';
import { commonSettings, PgScheduledRows, PgScheduledSettings } from './scheduled-claims.js';
import type { PgAthleteScope } from './scope.js';

/** One athlete's reminder settings on PostgreSQL. */
export class PgReminderRepository implements ReminderRepository {
  private readonly settings: PgScheduledSettings<typeof t.reminders, ReminderSettings>;

  /** `timeZone`: the athlete's, the zone of a first reminder (asked only when there is no row yet). */
  constructor(scope: PgAthleteScope, timeZone: () => Promise<string>) {
    this.settings = new PgScheduledSettings(scope, t.reminders, reminderSettings, async () => ({
      ...DEFAULT_SCHEDULE,
      timeZone: await timeZone(),
    }));
  }

  async reminder(): Promise<ReminderSettings | null> {
    return this.settings.get();
  }

  async setReminder(settings: Partial<ReminderSettings>): Promise<ReminderSettings> {
    return this.settings.set(settings);
  }
}

/** The reminder ticker's cross-athlete queries on PostgreSQL. */
export class PgReminderSchedule implements ReminderSchedule {
  private readonly rows: PgScheduledRows<typeof t.reminders, ReminderSettings>;

  constructor(db: PgDb, clock: Clock) {
    this.rows = new PgScheduledRows(db, clock, t.reminders, reminderSettings);
  }

  /** Reminders due at `now` (enabled, next_due_at ≤ now), across athletes: the ticker's query. */
  async dueReminders(now: Date): Promise<DueReminder[]> {
    return this.rows.due(now);
  }

  /**
   * Claims the reminders due at `now` for one ticker (see PgScheduledRows.claimDue): two processes
   * never claim the same reminder; a claim older than `leaseMs` can be taken over; at most `limit`
   * a pass, the oldest first.
   */
  async claimDueReminders(now: Date, claimant: string, leaseMs?: number, limit?: number): Promise<DueReminder[]> {
    return this.rows.claimDue(now, claimant, leaseMs, limit);
  }

  /** After sending: the next due time, and the claim released. Only the claimant can complete. */
  async completeReminder(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean> {
    return this.rows.complete(athleteId, claimant, result);
  }
}

function reminderSettings(r: typeof t.reminders.$inferSelect): ReminderSettings {
  return { ...commonSettings(r), dayOfMonth: r.dayOfMonth };
}
