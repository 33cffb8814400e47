import { describe, expect, it } from 'vitest';
import { wholePercentages } from '../../../../src/domain/metrics/shares.js';

describe('wholePercentages (largest remainder)', () => {
  it('turns fractions into whole percentages that add up to exactly 100', () => {
    expect(wholePercentages([0.596, 0.102, 0.302])).toEqual([60, 10, 30]);
    // 33.3 each: plain rounding would print 99 %; the leftover point goes to the first.
    expect(wholePercentages([1, 1, 1])).toEqual([34, 33, 33]);
    // 66.5 / 16.5 / 17: plain rounding gives 67 + 17 + 17 = 101.
    expect(wholePercentages([0.665, 0.165, 0.17])).toEqual([67, 16, 17]);
  });
  it('takes any unit (seconds) and sums to 100 whatever the input', () => {
    const seconds = [3541, 612, 1847, 0, 13];
    const out = wholePercentages(seconds);
    expect(out.reduce((s, v) => s + v, 0)).toBe(100);
    expect(out).toEqual([59, 10, 31, 0, 0]);
  });
  it('gives zeros without a total and ignores bad values', () => {
    expect(wholePercentages([0, 0, 0])).toEqual([0, 0, 0]);
    expect(wholePercentages([Number.NaN, -3, 2])).toEqual([0, 0, 100]);
  });
});
