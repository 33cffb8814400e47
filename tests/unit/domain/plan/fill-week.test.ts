/** fill: a week's selection with the fallbacks, and the lowered target when the hours cannot hold it. */
import { describe, expect, it } from 'vitest';
import { fill, restWeek, selectionTss } from '../../../../src/domain/plan/fill-week.js';
import { weekRequest } from './fixtures.js';

describe('fill', () => {
  it('a week that fits keeps its targets', () => {
    const filled = fill(weekRequest());
    expect(filled.lowered).toBe(false);
    expect(filled.targetTss).toBe(400);
    expect(filled.plannedHoursTarget).toBe(7.5);
    expect(filled.selection.feasible).toBe(true);
  });

  it('when the hours cannot hold the target, takes the most TSS that fits and lowers the target to it', () => {
    const filled = fill(weekRequest({ targetTss: 900, tssBand: [810, 990], targetHours: 9, maxHours: 4, availableDays: [5, 6] }));
    expect(filled.lowered).toBe(true);
    expect(filled.selection.minutes).toBeLessThanOrEqual(4 * 60);
    expect(filled.targetTss).toBe(Math.round(selectionTss(filled.selection)));
    expect(filled.targetTss).toBeLessThan(900);
    expect(filled.plannedHoursTarget).toBeCloseTo(filled.selection.minutes / 60, 12);
  });
});

describe('selectionTss', () => {
  it('sums each workout’s TSS to 0.1, as the plan states them', () => {
    const filled = fill(weekRequest());
    const expected = filled.selection.days.reduce((s, w) => s + (w ? Math.round(w.tss * 10) / 10 : 0), 0);
    expect(selectionTss(filled.selection)).toBe(expected);
  });
});

describe('restWeek', () => {
  it('no rides, a target of 0, marked lowered', () => {
    const rest = restWeek();
    expect(rest).toMatchObject({ targetTss: 0, plannedHoursTarget: 0, lowered: true });
    expect(rest.selection.days).toEqual([null, null, null, null, null, null, null]);
    expect(selectionTss(rest.selection)).toBe(0);
  });
});
