/**
 * The words about uploads: what was stored, skipped or unreadable (ten lines of each at most, then
 * counts by code), the totals of what was sent, and the quotas that refuse an upload.
 */
import { formatBytes } from '../../ingest/ingest-error.js';
import type { Units } from '../../report/format.js';
import type { UploadSummary } from '../../store/store.js';
import type { Reply } from '../port.js';
import { count, formatDistance, formatDuration } from './format.js';

/** What an upload held: rides, their distance and moving time (shown in the athlete's units). */
export interface UploadTotals {
  activities: number;
  distanceMeters: number;
  movingSeconds: number;
}

/** The sum of what was read from an upload, for the reply. */
export function uploadTotals(
  activities: readonly { distanceMeters: number | null; movingSeconds: number | null; timerSeconds: number | null }[],
): UploadTotals {
  let distanceMeters = 0;
  let movingSeconds = 0;
  for (const a of activities) {
    if (a.distanceMeters !== null && Number.isFinite(a.distanceMeters) && a.distanceMeters > 0) distanceMeters += a.distanceMeters;
    const moving = a.movingSeconds ?? a.timerSeconds;
    if (moving !== null && Number.isFinite(moving) && moving > 0) movingSeconds += moving;
  }
  return { activities: activities.length, distanceMeters, movingSeconds };
}

/**
 * A warning about a kept activity: structured (its code counts in the summary of those not shown),
 * or a ready line "file: message".
 */
export type UploadWarning = string | { source: string; code: string; message: string };

/** At most this many errors, and this many warnings, are listed one per line; the rest are counted. */
const UPLOAD_LINES_SHOWN = 10;
/** A listed line longer than this (a file named with thousands of characters) is cut. */
const UPLOAD_LINE_CHARS = 300;

const fileName = (source: string) => source.split('/').pop() || source;
const cut = (line: string) => (line.length > UPLOAD_LINE_CHARS ? `${line.slice(0, UPLOAD_LINE_CHARS - 1)}…` : line);

/** "truncated ×1,500, bad-crc ×491": codes by how often they occur, most first. */
function codeCounts(codes: readonly (string | null)[]): string {
  const byCode = new Map<string, number>();
  for (const code of codes) if (code) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  return [...byCode]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, k]) => `${code} ×${count(k)}`)
    .join(', ');
}

type SummaryWithDetails = UploadSummary & { warnings?: readonly UploadWarning[]; totals?: UploadTotals };

/** "3 new activities stored, 1 already there." and what they add up to. */
function storedLines(summary: SummaryWithDetails, units: Units): string[] {
  const lines = [
    `${summary.new} new activit${summary.new === 1 ? 'y' : 'ies'} stored${summary.duplicates > 0 ? `, ${summary.duplicates} already there` : ''}${summary.merged > 0 ? `, ${summary.merged} merged with the same ride from another file` : ''}.`,
  ];
  const t = summary.totals;
  if (t && t.activities > 0 && (t.distanceMeters > 0 || t.movingSeconds > 0)) {
    const parts = [
      t.distanceMeters > 0 ? formatDistance(t.distanceMeters, units) : '',
      t.movingSeconds > 0 ? `${formatDuration(t.movingSeconds)} moving` : '',
    ].filter(Boolean);
    lines.push(`In what you sent: ${t.activities} ${t.activities === 1 ? 'activity' : 'activities'}, ${parts.join(', ')}.`);
  }
  return lines;
}

/** Skipped archive entries, grouped by why: "12 skipped (a.gpx, b.gpx, …): GPX is not read …". */
function skippedLines(skipped: readonly { source: string; reason: string }[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const k of skipped) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), fileName(k.source)]);
  return [...byReason].map(([reason, names]) =>
    cut(`– ${names.length} skipped (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}): ${reason}.`),
  );
}

/** An export of thousands of damaged files must not become dozens of messages: ten of each, then counts by code. */
function errorLines(errors: UploadSummary['errors']): string[] {
  if (errors.length === 0) return [];
  const lines = [
    `${count(errors.length)} file${errors.length === 1 ? '' : 's'} could not be read — nothing from ${errors.length === 1 ? 'it' : 'them'} was stored:`,
  ];
  for (const e of errors.slice(0, UPLOAD_LINES_SHOWN)) lines.push(cut(`✗ ${fileName(e.source)}: ${e.message}`));
  const rest = errors.slice(UPLOAD_LINES_SHOWN);
  if (rest.length > 0) {
    const codes = codeCounts(rest.map((e) => e.code));
    lines.push(
      `…and ${count(rest.length)} more file${rest.length === 1 ? '' : 's'} could not be read${codes ? ` (codes: ${codes})` : ''}.`,
    );
  }
  return lines;
}

function warningLines(warnings: readonly UploadWarning[]): string[] {
  const lines = warnings
    .slice(0, UPLOAD_LINES_SHOWN)
    .map((w) => cut(`! ${typeof w === 'string' ? w : `${fileName(w.source)}: ${w.message}`}`));
  const rest = warnings.slice(UPLOAD_LINES_SHOWN);
  if (rest.length > 0) {
    const codes = codeCounts(rest.map((w) => (typeof w === 'string' ? null : w.code)));
    lines.push(
      `…and ${count(rest.length)} more warning${rest.length === 1 ? '' : 's'} about files that were kept${codes ? ` (codes: ${codes})` : ''}.`,
    );
  }
  return lines;
}

export const NO_ACTIVITIES_SENT: Reply = { text: 'There were no activities in what you sent.' };

export function uploadText(
  summary: SummaryWithDetails,
  skipped: readonly { source: string; reason: string }[],
  units: Units = 'metric',
): Reply {
  const total = summary.new + summary.duplicates + summary.merged;
  const lines = [
    ...(total > 0 ? storedLines(summary, units) : []),
    ...skippedLines(skipped),
    ...errorLines(summary.errors),
    ...warningLines(summary.warnings ?? []),
  ];
  if (lines.length === 0) lines.push(NO_ACTIVITIES_SENT.text);
  // The button names its upload: pressed again after an analysis that already holds these rides, it says so.
  return total > 0
    ? {
        text: lines.join('\n'),
        buttons: [[{ label: 'Analyze now', action: summary.uploadId ? `analyze:upload:${summary.uploadId}` : 'analyze' }]],
      }
    : { text: lines.join('\n') };
}

// ---- refused before reading ----

export function fileQuotaText(files: number, limit: number): Reply {
  return {
    text: `That would make ${files} files today; the limit is ${limit} a day (it counts the last 24 hours). Send the rest later — or one Strava export zip, which counts as one file.`,
  };
}

export function byteQuotaText(bytes: number, limit: number): Reply {
  return {
    text: `That would make ${formatBytes(bytes)} today; the limit is ${formatBytes(limit)} a day (it counts the last 24 hours). Send the rest later.`,
  };
}

export function storeFullText(stored: number): Reply {
  return {
    text: `You have ${count(stored)} activities stored, the most I keep per athlete. Nothing new was stored; ask the bot's operator if you need more.`,
  };
}

export function overRoomText(kept: number, stored: number, max: number): Reply {
  return {
    text: `That upload holds ${count(kept)} activities; with the ${count(stored)} stored that is more than the ${count(max)} I keep per athlete. Nothing was stored. Send a shorter export (for example the last two years).`,
  };
}

// ---- one file that could not be fetched ----

export function tooLargeMessage(fileName: string, sizeBytes: number, maxBytes: number): string {
  return `${fileName} is ${formatBytes(sizeBytes)}; I can only download files up to ${formatBytes(maxBytes)} here. Send the FIT files themselves, or split the export (e.g. one zip per year).`;
}

export function downloadFailedMessage(fileName: string): string {
  return `${fileName} could not be downloaded. Please send it again.`;
}
