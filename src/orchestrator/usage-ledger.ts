/**
 * What a run (or a question) spent on models: the tokens, also of attempts that failed part-way,
 * and what they cost, in the order they were spent.
 */
import type { LlmUsage } from '../llm/provider.js';

/** USD for a provider's usage; undefined when free or unknown. */
export type PriceOf = (provider: string, model: string, usage: LlmUsage) => number | undefined;

export class UsageLedger {
  private spent: LlmUsage = { inputTokens: 0, outputTokens: 0 };
  private usd = 0;

  constructor(private readonly priceOf?: PriceOf) {}

  /** Adds tokens; priced when `by` names the provider and model that spent them (the offline coach is free). */
  add(usage: LlmUsage, by?: { provider: string; model: string }): void {
    this.spent = {
      inputTokens: this.spent.inputTokens + usage.inputTokens,
      outputTokens: this.spent.outputTokens + usage.outputTokens,
    };
    if (by) this.usd += this.priceOf?.(by.provider, by.model, usage) ?? 0;
  }

  /** Every token so far. */
  get total(): LlmUsage {
    return { ...this.spent };
  }

  /** USD so far; 0 when free or unknown. */
  get cost(): number {
    return this.usd;
  }
}

/** The tokens spent between two readings of a budget's usage. */
export function usageSince(before: LlmUsage, after: LlmUsage): LlmUsage {
  return { inputTokens: after.inputTokens - before.inputTokens, outputTokens: after.outputTokens - before.outputTokens };
}
