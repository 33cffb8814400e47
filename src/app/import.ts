/**
 * `import`: record files as one upload for an athlete in the database — the same path a chat
 * upload takes, so the CLI and the bots share one history.
 */
import type { IngestLimits } from '../ingest/ingest.js';
import type { Store, UploadError } from '../store/store.js';
import { screenUpload } from '../ingest/plausibility.js';
import { ingestPaths } from './inspect.js';

export interface ImportReport {
  athlete: string;
  new: number;
  duplicates: number;
  merged: number;
  errors: UploadError[];
}

/** The identity a CLI athlete is known by. */
export const cliIdentity = (name: string): string => `cli:${name.trim().toLowerCase()}`;

/**
 * Screened as a chat upload is (too-short salvages and future-dated rides refused); when nothing
 * is left to store, nothing is written — no upload row, and no athlete created.
 */
export async function importPaths(
  store: Store,
  athleteName: string,
  paths: string[],
  limits?: IngestLimits,
  now: Date = new Date(),
): Promise<ImportReport> {
  const { files, activities, errors } = await ingestPaths(paths, limits);
  const { kept } = screenUpload(activities, errors, now);
  if (kept.length === 0) return { athlete: athleteName.trim(), new: 0, duplicates: 0, merged: 0, errors };
  const athlete = store.athleteForIdentity(cliIdentity(athleteName), athleteName.trim());
  const summary = store.athlete(athlete.id).recordUpload(files, { activities: kept, errors });
  return { athlete: athlete.displayName, new: summary.new, duplicates: summary.duplicates, merged: summary.merged, errors: summary.errors };
}

export function formatImport(report: ImportReport): string {
  const lines = [
    `${report.athlete}: ${report.new} new, ${report.duplicates} already there, ${report.merged} merged with a ride from another source.`,
  ];
  for (const e of report.errors) lines.push(`  ✗ ${e.source} [${e.code}] ${e.message}`);
  return lines.join('\n');
}
