/**
 * The one display-formatting module, for the reports and the chat alike: dates, durations, numbers
 * with their units, and the athlete's units (metric or imperial: distance, weight, speed,
 * elevation; W/kg is W/kg everywhere). Pure and locale-free (the same output on every server),
 * English month names.
 *
 * Two styles of writing a number: `report` (HTML: a narrow no-break space between a number and its
 * unit so "265 W" never wraps, thin-space thousands, a real minus sign, "—" when missing) and
 * `chat` (plain text for messages: "1,234 km", "-3.5", "–" when missing).
 */
import { WEEKDAY_LABELS } from '../domain/calendar.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The space between a number and its unit: U+202F NARROW NO-BREAK SPACE. */
export const UNIT_SPACE = '\u202f';
/** Shown where a value is missing. */
export const MISSING = '—';

export function parseDate(date: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!match) return null;
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** Days since 1970-01-01 of a YYYY-MM-DD date (UTC, no clock). NaN when unparseable. */
export function dayNumber(date: string): number {
  const p = parseDate(date);
  if (!p) return Number.NaN;
  return Date.UTC(p.y, p.m - 1, p.d) / 86_400_000;
}

/** "3 Mar 2025"; the input as is when it is not a date. */
export function formatDate(date: string): string {
  const p = parseDate(date);
  if (!p) return date;
  return `${p.d} ${MONTHS[p.m - 1] ?? ''} ${p.y}`;
}

/** "3 Mar". */
export function formatShortDate(date: string): string {
  const p = parseDate(date);
  if (!p) return date;
  return `${p.d} ${MONTHS[p.m - 1] ?? ''}`;
}

/** "Mar", or with the year "Mar 2025", for month ticks. */
export function formatMonth(date: string, withYear = false): string {
  const p = parseDate(date);
  if (!p) return date;
  const name = MONTHS[p.m - 1] ?? '';
  return withYear ? `${name} ${p.y}` : name;
}

/** "1 May – 31 Oct 2025" (the first year only when it differs). */
export function formatPeriod(from: string, to: string): string {
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b) return `${from} – ${to}`;
  const left = a.y === b.y ? `${a.d} ${MONTHS[a.m - 1] ?? ''}` : formatDate(from);
  return `${left} – ${formatDate(to)}`;
}

export function formatWeekday(weekday: string): string {
  return (WEEKDAY_LABELS as Record<string, string>)[weekday] ?? weekday;
}

/** "1 h 05 min", "45 min", "30 s"; in chat "1:05 h", "45 min", "30 s". */
export function formatDuration(seconds: number | null, style: NumberStyle = 'report'): string {
  if (seconds === null || !Number.isFinite(seconds)) return style === 'chat' ? CHAT_MISSING : MISSING;
  if (style === 'chat') {
    if (seconds < 60) return `${Math.round(seconds)} s`;
    const minutes = Math.round(seconds / 60);
    return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')} h`;
  }
  const total = Math.round(seconds);
  if (total < 60) return `${total}${UNIT_SPACE}s`;
  const h = Math.floor(total / 3600);
  const m = Math.round((total % 3600) / 60);
  if (h === 0) return `${m}${UNIT_SPACE}min`;
  if (m === 60) return `${h + 1}${UNIT_SPACE}h 00${UNIT_SPACE}min`;
  return `${h}${UNIT_SPACE}h ${String(m).padStart(2, '0')}${UNIT_SPACE}min`;
}

/** Power-curve durations: "5 s", "1 min", "1 min 30 s", "20 min", "1 h", "2 h 30 min". */
export function formatCurveDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}${UNIT_SPACE}s`;
  if (seconds < 3600) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return s === 0 ? `${m}${UNIT_SPACE}min` : `${m}${UNIT_SPACE}min ${s}${UNIT_SPACE}s`;
  }
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m === 0 ? `${h}${UNIT_SPACE}h` : `${h}${UNIT_SPACE}h ${m}${UNIT_SPACE}min`;
}

/** Compact tick label: "5s", "1m", "20m", "1h", "1h45". */
export function formatTickDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m === 0 ? `${h}h` : m === 60 ? `${h + 1}h` : `${h}h${String(m).padStart(2, '0')}`;
}

/** How a number is written: in the HTML reports, or in a chat message (plain text). */
export type NumberStyle = 'report' | 'chat';

/** Shown in a chat message where a value is missing. */
export const CHAT_MISSING = '–';

/**
 * A number with exactly `digits` decimals; "—" ("–" in chat) for null. Reports group thousands of
 * five digits and more with a thin space and write a minus sign (−); chat groups every thousand
 * with a comma ("1,234") and writes a hyphen-minus, as people type numbers.
 */
export function formatNumber(value: number | null | undefined, digits = 0, style: NumberStyle = 'report'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return style === 'chat' ? CHAT_MISSING : MISSING;
  const fixed = value.toFixed(digits);
  const [intPart = '', frac] = fixed.split('.');
  const negative = intPart.startsWith('-');
  const digitsOnly = negative ? intPart.slice(1) : intPart;
  const zero = Number(fixed) === 0;
  if (style === 'chat') {
    const grouped = digitsOnly.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${negative && !zero ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
  }
  const grouped = digitsOnly.length > 4 ? digitsOnly.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009') : digitsOnly;
  return `${negative && !zero ? '−' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/**
 * A number and its unit as a chat message writes it: "265 W", "8.0 h", "3.79 W/kg", "–" when
 * missing. Exactly `digits` decimals.
 */
export function chatQuantity(value: number | null | undefined, digits = 0, unit = ''): string {
  const text = formatNumber(value, digits, 'chat');
  if (text === CHAT_MISSING || unit === '') return text;
  return `${text} ${unit}`;
}

/** Decimals worth showing: integers as is, otherwise up to two. */
export function naturalDigits(value: number): number {
  if (Number.isInteger(value) || Math.abs(value) >= 100) return 0;
  if (Math.abs(value * 10 - Math.round(value * 10)) < 1e-9 || Math.abs(value) >= 10) return 1;
  return 2;
}

/** "265 W", "3.79 W/kg", "—" for null. */
export function withUnit(value: number | null | undefined, unit: string, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const text = formatNumber(value, digits ?? naturalDigits(value));
  if (unit === '') return text;
  if (unit === '%') return `${text}${UNIT_SPACE}%`;
  return `${text}${UNIT_SPACE}${unit}`;
}

/** Signed, for changes: "+4.2 %", "−3 %". */
export function formatSignedPercent(percent: number): string {
  const digits = Math.abs(percent) >= 10 ? 0 : 1;
  const text = formatNumber(Math.abs(percent), digits);
  const sign = percent > 0 ? '+' : percent < 0 ? '−' : '±';
  return `${sign}${text}${UNIT_SPACE}%`;
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- the athlete's units ----

/** Chosen at onboarding: kilometres, kilograms, km/h and metres, or miles, pounds, mph and feet. */
export type Units = 'metric' | 'imperial';

export const METERS_PER_MILE = 1609.344;
export const KG_PER_POUND = 0.45359237;
export const METERS_PER_FOOT = 0.3048;

/** One quantity in the athlete's units: the converted value, its unit and the decimals worth showing. */
export interface Measure {
  value: number | null;
  unit: string;
  digits: number;
}

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** Distance: km or mi, one decimal. */
export function distance(meters: number | null | undefined, units: Units): Measure {
  if (!finite(meters)) return { value: null, unit: distanceUnit(units), digits: 1 };
  return { value: units === 'imperial' ? meters / METERS_PER_MILE : meters / 1000, unit: distanceUnit(units), digits: 1 };
}

export function distanceUnit(units: Units): 'km' | 'mi' {
  return units === 'imperial' ? 'mi' : 'km';
}

/** Body weight: kg with up to one decimal (70, 68.5), or whole pounds. */
export function weight(kg: number | null | undefined, units: Units): Measure {
  if (!finite(kg)) return { value: null, unit: units === 'imperial' ? 'lb' : 'kg', digits: 0 };
  if (units === 'imperial') return { value: kg / KG_PER_POUND, unit: 'lb', digits: 0 };
  return { value: kg, unit: 'kg', digits: Number.isInteger(Math.round(kg * 10) / 10) ? 0 : 1 };
}

/** Speed from m/s: km/h or mph, one decimal. */
export function speed(metersPerSecond: number | null | undefined, units: Units): Measure {
  const unit = units === 'imperial' ? 'mph' : 'km/h';
  if (!finite(metersPerSecond)) return { value: null, unit, digits: 1 };
  return { value: units === 'imperial' ? (metersPerSecond * 3600) / METERS_PER_MILE : metersPerSecond * 3.6, unit, digits: 1 };
}

/** Elevation (climbing, altitude): whole metres or feet. */
export function elevation(meters: number | null | undefined, units: Units): Measure {
  const unit = units === 'imperial' ? 'ft' : 'm';
  if (!finite(meters)) return { value: null, unit, digits: 0 };
  return { value: units === 'imperial' ? meters / METERS_PER_FOOT : meters, unit, digits: 0 };
}

/** A measure as text in the given style: "52.3\u202fmi" in a report, "52.3 mi" in chat. */
export function formatMeasure(measure: Measure, style: NumberStyle = 'report'): string {
  if (style === 'chat') return chatQuantity(measure.value, measure.digits, measure.unit);
  return withUnit(measure.value, measure.unit, measure.digits);
}

export const formatDistance = (meters: number | null | undefined, units: Units, style: NumberStyle = 'report'): string =>
  formatMeasure(distance(meters, units), style);
export const formatWeight = (kg: number | null | undefined, units: Units, style: NumberStyle = 'report'): string =>
  formatMeasure(weight(kg, units), style);
export const formatSpeed = (metersPerSecond: number | null | undefined, units: Units, style: NumberStyle = 'report'): string =>
  formatMeasure(speed(metersPerSecond, units), style);
export const formatElevation = (meters: number | null | undefined, units: Units, style: NumberStyle = 'report'): string =>
  formatMeasure(elevation(meters, units), style);
