/**
 * A scripted model for orchestrator unit tests: answers from a queue and records every request.
 */
import { createOfflineCoach } from '../../src/llm/offline/offline-coach.js';
import { LlmError, type LlmProvider, type LlmRequest, type LlmResponse, type LlmToolCall } from '../../src/llm/provider.js';

export type ScriptStep =
  | { text?: string; toolCalls?: Omit<LlmToolCall, 'id'>[]; usage?: { inputTokens: number; outputTokens: number } }
  | { error: LlmError }
  | ((request: LlmRequest) => LlmResponse | Promise<LlmResponse>);

export interface ScriptedProvider extends LlmProvider {
  readonly requests: LlmRequest[];
  enqueue(...steps: ScriptStep[]): void;
  pending(): number;
}

export function scriptedProvider(name = 'scripted', options: { latencyMs?: number } = {}): ScriptedProvider {
  const queue: ScriptStep[] = [];
  const requests: LlmRequest[] = [];
  let ids = 0;
  return {
    name,
    model: `${name}-model`,
    requests,
    enqueue: (...steps) => queue.push(...steps),
    pending: () => queue.length,
    async complete(request) {
      requests.push(structuredClone({ ...request, signal: undefined }));
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      const step = queue.shift();
      if (step === undefined) throw new LlmError('unavailable', `${name}: the script ran out`);
      if (typeof step === 'function') return step(request);
      if ('error' in step) throw step.error;
      const toolCalls = (step.toolCalls ?? []).map((c) => ({ ...c, id: `call_${++ids}` }));
      return {
        text: step.text ?? '',
        toolCalls,
        usage: step.usage ?? { inputTokens: 100, outputTokens: 20 },
        finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
        model: `${name}-model`,
      };
    },
    async check() {
      return { ok: true };
    },
  };
}

/**
 * The offline coach answering after `latencyMs`, as a model across the network would: a real
 * deployment's model leaves gaps in which a bot takes further updates ("an analysis is already
 * running"), which the contract suites rely on over a network transport.
 */
export function offlineCoachWithLatency(latencyMs: number): LlmProvider {
  const coach = createOfflineCoach();
  return {
    name: coach.name,
    model: coach.model,
    async complete(request) {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return coach.complete(request);
    },
    check: (signal) => coach.check(signal),
  };
}
