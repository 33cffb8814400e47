/**
 * The usage ledger: every token counted (the offline coach's and failed attempts' too), priced only
 * when the provider and model that spent them are named, in the order they were spent.
 */
import { describe, expect, it } from 'vitest';
import type { LlmUsage } from '../../../src/llm/provider.js';
import { UsageLedger, usageSince } from '../../../src/orchestrator/usage-ledger.js';

describe('UsageLedger', () => {
  it('adds tokens and prices them by provider and model', () => {
    const priced: [string, string, LlmUsage][] = [];
    const ledger = new UsageLedger((provider, model, usage) => {
      priced.push([provider, model, usage]);
      return provider === 'anthropic' ? (usage.inputTokens + usage.outputTokens) / 1000 : undefined;
    });
    ledger.add({ inputTokens: 1000, outputTokens: 500 }, { provider: 'anthropic', model: 'claude-x' });
    ledger.add({ inputTokens: 0, outputTokens: 0 });
    ledger.add({ inputTokens: 200, outputTokens: 300 }, { provider: 'ollama', model: 'llama' });
    expect(ledger.total).toEqual({ inputTokens: 1200, outputTokens: 800 });
    expect(ledger.cost).toBeCloseTo(1.5, 12);
    expect(priced.map(([p, m]) => `${p}/${m}`)).toEqual(['anthropic/claude-x', 'ollama/llama']);
  });

  it('is free without a price list, and its total is a copy', () => {
    const ledger = new UsageLedger();
    ledger.add({ inputTokens: 5, outputTokens: 7 }, { provider: 'anthropic', model: 'm' });
    const total = ledger.total;
    total.inputTokens = 99;
    expect(ledger.total).toEqual({ inputTokens: 5, outputTokens: 7 });
    expect(ledger.cost).toBe(0);
  });

  it('usageSince is the tokens between two readings', () => {
    expect(usageSince({ inputTokens: 10, outputTokens: 4 }, { inputTokens: 25, outputTokens: 9 })).toEqual({
      inputTokens: 15,
      outputTokens: 5,
    });
  });
});
