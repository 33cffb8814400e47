/**
 * A model phase: the configured provider first; on any provider or loop failure a fresh
 * conversation with the offline coach. Each phase starts from its own inputs only. The tokens the
 * provider spent before failing are paid for too.
 */
import type { LlmProvider, LlmUsage } from '../../llm/provider.js';
import { PHASE_TITLES } from '../events.js';
import { withOfflineFallback, type ModelFailure } from '../offline-fallback.js';
import { systemPrompt } from '../prompts.js';
import type { RunContext } from '../run-context.js';
import { RunFailure } from '../run-failure.js';
import type { analysisSchema, planningSchema } from '../schemas.js';
import { runToolLoop, TokenBudget, type Tool, type ToolLoopResult } from '../tool-loop.js';
import { usageSince } from '../usage-ledger.js';
import type { PhaseOutcome } from './run-phase.js';

export type ModelPhaseName = 'performance-analysis' | 'training-planning';

/** What a model phase asks: the user message, a fresh set of tools per conversation, the answer's schema. */
export interface ModelPhaseRequest {
  name: ModelPhaseName;
  user: string;
  tools: () => Tool[];
  output: typeof analysisSchema | typeof planningSchema;
}

function converse<T>(ctx: RunContext, provider: LlmProvider, phase: ModelPhaseRequest): Promise<ToolLoopResult<T>> {
  const { deps, request, runId } = ctx;
  return runToolLoop({
    provider,
    system: systemPrompt(deps.prompts, phase.name),
    user: phase.user,
    tools: phase.tools(),
    output: phase.output as never,
    purpose: phase.name,
    // The offline coach costs nothing: it has a budget of its own, so a model that used the run's
    // budget up still gets a stand-in rather than a failed run.
    budget: provider === deps.offline ? new TokenBudget(Number.POSITIVE_INFINITY) : ctx.budget,
    maxSteps: deps.maxStepsPerPhase ?? 8,
    ...(request.signal ? { signal: request.signal } : {}),
    onStep: ({ toolCalls }) =>
      ctx.emit({
        type: 'phase-progress',
        runId,
        phase: phase.name,
        message: toolCalls.length > 0 ? `looking at ${toolCalls.map((t) => t.replace(/_/g, ' ')).join(', ')}` : 'writing',
      }),
  }) as Promise<ToolLoopResult<T>>;
}

/** The configured provider's answer, its tokens priced at the model that answered. */
async function primaryAnswer<T>(ctx: RunContext, phase: ModelPhaseRequest): Promise<PhaseOutcome<T>> {
  const primary = ctx.deps.provider;
  const result = await converse<T>(ctx, primary, phase);
  ctx.ledger.add(result.usage, { provider: primary.name, model: result.model });
  ctx.model = result.model;
  return {
    value: result.value,
    record: { status: 'done', inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, provider: primary.name },
  };
}

/** The offline coach's answer after the provider failed (the offline coach failing itself fails the run). */
async function standIn<T>(ctx: RunContext, phase: ModelPhaseRequest, failure: ModelFailure, before: LlmUsage): Promise<PhaseOutcome<T>> {
  const { provider: primary, offline } = ctx.deps;
  const failedSpend = usageSince(before, ctx.budget.usage);
  ctx.ledger.add(failedSpend, { provider: primary.name, model: primary.model });
  if (primary.name === offline.name)
    throw new RunFailure('offline-coach-failed', `The offline coach failed in ${PHASE_TITLES[phase.name]}: ${failure.message}`, ctx.runId, {
      cause: failure,
    });
  const note = `${primary.name} failed (${failure.code}): ${failure.message} — the offline coach stood in.`;
  const result = await converse<T>(ctx, offline, phase);
  ctx.ledger.add(result.usage);
  return {
    value: result.value,
    record: {
      status: 'degraded',
      inputTokens: result.usage.inputTokens + failedSpend.inputTokens,
      outputTokens: result.usage.outputTokens + failedSpend.outputTokens,
      provider: offline.name,
      note,
    },
  };
}

/** Runs one model phase; the budget's reading before it tells what a failed attempt spent. */
export function modelPhase<T>(ctx: RunContext, phase: ModelPhaseRequest): Promise<PhaseOutcome<T>> {
  const before = ctx.budget.usage;
  return withOfflineFallback(
    () => primaryAnswer<T>(ctx, phase),
    (failure) => standIn<T>(ctx, phase, failure, before),
    ctx.request.signal,
  );
}
