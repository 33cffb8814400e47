/**
 * Training load per ride and per day, each ride judged by the profile valid on its own date:
 * when FTP changes mid-period, rides before the change use the old FTP and rides after it the new,
 * and rides older than the first FTP given use that first one (`profileAt` resolves each field).
 */
import type { Activity } from './activity.js';
import { utcDate } from './calendar.js';
import { computeActivityMetrics, type ActivityMetrics } from './metrics/activity-metrics.js';
import type { DailyLoad } from './metrics/pmc.js';
import { athleteContext, profileAt, type ProfileVersion } from './profile.js';

export interface RideLoad {
  activity: Activity;
  /** The profile version the ride was measured against (null when there is no profile). */
  profile: ProfileVersion | null;
  metrics: ActivityMetrics;
}

export function rideLoads(activities: readonly Activity[], history: readonly ProfileVersion[]): RideLoad[] {
  return activities.map((activity) => {
    const profile = profileAt(history, activity.startTime);
    return { activity, profile, metrics: computeActivityMetrics(activity, athleteContext(profile)) };
  });
}

/** Daily load (TSS, else hrTSS) for the PMC; the day is the UTC date unless `dayOf` says otherwise. */
export function dailyLoads(loads: readonly RideLoad[], dayOf: (activity: Activity) => string = (a) => utcDate(a.startTime)): DailyLoad[] {
  const byDay = new Map<string, number>();
  for (const { activity, metrics } of loads) {
    if (metrics.load === null) continue;
    const day = dayOf(activity);
    byDay.set(day, (byDay.get(day) ?? 0) + metrics.load);
  }
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, load]) => ({ date, load }));
}
