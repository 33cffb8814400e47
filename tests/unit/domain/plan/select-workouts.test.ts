/** selectWeek: the week's workouts, inside the TSS and hours bands when the library allows. */
import { describe, expect, it } from 'vitest';
import { selectWeek } from '../../../../src/domain/plan/index.js';
import { weekRequest } from './fixtures.js';

describe('selectWeek', () => {
  it('fills the roles with workouts inside both bands', () => {
    const selection = selectWeek(weekRequest());
    expect(selection.feasible).toBe(true);
    expect(selection.tss).toBeGreaterThanOrEqual(360);
    expect(selection.tss).toBeLessThanOrEqual(440);
    expect(selection.minutes).toBeGreaterThanOrEqual(0.9 * 7.5 * 60);
    expect(selection.minutes).toBeLessThanOrEqual(9 * 60);
    expect(selection.roles).toEqual([null, 'hard', null, 'moderate', null, 'hard', 'long']);
    expect(selection.days.map((w) => w !== null)).toEqual([false, true, false, true, false, true, true]);
    const structured = selection.days.filter((w) => w !== null && w.type !== 'endurance').map((w) => w!.id);
    expect(new Set(structured).size).toBe(structured.length);
  });

  it('the tss and minutes are the chosen workouts’ sums', () => {
    const selection = selectWeek(weekRequest({ targetTss: 300, tssBand: [270, 330], targetHours: 6 }));
    const chosen = selection.days.filter((w) => w !== null);
    expect(selection.tss).toBeCloseTo(
      chosen.reduce((s, w) => s + w!.tss, 0),
      9,
    );
    expect(selection.minutes).toBeCloseTo(
      chosen.reduce((s, w) => s + w!.durationSeconds / 60, 0),
      9,
    );
  });

  it('not feasible when the hours cannot hold the target', () => {
    const selection = selectWeek(weekRequest({ targetTss: 900, tssBand: [810, 990], targetHours: 9, maxHours: 4, availableDays: [5, 6] }));
    // (fill-week.ts then lowers the target to what fits)
    expect(selection.feasible).toBe(false);
  });
});
