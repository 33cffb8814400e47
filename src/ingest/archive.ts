/**
 * Unpacking with limits against zip and gzip bombs. One upload has one budget of unpacked bytes
 * (at most `maxUnpackedBytes`, and at most `maxCompressionRatio` × the uploaded size once past a
 * small floor), shared by every entry and every nested .gz. A ZIP's central directory is read
 * first: the entry count, each entry's declared ratio and the declared total are checked before
 * anything is inflated; yauzl then verifies that each entry inflates to exactly its declared
 * size, gunzip stops at the remaining budget, and entries are handed on one at a time, so an
 * upload never holds more than one unpacked entry beside what was already read from it.
 */
import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { err, ok, type Result } from '../domain/result.js';
import { formatBytes, ingestError, type IngestError } from './ingest-error.js';
import { formatCount } from '../domain/numbers.js';

export interface ArchiveLimits {
  /** Largest uploaded file, compressed. */
  maxFileBytes: number;
  /** Largest total of unpacked bytes from one upload. */
  maxUnpackedBytes: number;
  maxArchiveEntries: number;
  /** Largest uncompressed/compressed ratio of one entry, and of the whole upload (see the floors). */
  maxCompressionRatio: number;
}

/** Entries this small skip the per-entry ratio check (a tiny text file may compress 200×). */
export const ENTRY_RATIO_FLOOR_BYTES = 64 * 1024;
/** An upload may always unpack this much, whatever its ratio. */
export const UPLOAD_RATIO_FLOOR_BYTES = 64 * 1024 * 1024;

/** What one upload may still unpack and decode. */
export class UploadBudget {
  private bytes: number;
  constructor(
    limits: ArchiveLimits,
    packedBytes: number,
    /** FIT data records still allowed (see IngestLimits.maxRecordsPerUpload). */
    public records = Infinity,
    /** CSV rows still allowed. */
    public rows = Infinity,
  ) {
    this.bytes = Math.min(limits.maxUnpackedBytes, Math.max(UPLOAD_RATIO_FLOOR_BYTES, packedBytes * limits.maxCompressionRatio));
  }
  /** Bytes still allowed to be unpacked. */
  get left(): number {
    return this.bytes;
  }
  take(bytes: number): boolean {
    if (bytes > this.bytes) return false;
    this.bytes -= bytes;
    return true;
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 0x03 || bytes[2] === 0x05) &&
    (bytes[3] === 0x04 || bytes[3] === 0x06)
  );
}

const bombAdvice = 'Activity files never compress that well; send the files themselves, or fewer at a time.';

/** Unpacks a gzip file within the upload's budget, the per-file ratio and `cap` (the largest file of its kind). */
export function gunzip(
  bytes: Uint8Array,
  source: string,
  budget: UploadBudget,
  limits: ArchiveLimits,
  cap = Infinity,
): Result<Uint8Array, IngestError> {
  const byRatio = bytes.length * limits.maxCompressionRatio;
  const ratioBinds = byRatio > ENTRY_RATIO_FLOOR_BYTES && byRatio < Math.min(budget.left, cap);
  const limit = Math.min(budget.left, cap, Math.max(ENTRY_RATIO_FLOOR_BYTES, byRatio));
  let out: Buffer;
  try {
    out = gunzipSync(bytes, { maxOutputLength: Math.max(1, limit) });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || code === 'ERR_OUT_OF_RANGE') {
      const what = ratioBinds
        ? `it would unpack to more than ${limits.maxCompressionRatio}× its packed size`
        : limit === cap
          ? `it unpacks to more than ${formatBytes(cap)}, more than any activity file of its kind`
          : `it unpacks to more than ${formatBytes(limit)}, the most one upload may unpack (${formatBytes(limits.maxUnpackedBytes)} at most, and ${limits.maxCompressionRatio}× what was sent)`;
      return err(ingestError(source, 'too-large', `${source} was refused: ${what}. ${bombAdvice}`));
    }
    if (code === 'Z_BUF_ERROR')
      return err(
        ingestError(
          source,
          'truncated',
          `${source} is a gzip file that ends early; it was probably cut off while copying. Download it again and resend it.`,
        ),
      );
    return err(ingestError(source, 'corrupt-archive', `${source} is not a readable gzip file. Download it again and resend it.`));
  }
  budget.take(out.length);
  return ok(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
}

/** What reading a ZIP left aside. */
export interface ZipReport {
  /** Entries not unpacked (not wanted, directories excluded), with the reason. */
  skipped: { name: string; reason: string }[];
  /** Entries that could not be unpacked; the rest of the archive is still read. */
  errors: IngestError[];
}

function archiveTooLarge(source: string, what: string): Result<never, IngestError> {
  return err(
    ingestError(
      source,
      'too-large',
      `${source} was refused: ${what}. This looks like a zip bomb or a much larger archive than an activity export; send the activity files themselves, or a smaller export.`,
    ),
  );
}

/** Opens a ZIP held in memory (its central directory only), or says it is not a readable one. */
async function openZip(bytes: Uint8Array, source: string): Promise<Result<yauzl.ZipFile, IngestError>> {
  try {
    const zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
    return ok(zip);
  } catch {
    return err(
      ingestError(
        source,
        'corrupt-archive',
        `${source} is not a readable ZIP archive (it may be cut off or damaged). Download it again and resend it.`,
      ),
    );
  }
}

/** Why reading the central directory failed: an entry named outside the archive, or damage. */
function directoryError(e: unknown, source: string): IngestError {
  const message = e instanceof Error ? e.message : '';
  if (/absolute path|invalid relative path|invalid characters/.test(message)) {
    return ingestError(
      source,
      'unsafe-archive',
      `${source} was refused: it contains an entry whose name points outside the archive (${JSON.stringify(message.replace(/^[^:]*:\s*/, '').slice(0, 80))}). Activity exports never do that; send the export exactly as downloaded.`,
    );
  }
  return ingestError(source, 'corrupt-archive', `${source} is damaged and could not be read to the end. Download it again and resend it.`);
}

/**
 * Pass 1: the central directory only. Nothing is inflated until every declared size passed. The
 * entries to unpack; skipped and encrypted ones go to `report`. Closes the archive when it fails.
 */
async function entriesToRead(
  zip: yauzl.ZipFile,
  source: string,
  limits: ArchiveLimits,
  budget: UploadBudget,
  wanted: (name: string) => string | null,
  report: ZipReport,
): Promise<Result<yauzl.Entry[], IngestError>> {
  const toRead: yauzl.Entry[] = [];
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      const label = `${source}/${name}`;
      const reason = wanted(name);
      if (reason !== null) {
        report.skipped.push({ name: label, reason });
        continue;
      }
      if (entry.isEncrypted()) {
        report.errors.push(ingestError(label, 'unsupported-format', `${label} is encrypted; export the archive again without a password.`));
        continue;
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > ENTRY_RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
        zip.close();
        return archiveTooLarge(
          source,
          `${name} would unpack ${formatCount(Math.round(ratio))}× its packed size (limit ${limits.maxCompressionRatio}×)`,
        );
      }
      declared += entry.uncompressedSize;
      if (declared > budget.left) {
        zip.close();
        return archiveTooLarge(
          source,
          `its files unpack to more than ${formatBytes(budget.left)} (the most one upload may unpack: ${formatBytes(limits.maxUnpackedBytes)} at most, and ${limits.maxCompressionRatio}× what was sent)`,
        );
      }
      toRead.push(entry);
    }
  } catch (e) {
    zip.close();
    return err(directoryError(e, source));
  }
  return ok(toRead);
}

/** One entry's bytes, or null when the archive is damaged there. */
async function unpackEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer | null> {
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch {
    return null;
  }
}

/**
 * Reads the wanted entries of a ZIP held in memory, one at a time: `wanted` returns null to
 * unpack an entry, or the reason it is skipped; `onEntry` gets each unpacked entry and may
 * refuse the whole upload by returning an error (a shared budget ran out).
 */
export async function unzip(
  bytes: Uint8Array,
  source: string,
  limits: ArchiveLimits,
  budget: UploadBudget,
  wanted: (name: string) => string | null,
  onEntry: (name: string, data: Uint8Array) => IngestError | null | Promise<IngestError | null>,
): Promise<Result<ZipReport, IngestError>> {
  const opened = await openZip(bytes, source);
  if (!opened.ok) return opened;
  const zip = opened.value;
  if (zip.entryCount > limits.maxArchiveEntries) {
    zip.close();
    return archiveTooLarge(source, `it holds ${formatCount(zip.entryCount)} entries (limit ${formatCount(limits.maxArchiveEntries)})`);
  }
  const report: ZipReport = { skipped: [], errors: [] };
  const toRead = await entriesToRead(zip, source, limits, budget, wanted, report);
  if (!toRead.ok) return toRead;
  // Pass 2: one entry at a time, handed on and let go.
  try {
    for (const entry of toRead.value) {
      const label = `${source}/${entry.fileName}`;
      const data = await unpackEntry(zip, entry);
      if (data === null) {
        report.errors.push(
          ingestError(
            label,
            'corrupt-archive',
            `${label} could not be unpacked (the archive is damaged there). Download the export again and resend it.`,
          ),
        );
        continue;
      }
      if (!budget.take(data.length))
        return archiveTooLarge(source, `its files unpack to more than ${formatBytes(limits.maxUnpackedBytes)}`);
      const refused = await onEntry(entry.fileName, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (refused !== null) return err(refused);
    }
  } finally {
    zip.close();
  }
  return ok(report);
}
