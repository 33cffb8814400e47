/**
 * The header line of a Strava activities.csv → the columns this reader uses. Header cells are
 * cleaned of the HTML old exports wrap them in, matched by name without case, and repeated names
 * keep every position (Strava repeats some columns, in display units and then in SI units).
 */
import { createHash, type Hash } from 'node:crypto';
import { decodeHTMLStrict } from 'entities';
import { formatCount } from '../../domain/numbers.js';
import { MAX_CSV_COLUMNS, MAX_HEADER_CELL_CHARS } from './limits.js';

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

/** Without these a file is not Strava's activities.csv (`missing-columns`). */
const REQUIRED_COLUMNS = ['Activity ID', 'Activity Date', 'Activity Type', 'Elapsed Time'] as const;

/** The header lacks required columns: the file is refused as `missing-columns`. */
export class MissingColumns extends Error {
  constructor(readonly missing: string[]) {
    super('missing columns');
  }
}

/** A header too big to be Strava's (an over-long cell, too many columns): the file is refused as `too-large`. */
export class HeaderTooLarge extends Error {
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
export type Field = (typeof FIELDS)[number];

export interface Columns {
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
export function readHeader(header: readonly string[]): Columns {
  if (header.length > MAX_CSV_COLUMNS) {
    throw new HeaderTooLarge(
      `its header has ${formatCount(header.length)} columns; Strava's has about 100 (the limit is ${MAX_CSV_COLUMNS})`,
    );
  }
  const byLower = new Map<string, string>();
  const byName = new Map<string, number[]>();
  for (let i = 0; i < header.length; i++) {
    const raw = header[i]!;
    if (raw.length > MAX_HEADER_CELL_CHARS) {
      throw new HeaderTooLarge(
        `column ${i + 1} of its header is ${formatCount(raw.length)} characters long; Strava's column names are short (the limit is ${formatCount(MAX_HEADER_CELL_CHARS)})`,
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
