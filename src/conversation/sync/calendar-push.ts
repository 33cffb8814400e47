/**
 * The current plan's workouts on the athlete's intervals.icu calendar (from where intervals.icu
 * sends them on to Garmin, Wahoo and others): the `push-calendar` job upserts, in one bulk call,
 * the workouts that are new or changed (by a hash of what is pushed) or missing there, and deletes
 * ours from today on that the plan no longer holds — the past stays, it was planned. Only our
 * events (our external id) are ever touched. Pushes coalesce: one job per plan version.
 */
import { createHash } from 'node:crypto';
import { addDays, zonedDate } from '../../domain/calendar.js';
import { calendarContent, calendarWorkouts } from '../../domain/coaching/calendar-workouts.js';
import type { SyncJob } from '../../store/store.js';
import type { CalendarWorkout } from '../../sync/types.js';
import type { SyncContext } from './sync-context.js';

/** How far past the last desired workout the calendar is read for leftovers of older plans. */
const LOOK_PAST_PLAN_DAYS = 120;

const contentHash = (w: CalendarWorkout) => createHash('sha256').update(calendarContent(w), 'utf8').digest('hex');

export class CalendarPush {
  constructor(private readonly ctx: SyncContext) {}

  /**
   * Queues a push of the athlete's current plan, when intervals.icu is connected with the push on.
   * `reason` null: one per plan version (coalesced); else a push of its own (connect, push turned on).
   */
  async queue(athleteId: string, reason: string | null = null): Promise<boolean> {
    const athlete = this.ctx.athlete(athleteId);
    const connection = await athlete.sync.connection('intervals');
    if (!connection?.pushCalendar) return false;
    // no plan, nothing to push (a plan is never taken away: a new one replaces it)
    const version = (await this.ctx.deps.loop.currentPlan(athlete))?.version;
    if (version === undefined) return false;
    const dedupeKey =
      reason === null ? `push:${athleteId}:${version}` : `push:${athleteId}:${version}:${reason}:${this.ctx.now().getTime()}`;
    return this.ctx.store.sync.enqueue({ athleteId, service: 'intervals', kind: 'push-calendar', payload: { version }, dedupeKey });
  }

  /** The `push-calendar` job: the calendar made to hold exactly the current plan's workouts from today. */
  async run(job: SyncJob): Promise<void> {
    const { ctx } = this;
    const athlete = ctx.athlete(job.athleteId);
    const connection = await ctx.connection(athlete, 'intervals');
    if (!connection.pushCalendar) return;
    const today = zonedDate(ctx.now(), (await athlete.info()).timeZone);
    // the plan as it is now, not as it was when the job was queued: a newer version is pushed once
    const version = await ctx.deps.loop.currentPlan(athlete);
    const desired = version ? calendarWorkouts(version, today) : [];
    const stored = new Map((await athlete.sync.calendarEntries()).map((e) => [e.externalId, e]));
    const lastDate = [...desired.map((w) => w.date), ...[...stored.values()].map((e) => e.date), today].sort().at(-1)!;
    const api = ctx.intervals(athlete.athleteId, connection);
    const remote = await api.calendarWorkouts(today, addDays(lastDate, LOOK_PAST_PLAN_DAYS));
    const onCalendar = new Set(remote.map((e) => e.externalId));
    const wanted = new Set(desired.map((w) => w.externalId));

    const changed = desired.filter((w) => stored.get(w.externalId)?.contentHash !== contentHash(w) || !onCalendar.has(w.externalId));
    if (changed.length > 0) {
      const events = await api.upsertWorkouts(changed);
      const remoteIds = new Map(events.map((e) => [e.externalId, e.id]));
      const pushedAt = ctx.now();
      for (const w of changed) {
        await athlete.sync.saveCalendarEntry({
          externalId: w.externalId,
          remoteId: remoteIds.get(w.externalId) ?? stored.get(w.externalId)?.remoteId ?? null,
          date: w.date,
          contentHash: contentHash(w),
          pushedAt,
        });
      }
    }
    // ours from today on that the plan no longer holds (an adaptation dropped them, or a new plan)
    const stale = remote.filter((e) => e.date >= today && e.externalId !== null && !wanted.has(e.externalId));
    if (stale.length > 0) await api.deleteEvents(stale.map((e) => e.id));
    for (const entry of stored.values())
      if (entry.date >= today && !wanted.has(entry.externalId)) await athlete.sync.deleteCalendarEntry(entry.externalId);
    ctx.logger?.debug({ athleteId: athlete.athleteId, pushed: changed.length, deleted: stale.length }, 'calendar pushed');
  }
}
