/** PlanCheck and the labels and sums the plan rule checks share. */
import { describe, expect, it } from 'vitest';
import { toPlannedWorkout, workoutById, type PlanInput } from '../../../../src/domain/plan/index.js';
import {
  dayLabel,
  fmt,
  isHardDay,
  listDays,
  PlanCheck,
  weekHours,
  weekLabel,
  weekTss,
  workoutIntensity,
} from '../../../../src/domain/plan/plan-check.js';
import { makePlan } from './fixtures.js';

const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 8,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 4,
  startDate: '2025-03-05',
  fitness: { ctl: 40 },
};
const threshold = toPlannedWorkout(workoutById('threshold-2x15')!);
const endurance = toPlannedWorkout(workoutById('endurance-90')!);
const plan = makePlan('2025-03-10', 2, (week, day) => (day === 1 ? [threshold] : day === 6 ? [endurance] : []));

describe('PlanCheck', () => {
  it('holds the rules of the input and every day of the plan in order, with its week', () => {
    const check = new PlanCheck(plan, INPUT);
    expect(check.rules.startDate).toBe('2025-03-10');
    expect(check.days).toHaveLength(14);
    expect(check.days[7]!.week.week).toBe(2);
    expect(check.days[7]!.day.date).toBe('2025-03-17');
  });

  it('records violations in the order added, with the week and date only when given', () => {
    const check = new PlanCheck(plan, INPUT);
    check.add('structure', 'whole plan');
    check.add('no-rest-day', 'a week', plan.weeks[1]);
    check.add('after-event', 'a day', plan.weeks[0], '2025-03-11');
    expect(check.violations).toEqual([
      { code: 'structure', message: 'whole plan' },
      { code: 'no-rest-day', message: 'a week', week: 2 },
      { code: 'after-event', message: 'a day', week: 1, date: '2025-03-11' },
    ]);
  });
});

describe('labels', () => {
  it('weeks with their dates, days with their weekday, training days in week order', () => {
    const week = plan.weeks[0]!;
    expect(weekLabel(week)).toBe('Week 1 (2025-03-10 to 2025-03-16)');
    expect(weekLabel({ ...week, days: [] })).toBe('Week 1');
    expect(dayLabel(week, week.days[1]!)).toBe('Week 1, Tue 2025-03-11');
    expect(listDays(['sun', 'tue', 'sat'])).toBe('Tue, Sat, Sun');
  });

  it('fmt: fixed digits, NaN and Infinity as themselves', () => {
    expect(fmt(6.1666, 2)).toBe('6.17');
    expect(fmt(349.5)).toBe('350');
    expect(fmt(Number.NaN)).toBe('NaN');
    expect(fmt(Number.POSITIVE_INFINITY, 1)).toBe('Infinity');
  });
});

describe('sums and intensity', () => {
  it('a week’s TSS and hours from its workouts', () => {
    const week = plan.weeks[0]!;
    expect(weekTss(week)).toBeCloseTo(threshold.tss + endurance.tss, 9);
    expect(weekHours(week)).toBeCloseTo((threshold.durationMinutes + endurance.durationMinutes) / 60, 9);
  });

  it('intensity from type and IF, never the declared class', () => {
    expect(workoutIntensity(threshold)).toBe('hard');
    expect(workoutIntensity({ ...endurance, intensityFactor: 0.9 })).toBe('hard');
    expect(isHardDay(plan.weeks[0]!.days[1]!)).toBe(true);
    expect(isHardDay(plan.weeks[0]!.days[6]!)).toBe(false);
    expect(isHardDay({ ...plan.weeks[0]!.days[6]!, workouts: [{ ...threshold, intensity: 'easy' }] })).toBe(true);
  });
});
