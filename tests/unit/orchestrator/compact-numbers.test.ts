/**
 * compactNumbers: the fact sheet's numbers rounded to what a coach would quote before it goes to
 * the model (≥ 100 whole, ≥ 10 one decimal, ≥ 1 two, below three), all the way down the tree.
 */
import { describe, expect, it } from 'vitest';
import { compactNumbers } from '../../../src/orchestrator/compact-numbers.js';

describe('compactNumbers', () => {
  it.each([
    [123.456, 123],
    [287.5, 288],
    [100.4, 100],
    [45.678, 45.7],
    [10.04, 10],
    [3.14159, 3.14],
    [1.234, 1.23],
    [0.85432, 0.854],
    [0.0004, 0],
    [2.5e-7, 0],
    [0.1 + 0.2, 0.3],
  ])('%d → %d', (value, expected) => {
    expect(compactNumbers(value)).toBe(expected);
  });

  it('picks the digits by size at each boundary, from the unrounded value', () => {
    expect(compactNumbers(99.94)).toBe(99.9); // below 100: one decimal
    expect(compactNumbers(99.96)).toBe(100); // rounds up across the boundary
    expect(compactNumbers(100.6)).toBe(101); // 100 and above: whole
    expect(compactNumbers(9.994)).toBe(9.99); // below 10: two decimals
    expect(compactNumbers(10.06)).toBe(10.1); // 10 and above: one decimal
    expect(compactNumbers(0.9994)).toBe(0.999); // below 1: three decimals
    expect(compactNumbers(1.006)).toBe(1.01); // 1 and above: two decimals
  });

  it('uses the magnitude for negative numbers (TSB, changes)', () => {
    expect(compactNumbers(-123.6)).toBe(-124);
    expect(compactNumbers(-12.26)).toBe(-12.3);
    expect(compactNumbers(-5.678)).toBe(-5.68);
    expect(compactNumbers(-0.12345)).toBe(-0.123);
  });

  it('leaves integers, large or small, exactly as they are', () => {
    expect(compactNumbers(0)).toBe(0);
    expect(compactNumbers(7)).toBe(7);
    expect(compactNumbers(-250)).toBe(-250);
    expect(compactNumbers(123_456_789)).toBe(123_456_789);
    expect(compactNumbers(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('leaves NaN and the infinities alone (toFixed would turn them into strings of no use)', () => {
    expect(compactNumbers(Number.NaN)).toBeNaN();
    expect(compactNumbers(Infinity)).toBe(Infinity);
    expect(compactNumbers(-Infinity)).toBe(-Infinity);
  });

  it('returns numbers as numbers, never strings', () => {
    expect(typeof compactNumbers(3.14159)).toBe('number');
    expect(compactNumbers([1.5, 250.4])).toStrictEqual([1.5, 250]);
  });

  it('rounds inside nested objects and arrays and keeps everything else', () => {
    const date = new Date('2026-03-08T06:30:00Z');
    const sheet = {
      athlete: { name: 'Ana', ftp: 251.7, wattsPerKg: 3.5961, goals: null, eventDate: undefined, measured: true },
      weeks: [{ week: '2026-03-02', hours: 8.456, load: 412.3, rides: 5 }],
      curve: { '5': 912.4, '1200': 286.72 },
      pmc: [[50.04, 62.31, -12.27]],
      generatedAt: date,
    };
    const out = compactNumbers(sheet);
    expect(out).toStrictEqual({
      athlete: { name: 'Ana', ftp: 252, wattsPerKg: 3.6, goals: null, eventDate: undefined, measured: true },
      weeks: [{ week: '2026-03-02', hours: 8.46, load: 412, rides: 5 }],
      curve: { '5': 912, '1200': 287 },
      pmc: [[50, 62.3, -12.3]],
      generatedAt: date,
    });
    expect(out.generatedAt).toBe(date); // a Date is kept as it is, not turned into {}
    expect(Array.isArray(out.weeks)).toBe(true);
  });

  it('does not change its input', () => {
    const input = { ctl: 50.04, list: [1.23456], inner: { tsb: -12.26 } };
    compactNumbers(input);
    expect(input).toStrictEqual({ ctl: 50.04, list: [1.23456], inner: { tsb: -12.26 } });
  });

  it('passes strings, booleans, null and undefined through', () => {
    expect(compactNumbers('12.3456')).toBe('12.3456');
    expect(compactNumbers(true)).toBe(true);
    expect(compactNumbers(null)).toBeNull();
    expect(compactNumbers(undefined)).toBeUndefined();
    expect(compactNumbers([])).toStrictEqual([]);
    expect(compactNumbers({})).toStrictEqual({});
  });
});
