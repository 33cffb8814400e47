import { describe, expect, it } from 'vitest';
import {
  formatCurveDuration,
  formatDate,
  formatDuration,
  formatNumber,
  formatPeriod,
  formatTickDuration,
  withUnit,
} from '../../../src/report/format.js';
import { combineForPrint } from '../../../src/report/print.js';
import { renderReports } from '../../../src/report/render.js';
import { REPORT_FILES } from '../../../src/report/report-model.js';
import { buildEmptyReportFixture, buildReportFixture } from '../../support/report-fixture.js';

const text = (doc: string): string =>
  doc
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('renderReports', () => {
  const model = buildReportFixture();
  const reports = renderReports(model);
  const get = (name: string): string => reports.find((r) => r.fileName === name)!.html;

  it('returns the three files in order, each a complete document', () => {
    expect(reports.map((r) => r.fileName)).toEqual([...REPORT_FILES]);
    for (const r of reports) {
      expect(r.html.startsWith('<!doctype html>')).toBe(true);
      expect(r.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(r.html).toContain('@media print');
      expect(r.html).toContain('prefers-color-scheme:dark');
      expect(r.html.trimEnd().endsWith('</html>')).toBe(true);
      expect(Buffer.byteLength(r.html)).toBeLessThan(500 * 1024);
    }
  });

  it('is pure: the same model gives the same bytes', () => {
    expect(renderReports(model).map((r) => r.html)).toEqual(reports.map((r) => r.html));
  });

  it('links the three files to each other with relative links', () => {
    for (const r of reports) for (const f of REPORT_FILES) expect(r.html).toContain(`href="${f}"`);
  });

  it('shows the key numbers with units and trend arrows on the summary', () => {
    const t = text(get('index.html'));
    expect(t).toContain('FTP 265 W ▲ +5.2 %'); // (\s+ folded the narrow no-break spaces)
    expect(t).toContain('Best 20 min 286 W');
    expect(t).toMatch(/CTL \(fitness\) \d+ TSS\/day/);
    expect(t).toContain('1 May – 31 Oct 2025 (6 months)');
    // Top insights (at most five) and the plan at a glance, one row per week.
    expect(
      get('index.html')
        .match(/<ul class="insights">([\s\S]*?)<\/ul>/)![1]!
        .match(/<li>/g),
    ).toHaveLength(5);
    expect(
      get('index.html')
        .match(/<table class="plan-glance">[\s\S]*?<\/table>/)![0]
        .match(/<tr><th scope="row">/g),
    ).toHaveLength(12);
  });

  it('draws every planned workout with steps on the coaching page, with its TSS, IF and duration', () => {
    const doc = get('coaching_insights.html');
    const workouts = model.plan!.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts));
    expect(doc.match(/<svg class="workout-plot"/g)).toHaveLength(workouts.length);
    expect(text(doc)).toContain('Threshold 2×20 threshold 1 h 10 min · 88 TSS · IF 0.87 · hard');
    expect(doc.match(/<section class="week"/g)).toHaveLength(12);
    for (const heading of [
      'Strengths',
      'Limiters',
      'Next 4 weeks',
      'Next 3–6 months',
      'Recovery and nutrition',
      'Coaching notes',
      'What to watch',
      'Downloads',
    ])
      expect(doc).toContain(`>${heading}</h`);
  });

  it('puts every chart and the sortable ride table on the dashboard', () => {
    const doc = get('performance_dashboard.html');
    expect(doc.match(/<svg class="plot"/g)).toHaveLength(8);
    expect(doc.match(/<details class="data">/g)).toHaveLength(7);
    expect(doc).toContain('<table class="rides" data-sortable>');
    expect(doc.match(/<table class="rides"[\s\S]*?<\/table>/)![0].match(/<tr>/g)).toHaveLength(41);
    expect(doc.indexOf('data-snapshot-end')).toBeLessThan(doc.indexOf('class="rides"'));
  });

  it('renders a model with no power, no plan and no rides, and says what is missing', () => {
    const empty = renderReports(buildEmptyReportFixture());
    const all = empty.map((r) => text(r.html)).join(' ');
    for (const sentence of [
      'No power data in this period or the one before',
      'No training plan in this report',
      'No rides in this period',
      'No training load yet',
      'No FTP history yet',
      'No heart-rate data',
      'No plan, so nothing to download',
      'no data in this period',
      'No insights',
    ])
      expect(all).toContain(sentence);
    expect(empty.find((r) => r.fileName === 'performance_dashboard.html')!.html).not.toContain('<svg');
    expect(empty.find((r) => r.fileName === 'performance_dashboard.html')!.html).not.toContain('<script>');
  });

  it('marks a degraded run and lists warnings', () => {
    const m = buildReportFixture();
    m.run = {
      ...m.run,
      degraded: true,
      degradedReason: 'The model timed out.',
      warnings: [{ code: 'no-hr', message: 'No heart-rate data <in> 3 rides.' }],
    };
    const doc = renderReports(m)[0]!.html;
    expect(doc).toContain('Written by the offline coach.');
    expect(doc).toContain('The model timed out.');
    expect(doc).toContain('No heart-rate data &lt;in&gt; 3 rides.');
  });
});

describe('format', () => {
  it('writes numbers with units', () => {
    expect(withUnit(265, 'W')).toBe('265\u202fW');
    expect(withUnit(3.7857, 'W/kg', 2)).toBe('3.79\u202fW/kg');
    expect(withUnit(null, 'W')).toBe('—');
    expect(formatNumber(-6.2, 0)).toBe('−6');
    expect(formatNumber(-0.2, 0)).toBe('0');
    expect(formatNumber(12345)).toBe('12\u2009345');
    expect(formatDuration(4980)).toBe('1\u202fh 23\u202fmin');
    expect(formatDuration(59)).toBe('59\u202fs');
    expect(formatCurveDuration(90)).toBe('1\u202fmin 30\u202fs');
    expect(formatTickDuration(6300)).toBe('1h45');
    expect(formatDate('2025-03-03')).toBe('3 Mar 2025');
    expect(formatPeriod('2024-11-01', '2025-04-30')).toBe('1 Nov 2024 – 30 Apr 2025');
  });
});

describe('combineForPrint', () => {
  it('joins the bodies with page breaks, keeps one stylesheet and drops scripts', () => {
    const docs = renderReports(buildReportFixture()).map((r) => r.html);
    const combined = combineForPrint(docs);
    expect(combined.match(/<style>/g)).toHaveLength(1);
    expect(combined).not.toContain('<script');
    expect(combined.match(/break-before:page/g)).toHaveLength(2);
    expect(combined).toContain('Power-duration curve');
    expect(combined).toContain('The plan week by week');
  });
});
