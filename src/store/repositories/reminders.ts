/**
 * Monthly reminders: one athlete's settings, and the ticker's cross-athlete queries (what is due,
 * claiming it atomically under a lease, completing it) — the queries the weekly check-ins share
 * (scheduled-claims.ts).
 */
import type { Db } from '../database.js';
import type { Blocking, ReminderRepository, ReminderSchedule } from '../ports.js';
import type { Clock, DueReminder, ReminderCompletion, ReminderSettings } from '../records.js';
import * as t from '../schema.js';
import type { AthleteScope } from './scope.js';
import { commonSettings, ScheduledRows, ScheduledSettings } from './scheduled-claims.js';
import { DEFAULT_SCHEDULE } from '../../domain/reminder-schedule.js';

export class SqliteReminderRepository implements Blocking<ReminderRepository> {
  private readonly settings: ScheduledSettings<typeof t.reminders, ReminderSettings>;

  /** `timeZone`: the athlete's, the zone of a first reminder. */
  constructor(scope: AthleteScope, timeZone: () => string) {
    this.settings = new ScheduledSettings(scope, t.reminders, reminderSettings, () => ({ ...DEFAULT_SCHEDULE, timeZone: timeZone() }));
  }

  reminder(): ReminderSettings | null {
    return this.settings.get();
  }

  setReminder(settings: Partial<ReminderSettings>): ReminderSettings {
    return this.settings.set(settings);
  }
}

export class SqliteReminderSchedule implements Blocking<ReminderSchedule> {
  private readonly rows: ScheduledRows<typeof t.reminders, ReminderSettings>;

  constructor(db: Db, clock: Clock) {
    this.rows = new ScheduledRows(db, clock, t.reminders, reminderSettings);
  }

  /** Reminders due at `now` (enabled, next_due_at ≤ now), across athletes: the ticker's query. */
  dueReminders(now: Date): DueReminder[] {
    return this.rows.due(now);
  }

  /**
   * Claims the reminders due at `now` for one ticker, atomically (see ScheduledRows.claimDue): two
   * processes on one database never claim the same reminder; a claim older than `leaseMs` can be
   * taken over; at most `limit` a pass, the oldest first.
   */
  claimDueReminders(now: Date, claimant: string, leaseMs?: number, limit?: number): DueReminder[] {
    return this.rows.claimDue(now, claimant, leaseMs, limit);
  }

  /** After sending: the next due time, and the claim released. Only the claimant can complete. */
  completeReminder(athleteId: string, claimant: string, result: ReminderCompletion): boolean {
    return this.rows.complete(athleteId, claimant, result);
  }
}

function reminderSettings(r: typeof t.reminders.$inferSelect): ReminderSettings {
  return { ...commonSettings(r), dayOfMonth: r.dayOfMonth };
}
