import { describe, expect, it } from 'vitest';
import type { Plan, WorkoutStep } from '../../../src/domain/plan/types.js';
import { ftpHistoryChart } from '../../../src/report/charts/ftp-history-chart.js';
import { planLoadChart } from '../../../src/report/charts/plan-load-chart.js';
import { pmcChart } from '../../../src/report/charts/pmc-chart.js';
import { CP_MODEL_FROM_SECONDS, CP_MODEL_TO_SECONDS, powerCurveChart } from '../../../src/report/charts/power-curve-chart.js';
import { linearScale, logScale, niceTicks, pathPointCount } from '../../../src/report/charts/svg.js';
import { weeklyLoadChart } from '../../../src/report/charts/weekly-load-chart.js';
import { workoutChart, workoutSegments } from '../../../src/report/charts/workout-chart.js';
import { polarizationChart, zoneChart } from '../../../src/report/charts/zone-chart.js';
import { powerZone } from '../../../src/report/charts/zones.js';
import type { RawHtml } from '../../../src/report/html.js';
import { addDays } from '../../support/report-fixture.js';

const count = (svg: RawHtml, tag: string): number => (svg.value.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length;
const paths = (svg: RawHtml, cls: string): string[] =>
  [...svg.value.matchAll(new RegExp(`<path class="${cls}" d="([^"]*)"`, 'g'))].map((m) => m[1]!);
const texts = (svg: RawHtml): string[] => [...svg.value.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('scales and ticks', () => {
  it('picks round ticks covering the range', () => {
    expect(niceTicks(0, 97, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-23, 71, 5)).toEqual([-25, 0, 25, 50, 75]);
    expect(niceTicks(3.38, 3.89, 4)).toEqual([3.2, 3.4, 3.6, 3.8, 4]);
    expect(niceTicks(5, 5)).toEqual([4.5, 4.75, 5, 5.25, 5.5]);
    expect(niceTicks(0, 0)).toEqual([0, 1]);
  });
  it('maps linearly and logarithmically', () => {
    expect(linearScale(0, 10, 100, 200)(5)).toBe(150);
    expect(linearScale(3, 3, 0, 10)(3)).toBe(5);
    const log = logScale(1, 1000, 0, 300);
    expect(log(10)).toBeCloseTo(100);
    expect(log(100)).toBeCloseTo(200);
  });
  it('names Coggan zones by % FTP', () => {
    expect([50, 56, 75, 76, 90, 91, 105, 106, 120, 121, 150, 151].map(powerZone)).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7]);
  });
});

describe('PMC chart', () => {
  const pmc = Array.from({ length: 10 }, (_, i) => ({
    date: addDays('2025-01-27', i),
    ctl: 40 + i,
    atl: 45 + i * 2,
    tsb: -5 - i,
    load: 50,
  }));
  const projected = Array.from({ length: 5 }, (_, i) => ({ date: addDays('2025-02-06', i), ctl: 50 + i, atl: 60 - i, tsb: -10 + i * 2 }));
  const svg = pmcChart(pmc, projected, 'p');

  it('draws CTL, ATL and TSB solid over the actual days and dashed over the projection', () => {
    for (const key of ['ctl', 'atl', 'tsb']) {
      expect(paths(svg, `line l-${key}`).map(pathPointCount)).toEqual([10]);
      // The projection starts at the last actual day: 1 + 5 points.
      expect(paths(svg, `line l-${key} dashed`).map(pathPointCount)).toEqual([6]);
    }
    expect(count(svg, 'circle')).toBe(3); // today's value of each line
  });
  it('labels the axes: months, TSS/day ticks including zero, the plan divider', () => {
    const labels = texts(svg);
    expect(labels).toContain('Feb');
    expect(labels).toContain('0');
    expect(labels).toContain('−20');
    expect(labels).toContain('60');
    expect(labels).toContain('plan →');
    expect(svg.value).toContain('<title id="p-t">Fitness, fatigue and form (PMC)</title>');
    expect(svg.value).toMatch(/<desc id="p-d">[^<]*CTL is 49, ATL 63 and TSB −14 TSS\/day/);
  });
  it('has a data table with one row a week', () => {
    expect(svg.value).toContain('<details class="data">');
    expect((svg.value.match(/<tr><th scope="row">/g) ?? []).length).toBe(2 + 1);
  });
  it('says what is missing without data', () => {
    const empty = pmcChart([], [], 'p');
    expect(empty.value).not.toContain('<svg');
    expect(empty.value).toContain('No training load yet');
  });
});

describe('power-duration curve', () => {
  const current = { '1': 1000, '5': 900, '60': 480, '300': 330, '1200': 285, '3600': 255 };
  const previous = { '5': 850, '60': 450, '300': 320, '1200': 270 };
  const model = { cp: 270, wPrime: 18_000, confidence: 'good', reason: 'test' };
  const svg = powerCurveChart({ current, previous, model }, { current: 'now', previous: 'before' }, 'pc');

  it('draws both periods, marks the key durations and draws the CP model from 2 min', () => {
    const [curr] = paths(svg, 'line l-current');
    const [prev] = paths(svg, 'line l-previous');
    const [cp] = paths(svg, 'line l-model dashed');
    expect(pathPointCount(curr!)).toBe(6);
    expect(pathPointCount(prev!)).toBe(4);
    expect(pathPointCount(cp!)).toBe(25);
    expect(count(svg, 'circle')).toBe(4); // 5 s, 1 min, 5 min, 20 min
    // The model line starts at 2 min, right of the 1-min dot and left of the 5-min one.
    const cpStartX = Number(/^M([\d.]+)/.exec(cp!)?.[1]);
    const dotsX = [...svg.value.matchAll(/<circle class="dot d-current" cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(cpStartX).toBeGreaterThan(dotsX[1]!);
    expect(cpStartX).toBeLessThan(dotsX[2]!);
    expect(CP_MODEL_FROM_SECONDS).toBe(120);
  });
  it('uses a log time axis labelled in seconds, minutes and hours', () => {
    const labels = texts(svg);
    for (const l of ['1s', '5s', '15s', '1m', '5m', '20m', '1h', 'W']) expect(labels).toContain(l);
    const x = (label: string): number =>
      Number(new RegExp(`<text x="([\\d.]+)" y="[\\d.]+" class="tick" text-anchor="middle">${label}</text>`).exec(svg.value)?.[1]);
    // Log scale: 1 s → 1 min and 1 min → 1 h are equally wide.
    expect(x('1m') - x('1s')).toBeCloseTo(x('1h') - x('1m'), 0);
  });
  it('tabulates every duration with the model value', () => {
    expect(svg.value).toContain('<th scope="row">20\u202fmin</th><td>285</td><td>270</td><td>285</td>');
  });
  it('draws the CP model over 2–20 min only and a power law from 20 min to the longest best, each in the legend', () => {
    const x = (label: string): number =>
      Number(new RegExp(`<text x="([\\d.]+)" y="[\\d.]+" class="tick" text-anchor="middle">${label}</text>`).exec(svg.value)?.[1]);
    const lastX = (d: string): number => Number(/([\d.]+),[\d.]+$/.exec(d)?.[1] ?? /L([\d.]+) [\d.]+$/.exec(d)?.[1]);
    const firstX = (d: string): number => Number(/^M([\d.]+)/.exec(d)?.[1]);
    const [cp] = paths(svg, 'line l-model dashed');
    const [law] = paths(svg, 'line l-model');
    expect(CP_MODEL_TO_SECONDS).toBe(1200);
    expect(lastX(cp!)).toBeCloseTo(x('20m'), 0);
    expect(firstX(law!)).toBeCloseTo(x('20m'), 0);
    expect(lastX(law!)).toBeCloseTo(x('1h'), 0);
    expect(pathPointCount(law!)).toBe(25);
    expect(svg.value).toContain('CP model, 2–20\u202fmin: 270\u202fW + 18.0\u202fkJ / t');
    expect(svg.value).toContain('Power law, 20\u202fmin–1\u202fh: 285\u202fW × (t / 20\u202fmin)^−0.101');
  });
  it('never tabulates the CP model beyond 20 min (270 + 18 kJ / 1 h = 275 W beside a 255 W best hour)', () => {
    expect(svg.value).toContain('<th scope="col">Power law (W)</th>');
    expect(svg.value).toContain('<th scope="row">5\u202fmin</th><td>330</td><td>320</td><td>330</td><td>—</td>');
    expect(svg.value).toContain('<th scope="row">1\u202fh</th><td>255</td><td>—</td><td>—</td><td>255</td>');
    expect(svg.value).not.toContain('<td>275</td>');
    // Without bests beyond 20 min there is no long-duration model, and nothing is drawn past 20 min.
    const short = powerCurveChart(
      { current: { '5': 900, '300': 330, '1200': 285 }, previous: {}, model },
      { current: 'now', previous: 'before' },
      'pc2',
    );
    expect(paths(short, 'line l-model')).toEqual([]);
    expect(short.value).not.toContain('Power law');
    expect(short.value).toContain('No model is shown beyond 20');
  });
  it('copes with no power and no model', () => {
    expect(powerCurveChart({ current: {}, previous: {}, model: null }, { current: 'a', previous: 'b' }).value).toContain('No power data');
    const onlyPrevious = powerCurveChart({ current: {}, previous, model: null }, { current: 'a', previous: 'b' });
    expect(onlyPrevious.value).toContain('No power data this period');
    expect(paths(onlyPrevious, 'line l-current')).toEqual([]);
  });
});

describe('weekly load, zones, FTP history, plan', () => {
  it('draws one bar and one hours dot per week', () => {
    const weeks = Array.from({ length: 8 }, (_, i) => ({
      week: addDays('2025-03-03', i * 7),
      load: 300 + i * 20,
      hours: 6 + i * 0.5,
      rides: 4,
    }));
    const svg = weeklyLoadChart(weeks, 'wl');
    expect(count(svg, 'rect')).toBe(8);
    expect(count(svg, 'circle')).toBe(8);
    expect(pathPointCount(paths(svg, 'line l-hours')[0]!)).toBe(8);
    expect(texts(svg)).toEqual(expect.arrayContaining(['TSS', 'h', '3 Mar', '0']));
    expect(weeklyLoadChart([], 'wl').value).toContain('No rides in this period');
  });

  it('draws current and previous bars for each zone', () => {
    const svg = zoneChart('power', { current: [20, 40, 15, 12, 8, 4, 1], previous: [25, 40, 15, 10, 6, 3, 1] });
    expect(count(svg, 'rect')).toBe(14);
    expect((svg.value.match(/class="bar prev z\d"/g) ?? []).length).toBe(7);
    for (let z = 1; z <= 7; z++) expect(svg.value).toContain(`>Z${z} `);
    expect(texts(svg)).toContain('40\u202f%');
    const hr = zoneChart('heartRate', { current: [30, 40, 20, 8, 2], previous: [] });
    expect(count(hr, 'rect')).toBe(5);
    expect(zoneChart('heartRate', null).value).toContain('No heart-rate data');
    expect(count(polarizationChart({ easy: 80, moderate: 5, hard: 15, basis: 'test' }), 'rect')).toBe(3);
  });

  it('draws FTP as a step line with a dot per estimate', () => {
    const svg = ftpHistoryChart(
      [
        { date: '2025-01-01', ftp: 250, wattsPerKg: 3.5 },
        { date: '2025-03-01', ftp: null, wattsPerKg: null },
        { date: '2025-05-01', ftp: 265, wattsPerKg: 3.79 },
      ],
      '2025-06-30',
    );
    expect(count(svg, 'circle')).toBe(2);
    expect(texts(svg)).toContain('265\u202fW · 3.79\u202fW/kg');
    expect(texts(svg)).toEqual(expect.arrayContaining(['W', 'W/kg', 'Jan', 'Mar']));
    expect(ftpHistoryChart([], null).value).toContain('No FTP history');
  });

  it('draws a bar and a target tick per plan week', () => {
    const plan: Plan = {
      weeks: [1, 2, 3].map((week) => ({
        week,
        phase: week === 3 ? 'recovery' : 'base',
        targetTss: 400,
        plannedTss: 380 + week,
        hours: 8,
        days: [],
      })),
    };
    const svg = planLoadChart(plan);
    expect(count(svg, 'rect')).toBe(3);
    expect(paths(svg, 'target')).toHaveLength(3);
    expect(texts(svg)).toEqual(expect.arrayContaining(['W1', 'W2', 'W3']));
    expect(planLoadChart(null).value).toContain('No training plan');
  });
});

describe('workout chart', () => {
  const steps: WorkoutStep[] = [
    { kind: 'ramp', seconds: 600, fromPercentFtp: 50, toPercentFtp: 75 },
    { kind: 'intervals', repeat: 3, on: { seconds: 300, percentFtp: 110 }, off: { seconds: 180, percentFtp: 50 } },
    { kind: 'steady', seconds: 600, percentFtp: 65 },
  ];

  it('expands intervals and cuts ramps at zone bounds', () => {
    expect(workoutSegments(steps)).toHaveLength(1 + 6 + 1);
    const svg = workoutChart(steps, { label: 'VO2 <test>' });
    expect(count(svg, 'rect')).toBe(7); // 6 interval blocks + 1 steady
    expect(count(svg, 'polygon')).toBe(2); // the ramp crosses Z1 → Z2 at 55.5 %
    expect((svg.value.match(/class="z5"/g) ?? []).length).toBe(3);
    expect(svg.value).toContain('aria-label="VO2 &lt;test&gt;"');
    expect(texts(svg)).toEqual(['FTP', '0', '15m', '30m', '44m']); // 10 + 3 × 8 + 10 min
  });

  it('is empty without steps', () => {
    expect(workoutChart(undefined, { label: 'x' }).value).toBe('');
    expect(workoutChart([], { label: 'x' }).value).toBe('');
  });
});
