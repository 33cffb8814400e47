/**
 * The weekly check-in on PostgreSQL, mirroring ../../repositories/checkins.ts: one athlete's
 * settings (default Monday 08:00 in their zone), and the ticker's cross-athlete queries — claimed
 * and completed like the monthly reminders, by the same queries (scheduled-claims.ts).
 */
import { WEEKDAYS, type Weekday } from '../../../domain/calendar.js';
import { DEFAULT_CHECKIN } from '../../../domain/checkin-schedule.js';
import type { CheckinSettings } from '../../../domain/coaching/types.js';
import type { CheckinRepository, CheckinSchedule, DueCheckin } from '../../ports.js';
import type { Clock, ReminderCompletion } from '../../records.js';
import * as c from '../coaching-schema.js';
import type { PgDb } from '../database.js';
import { commonSettings, PgScheduledRows, PgScheduledSettings } from './scheduled-claims.js';
import type { PgAthleteScope } from './scope.js';

/** One athlete's check-in: `timeZone` is the athlete's, the zone of a first check-in (asked only then). */
export function pgCheckinRepository(scope: PgAthleteScope, timeZone: () => Promise<string>): CheckinRepository {
  const settings = new PgScheduledSettings(scope, c.checkins, checkinSettings, async () => ({
    ...DEFAULT_CHECKIN,
    timeZone: await timeZone(),
  }));
  return { checkin: () => settings.get(), setCheckin: (changes) => settings.set(changes) };
}

/** The check-in ticker's queries: claimed and completed as the reminders are (see PgScheduledRows). */
export function pgCheckinSchedule(db: PgDb, clock: Clock): CheckinSchedule {
  const rows = new PgScheduledRows(db, clock, c.checkins, checkinSettings);
  return {
    claimDueCheckins: (now: Date, claimant: string, leaseMs?: number, limit?: number): Promise<DueCheckin[]> =>
      rows.claimDue(now, claimant, leaseMs, limit),
    completeCheckin: (athleteId: string, claimant: string, result: ReminderCompletion) => rows.complete(athleteId, claimant, result),
  };
}

function checkinSettings(r: typeof c.checkins.$inferSelect): CheckinSettings {
  // The column is text: a weekday it does not know (none is ever written) reads as the default.
  const weekday = WEEKDAYS.includes(r.weekday as Weekday) ? (r.weekday as Weekday) : DEFAULT_CHECKIN.weekday;
  return { ...commonSettings(r), weekday };
}
