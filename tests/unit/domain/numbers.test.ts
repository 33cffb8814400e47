/** The shared rounding: `round` (toFixed, as shown everywhere) and `roundHalfUp` (Math.round, the plan's numbers). */
import { describe, expect, it } from 'vitest';
import { formatCount, round, roundHalfUp, roundOrNull } from '../../../src/domain/numbers.js';

describe('round', () => {
  it('rounds to the digits asked, half away from zero on the decimal value', () => {
    expect(round(262.4)).toBe(262);
    expect(round(3.14159, 2)).toBe(3.14);
    expect(round(-2.5)).toBe(-3);
    // 0.15 is 0.1499999… in binary: toFixed rounds it down
    expect(round(0.15, 1)).toBe(0.1);
  });

  it('roundOrNull: null for a missing or non-finite value', () => {
    expect(roundOrNull(1.26, 1)).toBe(1.3);
    expect(roundOrNull(null)).toBeNull();
    expect(roundOrNull(undefined)).toBeNull();
    expect(roundOrNull(Number.NaN)).toBeNull();
    expect(roundOrNull(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('roundHalfUp', () => {
  it('is Math.round(value × 10^digits) / 10^digits', () => {
    for (const v of [0.15, 1.005, 2.675, 42.25, 123.456789, -0.05, -1.25]) {
      expect(roundHalfUp(v, 1)).toBe(Math.round(v * 10) / 10);
      expect(roundHalfUp(v, 2)).toBe(Math.round(v * 100) / 100);
      expect(roundHalfUp(v, 3)).toBe(Math.round(v * 1000) / 1000);
    }
    expect(roundHalfUp(7.5)).toBe(8);
  });

  it('halves go up (towards +∞), and it can differ from round on a tie', () => {
    expect(roundHalfUp(0.15, 1)).toBe(0.2);
    expect(round(0.15, 1)).toBe(0.1);
    expect(roundHalfUp(-2.5)).toBe(-2);
    expect(roundHalfUp(100 * 0.65 ** 2, 2)).toBe(42.25);
  });
});

describe('formatCount', () => {
  it('writes thousands separators the same way whatever the machine locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1500)).toBe('1,500');
    expect(formatCount(26_214_400)).toBe('26,214,400');
  });
});
