/**
 * planWeek: the week of the plan that holds `today` (what /plan and the summary show), the
 * first one before the plan starts, the next one with an offset, and none after its end.
 */
import { describe, expect, it } from 'vitest';
import { planWeek } from '../../../../src/conversation/messages/plan.js';
import type { Plan, PlanWeek } from '../../../../src/domain/plan/types.js';
import { WEEKDAYS } from '../../../../src/domain/calendar.js';

/** Seven days from a Monday, dates written out by UTC arithmetic (no local time zone involved). */
function week(n: number, monday: string): PlanWeek {
  const start = Date.parse(`${monday}T00:00:00Z`);
  return {
    week: n,
    phase: 'base',
    targetTss: 300,
    plannedTss: 300,
    hours: 6,
    days: WEEKDAYS.map((weekday, i) => ({ date: new Date(start + i * 86_400_000).toISOString().slice(0, 10), weekday, workouts: [] })),
  };
}

// Four weeks across the change to summer time in Europe (Sunday 2026-03-29) and a month end.
const plan: Plan = {
  startDate: '2026-03-09',
  weeks: [week(1, '2026-03-09'), week(2, '2026-03-16'), week(3, '2026-03-23'), week(4, '2026-03-30')],
};

describe('planWeek', () => {
  it('the fixture is what it says: Monday to Sunday, contiguous', () => {
    expect(plan.weeks[2]!.days.map((d) => d.date)).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ]);
    expect(plan.weeks[3]!.days[6]!.date).toBe('2026-04-05');
  });

  it.each([
    ['2026-03-09', 1], // first Monday
    ['2026-03-15', 1], // first Sunday
    ['2026-03-16', 2], // the Monday after
    ['2026-03-29', 3], // the DST Sunday
    ['2026-03-30', 4],
    ['2026-03-31', 4], // month end inside a week
    ['2026-04-01', 4],
    ['2026-04-05', 4], // the plan's last day
  ])('on %s it is week %i', (today, n) => {
    expect(planWeek(plan, today)?.week).toBe(n);
  });

  it("returns the plan's own week object, not a copy", () => {
    expect(planWeek(plan, '2026-03-18')).toBe(plan.weeks[1]);
  });

  it('before the plan starts it is the first week (the day before, or months before)', () => {
    expect(planWeek(plan, '2026-03-08')).toBe(plan.weeks[0]);
    expect(planWeek(plan, '2025-12-31')).toBe(plan.weeks[0]);
  });

  it("after the plan's last day there is no week", () => {
    expect(planWeek(plan, '2026-04-06')).toBeNull();
    expect(planWeek(plan, '2027-01-01')).toBeNull();
  });

  it('offset 1 is the week after the one that holds today, also before the plan starts', () => {
    expect(planWeek(plan, '2026-03-15', 1)).toBe(plan.weeks[1]);
    expect(planWeek(plan, '2026-03-16', 1)).toBe(plan.weeks[2]);
    expect(planWeek(plan, '2026-03-01', 1)).toBe(plan.weeks[1]);
    expect(planWeek(plan, '2026-03-23', 1)).toBe(plan.weeks[3]);
  });

  it('there is no week after the last one, and none before the first', () => {
    expect(planWeek(plan, '2026-04-01', 1)).toBeNull();
    expect(planWeek(plan, '2026-03-10', 4)).toBeNull();
    expect(planWeek(plan, '2026-03-10', -1)).toBeNull();
    expect(planWeek(plan, '2026-04-06', 1)).toBeNull();
  });

  it('a negative offset goes back a week inside the plan', () => {
    expect(planWeek(plan, '2026-03-25', -1)).toBe(plan.weeks[1]);
  });

  it('an empty plan has no week, whatever the day', () => {
    expect(planWeek({ weeks: [] }, '2026-03-10')).toBeNull();
    expect(planWeek({ weeks: [] }, '2026-03-10', 1)).toBeNull();
  });

  it('a one-week plan: that week on its days and before, nothing next', () => {
    const single: Plan = { weeks: [week(1, '2026-10-26')] }; // across the end of summer time (2026-10-25 in Europe)
    expect(planWeek(single, '2026-10-25')).toBe(single.weeks[0]);
    expect(planWeek(single, '2026-11-01')).toBe(single.weeks[0]);
    expect(planWeek(single, '2026-11-02')).toBeNull();
    expect(planWeek(single, '2026-10-28', 1)).toBeNull();
  });
});
