import { describe, expect, it } from 'vitest';
import { performanceManagementChart } from '../../../../src/domain/metrics/index.js';
import {
  generatePlan,
  maxRollingCtlRamp,
  powerProfile,
  predictedOn,
  predictedPmc,
  rampExcessChecker,
  rollingCtlRamps,
  type Plan,
  type PlanInput,
} from '../../../../src/domain/plan/index.js';
import { addDays, WEEKDAYS } from '../../../../src/domain/calendar.js';

describe('predicted PMC', () => {
  const input: PlanInput = {
    ftp: 260,
    weeklyHours: 9,
    trainingDays: ['tue', 'thu', 'sat', 'sun'],
    planWeeks: 12,
    eventDate: '2025-05-24',
    startDate: '2025-03-03',
    fitness: { ctl: 55, atl: 70 },
  };

  it('is the PMC of the planned daily TSS from the current CTL and ATL', () => {
    const result = generatePlan(input);
    if (!result.ok) throw new Error('no plan');
    const plan = result.value;
    const pmc = predictedPmc(plan, input.fitness);
    const days = plan.weeks.flatMap((w) => w.days);
    expect(pmc).toHaveLength(days.length);
    const loads = days.map((d) => ({ date: d.date, load: d.workouts.reduce((s, w) => s + w.tss, 0) }));
    expect(pmc).toEqual(
      performanceManagementChart(loads, { start: '2025-03-03', end: days[days.length - 1]!.date, initialCtl: 55, initialAtl: 70 }),
    );
    // Day 1's form is today's: CTL − ATL = −15.
    expect(pmc[0]!.tsb).toBeCloseTo(-15, 10);
    // The taper lifts form for the event (Saturday of week 12).
    const race = predictedOn(pmc, '2025-05-24')!;
    const taperStart = predictedOn(pmc, plan.weeks[10]!.days[0]!.date)!;
    expect(race.tsb).toBeGreaterThan(taperStart.tsb);
    expect(race.tsb).toBeGreaterThan(0);
  });
});

describe('rolling 7-day CTL ramp', () => {
  /** Two weeks from 2025-03-03 with the given TSS per day (a plain "ride" on each day with load). */
  function planOf(loads: number[]): Plan {
    const days = loads.map((tss, i) => ({
      date: addDays('2025-03-03', i),
      weekday: WEEKDAYS[i % 7]!,
      workouts:
        tss > 0
          ? [{ name: 'ride', type: 'endurance' as const, intensity: 'easy' as const, durationMinutes: 60, tss, intensityFactor: 0.7 }]
          : [],
    }));
    return {
      weeks: [0, 1].map((w) => ({
        week: w + 1,
        phase: 'base' as const,
        targetTss: 0,
        plannedTss: 0,
        hours: 0,
        days: days.slice(7 * w, 7 * w + 7),
      })),
    };
  }

  it('is CTL(day) − CTL(7 days before) on every plan day, the CTL before the plan steady at the current CTL', () => {
    const plan = planOf([0, 0, 0, 0, 0, 150, 150, 150, 0, 0, 0, 0, 0, 0]);
    const pmc = predictedPmc(plan, { ctl: 40 });
    const ramps = rollingCtlRamps(plan, { ctl: 40 });
    expect(ramps).toHaveLength(14);
    expect(ramps[0]).toEqual({ from: '2025-02-25', to: '2025-03-03', ramp: pmc[0]!.ctl - 40 });
    expect(ramps[6]).toEqual({ from: '2025-03-03', to: '2025-03-09', ramp: pmc[6]!.ctl - 40 });
    expect(ramps[9]).toEqual({ from: '2025-03-06', to: '2025-03-12', ramp: pmc[9]!.ctl - pmc[2]!.ctl });
    // Sat–Mon across the two weeks: 450 TSS on CTL ≈ 37–40 gives a 7-day rise near (450 − 7·39)/42.5 ≈ 4.
    const steepest = maxRollingCtlRamp(plan, { ctl: 40 })!;
    expect(steepest.to).toBe('2025-03-10');
    expect(steepest.ramp).toBeGreaterThan(3.5);
    expect(steepest.ramp).toBeLessThan(4.5);
    // Each calendar week is much flatter: 300 TSS then 150 against CTL 40.
    expect(pmc[6]!.ctl - 40).toBeLessThan(1);
    expect(pmc[13]!.ctl - pmc[6]!.ctl).toBeLessThan(0);
  });

  it('a steady load equal to CTL keeps every ramp at 0', () => {
    for (const w of rollingCtlRamps(planOf(Array<number>(14).fill(60)), { ctl: 60 })) expect(w.ramp).toBeCloseTo(0, 10);
  });
});

describe('rampExcessChecker', () => {
  const fitness = { ctl: 40, atl: 40 };
  const input: PlanInput = {
    ftp: 250,
    weeklyHours: 8,
    trainingDays: ['tue', 'thu', 'sat', 'sun'],
    planWeeks: 8,
    startDate: '2025-03-03',
    fitness,
  };
  const plan = (): Plan => {
    const result = generatePlan(input);
    if (!result.ok) throw new Error('no plan');
    return result.value;
  };

  it('agrees with rollingCtlRamps: the steepest window ending in the candidate week, minus the cap', () => {
    const weeks = plan().weeks;
    const excess = rampExcessChecker(weeks.slice(0, 2), fitness, 5)(weeks[2]!);
    const steepest = Math.max(
      ...rollingCtlRamps({ weeks: weeks.slice(0, 3) }, fitness)
        .slice(14)
        .map((w) => w.ramp),
    );
    expect(excess).toBeCloseTo(steepest - 5, 9);
    expect(excess).toBeLessThanOrEqual(0);
  });

  it('a heavy week exceeds the cap; a week without days never does', () => {
    const weeks = plan().weeks;
    const check = rampExcessChecker(weeks.slice(0, 2), fitness, 5);
    const heavy = structuredClone(weeks[2]!);
    const ride = weeks[2]!.days.flatMap((d) => d.workouts)[0]!;
    for (const day of heavy.days) day.workouts = [{ ...ride, tss: 300 }];
    expect(check(heavy)).toBeGreaterThan(0);
    expect(check({ ...heavy, days: [] })).toBe(-Infinity);
  });
});

describe('power profile', () => {
  it('names limiters (weakest first) and strengths from best power as a multiple of FTP', () => {
    // FTP 250: typical 5 s = 1000 W, 1 min = 475, 5 min = 295, 20 min = 262.5, 60 min = 237.5.
    const profile = powerProfile({ 5: 1200, 60: 430, 300: 300, 1200: 262, 3600: 200 }, 250);
    expect(profile.strengths).toEqual(['sprint']); // 1.2
    expect(profile.limiters).toEqual(['endurance', 'anaerobic']); // 0.84, 0.905
    expect(profile.scores.vo2max).toBeCloseTo(300 / 295, 10);
    expect(powerProfile({}, 250)).toEqual({ limiters: [], strengths: [], scores: {} });
  });
});
