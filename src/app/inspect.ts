/**
 * `inspect`: read files and folders, ingest everything, and describe the activities found.
 * The JSON shape is a contract other tools rely on (see README).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isCycling, type Activity } from '../domain/activity.js';
import { appendAll } from '../domain/arrays.js';
import { computeActivityMetrics } from '../domain/metrics/index.js';
import { roundOrNull } from '../domain/numbers.js';
import { formatBytes, ingestError, type IngestError } from '../ingest/ingest-error.js';
import { ingestPool } from '../ingest/ingest-pool.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../ingest/ingest.js';

export interface InspectedActivity {
  source: string;
  sport: string;
  startTime: string;
  timerSeconds: number | null;
  elapsedSeconds: number | null;
  distanceMeters: number | null;
  avgPower: number | null;
  normalizedPower: number | null;
  tss: number | null;
  intensityFactor: number | null;
  avgHeartRate: number | null;
  warnings: { code: string; message: string }[];
  device: { normalizedPower: number | null; tss: number | null; ftp: number | null };
  /** Mean-maximal power (W) keyed by duration in seconds; empty without measured cycling power. */
  powerCurve: Record<string, number>;
}

export interface InspectReport {
  activities: InspectedActivity[];
  errors: { source: string; code: string; message: string }[];
  /** Entries of archives that were not read (GPX, TCX, photos …), with the reason. */
  skipped: { source: string; reason: string }[];
}

/** Files below the given paths (folders are walked; hidden files are left out), in a stable order. */
export async function collectFiles(paths: string[]): Promise<{ files: string[]; errors: IngestError[] }> {
  const files: string[] = [];
  const errors: IngestError[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      errors.push({ source: path, code: 'not-found', message: `${path} does not exist. Check the path and try again.` });
      continue;
    }
    if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      const found = entries
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => join(e.parentPath, e.name))
        .sort();
      appendAll(files, found);
    } else files.push(path);
  }
  return { files, errors };
}

export interface IngestedPaths {
  files: string[];
  activities: Activity[];
  errors: InspectReport['errors'];
  skipped: InspectReport['skipped'];
}

/** Reads and ingests every file below the paths; failures are collected, never thrown. */
export async function ingestPaths(paths: string[], limits: IngestLimits = DEFAULT_INGEST_LIMITS): Promise<IngestedPaths> {
  const { files, errors } = await collectFiles(paths);
  const out: IngestedPaths = { files, activities: [], errors: errors.map(toJsonError), skipped: [] };
  for (const file of files) {
    const bytes = await readRegularFile(file, limits.maxFileBytes);
    if (!(bytes instanceof Uint8Array)) {
      out.errors.push(toJsonError(bytes));
      continue;
    }
    // read in a worker thread, within its time and memory budget
    const result = await ingestPool().ingest(bytes, file, limits);
    if (!result.ok) {
      out.errors.push(toJsonError(result.error));
      continue;
    }
    appendAll(out.activities, result.value.activities);
    appendAll(out.errors, result.value.errors.map(toJsonError));
    appendAll(out.skipped, result.value.skipped);
  }
  return out;
}

/**
 * A file's bytes, once `stat` says it is a regular file within the size limit: a device such as
 * `/dev/zero` or a FIFO would never end, and a file over 2 GiB cannot be read into one buffer.
 */
async function readRegularFile(file: string, maxBytes: number): Promise<Uint8Array | IngestError> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return ingestError(file, 'not-found', `${file} does not exist. Check the path and try again.`);
  }
  if (!info.isFile())
    return ingestError(
      file,
      'unsupported-format',
      `${file} is not a regular file (a device, a pipe or a socket); give the path of an activity file or a folder of them.`,
    );
  if (info.size === 0) return ingestError(file, 'empty', `${file} is empty (0 bytes). Export it again and try again.`);
  if (info.size > maxBytes)
    return ingestError(
      file,
      'too-large',
      `${file} is ${formatBytes(info.size)}; the limit is ${formatBytes(maxBytes)}. Split it (for example one zip per year).`,
    );
  return new Uint8Array(await readFile(file));
}

export async function inspectPaths(paths: string[], options: { ftp: number | null; limits?: IngestLimits }): Promise<InspectReport> {
  const { activities, errors, skipped } = await ingestPaths(paths, options.limits);
  return { activities: activities.map((a) => describeActivity(a, options.ftp)), errors, skipped };
}

/**
 * The `inspect --json` document, exactly as `JSON.stringify({ activities, errors }, null, 2)`
 * writes it, in pieces: one string of a 128,000-activity report would be hundreds of MB.
 */
export function* inspectJsonChunks(report: Pick<InspectReport, 'activities' | 'errors'>): Generator<string> {
  yield '{\n';
  for (const [key, items, last] of [
    ['activities', report.activities, false],
    ['errors', report.errors, true],
  ] as const) {
    if (items.length === 0) {
      yield `  ${JSON.stringify(key)}: []${last ? '' : ','}\n`;
      continue;
    }
    yield `  ${JSON.stringify(key)}: [\n`;
    for (let i = 0; i < items.length; i++)
      yield `${JSON.stringify(items[i], null, 2).replace(/^/gm, '    ')}${i < items.length - 1 ? ',' : ''}\n`;
    yield `  ]${last ? '' : ','}\n`;
  }
  yield '}\n';
}

function toJsonError(e: IngestError): InspectReport['errors'][number] {
  return { source: e.source, code: e.code, message: e.message };
}

/**
 * One activity as the JSON contract shows it. NP, TSS and IF are ours (from the 1 Hz stream);
 * TSS and IF use `ftp` when given, else the FTP set on the device, else they are null. Power
 * figures are cycling power only: a run's power shows as its recorded (measured) average, no NP/TSS.
 */
export function describeActivity(activity: Activity, ftp: number | null): InspectedActivity {
  const effectiveFtp = ftp ?? activity.device?.ftp ?? null;
  const metrics = computeActivityMetrics(activity, { ftp: effectiveFtp });
  const cycling = isCycling(activity.sport);
  return {
    source: activity.source,
    sport: activity.sport,
    startTime: activity.startTime.toISOString(),
    timerSeconds: roundOrNull(activity.timerSeconds, 3),
    elapsedSeconds: roundOrNull(activity.elapsedSeconds, 3),
    distanceMeters: roundOrNull(activity.distanceMeters, 2),
    // Strava's estimated watts are no measurement: null, as for rides
    avgPower: roundOrNull(cycling ? metrics.avgPower : activity.power === 'measured' ? activity.avgPower : null),
    normalizedPower: roundOrNull(metrics.normalizedPower),
    tss: roundOrNull(metrics.tss, 1),
    intensityFactor: roundOrNull(metrics.intensityFactor, 3),
    avgHeartRate: roundOrNull(metrics.avgHeartRate ?? activity.avgHeartRate),
    warnings: activity.warnings.map((w) => ({ code: w.code, message: w.message })),
    device: {
      normalizedPower: activity.device?.normalizedPower ?? null,
      tss: activity.device?.tss ?? null,
      ftp: activity.device?.ftp ?? null,
    },
    powerCurve: Object.fromEntries(Object.entries(metrics.powerCurve ?? {}).map(([k, v]) => [k, Math.round(v)])),
  };
}

/** A plain-text table for people. */
export function formatTable(report: InspectReport): string {
  const header = ['file', 'sport', 'start (UTC)', 'moving', 'km', 'avg W', 'NP', 'TSS', 'IF', 'avg HR', 'notes'];
  const rows = report.activities.map((a) => [
    a.source.length > 40 ? '…' + a.source.slice(-39) : a.source,
    a.sport,
    a.startTime.slice(0, 16).replace('T', ' '),
    a.timerSeconds === null ? '–' : formatDuration(a.timerSeconds),
    a.distanceMeters === null ? '–' : (a.distanceMeters / 1000).toFixed(1),
    a.avgPower === null ? '–' : String(a.avgPower),
    a.normalizedPower === null ? '–' : String(a.normalizedPower),
    a.tss === null ? '–' : a.tss.toFixed(1),
    a.intensityFactor === null ? '–' : a.intensityFactor.toFixed(2),
    a.avgHeartRate === null ? '–' : String(a.avgHeartRate),
    a.warnings.map((w) => w.code).join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 3 && i <= 9 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  out.push(
    '',
    `${report.activities.length} activit${report.activities.length === 1 ? 'y' : 'ies'}, ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}`,
  );
  for (const e of report.errors) out.push(`  ✗ ${e.source} [${e.code}] ${e.message}`);
  if (report.skipped.length > 0) out.push(`${report.skipped.length} archive entr${report.skipped.length === 1 ? 'y' : 'ies'} skipped`);
  for (const k of report.skipped) out.push(`  – ${k.source}: ${k.reason}`);
  return out.join('\n');
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
