/**
 * `import`: record files as one upload for an athlete in the database — the same path a chat
 * upload takes, so the CLI and the bots share one history — then compare each new ride with the
 * athlete's current plan (the coaching loop: the match, and the plan adapted when the rides call
 * for it).
 */
import { zonedDate } from '../domain/calendar.js';
import type { PlanVersion, WorkoutMatch } from '../domain/coaching/types.js';
import type { IngestLimits } from '../ingest/ingest.js';
import { CoachLoop } from '../orchestrator/coaching/coach-loop.js';
import type { AthleteStore, Clock, Store, StoredActivity, UploadError } from '../store/store.js';
import { screenUpload } from '../ingest/plausibility.js';
import { matchJson, matchLine, type MatchJson } from './coaching-json.js';
import { ingestPaths } from './inspect.js';

/** A new activity of the upload and its match to the current plan (null: not compared — no plan, outside its dates). */
interface ImportedActivity {
  activityId: string;
  /** The ride's local date (the athlete's zone). */
  date: string;
  name: string | null;
  match: MatchJson | null;
}

export interface ImportReport {
  athlete: string;
  new: number;
  duplicates: number;
  merged: number;
  errors: UploadError[];
  /** The new activities, in ride order. */
  activities: ImportedActivity[];
}

/** What the text report says besides the JSON: each match's line, and a new plan version. */
interface ImportOutcome {
  report: ImportReport;
  matches: WorkoutMatch[];
  adapted: PlanVersion | null;
  ftpNote: string | null;
}

/** The identity a CLI athlete is known by. */
export const cliIdentity = (name: string): string => `cli:${name.trim().toLowerCase()}`;

/** The new activities of an upload (not duplicates, not merged into a stored ride), with their matches. */
async function importedActivities(
  athlete: AthleteStore,
  ids: readonly string[],
  matches: readonly WorkoutMatch[],
): Promise<ImportedActivity[]> {
  const zone = (await athlete.info()).timeZone;
  const byId = new Map(matches.map((m) => [m.activityId, m]));
  const stored: StoredActivity[] = [];
  for (const id of ids) {
    const s = await athlete.activity(id, { streams: false });
    if (s !== null) stored.push(s);
  }
  return stored
    .sort((a, b) => a.activity.startTime.getTime() - b.activity.startTime.getTime())
    .map(({ activity }) => {
      const match = byId.get(activity.id);
      return {
        activityId: activity.id,
        date: zonedDate(activity.startTime, zone),
        name: activity.name,
        match: match ? matchJson(match) : null,
      };
    });
}

/**
 * Screened as a chat upload is (too-short salvages and future-dated rides refused); when nothing
 * is left to store, nothing is written — no upload row, and no athlete created. `clock`: now, for
 * the screening and the coaching loop (the system clock in the CLI).
 */
export async function importPaths(
  store: Store,
  athleteName: string,
  paths: string[],
  limits?: IngestLimits,
  clock: Clock = () => new Date(),
): Promise<ImportOutcome> {
  const { files, activities, errors } = await ingestPaths(paths, limits);
  const { kept } = screenUpload(activities, errors, clock());
  const empty = { athlete: athleteName.trim(), new: 0, duplicates: 0, merged: 0, errors, activities: [] };
  if (kept.length === 0) return { report: empty, matches: [], adapted: null, ftpNote: null };
  const record = await store.athleteForIdentity(cliIdentity(athleteName), athleteName.trim());
  const athlete = store.athlete(record.id);
  const before = new Set((await athlete.activityVersions()).map((v) => v.id));
  const summary = await athlete.recordUpload(files, { activities: kept, errors });
  const outcome = await new CoachLoop({ clock }).afterRides(athlete, summary.activityIds);
  const fresh = [...new Set(summary.activityIds.filter((id) => !before.has(id)))];
  return {
    report: {
      athlete: record.displayName,
      new: summary.new,
      duplicates: summary.duplicates,
      merged: summary.merged,
      errors: summary.errors,
      activities: await importedActivities(athlete, fresh, outcome.matches),
    },
    matches: outcome.matches,
    adapted: outcome.version,
    ftpNote: outcome.ftpNote,
  };
}

export function formatImport({ report, matches, adapted, ftpNote }: ImportOutcome): string {
  const lines = [
    `${report.athlete}: ${report.new} new, ${report.duplicates} already there, ${report.merged} merged with a ride from another source.`,
  ];
  for (const e of report.errors) lines.push(`  ✗ ${e.source} [${e.code}] ${e.message}`);
  for (const m of matches) lines.push(`  ${matchLine(m)}`);
  if (adapted) {
    lines.push(`The plan adapted (version ${adapted.version}): ${adapted.reason}`);
    for (const change of adapted.changes) lines.push(`  ${change.text}`);
  }
  if (ftpNote && !adapted?.changes.some((c) => c.text === ftpNote)) lines.push(ftpNote);
  return lines.join('\n');
}
