/**
 * A new plan from the coming Monday when the athlete's events change (`/event add|remove`): the
 * profile, today's fitness and the events decide it, as the planning phase would without a model;
 * it becomes the current plan as a new version that says why.
 */
import { zonedDate } from '../../domain/calendar.js';
import type { PlanVersion } from '../../domain/coaching/types.js';
import { generatePlan, planInputFromProfile, snapToMonday } from '../../domain/plan/index.js';
import { planEvents } from '../../domain/plan/plan-events.js';
import { EMPTY_PROFILE } from '../../domain/profile.js';
import { err, type Result } from '../../domain/result.js';
import type { AthleteStore } from '../../store/store.js';
import { adoptPlan } from './adopt.js';
import { eventOutOfReach } from '../planning-profile.js';
import { fitnessOn } from './fitness-now.js';

/** The plan generated again for the athlete's events; the reason is the version's. Bad profile: what to fix. */
export async function replan(athlete: AthleteStore, now: Date, reason: string): Promise<Result<PlanVersion, string>> {
  const { timeZone: zone, displayName } = await athlete.info();
  const start = snapToMonday(zonedDate(now, zone));
  const current = await athlete.coaching.currentPlanVersion();
  const fitness = await fitnessOn(athlete, now, zone);
  const [lastRide] = await athlete.recentActivities(1);
  const stored = (await athlete.currentProfile()) ?? EMPTY_PROFILE;
  // an event date one plan cannot reach is set aside, as the planning phase does
  const profile = stored.eventDate && eventOutOfReach(stored.eventDate, stored.planWeeks, start) ? { ...stored, eventDate: null } : stored;
  const input = planInputFromProfile(
    { ...profile, name: displayName },
    {
      ctl: fitness.ctl,
      atl: fitness.atl,
      lastRideDate: lastRide ? zonedDate(lastRide.activity.startTime, zone) : null,
      limiters: current?.input.fitness.limiters ?? [],
      strengths: current?.input.fitness.strengths ?? [],
    },
    start,
  );
  if (!input.ok) return err(input.error.map((v) => v.message).join(' '));
  // stored events replace the profile's one event date (which then is one of them, if the athlete added it)
  const events = await athlete.coaching.events();
  const withEvents = events.length > 0 ? { ...input.value, ...planEvents(events, start) } : input.value;
  const plan = generatePlan(withEvents);
  if (!plan.ok) return err(plan.error.map((v) => v.message).join(' '));
  return { ok: true, value: await adoptPlan(athlete, { plan: plan.value, input: withEvents, runId: null, reason, kind: 'events' }) };
}
