/**
 * Remote rides → fetch jobs. Every remote activity is fetched once per connection: the job's dedupe
 * key names the athlete, the service, the ride and the connection, so a webhook event and a
 * backfill (or a poll) of one ride are one job; what is not a ride is recorded as seen and never
 * fetched.
 */
import type { AthleteStore, StoredConnection } from '../../store/store.js';
import type { RemoteActivity, SyncService as Service } from '../../sync/types.js';
import type { SyncContext } from './sync-context.js';

/**
 * The fetch's dedupe key. The connection's start is part of it: after a disconnect (which forgets
 * the rides seen) and a new connect, the rides are looked at again rather than skipped unseen.
 */
export function fetchKey(athleteId: string, service: Service, connection: StoredConnection, externalId: string): string {
  return `fetch:${athleteId}:${service}:${externalId}@${connection.connectedAt.getTime()}`;
}

export interface Queued {
  /** Fetch jobs queued now. */
  queued: number;
  /** Activities that are not rides (recorded as seen). */
  notRides: number;
  /** The newest start among the activities, if any. */
  newest: Date | null;
}

/** Queues a fetch for each ride not seen yet (in `batch` when a backfill lists them). */
export async function queueFetches(
  ctx: SyncContext,
  athlete: AthleteStore,
  service: Service,
  connection: StoredConnection,
  activities: readonly RemoteActivity[],
  batch: string | null,
): Promise<Queued> {
  const result: Queued = { queued: 0, notRides: 0, newest: null };
  const ids = new Set<string>();
  for (const a of activities) {
    // the list may name one activity twice (intervals.icu's pages overlap a day either side)
    if (ids.has(a.id)) continue;
    ids.add(a.id);
    if (!result.newest || a.startTime > result.newest) result.newest = a.startTime;
    if (await athlete.sync.syncedActivity(service, a.id)) continue;
    if (!a.isRide) {
      await athlete.sync.recordSyncedActivity(service, a.id, null);
      result.notRides += 1;
      continue;
    }
    const queued = await ctx.store.sync.enqueue({
      athleteId: athlete.athleteId,
      service,
      kind: 'fetch-activity',
      payload: { externalId: a.id, startTime: a.startTime.toISOString() },
      dedupeKey: fetchKey(athlete.athleteId, service, connection, a.id),
      batch,
    });
    if (queued) result.queued += 1;
  }
  return result;
}
