/**
 * The dedupe/merge policy of uploads, beside `isSameActivity`: what an activity just read is to the
 * ones already stored — the very same file or row again (a duplicate), the same ride from another
 * source (merged into one), or new — and, when merged, which copy's recording wins and what is kept
 * of the other. Pure: the store looks the stored copies up and applies the decision.
 */
import { isSameActivity, SAME_ACTIVITY_WINDOW_SECONDS, type Activity } from './activity.js';

/** What the policy needs to know of a stored copy (no streams: only whether it has them). */
export interface StoredCopy extends Pick<
  Activity,
  'sourceHash' | 'sessionIndex' | 'startTime' | 'sport' | 'sourceKind' | 'externalId' | 'power' | 'name' | 'description'
> {
  id: string;
  hasStreams: boolean;
}

/** What the policy reads of an incoming activity. */
export type IncomingCopy = Pick<
  Activity,
  'sourceHash' | 'sessionIndex' | 'startTime' | 'sport' | 'sourceKind' | 'externalId' | 'power' | 'name' | 'description' | 'streams'
>;

/** The summary fields a merge keeps from the stored copy when it has them (the CSV row's name, say). */
export type KeptFields = Pick<Activity, 'name' | 'description' | 'externalId'>;

export type UploadDecision =
  /** This very file or row was stored before, as `activityId`. */
  | { kind: 'duplicate'; activityId: string }
  /** Not seen before in any form. */
  | { kind: 'new' }
  /** The same ride as `activityId` from another source: `replace` when the incoming recording wins. */
  | { kind: 'merge'; activityId: string; replace: boolean; keep: KeptFields };

/** The start times (UTC ms, inclusive) between which a stored activity may be the same as one starting at `startTime`. */
export function sameActivityWindow(startTime: Date): { from: number; to: number } {
  const ms = SAME_ACTIVITY_WINDOW_SECONDS * 1000;
  return { from: startTime.getTime() - ms, to: startTime.getTime() + ms };
}

/** A recording with streams beats a summary; measured power beats none; a FIT file beats a CSV row. */
export function richness(a: { sourceKind: string; hasStreams: boolean; power: string }): number {
  return (a.hasStreams ? 2 : 0) + (a.power === 'measured' ? 1 : 0) + (a.sourceKind === 'fit' ? 0.5 : 0);
}

/** Strava's CSV export and Strava's API: both carry Strava's activity id as `externalId`. */
export function stravaIdOf(a: Pick<Activity, 'sourceKind' | 'externalId'>): string | null {
  return a.sourceKind === 'strava-csv' || a.sourceKind === 'strava-api' ? a.externalId : null;
}

/**
 * Whether a stored copy is the same ride as the incoming one. A Strava activity (CSV row or API) is
 * the stored ride that carries its Strava id — whenever that starts (a start time edited on Strava;
 * a merged ride keeps the id whichever recording won) —, and two different Strava ids are two
 * activities, however close in time; otherwise the same file, or the same sport starting within the
 * window.
 */
function isSameRide(row: StoredCopy, incoming: IncomingCopy): boolean {
  const arriving = stravaIdOf(incoming);
  if (arriving && row.externalId === arriving) return true;
  if (arriving && stravaIdOf(row)) return false;
  return isSameActivity(row, incoming);
}

/** The stored copy of the same ride, if any. Two Strava activities with different ids are two, however close in time. */
export function findStoredCopy(incoming: IncomingCopy, candidates: readonly StoredCopy[]): StoredCopy | undefined {
  return candidates.find((row) => isSameRide(row, incoming));
}

/** Merging two copies of one ride: the richer recording wins; the stored name, description and Strava id are kept. */
export function mergeCopies(stored: StoredCopy, incoming: IncomingCopy): Extract<UploadDecision, { kind: 'merge' }> {
  const replace =
    richness({ sourceKind: incoming.sourceKind, hasStreams: Boolean(incoming.streams), power: incoming.power }) > richness(stored);
  const keep = {
    name: stored.name ?? incoming.name,
    description: stored.description ?? incoming.description,
    externalId: stored.externalId ?? incoming.externalId,
  };
  return { kind: 'merge', activityId: stored.id, replace, keep };
}

/**
 * What to do with one incoming activity. `seenActivityId`: the activity stored from this very file
 * or row, if any; `candidates`: the stored activities that started within the window
 * (`sameActivityWindow`), asked for only when the file was not seen.
 */
export function decideUpload(
  incoming: IncomingCopy,
  seenActivityId: string | null,
  candidates: () => readonly StoredCopy[],
): UploadDecision {
  if (seenActivityId !== null) return { kind: 'duplicate', activityId: seenActivityId };
  const stored = findStoredCopy(incoming, candidates());
  return stored ? mergeCopies(stored, incoming) : { kind: 'new' };
}
