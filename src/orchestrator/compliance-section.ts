/**
 * The reports' compliance section from the store: the athlete's plan versions and ride matches,
 * each workout's state (plan-state.ts) and the summary (compliance-summary.ts) as of the athlete's
 * local day. Two queries whatever the number of versions and rides.
 */
import { zonedDate } from '../domain/calendar.js';
import { complianceSummary, type ComplianceSummary } from '../domain/coaching/compliance-summary.js';
import { droppedWorkouts, workoutStatuses } from '../domain/coaching/plan-state.js';
import type { AthleteStore } from '../store/store.js';

/** The compliance of the athlete's current plan on the day of `now` in their zone; null without a current plan. */
export async function complianceSection(athlete: AthleteStore, now: Date): Promise<ComplianceSummary | null> {
  const versions = await athlete.coaching.planVersions();
  const current = versions.at(-1);
  if (!current) return null;
  const { timeZone } = await athlete.info();
  const today = zonedDate(now, timeZone);
  const matches = await athlete.coaching.matches();
  return complianceSummary({
    versions,
    matches,
    // missed sessions an adaptation dropped still count as planned and missed
    statuses: workoutStatuses(
      current.plan,
      matches,
      today,
      droppedWorkouts(versions).filter((d) => d.missed),
    ),
    today,
    timeZone,
  });
}
