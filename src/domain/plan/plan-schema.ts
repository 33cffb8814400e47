/**
 * The plan as JSON: a zod schema for plans proposed or edited outside the generator (an LLM tool
 * call, a hand-edited plan.json). Parsing checks shapes and ranges; validatePlan checks the rules.
 * The CLI's `--json` output and `plan.json` both parse with it.
 */
import { z } from 'zod';
import { dayNumber, WEEKDAYS } from '../calendar.js';
import { err, ok, type Result } from '../result.js';
import { MAX_PLAN_WEEKS } from './periodization.js';
import { PHASES, WORKOUT_TYPES, INTENSITIES, type Plan, type PlanViolation } from './types.js';

const isoDate = z.string().refine((value) => {
  try {
    dayNumber(value);
    return true;
  } catch {
    return false;
  }
}, 'expected a calendar date as YYYY-MM-DD');

const percent = z.number().min(0).max(400);
const seconds = z
  .number()
  .int()
  .min(1)
  .max(6 * 3600);

export const workoutStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('steady'), seconds, percentFtp: percent }),
  z.object({ kind: z.literal('ramp'), seconds, fromPercentFtp: percent, toPercentFtp: percent }),
  z.object({
    kind: z.literal('intervals'),
    repeat: z.number().int().min(1).max(200),
    on: z.object({ seconds, percentFtp: percent }),
    off: z.object({ seconds, percentFtp: percent }),
  }),
]);

export const plannedWorkoutSchema = z.object({
  id: z.string().min(1).max(120).optional(),
  name: z.string().min(1).max(200),
  type: z.enum(WORKOUT_TYPES),
  intensity: z.enum(INTENSITIES),
  durationMinutes: z
    .number()
    .positive()
    .max(12 * 60),
  tss: z.number().min(0).max(1500),
  intensityFactor: z.number().min(0).max(2),
  description: z.string().max(2000).optional(),
  steps: z.array(workoutStepSchema).min(1).max(200).optional(),
  key: z.string().min(1).max(120).optional(),
  movedFrom: isoDate.optional(),
  note: z.string().max(1000).optional(),
});

export const planDaySchema = z.object({
  date: isoDate,
  weekday: z.enum(WEEKDAYS),
  workouts: z.array(plannedWorkoutSchema).max(3),
});

export const planWeekSchema = z.object({
  week: z.number().int().min(1).max(MAX_PLAN_WEEKS),
  phase: z.enum(PHASES),
  targetTss: z.number().min(0).max(5000),
  plannedTss: z.number().min(0).max(5000),
  hours: z.number().min(0).max(168),
  targetHours: z.number().min(0).max(168).optional(),
  notes: z.array(z.string().max(1000)).max(20).optional(),
  days: z.array(planDaySchema).length(7),
});

/** A plan as JSON. Unknown keys (such as the CLI's "violations") are dropped. */
export const planSchema = z.object({
  startDate: isoDate.optional(),
  eventDate: isoDate.nullable().optional(),
  weeks: z.array(planWeekSchema).min(1).max(MAX_PLAN_WEEKS),
  notes: z.array(z.string().max(1000)).max(50).optional(),
});

function pathText(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (key === 'weeks' && typeof path[i + 1] === 'number') parts.push(`week ${(path[++i] as number) + 1}`);
    else if (key === 'days' && typeof path[i + 1] === 'number') parts.push(`day ${(path[++i] as number) + 1}`);
    else if (key === 'workouts' && typeof path[i + 1] === 'number') parts.push(`workout ${(path[++i] as number) + 1}`);
    else parts.push(String(key));
  }
  return parts.length === 0 ? 'plan' : parts.join(', ');
}

/**
 * Parses a proposal (JSON text or an already parsed value). Failures are 'schema' violations, one
 * per problem, each naming where it is (e.g. "week 2, day 3, workout 1, intensityFactor: …").
 */
export function parsePlanProposal(value: unknown): Result<Plan, PlanViolation[]> {
  let data = value;
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value);
    } catch (e) {
      return err([{ code: 'schema', message: `The plan is not valid JSON: ${e instanceof Error ? e.message : String(e)}.` }]);
    }
  }
  const parsed = planSchema.safeParse(data);
  if (!parsed.success) {
    return err(
      parsed.error.issues.slice(0, 50).map((issue) => ({ code: 'schema' as const, message: `${pathText(issue.path)}: ${issue.message}.` })),
    );
  }
  return ok(parsed.data);
}
