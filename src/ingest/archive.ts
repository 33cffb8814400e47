/**
 * Unpacking with limits against zip and gzip bombs: entry count, total unpacked bytes (shared
 * across nested .gz entries), and the per-entry compression ratio. Declared sizes are checked
 * before anything is inflated; yauzl then verifies that each entry inflates to exactly its
 * declared size, and gunzip stops at the remaining budget.
 */
import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { err, ok, type Result } from '../domain/result.js';
import { formatBytes, ingestError, type IngestError } from './ingest-error.js';

export interface ArchiveLimits {
  /** Largest uploaded file, compressed. */
  maxFileBytes: number;
  /** Largest total of unpacked bytes from one upload. */
  maxUnpackedBytes: number;
  maxArchiveEntries: number;
  /** Largest uncompressed/compressed ratio of one entry (ignored for entries under 1 MB). */
  maxCompressionRatio: number;
}

/** Bytes still allowed to be unpacked from the current upload. */
export class UnpackBudget {
  constructor(private remaining: number) {}
  get left(): number {
    return this.remaining;
  }
  take(bytes: number): boolean {
    if (bytes > this.remaining) return false;
    this.remaining -= bytes;
    return true;
  }
}

const RATIO_FLOOR_BYTES = 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

export function gunzip(bytes: Uint8Array, source: string, budget: UnpackBudget, limits: ArchiveLimits): Result<Uint8Array, IngestError> {
  const byRatio = Math.max(RATIO_FLOOR_BYTES, bytes.length * limits.maxCompressionRatio);
  const limit = Math.min(budget.left, byRatio);
  let out: Buffer;
  try {
    out = gunzipSync(bytes, { maxOutputLength: Math.max(1, limit) });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      const what = limit === byRatio
        ? `it would unpack to more than ${limits.maxCompressionRatio}× its packed size`
        : `it unpacks to more than ${formatBytes(limits.maxUnpackedBytes)}, the limit for one upload`;
      return err(ingestError(source, 'too-large', `${source} was refused: ${what}. Activity files never compress that well; send the files themselves, or fewer at a time.`));
    }
    if (code === 'Z_BUF_ERROR') return err(ingestError(source, 'truncated', `${source} is a gzip file that ends early; it was probably cut off while copying. Download it again and resend it.`));
    return err(ingestError(source, 'corrupt-archive', `${source} is not a readable gzip file. Download it again and resend it.`));
  }
  budget.take(out.length);
  return ok(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
}

export interface ZipEntryRead {
  name: string;
  bytes: Uint8Array;
}

export interface ZipContents {
  entries: ZipEntryRead[];
  /** Entries not unpacked (not wanted, directories excluded), with the reason. */
  skipped: { name: string; reason: string }[];
  /** Entries that could not be unpacked; the rest of the archive is still read. */
  errors: IngestError[];
}

/**
 * Reads the wanted entries of a ZIP held in memory. `wanted` returns null to unpack an entry, or
 * the reason it is skipped.
 */
export async function unzip(bytes: Uint8Array, source: string, limits: ArchiveLimits, budget: UnpackBudget, wanted: (name: string) => string | null): Promise<Result<ZipContents, IngestError>> {
  const tooLarge = (what: string) => err(ingestError(source, 'too-large', `${source} was refused: ${what}. This looks like a zip bomb or a much larger archive than an activity export; send the activity files themselves, or a smaller export.`));
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch {
    return err(ingestError(source, 'corrupt-archive', `${source} is not a readable ZIP archive (it may be cut off or damaged). Download it again and resend it.`));
  }
  if (zip.entryCount > limits.maxArchiveEntries) {
    zip.close();
    return tooLarge(`it holds ${zip.entryCount.toLocaleString('en-US')} entries (limit ${limits.maxArchiveEntries.toLocaleString('en-US')})`);
  }
  const contents: ZipContents = { entries: [], skipped: [], errors: [] };
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      const label = `${source}/${name}`;
      const reason = wanted(name);
      if (reason !== null) {
        contents.skipped.push({ name: label, reason });
        continue;
      }
      if (entry.isEncrypted()) {
        contents.errors.push(ingestError(label, 'unsupported-format', `${label} is encrypted; export the archive again without a password.`));
        continue;
      }
      if (entry.uncompressedSize > budget.left) {
        zip.close();
        return tooLarge(`its files unpack to more than ${formatBytes(limits.maxUnpackedBytes)}`);
      }
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxCompressionRatio) {
        zip.close();
        return tooLarge(`${name} would unpack ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize)).toLocaleString('en-US')}× its packed size (limit ${limits.maxCompressionRatio}×)`);
      }
      let data: Buffer;
      try {
        const stream = await zip.openReadStreamPromise(entry);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        data = Buffer.concat(chunks);
      } catch {
        contents.errors.push(ingestError(label, 'corrupt-archive', `${label} could not be unpacked (the archive is damaged there). Download the export again and resend it.`));
        continue;
      }
      if (!budget.take(data.length)) {
        zip.close();
        return tooLarge(`its files unpack to more than ${formatBytes(limits.maxUnpackedBytes)}`);
      }
      contents.entries.push({ name, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    }
  } catch (e) {
    zip.close();
    const message = e instanceof Error ? e.message : '';
    if (/absolute path|invalid relative path|invalid characters/.test(message)) {
      return err(ingestError(source, 'unsafe-archive', `${source} was refused: it contains an entry whose name points outside the archive (${JSON.stringify(message.replace(/^[^:]*:\s*/, '').slice(0, 80))}). Activity exports never do that; send the export exactly as downloaded.`));
    }
    return err(ingestError(source, 'corrupt-archive', `${source} is damaged and could not be read to the end. Download it again and resend it.`));
  }
  return ok(contents);
}
