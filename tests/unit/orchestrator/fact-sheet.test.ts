/**
 * The fact sheet's load, volume and staleness: every ride gets a load from its best source (the
 * share that is estimated is said), volume counts rides with other sports apart, and fitness is
 * carried on from the latest ride to today, faded.
 */
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/domain/activity.js';
import { performanceManagementChart } from '../../../src/domain/metrics/pmc.js';
import { EMPTY_PROFILE, type ProfileVersion } from '../../../src/domain/profile.js';
import { offlineAnalysis } from '../../../src/llm/offline/offline-analysis.js';
import { buildFactSheet, loadShares } from '../../../src/orchestrator/fact-sheet.js';
import { makeActivity } from '../domain/metrics/fixtures.js';

const version = (date: string, fields: Partial<ProfileVersion> = {}): ProfileVersion => ({
  ...EMPTY_PROFILE,
  validFrom: new Date(`${date}T00:00:00Z`),
  ...fields,
});

/** A Strava CSV row: summary figures only. */
function row(id: string, date: string, fields: Partial<Activity>): Activity {
  return makeActivity({
    id,
    sourceHash: id,
    sourceKind: 'strava-csv',
    startTime: new Date(`${date}T08:00:00Z`),
    movingSeconds: 3600,
    timerSeconds: 3600,
    power: 'none',
    ...fields,
  });
}

// Four rides and two runs in May 2025, each ride from another rung of the ladder.
const activities = [
  row('measured', '2025-05-01', { power: 'measured', avgPower: 180, normalizedPower: 200 }), // 1 h at IF 0.8: 64 TSS
  row('hr', '2025-05-03', { avgHeartRate: 150 }), // hrTSS
  row('strava', '2025-05-05', { power: 'estimated', avgPower: 150 }), // 1 h at IF 0.6: 36 TSS
  row('time', '2025-05-07', { movingSeconds: 7200 }), // 2 h × 42.25
  row('run-hr', '2025-05-02', { sport: 'running', avgHeartRate: 150, movingSeconds: 2700 }),
  row('hike', '2025-05-04', { sport: 'hiking', movingSeconds: 10_800 }),
];
const history = [version('2025-01-01', { ftp: 250, lthr: 170, restingHr: 50, maxHr: 190 })];

describe('load from the best source of each ride', () => {
  const { sheet, loads } = buildFactSheet({ athleteName: 'T', activities, history, periodMonths: 6, today: '2025-05-09' });
  const source = (id: string) => loads.find((l) => l.activity.id === id)!.metrics;

  it('keeps the source per ride', () => {
    expect(source('measured')).toMatchObject({ loadSource: 'power' });
    expect(source('measured').load).toBeCloseTo(64, 6);
    expect(source('hr').loadSource).toBe('heart-rate');
    expect(source('strava').loadSource).toBe('estimated-power');
    expect(source('strava').load).toBeCloseTo(36, 6);
    expect(source('time').loadSource).toBe('duration');
    expect(source('time').load).toBeCloseTo(84.5, 6);
    expect(source('run-hr').loadSource).toBe('heart-rate');
    expect(source('hike').load).toBeNull();
  });

  it("counts rides in the volume and other sports apart; the load is every sport's", () => {
    const c = sheet.comparison.current;
    expect(c.activityCount).toBe(4);
    expect(c.hours).toBeCloseTo(5, 6);
    expect(c.otherSports).toEqual([
      { sport: 'hiking', count: 1, hours: 3 },
      { sport: 'running', count: 1, hours: 0.75 },
    ]);
    const total = loads.reduce((s, l) => s + (l.metrics.load ?? 0), 0);
    expect(c.totalLoad).toBe(Math.round(total)); // the sheet quotes whole TSS above 100
  });

  it('says how much of the load is estimated, in whole percentages of its TSS', () => {
    const shares = sheet.loadSources!;
    const total = loads.reduce((s, l) => s + (l.metrics.load ?? 0), 0);
    expect(shares.totalTss).toBe(Math.round(total));
    expect(shares.percent.power).toBe(Math.round((64 / total) * 100));
    expect(shares.estimatedPercent).toBe(100 - shares.percent.power);
    expect(Object.values(shares.percent).reduce((a, b) => a + b, 0)).toBe(100);
    const warning = sheet.warnings.find((w) => w.code === 'load-estimated')!.message;
    expect(warning).toMatch(
      new RegExp(
        `^${shares.estimatedPercent} % of this load is estimated rather than measured with a power meter: \\d+ % from heart rate, \\d+ % from Strava's estimated power \\(taken as NP\\), \\d+ % from ride time at an assumed IF 0\\.65 \\(42\\.25 TSS an hour\\)\\.$`,
      ),
    );
    expect(loadShares([])).toBeNull();
  });

  it('rideFacts carry the load and its source for the model', () => {
    expect(sheet.topRides.find((r) => r.id === 'time')).toMatchObject({ load: 84.5, loadSource: 'duration', tss: null });
  });

  it("without an FTP, Strava's estimate gives way to ride time, and the warnings say so", () => {
    const noFtp = buildFactSheet({
      athleteName: 'T',
      activities,
      history: [version('2025-01-01', { lthr: 170, restingHr: 50 })],
      periodMonths: 6,
      today: '2025-05-09',
    });
    expect(noFtp.loads.find((l) => l.activity.id === 'strava')!.metrics.loadSource).toBe('duration');
    expect(noFtp.loads.find((l) => l.activity.id === 'measured')!.metrics.loadSource).toBe('duration');
    const messages = noFtp.sheet.warnings.map((w) => w.message).join('\n');
    expect(messages).toMatch(/Strava's estimated power cannot be used without an FTP/);
    expect(messages).toMatch(/count by duration/);
  });
});

describe('stale history', () => {
  const rides = Array.from({ length: 12 }, (_, i) =>
    row(`r${i}`, `2025-07-${String(1 + i * 2).padStart(2, '0')}`, { movingSeconds: 5400 }),
  );
  const { sheet } = buildFactSheet({ athleteName: 'T', activities: rides, history: [], periodMonths: 6, today: '2026-12-07' });

  it('dates the latest ride and carries fitness on to today, faded', () => {
    expect(sheet.latestRide).toEqual({ date: '2025-07-23', daysAgo: 502 });
    expect(sheet.fitness!.date).toBe('2025-07-23');
    expect(sheet.fitness!.ctl).toBeGreaterThan(0);
    expect(sheet.fitnessToday!.date).toBe('2026-12-07');
    const faded = performanceManagementChart([], {
      start: '2025-07-24',
      end: '2026-12-07',
      initialCtl: sheet.fitness!.ctl,
      initialAtl: sheet.fitness!.atl,
    }).at(-1)!;
    expect(sheet.fitnessToday!.ctl).toBeCloseTo(faded.ctl, 1);
    expect(sheet.fitnessToday!.ctl).toBe(0);
    expect(sheet.warnings.find((w) => w.code === 'stale-history')!.message).toMatch(
      /^Your latest ride was on 23 Jul 2025, 16 months ago: the period is the 6 months up to that day, and fitness has faded since \(CTL \d+\.\d then, 0\.0 today\)/,
    );
  });

  it('the offline coach neither calls it "the last 6 months" nor says to train normally', () => {
    const analysis = offlineAnalysis({
      summary: {
        period: sheet.period,
        summary: { ...sheet.comparison.current },
        fitness: sheet.fitness,
        fitnessToday: sheet.fitnessToday,
        latestRide: sheet.latestRide,
        warnings: sheet.warnings,
      },
      comparison: { months: 6, changes: sheet.comparison.changes },
    });
    const all = [analysis.summary, ...analysis.keyTrends, ...analysis.insights].join('\n');
    expect(all).not.toMatch(/last 6 months/);
    expect(all).not.toMatch(/train normally/);
    expect(all).toMatch(/in the 6 months to 23 Jul 2025/);
    expect(all).toMatch(/Your latest ride was on 23 Jul 2025, 16 months ago: fitness has faded from CTL [\d.]+ then to 0\.0 today/);
  });

  it("recent rides: no staleness warning, and today's form is what the coach talks about", () => {
    const recent = buildFactSheet({ athleteName: 'T', activities: rides, history: [], periodMonths: 6, today: '2025-07-26' });
    expect(recent.sheet.latestRide).toEqual({ date: '2025-07-23', daysAgo: 3 });
    expect(recent.sheet.warnings.map((w) => w.code)).not.toContain('stale-history');
    expect(recent.sheet.fitnessToday!.atl).toBeLessThan(recent.sheet.fitness!.atl);
    const analysis = offlineAnalysis({
      summary: {
        period: recent.sheet.period,
        fitness: recent.sheet.fitness,
        fitnessToday: recent.sheet.fitnessToday,
        latestRide: recent.sheet.latestRide,
      },
    });
    expect(analysis.insights.join('\n')).toMatch(new RegExp(`today \\(TSB ${recent.sheet.fitnessToday!.tsb.toFixed(1)}\\)`));
  });
});
