import { describe, expect, it } from 'vitest';
import {
  banisterTrimp,
  banisterTrimpFromAverage,
  heartRateLoadBasis,
  heartRateTss,
  trimpCoefficients,
} from '../../../../src/domain/metrics/index.js';
import { constant } from './fixtures.js';

const athlete = { ftp: null, lthr: 170, maxHr: 190, restingHr: 50 };

describe('heartRateTss', () => {
  it('is 100 for an hour at LTHR and scales with the squared reserve ratio', () => {
    expect(heartRateTss(170, 3600, athlete)).toBeCloseTo(100, 12);
    // 1.5 h at 140 bpm: ((140 − 50) / (170 − 50))² = 0.5625 → 84.375
    expect(heartRateTss(140, 5400, athlete)).toBeCloseTo(1.5 * 0.5625 * 100, 12);
    expect(heartRateTss(40, 3600, athlete)).toBe(0);
  });

  it('estimates LTHR as 90 % of max HR and assumes a resting HR of 60 when not given, and says so', () => {
    // LTHR 171 (0.9 × 190), rest 50: an hour at 171 bpm is 100
    expect(heartRateTss(171, 3600, { ...athlete, lthr: null })).toBeCloseTo(100, 12);
    expect(heartRateLoadBasis({ ...athlete, lthr: null })).toEqual({ lthr: 171, rest: 50, estimated: true });
    // rest 60 assumed: ((140 − 60) / (170 − 60))² for an hour
    expect(heartRateTss(140, 3600, { ...athlete, restingHr: undefined })).toBeCloseTo(((140 - 60) / (170 - 60)) ** 2 * 100, 12);
    expect(heartRateLoadBasis(athlete)).toEqual({ lthr: 170, rest: 50, estimated: false });
  });

  it('is null without LTHR and max HR, duration or heart rate', () => {
    expect(heartRateTss(150, 3600, { ...athlete, lthr: null, maxHr: null })).toBeNull();
    expect(heartRateTss(null, 3600, athlete)).toBeNull();
    expect(heartRateTss(150, null, athlete)).toBeNull();
    expect(heartRateTss(150, 3600, { ...athlete, lthr: 50 })).toBeNull();
  });
});

describe('Banister TRIMP', () => {
  it('uses 0.64·e^(1.92x) for men, 0.86·e^(1.67x) for women, men’s when unknown', () => {
    expect(trimpCoefficients('male')).toEqual({ a: 0.64, b: 1.92 });
    expect(trimpCoefficients('female')).toEqual({ a: 0.86, b: 1.67 });
    expect(trimpCoefficients(null)).toEqual({ a: 0.64, b: 1.92 });
    expect(trimpCoefficients(undefined)).toEqual({ a: 0.64, b: 1.92 });
  });

  it('60 min at HRr 0.5: 60 × 0.5 × 0.64 × e^0.96 (male) and 60 × 0.5 × 0.86 × e^0.835 (female)', () => {
    const hr = constant(3600, 120); // (120 − 50) / (190 − 50) = 0.5
    const male = 60 * 0.5 * 0.64 * Math.exp(1.92 * 0.5);
    const female = 60 * 0.5 * 0.86 * Math.exp(1.67 * 0.5);
    expect(banisterTrimp(hr, athlete)).toBeCloseTo(male, 8);
    expect(banisterTrimp(hr, { ...athlete, sex: 'male' })).toBeCloseTo(male, 8);
    expect(banisterTrimp(hr, { ...athlete, sex: 'female' })).toBeCloseTo(female, 8);
    expect(banisterTrimpFromAverage(120, 3600, athlete)).toBeCloseTo(male, 10);
  });

  it('integrates sample by sample and skips missing readings', () => {
    const hr = [...constant(1800, 120), ...constant(600, NaN), ...constant(1800, 190)];
    const expected = 30 * 0.5 * 0.64 * Math.exp(0.96) + 30 * 1 * 0.64 * Math.exp(1.92);
    expect(banisterTrimp(hr, athlete)).toBeCloseTo(expected, 8);
  });

  it('is null without resting or max HR, or without readings', () => {
    expect(banisterTrimp(constant(60, 120), { ...athlete, maxHr: null })).toBeNull();
    expect(banisterTrimp(constant(60, 120), { ...athlete, restingHr: null })).toBeNull();
    expect(banisterTrimp(constant(60, NaN), athlete)).toBeNull();
    expect(banisterTrimpFromAverage(null, 3600, athlete)).toBeNull();
  });
});
