/**
 * The words around values in a free-text profile answer: hedges taken off numbers ("about 250",
 * "250ish"), fillers before a bare answer ("I think 250"), and the days someone can ride
 * ("Tue Thu Sat", "weekdays", "Mon-Fri").
 */
import { WEEKDAYS, type Weekday } from '../domain/calendar.js';

const DAY_WORDS: Record<string, Weekday> = {
  mo: 'mon',
  mon: 'mon',
  monday: 'mon',
  tu: 'tue',
  tue: 'tue',
  tues: 'tue',
  tuesday: 'tue',
  we: 'wed',
  wed: 'wed',
  wednesday: 'wed',
  th: 'thu',
  thu: 'thu',
  thur: 'thu',
  thurs: 'thu',
  thursday: 'thu',
  fr: 'fri',
  fri: 'fri',
  friday: 'fri',
  sa: 'sat',
  sat: 'sat',
  saturday: 'sat',
  su: 'sun',
  sun: 'sun',
  sunday: 'sun',
};

/** "skip", "I don't know", "n/a": the athlete passes on the question. */
export const SKIP = /^\s*(skip|no|none|-|i\s*don'?t\s*know|dunno|not sure|unknown|no idea|n\/a)\s*[.!]?\s*$/i;

/**
 * Takes the hedges off numbers: "about 250", "250ish", "~70 kilos", "roughly 8 hours",
 * "8 hours or so" read as the number itself.
 */
export function withoutHedges(text: string): string {
  return text
    .replace(/(\d)\s*-?\s*ish\b/gi, '$1')
    .replace(/[~≈±]\s*(?=\d)/g, '')
    .replace(
      /\b(?:about|around|roughly|approx(?:imately|\.)?|circa|ca\.|maybe|probably|perhaps|somewhere\s+around|something\s+like|close\s+to|nearly|almost|just\s+(?:over|under)|give\s+or\s+take)\s+(?=\d)/gi,
      '',
    )
    .replace(/(\d(?:[.,]\d+)?\s*[a-z]*)\s+(?:or\s+so|give\s+or\s+take|more\s+or\s+less|-?\s*ish)\b/gi, '$1');
}

/** Words before a bare answer that change nothing: "I think 250", "it's 70". */
export const FILLER =
  /^\s*(?:(?:i\s+think|i\s+guess|i'?d\s+say|i\s+believe|it'?s|it\s+is|that'?s|probably|maybe|currently|right\s+now|now)[\s,]+)+/i;

/** The days someone can ride, Monday first: "Tue Thu Sat", "Mon-Fri", "weekends", "every day"; null when none is named. */
export function trainingDaysIn(text: string): Weekday[] | null {
  const lower = text.toLowerCase();
  if (/\b(every\s*day|daily|all\s*days)\b/.test(lower)) return [...WEEKDAYS];
  const found = new Set<Weekday>();
  const range = /\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*(?:-|–|to)\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b/g;
  for (const m of lower.matchAll(range)) {
    const a = WEEKDAYS.indexOf(m[1] as Weekday);
    const b = WEEKDAYS.indexOf(m[2] as Weekday);
    for (let i = a; i !== (b + 1) % 7; i = (i + 1) % 7) found.add(WEEKDAYS[i]!);
  }
  if (/\bweekends?\b/.test(lower)) ['sat', 'sun'].forEach((d) => found.add(d as Weekday));
  if (/\bweekdays\b/.test(lower)) ['mon', 'tue', 'wed', 'thu', 'fri'].forEach((d) => found.add(d as Weekday));
  for (const word of lower.split(/[^a-z]+/)) {
    const day = DAY_WORDS[word];
    if (day && (word.length >= 3 || /\b(mo|tu|we|th|fr|sa|su)\b/.test(lower))) found.add(day);
  }
  return found.size > 0 ? WEEKDAYS.filter((d) => found.has(d)) : null;
}
