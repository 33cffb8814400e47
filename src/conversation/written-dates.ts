/**
 * Dates as people write them in a message — "2027-07-05", "July 5th, 2027", "5th of July",
 * "5.7.2027" — and the month words they use, shared by the profile's event date and the coach's
 * "how far did I ride in August?".
 */
import { DateTime } from 'luxon';

/** The month words, "jan" to "december", as a regular expression alternation (no group). */
export const MONTH_WORDS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = `(${MONTH_WORDS})\\.?`;

/** 1–12 for a month word ("Aug", "august"), 0 for anything else. */
export const monthNumber = (word: string): number => MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;

export interface FoundDate {
  /** YYYY-MM-DD; null when the text names a day that does not exist (30 February). */
  date: string | null;
  /** What was written, for the error message. */
  text: string;
}

/**
 * The first date in the text: ISO ("2027-07-05"), or written out — "July 5 2027", "5 July 2027",
 * "July 5th, 2027", "5th of July", "5.7.2027" (day first, as written in Europe). Without a year,
 * the next such day from `today`. Slashed dates (7/5/2027) are left alone: month or day first
 * cannot be told apart.
 */
export function findDate(text: string, today?: string): FoundDate | null {
  const build = (y: number | null, m: number, d: number, written: string): FoundDate => {
    let year = y ?? (today ? Number(today.slice(0, 4)) : new Date().getUTCFullYear());
    let date = DateTime.fromObject({ year, month: m, day: d }, { zone: 'UTC' });
    if (y === null && today && date.isValid && date.toISODate()! < today)
      date = DateTime.fromObject({ year: (year += 1), month: m, day: d }, { zone: 'UTC' });
    return { date: date.isValid ? date.toISODate() : null, text: written };
  };
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return build(Number(iso[1]), Number(iso[2]), Number(iso[3]), iso[0]);
  const monthFirst = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)(?:,?\\s+(\\d{4}))?\\b`, 'i').exec(text);
  if (monthFirst)
    return build(monthFirst[3] ? Number(monthFirst[3]) : null, monthNumber(monthFirst[1]!), Number(monthFirst[2]), monthFirst[0]);
  const dayFirst = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`, 'i').exec(text);
  if (dayFirst) return build(dayFirst[3] ? Number(dayFirst[3]) : null, monthNumber(dayFirst[2]!), Number(dayFirst[1]), dayFirst[0]);
  const dotted = /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/.exec(text);
  if (dotted) return build(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]), dotted[0]);
  return null;
}
