/**
 * Strava bulk-export `activities.csv` → normalised activities.
 *
 * Columns are mapped by name (header generations range from 79 to 103 columns). Strava repeats
 * some headers (Elapsed Time, Distance, Max Heart Rate, Relative Effort, Commute): the first copy
 * is in display units (km, mi, nautical miles for sailing), the second in SI units (m, s). We use
 * the SI copy. Bad input never throws: file-level problems are an `err`, row-level problems are
 * `bad-row` entries next to the rows that did parse, and rows claiming impossible figures are
 * `implausible-values` entries.
 *
 * This runs on the bot's event loop, on files anyone can send: every step is linear in the size of
 * the file (no regular expression here can backtrack), and the limits below refuse absurd input
 * before it costs anything.
 */
import { createHash, type Hash } from 'node:crypto';
import { parse, CsvError, type Options as CsvOptions } from 'csv-parse/sync';
import { decodeHTMLStrict } from 'entities';
import { DateTime } from 'luxon';
import type { Activity, ActivityWarning, PowerSource } from '../domain/activity.js';
import { err, ok, type Result } from '../domain/result.js';
import { activityId } from './identity.js';
import { ingestError, type IngestError } from './ingest-error.js';

export interface CsvBatch {
  activities: Activity[];
  errors: IngestError[];
}

export interface StravaCsvOptions {
  /** Data rows one file may hold (default MAX_CSV_ROWS); more and the whole file is refused as `too-large`. */
  maxRows?: number;
}

// ---------------------------------------------------------------------------------------------
// Limits

/**
 * Data rows per file. Strava writes one row per activity: 200,000 is four activities a day for over
 * a century, while a realistic lifetime export (128,000 rows and less) still parses. More rows and
 * the file is refused (`too-large`) before any row is converted.
 */
export const MAX_CSV_ROWS = 200_000;

/**
 * Characters in any one cell. A longer cell (free text included: 64 KiB is pages of description)
 * makes its row a `bad-row`, before anything else reads the cell.
 */
export const MAX_CELL_CHARS = 64 * 1024;

/**
 * Characters in one header cell. Strava's column names are under 40 characters, about 200 in old
 * exports that wrap them in translation_missing spans; a longer one refuses the file (`too-large`).
 */
export const MAX_HEADER_CELL_CHARS = 1024;

/** Header columns. Strava's exports have 79 to 103; more refuses the file (`too-large`). */
export const MAX_CSV_COLUMNS = 500;

/**
 * csv-parse's `max_record_size` (characters in one record, all its cells together), which bounds
 * the memory one row takes. Real rows are under 2 KB, and this is well above MAX_CELL_CHARS, so one
 * over-long cell only costs its own row. csv-parse stops reading at a longer record: that row and
 * the rest of the file become one `bad-row` error (or, on the header, the file is `too-large`).
 */
export const MAX_RECORD_CHARS = 2 * 1024 * 1024;

/** Activity Name and Activity Type are kept to this many characters, the last being "…". */
export const MAX_NAME_CHARS = 200;

/** Strava's activity ids are at most 20 digits; a longer Activity ID makes the row a `bad-row`. */
const MAX_ID_CHARS = 64;

/**
 * What one row may claim; a row outside these bounds is an `implausible-values` error naming the
 * row and the fields (one such figure gave a fitness (CTL) of 76,664). Empty cells stay allowed
 * (null), and every figure that is given must be a finite number.
 */
export const CSV_PLAUSIBLE = {
  /** Moving Time (it drives the training load): more than 0 and at most 7 days. */
  maxMovingSeconds: 7 * 86_400,
  /**
   * Elapsed Time: more than 0 and at most 366 days. Not 7 days like moving time: real exports hold
   * rides left running for weeks (the reference export has one of 84 days, 118 s moving), which
   * must still come in; `checkPlausible` warns about them, and load uses moving time.
   */
  maxElapsedSeconds: 366 * 86_400,
  /** Distance: 0 to 2,000 km. */
  maxDistanceMeters: 2_000_000,
  /** Elevation Gain: 0 to 50,000 m. */
  maxAscentMeters: 50_000,
  /** Average Watts and Weighted Average Power: 0 to 2,500 W. */
  maxAveragePowerWatts: 2_500,
  /** Max Watts: 0 to 10,000 W (sprints peak near 2,700 W; a power-meter spike may go further). */
  maxPeakPowerWatts: 10_000,
  /** Average and Max Heart Rate: 20 to 250 bpm. */
  minHeartRate: 20,
  maxHeartRate: 250,
  /** Activity Date: 1990-01-01 or later. Future dates are refused after ingestion (`checkPlausible`). */
  earliestStart: Date.UTC(1990, 0, 1),
} as const;

/** Total Work (J): at most the highest average power for the longest moving time. */
const MAX_TOTAL_WORK_JOULES = CSV_PLAUSIBLE.maxAveragePowerWatts * CSV_PLAUSIBLE.maxMovingSeconds;

const REQUIRED_COLUMNS = ['Activity ID', 'Activity Date', 'Activity Type', 'Elapsed Time'] as const;

const HOW_TO_GET_THE_FILE =
  'To get it, on strava.com open Settings → My Account → Download or Delete Your Account → Request your archive; ' +
  'Strava emails you a zip, and the file to upload is activities.csv inside it.';

// ---------------------------------------------------------------------------------------------
// Sports

interface SportMapping {
  sport: string;
  subSport: string | null;
}

const SPORTS: ReadonlyMap<string, SportMapping> = new Map<string, SportMapping>([
  ['ride', { sport: 'cycling', subSport: null }],
  ['velomobile', { sport: 'cycling', subSport: null }],
  ['handcycle', { sport: 'cycling', subSport: null }],
  ['virtualride', { sport: 'cycling', subSport: 'virtual_activity' }],
  ['mountainbikeride', { sport: 'cycling', subSport: 'mountain' }],
  ['gravelride', { sport: 'cycling', subSport: 'gravel_cycling' }],
  ['road', { sport: 'cycling', subSport: 'road' }],
  ['roadride', { sport: 'cycling', subSport: 'road' }],
  ['ebikeride', { sport: 'e_biking', subSport: null }],
  ['emountainbikeride', { sport: 'e_biking', subSport: 'e_bike_mountain' }],
  ['run', { sport: 'running', subSport: null }],
  ['trailrun', { sport: 'running', subSport: 'trail' }],
  ['virtualrun', { sport: 'running', subSport: 'virtual_activity' }],
  ['walk', { sport: 'walking', subSport: null }],
  ['hike', { sport: 'hiking', subSport: null }],
  ['swim', { sport: 'swimming', subSport: null }],
  ['nordicski', { sport: 'cross_country_skiing', subSport: null }],
  ['alpineski', { sport: 'alpine_skiing', subSport: null }],
  ['backcountryski', { sport: 'backcountry_skiing', subSport: null }],
  ['snowboard', { sport: 'snowboarding', subSport: null }],
  ['snowshoe', { sport: 'snowshoeing', subSport: null }],
  ['sail', { sport: 'sailing', subSport: null }],
  ['canoe', { sport: 'paddling', subSport: null }],
  ['canoeing', { sport: 'paddling', subSport: null }],
  ['kayaking', { sport: 'paddling', subSport: null }],
  ['rowing', { sport: 'rowing', subSport: null }],
  ['weighttraining', { sport: 'training', subSport: 'strength_training' }],
]);

/** Strava's `Activity Type` ("Nordic Ski" or "NordicSki") → FIT sport and sub-sport. */
export function stravaTypeToSport(type: string): { sport: string; subSport: string | null } {
  const key = type.toLowerCase().replace(/[^a-z0-9]/g, '');
  const hit = SPORTS.get(key);
  return hit ? { sport: hit.sport, subSport: hit.subSport } : { sport: 'generic', subSport: null };
}

// ---------------------------------------------------------------------------------------------
// Headers

const LT = 0x3c;
const GT = 0x3e;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/**
 * Removes tags: what `raw.replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, '')` does, in linear time. That
 * expression rescans to the end of the text from every `<` that never closes (113 s for 256 KB of
 * `<`). Here `close[j]` is computed once for every position, right to left: where a tag whose body
 * starts at j ends (its `>`), or -1 when it never does (a quote that never closes, or no `>`).
 */
function stripTags(raw: string): string {
  if (raw.indexOf('<') === -1) return raw;
  const n = raw.length;
  const close = new Int32Array(n + 1);
  close[n] = -1;
  let nextDouble = -1; // the nearest `"` after j
  let nextSingle = -1; // the nearest `'` after j
  for (let j = n - 1; j >= 0; j--) {
    const c = raw.charCodeAt(j);
    if (c === GT) close[j] = j;
    else if (c === DQUOTE) close[j] = nextDouble === -1 ? -1 : close[nextDouble + 1]!;
    else if (c === SQUOTE) close[j] = nextSingle === -1 ? -1 : close[nextSingle + 1]!;
    else close[j] = close[j + 1]!;
    if (c === DQUOTE) nextDouble = j;
    else if (c === SQUOTE) nextSingle = j;
  }
  let out = '';
  let start = 0;
  let i = 0;
  while (i < n) {
    const end = raw.charCodeAt(i) === LT ? close[i + 1]! : -1;
    if (end === -1) {
      i++;
      continue;
    }
    out += raw.slice(start, i);
    i = end + 1;
    start = i;
  }
  return out + raw.slice(start);
}

/** `<span class="translation_missing" title="...">Type</span>` → `Type`. Linear in the length of `raw`. */
export function cleanHeader(raw: string): string {
  return decodeHTMLStrict(stripTags(raw))
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Values

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * `/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(s)` as one pass: that expression backtracks
 * quadratically on a long run of digits that does not match (45 s for 256 K digits).
 */
function isDecimal(s: string): boolean {
  const n = s.length;
  let i = 0;
  if (i < n && (s[i] === '+' || s[i] === '-')) i++;
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  let fracDigits = 0;
  if (i < n && s[i] === '.') {
    i++;
    const fracStart = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    fracDigits = i - fracStart;
  }
  if (intDigits === 0 && fracDigits === 0) return false;
  if (i < n && (s[i] === 'e' || s[i] === 'E')) {
    i++;
    if (i < n && (s[i] === '+' || s[i] === '-')) i++;
    const expStart = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === expStart) return false;
  }
  return i === n;
}

/** Like `parseNumber`, but a number too large for a double comes back as ±Infinity, not null. */
function readNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  let s = raw.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  const comma = s.lastIndexOf(',');
  if (comma !== -1) {
    const dot = s.lastIndexOf('.');
    if (dot > comma) s = s.replace(/,/g, '');
    else s = s.replace(/\./g, '').replace(',', '.');
    if (s.includes(',')) return null;
  }
  if (!isDecimal(s)) return null;
  return Number(s);
}

/** Empty or non-numeric → null; `12,5` → 12.5; `1.234,5` → 1234.5; `1,234.5` → 1234.5. */
export function parseNumber(raw: string | undefined): number | null {
  const n = readNumber(raw);
  return n !== null && Number.isFinite(n) ? n : null;
}

function parseBoolean(raw: string | undefined): boolean | null {
  if (raw === undefined) return null;
  const s = raw.trim().toLowerCase();
  if (s === 'true' || s === 'yes') return true;
  if (s === 'false' || s === 'no') return false;
  const n = parseNumber(s);
  return n === null ? null : n !== 0;
}

// Dates. `Activity Date` is UTC. Parsers are built once; the last format that worked is tried first
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

// ---------------------------------------------------------------------------------------------
// Bytes → text

function looksBinary(bytes: Uint8Array): string | null {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return 'It is a zip archive, not a CSV file: upload the archive itself, or unzip it and upload activities.csv.';
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return 'It is gzip-compressed, not a plain CSV file: decompress it and upload activities.csv.';
  }
  const sample = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < sample; i++) {
    const b = bytes[i]!;
    if (b === 0) return 'It contains binary data, not text.';
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (sample > 0 && control / sample > 0.05) return 'It contains binary data, not text.';
  return null;
}

function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Re-saved by a spreadsheet in a legacy code page.
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * How far the header line is looked for. Strava's is under 20,000 characters; a file whose first
 * line runs past this is refused (`too-large`).
 */
const MAX_HEADER_LINE_CHARS = 1 << 20;

type RecordDelimiter = '\r\n' | '\n' | '\r';

interface CsvShape {
  /** The commonest of , ; and tab in the first record (outside quotes); null when there is none. */
  delimiter: ',' | ';' | '\t' | null;
  /** The line break ending the first record, as csv-parse would discover it; null when none is found. */
  recordDelimiter: RecordDelimiter | null;
  /** The first line break at all (quoted or not), the fallback when the first record has none. */
  anyBreak: RecordDelimiter | null;
}

/**
 * Reads the first record's delimiter and line break in one pass over at most
 * MAX_HEADER_LINE_CHARS. The line break is handed to csv-parse: left to discover it, csv-parse
 * allocates three buffers per character until it finds one (seconds for a long first line).
 */
function sniffShape(text: string): CsvShape {
  let comma = 0;
  let semicolon = 0;
  let tab = 0;
  let quoted = false;
  let recordDelimiter: RecordDelimiter | null = null;
  let anyBreak: RecordDelimiter | null = null;
  const breakAt = (i: number): RecordDelimiter => (text.charCodeAt(i) === 0x0a ? '\n' : text.charCodeAt(i + 1) === 0x0a ? '\r\n' : '\r');
  const end = Math.min(text.length, MAX_HEADER_LINE_CHARS);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x0a || c === 0x0d) && anyBreak === null) anyBreak = breakAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 0x0a || c === 0x0d) {
      recordDelimiter = breakAt(i);
      break;
    } else if (c === 0x2c) comma++;
    else if (c === 0x3b) semicolon++;
    else if (c === 0x09) tab++;
  }
  let delimiter: CsvShape['delimiter'];
  if (comma === 0 && semicolon === 0 && tab === 0) delimiter = null;
  else if (comma >= semicolon && comma >= tab) delimiter = ',';
  else delimiter = semicolon >= tab ? ';' : '\t';
  return { delimiter, recordDelimiter, anyBreak };
}

// ---------------------------------------------------------------------------------------------
// Rows

/** One column's cells in a row: one string, or an array where the header repeats the name. */
type Cell = string | string[] | undefined;

class MissingColumns extends Error {
  constructor(readonly missing: string[]) {
    super('missing columns');
  }
}

/** A header too big to be Strava's (an over-long cell, too many columns): the file is refused as `too-large`. */
class HeaderTooLarge extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/** The columns this module reads. */
const FIELDS = [
  'Activity ID',
  'Activity Date',
  'Activity Name',
  'Activity Type',
  'Activity Description',
  'Elapsed Time',
  'Moving Time',
  'Distance',
  'Elevation Gain',
  'Average Watts',
  'Max Watts',
  'Weighted Average Power',
  'Power Count',
  'Device Watts',
  'Average Heart Rate',
  'Max Heart Rate',
  'Average Cadence',
  'Average Speed',
  'Total Work',
  'Filename',
] as const;
type Field = (typeof FIELDS)[number];

interface Columns {
  /** Each field → the positions of its column in the header, in order (empty when absent). */
  positions: Record<Field, readonly number[]>;
  /** Canonical names, sorted, with their positions, for the row hash. */
  sorted: { name: string; positions: readonly number[] }[];
  /**
   * SHA-256 already fed with `{"columns":[sorted names],"values":`; each row's hash copies it and
   * adds its values (sorted-name order, trimmed, null for cells a short row lacks) and `}`.
   */
  hashPrefix: Hash;
}

/**
 * The header line → columns. Names are cleaned (`cleanHeader`) and matched without case; the first
 * spelling of a name is its canonical one; repeated names keep all their positions.
 */
function readHeader(header: readonly string[]): Columns {
  if (header.length > MAX_CSV_COLUMNS) {
    throw new HeaderTooLarge(
      `its header has ${header.length.toLocaleString('en-US')} columns; Strava's has about 100 (the limit is ${MAX_CSV_COLUMNS})`,
    );
  }
  const byLower = new Map<string, string>();
  const byName = new Map<string, number[]>();
  for (let i = 0; i < header.length; i++) {
    const raw = header[i]!;
    if (raw.length > MAX_HEADER_CELL_CHARS) {
      throw new HeaderTooLarge(
        `column ${i + 1} of its header is ${raw.length.toLocaleString('en-US')} characters long; Strava's column names are short (the limit is ${MAX_HEADER_CELL_CHARS.toLocaleString('en-US')})`,
      );
    }
    const cleaned = cleanHeader(raw);
    if (cleaned === '') continue;
    const lower = cleaned.toLowerCase();
    const canonical = byLower.get(lower) ?? cleaned;
    byLower.set(lower, canonical);
    const at = byName.get(canonical);
    if (at) at.push(i);
    else byName.set(canonical, [i]);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !byLower.has(c.toLowerCase()));
  if (missing.length > 0) throw new MissingColumns(missing);
  const positions = {} as Record<Field, readonly number[]>;
  for (const f of FIELDS) {
    const canonical = byLower.get(f.toLowerCase());
    positions[f] = (canonical === undefined ? undefined : byName.get(canonical)) ?? [];
  }
  const names = Array.from(byName.keys()).sort();
  const hashPrefix = createHash('sha256').update(`{"columns":${JSON.stringify(names)},"values":`);
  return { positions, sorted: names.map((name) => ({ name, positions: byName.get(name)! })), hashPrefix };
}

/**
 * A column's cells in a row, as csv-parse's `group_columns_by_name` would give them: nothing when
 * the row is too short to reach the column, one string when it reaches one copy, an array when it
 * reaches several.
 */
function cellOf(record: readonly string[], positions: readonly number[]): Cell {
  if (positions.length === 1) return positions[0]! < record.length ? record[positions[0]!] : undefined;
  let first: string | undefined;
  let many: string[] | undefined;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    if (p >= record.length) break;
    const v = record[p]!;
    if (first === undefined) first = v;
    else if (many === undefined) many = [first, v];
    else many.push(v);
  }
  return many ?? first;
}

function describeError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.slice(0, 400).replace(/\s+/g, ' ').slice(0, 200);
}

/** How many times `char` occurs in `text`. */
function countChar(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function tooManyRows(source: string, rows: number, limit: number): IngestError {
  return ingestError(
    source,
    'too-large',
    `${source} has ${formatCount(rows)} rows; the limit is ${formatCount(limit)} rows per file. Strava's export has one row per activity, so this is not an ordinary activities.csv: send the Strava archive as it came, or split the file.`,
  );
}

/**
 * Runs csv-parse with stack traces off, and the callbacks with them back on. csv-parse builds a
 * CsvError, stack trace included, for every record whose cell count differs from the header's,
 * even with `relax_column_count` (which then ignores it): that was a third of the time of a file
 * of short rows (5.6 s for 150,000 rows of two cells; 3.7 s without the traces).
 */
function parseRecords(
  data: Buffer,
  options: CsvOptions,
  onRecord: (record: string[]) => null,
  onSkip: (e: CsvError | undefined) => undefined,
): void {
  const limit = Error.stackTraceLimit;
  const traced = <T>(f: () => T): T => {
    Error.stackTraceLimit = limit;
    try {
      return f();
    } finally {
      Error.stackTraceLimit = 0;
    }
  };
  Error.stackTraceLimit = 0;
  try {
    parse(data, {
      ...options,
      on_record: (record: string[]) => traced(() => onRecord(record)),
      on_skip: (e: CsvError | undefined) => traced(() => onSkip(e)),
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Parses a Strava `activities.csv`. File-level problems (not a CSV, not Strava's columns, empty,
 * too big) are an `err`; rows that cannot be read are `bad-row` entries in `errors`, rows with
 * impossible figures `implausible-values` entries; the other rows still come through.
 */
export function parseStravaCsv(bytes: Uint8Array, source: string, options: StravaCsvOptions = {}): Result<CsvBatch, IngestError> {
  const maxRows = options.maxRows !== undefined && options.maxRows >= 0 ? Math.floor(options.maxRows) : MAX_CSV_ROWS;
  if (bytes.length === 0) {
    return err(ingestError(source, 'empty', `${source} is empty (0 bytes). ${HOW_TO_GET_THE_FILE}`));
  }
  const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  const binary = utf16 ? null : looksBinary(bytes);
  if (binary) {
    return err(ingestError(source, 'unsupported-format', `${source} is not a CSV file we can read. ${binary}`));
  }
  const text = decodeText(bytes);
  if (text.replace(/^\ufeff/, '').trim() === '') {
    return err(ingestError(source, 'empty', `${source} contains no data. ${HOW_TO_GET_THE_FILE}`));
  }
  const { delimiter, recordDelimiter, anyBreak } = sniffShape(text);
  if (delimiter === null) {
    return err(
      ingestError(
        source,
        'unsupported-format',
        `${source} does not look like a CSV file: its first line has no commas or semicolons. ${HOW_TO_GET_THE_FILE}`,
      ),
    );
  }
  if (recordDelimiter === null && text.length > MAX_HEADER_LINE_CHARS) {
    return err(
      ingestError(
        source,
        'too-large',
        `${source} is not Strava's activities.csv: its header line is longer than ${formatCount(MAX_HEADER_LINE_CHARS)} characters. ${HOW_TO_GET_THE_FILE}`,
      ),
    );
  }

  const data = Buffer.from(text);
  const csvOptions = {
    bom: true,
    delimiter,
    record_delimiter: recordDelimiter ?? anyBreak ?? '\n',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
  } as const;

  // Too many rows: refused before any row is converted. csv-parse ends records only at
  // `record_delimiter`, so its count bounds the records from above; only past the limit are the
  // records counted exactly (one cheap pass of csv-parse, as quoted cells may span lines). A header
  // that is not Strava's stops the count: the pass below reports it (missing columns first).
  if (countChar(text, csvOptions.record_delimiter === '\r' ? '\r' : '\n') > maxRows) {
    let records = 0;
    try {
      parseRecords(
        data,
        csvOptions,
        (record) => {
          if (records === 0) readHeader(record);
          records++;
          return null;
        },
        () => {
          records++;
          return undefined;
        },
      );
    } catch {
      // the real pass below reports it
    }
    if (records - 1 > maxRows) return err(tooManyRows(source, records - 1, maxRows));
  }

  let columns: Columns | null = null;
  // `as`: assigned in the callbacks, so no narrowing to null here.
  let headerProblem = null as CsvError | undefined | null;
  let dataRow = 0;
  let activities: Activity[] = [];
  let errors: IngestError[] = [];

  /** Counts a data row; past the limit, drops what was built and tells the caller to stop converting. */
  const countRow = (): boolean => {
    dataRow++;
    if (dataRow <= maxRows) return true;
    activities = [];
    errors = [];
    return false;
  };

  const onRecord = (record: string[]): null => {
    if (headerProblem !== null) return null;
    if (columns === null) {
      columns = readHeader(record);
      return null;
    }
    if (!countRow()) return null;
    const outcome = convertRow(record, columns, source, dataRow);
    if (outcome === null) return null; // a row of empty cells
    if ('code' in outcome) errors.push(outcome);
    else activities.push(outcome);
    return null;
  };

  const onSkip = (e: CsvError | undefined): undefined => {
    if (columns === null) {
      headerProblem ??= e;
      return undefined;
    }
    if (!countRow()) return undefined;
    const rowSource = `${source}#row ${dataRow}`;
    const why =
      e?.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field starts there and never ends, so this row and everything after it could not be read'
        : e?.code === 'CSV_MAX_RECORD_SIZE'
          ? `it is longer than ${formatCount(MAX_RECORD_CHARS)} characters, the limit for one row, so this row and everything after it could not be read`
          : `it is not valid CSV (${describeError(e)})`;
    errors.push(ingestError(rowSource, 'bad-row', `Row ${dataRow} of ${source} was skipped: ${why}.`));
    return undefined;
  };

  try {
    parseRecords(data, csvOptions, onRecord, onSkip);
  } catch (e) {
    if (e instanceof MissingColumns) {
      return err(missingColumnsError(source, e.missing));
    }
    if (e instanceof HeaderTooLarge) {
      return err(ingestError(source, 'too-large', `${source} is not Strava's activities.csv: ${e.why}. ${HOW_TO_GET_THE_FILE}`));
    }
    if (e instanceof CsvError) {
      return err(
        ingestError(source, 'unsupported-format', `${source} could not be read as CSV (${describeError(e)}). ${HOW_TO_GET_THE_FILE}`),
      );
    }
    throw e;
  }

  if (headerProblem !== null) {
    const problem = headerProblem;
    if (problem?.code === 'CSV_MAX_RECORD_SIZE') {
      return err(
        ingestError(
          source,
          'too-large',
          `${source} is not Strava's activities.csv: its header line is longer than ${formatCount(MAX_RECORD_CHARS)} characters. ${HOW_TO_GET_THE_FILE}`,
        ),
      );
    }
    return err(
      ingestError(
        source,
        'unsupported-format',
        `${source} could not be read as CSV: its header line is malformed (${describeError(problem)}). ${HOW_TO_GET_THE_FILE}`,
      ),
    );
  }
  if (columns === null) {
    return err(ingestError(source, 'empty', `${source} contains no data. ${HOW_TO_GET_THE_FILE}`));
  }
  if (dataRow > maxRows) return err(tooManyRows(source, dataRow, maxRows));
  if (activities.length === 0 && errors.length === 0) {
    return err(ingestError(source, 'empty', `${source} has Strava's column headers but no activities in it.`));
  }
  return ok({ activities, errors });
}

function missingColumnsError(source: string, missing: readonly string[]): IngestError {
  const list =
    missing.length === 1 ? `the column ${missing[0]}` : `the columns ${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  return ingestError(
    source,
    'missing-columns',
    `${source} is missing ${list}, so it is not Strava's activities.csv. ${HOW_TO_GET_THE_FILE} ` +
      'If your Strava account is set to another language the column names are translated: switch it to English before requesting the archive.',
  );
}

const ESTIMATED_POWER: ActivityWarning = {
  code: 'estimated-power',
  message: "Strava estimated the power for this activity (no power meter), so it won't be used for power analysis.",
};

const DISTANCE_UNITS: ActivityWarning = {
  code: 'distance-units',
  message: 'This export has only one Distance column, so we assumed it is in kilometres.',
};

/** At most `max` characters, the last one "…" when cut; never splits a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A figure for a message: plain when ordinary, in exponent form when huge or tiny. */
function showNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 0.01)) return v.toExponential(2);
  return String(Math.round(v * 100) / 100);
}

/** A figure a row may give, and the range it must fall in. */
interface Bound {
  field: Field;
  /** The smallest allowed value; with `aboveMin`, values must be greater than it. */
  min: number;
  aboveMin?: boolean;
  max: number;
  unit: string;
  /** The allowed range, in words, for the message. */
  range: string;
}

function wattsBound(field: Field, max: number): Bound {
  return { field, min: 0, max, unit: 'W', range: `between 0 and ${formatCount(max)} W` };
}

function heartRateBound(field: Field): Bound {
  const { minHeartRate: min, maxHeartRate: max } = CSV_PLAUSIBLE;
  return { field, min, max, unit: 'bpm', range: `between ${min} and ${max} bpm` };
}

function nonNegativeBound(field: Field, unit: string): Bound {
  return { field, min: 0, max: Infinity, unit, range: 'zero or more' };
}

/** The bounds, in the order of `Figures`. */
const BOUNDS: readonly Bound[] = [
  {
    field: 'Elapsed Time',
    min: 0,
    aboveMin: true,
    max: CSV_PLAUSIBLE.maxElapsedSeconds,
    unit: 's',
    range: `more than 0 s and at most ${CSV_PLAUSIBLE.maxElapsedSeconds / 86_400} days`,
  },
  {
    field: 'Moving Time',
    min: 0,
    aboveMin: true,
    max: CSV_PLAUSIBLE.maxMovingSeconds,
    unit: 's',
    range: `more than 0 s and at most ${CSV_PLAUSIBLE.maxMovingSeconds / 86_400} days`,
  },
  {
    field: 'Distance',
    min: 0,
    max: CSV_PLAUSIBLE.maxDistanceMeters,
    unit: 'm',
    range: `between 0 and ${formatCount(CSV_PLAUSIBLE.maxDistanceMeters / 1000)} km`,
  },
  {
    field: 'Elevation Gain',
    min: 0,
    max: CSV_PLAUSIBLE.maxAscentMeters,
    unit: 'm',
    range: `between 0 and ${formatCount(CSV_PLAUSIBLE.maxAscentMeters)} m`,
  },
  wattsBound('Average Watts', CSV_PLAUSIBLE.maxAveragePowerWatts),
  wattsBound('Weighted Average Power', CSV_PLAUSIBLE.maxAveragePowerWatts),
  wattsBound('Max Watts', CSV_PLAUSIBLE.maxPeakPowerWatts),
  heartRateBound('Average Heart Rate'),
  heartRateBound('Max Heart Rate'),
  { field: 'Total Work', min: 0, max: MAX_TOTAL_WORK_JOULES, unit: 'J', range: `between 0 and ${formatCount(MAX_TOTAL_WORK_JOULES)} J` },
  nonNegativeBound('Power Count', ''),
  nonNegativeBound('Average Cadence', 'rpm'),
  nonNegativeBound('Average Speed', 'm/s'),
];

/** A row's figures, in the order of `BOUNDS` (null where the cell is empty or not a number). */
type Figures = readonly [
  elapsed: number | null,
  moving: number | null,
  distanceMeters: number | null,
  ascent: number | null,
  avgPower: number | null,
  normalizedPower: number | null,
  maxPower: number | null,
  avgHeartRate: number | null,
  maxHeartRate: number | null,
  totalWork: number | null,
  powerCount: number | null,
  avgCadence: number | null,
  avgSpeed: number | null,
];

/** What is wrong with the figures (one phrase per field), empty when they are plausible. */
function implausibleFigures(figures: Figures): string[] {
  const problems: string[] = [];
  for (let i = 0; i < BOUNDS.length; i++) {
    const b = BOUNDS[i]!;
    const v = figures[i] ?? null;
    if (v === null) continue;
    if (!Number.isFinite(v)) problems.push(`${b.field} is not a finite number`);
    else if (v < b.min || (b.aboveMin === true && v === b.min) || v > b.max) {
      problems.push(`${b.field} is ${showNumber(v)}${b.unit === '' ? '' : ` ${b.unit}`} (it must be ${b.range})`);
    }
  }
  return problems;
}

/** A field's cells in a row. */
function fieldCell(record: readonly string[], cols: Columns, name: Field): Cell {
  return cellOf(record, cols.positions[name]);
}

/** The SI copy of a field: the last one. */
function lastCopy(record: readonly string[], cols: Columns, name: Field): string | undefined {
  const v = fieldCell(record, cols, name);
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** The last copy of a field that is not empty (for columns whose copies share a unit). */
function lastFilledCopy(record: readonly string[], cols: Columns, name: Field): string | undefined {
  const v = fieldCell(record, cols, name);
  if (!Array.isArray(v)) return v;
  for (let i = v.length - 1; i >= 0; i--) if (v[i]!.trim() !== '') return v[i];
  return v[v.length - 1];
}

function fieldNumber(record: readonly string[], cols: Columns, name: Field): number | null {
  return readNumber(lastCopy(record, cols, name));
}

function fieldText(record: readonly string[], cols: Columns, name: Field): string | null {
  const v = lastCopy(record, cols, name)?.replace(/\r\n?/g, '\n').trim();
  return v ? v : null;
}

function tooLongCell(source: string, n: number, column: string, length: number): IngestError {
  return ingestError(
    `${source}#row ${n}`,
    'bad-row',
    `Row ${n} of ${source} was skipped: its ${cutText(column, 60)} cell is ${formatCount(length)} characters long; the limit is ${formatCount(MAX_CELL_CHARS)}.`,
  );
}

function convertRow(record: readonly string[], cols: Columns, source: string, n: number): Activity | IngestError | null {
  // The cleaned values in sorted-column order (see `Columns.hashPrefix`), a silent skip for rows
  // of empty cells, and the cell length limit, checked before anything else reads a cell.
  let anything = false;
  const values: (string | string[] | null)[] = new Array<string | string[] | null>(cols.sorted.length);
  for (let i = 0; i < cols.sorted.length; i++) {
    const column = cols.sorted[i]!;
    const v = cellOf(record, column.positions);
    if (v === undefined) {
      values[i] = null;
    } else if (typeof v === 'string') {
      if (v.length > MAX_CELL_CHARS) return tooLongCell(source, n, column.name, v.length);
      const t = v.trim();
      if (t !== '') anything = true;
      values[i] = t;
    } else {
      const ts = new Array<string>(v.length);
      for (let j = 0; j < v.length; j++) {
        if (v[j]!.length > MAX_CELL_CHARS) return tooLongCell(source, n, column.name, v[j]!.length);
        const t = v[j]!.trim();
        if (t !== '') anything = true;
        ts[j] = t;
      }
      values[i] = ts;
    }
  }
  if (!anything) return null;

  const rowSource = `${source}#row ${n}`;
  const externalId = fieldText(record, cols, 'Activity ID');
  if (externalId === null) {
    return ingestError(rowSource, 'bad-row', `Row ${n} of ${source} has no Activity ID, so it was skipped.`);
  }
  if (externalId.length > MAX_ID_CHARS) {
    return ingestError(
      rowSource,
      'bad-row',
      `Row ${n} of ${source} was skipped: its Activity ID is ${formatCount(externalId.length)} characters long; Strava's are at most 20 digits.`,
    );
  }
  const rawDate = fieldText(record, cols, 'Activity Date') ?? '';
  const startTime = parseStravaDate(rawDate);
  if (startTime === null) {
    const shown = rawDate === '' ? 'is empty' : `"${rawDate.slice(0, 60)}" is not a date we can read`;
    return ingestError(
      rowSource,
      'bad-row',
      `Row ${n} of ${source} (activity ${externalId.slice(0, 30)}) was skipped: its Activity Date ${shown}.`,
    );
  }

  let distanceMeters: number | null;
  let distanceInKm = false;
  const distance = fieldCell(record, cols, 'Distance');
  if (Array.isArray(distance)) {
    distanceMeters = readNumber(distance[distance.length - 1]);
  } else {
    const km = readNumber(distance);
    distanceMeters = km === null ? null : km * 1000;
    distanceInKm = km !== null;
  }
  const figures: Figures = [
    readNumber(lastFilledCopy(record, cols, 'Elapsed Time')),
    fieldNumber(record, cols, 'Moving Time'),
    distanceMeters,
    fieldNumber(record, cols, 'Elevation Gain'),
    fieldNumber(record, cols, 'Average Watts'),
    fieldNumber(record, cols, 'Weighted Average Power'),
    fieldNumber(record, cols, 'Max Watts'),
    fieldNumber(record, cols, 'Average Heart Rate'),
    readNumber(lastFilledCopy(record, cols, 'Max Heart Rate')),
    fieldNumber(record, cols, 'Total Work'),
    fieldNumber(record, cols, 'Power Count'),
    fieldNumber(record, cols, 'Average Cadence'),
    fieldNumber(record, cols, 'Average Speed'),
  ];
  const problems = implausibleFigures(figures);
  const startMs = startTime.getTime();
  if (!Number.isFinite(startMs)) problems.unshift('Activity Date is not a valid date');
  else if (startMs < CSV_PLAUSIBLE.earliestStart) {
    problems.unshift(
      `Activity Date is ${startTime.toISOString().slice(0, 10)} (it must be ${new Date(CSV_PLAUSIBLE.earliestStart).toISOString().slice(0, 10)} or later)`,
    );
  }
  if (problems.length > 0) {
    return ingestError(
      rowSource,
      'implausible-values',
      `Row ${n} of ${source} (activity ${externalId.slice(0, 30)}) was skipped: its figures are impossible: ${problems.join('; ')}.`,
    );
  }
  const [
    elapsed,
    moving,
    ,
    ascent,
    avgPower,
    normalizedPower,
    maxPower,
    avgHeartRate,
    maxHeartRate,
    totalWork,
    powerCount,
    avgCadence,
    avgSpeed,
  ] = figures;

  const sourceType = cutText(fieldText(record, cols, 'Activity Type') ?? '', MAX_NAME_CHARS);
  const { sport, subSport } = stravaTypeToSport(sourceType);
  const sourceHash = cols.hashPrefix.copy().update(JSON.stringify(values)).update('}').digest('hex');
  const id = activityId(sourceHash, 0, startTime, sport);
  const warnings: ActivityWarning[] = [];
  if (distanceInKm) warnings.push({ ...DISTANCE_UNITS });

  let power: PowerSource = 'none';
  if (avgPower !== null) {
    const deviceWatts = parseBoolean(lastCopy(record, cols, 'Device Watts'));
    power = (powerCount !== null && powerCount > 0) || deviceWatts === true ? 'measured' : 'estimated';
    if (power === 'estimated') warnings.push({ ...ESTIMATED_POWER });
  }

  const name = fieldText(record, cols, 'Activity Name');
  return {
    id,
    source: rowSource,
    sourceKind: 'strava-csv',
    sourceHash,
    sessionIndex: 0,
    sport,
    subSport,
    sourceType,
    name: name === null ? null : cutText(name, MAX_NAME_CHARS),
    description: fieldText(record, cols, 'Activity Description'),
    startTime,
    timerSeconds: moving,
    elapsedSeconds: elapsed,
    movingSeconds: moving,
    distanceMeters,
    ascentMeters: ascent,
    avgPower,
    maxPower,
    normalizedPower,
    power,
    avgHeartRate,
    maxHeartRate,
    avgCadence,
    avgSpeed,
    workKilojoules: totalWork === null ? null : totalWork / 1000,
    device: null,
    laps: [],
    streams: null,
    warnings,
    externalId,
    linkedFile: fieldText(record, cols, 'Filename'),
  };
}
