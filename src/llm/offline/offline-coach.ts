/**
 * The built-in offline coach: an LlmProvider that needs no network. It drives the same tool
 * loop as a real model — asks for the tools it needs, then writes the phase's JSON from the
 * numbers by rules — so a run without keys goes through exactly the code a model run does.
 */
import { unfence } from '../fence.js';
import type { LlmMessage, LlmProvider, LlmRequest, LlmResponse, LlmToolCall } from '../provider.js';
import { offlineAnalysis, type AnalysisFacts } from './offline-analysis.js';
import { offlinePlanningNotes, type PlanningFacts } from './offline-planning.js';

/** The offline coach's provider name and model id, as runs, answers and reports record them. */
export const OFFLINE_PROVIDER = 'offline';
export const OFFLINE_MODEL = 'rules-v1';

/** Tool results already in the conversation, by tool name (the latest wins). */
function toolResults(messages: LlmMessage[]): Map<string, { ok: boolean; value: unknown }> {
  const results = new Map<string, { ok: boolean; value: unknown }>();
  for (const m of messages) {
    if (m.role !== 'tool') continue;
    let value: unknown = m.content;
    try {
      value = unfence(m.content);
    } catch {
      // an error message, not data
    }
    results.set(m.name, { ok: !m.isError, value });
  }
  return results;
}

let callCounter = 0;
const call = (name: string, args: unknown): LlmToolCall => ({ id: `offline_${++callCounter}`, name, arguments: args });

function reply(toolCalls: LlmToolCall[], text = ''): LlmResponse {
  return {
    text,
    toolCalls,
    usage: { inputTokens: 0, outputTokens: 0 },
    finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
    model: OFFLINE_MODEL,
  };
}

function available(request: LlmRequest): Set<string> {
  return new Set((request.tools ?? []).map((t) => t.name));
}

function analysisStep(request: LlmRequest): LlmResponse {
  const results = toolResults(request.messages);
  const tools = available(request);
  const wanted = ['get_period_summary', 'get_power_curve', 'compare_periods', 'get_zone_distribution', 'get_profile'].filter(
    (t) => tools.has(t) && !results.has(t),
  );
  if (wanted.length > 0)
    return reply(
      wanted.map((name) => call(name, name === 'get_power_curve' || name === 'get_zone_distribution' ? { period: 'both' } : {})),
    );
  const value = (name: string) => (results.get(name)?.ok ? results.get(name)!.value : undefined) as never;
  const facts: AnalysisFacts = {
    summary: value('get_period_summary'),
    curve: value('get_power_curve'),
    comparison: value('compare_periods'),
    zones: value('get_zone_distribution'),
    profile: value('get_profile'),
  };
  return reply([], JSON.stringify(offlineAnalysis(facts)));
}

function planningStep(request: LlmRequest): LlmResponse {
  const results = toolResults(request.messages);
  const context = results.get('get_planning_context');
  if (!context) return reply([call('get_planning_context', {})]);
  const facts = context.value as PlanningFacts['context'];
  const proposal = results.get('propose_plan');
  if (!proposal) return reply([call('propose_plan', { focus: (facts.limiters ?? []).slice(0, 2) })]);
  const attempts = request.messages.filter((m) => m.role === 'tool' && m.name === 'propose_plan').length;
  if (!proposal.ok && attempts < 2) {
    // The engine refused the focus or the weeks: let it choose freely once.
    return reply([call('propose_plan', {})]);
  }
  const plan = proposal.ok && typeof proposal.value === 'object' ? (proposal.value as PlanningFacts['plan']) : null;
  return reply([], JSON.stringify(offlinePlanningNotes({ context: typeof facts === 'object' && facts !== null ? facts : {}, plan })));
}

export function createOfflineCoach(): LlmProvider {
  return {
    name: OFFLINE_PROVIDER,
    model: OFFLINE_MODEL,
    async complete(request) {
      // The rules are quick but synchronous: yield first, so a bot stays responsive while runs queue up.
      await new Promise((resolve) => setImmediate(resolve));
      request.signal?.throwIfAborted();
      if (request.purpose === 'performance-analysis') return analysisStep(request);
      if (request.purpose === 'training-planning') return planningStep(request);
      return reply([], '{}');
    },
    async check() {
      return { ok: true };
    },
  };
}
