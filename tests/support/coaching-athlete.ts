/**
 * An athlete in Berlin with FTP 250 whose current plan is the generated one from Monday 21
 * September 2026: the chat tests of the coaching loop set the athlete up through the store with it.
 */
import { generatePlan, type PlanInput } from '../../src/domain/plan/index.js';
import type { PlanVersion } from '../../src/domain/coaching/types.js';
import { adoptPlan } from '../../src/orchestrator/coaching/adopt.js';
import type { AthleteStore } from '../../src/store/store.js';

export const COACHING_ZONE = 'Europe/Berlin';
export const COACHING_FTP = 250;
export const COACHING_INPUT: PlanInput = {
  ftp: COACHING_FTP,
  weeklyHours: 8,
  trainingDays: ['tue', 'wed', 'fri', 'sat', 'sun'],
  planWeeks: 8,
  startDate: '2026-09-21',
  fitness: { ctl: 45, lastRideDate: '2026-09-20', limiters: ['threshold'] },
};

/** The zone and profile on the athlete, then the plan generated from COACHING_INPUT adopted as the current plan. */
export async function withCoachingPlan(athlete: AthleteStore, now: Date): Promise<PlanVersion> {
  const input = COACHING_INPUT;
  await athlete.update({ timeZone: COACHING_ZONE });
  await athlete.updateProfile(
    { ftp: COACHING_FTP, weightKg: 70, trainingDays: [...input.trainingDays], weeklyHours: input.weeklyHours },
    now,
  );
  const made = generatePlan(input);
  if (!made.ok) throw new Error(made.error.map((v) => v.message).join('\n'));
  return adoptPlan(athlete, { plan: made.value, input, runId: null });
}
