/**
 * csv-parse over a whole activities.csv, record by record: the options for a file's shape, the
 * pass itself (with stack traces off, for speed), and a cheap pass that counts the records.
 */
import { parse, type CsvError, type Options as CsvOptions } from 'csv-parse/sync';
import { readHeader } from './header.js';
import { MAX_RECORD_CHARS } from './limits.js';
import { countChar, type CsvShape } from './text.js';

/** csv-parse's options for a file of this shape. */
export function csvOptionsFor(shape: CsvShape & { delimiter: NonNullable<CsvShape['delimiter']> }) {
  const { delimiter, recordDelimiter, anyBreak } = shape;
  return {
    bom: true,
    delimiter,
    record_delimiter: recordDelimiter ?? anyBreak ?? '\n',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
  } as const;
}

export type CsvFileOptions = ReturnType<typeof csvOptionsFor>;

/**
 * Runs csv-parse with stack traces off, and the callbacks with them back on. csv-parse builds a
 * CsvError, stack trace included, for every record whose cell count differs from the header's,
 * even with `relax_column_count` (which then ignores it): that was a third of the time of a file
 * of short rows (5.6 s for 150,000 rows of two cells; 3.7 s without the traces).
 */
export function parseRecords(
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
 * The data records of a file when there may be more than `maxRows`, else null. csv-parse ends
 * records only at `record_delimiter`, so its count bounds the records from above; only past the
 * limit are the records counted exactly (one cheap pass of csv-parse, as quoted cells may span
 * lines). A header that is not Strava's stops the count: the real pass reports it.
 */
export function dataRecordsOver(text: string, data: Buffer, options: CsvFileOptions, maxRows: number): number | null {
  if (countChar(text, options.record_delimiter === '\r' ? '\r' : '\n') <= maxRows) return null;
  let records = 0;
  try {
    parseRecords(
      data,
      options,
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
    // the real pass reports it
  }
  return records - 1;
}
