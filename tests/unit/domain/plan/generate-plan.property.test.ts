/**
 * Property tests: thousands of random athletes (2–20 h a week, 2–7 training days, FTP 100–450 W,
 * 4–24 weeks, CTL 0–120, with and without an event, random limiters); every generated plan passes
 * validatePlan, and survives a round trip through JSON and the proposal schema. 2,100 runs in all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dateFromDayNumber, dayNumber, WEEKDAYS } from '../../../../src/domain/calendar.js';
import {
  POWER_ABILITIES,
  generatePlan,
  maxRollingCtlRamp,
  parsePlanProposal,
  planRules,
  snapToMonday,
  validatePlan,
  type PlanInput,
} from '../../../../src/domain/plan/index.js';

const FIRST_DAY = dayNumber('2024-01-01');

const athlete: fc.Arbitrary<PlanInput> = fc
  .record({
    ftp: fc.integer({ min: 100, max: 450 }),
    weeklyHours: fc.integer({ min: 20, max: 200 }).map((h) => h / 10),
    trainingDays: fc.subarray([...WEEKDAYS], { minLength: 2, maxLength: 7 }),
    planWeeks: fc.integer({ min: 4, max: 24 }),
    start: fc.integer({ min: 0, max: 4 * 365 }).map((d) => dateFromDayNumber(FIRST_DAY + d)),
    eventWeekday: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
    age: fc.option(fc.integer({ min: 16, max: 80 }), { nil: null }),
    ctl: fc.double({ min: 0, max: 120, noNaN: true }),
    tsb: fc.double({ min: -30, max: 20, noNaN: true }),
    limiters: fc.subarray([...POWER_ABILITIES], { maxLength: 3 }),
    goals: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
  })
  .map((r) => {
    const monday = snapToMonday(r.start);
    const eventDate = r.eventWeekday === null ? null : addDays(monday, 7 * (r.planWeeks - 1) + r.eventWeekday);
    return {
      ftp: r.ftp,
      weeklyHours: r.weeklyHours,
      trainingDays: r.trainingDays,
      planWeeks: r.planWeeks,
      eventDate,
      startDate: r.start,
      age: r.age,
      goals: r.goals,
      fitness: {
        ctl: r.ctl,
        atl: Math.max(0, r.ctl - r.tsb),
        limiters: r.limiters,
        strengths: POWER_ABILITIES.filter((a) => !r.limiters.includes(a)).slice(0, 1),
      },
    };
  });

describe('generatePlan — properties', () => {
  it('every generated plan passes validation (1,500 random athletes)', () => {
    fc.assert(
      fc.property(athlete, (input) => {
        const result = generatePlan(input);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const plan = result.value;
        expect(validatePlan(plan, input)).toEqual([]);
        // The CTL ramp over every rolling 7 days stays within the cap (5, or 3 below CTL 30).
        expect(maxRollingCtlRamp(plan, input.fitness)?.ramp ?? 0).toBeLessThanOrEqual(planRules(input).rampCap);
        expect(plan.weeks).toHaveLength(input.eventDate ? plan.weeks.length : input.planWeeks);
        if (input.eventDate) expect(plan.weeks[plan.weeks.length - 1]!.days.some((d) => d.date === input.eventDate)).toBe(true);
        for (const week of plan.weeks) {
          expect(week.days).toHaveLength(7);
          // A lowered target always says so.
          if (week.notes?.some((n) => n.startsWith('Target lowered')))
            expect(week.plannedTss).toBeLessThanOrEqual(week.targetTss * 1.1 + 0.5);
        }
      }),
      { numRuns: 1500, seed: 20250301 },
    );
  });

  it('plans survive JSON and the proposal schema, and still validate (600 random athletes)', () => {
    fc.assert(
      fc.property(athlete, (input) => {
        const result = generatePlan(input);
        if (!result.ok) throw new Error(JSON.stringify(result.error));
        const parsed = parsePlanProposal(JSON.stringify(result.value));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value).toEqual(JSON.parse(JSON.stringify(result.value)));
        expect(validatePlan(parsed.value, input)).toEqual([]);
      }),
      { numRuns: 600, seed: 7 },
    );
  });

  it('is deterministic: the same input gives the same plan', () => {
    fc.assert(
      fc.property(athlete, (input) => {
        expect(generatePlan(input)).toEqual(generatePlan(input));
      }),
      { numRuns: 30, seed: 3 },
    );
  });
});
