/**
 * "Numbers a cyclist can trust" in the rendered reports: month ticks that name the right month
 * (and year), an FTP history that never states the same value twice, Pw:HR decoupling per ride
 * and as a trend, the lowest W′ balance of interval rides, and one intensity split everywhere.
 */
import { describe, expect, it } from 'vitest';
import { ftpHistoryChart } from '../../../src/report/charts/ftp-history-chart.js';
import { pmcChart } from '../../../src/report/charts/pmc-chart.js';
import { polarizationChart } from '../../../src/report/charts/zone-chart.js';
import type { RawHtml } from '../../../src/report/html.js';
import { renderReports } from '../../../src/report/render.js';
import { addDays, buildEmptyReportFixture, buildReportFixture, HOSTILE_ACTIVITY_NAME } from '../../support/report-fixture.js';
import { visibleText } from '../../support/html-text.js';

const xTickLabels = (svg: RawHtml): string[] =>
  [...(svg.value.match(/<g class="axis x-axis">([\s\S]*?)<\/g>/)?.[1] ?? '').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
const plain = visibleText;
const days = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ date: addDays(from, i), ctl: 50, atl: 55, tsb: -5, load: 60 }));

describe('PMC month ticks', () => {
  it('name the right months, with the year, for a period years back with a plan far ahead', () => {
    // Jun 2020 – May 2021, and a plan from Nov 2026: the old chart spread 81 month ticks over the
    // span, kept every 12th and labelled them all "Jun".
    const pmc = days('2020-06-01', 365);
    const projected = Array.from({ length: 84 }, (_, i) => ({ date: addDays('2026-11-30', i), ctl: 40, atl: 40, tsb: 0 }));
    const svg = pmcChart(pmc, projected, 'p', null, '2026-11-24T12:00:00.000Z');
    const labels = xTickLabels(svg);
    expect(labels).toEqual(['Jul 2020', 'Sep', 'Nov', 'Jan 2021', 'Mar', 'May']);
    // The far-off projection is said, not drawn across six empty years.
    expect(svg.value).not.toContain('l-ctl dashed');
    expect(svg.value).toContain('starts long after these rides');
  });

  it('show the year for a period in another year than the run, and months alone for this year', () => {
    const pmc = days('2019-03-10', 200);
    expect(xTickLabels(pmcChart(pmc, [], 'p', null, '2026-01-05'))[0]).toBe('Apr 2019');
    expect(xTickLabels(pmcChart(pmc, [], 'p', null, '2019-12-01'))).toEqual(['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep']);
  });

  it('mark the new year when the chart crosses one (the fixture: May 2025 to the plan in 2026)', () => {
    const m = buildReportFixture();
    const labels = xTickLabels(pmcChart(m.pmc, m.projectedPmc, 'p', null, m.generatedAt));
    expect(labels[0]).toMatch(/^[A-Z][a-z]{2} 2025$/);
    expect(labels).toContain('Jan 2026');
    // every label a different month
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('FTP history sentence', () => {
  const desc = (history: Parameters<typeof ftpHistoryChart>[0], end: string) =>
    ftpHistoryChart(history, end, 'f').value.match(/<desc id="f-d">([^<]*)<\/desc>/)![1];

  it('says a single value plainly', () => {
    // The old sentence: "FTP went from 250 W on 7 Dec 2026 to 250 W on 7 Dec 2026".
    expect(desc([{ date: '2026-12-07', ftp: 250, wattsPerKg: 3.57 }], '2026-12-07')).toBe(
      'FTP 250\u202fW since 7 Dec 2026 (3.57\u202fW/kg).',
    );
  });

  it('says "unchanged" for repeated equal values and never lists a value twice', () => {
    const same = [
      { date: '2026-12-07', ftp: 250, wattsPerKg: 3.57 },
      { date: '2026-12-20', ftp: 250, wattsPerKg: 3.57 },
      { date: '2027-01-04', ftp: 250, wattsPerKg: 3.62 },
    ];
    expect(desc(same, '2027-01-10')).toBe('FTP unchanged at 250\u202fW since 7 Dec 2026 (3.62\u202fW/kg).');
    // The data table drops the repeat (same FTP and W/kg); the W/kg change stays.
    expect(ftpHistoryChart(same, '2027-01-10', 'f').value.match(/<tr><th scope="row">/g)).toHaveLength(2);
  });

  it('says from what to what when FTP changed, and the range when it came back', () => {
    expect(
      desc(
        [
          { date: '2025-01-01', ftp: 250, wattsPerKg: null },
          { date: '2025-05-01', ftp: 265, wattsPerKg: 3.79 },
        ],
        '2025-06-01',
      ),
    ).toBe('FTP went from 250\u202fW on 1 Jan 2025 to 265\u202fW on 1 May 2025 (3.79\u202fW/kg).');
    expect(
      desc(
        [
          { date: '2025-01-01', ftp: 250, wattsPerKg: null },
          { date: '2025-03-01', ftp: 260, wattsPerKg: null },
          { date: '2025-05-01', ftp: 250, wattsPerKg: null },
        ],
        '2025-06-01',
      ),
    ).toBe('FTP 250\u202fW since 1 May 2025, the same as on 1 Jan 2025; in between it ranged from 250\u202fW to 260\u202fW.');
  });
});

describe('dashboard: decoupling, W′ balance, intensity split', () => {
  const model = buildReportFixture({ hostile: true });
  const doc = renderReports(model).find((r) => r.fileName === 'performance_dashboard.html')!.html;
  const t = plain(doc);

  it('puts Pw:HR decoupling in the ride table, right after NP, TSS and IF', () => {
    const heads = [...doc.match(/<table class="rides"[\s\S]*?<\/thead>/)![0].matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map(
      (m) => m[1],
    );
    expect(heads.slice(0, 6)).toEqual(['Date', 'Name', 'NP (W)', 'TSS', 'IF', 'Pw:HR (%)']);
    const first = model.rides[0]!;
    expect(doc).toContain(`<td data-v="${first.aerobicDecouplingPercent}" class="num">${first.aerobicDecouplingPercent!.toFixed(1)}</td>`);
    expect(t).toContain('Pw:HR is aerobic decoupling');
  });

  it('draws the decoupling trend over long endurance rides, with the rule and the 5 % reading', () => {
    const figure = doc.match(/<figure class="chart " id="decoupling">[\s\S]*?<\/figure>/)?.[0] ?? '';
    expect(figure.match(/<circle /g)).toHaveLength(model.aerobicDecoupling.rides.length);
    expect(t).toContain('Aerobic decoupling (Pw:HR) on long endurance rides');
    expect(t).toContain('Long endurance rides: rides of 90 min or more (moving time) at an intensity factor of 0.80 or less');
    expect(t).toContain('under 5 % is the usual sign of good aerobic fitness');
    const none = { ...buildReportFixture(), aerobicDecoupling: { ...model.aerobicDecoupling, rides: [] } };
    expect(plain(renderReports(none).find((r) => r.fileName === 'performance_dashboard.html')!.html)).toContain(
      'No long endurance rides with power and heart rate in this period',
    );
  });

  it('tabulates the lowest W′ balance of interval rides in kJ and % of W′, with the rule, names escaped', () => {
    const table = doc.match(/<table class="w-prime">[\s\S]*?<\/table>/)![0];
    expect(table.match(/<tr><td/g)).toHaveLength(model.wPrimeBalance!.rides.length);
    const row = model.wPrimeBalance!.rides[0]!;
    expect(plain(table)).toContain(`${row.minKj.toFixed(1)} ${row.minPercent} %`);
    expect(t).toContain('CP 271 W and W′ 18.5 kJ come from your power curve');
    expect(t).toContain('Interval rides: a variability index (NP ÷ average power) of 1.10 or more, or at least 5 min above CP.');
    expect(table).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(doc).not.toContain(HOSTILE_ACTIVITY_NAME);
    expect(plain(renderReports(buildEmptyReportFixture()).find((r) => r.fileName === 'performance_dashboard.html')!.html)).toContain(
      'No reliable critical power model for this period',
    );
  });

  it('prints the intensity split as the model gives it: whole percentages that add up to 100', () => {
    const p = model.zones.polarization!;
    expect(p.easy + p.moderate + p.hard).toBe(100);
    expect(t).toContain(`Easy ${p.easy} %`);
    expect(polarizationChart({ easy: 60, moderate: 10, hard: 30, basis: 'time in power zones' }).value).toContain(
      'Easy 60\u202f%, moderate 10\u202f%, hard 30\u202f% of riding time',
    );
  });
});
