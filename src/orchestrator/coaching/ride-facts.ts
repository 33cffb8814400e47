/**
 * New rides against the current plan: what the matcher needs to know of a stored ride (its local
 * day, duration, TSS and IF at the FTP of its date, the 1 Hz power), and the matching of each ride
 * not matched yet — only rides inside the plan's dates (a day either side), not in the future.
 */
import { addDays, zonedDate } from '../../domain/calendar.js';
import { matchRide, type RideFacts } from '../../domain/coaching/ride-match.js';
import type { PlanVersion, WorkoutMatch } from '../../domain/coaching/types.js';
import { computeActivityMetrics } from '../../domain/metrics/activity-metrics.js';
import { athleteContext, profileAt, type ProfileVersion } from '../../domain/profile.js';
import type { AthleteStore, StoredActivity } from '../../store/store.js';

/** The plan's first and last day. */
function planSpan(version: PlanVersion): { first: string; last: string } | null {
  const days = version.plan.weeks.flatMap((w) => w.days.map((d) => d.date));
  return days.length === 0 ? null : { first: days[0]!, last: days.at(-1)! };
}

/** The ride as the matcher sees it; TSS at `ftp` (else the heart-rate load), IF at `ftp`. */
function rideFacts(stored: StoredActivity, zone: string, profile: ProfileVersion | null, ftp: number): RideFacts {
  const { activity } = stored;
  const metrics = computeActivityMetrics(activity, { ...athleteContext(profile), ftp });
  const seconds = activity.movingSeconds ?? activity.timerSeconds ?? activity.elapsedSeconds ?? 0;
  return {
    activityId: activity.id,
    date: zonedDate(activity.startTime, zone),
    sport: activity.sport,
    durationMinutes: seconds / 60,
    tss: metrics.tss ?? metrics.load,
    intensityFactor: metrics.intensityFactor,
    power: activity.streams?.power ?? null,
  };
}

/**
 * Matches and stores every ride of `activityIds` not matched yet; returns the new matches in ride
 * order. Rides are matched to their own day's workouts first, then what is left to a day either
 * side, so that an extra ride does not take the next day's workout from that day's own ride.
 */
export async function matchNewRides(
  athlete: AthleteStore,
  version: PlanVersion,
  activityIds: readonly string[],
  now: Date,
  zone: string,
): Promise<WorkoutMatch[]> {
  const span = planSpan(version);
  if (!span) return [];
  const today = zonedDate(now, zone);
  const inPlan = (date: string) => date >= addDays(span.first, -1) && date <= addDays(span.last, 1) && date <= today;
  // the streams are read only for rides the plan covers (an archive brings years of others)
  const unmatched: string[] = [];
  for (const id of activityIds) if ((await athlete.coaching.matchOf(id)) === null) unmatched.push(id);
  const candidates: StoredActivity[] = [];
  for (const id of unmatched) {
    const s = await athlete.activity(id, { streams: false });
    if (s !== null && inPlan(zonedDate(s.activity.startTime, zone))) candidates.push(s);
  }
  candidates.sort((a, b) => a.activity.startTime.getTime() - b.activity.startTime.getTime());
  const rides: StoredActivity[] = [];
  for (const s of candidates) rides.push((await athlete.activity(s.activity.id, { streams: true }))!);
  const taken = new Set((await athlete.coaching.matches()).map((m) => m.workoutKey).filter((k): k is string => k !== null));
  const history = await athlete.profileHistory();
  const matchOf = (stored: StoredActivity): WorkoutMatch => {
    const profile = profileAt(history, stored.activity.startTime);
    const ftp = profile?.ftp ?? version.ftp;
    return matchRide(rideFacts(stored, zone, profile, ftp), version.plan, ftp, taken);
  };
  const found = new Map<string, WorkoutMatch>();
  for (const sameDayOnly of [true, false]) {
    for (const stored of rides) {
      if (found.has(stored.activity.id)) continue;
      const match = matchOf(stored);
      if (sameDayOnly && match.date !== match.rideDate) continue;
      if (sameDayOnly && match.workoutKey === null) continue;
      found.set(stored.activity.id, match);
      if (match.workoutKey) taken.add(match.workoutKey);
    }
  }
  const saved: WorkoutMatch[] = [];
  for (const stored of rides) {
    const match = found.get(stored.activity.id)!;
    await athlete.coaching.saveMatch(match, version.version);
    saved.push(match);
  }
  return saved;
}
