/**
 * Profile answers in free text, understood without a model: `ftp 265`, `weight 70kg`,
 * `I can ride Tue Thu Sat Sun, 8h`, `max hr 186`, `goal: sub-7 Marmotte`, `Europe/Berlin`.
 * People write the way they talk — "about 250", "250ish", "~70 kilos", "Paris", "GMT+1",
 * "Marmotte on July 5 2027" — and that is understood too. Every value is checked; a wrong one
 * gets a message that says what is allowed.
 */
import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, type ProfileFields, type Weekday } from '../domain/profile.js';

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

/** A zone id the time functions accept (IANA, e.g. Europe/Berlin, or UTC). */
export function isValidTimeZone(zone: string): boolean {
  return (zone.includes('/') || zone === 'UTC') && IANAZone.isValidZone(zone);
}

/**
 * Abbreviations and names people use for their zone, mapped to one IANA zone that follows the
 * same clock (summer time included). Ambiguous ones take the most common reading — CST is US
 * Central, IST India — and the reply names the zone, so a wrong guess is seen and corrected.
 */
const ZONE_NAMES: Record<string, string> = {
  utc: 'UTC',
  gmt: 'UTC',
  z: 'UTC',
  zulu: 'UTC',
  'coordinated universal time': 'UTC',
  bst: 'Europe/London',
  'uk time': 'Europe/London',
  'british time': 'Europe/London',
  wet: 'Europe/Lisbon',
  west: 'Europe/Lisbon',
  cet: 'Europe/Paris',
  cest: 'Europe/Paris',
  met: 'Europe/Paris',
  mest: 'Europe/Paris',
  'central european time': 'Europe/Paris',
  'central european': 'Europe/Paris',
  eet: 'Europe/Athens',
  eest: 'Europe/Athens',
  'eastern european time': 'Europe/Athens',
  msk: 'Europe/Moscow',
  est: 'America/New_York',
  edt: 'America/New_York',
  et: 'America/New_York',
  eastern: 'America/New_York',
  'eastern time': 'America/New_York',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  ct: 'America/Chicago',
  central: 'America/Chicago',
  'central time': 'America/Chicago',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  mt: 'America/Denver',
  mountain: 'America/Denver',
  'mountain time': 'America/Denver',
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  pt: 'America/Los_Angeles',
  pacific: 'America/Los_Angeles',
  'pacific time': 'America/Los_Angeles',
  akst: 'America/Anchorage',
  akdt: 'America/Anchorage',
  hst: 'Pacific/Honolulu',
  ast: 'America/Halifax',
  adt: 'America/Halifax',
  nst: 'America/St_Johns',
  ndt: 'America/St_Johns',
  ist: 'Asia/Kolkata',
  jst: 'Asia/Tokyo',
  kst: 'Asia/Seoul',
  hkt: 'Asia/Hong_Kong',
  sgt: 'Asia/Singapore',
  awst: 'Australia/Perth',
  acst: 'Australia/Adelaide',
  acdt: 'Australia/Adelaide',
  aest: 'Australia/Sydney',
  aedt: 'Australia/Sydney',
  nzst: 'Pacific/Auckland',
  nzdt: 'Pacific/Auckland',
  sast: 'Africa/Johannesburg',
};

/**
 * Cities that are not a zone's own name, each with the zone it keeps time by. Hand-picked from
 * the IANA tz database's zone.tab / zone1970.tab (a zone is named after its most populous city;
 * these are other common cycling cities in the same zones). Every city that names a zone —
 * Paris, London, New York, Tokyo … — is found from the runtime's own zone list instead.
 */
const CITY_ZONES: Record<string, string> = {
  manchester: 'Europe/London',
  edinburgh: 'Europe/London',
  glasgow: 'Europe/London',
  birmingham: 'Europe/London',
  leeds: 'Europe/London',
  bristol: 'Europe/London',
  cardiff: 'Europe/London',
  belfast: 'Europe/London',
  lyon: 'Europe/Paris',
  marseille: 'Europe/Paris',
  nice: 'Europe/Paris',
  grenoble: 'Europe/Paris',
  toulouse: 'Europe/Paris',
  bordeaux: 'Europe/Paris',
  annecy: 'Europe/Paris',
  munich: 'Europe/Berlin',
  münchen: 'Europe/Berlin',
  hamburg: 'Europe/Berlin',
  frankfurt: 'Europe/Berlin',
  cologne: 'Europe/Berlin',
  köln: 'Europe/Berlin',
  stuttgart: 'Europe/Berlin',
  dresden: 'Europe/Berlin',
  leipzig: 'Europe/Berlin',
  düsseldorf: 'Europe/Berlin',
  barcelona: 'Europe/Madrid',
  girona: 'Europe/Madrid',
  valencia: 'Europe/Madrid',
  seville: 'Europe/Madrid',
  mallorca: 'Europe/Madrid',
  palma: 'Europe/Madrid',
  milan: 'Europe/Rome',
  milano: 'Europe/Rome',
  turin: 'Europe/Rome',
  florence: 'Europe/Rome',
  bologna: 'Europe/Rome',
  venice: 'Europe/Rome',
  naples: 'Europe/Rome',
  geneva: 'Europe/Zurich',
  bern: 'Europe/Zurich',
  basel: 'Europe/Zurich',
  lausanne: 'Europe/Zurich',
  innsbruck: 'Europe/Vienna',
  salzburg: 'Europe/Vienna',
  graz: 'Europe/Vienna',
  rotterdam: 'Europe/Amsterdam',
  utrecht: 'Europe/Amsterdam',
  'the hague': 'Europe/Amsterdam',
  eindhoven: 'Europe/Amsterdam',
  antwerp: 'Europe/Brussels',
  ghent: 'Europe/Brussels',
  bruges: 'Europe/Brussels',
  leuven: 'Europe/Brussels',
  porto: 'Europe/Lisbon',
  gothenburg: 'Europe/Stockholm',
  malmö: 'Europe/Stockholm',
  aarhus: 'Europe/Copenhagen',
  bergen: 'Europe/Oslo',
  krakow: 'Europe/Warsaw',
  kraków: 'Europe/Warsaw',
  cork: 'Europe/Dublin',
  'new york city': 'America/New_York',
  nyc: 'America/New_York',
  boston: 'America/New_York',
  washington: 'America/New_York',
  philadelphia: 'America/New_York',
  atlanta: 'America/New_York',
  miami: 'America/New_York',
  pittsburgh: 'America/New_York',
  dallas: 'America/Chicago',
  houston: 'America/Chicago',
  austin: 'America/Chicago',
  minneapolis: 'America/Chicago',
  'kansas city': 'America/Chicago',
  boulder: 'America/Denver',
  'salt lake city': 'America/Denver',
  'san francisco': 'America/Los_Angeles',
  'san diego': 'America/Los_Angeles',
  seattle: 'America/Los_Angeles',
  portland: 'America/Los_Angeles',
  'las vegas': 'America/Los_Angeles',
  montreal: 'America/Toronto',
  ottawa: 'America/Toronto',
  calgary: 'America/Edmonton',
  canberra: 'Australia/Sydney',
  wellington: 'Pacific/Auckland',
  christchurch: 'Pacific/Auckland',
  'cape town': 'Africa/Johannesburg',
  beijing: 'Asia/Shanghai',
  delhi: 'Asia/Kolkata',
  'new delhi': 'Asia/Kolkata',
  mumbai: 'Asia/Kolkata',
  bangalore: 'Asia/Kolkata',
  bengaluru: 'Asia/Kolkata',
  'abu dhabi': 'Asia/Dubai',
};

/** Offsets that are not whole hours: the zone that keeps them (they have no Etc/ zone). */
const ODD_OFFSETS: Record<string, string> = {
  '+5:30': 'Asia/Kolkata',
  '+5:45': 'Asia/Kathmandu',
  '+9:30': 'Australia/Darwin',
  '+3:30': 'Asia/Tehran',
  '+4:30': 'Asia/Kabul',
  '+6:30': 'Asia/Yangon',
  '-3:30': 'America/St_Johns',
  '-9:30': 'Pacific/Marquesas',
  '+10:30': 'Australia/Lord_Howe',
  '+12:45': 'Pacific/Chatham',
};

let zoneCities: Map<string, string> | null = null;
/** "paris" → Europe/Paris, "new york" → America/New_York: the last part of every zone the runtime knows. */
function citiesOfZones(): Map<string, string> {
  if (zoneCities) return zoneCities;
  zoneCities = new Map();
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const city = zone.split('/').at(-1)!.replace(/_/g, ' ').toLowerCase();
    if (zone.includes('/') && !zone.startsWith('Etc/') && !zoneCities.has(city)) zoneCities.set(city, zone);
  }
  return zoneCities;
}

/** The runtime's spelling of a valid zone ("europe/paris" → "Europe/Paris"). */
function canonicalZone(zone: string): string | null {
  if (!IANAZone.isValidZone(zone)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The IANA zone meant by what someone wrote for their time zone: a zone id in any case
 * ("Europe/Berlin"), a city ("London", "Paris, France", "Munich"), a common name or abbreviation
 * ("CET", "Eastern", "BST") or an offset ("GMT+1", "UTC-5", "+05:30"). Whole-hour offsets become
 * Etc/GMT∓N — POSIX inverts the sign, so GMT+1 is Etc/GMT-1 — which keeps that offset all year.
 * Null when nothing fits.
 */
export function resolveTimeZone(input: string): string | null {
  const raw = input
    .trim()
    .replace(/[.!]+$/, '')
    .replace(/^(?:my\s+)?(?:time\s*zone|timezone|tz|zone)\s*(?:is|:|=)?\s*/i, '')
    .replace(/^(?:i\s+(?:live|am|'m)\s+in|i'?m\s+in|in|near|from)\s+/i, '')
    .trim();
  if (raw.length === 0 || raw.length > 60) return null;
  if (/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(raw) || raw.toUpperCase() === 'UTC') return canonicalZone(raw);
  const offset = /^(?:utc|gmt|z)?\s*([+\-−])\s*(\d{1,2})(?:(?::|h|\.)?(\d{2}))?(?:\s*h(?:ours?)?)?$/i.exec(raw);
  if (offset) {
    const sign = offset[1] === '+' ? 1 : -1;
    const hours = Number(offset[2]);
    const minutes = Number(offset[3] ?? '0');
    if (minutes === 0) {
      if (hours === 0) return 'UTC';
      if (sign * hours < -12 || sign * hours > 14) return null;
      return canonicalZone(`Etc/GMT${sign > 0 ? '-' : '+'}${hours}`);
    }
    return ODD_OFFSETS[`${sign > 0 ? '+' : '-'}${hours}:${String(minutes).padStart(2, '0')}`] ?? null;
  }
  const name = raw.toLowerCase().replace(/\s+/g, ' ');
  const tries = [name, name.replace(/\s+(?:time|time\s*zone)$/, ''), name.split(',')[0]!.trim(), name.replace(/\s+city$/, '')];
  for (const t of tries) {
    const found = ZONE_NAMES[t] ?? CITY_ZONES[t] ?? citiesOfZones().get(t);
    if (found) return canonicalZone(found);
  }
  return null;
}

/** A zone that keeps one offset all year (UTC, Etc/GMT-1): the reply says so. */
export function isFixedOffsetZone(zone: string): boolean {
  return zone === 'UTC' || zone.startsWith('Etc/');
}

/** "UTC+1" for Etc/GMT-1 (POSIX signs are inverted), the zone itself otherwise. */
export function describeZone(zone: string): string {
  const etc = /^Etc\/GMT([+-])(\d{1,2})$/.exec(zone);
  return etc ? `UTC${etc[1] === '-' ? '+' : '−'}${etc[2]}` : zone;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const monthIndex = (word: string) => MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;

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
    return build(monthFirst[3] ? Number(monthFirst[3]) : null, monthIndex(monthFirst[1]!), Number(monthFirst[2]), monthFirst[0]);
  const dayFirst = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`, 'i').exec(text);
  if (dayFirst) return build(dayFirst[3] ? Number(dayFirst[3]) : null, monthIndex(dayFirst[2]!), Number(dayFirst[1]), dayFirst[0]);
  const dotted = /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/.exec(text);
  if (dotted) return build(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]), dotted[0]);
  return null;
}

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
const FILLER =
  /^\s*(?:(?:i\s+think|i\s+guess|i'?d\s+say|i\s+believe|it'?s|it\s+is|that'?s|probably|maybe|currently|right\s+now|now)[\s,]+)+/i;

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
export function parseProfileText(
  input: string,
  options: { expecting?: ProfileField; units?: 'metric' | 'imperial'; today?: string } = {},
): ParsedAnswer {
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

/** Everything but the goal, from text whose numbers have lost their hedges ("about 250" → "250"). */
function parseValues(
  text: string,
  options: { expecting?: ProfileField; units?: 'metric' | 'imperial'; today?: string },
  changes: ProfileChanges,
  errors: string[],
): ParsedAnswer {
  const lower = text.toLowerCase();
  const p = changes.profile;
  const expecting = options.expecting;
  const bare = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z%]*)\s*[.!]?\s*$/i.exec(text.replace(FILLER, ''));

  // FTP
  const ftp = /\bftp\s*(?:is|of|=|:)?\s*(\d+(?:[.,]\d+)?)\s*w?\b/i.exec(text) ?? (expecting === 'ftp' && bare ? bare : null);
  if (ftp) {
    const v = inRange('ftp', number(ftp[1]!), 'FTP', 'W', errors);
    if (v !== undefined) p.ftp = Math.round(v);
  }

  // weight (kg, or lb)
  const WEIGHT_UNIT = '(kg|kgs|kilos?|kilograms?|lbs?|pounds?|st|stones?)';
  const weight =
    new RegExp(`\\b(?:weight|weigh|i'?m)\\s*(?:is|of|=|:)?\\s*(\\d+(?:[.,]\\d+)?)\\s*${WEIGHT_UNIT}?\\b`, 'i').exec(text) ??
    new RegExp(`\\b(\\d+(?:[.,]\\d+)?)\\s*${WEIGHT_UNIT}\\b`, 'i').exec(text) ??
    (expecting === 'weightKg' && bare ? bare : null);
  if (weight && !(ftp && weight.index === ftp.index && expecting !== 'weightKg')) {
    const unit = (weight[2] ?? '').toLowerCase();
    const pounds = unit.startsWith('lb') || unit.startsWith('pound') || (unit === '' && options.units === 'imperial');
    const stones = unit === 'st' || unit.startsWith('stone');
    const kg = stones ? number(weight[1]!) * 6.35029318 : pounds ? number(weight[1]!) * 0.45359237 : number(weight[1]!);
    const v = inRange('weightKg', kg, 'Weight', pounds ? `kg (${Math.round(30 / 0.4536)}–${Math.round(200 / 0.4536)} lb)` : 'kg', errors);
    if (v !== undefined) p.weightKg = v;
  }

  // heart rates
  const maxHr =
    /\bmax(?:imum)?\s*(?:hr|heart\s*rate)\s*(?:is|of|=|:)?\s*(\d+)/i.exec(text) ?? (expecting === 'maxHr' && bare ? bare : null);
  if (maxHr) {
    const v = inRange('maxHr', number(maxHr[1]!), 'Max heart rate', 'bpm', errors);
    if (v !== undefined) p.maxHr = Math.round(v);
  }
  const lthr =
    /\b(?:lthr|threshold\s*(?:hr|heart\s*rate)|lactate\s*threshold(?:\s*hr)?)\s*(?:is|of|=|:)?\s*(\d+)/i.exec(text) ??
    (expecting === 'lthr' && bare ? bare : null);
  if (lthr) {
    const v = inRange('lthr', number(lthr[1]!), 'Threshold heart rate (LTHR)', 'bpm', errors);
    if (v !== undefined) p.lthr = Math.round(v);
  }
  const rest =
    /\b(?:resting|rest)\s*(?:hr|heart\s*rate)?\s*(?:is|of|=|:)?\s*(\d+)/i.exec(text) ?? (expecting === 'restingHr' && bare ? bare : null);
  if (rest) {
    const v = inRange('restingHr', number(rest[1]!), 'Resting heart rate', 'bpm', errors);
    if (v !== undefined) p.restingHr = Math.round(v);
  }
  if (expecting === 'heartRate' && bare && !maxHr && !lthr) {
    const v = inRange('maxHr', number(bare[1]!), 'Max heart rate', 'bpm', errors);
    if (v !== undefined) p.maxHr = Math.round(v);
  }

  // training days and hours
  if (
    expecting === 'trainingDays' ||
    expecting === 'weeklyHours' ||
    /\b(ride|train|days?|mon|tue|wed|thu|fri|sat|sun|weekend|weekdays)/i.test(lower)
  ) {
    const d = days(text);
    if (d && d.length > 0) p.trainingDays = d;
    else if (expecting === 'trainingDays' && !bare) errors.push('Tell me the days you can ride, e.g. "Tue Thu Sat Sun".');
  }
  const hours =
    /(\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?)\b(?:\s*(?:a|per|\/)\s*week)?/i.exec(text) ?? (expecting === 'weeklyHours' && bare ? bare : null);
  const heartRates = [maxHr, lthr, rest].filter((m): m is RegExpExecArray => m !== null).map((m) => m[1]);
  if (hours && !heartRates.includes(hours[1])) {
    const v = inRange('weeklyHours', number(hours[1]!), 'Hours per week', 'h', errors);
    if (v !== undefined) p.weeklyHours = v;
  }

  // event: "event 2027-07-05", "race on July 5 2027"
  const event = findDate(text, options.today);
  if (event && (expecting === 'eventDate' || /\b(event|race|on|date|sportive|gran\s*fondo)\b/i.test(lower))) {
    const date = event.date;
    if (!date) errors.push(`${event.text} is not a date; write it like 2027-07-04 or July 4 2027.`);
    else if (options.today && date < options.today) errors.push(`${date} is in the past; give the date of your next event, or "skip".`);
    else p.eventDate = date;
  } else if (expecting === 'eventDate' && !event) errors.push('Write the event date like 2027-07-04 or July 4 2027, or "skip".');

  // time zone: a zone id anywhere; a city, name or offset when asked for it or after "time zone"
  const zone = /\b([A-Za-z]+\/[A-Za-z0-9_+-]+(?:\/[A-Za-z_]+)?|UTC)(?![\w/+\-−])/.exec(text);
  const named = /\b(?:time\s*zone|timezone|tz)\s*(?:is|:|=|to)?\s*([^,;\n]+)/i.exec(text);
  if (zone || named || expecting === 'timeZone') {
    const candidate = (zone ? zone[1]! : named ? named[1]! : text).trim();
    const resolved = resolveTimeZone(candidate);
    if (resolved) changes.timeZone = resolved;
    else
      errors.push(
        `"${candidate.slice(0, 40)}" is not a time zone I know; write your city (e.g. Paris), or a zone like Europe/Berlin, America/New_York or UTC+1.`,
      );
  }
  const units = /\b(metric|imperial|km|miles?)\b/i.exec(text);
  if (units && (expecting === 'units' || /\bunits?\b/i.test(lower)))
    changes.units = /imperial|mile/i.test(units[1]!) ? 'imperial' : 'metric';
  else if (expecting === 'units') errors.push('Answer "metric" (km, kg) or "imperial" (miles, lb).');

  return { changes, errors, skipped: false };
}

/** True when the answer changed something. */
export function hasChanges(changes: ProfileChanges): boolean {
  return Object.keys(changes.profile).length > 0 || changes.timeZone !== undefined || changes.units !== undefined;
}
