import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanMaximalPower, meanMaximalPowerExact, STANDARD_DURATIONS_SECONDS } from '../../../../src/domain/metrics/index.js';
import { constant } from './fixtures.js';

/** O(n²) reference: every window of every duration, then the non-increasing envelope. */
function bruteForce(power: readonly number[], durations: readonly number[]): Record<number, number> {
  const p = power.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const out: Record<number, number> = {};
  let previous = Infinity;
  for (const d of [...durations].sort((a, b) => a - b)) {
    if (d > p.length) break;
    let best = 0;
    for (let start = 0; start + d <= p.length; start++) {
      let sum = 0;
      for (let j = start; j < start + d; j++) sum += p[j]!;
      best = Math.max(best, sum / d);
    }
    previous = Math.min(previous, best);
    out[d] = previous;
  }
  return out;
}

describe('STANDARD_DURATIONS_SECONDS', () => {
  it('lists 1 s to 300 min in order', () => {
    expect(STANDARD_DURATIONS_SECONDS).toEqual([
      1, 5, 10, 15, 30, 60, 120, 180, 300, 480, 600, 720, 1200, 1800, 2700, 3600, 5400, 7200, 9000, 10800, 12600, 14400, 16200, 18000,
    ]);
  });
});

describe('meanMaximalPower', () => {
  it('finds a 10 s sprint at 1000 W inside an hour at 200 W', () => {
    const power = [...constant(1800, 200), ...constant(10, 1000), ...constant(1790, 200)];
    const curve = meanMaximalPower(power);
    expect(curve[1]).toBe(1000);
    expect(curve[5]).toBe(1000);
    expect(curve[10]).toBe(1000);
    expect(curve[15]).toBe(Math.round((10 * 1000 + 5 * 200) / 15)); // 733
    expect(curve[30]).toBe(Math.round((10 * 1000 + 20 * 200) / 30)); // 467
    expect(curve[60]).toBe(Math.round((10 * 1000 + 50 * 200) / 60)); // 333
    expect(curve[3600]).toBe(Math.round((10 * 1000 + 3590 * 200) / 3600)); // 202
    expect(curve[5400]).toBeUndefined();
    expect(Object.keys(curve).map(Number)).toEqual(STANDARD_DURATIONS_SECONDS.filter((d) => d <= 3600));
  });

  it('rounds to 1 W while the exact variant keeps the fraction', () => {
    const power = [...constant(10, 1000), ...constant(5, 200)];
    expect(meanMaximalPowerExact(power)[15]).toBeCloseTo(11000 / 15, 12);
    expect(meanMaximalPower(power)[15]).toBe(733);
  });

  it('is non-increasing in duration even where raw bests are not', () => {
    // Raw best 2 s = 5 W but raw best 3 s = 6.67 W: the envelope caps 3 s at 5 W.
    const exact = meanMaximalPowerExact([10, 0, 10], [1, 2, 3]);
    expect(exact).toEqual({ 1: 10, 2: 5, 3: 5 });
  });

  it('treats NaN as 0 W and leaves out durations longer than the ride', () => {
    expect(meanMaximalPowerExact([NaN, 100, NaN, 100], [1, 2, 4, 5])).toEqual({ 1: 100, 2: 50, 4: 50 });
    expect(meanMaximalPower([])).toEqual({});
  });

  it('matches an O(n²) brute force on random streams', () => {
    const durations = [1, 2, 3, 5, 7, 10, 15, 30, 60];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constant(Number.NaN)), { maxLength: 120 }), (power) => {
        const expected = bruteForce(power, durations);
        const actual = meanMaximalPowerExact(power, durations);
        expect(Object.keys(actual)).toEqual(Object.keys(expected));
        for (const [d, w] of Object.entries(expected)) expect(actual[Number(d)]).toBeCloseTo(w, 6);
      }),
    );
  });

  it('is monotone non-increasing on random streams at the standard durations', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 400 }), (power) => {
        const values = Object.entries(meanMaximalPower(power)).sort((a, b) => Number(a[0]) - Number(b[0])).map(([, w]) => w);
        for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
      }),
    );
  });
});
