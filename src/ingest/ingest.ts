/**
 * The ingestion entry point: bytes plus a file name in, normalised activities out.
 * Accepts FIT, FIT.gz, Strava's activities.csv, and ZIP archives (Strava's bulk export, Garmin
 * Connect exports, any zip of FIT files). Never throws on bad bytes: a whole-file failure is the
 * Result's error; inside an archive, each entry's failure is listed and the rest still comes in.
 */
import type { Activity } from '../domain/activity.js';
import { err, ok, type Result } from '../domain/result.js';
import { gunzip, isGzip, isZip, unzip, UploadBudget, type ArchiveLimits } from './archive.js';
import { decodeFit, DEFAULT_FIT_LIMITS, type FitLimits } from './fit/decode-fit.js';
import { readFitHeader } from './fit/fit-structure.js';
import { formatBytes, ingestError, type IngestError } from './ingest-error.js';
import { formatCount } from '../domain/numbers.js';
import { parseStravaCsv } from './strava-csv.js';
import { appendAll } from '../domain/arrays.js';

/** What one uploaded file may hold; see SECURITY.md for the reasons behind each figure. */
export interface IngestLimits extends ArchiveLimits, FitLimits {
  /** FIT data records across one upload (all its entries): about 52 bytes each once read. */
  maxRecordsPerUpload: number;
  /** CSV rows across one upload. */
  maxCsvRows: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxFileBytes: 512 * 1024 * 1024,
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxArchiveEntries: 50_000,
  maxCompressionRatio: 100,
  ...DEFAULT_FIT_LIMITS,
  maxRecordsPerUpload: 8_000_000,
  maxCsvRows: 200_000,
};

export interface IngestBatch {
  activities: Activity[];
  /** Files (or archive entries, or CSV rows) that failed; the rest of the upload still counts. */
  errors: IngestError[];
  /** Files deliberately not read, with the reason (GPX/TCX, photos, ...). */
  skipped: { source: string; reason: string }[];
}

const SUPPORTED =
  "Send .fit or .fit.gz activity files, a .zip of them, or Strava's bulk export (the .zip, or the activities.csv inside it).";

/** Ingests one uploaded file. */
export async function ingestFile(
  bytes: Uint8Array,
  fileName: string,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Promise<Result<IngestBatch, IngestError>> {
  const source = fileName;
  if (bytes.length === 0) return err(ingestError(source, 'empty', `${source} is empty (0 bytes). Export it again and resend it.`));
  if (bytes.length > limits.maxFileBytes) {
    return err(
      ingestError(
        source,
        'too-large',
        `${source} is ${formatBytes(bytes.length)}; the limit is ${formatBytes(limits.maxFileBytes)}. Send it in smaller parts (for example one zip per year).`,
      ),
    );
  }
  const budget = new UploadBudget(limits, bytes.length, limits.maxRecordsPerUpload, limits.maxCsvRows);
  if (isZip(bytes)) return ingestZip(bytes, source, limits, budget);
  return ingestPlain(bytes, source, limits, budget);
}

/** A file that is not a ZIP: FIT, gzip-wrapped FIT/CSV, or activities.csv. */
function ingestPlain(bytes: Uint8Array, source: string, limits: IngestLimits, budget: UploadBudget): Result<IngestBatch, IngestError> {
  let data = bytes;
  if (isGzip(bytes)) {
    const cap = /\.fit\.gz$/i.test(source) ? limits.maxFitBytes + 1 : Infinity;
    const unpacked = gunzip(bytes, source, budget, limits, cap);
    if (!unpacked.ok) return unpacked;
    data = unpacked.value;
    if (data.length === 0) return err(ingestError(source, 'empty', `${source} unpacks to an empty file. Export it again and resend it.`));
    if (isGzip(data) || isZip(data))
      return err(
        ingestError(source, 'unsupported-format', `${source} is an archive inside an archive. Unpack it once and send what is inside.`),
      );
  }
  const kind = detect(data, source.replace(/\.gz$/i, ''));
  switch (kind) {
    case 'fit':
    case 'fit-named': {
      // a file named .fit that is not FIT gets decodeFit's "this is a …, not a FIT file" message
      const result = decodeFit(data, source, limits, (records) => {
        if (records > budget.records)
          return uploadTooLarge(source, `its FIT files hold more than ${formatCount(limits.maxRecordsPerUpload)} records in all`);
        budget.records -= records;
        return null;
      });
      return result.ok ? ok({ activities: result.value, errors: [], skipped: [] }) : result;
    }
    case 'csv':
      return readCsv(data, source, limits, budget);
    case 'gpx':
    case 'tcx':
      return err(
        ingestError(
          source,
          'unsupported-format',
          `${source} is a ${kind.toUpperCase()} file; domestique reads FIT files (GPX and TCX carry no reliable power data). Send the original .fit file instead.`,
        ),
      );
    default:
      return err(ingestError(source, 'unsupported-format', `${source} is not a file domestique can read. ${SUPPORTED}`));
  }
}

function uploadTooLarge(source: string, what: string): IngestError {
  return ingestError(
    source,
    'too-large',
    `${source} was refused: ${what}, the most one upload may hold. Send it in smaller parts (for example one zip per year).`,
  );
}

function readCsv(data: Uint8Array, source: string, limits: IngestLimits, budget: UploadBudget): Result<IngestBatch, IngestError> {
  const result = parseStravaCsv(data, source, { maxRows: budget.rows });
  if (!result.ok) {
    // over the rows left in this upload's budget: refused by a cheap count, before any row is read
    if (result.error.code === 'too-large' && budget.rows < limits.maxCsvRows)
      return err(uploadTooLarge(source, `its CSV files hold more than ${formatCount(limits.maxCsvRows)} rows in all`));
    return result;
  }
  const rows = result.value.activities.length + result.value.errors.length;
  if (rows > budget.rows) return err(uploadTooLarge(source, `its CSV files hold more than ${formatCount(limits.maxCsvRows)} rows in all`));
  budget.rows -= rows;
  return ok({ activities: result.value.activities, errors: result.value.errors, skipped: [] });
}

type Kind = 'fit' | 'csv' | 'gpx' | 'tcx' | 'fit-named' | 'unknown';

function detect(data: Uint8Array, name: string): Kind {
  if (readFitHeader(data) !== null) return 'fit';
  const lower = name.toLowerCase();
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(data.subarray(0, 2048))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<\?xml|^<gpx|^<TrainingCenterDatabase/i.test(head)) {
    if (/<gpx/i.test(head)) return 'gpx';
    if (/<TrainingCenterDatabase/i.test(head)) return 'tcx';
  }
  if (lower.endsWith('.fit')) return 'fit-named';
  if (lower.endsWith('.gpx')) return 'gpx';
  if (lower.endsWith('.tcx')) return 'tcx';
  if (lower.endsWith('.csv') || /^"?Activity ID"?,/i.test(head) || /translation_missing/.test(head.slice(0, 300))) return 'csv';
  return 'unknown';
}

/** Entries of a ZIP worth unpacking; everything else is listed as skipped with this reason. */
function wantedEntry(name: string): string | null {
  const lower = name.toLowerCase();
  const base = lower.split('/').pop() ?? lower;
  if (base.startsWith('._') || lower.startsWith('__macosx/')) return 'macOS metadata';
  if (lower.endsWith('.fit') || lower.endsWith('.fit.gz')) return null;
  if (base === 'activities.csv') return null;
  if (lower.endsWith('.gpx') || lower.endsWith('.gpx.gz'))
    return 'GPX is not read (no reliable power data); the activity summary from activities.csv is used where there is one';
  if (lower.endsWith('.tcx') || lower.endsWith('.tcx.gz'))
    return 'TCX is not read; the activity summary from activities.csv is used where there is one';
  if (lower.endsWith('.zip')) return 'archives inside archives are not opened';
  return 'not an activity file';
}

async function ingestZip(
  bytes: Uint8Array,
  source: string,
  limits: IngestLimits,
  budget: UploadBudget,
): Promise<Result<IngestBatch, IngestError>> {
  const fitByEntry = new Map<string, Activity[]>();
  const csvBatches: { name: string; batch: IngestBatch }[] = [];
  const errors: IngestError[] = [];
  // Each entry is read as it is unpacked, and its bytes let go.
  const read = await unzip(bytes, source, limits, budget, wantedEntry, (name, data) => {
    const label = `${source}/${name}`;
    const isCsv = (name.split('/').pop() ?? '').toLowerCase() === 'activities.csv';
    const result = isCsv ? readCsv(data, label, limits, budget) : ingestPlain(data, label, limits, budget);
    if (!result.ok) {
      if (result.error.code === 'too-large') return result.error; // the budget is shared: the whole upload is refused
      errors.push(result.error);
      return null;
    }
    appendAll(errors, result.value.errors);
    if (isCsv) csvBatches.push({ name, batch: result.value });
    else fitByEntry.set(name, result.value.activities);
    return null;
  });
  if (!read.ok) return read;
  const batch: IngestBatch = {
    activities: [],
    errors: [...read.value.errors],
    skipped: read.value.skipped.map((s) => ({ source: s.name, reason: s.reason })),
  };
  appendAll(batch.errors, errors);

  // Strava's export: each CSV row names its file in `Filename`. A row whose file was read adds
  // its name and description to the FIT activity; the other rows come in as summaries.
  for (const csv of csvBatches) {
    const folder = csv.name.includes('/') ? csv.name.slice(0, csv.name.lastIndexOf('/') + 1) : '';
    for (const row of csv.batch.activities) {
      const file = row.linkedFile ? folder + row.linkedFile : null;
      const fromFile = file !== null ? fitByEntry.get(file) : undefined;
      if (fromFile && fromFile.length > 0) {
        for (const activity of fromFile) {
          activity.name ??= row.name;
          activity.description ??= row.description;
          activity.externalId ??= row.externalId;
        }
        continue;
      }
      batch.activities.push(row);
    }
  }
  for (const activities of fitByEntry.values()) appendAll(batch.activities, activities);
  batch.activities.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  if (batch.activities.length === 0 && batch.errors.length === 0) {
    return err(ingestError(source, 'no-activity', `${source} holds no activity files. ${SUPPORTED}`));
  }
  return ok(batch);
}
