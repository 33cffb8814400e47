/**
 * "I'm ill", "feeling tired", "I'm travelling until Friday": the athlete saying something about
 * themselves that the plan should hear (the coaching loop eases the next days). Only statements
 * about the athlete now: a question ("should I ride when I'm tired?") stays a question for the
 * coach, and "not tired", "I was sick last month", "my son is ill", "tired of the rain" or "sick
 * ride!" are not such statements. A clause counts when the words before its state are only the
 * athlete speaking ("I'm", "feeling a bit", "sorry coach,") — any other word (a negation, another
 * subject, "when", "if", the past) and it does not. How long, when said ("for 3 days", "until
 * Friday", "this week"), is read as a number of days from today, today included.
 */
import { addDays, addMonths, daysBetween, isDate, WEEKDAYS, weekdayOf, type Weekday } from '../domain/calendar.js';
import { looksLikeQuestion } from './intents.js';
import { findDate } from './written-dates.js';

export type WellbeingReason = 'ill' | 'tired' | 'travel';

export interface WellbeingStatement {
  reason: WellbeingReason;
  /** Days from today (today included) it lasts, when said; at most MAX_DAYS. */
  days?: number;
}

const MAX_DAYS = 28;

/** Words that may stand before the state in the athlete's own clause: the speaker, degree, fillers. */
const SPEAKER_WORDS = new Set(
  (
    "i i'm im am me myself feel feeling feels been i've ive have having had got gotten getting caught catching came coming come down " +
    'with a an the bit little so really very super totally completely pretty quite kinda kind sort of just still too absolutely properly ' +
    'bloody seriously now today tonight currently think afraid guess probably all rather somewhat incredibly extremely utterly literally ' +
    'and also again unfortunately sadly sorry ugh argh hey hi hello coach so well ok okay btw fyi heads up honestly tbh oh man guys ' +
    "update quick will be i'll going to this week weekend"
  ).split(' '),
);

/** Where a clause starts: punctuation, or a joining word ("…, but I'm sick", "I won't ride because I'm tired"). */
const CLAUSE_BREAK = /[.!;,:\n()]|\b(?:and|but|because|cause|cos|coz|as|since|so)\b/gi;

const NOUN_ILLNESS =
  'cold|flu|man\\s+flu|fever|temperature|covid(?:-19)?|corona|virus|bug|stomach\\s+bug|tummy\\s+bug|infection|chest\\s+infection|sore\\s+throat|cough|migraine|food\\s+poisoning|norovirus|tonsillitis|bronchitis|sinusitis|strep(?:\\s+throat)?|stomach\\s+flu|gastro';

/** The states, strongest first (ill rests, travelling rests, tired eases). */
const STATES: [WellbeingReason, RegExp][] = [
  [
    'ill',
    new RegExp(
      `\\b(?:ill|sick|unwell|poorly|feverish|nauseous|under\\s+the\\s+weather|not\\s+(?:feeling\\s+)?well|feel(?:ing)?\\s+(?:rough|awful|terrible|crap|rubbish|lousy|horrible|like\\s+crap)|tested\\s+positive|(?:have|having|got|caught|catching|with|'ve)\\s+(?:(?:a|the|some|bit|of|nasty|bad|horrible|heavy|little|slight|awful|stinking|proper)\\s+)*(?:${NOUN_ILLNESS}))\\b`,
      'i',
    ),
  ],
  [
    'travel',
    /\b(?:travell?ing|on\s+(?:a\s+)?(?:business\s+|work\s+)?(?:trip|travels?|holidays?|vacation)|away(?:\s+(?:for\s+work|on\s+business|from\s+home|with\s+work))?|out\s+of\s+town|abroad|on\s+the\s+road|(?:without|no)\s+(?:a\s+|my\s+)?bike)\b/i,
  ],
  [
    'tired',
    /\b(?:tired|exhausted|knackered|shattered|wrecked|drained|fatigued|wiped(?:\s+out)?|worn\s+out|run\s+down|burn(?:ed|t)\s+out|jet[\s-]?lagged|sleep[\s-]?deprived|overtrained|done\s+in|zonked|(?:low\s+on|no|out\s+of)\s+energy|slept\s+(?:really\s+)?(?:badly|poorly|terribly|awfully)|(?:barely|hardly)\s+slept|(?:didn't|did\s+not|couldn't|could\s+not)\s+sleep|(?:bad|rough|sleepless)\s+night|no\s+sleep|(?:my\s+)?legs\s+(?:are|feel)\s+(?:dead|heavy|empty|toast|gone|cooked)|(?:dead|heavy)\s+legs)\b/i,
  ],
];

/** After the state, words that make it something else: "tired of", "sick ride", "not ill anymore". */
const NOT_A_STATE_AFTER =
  /^\s*(?:of\b|and\s+tired\s+of\b|ride|climb|descent|view|bike|route|effort|sprint|pb|pr|kom|segment|lap|watts|numbers|anymore|any\s+more|no\s+more)/i;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .split(/\s+/)
    .map((w) => w.replace(/[^a-z']/g, ''))
    .filter((w) => w.length > 0);
}

/** The clause before `index` holds only the athlete speaking. */
function spokenByAthlete(text: string, index: number): boolean {
  const before = text.slice(0, index);
  let start = 0;
  for (const m of before.matchAll(CLAUSE_BREAK)) start = m.index + m[0].length;
  return words(before.slice(start)).every((w) => SPEAKER_WORDS.has(w));
}

function nextWeekday(today: string, day: Weekday): string {
  const ahead = (WEEKDAYS.indexOf(day) - WEEKDAYS.indexOf(weekdayOf(today)) + 7) % 7;
  return addDays(today, ahead);
}

const COUNTS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  few: 3,
  couple: 2,
  several: 4,
};

/** How many days it lasts from today (today included), as the message says it; null when it does not. */
function daysSaid(text: string, today: string): number | null {
  const t = text.toLowerCase();
  const count =
    /\b(?:for|next|coming)\s+(?:the\s+)?(?:next\s+)?(\d{1,2}|an?|one|two|three|four|five|six|seven|few|couple|several)\s+(?:of\s+)?(days?|nights?|weeks?)\b/.exec(
      t,
    );
  if (count) return (COUNTS[count[1]!] ?? Number(count[1])) * (count[2]!.startsWith('week') ? 7 : 1);
  const until = /\b(?:until|till|til|'til|through|thru|back\s+on|back)\s+(.{1,40})/.exec(t);
  if (until) {
    const span = until[1]!;
    const weekday = /^(?:next\s+|this\s+)?(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b/.exec(span);
    if (weekday) {
      const day = nextWeekday(today, weekday[1] as Weekday);
      return daysBetween(today, day === today ? addDays(day, 7) : day) + 1;
    }
    if (/^tomorrow\b/.test(span)) return 2;
    if (/^(?:the\s+)?(?:next\s+)?weekend\b/.test(span)) return daysBetween(today, nextWeekday(today, 'fri')) + 1;
    if (/^next\s+week\b/.test(span)) return daysBetween(today, nextWeekday(today, 'sun')) + 1;
    const dayOfMonth = /^the\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:of\s+)?[a-z]{3})/.exec(span);
    if (dayOfMonth) {
      const thisMonth = `${today.slice(0, 8)}${dayOfMonth[1]!.padStart(2, '0')}`;
      if (!isDate(thisMonth)) return null;
      return daysBetween(today, thisMonth >= today ? thisMonth : addMonths(thisMonth, 1)) + 1;
    }
    const found = findDate(span, today);
    if (found?.date && found.date >= today) return daysBetween(today, found.date) + 1;
  }
  if (/\b(?:all|the\s+rest\s+of\s+(?:the|this))\s+week\b|\bthis\s+week(?:end)?\b|\bover\s+the\s+weekend\b/.test(t))
    return daysBetween(today, nextWeekday(today, 'sun')) + 1;
  return null;
}

/** Starts later ("next week", "from Monday"): nothing to change today. */
const LATER = /\b(?:next\s+(?:week|month)|(?:from|starting)\s+(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|tomorrow|next)|in\s+\d+\s+days)\b/i;

/**
 * What the athlete says about being ill, tired or travelling, with how long when said; null for
 * anything else (questions included). `today`: the athlete's date, for "until Friday".
 */
export function wellbeingStatement(text: string, today: string): WellbeingStatement | null {
  if (text.length > 300 || looksLikeQuestion(text)) return null;
  for (const [reason, pattern] of STATES) {
    const global = new RegExp(pattern.source, 'gi');
    for (const m of text.matchAll(global)) {
      const after = text.slice(m.index + m[0].length);
      if (NOT_A_STATE_AFTER.test(after) || !spokenByAthlete(text, m.index)) continue;
      if (LATER.test(text.replace(/\b(?:until|till|til|through|thru)\b.*$/i, ''))) return null;
      const days = daysSaid(text, today);
      return days === null ? { reason } : { reason, days: Math.max(1, Math.min(MAX_DAYS, days)) };
    }
  }
  return null;
}
