/**
 * Monthly reminders: one athlete's settings, and the ticker's cross-athlete queries (what is due,
 * claiming it atomically under a lease, completing it).
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import type { ReminderRepository, ReminderSchedule } from '../ports.js';
import type { Clock, DueReminder, ReminderCompletion, ReminderSettings } from '../records.js';
import * as t from '../schema.js';
import { pick, type AthleteScope } from './scope.js';
import { DEFAULT_SCHEDULE } from '../../domain/reminder-schedule.js';

export class SqliteReminderRepository implements ReminderRepository {
  /** `timeZone`: the athlete's, the zone of a first reminder. */
  constructor(
    private readonly scope: AthleteScope,
    private readonly timeZone: () => string,
  ) {}

  reminder(): ReminderSettings | null {
    const row = this.scope.db.select().from(t.reminders).where(eq(t.reminders.athleteId, this.scope.athleteId)).get();
    return row ? reminderSettings(row) : null;
  }

  setReminder(settings: Partial<ReminderSettings>): ReminderSettings {
    const current = this.reminder() ?? {
      enabled: false,
      ...DEFAULT_SCHEDULE,
      timeZone: this.timeZone(),
      channelKey: null,
      nextDueAt: null,
      lastSentAt: null,
      disabledReason: null,
    };
    const next = { ...current, ...settings };
    const updatedAt = this.scope.clock();
    this.scope.db
      .insert(t.reminders)
      .values({ athleteId: this.scope.athleteId, ...next, updatedAt })
      .onConflictDoUpdate({ target: t.reminders.athleteId, set: { ...next, updatedAt } })
      .run();
    return next;
  }
}

export class SqliteReminderSchedule implements ReminderSchedule {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Reminders due at `now` (enabled, next_due_at ≤ now), across athletes: the ticker's query. */
  dueReminders(now: Date): DueReminder[] {
    return this.db
      .select()
      .from(t.reminders)
      .where(and(eq(t.reminders.enabled, true), lte(t.reminders.nextDueAt, now)))
      .orderBy(asc(t.reminders.nextDueAt))
      .all()
      .map((r) => ({ athleteId: r.athleteId, ...reminderSettings(r) }));
  }

  /**
   * Claims the reminders due at `now` for one ticker, atomically: a single UPDATE … RETURNING, so
   * two processes on one database never claim the same reminder. A claim older than `leaseMs`
   * (a ticker that died mid-send) can be taken over.
   */
  claimDueReminders(now: Date, claimant: string, leaseMs = 10 * 60_000, limit = 50): DueReminder[] {
    // At most `limit` a pass (the oldest first), so that a claim is sent well inside its lease even
    // on the 1st of the month with thousands due and sends spaced for rate limits.
    const claimable = and(
      eq(t.reminders.enabled, true),
      lte(t.reminders.nextDueAt, now),
      sql`(${t.reminders.claimedAt} is null or ${t.reminders.claimedAt} < ${now.getTime() - leaseMs})`,
    );
    const batch = this.db
      .select({ id: t.reminders.athleteId })
      .from(t.reminders)
      .where(claimable)
      .orderBy(asc(t.reminders.nextDueAt))
      .limit(limit);
    return this.db
      .update(t.reminders)
      .set({ claimedBy: claimant, claimedAt: now })
      .where(and(claimable, inArray(t.reminders.athleteId, batch)))
      .returning()
      .all()
      .map((r) => ({ athleteId: r.athleteId, ...reminderSettings(r) }));
  }

  /** After sending: the next due time, and the claim released. Only the claimant can complete. */
  completeReminder(athleteId: string, claimant: string, result: ReminderCompletion): boolean {
    const changed = this.db
      .update(t.reminders)
      .set({
        ...(result.sentAt ? { lastSentAt: result.sentAt } : {}),
        nextDueAt: result.nextDueAt,
        claimedBy: null,
        claimedAt: null,
        updatedAt: this.clock(),
        ...(result.disabledReason ? { enabled: false, disabledReason: result.disabledReason } : {}),
      })
      .where(and(eq(t.reminders.athleteId, athleteId), eq(t.reminders.claimedBy, claimant)))
      .run();
    return changed.changes === 1;
  }
}

/** The settings' fields, in the order they are listed. */
const FIELDS = [
  'enabled',
  'dayOfMonth',
  'timeOfDay',
  'timeZone',
  'channelKey',
  'nextDueAt',
  'lastSentAt',
  'disabledReason',
] as const satisfies readonly (keyof ReminderSettings)[];

function reminderSettings(r: typeof t.reminders.$inferSelect): ReminderSettings {
  return pick(r, FIELDS);
}
