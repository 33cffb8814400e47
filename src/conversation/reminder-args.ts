/**
 * What `/reminders` reads: on or off, the day of the month, the time of day as people write it,
 * and the time zone (read by time-zones.ts, as the profile reads it) — any combination, in any
 * order, each wrong value with a message that says what is allowed.
 */
import { isReminderDay } from '../domain/reminder-schedule.js';
import { resolveTimeZone } from './time-zones.js';

/** What /reminders takes for the time, said when it gets something else. */
export const TIME_FORMAT = 'Write the time like 19:00 or 7pm (also 7:30pm, 07:30, noon).';

/**
 * A time of day as people write it — "19:00", "7pm", "7 pm", "7:30pm", "7.30", "19h", "noon",
 * "midnight" — as HH:MM (24 h); null for anything else ("25:00", "13pm", "soon"). A bare hour
 * is 24 h: "9" is 09:00 (the reply shows it, so a meant 9pm is seen).
 */
export function parseTimeOfDay(input: string): string | null {
  const t = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === 'noon' || t === 'midday') return '12:00';
  if (t === 'midnight') return '00:00';
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|h)?$/.exec(t);
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  const half = m[3]?.replace(/\./g, '');
  if (half === 'am' || half === 'pm') {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'pm' ? 12 : 0);
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

export interface ReminderChanges {
  enabled: boolean;
  dayOfMonth: string;
  timeOfDay: string;
  timeZone: string;
}

/** A word of the zone: not the next keyword ("zone Paris day 1"), which is never part of a city. */
const ZONE_WORD = String.raw`(\s+(?!(?:time|day|on|off)\b)\S+)?`;
/** "zone", "tz" or "time zone", then up to four words of a zone ("zone Salt Lake City"). */
const ZONE = new RegExp(String.raw`\b(?:zone|tz|time\s*zone)(\s+\S+)${ZONE_WORD}${ZONE_WORD}${ZONE_WORD}`, 'i');

/**
 * The zone in the arguments, and the text without it: the longest run of words after the keyword
 * that names a zone ("zone New York", "zone Paris day 1"); an error when not even the first does.
 */
function takeZone(text: string): { rest: string; timeZone?: string; error?: string } {
  const match = ZONE.exec(text);
  if (!match) return { rest: text };
  const words = match.slice(1).filter((w): w is string => w !== undefined);
  const keyword = match[0].slice(0, match[0].length - words.join('').length);
  const without = (n: number) => {
    const taken = keyword + words.slice(0, n).join('');
    return text.slice(0, match.index) + text.slice(match.index + taken.length);
  };
  for (let n = words.length; n >= 1; n--) {
    const timeZone = resolveTimeZone(words.slice(0, n).join('').trim());
    if (timeZone) return { rest: without(n), timeZone };
  }
  const written = words[0]!.trim();
  return {
    rest: without(1),
    error: `"${written.slice(0, 40)}" is not a time zone I know; write your city (e.g. Paris) or a zone like Europe/Berlin.`,
  };
}

/** `/reminders on|off`, `day 15|last`, `time 19:00|7pm`, `zone Europe/Berlin|Paris` — any combination. */
export function parseReminderArgs(args: string): { changes: Partial<ReminderChanges>; errors: string[] } {
  const changes: Partial<ReminderChanges> = {};
  const errors: string[] = [];
  // the zone goes first and is taken out: "zone Etc/GMT-1" must not read as a time or a day
  const zone = takeZone(args.trim());
  const rest = zone.rest.toLowerCase();
  if (zone.timeZone) changes.timeZone = zone.timeZone;
  if (zone.error) errors.push(zone.error);
  if (/\b(on|yes|enable)\b/.test(rest)) changes.enabled = true;
  if (/\b(off|no|disable|stop)\b/.test(rest)) changes.enabled = false;
  const day = /\bday\s+(\S+)/.exec(rest);
  if (day) {
    if (isReminderDay(day[1]!)) changes.dayOfMonth = day[1]!;
    else errors.push('The day must be 1 to 28, or "last" (the last day of each month).');
  }
  const time = timeIn(rest);
  if (time?.timeOfDay) changes.timeOfDay = time.timeOfDay;
  if (time?.error) errors.push(time.error);
  return { changes, errors };
}

/**
 * The time of day in a command's lower-cased arguments — "time 7pm", "at 19:00", or a time on its
 * own ("7pm", "19:30") — as HH:MM, or what is wrong with it; null when none is given. `written`:
 * the words it was read from.
 */
export function timeIn(rest: string): { timeOfDay?: string; error?: string; written: string } | null {
  const time =
    /\b(?:time|at)\s+(\S+(?:\s*(?:am|pm|a\.m\.|p\.m\.))?)/.exec(rest) ??
    /(?:^|\s)(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2})(?=\s|$)/.exec(rest);
  if (!time) return null;
  const parsed = parseTimeOfDay(time[1]!);
  return parsed
    ? { timeOfDay: parsed, written: time[0] }
    : { error: `"${time[1]!.slice(0, 20)}" is not a time I can read. ${TIME_FORMAT}`, written: time[0] };
}
