/**
 * What `/checkin` reads: on or off, the weekday ("day sunday", "sun", or the day on its own) and
 * the time of day as people write it (reminder-args.ts reads it) — any combination, in any order,
 * each wrong value with a message that says what is allowed.
 */
import type { Weekday } from '../domain/calendar.js';
import { trainingDaysIn } from './profile-words.js';
import { timeIn } from './reminder-args.js';

export interface CheckinChanges {
  enabled: boolean;
  weekday: Weekday;
  timeOfDay: string;
}

const ONE_DAY = 'The day is one weekday, e.g. monday, sun or "day sunday".';

/** The weekday in the arguments (the time taken out): after "day", or on its own; an error when it is not one day. */
function weekdayIn(rest: string): { weekday?: Weekday; error?: string } | null {
  const day = /\bday\s+(\S+)/.exec(rest);
  const days = trainingDaysIn(day ? day[1]! : rest);
  if (days === null) return day ? { error: `"${day[1]!.slice(0, 20)}" is not a weekday. ${ONE_DAY}` } : null;
  return days.length === 1 ? { weekday: days[0]! } : { error: ONE_DAY };
}

/** `/checkin on|off`, `day sunday`, `time 19:30|7:30pm` — any combination. */
export function parseCheckinArgs(args: string): { changes: Partial<CheckinChanges>; errors: string[] } {
  const changes: Partial<CheckinChanges> = {};
  const errors: string[] = [];
  const lower = args.trim().toLowerCase();
  const time = timeIn(lower);
  if (time?.timeOfDay) changes.timeOfDay = time.timeOfDay;
  if (time?.error) errors.push(time.error);
  const rest = time ? lower.replace(time.written, ' ') : lower;
  if (/\b(on|yes|enable|start)\b/.test(rest)) changes.enabled = true;
  if (/\b(off|no|disable|stop)\b/.test(rest)) changes.enabled = false;
  const weekday = weekdayIn(rest.replace(/\b(on|off|yes|no|enable|disable|start|stop)\b/g, ' '));
  if (weekday?.weekday) changes.weekday = weekday.weekday;
  if (weekday?.error) errors.push(weekday.error);
  return { changes, errors };
}
