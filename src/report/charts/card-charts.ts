/**
 * The two small charts of the chat picture (src/report/pages/chat-card-page.ts): a PMC sparkline
 * (fitness, fatigue and form over the last weeks) and the power-duration curve. Sized for a
 * 540 × 675 CSS px card (1080 × 1350 pixels at 2×): few ticks, big strokes, no legend tables —
 * the full charts with their data tables are in the dashboard.
 */
import { formatNumber, formatTickDuration } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { curvePoints } from './power-curve-chart.js';
import { coord, linePath, linearScale, logScale, niceTicks, text } from './svg.js';
import { maxOf, minOf } from '../../domain/arrays.js';

/** Days of PMC the sparkline shows, up to the end of the period. */
export const SPARKLINE_DAYS = 90;

const W = 250;
const H = 124;

/**
 * CTL (thick) and ATL (thin) lines and TSB as an area around zero, over the last SPARKLINE_DAYS
 * days of the period, with today's values at the right end.
 */
export function pmcSparkline(pmc: ReportModel['pmc'], periodTo: string): RawHtml {
  const days = pmc.filter((p) => p.date <= periodTo).slice(-SPARKLINE_DAYS);
  if (days.length < 2)
    return html`<svg class="spark" viewBox="0 0 ${W} ${H}" role="img" aria-label="No fitness data yet"><title>No fitness data yet</title>${text(W / 2, H / 2, 'No rides with load yet', 'c-muted')}</svg>`;
  const left = 4;
  const right = W - 40;
  const top = 8;
  const bottom = H - 16;
  const values = days.flatMap((d) => [d.ctl, d.atl, d.tsb, 0]);
  const ticks = niceTicks(minOf(values), maxOf(values), 4);
  const y = linearScale(ticks[0]!, ticks[ticks.length - 1]!, bottom, top);
  const x = linearScale(0, days.length - 1, left, right);
  const zero = y(0);
  const tsbArea = `M${coord(x(0))} ${coord(zero)}${days.map((d, i) => `L${coord(x(i))} ${coord(y(d.tsb))}`).join('')}L${coord(x(days.length - 1))} ${coord(zero)}Z`;
  const last = days[days.length - 1]!;
  // End labels, nudged apart so that they never overlap.
  const labels = [
    { v: last.ctl, cls: 'c-ctl', name: 'CTL' },
    { v: last.atl, cls: 'c-atl', name: 'ATL' },
    { v: last.tsb, cls: 'c-tsb', name: 'TSB' },
  ]
    .map((l) => ({ ...l, y: y(l.v) }))
    .sort((a, b) => a.y - b.y);
  for (let i = 1; i < labels.length; i++) labels[i]!.y = Math.max(labels[i]!.y, labels[i - 1]!.y + 13);
  const shift = Math.max(0, labels[labels.length - 1]!.y - (H - 4));
  for (const l of labels) l.y -= shift;
  const summary = `Last ${days.length} days to ${last.date}: fitness (CTL) ${formatNumber(last.ctl)}, fatigue (ATL) ${formatNumber(last.atl)}, form (TSB) ${formatNumber(last.tsb)}.`;
  return html`<svg class="spark" viewBox="0 0 ${W} ${H}" role="img" aria-label="${summary}"><title>${summary}</title>
<path class="zero" d="M${coord(left)} ${coord(zero)}H${coord(right)}"/>
<path class="a-tsb" d="${tsbArea}"/>
<path class="l-atl" d="${linePath(days.map((d, i) => [x(i), y(d.atl)]))}"/>
<path class="l-ctl" d="${linePath(days.map((d, i) => [x(i), y(d.ctl)]))}"/>
${labels.map((l) => html`<text x="${coord(right + 4)}" y="${coord(l.y + 4)}" class="end ${l.cls}">${formatNumber(l.v)}</text>`)}
${text(left, H - 2, `${days.length} days`, 'c-muted', 'start')}
</svg>`;
}

/** Best power for each duration, this period (thick) and the previous one (faint), on a log time axis. */
export function powerCurveSparkline(powerCurve: ReportModel['powerCurve']): RawHtml {
  const current = curvePoints(powerCurve.current);
  const previous = curvePoints(powerCurve.previous);
  if (current.length === 0)
    return html`<svg class="spark" viewBox="0 0 ${W} ${H}" role="img" aria-label="No power data in this period"><title>No power data in this period</title>${text(W / 2, H / 2, 'No power data yet', 'c-muted')}</svg>`;
  const all = [...current, ...previous];
  const left = 30;
  const right = W - 6;
  const top = 10;
  const bottom = H - 18;
  const tMin = minOf(all.map((p) => p[0]));
  const tMax = Math.max(maxOf(current.map((p) => p[0])), tMin * 10);
  const x = logScale(tMin, tMax, left, right);
  const ticks = niceTicks(0, maxOf(all.map((p) => p[1])), 3);
  const y = linearScale(0, ticks[ticks.length - 1]!, bottom, top);
  const inRange = (points: [number, number][]) => points.filter(([t]) => t <= tMax);
  const xTicks = [5, 60, 300, 1200, 3600].filter((t) => t >= tMin && t <= tMax);
  const twenty = powerCurve.current['1200'];
  const summary = `Power curve: best 5 s ${formatNumber(powerCurve.current['5'] ?? null)} W, 1 min ${formatNumber(powerCurve.current['60'] ?? null)} W, 5 min ${formatNumber(powerCurve.current['300'] ?? null)} W, 20 min ${formatNumber(twenty ?? null)} W.`;
  return html`<svg class="spark" viewBox="0 0 ${W} ${H}" role="img" aria-label="${summary}"><title>${summary}</title>
${ticks.slice(1).map((t) => html`<path class="grid" d="M${coord(left)} ${coord(y(t))}H${coord(right)}"/>${text(left - 3, y(t) + 3.5, formatNumber(t), 'c-muted', 'end')}`)}
<path class="axis" d="M${coord(left)} ${coord(bottom)}H${coord(right)}"/>
${xTicks.map((t) => text(x(t), H - 4, formatTickDuration(t), 'c-muted'))}
${previous.length > 0 ? html`<path class="l-previous" d="${linePath(inRange(previous).map(([t, p]) => [x(t), y(p)]))}"/>` : ''}
<path class="l-current" d="${linePath(current.map(([t, p]) => [x(t), y(p)]))}"/>
${twenty !== undefined && 1200 >= tMin && 1200 <= tMax ? html`<circle class="d-current" cx="${coord(x(1200))}" cy="${coord(y(twenty))}" r="3.5"/>${text(x(1200), y(twenty) - 8, `${formatNumber(twenty)} W`, 'c-strong')}` : ''}
</svg>`;
}
