/**
 * Which model: the configured provider (or the CLI's override), the offline coach beside it as
 * the stand-in, and what their tokens cost.
 */
import type { Config } from '../config.js';
import { anthropicCostUsd, createAnthropicProvider } from '../llm/anthropic/anthropic-provider.js';
import { createOfflineCoach } from '../llm/offline/offline-coach.js';
import { createOllamaProvider } from '../llm/ollama/ollama-provider.js';
import type { LlmProvider, LlmUsage } from '../llm/provider.js';
import type { Prompts } from '../orchestrator/prompts.js';
import { Orchestrator } from '../orchestrator/orchestrator.js';
import { renderReports } from '../report/render.js';
import type { Store } from '../store/store.js';

export type ProviderName = Config['llm']['provider'];

export function createProvider(config: Config, override: { provider?: ProviderName; model?: string } = {}): LlmProvider {
  const name = override.provider ?? config.llm.provider;
  switch (name) {
    case 'anthropic':
      return createAnthropicProvider({
        apiKey: config.llm.anthropicApiKey,
        model: override.model ?? config.llm.anthropicModel,
        timeoutMs: config.llm.timeoutMs,
        ...(config.llm.anthropicBaseUrl ? { baseURL: config.llm.anthropicBaseUrl } : {}),
      });
    case 'ollama':
      return createOllamaProvider({
        host: config.llm.ollamaHost,
        model: override.model ?? config.llm.ollamaModel,
        timeoutMs: config.llm.timeoutMs,
      });
    default:
      return createOfflineCoach();
  }
}

/** USD for a provider's usage: Anthropic by its price table; Ollama and the offline coach are free. */
export function priceOf(provider: string, model: string, usage: LlmUsage): number | undefined {
  return provider === 'anthropic' ? anthropicCostUsd(model, usage) : 0;
}

/** The orchestrator as the CLI and the bots use it: the offline coach beside the provider, prices, the budget. */
export function createOrchestrator(config: Config, store: Store, provider: LlmProvider, prompts: Prompts, clock: () => Date): Orchestrator {
  return new Orchestrator({
    store,
    provider,
    offline: createOfflineCoach(),
    prompts,
    clock,
    renderReports,
    priceOf,
    tokenBudget: config.runs.tokenBudget,
  });
}
