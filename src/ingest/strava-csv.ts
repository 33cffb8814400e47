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
 * the file (no regular expression here can backtrack), and the limits in ./strava/limits.ts refuse
 * absurd input before it costs anything. The parts: ./strava/text.ts (bytes → text), header.ts
 * (columns), records.ts (csv-parse), collector.ts and row.ts (rows → activities), figures.ts
 * (plausibility), values.ts and dates.ts (cells), messages.ts (what the athlete is told).
 */
import type { Activity } from '../domain/activity.js';
import { err, ok, type Result } from '../domain/result.js';
import { ingestError, type IngestError } from './ingest-error.js';
import { formatCount } from '../domain/numbers.js';
import { RowCollector } from './strava/collector.js';
import { MAX_CSV_ROWS, MAX_HEADER_LINE_CHARS } from './strava/limits.js';
import { headerLineError, HOW_TO_GET_THE_FILE, thrownFileError, tooManyRows } from './strava/messages.js';
import { csvOptionsFor, dataRecordsOver, parseRecords, type CsvFileOptions } from './strava/records.js';
import { decodeText, hasUtf16Bom, looksBinary, sniffShape } from './strava/text.js';

export interface CsvBatch {
  activities: Activity[];
  errors: IngestError[];
}

export interface StravaCsvOptions {
  /** Data rows one file may hold (default MAX_CSV_ROWS); more and the whole file is refused as `too-large`. */
  maxRows?: number;
}

/** The file's text and csv-parse's options for it, or why it is no CSV file to read. */
function readText(bytes: Uint8Array, source: string): Result<{ text: string; options: CsvFileOptions }, IngestError> {
  if (bytes.length === 0) {
    return err(ingestError(source, 'empty', `${source} is empty (0 bytes). ${HOW_TO_GET_THE_FILE}`));
  }
  const binary = hasUtf16Bom(bytes) ? null : looksBinary(bytes);
  if (binary) {
    return err(ingestError(source, 'unsupported-format', `${source} is not a CSV file we can read. ${binary}`));
  }
  const text = decodeText(bytes);
  if (text.replace(/^\ufeff/, '').trim() === '') {
    return err(ingestError(source, 'empty', `${source} contains no data. ${HOW_TO_GET_THE_FILE}`));
  }
  const shape = sniffShape(text);
  const { delimiter, recordDelimiter } = shape;
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
  return ok({ text, options: csvOptionsFor({ ...shape, delimiter }) });
}

/** What the pass collected, as the file's outcome. */
function outcome(rows: RowCollector, source: string, maxRows: number): Result<CsvBatch, IngestError> {
  if (rows.headerProblem !== null) return err(headerLineError(rows.headerProblem, source));
  if (rows.columns === null) {
    return err(ingestError(source, 'empty', `${source} contains no data. ${HOW_TO_GET_THE_FILE}`));
  }
  if (rows.dataRow > maxRows) return err(tooManyRows(source, rows.dataRow, maxRows));
  if (rows.activities.length === 0 && rows.errors.length === 0) {
    return err(ingestError(source, 'empty', `${source} has Strava's column headers but no activities in it.`));
  }
  return ok({ activities: rows.activities, errors: rows.errors });
}

/**
 * Parses a Strava `activities.csv`. File-level problems (not a CSV, not Strava's columns, empty,
 * too big) are an `err`; rows that cannot be read are `bad-row` entries in `errors`, rows with
 * impossible figures `implausible-values` entries; the other rows still come through.
 */
export function parseStravaCsv(bytes: Uint8Array, source: string, options: StravaCsvOptions = {}): Result<CsvBatch, IngestError> {
  const maxRows = options.maxRows !== undefined && options.maxRows >= 0 ? Math.floor(options.maxRows) : MAX_CSV_ROWS;
  const read = readText(bytes, source);
  if (!read.ok) return read;
  const { text, options: csvOptions } = read.value;
  const data = Buffer.from(text);
  // Too many rows: refused before any row is converted.
  const records = dataRecordsOver(text, data, csvOptions, maxRows);
  if (records !== null && records > maxRows) return err(tooManyRows(source, records, maxRows));

  const rows = new RowCollector(source, maxRows);
  try {
    parseRecords(data, csvOptions, rows.onRecord, rows.onSkip);
  } catch (e) {
    const refused = thrownFileError(e, source);
    if (refused === null) throw e;
    return err(refused);
  }
  return outcome(rows, source, maxRows);
}
