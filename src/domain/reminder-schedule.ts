/**
 * When a monthly reminder is due: the schedule's rules and defaults (a day of the month 1–28 or
 * `last`, a time HH:MM, the athlete's time zone), the next time from croner's nextRun in that
 * zone (so DST and short months come out right), and how a reminder time reads in the chat.
 */
import { Cron } from 'croner';
import { DateTime } from 'luxon';

export interface ReminderSchedule {
  /** 1–28, or `last`. */
  dayOfMonth: string;
  /** HH:MM, 24 h, in `timeZone`. */
  timeOfDay: string;
  timeZone: string;
}

/** A new reminder's day and time (its zone is the athlete's). */
export const DEFAULT_SCHEDULE = { dayOfMonth: '1', timeOfDay: '09:00' } as const;

/** The days of the month a reminder can take: 1–28 (every month has them) and `last`. */
export const REMINDER_DAYS: readonly string[] = [...Array.from({ length: 28 }, (_, i) => String(i + 1)), 'last'];

/** True for a day of the month a reminder can take ('1'–'28' written without a leading zero, or 'last'). */
export function isReminderDay(day: string): boolean {
  return REMINDER_DAYS.includes(day);
}

/** The first reminder time strictly after `from`, or null for an impossible schedule. */
export function nextReminderAt(schedule: ReminderSchedule, from: Date): Date | null {
  const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(schedule.timeOfDay);
  if (!time || !isReminderDay(schedule.dayOfMonth)) return null;
  const day = schedule.dayOfMonth === 'last' ? 'L' : schedule.dayOfMonth;
  try {
    return new Cron(`${Number(time[2])} ${Number(time[1])} ${day} * *`, { timezone: schedule.timeZone, paused: true }).nextRun(from);
  } catch {
    return null;
  }
}

/** A reminder time as the athlete reads it: "Thu 1 Oct 2026, 19:00 (Europe/Paris)", in their zone. */
export function formatReminderTime(date: Date, zone: string): string {
  const local = DateTime.fromJSDate(date, { zone });
  const shown = local.isValid ? local : DateTime.fromJSDate(date, { zone: 'UTC' });
  return `${shown.setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm')} (${shown.zoneName})`;
}
