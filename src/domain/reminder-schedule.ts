/**
 * When a monthly reminder is due: the schedule's rules and defaults (a day of the month 1–28 or
 * `last`, a time HH:MM, the athlete's time zone), the next time from croner's nextRun in that
 * zone (so DST and short months come out right; the weekly check-in's schedule uses the same), and
 * how a reminder time reads in the chat.
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
  if (!isReminderDay(schedule.dayOfMonth)) return null;
  return nextLocalTime(schedule.timeOfDay, `${schedule.dayOfMonth === 'last' ? 'L' : schedule.dayOfMonth} * *`, schedule.timeZone, from);
}

/**
 * The first time strictly after `from` at `timeOfDay` (HH:MM) in `zone` on the days `days` — cron's
 * day-of-month, month and day-of-week fields ("1 * *", "* * MON") — or null for an impossible one.
 * A time the clocks skip comes at the first minute after the jump; a time they repeat, at the first.
 */
export function nextLocalTime(timeOfDay: string, days: string, zone: string, from: Date): Date | null {
  const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(timeOfDay);
  if (!time) return null;
  try {
    return new Cron(`${Number(time[2])} ${Number(time[1])} ${days}`, { timezone: zone, paused: true }).nextRun(from);
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

/** What every message the bot sends first (the monthly reminder, the weekly check-in) keeps besides its day. */
export interface ScheduledMessageSettings {
  enabled: boolean;
  /** HH:MM in `timeZone`. */
  timeOfDay: string;
  timeZone: string;
  /** The chat identity key it goes to. */
  channelKey: string | null;
  nextDueAt: Date | null;
  lastSentAt: Date | null;
  disabledReason: string | null;
}
