import { describe, expect, it } from 'vitest';
import { phaseSequence, planRules, rampCeiling, snapToMonday, weekdayIndex, type PlanInput } from '../../../../src/domain/plan/index.js';

const short = (phases: string[]): string =>
  phases.map((p) => ({ base: 'B', build: 'U', peak: 'P', taper: 'T', recovery: 'r' })[p]).join('');

describe('periodization', () => {
  it('snaps a start date forward to a Monday', () => {
    expect(weekdayIndex('2025-03-03')).toBe(0); // a Monday
    expect(snapToMonday('2025-03-03')).toBe('2025-03-03');
    expect(snapToMonday('2025-03-04')).toBe('2025-03-10');
    expect(snapToMonday('2025-03-09')).toBe('2025-03-10');
    expect(snapToMonday('2024-12-31')).toBe('2025-01-06');
  });

  it('without an event: base then build, a recovery week every 4th week, no taper', () => {
    expect(short(phaseSequence(4, false, 4))).toBe('BBUr');
    expect(short(phaseSequence(8, false, 4))).toBe('BBBrUUUr');
    expect(short(phaseSequence(12, false, 4))).toBe('BBBrBBUrUUUr');
    // Masters (50+): every 3rd week.
    expect(short(phaseSequence(9, false, 3))).toBe('BBrBUrUUr');
  });

  it('with an event: the taper ends on the event week (2 weeks from 10 weeks up), peak before it', () => {
    expect(short(phaseSequence(4, true, 4))).toBe('BUPT');
    expect(short(phaseSequence(5, true, 4))).toBe('BUrPT'); // 4 load weeks in a row before the taper: recovery moves to week 3
    expect(short(phaseSequence(9, true, 4))).toBe('BBBrUUrPT');
    expect(short(phaseSequence(12, true, 4))).toBe('BBBrUUUrPPTT');
    expect(short(phaseSequence(24, true, 4))).toBe('BBBrBBBrBBUrUUUrUUUrPPTT');
  });

  it('never more than 3 load weeks in a row, never a recovery week right before the taper', () => {
    for (let weeks = 4; weeks <= 24; weeks++) {
      for (const hasEvent of [false, true]) {
        for (const every of [3, 4]) {
          const s = short(phaseSequence(weeks, hasEvent, every));
          expect(s, s).not.toMatch(/[BUP]{4}/);
          expect(s).not.toMatch(/rT/);
          if (hasEvent) expect(s).toMatch(/T$/);
          else expect(s).not.toMatch(/[PT]/);
        }
      }
    }
  });

  it('ramp ceiling: 7 × (max(CTL, 15) + cap × week), cap 5, or 3 below CTL 30', () => {
    const input = (ctl: number): PlanInput => ({
      ftp: 250,
      weeklyHours: 8,
      trainingDays: ['tue'],
      planWeeks: 8,
      startDate: '2025-03-05',
      fitness: { ctl },
    });
    const fit = planRules(input(50));
    expect(fit.startDate).toBe('2025-03-10');
    expect(rampCeiling(fit, 1)).toBe(7 * 55);
    const low = planRules(input(20));
    expect(rampCeiling(low, 2)).toBe(7 * 26);
    expect(rampCeiling(planRules(input(0)), 1)).toBe(7 * 18);
    expect(planRules({ ...input(50), eventDate: '2025-05-25' }).weeks).toBe(11);
  });
});
