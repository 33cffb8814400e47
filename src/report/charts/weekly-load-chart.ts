/**
 * Weekly load: one bar of training stress (TSS) per week, with the hours ridden as a line on the
 * right-hand axis.
 */
import { formatDate, formatNumber, formatShortDate } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { thin, unitLabel, xAxis, yAxis } from './axes.js';
import { chartFigure, emptyChart } from './figure.js';
import { coord, linePath, linearScale, niceTicks, plotArea, type Frame } from './svg.js';

const FRAME: Frame = { width: 360, height: 206, top: 20, right: 28, bottom: 22, left: 32 };

export function weeklyLoadChart(weeks: ReportModel['weeklyLoad'], id = 'weekly-load'): RawHtml {
  const title = 'Weekly load and hours';
  if (weeks.length === 0)
    return emptyChart(id, title, 'No rides in this period, so no weekly load: upload your rides to see TSS and hours per week.');
  const area = plotArea(FRAME);
  const band = (area.x1 - area.x0) / weeks.length;
  const barWidth = Math.max(1, band * 0.68);
  const loadTicks = niceTicks(0, Math.max(50, ...weeks.map((w) => w.load)), 4);
  const hourTicks = niceTicks(0, Math.max(1, ...weeks.map((w) => w.hours)), 4);
  const y = linearScale(0, loadTicks[loadTicks.length - 1]!, area.y1, area.y0);
  const yh = linearScale(0, hourTicks[hourTicks.length - 1]!, area.y1, area.y0);
  const cx = (i: number): number => area.x0 + band * (i + 0.5);

  const bars = weeks.map((w, i) => {
    const top = y(Math.max(0, w.load));
    return html`<rect class="bar b-load" x="${coord(cx(i) - barWidth / 2)}" y="${coord(top)}" width="${coord(barWidth)}" height="${coord(Math.max(0, area.y1 - top))}"><title>Week of ${formatDate(w.week)}: ${formatNumber(w.load)} TSS, ${formatNumber(w.hours, 1)} h, ${w.rides} rides</title></rect>`;
  });
  const hoursLine = html`<path class="line l-hours" d="${linePath(weeks.map((w, i) => [cx(i), yh(w.hours)]))}"/>`;
  const dots = weeks.map(
    (w, i) => html`<circle class="dot d-hours" cx="${coord(cx(i))}" cy="${coord(yh(w.hours))}" r="${weeks.length > 30 ? 1.4 : 2}"/>`,
  );
  const xTicks = thin(
    weeks.map((w, i) => ({ x: cx(i), label: formatShortDate(w.week) })),
    6,
  );
  const body = html`${yAxis(area, loadTicks, y, (v) => formatNumber(v))}${yAxis(area, hourTicks, yh, (v) => formatNumber(v, Number.isInteger(v) ? 0 : 1), 'right', false)}${unitLabel(area, 'TSS')}${unitLabel(area, 'h', 'right')}${xAxis(area, xTicks)}${bars}${hoursLine}${dots}`;

  const totalLoad = weeks.reduce((s, w) => s + w.load, 0);
  const totalHours = weeks.reduce((s, w) => s + w.hours, 0);
  const description = `${weeks.length} weeks from ${formatDate(weeks[0]!.week)}: on average ${formatNumber(totalLoad / weeks.length)} TSS and ${formatNumber(totalHours / weeks.length, 1)} hours a week.`;
  return chartFigure(id, title, FRAME, {
    description,
    body,
    legend: [
      { label: 'Training stress (TSS), left axis', swatch: 's-load', kind: 'box' },
      { label: 'Hours ridden, right axis', swatch: 's-hours' },
    ],
    table: {
      head: ['Week of', 'Load (TSS)', 'Hours (h)', 'Rides'],
      rows: weeks.map((w) => [formatDate(w.week), formatNumber(w.load), formatNumber(w.hours, 1), String(w.rides)]),
    },
  });
}
