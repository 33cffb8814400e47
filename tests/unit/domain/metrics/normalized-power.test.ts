import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizedPower } from '../../../../src/domain/metrics/index.js';
import { constant, referenceNormalizedPower } from './fixtures.js';

describe('normalizedPower', () => {
  it('is exactly P for a constant P', () => {
    expect(normalizedPower(Float32Array.from(constant(3600, 250)))).toBe(250);
    expect(normalizedPower(constant(3600, 173))).toBeCloseTo(173, 9);
  });

  it('matches the hand-computed full-window value for 30 min at 100 W then 30 min at 300 W', () => {
    // 1771 windows entirely at 100 W, 1771 entirely at 300 W, and 29 straddling windows
    // holding k seconds at 300 W (k = 1..29): average (100·(30−k) + 300·k)/30.
    let sum = 1771 * 100 ** 4 + 1771 * 300 ** 4;
    for (let k = 1; k <= 29; k++) sum += ((100 * (30 - k) + 300 * k) / 30) ** 4;
    const expected = (sum / (1771 + 1771 + 29)) ** 0.25;
    const power = [...constant(1800, 100), ...constant(1800, 300)];
    expect(normalizedPower(power)).toBeCloseTo(expected, 9);
    expect(normalizedPower(power)).toBeCloseTo(referenceNormalizedPower(power)!, 9);
    expect(expected).toBeCloseTo(252.5, 0); // sanity: well above the 200 W average
  });

  it('is null for a ride shorter than 30 s and defined at exactly 30 s', () => {
    expect(normalizedPower(constant(29, 300))).toBeNull();
    expect(normalizedPower([])).toBeNull();
    expect(normalizedPower(constant(30, 300))).toBe(300);
  });

  it('counts NaN samples as 0 W', () => {
    const withGaps = [...constant(60, 200), ...constant(30, NaN), ...constant(60, 200)];
    const withZeros = [...constant(60, 200), ...constant(30, 0), ...constant(60, 200)];
    expect(normalizedPower(withGaps)).toBeCloseTo(normalizedPower(withZeros)!, 12);
    expect(normalizedPower(withGaps)).toBeLessThan(200);
    expect(normalizedPower(constant(100, NaN))).toBe(0);
  });

  it('matches the textbook loop on random streams', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 1500 }), fc.constant(Number.NaN)), { minLength: 0, maxLength: 200 }),
        (power) => {
          const expected = referenceNormalizedPower(power);
          const actual = normalizedPower(power);
          if (expected === null) expect(actual).toBeNull();
          else expect(actual).toBeCloseTo(expected, 6);
        },
      ),
    );
  });
});
