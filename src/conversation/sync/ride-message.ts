/**
 * The post-ride message of a synced ride: the ride compared with the current plan (and the plan
 * adapted when it calls for it), the form it leaves, and one message to the athlete's chat.
 */
import { fitnessOn } from '../../orchestrator/coaching/fitness-now.js';
import type { AthleteStore } from '../../store/store.js';
import { SERVICE_NAMES, type SyncService as Service } from '../../sync/types.js';
import { postRideReply } from '../messages/post-ride.js';
import { asError, type SyncContext } from './sync-context.js';

/**
 * Compares the ride with the plan, adapts it, and posts one message to the athlete's first chat
 * the directory opens. `planChanged` is told of a new version (the calendar push).
 */
export async function postRideMessage(
  ctx: SyncContext,
  athlete: AthleteStore,
  activityId: string,
  service: Service,
  planChanged: (athleteId: string) => Promise<void>,
): Promise<void> {
  const { loop } = ctx.deps;
  let outcome: Awaited<ReturnType<typeof loop.afterRides>> = { matches: [], version: null, ftpNote: null };
  try {
    outcome = await loop.afterRides(athlete, [activityId]);
    if (outcome.version) await planChanged(athlete.athleteId);
  } catch (e) {
    // the ride is stored whatever happens here: its message goes out without the comparison
    ctx.logger?.error({ err: asError(e), athleteId: athlete.athleteId }, 'synced ride not compared with the plan');
  }
  const stored = await athlete.activity(activityId, { streams: false });
  if (!stored) return;
  const info = await athlete.info();
  const now = ctx.now();
  const reply = postRideReply({
    activity: stored,
    match: outcome.matches.find((m) => m.activityId === activityId) ?? null,
    form: await fitnessOn(athlete, now, info.timeZone),
    changes: outcome.version?.changes ?? [],
    ftpNote: outcome.ftpNote,
    units: info.units,
    source: SERVICE_NAMES[service],
    ftp: (await athlete.profileAt(stored.activity.startTime))?.ftp ?? null,
    hasPlan: (await loop.currentPlan(athlete)) !== null,
    timeZone: info.timeZone,
  });
  await ctx.tell(athlete, reply);
}
