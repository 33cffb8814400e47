/**
 * Planned against done: two bars per plan week up to today, the planned TSS (light) and the TSS
 * ridden (dark; matched and extra rides), the week in progress marked "so far".
 */
import type { ComplianceWeek } from '../../domain/coaching/compliance-summary.js';
import { formatDate, formatNumber, MISSING, withUnit } from '../format.js';
import { html, type RawHtml } from '../html.js';
import { thin, unitLabel, xAxis, yAxis } from './axes.js';
import { chartFigure, emptyChart } from './figure.js';
import { coord, linearScale, niceTicks, plotArea, type Frame } from './svg.js';

const FRAME: Frame = { width: 360, height: 190, top: 20, right: 8, bottom: 22, left: 32 };

/** "82 %" of the planned TSS to date, or "—" when nothing was planned. */
function share(done: number, planned: number): string {
  return planned > 0 ? withUnit(Math.round((done / planned) * 100), '%') : MISSING;
}

function bar(className: string, x: number, width: number, top: number, bottom: number, title: string): RawHtml {
  return html`<rect class="bar ${className}" x="${coord(x)}" y="${coord(top)}" width="${coord(width)}" height="${coord(Math.max(0, bottom - top))}"><title>${title}</title></rect>`;
}

export function complianceChart(weeks: readonly ComplianceWeek[], id = 'compliance-load'): RawHtml {
  const title = 'Planned and done TSS per week';
  if (weeks.length === 0) return emptyChart(id, title, 'The plan has not started yet: nothing to compare.');
  const area = plotArea(FRAME);
  const band = (area.x1 - area.x0) / weeks.length;
  const barWidth = Math.max(1.5, Math.min(18, band * 0.36));
  const ticks = niceTicks(0, Math.max(50, ...weeks.map((w) => Math.max(w.plannedTss, w.doneTss))), 4);
  const y = linearScale(0, ticks[ticks.length - 1]!, area.y1, area.y0);
  const cx = (i: number): number => area.x0 + band * (i + 0.5);
  const marks = weeks.map((w, i) => {
    const when = `Week ${w.week} (from ${formatDate(w.start)})${w.current ? ', in progress' : ''}`;
    const extra = w.extraTss > 0 ? ` (${formatNumber(w.extraTss)} TSS of it extra rides)` : '';
    return html`${bar('b-load', cx(i) - barWidth - 0.5, barWidth, y(Math.max(0, w.plannedTss)), area.y1, `${when}: ${formatNumber(w.plannedTss)} TSS planned`)}${bar(
      'd-ctl',
      cx(i) + 0.5,
      barWidth,
      y(Math.max(0, w.doneTss)),
      area.y1,
      `${when}: ${formatNumber(w.doneTss)} TSS done in ${w.rides} ${w.rides === 1 ? 'ride' : 'rides'}${extra}`,
    )}`;
  });
  const xTicks = thin(
    weeks.map((w, i) => ({ x: cx(i), label: w.current ? `W${w.week}*` : `W${w.week}` })),
    12,
  );
  const planned = weeks.reduce((s, w) => s + w.plannedToDateTss, 0);
  const done = weeks.reduce((s, w) => s + w.doneTss, 0);
  const inProgress = weeks.some((w) => w.current);
  return chartFigure(id, title, FRAME, {
    description: `${weeks.length} ${weeks.length === 1 ? 'week' : 'weeks'} of the plan from ${formatDate(weeks[0]!.start)}: ${formatNumber(done)} TSS done against ${formatNumber(planned)} TSS planned up to today (${share(done, planned)}). The table below lists every week.`,
    body: html`${yAxis(area, ticks, y, (v) => formatNumber(v))}${unitLabel(area, 'TSS')}${xAxis(area, xTicks)}${marks}`,
    legend: [
      { label: 'Planned TSS', swatch: 's-load', kind: 'box' },
      { label: 'Done TSS (matched and extra rides)', swatch: 's-ctl', kind: 'box' },
    ],
    note: inProgress ? 'W* is the week in progress: its bar of planned TSS is the whole week, the done bar the rides so far.' : undefined,
    table: {
      head: ['Week', 'Starts', 'Planned (TSS)', 'Planned to date (TSS)', 'Done (TSS)', 'Extra (TSS)', 'Rides', 'Done / planned to date'],
      rows: weeks.map((w) => [
        w.current ? `${w.week} (in progress)` : String(w.week),
        formatDate(w.start),
        formatNumber(w.plannedTss),
        formatNumber(w.plannedToDateTss),
        formatNumber(w.doneTss),
        formatNumber(w.extraTss),
        String(w.rides),
        share(w.doneTss, w.plannedToDateTss),
      ]),
    },
  });
}
