/**
 * Athletes whose latest analysis made a plan before the coaching loop existed have no plan
 * version: on first use that plan becomes version 1, its input rebuilt from the profile of the
 * day it starts, the plan's own length and event, and the fitness run.json recorded. (A plan that
 * does not pass the validator against the rebuilt input is still followed; adaptations then add
 * no new violation.)
 */
import type { PlanVersion } from '../../domain/coaching/types.js';
import { planInputFromProfile, planSchema } from '../../domain/plan/index.js';
import { EMPTY_PROFILE } from '../../domain/profile.js';
import type { AthleteStore } from '../../store/store.js';
import { PLAN_FILE, type RunJson } from '../run-result.js';
import { adoptPlan } from './adopt.js';

const json = (content: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(content));

/** The latest analysis's plan as the current plan, when there is one and no version yet. */
export async function adoptLegacyPlan(athlete: AthleteStore): Promise<PlanVersion | null> {
  const run = await athlete.latestReportedRun();
  const file = await athlete.latestReportedFile(PLAN_FILE);
  if (!run || !file) return null;
  const parsed = planSchema.safeParse(json(file.content));
  if (!parsed.success) return null;
  const plan = parsed.data;
  const start = plan.startDate ?? plan.weeks[0]!.days[0]!.date;
  const runJson = await athlete.reportFile(run.id, 'run.json');
  const fitness = runJson ? (json(runJson.content) as RunJson).fitness : null;
  const profile = (await athlete.profileAt(new Date(`${start}T12:00:00Z`))) ?? EMPTY_PROFILE;
  const { displayName } = await athlete.info();
  const input = planInputFromProfile(
    { ...profile, name: displayName },
    { ctl: fitness?.ctl ?? 0, atl: fitness?.atl ?? fitness?.ctl ?? 0 },
    start,
    { planWeeks: plan.weeks.length, eventDate: plan.eventDate ?? null },
  );
  if (!input.ok) return null;
  return adoptPlan(athlete, { plan, input: input.value, runId: run.id, reason: 'The plan of your latest analysis' });
}
