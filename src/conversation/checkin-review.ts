/**
 * What a weekly check-in says, from the store: last week planned against done (sessions, hours,
 * TSS), form now (CTL, ATL, TSB), the week ahead in the current plan with each workout's state,
 * and what changed in the plan since the last check-in (the changes of the versions made since) —
 * by the athlete's own calendar days (the weeks: checkin-weeks in checkin-schedule.ts). The
 * figures the words are grounded in.
 */
import { isCycling } from '../domain/activity.js';
import { addDays, mondayOf, zonedDate } from '../domain/calendar.js';
import { checkinWeeks } from '../domain/checkin-schedule.js';
import { droppedWorkouts, workoutStatuses, type WorkoutStatus } from '../domain/coaching/plan-state.js';
import type { PlanVersion } from '../domain/coaching/types.js';
import type { PlanWeek } from '../domain/plan/types.js';
import { rideLoads } from '../domain/training-load.js';
import { fitnessOn, type FitnessToday } from '../orchestrator/coaching/fitness-now.js';
import type { AthleteStore } from '../store/store.js';

export interface Totals {
  sessions: number;
  hours: number;
  tss: number;
}

export interface CheckinReview {
  name: string;
  /** The athlete's day the check-in is sent on. */
  today: string;
  hasPlan: boolean;
  last: {
    from: string;
    to: string;
    planned: Totals;
    /** Sessions: planned workouts ridden (done or partial); hours and TSS: every ride of those days. */
    done: Totals;
    partial: number;
    missed: WorkoutStatus[];
    /** Planned workouts of the week still to come (a check-in late in the week). */
    ahead: number;
    /** Rides matched to no planned workout. */
    extra: number;
    /** Every ride of those days, planned or not. */
    rides: number;
  };
  form: FitnessToday;
  /** The week ahead: the plan's week (null outside the plan), its workouts' states, its totals. */
  coming: { from: string; to: string; week: PlanWeek | null; statuses: WorkoutStatus[]; planned: Totals };
  /** The plan versions made since the last check-in (or the last seven days), oldest first. */
  changes: { version: number; reason: string; texts: string[] }[];
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const PLANNED = new Set(['planned', 'moved', 'done', 'partial', 'missed']);

function totals(workouts: readonly WorkoutStatus[]): Totals {
  return {
    sessions: workouts.length,
    hours: workouts.reduce((s, w) => s + w.durationMinutes / 60, 0),
    tss: workouts.reduce((s, w) => s + w.tss, 0),
  };
}

/** Every ride of the days `from`–`to` (the athlete's days in `zone`): count, hours, TSS. */
async function ridesOf(
  athlete: AthleteStore,
  from: string,
  to: string,
  now: Date,
  zone: string,
): Promise<{ rides: number; hours: number; tss: number }> {
  // every ride up to now of the last fortnight and a day (more than the week before the next Monday); the local day decides
  const stored = await athlete.activitiesBetween(new Date(now.getTime() - 2 * WEEK_MS - DAY_MS), new Date(now.getTime() + 1));
  const loads = rideLoads(
    stored.map((s) => s.activity),
    await athlete.profileHistory(),
  ).filter((l) => {
    const day = zonedDate(l.activity.startTime, zone);
    return day >= from && day <= to;
  });
  return {
    rides: loads.filter((l) => isCycling(l.activity.sport)).length,
    hours: loads.reduce((s, l) => s + (l.metrics.movingSeconds ?? 0) / 3600, 0),
    tss: loads.reduce((s, l) => s + (l.metrics.load ?? 0), 0),
  };
}

/** The changes of the versions made after `since`, each version's texts (its reason when it lists none). */
function changesSince(versions: readonly PlanVersion[], since: Date): CheckinReview['changes'] {
  return versions
    .filter((v) => v.createdAt.getTime() > since.getTime())
    .map((v) => ({ version: v.version, reason: v.reason, texts: v.changes.length > 0 ? v.changes.map((c) => c.text) : [v.reason] }));
}

/** The check-in for the athlete at `now`, by the days of `zone`; `lastSentAt`: the previous check-in, if any. */
export async function checkinReview(athlete: AthleteStore, now: Date, zone: string, lastSentAt: Date | null): Promise<CheckinReview> {
  const today = zonedDate(now, zone);
  const { last, coming } = checkinWeeks(today);
  const version = await athlete.coaching.currentPlanVersion();
  // missed sessions an adaptation dropped still count as planned and missed; sessions eased away do not count
  const versions = await athlete.coaching.planVersions();
  const missedDrops = droppedWorkouts(versions).filter((d) => d.missed);
  const statuses = version ? workoutStatuses(version.plan, await athlete.coaching.matches(), today, missedDrops) : [];
  const inDays = (from: string, to: string) => statuses.filter((s) => s.date >= from && s.date <= to);
  const lastWeek = inDays(last.from, last.to);
  const planned = lastWeek.filter((s) => PLANNED.has(s.state));
  const ridden = planned.filter((s) => s.state === 'done' || s.state === 'partial');
  const rides = await ridesOf(athlete, last.from, last.to, now, zone);
  const upcoming = inDays(coming.from, coming.to);
  const { displayName } = await athlete.info();
  const form = await fitnessOn(athlete, now, zone);
  return {
    name: displayName,
    today,
    hasPlan: version !== null,
    last: {
      ...last,
      planned: totals(planned),
      done: { sessions: ridden.length, hours: rides.hours, tss: rides.tss },
      partial: ridden.filter((s) => s.state === 'partial').length,
      missed: planned.filter((s) => s.state === 'missed'),
      ahead: planned.filter((s) => s.state === 'planned' || s.state === 'moved').length,
      extra: lastWeek.filter((s) => s.state === 'extra').length,
      rides: rides.rides,
    },
    form,
    coming: {
      ...coming,
      week: version?.plan.weeks.find((w) => w.days[0]?.date === coming.from) ?? null,
      statuses: upcoming,
      planned: totals(upcoming.filter((s) => s.state !== 'extra')),
    },
    changes: version ? changesSince(versions, lastSentAt ?? new Date(now.getTime() - WEEK_MS)) : [],
  };
}

/**
 * The hours still planned in the plan's week of `today` (Monday to Sunday), from today on: what
 * "less time this week" takes a share of. 0 without a plan or with nothing left.
 */
export async function hoursLeftThisWeek(athlete: AthleteStore, today: string): Promise<number> {
  const version = await athlete.coaching.currentPlanVersion();
  if (!version) return 0;
  const sunday = addDays(mondayOf(today), 6);
  return workoutStatuses(version.plan, await athlete.coaching.matches(), today)
    .filter((s) => s.date >= today && s.date <= sunday && (s.state === 'planned' || s.state === 'moved'))
    .reduce((sum, s) => sum + s.durationMinutes / 60, 0);
}
