/**
 * Profile answers in free text, understood without a model: `ftp 265`, `weight 70kg`,
 * `I can ride Tue Thu Sat Sun, 8h`, `max hr 186`, `goal: sub-7 Marmotte`, `Europe/Berlin`.
 * People write the way they talk — "about 250", "250ish", "~70 kilos", "Paris", "GMT+1",
 * "Marmotte on July 5 2027" — and that is understood too. Every value is checked; a wrong one
 * gets a message that says what is allowed. The words themselves are read in profile-words.ts,
 * written-dates.ts and time-zones.ts.
 */
import type { ProfileFields } from '../domain/profile.js';
import { FILLER, SKIP, trainingDaysIn, withoutHedges } from './profile-words.js';
import { resolveTimeZone } from './time-zones.js';
import { findDate } from './written-dates.js';

export type ProfileField =
  | 'ftp'
  | 'weightKg'
  | 'heartRate'
  | 'maxHr'
  | 'lthr'
  | 'restingHr'
  | 'trainingDays'
  | 'weeklyHours'
  | 'goals'
  | 'eventDate'
  | 'timeZone'
  | 'units';

export interface ProfileChanges {
  profile: Partial<ProfileFields>;
  timeZone?: string;
  units?: 'metric' | 'imperial';
}

export interface ParsedAnswer {
  changes: ProfileChanges;
  errors: string[];
  /** The athlete said they don't know / want to skip the expected field. */
  skipped: boolean;
}

export const RANGES = {
  ftp: [50, 600],
  weightKg: [30, 200],
  maxHr: [100, 230],
  lthr: [80, 220],
  restingHr: [25, 120],
  weeklyHours: [1, 40],
} as const;

/** What the parser is told: the question just asked, the athlete's units, their today (YYYY-MM-DD). */
export interface ParseOptions {
  expecting?: ProfileField;
  units?: 'metric' | 'imperial';
  today?: string;
}

const number = (s: string) => Number(s.replace(',', '.'));

function inRange(field: keyof typeof RANGES, value: number, label: string, unit: string, errors: string[]): number | undefined {
  const [lo, hi] = RANGES[field];
  if (!Number.isFinite(value) || value < lo || value > hi) {
    errors.push(`${label} must be between ${lo} and ${hi} ${unit}.`);
    return undefined;
  }
  return Math.round(value * 10) / 10;
}

/**
 * Reads every profile value in the text. `expecting` is the question just asked: a bare
 * number or word is taken as its answer.
 */
export function parseProfileText(input: string, options: ParseOptions = {}): ParsedAnswer {
  // "ftp 270, 8h, goal: FTP 300 by June": everything after "goal:" is the goal, the rest is parsed.
  const split = /\bgoals?\s*(?:is|are|:)\s*/i.exec(input);
  if (split && split.index > 0 && options.expecting !== 'goals') {
    const before = parseProfileText(input.slice(0, split.index).replace(/[\s,;]+$/, ''), options);
    const goal = parseProfileText(input.slice(split.index), options);
    return {
      changes: { ...before.changes, ...goal.changes, profile: { ...before.changes.profile, ...goal.changes.profile } },
      errors: [...before.errors, ...goal.errors],
      skipped: false,
    };
  }
  const text = input.trim();
  const errors: string[] = [];
  const changes: ProfileChanges = { profile: {} };
  const p = changes.profile;
  if (options.expecting && SKIP.test(text)) return { changes, errors, skipped: true };

  // A goal is free text: "goal: FTP 300 by June" sets the goal (and an event date in it), not the FTP.
  const goalOnly = /^\s*goals?\s*(?:is|are|:)\s*(.+)$/is.exec(text);
  if (goalOnly || options.expecting === 'goals') {
    const value = (goalOnly ? goalOnly[1]! : text).trim();
    if (value.length > 500) errors.push('Please keep the goal under 500 characters.');
    else if (value.length > 0) p.goals = value;
    // "Marmotte on July 5 2027": the goal keeps the words, the event date is read from them
    const event = findDate(value, options.today);
    if (event?.date && !(options.today && event.date < options.today)) p.eventDate = event.date;
    return { changes, errors, skipped: false };
  }
  return parseValues(withoutHedges(text), options, changes, errors);
}

/** One value-reading pass: the text (hedges taken off), what was asked, and where results go. */
interface Reading {
  text: string;
  lower: string;
  options: ParseOptions;
  /** The whole text as a bare number with an optional unit ("250", "70kg"): the answer to the question asked. */
  bare: RegExpExecArray | null;
  changes: ProfileChanges;
  errors: string[];
}

/** Everything but the goal, from text whose numbers have lost their hedges ("about 250" → "250"). */
function parseValues(text: string, options: ParseOptions, changes: ProfileChanges, errors: string[]): ParsedAnswer {
  const bare = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z%]*)\s*[.!]?\s*$/i.exec(text.replace(FILLER, ''));
  const r: Reading = { text, lower: text.toLowerCase(), options, bare, changes, errors };
  const ftp = readFtp(r);
  readWeight(r, ftp);
  const heartRates = readHeartRates(r);
  readDaysAndHours(r, heartRates);
  readEventDate(r);
  readTimeZone(r);
  readUnits(r);
  return { changes, errors, skipped: false };
}

/** A labelled value in the text, or — when that is the question asked — a bare number. */
const valueOf = (r: Reading, pattern: RegExp, field: ProfileField) =>
  pattern.exec(r.text) ?? (r.options.expecting === field && r.bare ? r.bare : null);

function readFtp(r: Reading): RegExpExecArray | null {
  const ftp = valueOf(r, /\bftp\s*(?:is|of|=|:)?\s*(\d+(?:[.,]\d+)?)\s*w?\b/i, 'ftp');
  if (ftp) {
    const v = inRange('ftp', number(ftp[1]!), 'FTP', 'W', r.errors);
    if (v !== undefined) r.changes.profile.ftp = Math.round(v);
  }
  return ftp;
}

const WEIGHT_UNIT = '(kg|kgs|kilos?|kilograms?|lbs?|pounds?|st|stones?)';

/** Weight in kg, lb or stone ("70kg", "154 lb", "11 stone"); a bare number in the athlete's units. */
function readWeight(r: Reading, ftp: RegExpExecArray | null): void {
  const expecting = r.options.expecting;
  const weight =
    new RegExp(`\\b(?:weight|weigh|i'?m)\\s*(?:is|of|=|:)?\\s*(\\d+(?:[.,]\\d+)?)\\s*${WEIGHT_UNIT}?\\b`, 'i').exec(r.text) ??
    new RegExp(`\\b(\\d+(?:[.,]\\d+)?)\\s*${WEIGHT_UNIT}\\b`, 'i').exec(r.text) ??
    (expecting === 'weightKg' && r.bare ? r.bare : null);
  if (!weight || (ftp && weight.index === ftp.index && expecting !== 'weightKg')) return;
  const unit = (weight[2] ?? '').toLowerCase();
  const pounds = unit.startsWith('lb') || unit.startsWith('pound') || (unit === '' && r.options.units === 'imperial');
  const stones = unit === 'st' || unit.startsWith('stone');
  const kg = stones ? number(weight[1]!) * 6.35029318 : pounds ? number(weight[1]!) * 0.45359237 : number(weight[1]!);
  const v = inRange('weightKg', kg, 'Weight', pounds ? `kg (${Math.round(30 / 0.4536)}–${Math.round(200 / 0.4536)} lb)` : 'kg', r.errors);
  if (v !== undefined) r.changes.profile.weightKg = v;
}

/** A heart rate in its range, in whole beats, under `field`. */
function setHeartRate(r: Reading, field: 'maxHr' | 'lthr' | 'restingHr', value: string, label: string): void {
  const v = inRange(field, number(value), label, 'bpm', r.errors);
  if (v !== undefined) r.changes.profile[field] = Math.round(v);
}

/** Max, threshold and resting heart rate; the matches, so that their numbers are not read as hours. */
function readHeartRates(r: Reading): RegExpExecArray[] {
  const maxHr = valueOf(r, /\bmax(?:imum)?\s*(?:hr|heart\s*rate)\s*(?:is|of|=|:)?\s*(\d+)/i, 'maxHr');
  if (maxHr) setHeartRate(r, 'maxHr', maxHr[1]!, 'Max heart rate');
  const lthr = valueOf(r, /\b(?:lthr|threshold\s*(?:hr|heart\s*rate)|lactate\s*threshold(?:\s*hr)?)\s*(?:is|of|=|:)?\s*(\d+)/i, 'lthr');
  if (lthr) setHeartRate(r, 'lthr', lthr[1]!, 'Threshold heart rate (LTHR)');
  const rest = valueOf(r, /\b(?:resting|rest)\s*(?:hr|heart\s*rate)?\s*(?:is|of|=|:)?\s*(\d+)/i, 'restingHr');
  if (rest) setHeartRate(r, 'restingHr', rest[1]!, 'Resting heart rate');
  if (r.options.expecting === 'heartRate' && r.bare && !maxHr && !lthr) setHeartRate(r, 'maxHr', r.bare[1]!, 'Max heart rate');
  return [maxHr, lthr, rest].filter((m): m is RegExpExecArray => m !== null);
}

/** The days someone can ride and their hours a week ("Tue Thu Sat Sun, 8h"). */
function readDaysAndHours(r: Reading, heartRates: readonly RegExpExecArray[]): void {
  const expecting = r.options.expecting;
  if (
    expecting === 'trainingDays' ||
    expecting === 'weeklyHours' ||
    /\b(ride|train|days?|mon|tue|wed|thu|fri|sat|sun|weekend|weekdays)/i.test(r.lower)
  ) {
    const d = trainingDaysIn(r.text);
    if (d && d.length > 0) r.changes.profile.trainingDays = d;
    else if (expecting === 'trainingDays' && !r.bare) r.errors.push('Tell me the days you can ride, e.g. "Tue Thu Sat Sun".');
  }
  const hours = valueOf(r, /(\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?)\b(?:\s*(?:a|per|\/)\s*week)?/i, 'weeklyHours');
  if (hours && !heartRates.map((m) => m[1]).includes(hours[1])) {
    const v = inRange('weeklyHours', number(hours[1]!), 'Hours per week', 'h', r.errors);
    if (v !== undefined) r.changes.profile.weeklyHours = v;
  }
}

/** The event: "event 2027-07-05", "race on July 5 2027". */
function readEventDate(r: Reading): void {
  const { expecting, today } = r.options;
  const event = findDate(r.text, today);
  if (event && (expecting === 'eventDate' || /\b(event|race|on|date|sportive|gran\s*fondo)\b/i.test(r.lower))) {
    const date = event.date;
    if (!date) r.errors.push(`${event.text} is not a date; write it like 2027-07-04 or July 4 2027.`);
    else if (today && date < today) r.errors.push(`${date} is in the past; give the date of your next event, or "skip".`);
    else r.changes.profile.eventDate = date;
  } else if (expecting === 'eventDate' && !event) r.errors.push('Write the event date like 2027-07-04 or July 4 2027, or "skip".');
}

/**
 * The time zone: a zone id anywhere; a city, name or offset when asked for it (the whole answer),
 * after "time zone" (or "tz"), or after "zone" opening the text or a comma-separated part ("zone
 * Paris", as `/reminders zone Paris` takes it; "zone 2" is a training zone, not a time zone).
 */
function readTimeZone(r: Reading): void {
  // "UTC -5" is an offset, not UTC
  const zone = /\b([A-Za-z]+\/[A-Za-z0-9_+-]+(?:\/[A-Za-z_]+)?|UTC(?!\s*[+\-−]\s*\d))(?![\w/+\-−])/.exec(r.text);
  const asked = r.options.expecting === 'timeZone';
  const named =
    /\b(?:time\s*zone|timezone|tz)\s*(?:(?:is|to)\b|:|=)?\s*([^,;\n]+)/i.exec(r.text) ??
    (asked ? null : /(?:^|[,;])\s*zone\b\s*(?:(?:is|to)\b|:|=)?\s*(?![\d\s])([^,;\n]+)/i.exec(r.text));
  if (!zone && !named && !asked) return;
  const candidate = (zone ? zone[1]! : named ? named[1]! : r.text).trim();
  const resolved = resolveTimeZone(candidate);
  if (resolved) r.changes.timeZone = resolved;
  else
    r.errors.push(
      `"${candidate.slice(0, 40)}" is not a time zone I know; write your city (e.g. Paris), or a zone like Europe/Berlin, America/New_York or UTC+1.`,
    );
}

function readUnits(r: Reading): void {
  const units = /\b(metric|imperial|km|miles?)\b/i.exec(r.text);
  if (units && (r.options.expecting === 'units' || /\bunits?\b/i.test(r.lower)))
    r.changes.units = /imperial|mile/i.test(units[1]!) ? 'imperial' : 'metric';
  else if (r.options.expecting === 'units') r.errors.push('Answer "metric" (km, kg) or "imperial" (miles, lb).');
}

/** True when the answer changed something. */
export function hasChanges(changes: ProfileChanges): boolean {
  return Object.keys(changes.profile).length > 0 || changes.timeZone !== undefined || changes.units !== undefined;
}
