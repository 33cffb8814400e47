import { describe, expect, it } from 'vitest';
import { ANTHROPIC_PRICES_PER_MILLION, anthropicCostUsd, anthropicPriceFor } from '../../../../src/llm/anthropic/anthropic-provider.js';

describe('Anthropic prices', () => {
  it('covers the models the project names', () => {
    for (const model of ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5', 'claude-sonnet-5-5', 'claude-opus-5-5']) {
      expect(ANTHROPIC_PRICES_PER_MILLION[model], model).toBeDefined();
    }
  });

  it('prices output above input for every model', () => {
    for (const [model, price] of Object.entries(ANTHROPIC_PRICES_PER_MILLION)) {
      expect(price.output, model).toBeGreaterThan(price.input);
      expect(price.input, model).toBeGreaterThan(0);
    }
  });

  it('resolves dated snapshots to their alias', () => {
    expect(anthropicPriceFor('claude-haiku-4-5-20251001')).toEqual(ANTHROPIC_PRICES_PER_MILLION['claude-haiku-4-5']);
    expect(anthropicPriceFor('claude-unknown-1')).toBeUndefined();
  });

  it('computes a call cost in USD from usage', () => {
    // Haiku 4.5 at $1 in / $5 out per million: 200k in + 10k out = $0.20 + $0.05.
    expect(anthropicCostUsd('claude-haiku-4-5', { inputTokens: 200_000, outputTokens: 10_000 })).toBeCloseTo(0.25, 10);
    expect(anthropicCostUsd('claude-unknown-1', { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
  });
});
