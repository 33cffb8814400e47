/**
 * Athlete profiles as JSON, in our field names or the original Python tool's:
 *
 *   ours:   ftp, weightKg, maxHr, lthr, restingHr, age, sex, goals, eventDate, trainingDays,
 *           weeklyHours, planWeeks, name
 *   Python: "FTP": "265w" | 265, "weight": "70kg", "max_HR", "critical_HR" (→ lthr), "age", "name",
 *           "training_availability": { "hours_per_week", "week_days": "Monday, Wednesday" | [...] },
 *           "training_plan_weeks", "goals": string | string[]
 *
 * When both spell a field, ours wins. Unknown keys are ignored. Every bad field is reported, by the
 * name the file used, with its allowed range.
 */
import { z } from 'zod';
import { isDate, WEEKDAYS, type Weekday } from '../domain/calendar.js';
import { EMPTY_PROFILE, type ProfileFields } from '../domain/profile.js';
import { err, ok, type Result } from '../domain/result.js';

export type ParsedProfile = ProfileFields & { name?: string | null };

const POUND_KG = 0.45359237;

/** A number, or a string of a number with an optional unit ("265w", "70 kg", "154 lb", "8h"). */
function numberWithUnit(units: Record<string, number>): (value: unknown) => unknown {
  return (value) => {
    if (typeof value !== 'string') return value;
    const match = /^\s*(-?\d+(?:[.,]\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
    if (!match) return value;
    const unit = match[2]!.toLowerCase();
    const factor = unit === '' ? 1 : units[unit];
    if (factor === undefined) return value;
    return Number(match[1]!.replace(',', '.')) * factor;
  };
}

const WATTS = { w: 1, watt: 1, watts: 1 };
const KILOGRAMS = { kg: 1, kgs: 1, kilo: 1, kilos: 1, lb: POUND_KG, lbs: POUND_KG };
const BPM = { bpm: 1 };
const HOURS = { h: 1, hr: 1, hrs: 1, hour: 1, hours: 1 };
const WEEKS = { w: 1, wk: 1, wks: 1, week: 1, weeks: 1 };
const YEARS = { y: 1, yr: 1, yrs: 1, years: 1 };

const ranged = (units: Record<string, number>, min: number, max: number, integer = false) =>
  z.preprocess(numberWithUnit(units), integer ? z.number().int().min(min).max(max) : z.number().min(min).max(max));

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function toWeekday(text: string): Weekday | null {
  const t = text.trim().toLowerCase().replace(/\.$/, '');
  // Two letters at least: "t" and "s" could be two days each; "tu", "th", "sa", "su" cannot.
  if (t.length < 2) return null;
  const index = DAY_NAMES.findIndex((name) => name.startsWith(t) || `${name}s` === t);
  return index < 0 ? null : WEEKDAYS[index]!;
}

const trainingDaysSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/\s*(?:,|;|\/|\band\b|\s)\s*/i).filter((s) => s.length > 0) : value),
  z.array(z.string()).min(1).max(7),
);

interface FieldSpec {
  /** Keys that may spell the field, ours first; "a.b" reads a nested key. */
  keys: string[];
  schema: z.ZodType;
  /** Allowed values, for the error message. */
  allowed: string;
}

const FIELDS: Record<keyof ParsedProfile, FieldSpec> = {
  ftp: { keys: ['ftp', 'FTP'], schema: ranged(WATTS, 50, 600), allowed: '50–600 W' },
  weightKg: { keys: ['weightKg', 'weight', 'weight_kg'], schema: ranged(KILOGRAMS, 30, 200), allowed: '30–200 kg' },
  maxHr: { keys: ['maxHr', 'max_HR', 'max_hr'], schema: ranged(BPM, 60, 230, true), allowed: '60–230 bpm' },
  lthr: { keys: ['lthr', 'critical_HR', 'critical_hr', 'LTHR'], schema: ranged(BPM, 60, 230, true), allowed: '60–230 bpm' },
  // A resting heart rate is often below 60: its own range.
  restingHr: { keys: ['restingHr', 'resting_HR', 'resting_hr'], schema: ranged(BPM, 25, 120, true), allowed: '25–120 bpm' },
  age: { keys: ['age'], schema: ranged(YEARS, 10, 100, true), allowed: '10–100 years' },
  sex: {
    keys: ['sex', 'gender'],
    schema: z.preprocess(
      (v) =>
        typeof v === 'string'
          ? (({ m: 'male', male: 'male', f: 'female', female: 'female' } as Record<string, string>)[v.trim().toLowerCase()] ?? v)
          : v,
      z.enum(['male', 'female']),
    ),
    allowed: '"male" or "female"',
  },
  goals: {
    keys: ['goals', 'goal'],
    schema: z.union([z.string().max(2000), z.array(z.string().max(500)).max(20)]).transform(
      (v) =>
        (Array.isArray(v)
          ? v
              .map((s) => s.trim())
              .filter(Boolean)
              .join('; ')
          : v.trim()) || null,
    ),
    allowed: 'a text or a list of texts',
  },
  eventDate: { keys: ['eventDate', 'event_date'], schema: z.string().refine(isDate), allowed: 'a date as YYYY-MM-DD' },
  trainingDays: {
    keys: ['trainingDays', 'training_availability.week_days', 'training_days'],
    schema: trainingDaysSchema,
    allowed: 'day names, Monday … Sunday',
  },
  weeklyHours: {
    keys: ['weeklyHours', 'training_availability.hours_per_week', 'weekly_hours', 'hours_per_week'],
    schema: ranged(HOURS, 1, 40),
    allowed: '1–40 hours',
  },
  planWeeks: {
    keys: ['planWeeks', 'training_plan_weeks', 'plan_weeks'],
    schema: ranged(WEEKS, 4, 24, true),
    allowed: '4–24 weeks (whole weeks)',
  },
  name: { keys: ['name'], schema: z.string().trim().max(200), allowed: 'a text of up to 200 characters' },
};

function read(object: Record<string, unknown>, key: string): unknown {
  let value: unknown = object;
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Parses a profile; the error names every bad field (as the file spelled it) and what it allows. */
export function parseProfileJson(text: string, source: string): Result<ParsedProfile, { message: string }> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return err({ message: `${source}: not valid JSON (${e instanceof Error ? e.message : String(e)}).` });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return err({
      message: `${source}: expected a JSON object of profile fields, e.g. {"ftp": 250, "weeklyHours": 8, "trainingDays": ["tue", "thu", "sat"]}.`,
    });
  const object = data as Record<string, unknown>;
  const profile: ParsedProfile = { ...EMPTY_PROFILE, name: null };
  const problems: string[] = [];
  for (const [field, spec] of Object.entries(FIELDS) as [keyof ParsedProfile, FieldSpec][]) {
    const key = spec.keys.find((k) => read(object, k) !== undefined);
    if (key === undefined) continue;
    const value = read(object, key);
    if (value === null) continue;
    const parsed = spec.schema.safeParse(value);
    if (!parsed.success) {
      problems.push(`"${key}" must be ${spec.allowed} (got ${shown(value)})`);
      continue;
    }
    if (field === 'trainingDays') {
      const days: Weekday[] = [];
      for (const name of parsed.data as string[]) {
        const day = toWeekday(name);
        if (day === null)
          problems.push(`"${key}": ${shown(name)} is not a day; use Monday, Tuesday, Wednesday, Thursday, Friday, Saturday or Sunday`);
        else if (!days.includes(day)) days.push(day);
      }
      profile.trainingDays = WEEKDAYS.filter((d) => days.includes(d));
    } else {
      (profile as unknown as Record<string, unknown>)[field] = parsed.data;
    }
  }
  if (problems.length > 0) return err({ message: `${source}: ${problems.join('; ')}.` });
  return ok(profile);
}
