/**
 * Display formatting for the reports: dates, durations and numbers with their units. Pure and
 * locale-free (the same output on every server), English month names, a narrow no-break space
 * between a number and its unit so "265 W" never wraps.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAY_NAMES: Record<string, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

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

/** "Mar" (with the year for January: "Jan 2025"), for month ticks. */
export function formatMonth(date: string, withYear = false): string {
  const p = parseDate(date);
  if (!p) return date;
  const name = MONTHS[p.m - 1] ?? '';
  return withYear ? `${name} ${String(p.y).slice(2)}` : name;
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
  return WEEKDAY_NAMES[weekday] ?? weekday;
}

/** "1 h 05 min", "45 min", "30 s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return MISSING;
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

/** A number with at most `digits` decimals, thousands separated by a thin space; "—" for null. */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const fixed = value.toFixed(digits);
  const [intPart = '', frac] = fixed.split('.');
  const negative = intPart.startsWith('-');
  const digitsOnly = negative ? intPart.slice(1) : intPart;
  const grouped = digitsOnly.length > 4 ? digitsOnly.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009') : digitsOnly;
  const sign = negative && Number(fixed) !== 0 ? '−' : '';
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
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
