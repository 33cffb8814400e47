import { describe, expect, it } from 'vitest';
import { performanceManagementChart } from '../../../../src/domain/metrics/index.js';

describe('performanceManagementChart', () => {
  it('matches a hand-computed 10-day sequence', () => {
    const loads = [
      { date: '2024-02-27', load: 100 },
      { date: '2024-02-28', load: 50 },
      { date: '2024-02-28', load: 30 }, // two rides one day: 80
      { date: '2024-03-01', load: 120 }, // 2024 is a leap year: 02-29 is a rest day
      { date: '2024-03-03', load: 60 },
      { date: '2024-03-05', load: 90 },
    ];
    const days = performanceManagementChart(loads, { start: '2024-02-27', end: '2024-03-07', initialCtl: 40, initialAtl: 60 });

    const dailyLoads = [100, 80, 0, 120, 0, 60, 0, 90, 0, 0];
    const kc = Math.exp(-1 / 42);
    const ka = Math.exp(-1 / 7);
    let ctl = 40;
    let atl = 60;
    const ctls: number[] = [];
    expect(days.map((d) => d.date)).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
      '2024-03-03',
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
    ]);
    dailyLoads.forEach((load, i) => {
      const tsb = ctl - atl; // yesterday's CTL − ATL
      ctl = ctl * kc + load * (1 - kc);
      atl = atl * ka + load * (1 - ka);
      ctls.push(ctl);
      const day = days[i]!;
      expect(day.load).toBe(load);
      expect(day.ctl).toBeCloseTo(ctl, 10);
      expect(day.atl).toBeCloseTo(atl, 10);
      expect(day.tsb).toBeCloseTo(tsb, 10);
      if (i < 7) expect(day.rampRate).toBeNull();
      else expect(day.rampRate).toBeCloseTo(ctl - ctls[i - 7]!, 10);
    });
    expect(days[0]!.tsb).toBe(-20);
  });

  it('defaults to zero, sums same-day loads, ignores loads outside the range', () => {
    const days = performanceManagementChart(
      [
        { date: '2024-01-01', load: 40 },
        { date: '2024-01-01', load: 60 },
        { date: '2023-12-31', load: 1000 },
        { date: '2024-01-03', load: 1000 },
        { date: '2024-01-02', load: Number.NaN },
      ],
      { start: '2024-01-01', end: '2024-01-02' },
    );
    expect(days).toHaveLength(2);
    expect(days[0]!.load).toBe(100);
    expect(days[0]!.ctl).toBeCloseTo(100 * (1 - Math.exp(-1 / 42)), 12);
    expect(days[0]!.atl).toBeCloseTo(100 * (1 - Math.exp(-1 / 7)), 12);
    expect(days[0]!.tsb).toBe(0);
    expect(days[1]!.load).toBe(0);
    expect(days[1]!.tsb).toBeCloseTo(days[0]!.ctl - days[0]!.atl, 12);
  });

  it('ramp rate is CTL today minus CTL a week ago', () => {
    const loads = Array.from({ length: 14 }, (_, i) => ({ date: `2024-06-${String(i + 1).padStart(2, '0')}`, load: 100 }));
    const days = performanceManagementChart(loads, { start: '2024-06-01', end: '2024-06-14' });
    expect(days[6]!.rampRate).toBeNull();
    expect(days[13]!.rampRate).toBeCloseTo(days[13]!.ctl - days[6]!.ctl, 12);
    expect(days[13]!.rampRate).toBeGreaterThan(0);
  });

  it('crosses month and year ends and returns nothing for an inverted range', () => {
    const days = performanceManagementChart([], { start: '2023-12-30', end: '2024-01-02' });
    expect(days.map((d) => d.date)).toEqual(['2023-12-30', '2023-12-31', '2024-01-01', '2024-01-02']);
    expect(performanceManagementChart([], { start: '2024-01-02', end: '2024-01-01' })).toEqual([]);
    expect(() => performanceManagementChart([], { start: '2024-13-01', end: '2024-01-01' })).toThrow(RangeError);
  });
});
