/**
 * A plan becomes the athlete's current plan: a new version, every workout keyed, with the input it
 * was made from (what the validator re-checks each adaptation against).
 */
import { withWorkoutKeys } from '../../domain/coaching/plan-keys.js';
import type { PlanChange, PlanVersion } from '../../domain/coaching/types.js';
import type { Plan, PlanInput } from '../../domain/plan/types.js';
import type { AthleteStore } from '../../store/store.js';

/** A plan an analysis (or a new event list) made becomes the current plan: a new version, every workout keyed. */
export async function adoptPlan(
  athlete: AthleteStore,
  made: { plan: Plan; input: PlanInput; runId: string | null; reason?: string; kind?: PlanChange['kind'] },
): Promise<PlanVersion> {
  const text = `A new plan of ${made.plan.weeks.length} weeks from ${made.plan.weeks[0]?.days[0]?.date ?? made.input.startDate}.`;
  return athlete.coaching.savePlanVersion({
    reason: made.reason ?? 'New analysis',
    changes: [{ kind: made.kind ?? 'new-plan', text }],
    plan: withWorkoutKeys(made.plan),
    ftp: made.input.ftp,
    sourceRunId: made.runId,
    input: made.input,
  });
}
