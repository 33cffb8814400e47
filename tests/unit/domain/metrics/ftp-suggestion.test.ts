import { describe, expect, it } from 'vitest';
import { STANDARD_DURATIONS_SECONDS, suggestFtp, type SeasonPowerCurve } from '../../../../src/domain/metrics/index.js';

function season(model: (t: number) => number, durations: readonly number[]): SeasonPowerCurve {
  const out: SeasonPowerCurve = {};
  for (const t of durations) out[t] = { watts: Math.round(model(t)), activityId: `a${t}`, date: '2024-05-01' };
  return out;
}

describe('suggestFtp', () => {
  const curve = season(
    (t) => 280 + 20_000 / t,
    STANDARD_DURATIONS_SECONDS.filter((t) => t <= 3600),
  );

  it('suggests 95 % of the best 20 min and the CP, with the difference from the current FTP', () => {
    const suggestions = suggestFtp(curve, 270);
    const twenty = suggestions.find((s) => s.method === 'best-20-min')!;
    expect(twenty.watts).toBe(Math.round(0.95 * 297)); // best 20 min = round(280 + 16.7) = 297 → 282
    expect(twenty.differenceWatts).toBe(twenty.watts - 270);
    expect(twenty.differencePercent).toBeCloseTo(((twenty.watts - 270) / 270) * 100, 12);
    expect(twenty.basis).toContain('297 W');
    const cp = suggestions.find((s) => s.method === 'critical-power')!;
    expect(Math.abs(cp.watts - 280)).toBeLessThanOrEqual(2);
    expect(cp.confidence).toBe('high');
    expect(cp.basis).toMatch(/Critical power/);
  });

  it('has no difference without a current FTP and never invents a suggestion without data', () => {
    const suggestions = suggestFtp(curve, null);
    expect(suggestions).toHaveLength(2);
    for (const s of suggestions) {
      expect(s.differenceWatts).toBeNull();
      expect(s.differencePercent).toBeNull();
    }
    expect(suggestFtp({}, 250)).toEqual([]);
  });

  it('leaves out the CP suggestion when the model has no confidence', () => {
    const short = season((t) => 280 + 20_000 / t, [5, 60, 1200]);
    const suggestions = suggestFtp(short, 250);
    expect(suggestions.map((s) => s.method)).toEqual(['best-20-min']);
  });
});
