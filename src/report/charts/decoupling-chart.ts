/**
 * Pw:HR aerobic decoupling over the period's long endurance rides: one dot per ride (joined in
 * date order) against a dashed line at the "good" threshold (5 %). The rule that picks the rides
 * is stated under the chart.
 */
import { dayNumber, formatDate, formatDuration, formatNumber, UNIT_SPACE } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { dateTicks, unitLabel, xAxis, yAxis, yearOf } from './axes.js';
import { chartFigure, emptyChart } from './figure.js';
import { coord, linePath, linearScale, niceTicks, plotArea, text, type Frame } from './svg.js';

const FRAME: Frame = { width: 360, height: 180, top: 20, right: 10, bottom: 22, left: 30 };

/** "Rides of 90 min or more at IF 0.80 or less", from the model's rule. */
export function decouplingRule(rule: ReportModel['aerobicDecoupling']['rule']): string {
  return `rides of ${formatNumber(rule.minMovingMinutes)}${UNIT_SPACE}min or more (moving time) at an intensity factor of ${formatNumber(rule.maxIntensityFactor, 2)} or less`;
}

export function decouplingChart(decoupling: ReportModel['aerobicDecoupling'], id = 'decoupling', today: string | null = null): RawHtml {
  const title = 'Aerobic decoupling (Pw:HR) on long endurance rides';
  const { rule } = decoupling;
  const points = decoupling.rides
    .filter((r) => Number.isFinite(dayNumber(r.date)) && Number.isFinite(r.percent))
    .sort((a, b) => dayNumber(a.date) - dayNumber(b.date));
  const ruleText = `Long endurance rides: ${decouplingRule(rule)}, with power and heart rate.`;
  if (points.length === 0) return emptyChart(id, title, `No long endurance rides with power and heart rate in this period. ${ruleText}`);

  const area = plotArea(FRAME);
  const first = dayNumber(points[0]!.date);
  const lastDay = dayNumber(points[points.length - 1]!.date);
  const d0 = first === lastDay ? first - 7 : first;
  const d1 = first === lastDay ? lastDay + 7 : lastDay;
  const x = linearScale(d0, d1, area.x0 + 4, area.x1 - 4);
  const values = points.map((p) => p.percent);
  const yTicks = niceTicks(Math.min(0, ...values), Math.max(rule.goodBelowPercent + 2, ...values), 4);
  const y = linearScale(yTicks[0]!, yTicks[yTicks.length - 1]!, area.y1, area.y0);

  const latest = points[points.length - 1]!;
  const dates = points.map((p) => p.date);
  const ticks = dateTicks(d0, d1, x, dates, 5, yearOf(today) ?? yearOf(latest.date));

  const good = y(rule.goodBelowPercent);
  const marks: RawHtml[] = [
    html`<path class="ftp-line" d="M${coord(area.x0)} ${coord(good)}H${coord(area.x1)}"/>`,
    text(area.x1 - 2, good - 3, `${formatNumber(rule.goodBelowPercent)}${UNIT_SPACE}%`, 'annot', 'end'),
  ];
  if (points.length > 1)
    marks.push(html`<path class="line l-decoupling" d="${linePath(points.map((p) => [x(dayNumber(p.date)), y(p.percent)]))}"/>`);
  for (const p of points) {
    const cls = p.percent < rule.goodBelowPercent ? 'd-good' : 'd-drift';
    marks.push(
      html`<circle class="dot ${cls}" cx="${coord(x(dayNumber(p.date)))}" cy="${coord(y(p.percent))}" r="3"><title>${formatDate(p.date)}${p.name ? ` · ${p.name}` : ''}: ${formatNumber(p.percent, 1)} % (${formatDuration(p.durationSeconds)}, IF ${formatNumber(p.intensityFactor, 2)})</title></circle>`,
    );
  }
  const body = html`${yAxis(area, yTicks, y, (v) => formatNumber(v))}${unitLabel(area, '%')}${xAxis(area, ticks)}${marks}`;

  const under = points.filter((p) => p.percent < rule.goodBelowPercent).length;
  const description = `${points.length} long endurance ${points.length === 1 ? 'ride' : 'rides'} from ${formatDate(points[0]!.date)} to ${formatDate(latest.date)}; ${under} of them under ${formatNumber(rule.goodBelowPercent)} %. The latest, on ${formatDate(latest.date)}, decoupled ${formatNumber(latest.percent, 1)} %.`;
  return chartFigure(id, title, FRAME, {
    description,
    body,
    legend: [
      { label: `Under ${formatNumber(rule.goodBelowPercent)} %: good aerobic fitness`, swatch: 's-good', kind: 'dot' },
      { label: 'Higher: heart rate drifted', swatch: 's-drift', kind: 'dot' },
    ],
    note: `${ruleText} Pw:HR decoupling is how much the ratio of power to heart rate fell from the first half of the ride to the second; under ${formatNumber(rule.goodBelowPercent)}${UNIT_SPACE}% is the usual sign of good aerobic fitness.`,
    table: {
      head: ['Date', 'Ride', 'Duration', 'IF', 'Pw:HR (%)'],
      rows: points.map((p) => [
        formatDate(p.date),
        p.name ?? 'Untitled',
        formatDuration(p.durationSeconds),
        formatNumber(p.intensityFactor, 2),
        formatNumber(p.percent, 1),
      ]),
      textColumns: [1],
    },
  });
}
