/**
 * Where a plan starts: the next Monday, and the fitness the athlete brings to it — carried on from
 * the latest ride (faded by the days without load) to the day before the plan, with a warning once
 * that gap is a week or more.
 */
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/domain/activity.js';
import { performanceManagementChart } from '../../../src/domain/metrics/pmc.js';
import { EMPTY_PROFILE, type ProfileVersion } from '../../../src/domain/profile.js';
import { buildFactSheet } from '../../../src/orchestrator/fact-sheet.js';
import { fitnessAtPlanStart, nextMonday } from '../../../src/orchestrator/plan-start.js';
import { makeActivity } from '../domain/metrics/fixtures.js';

const history: ProfileVersion[] = [{ ...EMPTY_PROFILE, validFrom: new Date('2025-01-01T00:00:00Z'), ftp: 250 }];

/** An hour at 200 W NP (IF 0.8, 64 TSS) every other day of May 2025. */
const rides: Activity[] = Array.from({ length: 15 }, (_, i) =>
  makeActivity({
    id: `r${i}`,
    sourceHash: `r${i}`,
    sourceKind: 'strava-csv',
    startTime: new Date(Date.UTC(2025, 4, 1 + 2 * i, 8)),
    movingSeconds: 3600,
    timerSeconds: 3600,
    power: 'measured',
    avgPower: 180,
    normalizedPower: 200,
  }),
);
const lastRide = '2025-05-29';

const detail = (today: string) => buildFactSheet({ athleteName: 'T', activities: rides, history, periodMonths: 6, today });

describe('nextMonday', () => {
  it('is the same day on a Monday, else the Monday after (UTC)', () => {
    expect(nextMonday(new Date('2025-06-02T23:59:00Z'))).toBe('2025-06-02');
    expect(nextMonday(new Date('2025-06-03T00:00:00Z'))).toBe('2025-06-09');
    expect(nextMonday(new Date('2025-06-08T12:00:00Z'))).toBe('2025-06-09');
    expect(nextMonday(new Date('2025-12-29T10:00:00Z'))).toBe('2025-12-29');
    expect(nextMonday(new Date('2025-12-31T10:00:00Z'))).toBe('2026-01-05');
  });
});

describe('fitnessAtPlanStart', () => {
  it('starts the day after the latest ride from its fitness, without a warning', () => {
    const d = detail(lastRide);
    const warnings: { code: string; message: string }[] = [];
    const start = fitnessAtPlanStart(d, '2025-05-30', warnings);
    expect(start.lastRideDate).toBe(lastRide);
    expect(start.ctl).toBeCloseTo(d.sheet.fitness!.ctl, 6);
    expect(start.atl).toBeCloseTo(d.sheet.fitness!.atl, 6);
    expect(warnings).toEqual([]);
  });

  it('fades fitness and fatigue over the days without rides up to the day before the plan', () => {
    const d = detail('2025-06-10');
    const warnings: { code: string; message: string }[] = [];
    const start = fitnessAtPlanStart(d, '2025-06-16', warnings);
    // the same decay as the PMC with no load, from today's (already faded) values to 15 June
    const today = d.sheet.fitnessToday!;
    const expected = performanceManagementChart([], {
      start: '2025-06-11',
      end: '2025-06-15',
      initialCtl: today.ctl,
      initialAtl: today.atl,
    }).at(-1)!;
    expect(start.ctl).toBeCloseTo(expected.ctl, 9);
    expect(start.atl).toBeCloseTo(expected.atl, 9);
    expect(start.ctl).toBeLessThan(d.sheet.fitness!.ctl);
    expect(start.atl).toBeLessThan(d.sheet.fitness!.atl);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('fitness-carried-forward');
    expect(warnings[0]!.message).toContain('29 May 2025, 17 days before the plan starts');
    expect(warnings[0]!.message).toContain(`rather than ${d.sheet.fitness!.ctl.toFixed(1)}`);
  });

  it('warns from a gap of seven days, not six', () => {
    const d = detail(lastRide);
    const six: { code: string; message: string }[] = [];
    fitnessAtPlanStart(d, '2025-06-05', six);
    expect(six).toEqual([]);
    const seven: { code: string; message: string }[] = [];
    fitnessAtPlanStart(d, '2025-06-06', seven);
    expect(seven.map((w) => w.code)).toEqual(['fitness-carried-forward']);
  });

  it('starts from zero without any ride', () => {
    const d = buildFactSheet({ athleteName: 'T', activities: [], history, periodMonths: 6 });
    const warnings: { code: string; message: string }[] = [];
    expect(fitnessAtPlanStart(d, '2025-05-05', warnings)).toEqual({ ctl: 0, atl: 0, lastRideDate: null });
    expect(warnings).toEqual([]);
  });
});
