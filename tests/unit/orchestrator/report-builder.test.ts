/**
 * The report model from real engine output (buildFactSheet over hand-made 1 Hz rides): the
 * intensity split as whole percentages that add up to 100 (and the same figures in the offline
 * coach's text), FTP history without repeated values, Pw:HR decoupling per ride and over long
 * endurance rides, and the lowest W′ balance of interval rides.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_PROFILE, type ProfileVersion } from '../../../src/domain/profile.js';
import { offlineAnalysis } from '../../../src/llm/offline/offline-analysis.js';
import { buildFactSheet, type FactSheetDetail } from '../../../src/orchestrator/fact-sheet.js';
import { loadPrompts } from '../../../src/orchestrator/prompts.js';
import { buildReportModel } from '../../../src/orchestrator/report-builder.js';
import { renderReports } from '../../../src/report/render.js';
import type { ReportModel } from '../../../src/report/report-model.js';
import { constant, makeActivity, makeStreams } from '../domain/metrics/fixtures.js';
import { visibleText } from '../../support/html-text.js';

const text = visibleText;

const version = (date: string, fields: Partial<ProfileVersion> = {}): ProfileVersion => ({
  ...EMPTY_PROFILE,
  validFrom: new Date(`${date}T00:00:00Z`),
  ...fields,
});

function ride(id: string, date: string, power: number[], heartRate: number[], name: string) {
  return makeActivity({
    id,
    name,
    startTime: new Date(`${date}T08:00:00Z`),
    streams: makeStreams({ power, heartRate }),
    movingSeconds: power.length,
    timerSeconds: power.length,
  });
}

// FTP 250 W at 70 kg, set on 7 Dec 2026; a later profile change (goals) leaves FTP and weight as they were.
const history = [
  version('2026-12-07', { ftp: 250, weightKg: 70, maxHr: 190, lthr: 170 }),
  version('2026-12-20', { ftp: 250, weightKg: 70, maxHr: 190, lthr: 170, goals: 'Ride more' }),
];

// A: 2 h steady at 180 W (IF 0.72), heart rate 130 bpm in the first hour, 137 in the second:
//    Pw:HR decoupling = 1 − 130/137 = 5.1 %.
const endurance = ride('a', '2027-01-05', constant(7200, 180), [...constant(3600, 130), ...constant(3600, 137)], 'Long steady');
// B: 20 min at 150 W, 6 min at 300 W, 20 min at 150 W. With CP 250 W and W′ 20 kJ the 6 min cost
//    50 W × 360 s = 18 kJ: the lowest W′ balance is 2.0 kJ, 10 % of W′, with 6 min above CP.
const intervals = ride(
  'b',
  '2027-01-07',
  [...constant(1200, 150), ...constant(360, 300), ...constant(1200, 150)],
  constant(2760, 140),
  'One long effort',
);
// C: 45 min steady at 200 W: neither long endurance nor intervals.
const short = ride('c', '2027-01-09', constant(2700, 200), constant(2700, 140), 'Short steady');

function detail(): FactSheetDetail {
  const d = buildFactSheet({ athleteName: 'Test', activities: [endurance, intervals, short], history, periodMonths: 6 });
  d.sheet.powerCurve.model = {
    ...d.sheet.powerCurve.model,
    eftp: 250,
    confidence: 'high',
    twoParameter: { cp: 250, wPrime: 20_000, r2: 1, points: 4, shortestSeconds: 120, longestSeconds: 1200 },
  };
  // Plain rounding of 66.5 / 16.5 / 17 % prints 67 + 17 + 17 = 101 %.
  d.sheet.comparison.current.polarization = { basis: 'power', easy: 0.665, moderate: 0.165, hard: 0.17 };
  return d;
}

function model(d: FactSheetDetail = detail()): ReportModel {
  return buildReportModel({
    runId: 'run-test',
    generatedAt: new Date('2027-01-10T12:00:00Z'),
    detail: d,
    analysis: {
      summary: 'A test period.',
      keyTrends: ['x'],
      strengths: [],
      limiters: [],
      insights: ['y'],
      recommendations: { shortTerm: ['a'], longTerm: ['b'], recovery: ['c'] },
    },
    plan: null,
    planNotes: null,
    planExports: null,
    projectedPmc: [],
    prompts: loadPrompts(),
    provider: 'offline',
    model: 'offline',
    degradedReason: null,
    warnings: [],
  });
}

const dashboard = (m: ReportModel): string => text(renderReports(m).find((r) => r.fileName === 'performance_dashboard.html')!.html);

describe('buildReportModel: numbers a cyclist can trust', () => {
  const d = detail();
  const m = model(d);
  const page = dashboard(m);

  it('gives the intensity split as whole percentages adding up to 100, and the offline coach quotes the same', () => {
    expect(m.zones.polarization).toMatchObject({ easy: 67, moderate: 16, hard: 17 });
    expect(m.zones.polarization!.basis).toMatch(/power zones/);
    expect(page).toContain('Easy 67 %, moderate 16 %, hard 17 %');
    expect(page).not.toMatch(/Easy 0\.\d/);
    const coach = offlineAnalysis({ zones: { current: { polarization: d.sheet.comparison.current.polarization } } });
    expect(coach.insights.join(' ')).toContain('67 % easy, 16 % moderate, 17 % hard');
  });

  it('lists an FTP that never changed once, and says so plainly', () => {
    expect(m.ftpHistory).toEqual([{ date: '2026-12-07', ftp: 250, wattsPerKg: 3.57 }]);
    expect(page).toContain('FTP 250 W since 7 Dec 2026 (3.57 W/kg).');
    expect(page).not.toMatch(/from 250 W on 7 Dec 2026 to 250 W/);
  });

  it('carries Pw:HR decoupling per ride, and a trend over long endurance rides only', () => {
    expect(m.rides.map((r) => [r.name, r.aerobicDecouplingPercent])).toEqual([
      ['Short steady', 0],
      ['One long effort', expect.any(Number)],
      ['Long steady', 5.1],
    ]);
    expect(m.aerobicDecoupling.rule).toEqual({ minMovingMinutes: 90, maxIntensityFactor: 0.8, goodBelowPercent: 5 });
    expect(m.aerobicDecoupling.rides).toEqual([
      { date: '2027-01-05', name: 'Long steady', percent: 5.1, durationSeconds: 7200, intensityFactor: 0.72 },
    ]);
    expect(page).toContain('Aerobic decoupling (Pw:HR) on long endurance rides');
    expect(page).toContain('rides of 90 min or more (moving time) at an intensity factor of 0.80 or less');
  });

  it('gives the lowest W′ balance of interval rides from the stream and the CP model (Skiba, differential)', () => {
    expect(m.wPrimeBalance).toEqual({
      cp: 250,
      wPrimeKj: 20,
      rule: { minVariabilityIndex: 1.1, minMinutesAboveCp: 5 },
      rides: [
        {
          date: '2027-01-07',
          name: 'One long effort',
          minKj: 2,
          minPercent: 10,
          secondsAboveCp: 360,
          variabilityIndex: expect.any(Number),
        },
      ],
    });
    expect(page).toContain('W′ balance on interval rides');
    expect(page).toMatch(/7 Jan One long effort 2\.0 10 % 6 min/);
    expect(page).toContain('a variability index (NP ÷ average power) of 1.10 or more, or at least 5 min above CP');
  });

  it('has no W′ balance without a usable CP model', () => {
    const without = detail();
    without.sheet.powerCurve.model = { ...without.sheet.powerCurve.model, eftp: null, twoParameter: null };
    expect(model(without).wPrimeBalance).toBeNull();
    expect(dashboard(model(without))).toContain('No reliable critical power model for this period');
  });

  it('has no W′ balance on a low-confidence CP model (most rides would "beat" it)', () => {
    const low = detail();
    low.sheet.powerCurve.model = { ...low.sheet.powerCurve.model, confidence: 'low' };
    expect(model(low).wPrimeBalance).toBeNull();
  });
});
