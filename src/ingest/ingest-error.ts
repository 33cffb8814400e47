/**
 * Expected ingestion failures: a stable code for programs and a message for the athlete that
 * says what to do next. Bugs throw; bad bytes never do.
 */
/** Every code an expected failure carries (tests check a failure against this list). */
export const INGEST_ERROR_CODES = [
  'empty',
  'not-found',
  'too-large',
  'not-fit',
  'truncated',
  'bad-crc',
  'corrupt',
  'no-activity',
  'unsupported-format',
  'corrupt-archive',
  'unsafe-archive',
  'missing-columns',
  'bad-row',
  'implausible-values',
  'future-date',
  // reading the file took longer than its time budget, or more memory than its budget
  'too-slow',
] as const;

export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

export interface IngestError {
  /** The file (or archive entry, or CSV row) the error is about. */
  source: string;
  code: IngestErrorCode;
  message: string;
}

export function ingestError(source: string, code: IngestErrorCode, message: string): IngestError {
  return { source, code, message };
}

/** Binary units for size messages ("25.0 MB"). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
