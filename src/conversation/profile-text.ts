/**
 * Profile answers in free text, understood without a model: `ftp 265`, `weight 70kg`,
 * `I can ride Tue Thu Sat Sun, 8h`, `max hr 186`, `goal: sub-7 Marmotte`, `Europe/Berlin`.
 * Every value is checked; a wrong one gets a message that says what is allowed.
 */
import { WEEKDAYS, type ProfileFields, type Weekday } from '../domain/profile.js';

export type ProfileField = 'ftp' | 'weightKg' | 'heartRate' | 'maxHr' | 'lthr' | 'restingHr' | 'trainingDays' | 'weeklyHours' | 'goals' | 'eventDate' | 'timeZone' | 'units';

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

const DAY_WORDS: Record<string, Weekday> = {
  mo: 'mon', mon: 'mon', monday: 'mon', tu: 'tue', tue: 'tue', tues: 'tue', tuesday: 'tue', we: 'wed', wed: 'wed', wednesday: 'wed',
  th: 'thu', thu: 'thu', thur: 'thu', thurs: 'thu', thursday: 'thu', fr: 'fri', fri: 'fri', friday: 'fri', sa: 'sat', sat: 'sat', saturday: 'sat',
  su: 'sun', sun: 'sun', sunday: 'sun',
};

const SKIP = /^\s*(skip|no|none|-|i\s*don'?t\s*know|dunno|not sure|unknown|no idea|n\/a)\s*[.!]?\s*$/i;

const number = (s: string) => Number(s.replace(',', '.'));

function inRange(field: keyof typeof RANGES, value: number, label: string, unit: string, errors: string[]): number | undefined {
  const [lo, hi] = RANGES[field];
  if (!Number.isFinite(value) || value < lo || value > hi) {
    errors.push(`${label} must be between ${lo} and ${hi} ${unit}.`);
    return undefined;
  }
  return Math.round(value * 10) / 10;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

function days(text: string): Weekday[] | null {
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

/**
 * Reads every profile value in the text. `expecting` is the question just asked: a bare
 * number or word is taken as its answer.
 */
export function parseProfileText(input: string, options: { expecting?: ProfileField; units?: 'metric' | 'imperial'; today?: string } = {}): ParsedAnswer {
  // "ftp 270, 8h, goal: FTP 300 by June": everything after "goal:" is the goal, the rest is parsed.
  const split = /\bgoals?\s*(?:is|are|:)\s*/i.exec(input);
  if (split && split.index > 0 && options.expecting !== 'goals') {
    const before = parseProfileText(input.slice(0, split.index).replace(/[\s,;]+$/, ''), options);
    const goal = parseProfileText(input.slice(split.index), options);
    return { changes: { ...before.changes, ...goal.changes, profile: { ...before.changes.profile, ...goal.changes.profile } }, errors: [...before.errors, ...goal.errors], skipped: false };
  }
  const text = input.trim();
  const lower = text.toLowerCase();
  const errors: string[] = [];
  const changes: ProfileChanges = { profile: {} };
  const p = changes.profile;
  const expecting = options.expecting;
  if (expecting && SKIP.test(text)) return { changes, errors, skipped: true };

  // A goal is free text: "goal: FTP 300 by June" sets the goal (and an event date in it), not the FTP.
  const goalOnly = /^\s*goals?\s*(?:is|are|:)\s*(.+)$/is.exec(text);
  if (goalOnly || expecting === 'goals') {
    const value = (goalOnly ? goalOnly[1]! : text).trim();
    if (value.length > 500) errors.push('Please keep the goal under 500 characters.');
    else if (value.length > 0) p.goals = value;
    const event = /\b(\d{4}-\d{2}-\d{2})\b/.exec(value);
    if (event) {
      const date = event[1]!;
      const valid = !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
      if (valid && !(options.today && date < options.today)) p.eventDate = date;
    }
    return { changes, errors, skipped: false };
  }

  const bare = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z%]*)\s*\.?\s*$/i.exec(text);

  // FTP
  const ftp = /\bftp\s*(?:is|of|=|:)?\s*(\d+(?:[.,]\d+)?)\s*w?\b/i.exec(text) ?? (expecting === 'ftp' && bare ? bare : null);
  if (ftp) {
    const v = inRange('ftp', number(ftp[1]!), 'FTP', 'W', errors);
    if (v !== undefined) p.ftp = Math.round(v);
  }

  // weight (kg, or lb)
  const weight = /\b(?:weight|weigh|i'?m)\s*(?:is|of|=|:)?\s*(\d+(?:[.,]\d+)?)\s*(kg|kgs|kilos?|lbs?|pounds?)?\b/i.exec(text) ?? /\b(\d+(?:[.,]\d+)?)\s*(kg|kgs|kilos?|lbs?|pounds?)\b/i.exec(text) ?? (expecting === 'weightKg' && bare ? bare : null);
  if (weight && !(ftp && weight.index === ftp.index && expecting !== 'weightKg')) {
    const unit = (weight[2] ?? '').toLowerCase();
    const pounds = unit.startsWith('lb') || unit.startsWith('pound') || (unit === '' && options.units === 'imperial');
    const kg = pounds ? number(weight[1]!) * 0.45359237 : number(weight[1]!);
    const v = inRange('weightKg', kg, 'Weight', pounds ? `kg (${Math.round(30 / 0.4536)}–${Math.round(200 / 0.4536)} lb)` : 'kg', errors);
    if (v !== undefined) p.weightKg = v;
  }

  // heart rates
  const maxHr = /\bmax(?:imum)?\s*(?:hr|heart\s*rate)\s*(?:is|of|=|:)?\s*(\d+)/i.exec(text) ?? (expecting === 'maxHr' && bare ? bare : null);
  if (maxHr) {
    const v = inRange('maxHr', number(maxHr[1]!), 'Max heart rate', 'bpm', errors);
    if (v !== undefined) p.maxHr = Math.round(v);
  }
  const lthr = /\b(?:lthr|threshold\s*(?:hr|heart\s*rate)|lactate\s*threshold(?:\s*hr)?)\s*(?:is|of|=|:)?\s*(\d+)/i.exec(text) ?? (expecting === 'lthr' && bare ? bare : null);
  if (lthr) {
    const v = inRange('lthr', number(lthr[1]!), 'Threshold heart rate (LTHR)', 'bpm', errors);
    if (v !== undefined) p.lthr = Math.round(v);
  }
  const rest = /\b(?:resting|rest)\s*(?:hr|heart\s*rate)?\s*(?:is|of|=|:)?\s*(\d+)/i.exec(text) ?? (expecting === 'restingHr' && bare ? bare : null);
  if (rest) {
    const v = inRange('restingHr', number(rest[1]!), 'Resting heart rate', 'bpm', errors);
    if (v !== undefined) p.restingHr = Math.round(v);
  }
  if (expecting === 'heartRate' && bare && !maxHr && !lthr) {
    const v = inRange('maxHr', number(bare[1]!), 'Max heart rate', 'bpm', errors);
    if (v !== undefined) p.maxHr = Math.round(v);
  }

  // training days and hours
  if (expecting === 'trainingDays' || expecting === 'weeklyHours' || /\b(ride|train|days?|mon|tue|wed|thu|fri|sat|sun|weekend|weekdays)/i.test(lower)) {
    const d = days(text);
    if (d && d.length > 0) p.trainingDays = d;
    else if (expecting === 'trainingDays' && !bare) errors.push('Tell me the days you can ride, e.g. "Tue Thu Sat Sun".');
  }
  const hours = /(\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?)\b(?:\s*(?:a|per|\/)\s*week)?/i.exec(text) ?? (expecting === 'weeklyHours' && bare ? bare : null);
  const heartRates = [maxHr, lthr, rest].filter((m): m is RegExpExecArray => m !== null).map((m) => m[1]);
  if (hours && !heartRates.includes(hours[1])) {
    const v = inRange('weeklyHours', number(hours[1]!), 'Hours per week', 'h', errors);
    if (v !== undefined) p.weeklyHours = v;
  }

  // event
  const event = /\b(\d{4}-\d{2}-\d{2})\b/.exec(text);
  if (event && (expecting === 'eventDate' || /\b(event|race|on|date|sportive|gran\s*fondo)\b/i.test(lower))) {
    const date = event[1]!;
    const valid = !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
    if (!valid) errors.push(`${date} is not a date; write it as YYYY-MM-DD, e.g. 2027-07-04.`);
    else if (options.today && date < options.today) errors.push(`${date} is in the past; give the date of your next event, or "skip".`);
    else p.eventDate = date;
  } else if (expecting === 'eventDate' && !event) errors.push('Write the event date as YYYY-MM-DD (e.g. 2027-07-04), or "skip".');

  // time zone and units
  const zone = /\b([A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?|UTC)\b/.exec(text);
  if (zone || expecting === 'timeZone') {
    const candidate = zone ? zone[1]! : text;
    if (isValidTimeZone(candidate)) changes.timeZone = candidate;
    else errors.push(`"${candidate.slice(0, 40)}" is not a time zone I know; write it like Europe/Berlin or America/New_York.`);
  }
  const units = /\b(metric|imperial|km|miles?)\b/i.exec(text);
  if (units && (expecting === 'units' || /\bunits?\b/i.test(lower))) changes.units = /imperial|mile/i.test(units[1]!) ? 'imperial' : 'metric';
  else if (expecting === 'units') errors.push('Answer "metric" (km, kg) or "imperial" (miles, lb).');

  return { changes, errors, skipped: false };
}

/** True when the answer changed something. */
export function hasChanges(changes: ProfileChanges): boolean {
  return Object.keys(changes.profile).length > 0 || changes.timeZone !== undefined || changes.units !== undefined;
}
