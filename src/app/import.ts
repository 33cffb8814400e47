/**
 * `import`: record files as one upload for an athlete in the database — the same path a chat
 * upload takes, so the CLI and the bots share one history.
 */
import type { IngestLimits } from '../ingest/ingest.js';
import type { Store, UploadError } from '../store/store.js';
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

export async function importPaths(store: Store, athleteName: string, paths: string[], limits?: IngestLimits): Promise<ImportReport> {
  const { files, activities, errors } = await ingestPaths(paths, limits);
  const athlete = store.athleteForIdentity(cliIdentity(athleteName), athleteName.trim());
  const summary = store.athlete(athlete.id).recordUpload(files, { activities, errors });
  return { athlete: athlete.displayName, new: summary.new, duplicates: summary.duplicates, merged: summary.merged, errors: summary.errors };
}

export function formatImport(report: ImportReport): string {
  const lines = [`${report.athlete}: ${report.new} new, ${report.duplicates} already there, ${report.merged} merged with a ride from another source.`];
  for (const e of report.errors) lines.push(`  ✗ ${e.source} [${e.code}] ${e.message}`);
  return lines.join('\n');
}
