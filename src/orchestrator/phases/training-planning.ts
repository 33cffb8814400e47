/**
 * Phase 3, training planning: the model (or the offline coach) proposes a plan through the
 * planning tools, which the engine builds and checks; when no proposal was accepted the engine
 * builds one with its defaults. Skipped when the request asks for no plan.
 */
import { POWER_ABILITIES, type Plan, type PlanInput, type PowerAbility } from '../../domain/plan/index.js';
import { EMPTY_PROFILE } from '../../domain/profile.js';
import { fenceData } from '../../llm/fence.js';
import type { FactSheetDetail } from '../fact-sheet.js';
import { fitnessAtPlanStart } from '../plan-start.js';
import { planningProfile } from '../planning-profile.js';
import { planningTools, PlanState, type PlanningContext } from '../planning-tools.js';
import type { RunContext } from '../run-context.js';
import { planningSchema, type Analysis, type PlanningNotes } from '../schemas.js';
import { modelPhase } from './model-phase.js';
import { runPhase, skipPhase } from './run-phase.js';

/** The phase's product; all null when it was skipped. */
export interface Planning {
  plan: Plan | null;
  /** What the plan was generated from (the coaching loop re-checks adaptations against it). */
  input: PlanInput | null;
  notes: PlanningNotes | null;
  /** What the plan was built from (its fitness projects the plan's PMC). */
  context: PlanningContext | null;
}

async function planningContext(ctx: RunContext, detail: FactSheetDetail, analysis: Analysis): Promise<PlanningContext> {
  const { request } = ctx;
  const effective = planningProfile(detail, (await ctx.athlete.currentProfile()) ?? EMPTY_PROFILE, request.planStartDate, ctx.warnings);
  const limiters = analysis.limiters
    .map((l) => l.area)
    .filter((a): a is PowerAbility => (POWER_ABILITIES as readonly string[]).includes(a));
  return {
    profile: { ...effective, name: detail.sheet.athlete.name },
    fitness: fitnessAtPlanStart(detail, request.planStartDate, ctx.warnings),
    limiters: [...new Set(limiters)],
    strengths: [],
    startDate: request.planStartDate,
    planWeeks: request.planWeeks ?? effective.planWeeks ?? null,
    analysisSummary: analysis.summary,
    recommendations: analysis.recommendations.shortTerm,
  };
}

/** The model wrote its notes without an accepted proposal: the engine builds the plan with its defaults. */
async function planByEngine(context: PlanningContext, state: PlanState, warnings: RunContext['warnings']): Promise<void> {
  const propose = planningTools(context, state).find((t) => t.name === 'propose_plan')!;
  try {
    await propose.run({});
    warnings.push({ code: 'plan-by-engine', message: 'The model proposed no plan: the engine built one from your profile and fitness.' });
  } catch (error) {
    warnings.push({
      code: 'no-plan',
      message: `No plan could be built from the profile: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

export async function planTraining(ctx: RunContext, detail: FactSheetDetail, analysis: Analysis): Promise<Planning> {
  if (ctx.request.skipPlan) {
    skipPhase(ctx, 'training-planning');
    return { plan: null, input: null, notes: null, context: null };
  }
  const context = await planningContext(ctx, detail, analysis);
  const state = new PlanState();
  const user = [
    `Build the next training block for this athlete, starting ${ctx.request.planStartDate}.`,
    fenceData('Analysis of the last period', {
      summary: analysis.summary,
      limiters: analysis.limiters,
      recommendations: analysis.recommendations,
    }),
  ].join('\n\n');
  // each conversation (the model's, the stand-in's) starts without a plan
  const tools = () => {
    state.plan = null;
    return planningTools(context, state);
  };
  return runPhase(ctx, 'training-planning', 2, async () => {
    const out = await modelPhase<PlanningNotes>(ctx, { name: 'training-planning', user, tools, output: planningSchema });
    if (state.plan === null) await planByEngine(context, state, ctx.warnings);
    return { value: { plan: state.plan, input: state.plan ? state.input : null, notes: out.value, context }, record: out.record };
  });
}
