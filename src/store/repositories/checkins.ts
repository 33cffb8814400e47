/**
 * The weekly check-in: one athlete's settings (default Monday 08:00 in their zone), and the
 * ticker's cross-athlete queries — claimed and completed like the monthly reminders, by the same
 * queries (scheduled-claims.ts).
 */
import { WEEKDAYS, type Weekday } from '../../domain/calendar.js';
import { DEFAULT_CHECKIN } from '../../domain/checkin-schedule.js';
import type { CheckinSettings } from '../../domain/coaching/types.js';
import * as c from '../coaching-schema.js';
import type { Db } from '../database.js';
import type { Blocking, CheckinRepository, CheckinSchedule, DueCheckin } from '../ports.js';
import type { Clock, ReminderCompletion } from '../records.js';
import type { AthleteScope } from './scope.js';
import { commonSettings, ScheduledRows, ScheduledSettings } from './scheduled-claims.js';

/** One athlete's check-in: `timeZone` is the athlete's, the zone of a first check-in. */
export function checkinRepository(scope: AthleteScope, timeZone: () => string): Blocking<CheckinRepository> {
  const settings = new ScheduledSettings(scope, c.checkins, checkinSettings, () => ({ ...DEFAULT_CHECKIN, timeZone: timeZone() }));
  return { checkin: () => settings.get(), setCheckin: (changes) => settings.set(changes) };
}

/** The check-in ticker's queries: claimed and completed as the reminders are (see ScheduledRows). */
export function checkinSchedule(db: Db, clock: Clock): Blocking<CheckinSchedule> {
  const rows = new ScheduledRows(db, clock, c.checkins, checkinSettings);
  return {
    claimDueCheckins: (now: Date, claimant: string, leaseMs?: number, limit?: number): DueCheckin[] =>
      rows.claimDue(now, claimant, leaseMs, limit),
    completeCheckin: (athleteId: string, claimant: string, result: ReminderCompletion) => rows.complete(athleteId, claimant, result),
  };
}

function checkinSettings(r: typeof c.checkins.$inferSelect): CheckinSettings {
  // The column is text: a weekday it does not know (none is ever written) reads as the default.
  const weekday = WEEKDAYS.includes(r.weekday as Weekday) ? (r.weekday as Weekday) : DEFAULT_CHECKIN.weekday;
  return { ...commonSettings(r), weekday };
}
