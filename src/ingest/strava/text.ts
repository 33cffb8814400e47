/**
 * The bytes of an uploaded activities.csv → text, and the shape of its first record (delimiter and
 * line break), or the reason it is not a CSV file at all (a zip, gzip or binary data).
 */
import { MAX_HEADER_LINE_CHARS } from './limits.js';

/** A byte-order mark of UTF-16 (either order) at the start. */
export function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** Why the bytes are not a CSV file (a zip, gzip, binary data), or null when they may be one. */
export function looksBinary(bytes: Uint8Array): string | null {
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

/** UTF-16 by its byte-order mark, else UTF-8, else Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Re-saved by a spreadsheet in a legacy code page.
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

type RecordDelimiter = '\r\n' | '\n' | '\r';

export interface CsvShape {
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
export function sniffShape(text: string): CsvShape {
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

/** How many times `char` occurs in `text`. */
export function countChar(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
}
