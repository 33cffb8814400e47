/**
 * The first days of a plan respect where the athlete is: a long break opens with a return block,
 * and deep fatigue with easy days until the PMC projection of the plan's own TSS shows form
 * (TSB) above −10. Both plans still pass every rule of the validator, the rolling CTL ramp too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, WEEKDAYS } from '../../../../src/domain/calendar.js';
import { performanceManagementChart } from '../../../../src/domain/metrics/pmc.js';
import {
  FATIGUED_TSB,
  generatePlan,
  predictedPmc,
  RECOVERED_TSB,
  RETURN_BLOCK_AFTER_DAYS,
  validatePlan,
  type Plan,
  type PlanInput,
} from '../../../../src/domain/plan/index.js';

function plan(input: PlanInput): Plan {
  const result = generatePlan(input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  expect(validatePlan(result.value, input)).toEqual([]);
  return result.value;
}

const base: Omit<PlanInput, 'fitness'> = {
  ftp: 250,
  weeklyHours: 8,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 8,
  startDate: '2026-12-07',
};
const workouts = (p: Plan, week: number) => p.weeks[week - 1]!.days.flatMap((d) => d.workouts);

describe('return block', () => {
  it('a plan starting more than 4 weeks after the latest ride opens with a lighter week of easy rides only', () => {
    expect(RETURN_BLOCK_AFTER_DAYS).toBe(28);
    const p = plan({ ...base, fitness: { ctl: 3, atl: 0.5, lastRideDate: '2026-08-03' } });
    const [first, second] = p.weeks;
    expect(first!.phase).toBe('recovery');
    expect(first!.notes?.[0]).toBe(
      'Return block: your latest ride was on 3 Aug 2026, 126 days before this plan starts — easy endurance rides only, about a third less than a first load week, to come back in.',
    );
    expect(workouts(p, 1).length).toBeGreaterThan(0);
    for (const w of workouts(p, 1)) {
      expect(w.intensity).toBe('easy');
      expect(['endurance', 'recovery']).toContain(w.type);
    }
    // 65 % of a first load week from CTL 15 (the ramp's floor): 0.65 × 7 × 15 = 68.25 → 68
    expect(first!.targetTss).toBe(68);
    expect(first!.plannedTss).toBeLessThan(second!.plannedTss);
    // the load weeks that follow ramp as usual, from the first load week
    expect(second!.phase).toBe('base');
    expect(second!.targetTss).toBe(7 * (15 + 3));
  });

  it('no return block when the latest ride is recent, or unknown', () => {
    for (const lastRideDate of ['2026-11-20', null, undefined]) {
      const p = plan({ ...base, fitness: { ctl: 40, atl: 40, lastRideDate } });
      expect(p.weeks[0]!.phase).toBe('base');
      expect(p.weeks[0]!.notes ?? []).not.toContainEqual(expect.stringMatching(/^Return block/));
    }
    // exactly 28 days is not "more than 4 weeks"
    expect(plan({ ...base, fitness: { ctl: 40, atl: 40, lastRideDate: '2026-11-09' } }).weeks[0]!.phase).toBe('base');
    expect(plan({ ...base, fitness: { ctl: 40, atl: 40, lastRideDate: '2026-11-08' } }).weeks[0]!.phase).toBe('recovery');
  });

  it('refuses a malformed latest-ride date as input', () => {
    const result = generatePlan({ ...base, fitness: { ctl: 40, lastRideDate: '3 Aug' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error[0]!.message).toMatch(/lastRideDate must be a date/);
  });
});

describe('deep fatigue at the start', () => {
  /** Index of the first plan day whose projected TSB (form going into the day) is above −10. */
  const recoveredIndex = (p: Plan, fitness: PlanInput['fitness']) => predictedPmc(p, fitness).findIndex((d) => d.tsb > RECOVERED_TSB);

  it.each([
    ['TSB −44 (CTL 60, ATL 104)', { ctl: 60, atl: 104 }],
    ['TSB −40 (CTL 40, ATL 80)', { ctl: 40, atl: 80 }],
    ['TSB −26 (CTL 70, ATL 96)', { ctl: 70, atl: 96 }],
  ])('%s: easy rides only until the projected TSB is above −10, harder sessions after', (_, fitness) => {
    expect(fitness.ctl - fitness.atl).toBeLessThan(FATIGUED_TSB);
    const p = plan({ ...base, fitness });
    const days = p.weeks.flatMap((w) => w.days);
    const recovered = recoveredIndex(p, fitness);
    expect(recovered).toBeGreaterThan(0);
    for (const day of days.slice(0, recovered)) for (const w of day.workouts) expect(w.intensity, `${day.date} ${w.name}`).toBe('easy');
    expect(days.slice(0, recovered).some((d) => d.workouts.length > 0)).toBe(true);
    expect(days.slice(recovered, recovered + 14).some((d) => d.workouts.some((w) => w.intensity !== 'easy'))).toBe(true);
    // the same projection, by hand from the PMC: TSB on the recovery day is above −10, the day before it is not
    const loads = days.map((d) => ({ date: d.date, load: d.workouts.reduce((s, w) => s + w.tss, 0) }));
    const pmc = performanceManagementChart(loads, {
      start: days[0]!.date,
      end: days.at(-1)!.date,
      initialCtl: fitness.ctl,
      initialAtl: fitness.atl,
    });
    expect(pmc[recovered]!.tsb).toBeGreaterThan(-10);
    expect(pmc[recovered - 1]!.tsb).toBeLessThanOrEqual(-10);
    expect(p.weeks[0]!.notes).toContainEqual(
      expect.stringMatching(new RegExp(`^Form \\(TSB\\) ${Math.round(fitness.ctl - fitness.atl)} when the plan starts: easy rides only`)),
    );
  });

  it('the hard day of a fatigued first week moves after the recovery rather than disappearing', () => {
    const fitness = { ctl: 50, atl: 77 }; // TSB −27: recovers within days
    const p = plan({ ...base, fitness });
    const recovered = recoveredIndex(p, fitness);
    expect(recovered).toBeLessThan(7);
    const week1 = p.weeks[0]!.days;
    expect(
      week1
        .slice(0, recovered)
        .flatMap((d) => d.workouts)
        .every((w) => w.intensity === 'easy'),
    ).toBe(true);
    expect(week1.slice(recovered).some((d) => d.workouts.some((w) => w.intensity !== 'easy'))).toBe(true);
  });

  it('form at −25 or above: the first week is planned as usual', () => {
    const fresh = plan({ ...base, fitness: { ctl: 60, atl: 60 } });
    const tired = plan({ ...base, fitness: { ctl: 60, atl: 84 } }); // TSB −24
    expect(tired.weeks[0]!.notes ?? []).not.toContainEqual(expect.stringMatching(/^Form \(TSB\)/));
    expect(workouts(tired, 1).some((w) => w.intensity === 'hard')).toBe(true);
    expect(workouts(fresh, 1).some((w) => w.intensity === 'hard')).toBe(true);
  });
});

describe('first days — properties (300 random athletes)', () => {
  it('every plan validates; after a break week 1 is an easy return block; when fatigued, nothing but easy rides before the projected TSB is above −10', () => {
    const athlete = fc.record({
      weeklyHours: fc.integer({ min: 20, max: 160 }).map((h) => h / 10),
      trainingDays: fc.subarray([...WEEKDAYS], { minLength: 2, maxLength: 7 }),
      planWeeks: fc.integer({ min: 4, max: 16 }),
      ctl: fc.double({ min: 0, max: 110, noNaN: true }),
      tsb: fc.double({ min: -70, max: 10, noNaN: true }),
      daysOff: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    });
    fc.assert(
      fc.property(athlete, (r) => {
        const input: PlanInput = {
          ftp: 240,
          weeklyHours: r.weeklyHours,
          trainingDays: r.trainingDays,
          planWeeks: r.planWeeks,
          startDate: '2026-12-07',
          fitness: {
            ctl: r.ctl,
            atl: Math.max(0, r.ctl - r.tsb),
            lastRideDate: r.daysOff === null ? null : addDays('2026-12-07', -r.daysOff),
          },
        };
        const p = plan(input);
        const days = p.weeks.flatMap((w) => w.days);
        if (r.daysOff !== null && r.daysOff > RETURN_BLOCK_AFTER_DAYS) {
          expect(p.weeks[0]!.phase).toBe('recovery');
          for (const w of workouts(p, 1)) expect(w.intensity).toBe('easy');
        } else if (input.fitness.ctl - input.fitness.atl! < FATIGUED_TSB) {
          const recovered = predictedPmc(p, input.fitness).findIndex((d) => d.tsb > RECOVERED_TSB);
          for (const day of recovered < 0 ? days : days.slice(0, recovered)) for (const w of day.workouts) expect(w.intensity).toBe('easy');
        }
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});
