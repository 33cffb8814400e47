/**
 * The athlete's fitness, fatigue and form today (CTL, ATL, TSB) from the stored rides, each judged
 * by the profile valid on its date, days counted in the athlete's zone: what the coaching loop's
 * adaptations and the check-in read.
 */
import { zonedDate } from '../../domain/calendar.js';
import { performanceManagementChart } from '../../domain/metrics/pmc.js';
import { dailyLoads, rideLoads } from '../../domain/training-load.js';
import type { AthleteStore } from '../../store/store.js';

export interface FitnessToday {
  ctl: number;
  atl: number;
  tsb: number;
}

/** CTL/ATL at the end of today, and today's form (0 before the first ride). */
export async function fitnessOn(athlete: AthleteStore, now: Date, zone: string): Promise<FitnessToday> {
  const today = zonedDate(now, zone);
  const stored = await athlete.activitiesBetween(new Date(0), new Date(now.getTime() + 1));
  const history = await athlete.profileHistory();
  const daily = dailyLoads(
    rideLoads(
      stored.map((s) => s.activity),
      history,
    ),
    (a) => zonedDate(a.startTime, zone),
  );
  if (daily.length === 0) return { ctl: 0, atl: 0, tsb: 0 };
  const start = daily[0]!.date;
  const end = today < start ? start : today;
  const last = performanceManagementChart(daily, { start, end }).at(-1);
  // TSB as GoldenCheetah: form going into the day, yesterday's CTL − ATL
  return { ctl: last?.ctl ?? 0, atl: last?.atl ?? 0, tsb: last?.tsb ?? 0 };
}
