/**
 * A structural walk over a FIT file's records: only header bytes and sizes, no field decoding.
 * fit-file-parser decodes the fields; this walk tells us beforehand whether the bytes hold a
 * well-formed record sequence and, for damaged files, where the last complete record ends, so
 * that a truncated or corrupted file can be cut back to what is readable.
 */

export const FIT_FILE_CRC_BYTES = 2;

export interface FitHeader {
  headerSize: 12 | 14;
  protocolVersion: number;
  profileVersion: number;
  /** Bytes of record data the header declares. */
  dataSize: number;
  /** Header CRC, when the 14-byte header carries one (0 means "not computed"). */
  headerCrc: number | null;
}

/** Reads the file header, or returns null when the bytes do not start like a FIT file. */
export function readFitHeader(bytes: Uint8Array): FitHeader | null {
  if (bytes.length < 12) return null;
  const headerSize = bytes[0];
  if (headerSize !== 12 && headerSize !== 14) return null;
  if (bytes[8] !== 0x2e || bytes[9] !== 0x46 || bytes[10] !== 0x49 || bytes[11] !== 0x54) return null; // ".FIT"
  if (bytes.length < headerSize) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    headerSize,
    protocolVersion: bytes[1]!,
    profileVersion: view.getUint16(2, true),
    dataSize: view.getUint32(4, true),
    headerCrc: headerSize === 14 ? view.getUint16(12, true) : null,
  };
}

/** CRC-16 as the FIT protocol defines it (nibble table). */
const CRC_TABLE = [
  0x0000, 0xcc01, 0xd801, 0x1400, 0xf001, 0x3c00, 0x2800, 0xe401, 0xa001, 0x6c00, 0x7800, 0xb401, 0x5000, 0x9c01, 0x8801, 0x4400,
];

export function fitCrc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    let tmp = CRC_TABLE[crc & 0xf]!;
    crc = (crc >> 4) & 0x0fff;
    crc = crc ^ tmp ^ CRC_TABLE[byte & 0xf]!;
    tmp = CRC_TABLE[crc & 0xf]!;
    crc = (crc >> 4) & 0x0fff;
    crc = crc ^ tmp ^ CRC_TABLE[(byte >> 4) & 0xf]!;
  }
  return crc;
}

export interface FitWalk {
  /** Offset just past the last complete, well-formed record. */
  end: number;
  dataRecords: number;
  /** Why the walk stopped before `limit`, or null when every record was whole. */
  problem: 'cut-short' | 'bad-structure' | null;
}

/**
 * Walks records from the end of the header up to `limit` (exclusive). Stops at the first
 * record that is cut short or that could not be a FIT record.
 */
export function walkFitRecords(bytes: Uint8Array, headerSize: number, limit: number): FitWalk {
  const sizes = new Array<number | undefined>(16).fill(undefined);
  let pos = headerSize;
  let dataRecords = 0;
  let sawTimestamp = false;
  const timestampField = new Array<boolean>(16).fill(false);
  while (pos < limit) {
    const start = pos;
    const header = bytes[pos]!;
    pos += 1;
    if ((header & 0x80) !== 0) {
      // Compressed-timestamp data record: local type in bits 5-6, needs a full timestamp before it.
      const size = sizes[(header >> 5) & 0x3];
      if (size === undefined || !sawTimestamp) return { end: start, dataRecords, problem: 'bad-structure' };
      if (pos + size > limit) return { end: start, dataRecords, problem: 'cut-short' };
      pos += size;
      dataRecords += 1;
      continue;
    }
    if ((header & 0x10) !== 0) return { end: start, dataRecords, problem: 'bad-structure' };
    const local = header & 0x0f;
    if ((header & 0x40) !== 0) {
      if (pos + 5 > limit) return { end: start, dataRecords, problem: 'cut-short' };
      const reserved = bytes[pos]!;
      const architecture = bytes[pos + 1]!;
      const fieldCount = bytes[pos + 4]!;
      if (reserved !== 0 || architecture > 1) return { end: start, dataRecords, problem: 'bad-structure' };
      pos += 5;
      if (pos + fieldCount * 3 > limit) return { end: start, dataRecords, problem: 'cut-short' };
      let size = 0;
      let hasTimestamp = false;
      for (let i = 0; i < fieldCount; i++) {
        const fieldSize = bytes[pos + 1]!;
        if (fieldSize === 0) return { end: start, dataRecords, problem: 'bad-structure' };
        if (bytes[pos] === 253) hasTimestamp = true;
        size += fieldSize;
        pos += 3;
      }
      if ((header & 0x20) !== 0) {
        if (pos + 1 > limit) return { end: start, dataRecords, problem: 'cut-short' };
        const developerCount = bytes[pos]!;
        pos += 1;
        if (pos + developerCount * 3 > limit) return { end: start, dataRecords, problem: 'cut-short' };
        for (let i = 0; i < developerCount; i++) {
          size += bytes[pos + 1]!;
          pos += 3;
        }
      }
      sizes[local] = size;
      timestampField[local] = hasTimestamp;
      continue;
    }
    if ((header & 0x20) !== 0) return { end: start, dataRecords, problem: 'bad-structure' };
    const size = sizes[local];
    if (size === undefined) return { end: start, dataRecords, problem: 'bad-structure' };
    if (pos + size > limit) return { end: start, dataRecords, problem: 'cut-short' };
    pos += size;
    dataRecords += 1;
    if (timestampField[local]) sawTimestamp = true;
  }
  return { end: pos, dataRecords, problem: null };
}

/** A copy of the file cut back to `end`, with the header's data size and both CRCs made right. */
export function rebuildFit(bytes: Uint8Array, header: FitHeader, end: number): Uint8Array {
  const out = new Uint8Array(end + FIT_FILE_CRC_BYTES);
  out.set(bytes.subarray(0, end));
  const view = new DataView(out.buffer);
  view.setUint32(4, end - header.headerSize, true);
  if (header.headerSize === 14) view.setUint16(12, fitCrc(out, 0, 12), true);
  view.setUint16(end, fitCrc(out, 0, end), true);
  return out;
}
