/**
 * The one calendar module. Arithmetic on plain 'YYYY-MM-DD' strings, in UTC, with no clock: the
 * caller always says which day it is (malformed dates are a bug in the caller and throw). Zoned
 * days, Monday-of-week, weekday names and the one time-zone check are here too, on luxon.
 */
import { DateTime, IANAZone } from 'luxon';

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a 'YYYY-MM-DD' date. */
export function dayNumber(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${date}".`);
  const [, y, m, d] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: "${date}".`);
  }
  return Math.round(ms / DAY_MS);
}

/** The 'YYYY-MM-DD' date of a day number. */
export function dateFromDayNumber(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateFromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Calendar months later (negative: earlier); the day is clamped to the target month's length (03-31 − 1 month = 02-28/29). */
export function addMonths(date: string, months: number): string {
  dayNumber(date);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The UTC calendar date of an instant, 'YYYY-MM-DD' (callers with a time zone pass their own dates). */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** '2025-08-03' → '3 Aug 2025'. */
export function longDate(date: string): string {
  dayNumber(date);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
}

/** Whole calendar months from `from` to `to` (0 when `to` is less than a month later). */
export function monthsBetween(from: string, to: string): number {
  let months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + (Number(to.slice(5, 7)) - Number(from.slice(5, 7)));
  while (months > 0 && addMonths(from, months) > to) months--;
  return Math.max(0, months);
}

/**
 * How long before `today` a date was, in words: 'today', 'yesterday', 'N days ago' (under 3 weeks),
 * 'N weeks ago' (under 2 months), 'N months ago' (under 2 years), else 'N years ago'.
 */
export function timeAgo(date: string, today: string): string {
  const days = daysBetween(date, today);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 21) return `${days} days ago`;
  const months = monthsBetween(date, today);
  if (months < 2) return `${Math.floor(days / 7)} weeks ago`;
  if (months < 24) return `${months} months ago`;
  return `${Math.floor(months / 12)} years ago`;
}

/** True for a real calendar date written 'YYYY-MM-DD' (2025-02-30 is not). */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  try {
    dayNumber(value);
    return true;
  } catch {
    return false;
  }
}

/** A zone id the time functions accept: an IANA zone with a region (Europe/Berlin) or UTC. */
export function isValidTimeZone(zone: string): boolean {
  return (zone.includes('/') || zone === 'UTC') && IANAZone.isValidZone(zone);
}

/** The calendar day 'YYYY-MM-DD' of an instant in `zone`; UTC when the zone is not valid. */
export function zonedDate(instant: Date, zone: string): string {
  const zoned = DateTime.fromJSDate(instant, { zone });
  return (zoned.isValid ? zoned.toISODate() : null) ?? utcDate(instant);
}

/** The days of the week, Monday first, as profiles and plans store them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** 'mon' → 'Mon', for tables and messages. */
/** Full English weekday names. */
export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** The weekday of a 'YYYY-MM-DD' date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(((dayNumber(date) + 3) % 7) + 7) % 7]!;
}

/** The Monday on or before a 'YYYY-MM-DD' date. */
export function mondayOf(date: string): string {
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}
