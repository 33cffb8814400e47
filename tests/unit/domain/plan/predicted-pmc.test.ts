import { describe, expect, it } from 'vitest';
import { performanceManagementChart } from '../../../../src/domain/metrics/index.js';
import { generatePlan, powerProfile, predictedOn, predictedPmc, type PlanInput } from '../../../../src/domain/plan/index.js';

describe('predicted PMC', () => {
  const input: PlanInput = { ftp: 260, weeklyHours: 9, trainingDays: ['tue', 'thu', 'sat', 'sun'], planWeeks: 12, eventDate: '2025-05-24', startDate: '2025-03-03', fitness: { ctl: 55, atl: 70 } };

  it('is the PMC of the planned daily TSS from the current CTL and ATL', () => {
    const result = generatePlan(input);
    if (!result.ok) throw new Error('no plan');
    const plan = result.value;
    const pmc = predictedPmc(plan, input.fitness);
    const days = plan.weeks.flatMap((w) => w.days);
    expect(pmc).toHaveLength(days.length);
    const loads = days.map((d) => ({ date: d.date, load: d.workouts.reduce((s, w) => s + w.tss, 0) }));
    expect(pmc).toEqual(performanceManagementChart(loads, { start: '2025-03-03', end: days[days.length - 1]!.date, initialCtl: 55, initialAtl: 70 }));
    // Day 1's form is today's: CTL − ATL = −15.
    expect(pmc[0]!.tsb).toBeCloseTo(-15, 10);
    // The taper lifts form for the event (Saturday of week 12).
    const race = predictedOn(pmc, '2025-05-24')!;
    const taperStart = predictedOn(pmc, plan.weeks[10]!.days[0]!.date)!;
    expect(race.tsb).toBeGreaterThan(taperStart.tsb);
    expect(race.tsb).toBeGreaterThan(0);
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
