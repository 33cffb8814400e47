/**
 * `/export` as chat attachments. Everything held about an athlete is one JSON document; a long
 * history with its 1 Hz streams is large, so it is gzipped above EXPORT_GZIP_BYTES, and where even
 * that is over the platform's attachment limit (Discord: 10 MiB for bots without boosts) it is
 * split into parts that each fit: `domestique-export-<day>-part-1-of-3.json.gz`, each part a
 * complete, valid JSON document. The athlete's rides and report files are spread over the parts
 * in order; part 1 also holds everything else (profile history, uploads, analyses, reminder,
 * questions, chat state). `joinExportParts` puts them back together — or, by hand: concatenate the
 * `activities` and `reportFiles` arrays of the parts in part order, and take the rest from part 1.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { AthleteExport } from '../store/store.js';
import type { OutgoingFile } from './port.js';

/** Compression runs on libuv's thread pool: a year of 1 Hz history takes seconds, and the bot keeps answering meanwhile. */
const gzip = promisify(gzipCallback);

/** Above this many bytes the JSON is sent gzipped. */
export const EXPORT_GZIP_BYTES = 5 * 1024 * 1024;
/** A part is aimed at this share of the attachment limit, so that it fits with room to spare. */
const PART_FILL = 0.95;

/** The export as JSON: report files as base64, everything else as stored. */
export type ExportDocument = Omit<AthleteExport, 'reportFiles'> & {
  reportFiles: { runId: string; fileName: string; contentType: string; base64: string }[];
};

/** What a part says about itself (only in split exports). */
export interface ExportPartHeader {
  part: number;
  of: number;
  /** Totals of the whole export, to check that nothing is missing after joining. */
  activities: number;
  reportFiles: number;
  howToJoin: string;
}

const HOW_TO_JOIN =
  'One of several parts of one export. Join them: concatenate the activities and reportFiles arrays of all parts in part order; every other field is in part 1.';

export function exportDocument(data: AthleteExport): ExportDocument {
  return {
    ...data,
    reportFiles: data.reportFiles.map((f) => ({
      runId: f.runId,
      fileName: f.fileName,
      contentType: f.contentType,
      base64: Buffer.from(f.content).toString('base64'),
    })),
  };
}

export interface ExportFiles {
  files: OutgoingFile[];
  /** The files are gzipped. */
  compressed: boolean;
  /** More than one part. */
  split: boolean;
}

/**
 * The export as files for a chat: one plain JSON file when small, one .json.gz when that fits
 * `maxBytes`, otherwise parts that each fit (each gzipped, each a valid JSON document). Without
 * `maxBytes` (a platform without a limit that matters) it is always one file.
 */
export async function exportFiles(data: AthleteExport, options: { day: string; maxBytes?: number | undefined }): Promise<ExportFiles> {
  const doc = exportDocument(data);
  const json = Buffer.from(JSON.stringify(doc), 'utf8');
  const max =
    options.maxBytes !== undefined && Number.isFinite(options.maxBytes) && options.maxBytes > 0
      ? options.maxBytes
      : Number.POSITIVE_INFINITY;
  const base = `domestique-export-${options.day}`;
  if (json.length <= EXPORT_GZIP_BYTES && json.length <= max) {
    return {
      files: [{ fileName: `${base}.json`, contentType: 'application/json', content: new Uint8Array(json), kind: 'document' }],
      compressed: false,
      split: false,
    };
  }
  const gzipped = await gzip(json);
  if (gzipped.length <= max) {
    return {
      files: [{ fileName: `${base}.json.gz`, contentType: 'application/gzip', content: new Uint8Array(gzipped), kind: 'document' }],
      compressed: true,
      split: false,
    };
  }
  const parts = await splitDocument(doc, Math.floor(max * PART_FILL), gzipped.length / json.length);
  return {
    files: parts.map((content, i) => ({
      fileName: `${base}-part-${i + 1}-of-${parts.length}.json.gz`,
      contentType: 'application/gzip',
      content,
      kind: 'document' as const,
    })),
    compressed: true,
    split: parts.length > 1,
  };
}

/**
 * Splits the document into gzipped parts of at most `budget` bytes: rides and report files in
 * order, filled up to a raw size estimated from the compression ratio, and cut finer until every
 * part fits (a single ride bigger than the budget is left alone in its part).
 */
async function splitDocument(doc: ExportDocument, budget: number, ratio: number): Promise<Uint8Array[]> {
  const { activities, reportFiles, ...rest } = doc;
  const common = { exportedAt: rest.exportedAt, athlete: rest.athlete };
  const items = [
    ...activities.map((a) => ({ list: 'activities' as const, json: JSON.stringify(a) })),
    ...reportFiles.map((f) => ({ list: 'reportFiles' as const, json: JSON.stringify(f) })),
  ];
  const restJson = JSON.stringify(rest);
  let target = (budget / Math.max(ratio, 0.01)) * 0.9;
  for (;;) {
    // Greedy groups by raw size; part 1 carries the rest of the document too.
    const groups: (typeof items)[] = [];
    let current: typeof items = [];
    let size = restJson.length;
    for (const item of items) {
      if (current.length > 0 && size + item.json.length > target) {
        groups.push(current);
        current = [];
        size = 0;
      }
      current.push(item);
      size += item.json.length + 1;
    }
    groups.push(current);
    const parts: Uint8Array[] = [];
    for (const [i, group] of groups.entries()) {
      const header: ExportPartHeader = {
        part: i + 1,
        of: groups.length,
        activities: activities.length,
        reportFiles: reportFiles.length,
        howToJoin: HOW_TO_JOIN,
      };
      const head = JSON.stringify({ exportPart: header, ...(i === 0 ? rest : common) });
      const list = (name: 'activities' | 'reportFiles') =>
        group
          .filter((g) => g.list === name)
          .map((g) => g.json)
          .join(',');
      // The lists are written as prepared JSON text: the head object without its closing brace, then both arrays.
      const text = `${head.slice(0, -1)},"activities":[${list('activities')}],"reportFiles":[${list('reportFiles')}]}`;
      parts.push(new Uint8Array(await gzip(Buffer.from(text, 'utf8'))));
    }
    if (parts.every((p) => p.length <= budget) || groups.every((g) => g.length <= 1)) return parts;
    target *= 0.8;
  }
}

/**
 * The parts of a split export (parsed JSON, in any order) as the one document they came from.
 * Throws when parts are missing, repeated or from different exports.
 */
export function joinExportParts(parts: readonly unknown[]): ExportDocument {
  type Part = Record<string, unknown> & { exportPart?: ExportPartHeader; activities: unknown[]; reportFiles: unknown[] };
  const list = (parts as Part[]).slice().sort((a, b) => (a.exportPart?.part ?? 0) - (b.exportPart?.part ?? 0));
  const first = list[0];
  if (!first) throw new Error('no parts');
  if (!first.exportPart) {
    if (list.length !== 1) throw new Error('an unsplit export has one file');
    return first as unknown as ExportDocument;
  }
  const of = first.exportPart.of;
  if (
    list.length !== of ||
    list.some((p, i) => p.exportPart?.part !== i + 1 || p.exportPart.of !== of || p.exportedAt !== first.exportedAt)
  )
    throw new Error(`expected parts 1–${of} of one export`);
  const { exportPart: header, ...rest } = first;
  const joined = { ...rest, activities: list.flatMap((p) => p.activities), reportFiles: list.flatMap((p) => p.reportFiles) };
  if (joined.activities.length !== header.activities || joined.reportFiles.length !== header.reportFiles)
    throw new Error('parts are missing rides or report files');
  return joined as unknown as ExportDocument;
}
