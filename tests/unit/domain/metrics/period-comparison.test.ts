import { describe, expect, it } from 'vitest';
import {
  change,
  comparePeriods,
  computeActivityMetrics,
  type ActivityMetrics,
  type PeriodActivity,
} from '../../../../src/domain/metrics/index.js';
import { constant, makeActivity, makeStreams } from './fixtures.js';

function metrics(overrides: Partial<ActivityMetrics>): ActivityMetrics {
  return {
    activityId: 'x',
    sport: 'cycling',
    source: 'stream',
    hasCyclingPower: true,
    movingSeconds: 3600,
    avgPower: null,
    avgPowerNoZeros: null,
    normalizedPower: null,
    maxPower: null,
    workKilojoules: null,
    intensityFactor: null,
    tss: null,
    variabilityIndex: null,
    efficiencyFactor: null,
    aerobicDecouplingPercent: null,
    powerZones: null,
    powerCurve: {},
    avgHeartRate: null,
    maxHeartRate: null,
    heartRateZones: null,
    hrTss: null,
    trimp: null,
    load: null,
    loadSource: null,
    ...overrides,
  };
}

function ride(date: string, m: Partial<ActivityMetrics>, distanceMeters: number | null = 30_000): PeriodActivity {
  return { activity: makeActivity({ id: date, startTime: new Date(`${date}T07:00:00Z`), distanceMeters }), metrics: metrics(m) };
}

describe('change', () => {
  it('never divides by zero', () => {
    expect(change(5, 0)).toEqual({ current: 5, previous: 0, difference: 5, percent: null });
    expect(change(0, 0).percent).toBeNull();
    expect(change(null, 10)).toEqual({ current: null, previous: 10, difference: null, percent: null });
    expect(change(15, 10).percent).toBeCloseTo(50, 12);
  });
});

describe('comparePeriods', () => {
  it('counts volume, ride distance and power from rides only, other sports apart; load from every sport', () => {
    const run = (date: string): PeriodActivity => ({
      activity: makeActivity({ id: `run-${date}`, sport: 'running', startTime: new Date(`${date}T07:00:00Z`), distanceMeters: 10_000 }),
      metrics: metrics({ sport: 'running', load: 50, normalizedPower: 300, powerCurve: { 1200: 320 } }),
    });
    const result = comparePeriods(
      [
        ride('2024-06-03', { load: 80, normalizedPower: 220, powerCurve: { 1200: 250 } }),
        run('2024-06-04'),
        run('2024-06-05'),
        {
          ...run('2024-06-06'),
          activity: { ...run('2024-06-06').activity, sport: 'hiking' },
          metrics: metrics({ sport: 'hiking', movingSeconds: 7200, load: 50 }),
        },
      ],
      { referenceDate: '2024-06-30', months: 1 },
    );
    // was: 4 activities and 4 h (every sport); the volume is riding now, with the rest shown apart
    expect(result.current.activityCount).toBe(1);
    expect(result.current.hours).toBeCloseTo(1, 9);
    expect(result.current.otherSports).toEqual([
      { sport: 'running', count: 2, hours: 2 },
      { sport: 'hiking', count: 1, hours: 2 },
    ]);
    expect(result.current.totalLoad).toBeCloseTo(230, 9);
    expect(result.current.ridesPerWeek).toBeCloseTo(1 / (30 / 7), 9);
    expect(result.current.distanceKm).toBeCloseTo(30, 9);
    expect(result.current.averageNormalizedPower).toBe(220);
    expect(result.current.powerCurve[1200]).toBe(250);
  });

  it('splits at calendar months before the reference date, both ends inclusive', () => {
    const result = comparePeriods([], { referenceDate: '2024-06-30', months: 3 });
    expect(result.current).toMatchObject({ from: '2024-04-01', to: '2024-06-30', days: 91 });
    expect(result.previous).toMatchObject({ from: '2024-01-01', to: '2024-03-31', days: 91 });
  });

  it('counts back from the day after a mid-month reference date', () => {
    const result = comparePeriods([], { referenceDate: '2024-05-15', months: 3 });
    expect(result.current).toMatchObject({ from: '2024-02-16', to: '2024-05-15' });
    expect(result.previous).toMatchObject({ from: '2023-11-16', to: '2024-02-15' });
  });

  it('changes from an empty previous period are null, not Infinity', () => {
    const result = comparePeriods(
      [ride('2024-06-10', { load: 80, workKilojoules: 700, normalizedPower: 220, powerCurve: { 5: 900, 60: 450, 300: 320, 1200: 280 } })],
      {
        referenceDate: '2024-06-30',
        months: 3,
      },
    );
    for (const c of Object.values(result.changes)) {
      expect(c.percent).toBeNull();
      expect(c.percent).not.toBe(Infinity);
    }
    expect(result.changes.totalLoad).toMatchObject({ current: 80, previous: 0, difference: 80, percent: null });
    expect(result.changes.averageNormalizedPower).toMatchObject({ current: 220, previous: null, percent: null });
    expect(result.powerCurveChanges[1200]).toMatchObject({ current: 280, previous: null, percent: null });
  });

  it('rides per week divide by the whole period even when every ride is in its last week', () => {
    const last = ['2024-06-24', '2024-06-25', '2024-06-27', '2024-06-29', '2024-06-30'];
    const result = comparePeriods(
      last.map((d) => ride(d, { load: 50 })),
      { referenceDate: '2024-06-30', months: 3 },
    );
    expect(result.current.activityCount).toBe(5);
    expect(result.current.weeks).toBeCloseTo(13, 12);
    expect(result.current.ridesPerWeek).toBeCloseTo(5 / 13, 12);
    expect(result.current.weeklyLoad).toBeCloseTo(250 / 13, 12);
  });

  it('compares volume, load, NP and power-curve points', () => {
    const entries = [
      ride(
        '2024-02-10',
        {
          movingSeconds: 7200,
          workKilojoules: 1400,
          load: 100,
          normalizedPower: 200,
          powerCurve: { 5: 800, 60: 400, 300: 300, 1200: 250 },
        },
        60_000,
      ),
      ride(
        '2024-03-31',
        { movingSeconds: 3600, workKilojoules: 700, load: 50, normalizedPower: 220, powerCurve: { 5: 850, 60: 380 } },
        30_000,
      ),
      ride(
        '2024-04-01',
        { movingSeconds: 5400, workKilojoules: 1200, load: 90, normalizedPower: 230, powerCurve: { 5: 900, 60: 420, 300: 330, 1200: 260 } },
        45_000,
      ),
      ride(
        '2024-06-30',
        {
          movingSeconds: 5400,
          workKilojoules: 1300,
          load: 120,
          normalizedPower: 250,
          powerCurve: { 5: 880, 60: 450, 300: 320, 1200: 275 },
        },
        50_000,
      ),
      ride('2024-07-01', { movingSeconds: 99_999, load: 999 }), // after the reference date
      ride('2023-12-31', { movingSeconds: 99_999, load: 999 }), // before the previous period
    ];
    const { current, previous, changes, powerCurveChanges } = comparePeriods(entries, { referenceDate: '2024-06-30', months: 3 });
    expect(current.activityCount).toBe(2);
    expect(previous.activityCount).toBe(2);
    expect(current.hours).toBeCloseTo(3, 12);
    expect(previous.hours).toBeCloseTo(3, 12);
    expect(changes.hours.percent).toBeCloseTo(0, 12);
    expect(current.distanceKm).toBeCloseTo(95, 12);
    expect(changes.distanceKm.percent).toBeCloseTo(((95 - 90) / 90) * 100, 10);
    expect(changes.workKilojoules).toMatchObject({ current: 2500, previous: 2100 });
    expect(changes.totalLoad).toMatchObject({ current: 210, previous: 150 });
    expect(changes.totalLoad.percent).toBeCloseTo(40, 10);
    expect(current.averageNormalizedPower).toBeCloseTo(240, 12);
    expect(previous.averageNormalizedPower).toBeCloseTo(210, 12);
    expect(current.powerCurve).toEqual({ 5: 900, 60: 450, 300: 330, 1200: 275 });
    expect(previous.powerCurve).toEqual({ 5: 850, 60: 400, 300: 300, 1200: 250 });
    expect(powerCurveChanges[1200]!.percent).toBeCloseTo(10, 10);
  });

  it('zone distribution and polarization by time, power first, heart rate otherwise', () => {
    const ftp = 200;
    // 60 min: 30 min Z2 (150 W), 10 min Z3 (160 W), 20 min Z4+ (250 W).
    const power = [...constant(1800, 120), ...constant(600, 160), ...constant(1200, 250)];
    const activity = makeActivity({ startTime: new Date('2024-06-10T07:00:00Z'), streams: makeStreams({ power }) });
    const result = comparePeriods([{ activity, metrics: computeActivityMetrics(activity, { ftp }) }], {
      referenceDate: '2024-06-30',
      months: 1,
    });
    expect(result.current.powerZoneSeconds).toEqual([0, 1800, 600, 0, 0, 1200, 0]);
    expect(result.current.polarization).toEqual({ basis: 'power', easy: 0.5, moderate: 600 / 3600, hard: 1200 / 3600 });
    expect(result.previous.polarization).toBeNull();

    const hrOnly = makeActivity({
      power: 'none',
      startTime: new Date('2024-06-11T07:00:00Z'),
      streams: makeStreams({ heartRate: [...constant(300, 130), ...constant(100, 155)] }),
    });
    const hr = comparePeriods([{ activity: hrOnly, metrics: computeActivityMetrics(hrOnly, { ftp, lthr: 170 }) }], {
      referenceDate: '2024-06-30',
      months: 1,
    });
    expect(hr.current.heartRateZoneSeconds).toEqual([300, 0, 100, 0, 0]);
    expect(hr.current.polarization).toEqual({ basis: 'heart-rate', easy: 0.75, moderate: 0.25, hard: 0 });
  });

  it('uses the caller’s local date when given', () => {
    const entry = { ...ride('2024-07-01', { load: 10 }), date: '2024-06-30' };
    expect(comparePeriods([entry], { referenceDate: '2024-06-30', months: 1 }).current.activityCount).toBe(1);
  });
});
