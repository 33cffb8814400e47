/**
 * Strava bulk-export `activities.csv` → normalised activities.
 *
 * Columns are mapped by name (header generations range from 79 to 103 columns). Strava repeats
 * some headers (Elapsed Time, Distance, Max Heart Rate, Relative Effort, Commute): the first copy
 * is in display units (km, mi, nautical miles for sailing), the second in SI units (m, s). We use
 * the SI copy. Bad input never throws: file-level problems are an `err`, row-level problems are
 * `bad-row` entries next to the rows that did parse.
 */
import { createHash, type Hash } from 'node:crypto';
import { parse, CsvError } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { Activity, ActivityWarning, PowerSource } from '../domain/activity.js';
import { err, ok, type Result } from '../domain/result.js';
import { activityId } from './identity.js';
import { ingestError, type IngestError } from './ingest-error.js';

export interface CsvBatch {
  activities: Activity[];
  errors: IngestError[];
}

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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6}|#39);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x') || lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    }
    return ENTITIES[lower] ?? whole;
  });
}

/** `<span class="translation_missing" title="...">Type</span>` → `Type`. */
export function cleanHeader(raw: string): string {
  const noTags = raw.replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, '');
  return decodeEntities(noTags).replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Values

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Empty or non-numeric → null; `12,5` → 12.5; `1.234,5` → 1234.5; `1,234.5` → 1234.5. */
export function parseNumber(raw: string | undefined): number | null {
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
  if (!NUMBER_RE.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
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

export function parseStravaDate(raw: string): Date | null {
  const text = raw.replace(/[\s\u00a0\u202f\u2009]+/g, ' ').trim();
  if (text === '' || text.length > 64) return null;
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

/** Counts delimiters in the first record (outside quotes) and picks the commonest of , ; tab. */
function sniffDelimiter(text: string): ',' | ';' | '\t' | null {
  let comma = 0;
  let semicolon = 0;
  let tab = 0;
  let quoted = false;
  const end = Math.min(text.length, 1 << 20);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 0x0a || c === 0x0d) break;
    else if (c === 0x2c) comma++;
    else if (c === 0x3b) semicolon++;
    else if (c === 0x09) tab++;
  }
  if (comma === 0 && semicolon === 0 && tab === 0) return null;
  if (comma >= semicolon && comma >= tab) return ',';
  return semicolon >= tab ? ';' : '\t';
}

// ---------------------------------------------------------------------------------------------
// Rows

type Cell = string | string[] | undefined;
type RawRow = Record<string, Cell>;

class MissingColumns extends Error {
  constructor(readonly missing: string[]) {
    super('missing columns');
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
  /** Each field → the header spelling used as the record key (undefined when the column is absent). */
  key: Record<Field, string | undefined>;
  /** Canonical names, sorted, for the row hash. */
  sorted: string[];
  /**
   * SHA-256 already fed with `{"columns":[sorted names],"values":`; each row's hash copies it and
   * adds its values (sorted-name order, trimmed, null for cells a short row lacks) and `}`.
   */
  hashPrefix: Hash;
}

function describeError(e: unknown): string {
  if (e instanceof Error) return e.message.replace(/\s+/g, ' ').slice(0, 200);
  return String(e).slice(0, 200);
}

/**
 * Parses a Strava `activities.csv`. File-level problems (not a CSV, not Strava's columns, empty)
 * are an `err`; rows that cannot be read are `bad-row` entries in `errors`, the other rows still
 * come through.
 */
export function parseStravaCsv(bytes: Uint8Array, source: string): Result<CsvBatch, IngestError> {
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
  const delimiter = sniffDelimiter(text);
  if (delimiter === null) {
    return err(
      ingestError(
        source,
        'unsupported-format',
        `${source} does not look like a CSV file: its first line has no commas or semicolons. ${HOW_TO_GET_THE_FILE}`,
      ),
    );
  }

  let columns: Columns | null = null;
  let headerProblem: string | null = null;
  let dataRow = 0;
  const activities: Activity[] = [];
  const errors: IngestError[] = [];

  const toColumns = (header: string[]): (string | null)[] => {
    const byLower = new Map<string, string>();
    const copies = new Map<string, number>();
    const names = header.map((raw) => {
      const cleaned = cleanHeader(String(raw));
      if (cleaned === '') return null;
      const lower = cleaned.toLowerCase();
      const canonical = byLower.get(lower) ?? cleaned;
      byLower.set(lower, canonical);
      copies.set(canonical, (copies.get(canonical) ?? 0) + 1);
      return canonical;
    });
    const missing = REQUIRED_COLUMNS.filter((c) => !byLower.has(c.toLowerCase()));
    if (missing.length > 0) throw new MissingColumns(missing);
    const key = {} as Record<Field, string | undefined>;
    for (const f of FIELDS) key[f] = byLower.get(f.toLowerCase());
    const sorted = [...copies.keys()].sort();
    const hashPrefix = createHash('sha256').update(`{"columns":${JSON.stringify(sorted)},"values":`);
    columns = { key, sorted, hashPrefix };
    return names;
  };

  const onRecord = (record: RawRow): null => {
    if (columns === null) return null;
    dataRow++;
    const outcome = convertRow(record, columns, source, dataRow);
    if (outcome === null) return null; // a row of empty cells
    if ('code' in outcome) errors.push(outcome);
    else activities.push(outcome);
    return null;
  };

  const onSkip = (e: CsvError | undefined): undefined => {
    if (columns === null) {
      headerProblem ??= describeError(e);
      return undefined;
    }
    dataRow++;
    const rowSource = `${source}#row ${dataRow}`;
    const why =
      e?.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field starts there and never ends, so this row and everything after it could not be read'
        : `it is not valid CSV (${describeError(e)})`;
    errors.push(ingestError(rowSource, 'bad-row', `Row ${dataRow} of ${source} was skipped: ${why}.`));
    return undefined;
  };

  try {
    parse<RawRow>(text, {
      bom: true,
      delimiter,
      columns: toColumns,
      group_columns_by_name: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_record: onRecord,
      on_skip: onSkip,
    });
  } catch (e) {
    if (e instanceof MissingColumns) {
      return err(missingColumnsError(source, e.missing));
    }
    if (e instanceof CsvError) {
      return err(
        ingestError(source, 'unsupported-format', `${source} could not be read as CSV (${describeError(e)}). ${HOW_TO_GET_THE_FILE}`),
      );
    }
    throw e;
  }

  if (headerProblem !== null) {
    return err(
      ingestError(source, 'unsupported-format', `${source} could not be read as CSV: its header line is malformed (${headerProblem}). ${HOW_TO_GET_THE_FILE}`),
    );
  }
  if (columns === null) {
    return err(ingestError(source, 'empty', `${source} contains no data. ${HOW_TO_GET_THE_FILE}`));
  }
  if (activities.length === 0 && errors.length === 0) {
    return err(ingestError(source, 'empty', `${source} has Strava's column headers but no activities in it.`));
  }
  return ok({ activities, errors });
}

function missingColumnsError(source: string, missing: readonly string[]): IngestError {
  const list = missing.length === 1 ? `the column ${missing[0]}` : `the columns ${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
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

function convertRow(record: RawRow, cols: Columns, source: string, n: number): Activity | IngestError | null {
  const cell = (name: Field): Cell => {
    const key = cols.key[name];
    return key === undefined ? undefined : record[key];
  };
  /** The SI copy: the last one. */
  const last = (name: Field): string | undefined => {
    const v = cell(name);
    return Array.isArray(v) ? v[v.length - 1] : v;
  };
  /** The last copy that is not empty (for columns whose copies share a unit). */
  const lastFilled = (name: Field): string | undefined => {
    const v = cell(name);
    if (!Array.isArray(v)) return v;
    for (let i = v.length - 1; i >= 0; i--) if (v[i]!.trim() !== '') return v[i];
    return v[v.length - 1];
  };
  const num = (name: Field): number | null => parseNumber(last(name));
  const str = (name: Field): string | null => {
    const v = last(name)?.replace(/\r\n?/g, '\n').trim();
    return v ? v : null;
  };

  // The cleaned values in sorted-column order (see `Columns.hashPrefix`), and a silent skip for
  // rows of empty cells.
  let anything = false;
  const values: (string | string[] | null)[] = new Array<string | string[] | null>(cols.sorted.length);
  for (let i = 0; i < cols.sorted.length; i++) {
    const v = record[cols.sorted[i]!];
    if (v === undefined) values[i] = null;
    else if (typeof v === 'string') {
      const t = v.trim();
      if (t !== '') anything = true;
      values[i] = t;
    } else {
      const ts = v.map((x) => x.trim());
      for (const t of ts) if (t !== '') anything = true;
      values[i] = ts;
    }
  }
  if (!anything) return null;

  const rowSource = `${source}#row ${n}`;
  const externalId = str('Activity ID');
  if (externalId === null) {
    return ingestError(rowSource, 'bad-row', `Row ${n} of ${source} has no Activity ID, so it was skipped.`);
  }
  const rawDate = str('Activity Date') ?? '';
  const startTime = parseStravaDate(rawDate);
  if (startTime === null) {
    const shown = rawDate === '' ? 'is empty' : `"${rawDate.slice(0, 60)}" is not a date we can read`;
    return ingestError(rowSource, 'bad-row', `Row ${n} of ${source} (activity ${externalId.slice(0, 30)}) was skipped: its Activity Date ${shown}.`);
  }

  const sourceType = str('Activity Type') ?? '';
  const { sport, subSport } = stravaTypeToSport(sourceType);
  const sourceHash = cols.hashPrefix.copy().update(JSON.stringify(values)).update('}').digest('hex');
  const id = activityId(sourceHash, 0, startTime, sport);
  const warnings: ActivityWarning[] = [];

  let distanceMeters: number | null;
  const distance = cell('Distance');
  if (Array.isArray(distance)) {
    distanceMeters = parseNumber(distance[distance.length - 1]);
  } else {
    const km = parseNumber(distance);
    distanceMeters = km === null ? null : km * 1000;
    if (km !== null) warnings.push({ ...DISTANCE_UNITS });
  }

  const avgPower = num('Average Watts');
  let power: PowerSource = 'none';
  if (avgPower !== null) {
    const powerCount = num('Power Count');
    const deviceWatts = parseBoolean(last('Device Watts'));
    power = (powerCount !== null && powerCount > 0) || deviceWatts === true ? 'measured' : 'estimated';
    if (power === 'estimated') warnings.push({ ...ESTIMATED_POWER });
  }

  const moving = num('Moving Time');
  const totalWork = num('Total Work');

  return {
    id,
    source: rowSource,
    sourceKind: 'strava-csv',
    sourceHash,
    sessionIndex: 0,
    sport,
    subSport,
    sourceType,
    name: str('Activity Name'),
    description: str('Activity Description'),
    startTime,
    timerSeconds: moving,
    elapsedSeconds: parseNumber(lastFilled('Elapsed Time')),
    movingSeconds: moving,
    distanceMeters,
    ascentMeters: num('Elevation Gain'),
    avgPower,
    maxPower: num('Max Watts'),
    normalizedPower: num('Weighted Average Power'),
    power,
    avgHeartRate: num('Average Heart Rate'),
    maxHeartRate: parseNumber(lastFilled('Max Heart Rate')),
    avgCadence: num('Average Cadence'),
    avgSpeed: num('Average Speed'),
    workKilojoules: totalWork === null ? null : totalWork / 1000,
    device: null,
    laps: [],
    streams: null,
    warnings,
    externalId,
    linkedFile: str('Filename'),
  };
}
