import { describe, expect, it } from 'vitest';
import { decouplingChart } from '../../../src/report/charts/decoupling-chart.js';
import { ftpHistorySentence } from '../../../src/report/charts/ftp-history-chart.js';
import { monthTicks } from '../../../src/report/charts/axes.js';
import { dayNumber } from '../../../src/report/format.js';
import { buildReportFixture } from '../../support/report-fixture.js';

describe('monthTicks', () => {
  const t = (from: string, to: string, max: number, year: number | null) =>
    monthTicks(dayNumber(from), dayNumber(to), max, year).map((x) => x.label);

  it('steps 1, 2, 3, 4, 6 or 12 months from January, at most `max` ticks', () => {
    expect(t('2025-01-15', '2025-12-31', 6, 2025)).toEqual(['Mar', 'May', 'Jul', 'Sep', 'Nov']);
    expect(t('2025-01-15', '2025-12-31', 4, 2025)).toEqual(['Apr', 'Jul', 'Oct']);
    expect(t('2025-03-01', '2025-06-30', 6, 2025)).toEqual(['Mar', 'Apr', 'May', 'Jun']);
  });
  it('adds the year on the first tick and at each new year when the range crosses a year or is not the current one', () => {
    expect(t('2024-10-01', '2025-03-31', 6, 2025)).toEqual(['Oct 2024', 'Nov', 'Dec', 'Jan 2025', 'Feb', 'Mar']);
    expect(t('2019-03-01', '2019-06-30', 6, 2026)).toEqual(['Mar 2019', 'Apr', 'May', 'Jun']);
    expect(t('2019-03-01', '2019-06-30', 6, null)).toEqual(['Mar', 'Apr', 'May', 'Jun']);
    expect(t('2018-01-01', '2024-06-30', 7, 2026)).toEqual(['2018', '2019', '2020', '2021', '2022', '2023', '2024']);
  });
  it('has nothing to show without a first of the month in range', () => {
    expect(t('2025-03-02', '2025-03-30', 6, 2025)).toEqual([]);
  });
});

describe('ftpHistorySentence', () => {
  it('copes with no FTP at all', () => {
    expect(ftpHistorySentence([{ date: '2025-01-01', ftp: null, wattsPerKg: null }])).toBe('No FTP recorded yet.');
  });
});

describe('decouplingChart', () => {
  const model = buildReportFixture();
  it('draws a dot per long endurance ride, colored by the 5 % reading, and a dashed line at 5 %', () => {
    const svg = decouplingChart(model.aerobicDecoupling, 'd', model.generatedAt).value;
    const rides = model.aerobicDecoupling.rides;
    expect(svg.match(/<circle /g)).toHaveLength(rides.length);
    expect(svg.match(/class="dot d-good"/g) ?? []).toHaveLength(rides.filter((r) => r.percent < 5).length);
    expect(svg).toContain('<path class="ftp-line"');
    expect(svg).toContain('>5\u202f%</text>');
  });
  it('says which rides count when there are none', () => {
    expect(decouplingChart({ ...model.aerobicDecoupling, rides: [] }).value).toContain(
      'rides of 90\u202fmin or more (moving time) at an intensity factor of 0.80 or less',
    );
  });
});
