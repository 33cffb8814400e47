/**
 * fit-file-parser's decoded file (lists of messages, each a record of named fields) and typed
 * readers for its fields: a field that is missing, or not of the expected type, reads as null.
 */
import FitParser from 'fit-file-parser';

export type FitMessage = Record<string, unknown>;

export interface ParsedFit {
  sessions?: FitMessage[];
  laps?: FitMessage[];
  records?: FitMessage[];
  events?: FitMessage[];
  sports?: FitMessage[];
}

/** Decodes the fields with fit-file-parser; null when it fails. */
export function parseFit(bytes: Uint8Array): ParsedFit | null {
  let result: ParsedFit | null = null;
  try {
    // force: the checks above already judged CRCs and structure. The callback runs synchronously.
    new FitParser({ force: true, mode: 'list', speedUnit: 'm/s', lengthUnit: 'm', temperatureUnit: 'celsius' }).parse(
      Buffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength),
      (error, data) => {
        if (!error && data) result = data as unknown as ParsedFit;
      },
    );
  } catch {
    return null;
  }
  return result;
}

export const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
export const date = (value: unknown): Date | null => (value instanceof Date && Number.isFinite(value.getTime()) ? value : null);
export const epochSeconds = (d: Date): number => Math.round(d.getTime() / 1000);
export const str = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : null;

export function positive(value: unknown): number | null {
  const n = num(value);
  return n !== null && n > 0 ? n : null;
}

/** Days between the earliest and latest record time stamp (a loop: no spread of a huge array). */
export function recordSpanDays(records: readonly FitMessage[]): number {
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    const t = r.timestamp instanceof Date ? r.timestamp.getTime() : NaN;
    if (!Number.isFinite(t)) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return last > first ? (last - first) / 86_400_000 : 0;
}
