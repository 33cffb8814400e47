import { describe, expect, it } from 'vitest';
import type { ComplianceWeek } from '../../../src/domain/coaching/compliance-summary.js';
import { complianceChart } from '../../../src/report/charts/compliance-chart.js';
import type { RawHtml } from '../../../src/report/html.js';
import { visibleText } from '../../support/html-text.js';

const WEEKS: ComplianceWeek[] = [
  { week: 1, start: '2026-03-02', plannedTss: 220, plannedToDateTss: 220, doneTss: 149, extraTss: 40, rides: 3, current: false },
  { week: 2, start: '2026-03-09', plannedTss: 200, plannedToDateTss: 200, doneTss: 261, extraTss: 33, rides: 4, current: false },
  { week: 3, start: '2026-03-16', plannedTss: 220, plannedToDateTss: 60, doneTss: 0, extraTss: 0, rides: 0, current: true },
];

/** The rectangles of one bar class: y, height and the tooltip. */
function bars(svg: RawHtml, cls: string): { y: number; height: number; title: string }[] {
  return [
    ...svg.value.matchAll(
      new RegExp(`<rect class="bar ${cls}" x="[^"]*" y="([^"]*)" width="[^"]*" height="([^"]*)"><title>([^<]*)</title>`, 'g'),
    ),
  ].map((m) => ({ y: Number(m[1]), height: Number(m[2]), title: m[3]! }));
}

describe('compliance chart', () => {
  const svg = complianceChart(WEEKS, 'c');

  it('draws a planned and a done bar per week, heights in proportion to the TSS', () => {
    const planned = bars(svg, 'b-load');
    const done = bars(svg, 'd-ctl');
    expect(planned).toHaveLength(3);
    expect(done).toHaveLength(3);
    // one scale for both: height per TSS the same on every bar with TSS (coordinates have one decimal)
    const perTss = planned[0]!.height / 220;
    expect(planned[1]!.height / 200).toBeCloseTo(perTss, 2);
    expect(done[0]!.height / 149).toBeCloseTo(perTss, 2);
    expect(done[1]!.height / 261).toBeCloseTo(perTss, 2);
    expect(done[2]!.height).toBe(0);
    // bars stand on the same baseline
    expect(planned[0]!.y + planned[0]!.height).toBeCloseTo(done[1]!.y + done[1]!.height, 1);
  });

  it('says what each bar is in its tooltip, extra rides and the week in progress included', () => {
    const planned = bars(svg, 'b-load');
    const done = bars(svg, 'd-ctl');
    expect(planned[0]!.title).toBe('Week 1 (from 2 Mar 2026): 220 TSS planned');
    expect(done[0]!.title).toBe('Week 1 (from 2 Mar 2026): 149 TSS done in 3 rides (40 TSS of it extra rides)');
    expect(done[2]!.title).toBe('Week 3 (from 16 Mar 2026), in progress: 0 TSS done in 0 rides');
  });

  it('marks the week in progress on the axis and in a note, and lists every week in the data table', () => {
    const text = visibleText(svg.value);
    expect(text).toContain('W1');
    expect(text).toContain('W3*');
    expect(text).toContain('W* is the week in progress');
    // the description: done against planned up to today (220 + 200 + 60)
    expect(text).toContain(
      `${149 + 261 + 0} TSS done against ${220 + 200 + 60} TSS planned up to today (${Math.round((410 / 480) * 100)} %)`,
    );
    const rows = [...svg.value.matchAll(/<tr><th scope="row">([^<]*)<\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/g)].map((m) => [
      m[1],
      ...[...m[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1]!.replace(/\u202f/g, ' ')),
    ]);
    expect(rows).toEqual([
      ['1', '2 Mar 2026', '220', '220', '149', '40', '3', `${Math.round((149 / 220) * 100)} %`],
      ['2', '9 Mar 2026', '200', '200', '261', '33', '4', `${Math.round((261 / 200) * 100)} %`],
      ['3 (in progress)', '16 Mar 2026', '220', '60', '0', '0', '0', '0 %'],
    ]);
  });

  it('has no note when every week is over, and no chart at all without weeks', () => {
    expect(complianceChart(WEEKS.slice(0, 2)).value).not.toContain('W* is the week in progress');
    const empty = complianceChart([]).value;
    expect(empty).not.toContain('<svg');
    expect(visibleText(empty)).toContain('The plan has not started yet');
  });
});
