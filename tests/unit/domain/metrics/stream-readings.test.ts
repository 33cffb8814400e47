/** readingMean: the mean of a stream's readings (finite, above 0), the shared core of average power and heart rate. */
import { describe, expect, it } from 'vitest';
import { readingMean } from '../../../../src/domain/metrics/stream-readings.js';

describe('readingMean', () => {
  const samples = [100, Number.NaN, 0, -5, 200, 300];

  it('leaves samples without a reading out by default', () => {
    expect(readingMean(samples)).toBe(200);
  });

  it('with countGaps, counts them as 0 in the denominator', () => {
    expect(readingMean(samples, 0, samples.length, true)).toBe(100);
  });

  it('averages over [from, to) only', () => {
    expect(readingMean(samples, 4, 6)).toBe(250);
    expect(readingMean(samples, 0, 1)).toBe(100);
  });

  it('null when nothing is counted', () => {
    expect(readingMean([])).toBeNull();
    expect(readingMean([Number.NaN, 0, -1])).toBeNull();
    expect(readingMean([Number.NaN, 0], 0, 2, true)).toBe(0);
    expect(readingMean([], 0, 0, true)).toBeNull();
  });
});
