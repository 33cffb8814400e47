import { describe, expect, it } from 'vitest';
import { matchStatus, sessionCompliance } from '../../../../src/domain/coaching/session-compliance.js';
import type { IntervalResult } from '../../../../src/domain/coaching/types.js';

const workout = { durationMinutes: 70, tss: 66, intensityFactor: 0.75 };

function results(verdicts: IntervalResult['verdict'][]): IntervalResult[] {
  return verdicts.map((verdict, index) => ({
    index,
    percentFtp: 90,
    targetLowPercent: 88,
    targetHighPercent: 93,
    targetLow: 220,
    targetHigh: 233,
    plannedSeconds: 600,
    startSeconds: verdict === 'missed' ? null : 600 + index * 900,
    seconds: verdict === 'missed' ? 0 : 600,
    avgPower: verdict === 'missed' ? null : 225,
    avgPercentFtp: verdict === 'missed' ? null : 90,
    verdict,
  }));
}

describe('sessionCompliance', () => {
  it('puts planned against done, rounded (minutes and TSS to 0.1, IF to 0.001)', () => {
    expect(sessionCompliance(workout, { durationMinutes: 71.26, tss: 64.34, intensityFactor: 0.74449 })).toEqual({
      plannedMinutes: 70,
      doneMinutes: 71.3,
      plannedTss: 66,
      doneTss: 64.3,
      plannedIf: 0.75,
      doneIf: 0.744,
    });
  });

  it('has nothing planned for an extra ride, and no IF or TSS when the ride has none', () => {
    expect(sessionCompliance(null, { durationMinutes: 30, tss: null, intensityFactor: null })).toEqual({
      plannedMinutes: 0,
      doneMinutes: 30,
      plannedTss: 0,
      doneTss: 0,
      plannedIf: 0,
      doneIf: null,
    });
  });
});

describe('matchStatus', () => {
  const ride = { durationMinutes: 70, tss: 66, intensityFactor: 0.75 };

  it('is done from 75 % of the work intervals hit with 70 % of the TSS', () => {
    expect(matchStatus(results(['hit', 'hit', 'hit', 'under']), ride, workout, true)).toBe('done');
    expect(matchStatus(results(['hit', 'hit', 'under']), ride, workout, true)).toBe('partial');
    expect(matchStatus(results(['hit', 'hit', 'missed']), ride, workout, true)).toBe('partial');
    expect(matchStatus(results(['hit', 'hit', 'hit']), { ...ride, tss: 66 * 0.7 }, workout, true)).toBe('done');
    expect(matchStatus(results(['hit', 'hit', 'hit']), { ...ride, tss: 66 * 0.7 - 0.1 }, workout, true)).toBe('partial');
  });

  it('goes by duration and TSS for a workout without work intervals, or a ride without power', () => {
    expect(matchStatus([], { ...ride, durationMinutes: 52.5 }, workout, true)).toBe('done');
    expect(matchStatus([], { ...ride, durationMinutes: 52.4 }, workout, true)).toBe('partial');
    expect(matchStatus(results(['missed', 'missed', 'missed']), ride, workout, false)).toBe('done');
    expect(matchStatus(results(['missed', 'missed', 'missed']), { ...ride, tss: 40 }, workout, false)).toBe('partial');
  });

  it('judges a ride without a TSS on the rest', () => {
    expect(matchStatus(results(['hit', 'hit', 'hit']), { ...ride, tss: null }, workout, true)).toBe('done');
    expect(matchStatus([], { durationMinutes: 60, tss: null, intensityFactor: null }, workout, false)).toBe('done');
  });
});
