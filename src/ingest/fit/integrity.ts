/**
 * Whether a FIT file is whole before anything decodes it: the header and file CRCs, whether the
 * records run to the declared end, and how many data records it holds. A damaged file is read up
 * to its last whole record (with a warning), or refused with a message saying what to do.
 */
import type { ActivityWarning } from '../../domain/activity.js';
import { ingestError, type IngestError } from '../ingest-error.js';
import { formatCount } from '../../domain/numbers.js';
import { FIT_FILE_CRC_BYTES, fitCrc, rebuildFit, walkFitRecords, type FitHeader } from './fit-structure.js';

export type Damage = { code: 'truncated' | 'bad-crc' | 'corrupt'; detail: string };

export interface Integrity {
  /** Data records, counted by a structural walk (nothing decoded). */
  records: number;
  /** Where the readable records end. */
  readable: number;
  /** What is wrong with the file, when something is. */
  damage: Damage | null;
  /** Harmless flaws (a wrong header CRC, bytes after the end). */
  warnings: ActivityWarning[];
}

/** Walks the file's records and checks its CRCs. */
export function checkIntegrity(bytes: Uint8Array, header: FitHeader): Integrity {
  const warnings: ActivityWarning[] = [];
  const dataEnd = header.headerSize + header.dataSize;
  if (header.headerCrc !== null && header.headerCrc !== 0 && header.headerCrc !== fitCrc(bytes, 0, 12)) {
    warnings.push({ code: 'bad-crc', message: 'The FIT header checksum is wrong; the records themselves were read normally.' });
  }
  if (dataEnd + FIT_FILE_CRC_BYTES > bytes.length) {
    const walk = walkFitRecords(bytes, header.headerSize, Math.min(dataEnd, bytes.length));
    const damage: Damage = {
      code: 'truncated',
      detail: `The file ends early: it declares ${formatCount(header.dataSize)} bytes of records but holds ${formatCount(Math.max(0, bytes.length - header.headerSize))}`,
    };
    return { records: walk.dataRecords, readable: walk.end, damage, warnings };
  }
  const walk = walkFitRecords(bytes, header.headerSize, dataEnd);
  let damage: Damage | null = null;
  let readable = dataEnd;
  const crcOk = fitCrc(bytes, 0, dataEnd) === (bytes[dataEnd]! | (bytes[dataEnd + 1]! << 8));
  if (!crcOk) damage = { code: 'bad-crc', detail: 'The file checksum does not match its contents, so part of it may be damaged' };
  if (walk.problem !== null) {
    readable = walk.end;
    damage ??= { code: 'corrupt', detail: `The records stop making sense after byte ${formatCount(walk.end)}` };
  }
  if (bytes.length > dataEnd + FIT_FILE_CRC_BYTES) {
    warnings.push({
      code: 'trailing-data',
      message: `${formatCount(bytes.length - dataEnd - FIT_FILE_CRC_BYTES)} bytes after the end of the FIT data were ignored.`,
    });
  }
  return { records: walk.dataRecords, readable, damage, warnings };
}

/** The bytes to decode: the file itself when whole, else rebuilt from its readable records. */
export function readableFit(bytes: Uint8Array, header: FitHeader, integrity: Integrity): Uint8Array {
  const dataEnd = header.headerSize + header.dataSize;
  return integrity.readable === dataEnd && integrity.damage?.code !== 'truncated' ? bytes : rebuildFit(bytes, header, integrity.readable);
}

/** A damaged file of which nothing usable could be recovered. */
export function unrecoverable(source: string, damage: Damage | null): IngestError {
  const d = damage ?? { code: 'corrupt' as const, detail: 'The file could not be decoded' };
  const advice =
    d.code === 'truncated'
      ? 'The upload or copy was probably cut off: copy the file from the device again (or download it again from Garmin Connect/Strava) and resend it.'
      : 'Export the activity again from your device or app and resend it.';
  return ingestError(source, d.code, `${source}: ${d.detail}, and nothing usable could be recovered. ${advice}`);
}

/** The file's flaws, to put ahead of each activity's own warnings. */
export function fileWarnings(integrity: Integrity): ActivityWarning[] {
  const warnings = [...integrity.warnings];
  if (integrity.damage !== null) {
    warnings.push({
      code: integrity.damage.code,
      message: `${integrity.damage.detail}; the readable part was kept. Check the ride's numbers, or send a fresh copy of the file.`,
    });
  }
  return warnings;
}
