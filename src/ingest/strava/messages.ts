/**
 * What the athlete is told when a Strava activities.csv, or one of its rows, cannot be read: what
 * is wrong, and how to get the right file.
 */
import { CsvError } from 'csv-parse/sync';
import { ingestError, type IngestError } from '../ingest-error.js';
import { formatCount } from '../../domain/numbers.js';
import { HeaderTooLarge, MissingColumns } from './header.js';
import { MAX_CELL_CHARS, MAX_RECORD_CHARS } from './limits.js';
import { cutText } from './values.js';

export const HOW_TO_GET_THE_FILE =
  'To get it, on strava.com open Settings → My Account → Download or Delete Your Account → Request your archive; ' +
  'Strava emails you a zip, and the file to upload is activities.csv inside it.';

/** An error's message, on one line and at most 200 characters. */
export function describeError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.slice(0, 400).replace(/\s+/g, ' ').slice(0, 200);
}

export function tooManyRows(source: string, rows: number, limit: number): IngestError {
  return ingestError(
    source,
    'too-large',
    `${source} has ${formatCount(rows)} rows; the limit is ${formatCount(limit)} rows per file. Strava's export has one row per activity, so this is not an ordinary activities.csv: send the Strava archive as it came, or split the file.`,
  );
}

export function missingColumnsError(source: string, missing: readonly string[]): IngestError {
  const list =
    missing.length === 1 ? `the column ${missing[0]}` : `the columns ${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  return ingestError(
    source,
    'missing-columns',
    `${source} is missing ${list}, so it is not Strava's activities.csv. ${HOW_TO_GET_THE_FILE} ` +
      'If your Strava account is set to another language the column names are translated: switch it to English before requesting the archive.',
  );
}

/** What a failure thrown while reading the file means for the athlete; null when it is a bug (rethrow it). */
export function thrownFileError(e: unknown, source: string): IngestError | null {
  if (e instanceof MissingColumns) return missingColumnsError(source, e.missing);
  if (e instanceof HeaderTooLarge) {
    return ingestError(source, 'too-large', `${source} is not Strava's activities.csv: ${e.why}. ${HOW_TO_GET_THE_FILE}`);
  }
  if (e instanceof CsvError) {
    return ingestError(source, 'unsupported-format', `${source} could not be read as CSV (${describeError(e)}). ${HOW_TO_GET_THE_FILE}`);
  }
  return null;
}

/** The file is refused because csv-parse could not read its header line. */
export function headerLineError(problem: CsvError | undefined, source: string): IngestError {
  if (problem?.code === 'CSV_MAX_RECORD_SIZE') {
    return ingestError(
      source,
      'too-large',
      `${source} is not Strava's activities.csv: its header line is longer than ${formatCount(MAX_RECORD_CHARS)} characters. ${HOW_TO_GET_THE_FILE}`,
    );
  }
  return ingestError(
    source,
    'unsupported-format',
    `${source} could not be read as CSV: its header line is malformed (${describeError(problem)}). ${HOW_TO_GET_THE_FILE}`,
  );
}

/** A data row csv-parse could not read (skipped, with the rest of the file when it cannot resume). */
export function unreadableRow(e: CsvError | undefined, source: string, n: number): IngestError {
  const why =
    e?.code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted field starts there and never ends, so this row and everything after it could not be read'
      : e?.code === 'CSV_MAX_RECORD_SIZE'
        ? `it is longer than ${formatCount(MAX_RECORD_CHARS)} characters, the limit for one row, so this row and everything after it could not be read`
        : `it is not valid CSV (${describeError(e)})`;
  return ingestError(`${source}#row ${n}`, 'bad-row', `Row ${n} of ${source} was skipped: ${why}.`);
}

export function tooLongCell(source: string, n: number, column: string, length: number): IngestError {
  return ingestError(
    `${source}#row ${n}`,
    'bad-row',
    `Row ${n} of ${source} was skipped: its ${cutText(column, 60)} cell is ${formatCount(length)} characters long; the limit is ${formatCount(MAX_CELL_CHARS)}.`,
  );
}
