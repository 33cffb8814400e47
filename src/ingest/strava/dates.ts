/**
 * Activity Date cells of a Strava activities.csv → instants. `Activity Date` is UTC; Strava writes
 * it in the account's locale (`May 13, 2026, 9:54:42 AM`, `13.05.2026, 09:54:42`, …).
 */
import { DateTime } from 'luxon';

// Parsers are built once; the last format that worked is tried first
// (safe because no string matches two formats with different meanings: 12-hour formats need AM/PM,
// 24-hour ones reject it, and the separators differ).
const DATE_FORMATS = [
  'MMM d, yyyy, h:mm:ss a',
  'MMM d, yyyy, H:mm:ss',
  'MMMM d, yyyy, h:mm:ss a',
  'MMM d, yyyy h:mm:ss a',
  'd MMM yyyy, H:mm:ss',
  'd MMM yyyy H:mm:ss',
  'd MMMM yyyy, H:mm:ss',
  'd.M.yyyy, H:mm:ss',
  'd.M.yyyy H:mm:ss',
  'yyyy-M-d H:mm:ss',
  'yyyy-M-d, H:mm:ss',
  'yyyy/M/d H:mm:ss',
  'M/d/yyyy, h:mm:ss a',
  'd/M/yyyy, H:mm:ss',
  'd/M/yyyy H:mm:ss',
] as const;

type TokenParser = ReturnType<typeof DateTime.buildFormatParser>;
let dateParsers: TokenParser[] | null = null;
let lastDateFormat = 0;

function tryParser(text: string, parser: TokenParser): Date | null {
  try {
    const dt = DateTime.fromFormatParser(text, parser, { zone: 'utc' });
    return dt.isValid ? dt.toJSDate() : null;
  } catch {
    return null; // Settings.throwOnInvalid
  }
}

const SHORT_MONTHS: ReadonlyMap<string, number> = new Map(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [m, i]),
);

/**
 * Strava's English export format, `May 13, 2026, 9:54:42 AM`, read without luxon (a sixth of the
 * time of a large file went to it). Only unambiguous, valid dates from year 1000 on; anything else
 * is null and goes to luxon, which reads the same text to the same instant.
 */
function readUsDate(text: string): Date | null {
  const m = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}), (\d{1,2}):(\d\d):(\d\d) ([AP]M)$/.exec(text);
  if (m === null) return null;
  const month = SHORT_MONTHS.get(m[1]!);
  const day = Number(m[2]);
  const year = Number(m[3]);
  const hour12 = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month === undefined || year < 1000 || day < 1 || hour12 < 1 || hour12 > 12 || minute > 59 || second > 59) return null;
  const d = new Date(Date.UTC(year, month, day, (hour12 % 12) + (m[7] === 'PM' ? 12 : 0), minute, second));
  return d.getUTCDate() === day && d.getUTCMonth() === month ? d : null;
}

export function parseStravaDate(raw: string): Date | null {
  if (raw.length > 256) return null;
  const text = raw.replace(/[\s\u00a0\u202f\u2009]+/g, ' ').trim();
  if (text === '' || text.length > 64) return null;
  const us = readUsDate(text);
  if (us !== null) return us;
  dateParsers ??= DATE_FORMATS.map((f) => DateTime.buildFormatParser(f, { locale: 'en-US' }));
  const first = dateParsers[lastDateFormat];
  if (first) {
    const d = tryParser(text, first);
    if (d) return d;
  }
  for (let i = 0; i < dateParsers.length; i++) {
    if (i === lastDateFormat) continue;
    const d = tryParser(text, dateParsers[i]!);
    if (d) {
      lastDateFormat = i;
      return d;
    }
  }
  // ISO with a T, fractional seconds or an explicit offset.
  try {
    const dt = DateTime.fromISO(text.replace(' ', 'T'), { zone: 'utc' });
    if (dt.isValid) return dt.toJSDate();
  } catch {
    // fall through
  }
  return null;
}
