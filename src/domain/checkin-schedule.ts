/**
 * When the weekly check-in is due: a weekday and a time HH:MM in the athlete's zone (default
 * Monday 08:00), the next time from the reminders' rule (reminder-schedule.ts: croner in that
 * zone, so a DST switch moves neither the day nor the local time), and the weeks it speaks of.
 */
import { addDays, mondayOf, type Weekday } from './calendar.js';
import { nextLocalTime } from './reminder-schedule.js';

export interface CheckinSchedule {
  weekday: Weekday;
  /** HH:MM, 24 h, in `timeZone`. */
  timeOfDay: string;
  timeZone: string;
}

/** A new check-in's day and time (its zone is the athlete's). */
export const DEFAULT_CHECKIN: { readonly weekday: Weekday; readonly timeOfDay: string } = { weekday: 'mon', timeOfDay: '08:00' };

/** The first check-in time strictly after `from`, or null for an impossible schedule (a bad time or zone). */
export function nextCheckinAt(schedule: CheckinSchedule, from: Date): Date | null {
  return nextLocalTime(schedule.timeOfDay, `* * ${schedule.weekday.toUpperCase()}`, schedule.timeZone, from);
}

/**
 * The weeks (Monday to Sunday) a check-in sent on `today` (the athlete's calendar day) speaks of:
 * the week ahead — this one from Monday to Thursday, the next one from Friday on — and the week
 * before it. The default Monday check-in looks back at last week and ahead at this one.
 */
export function checkinWeeks(today: string): { last: { from: string; to: string }; coming: { from: string; to: string } } {
  const monday = mondayOf(addDays(today, 3));
  return { last: { from: addDays(monday, -7), to: addDays(monday, -1) }, coming: { from: monday, to: addDays(monday, 6) } };
}
