/**
 * The plan at a glance: planned TSS per week as bars colored by phase, the week's target as a
 * tick across its bar.
 */
import type { Plan } from '../../domain/plan/types.js';
import { capitalize, formatNumber } from '../format.js';
import { html, type RawHtml } from '../html.js';
import { thin, unitLabel, xAxis, yAxis } from './axes.js';
import { chartFigure, emptyChart } from './figure.js';
import { coord, linearScale, niceTicks, plotArea, type Frame } from './svg.js';

const FRAME: Frame = { width: 360, height: 176, top: 20, right: 8, bottom: 22, left: 32 };

export function planLoadChart(plan: Plan | null, id = 'plan-load'): RawHtml {
  const title = 'Planned weekly load';
  if (!plan || plan.weeks.length === 0) return emptyChart(id, title, 'No training plan in this report.');
  const weeks = plan.weeks;
  const area = plotArea(FRAME);
  const band = (area.x1 - area.x0) / weeks.length;
  const barWidth = Math.max(2, band * 0.62);
  const ticks = niceTicks(0, Math.max(50, ...weeks.map((w) => Math.max(w.plannedTss, w.targetTss))), 4);
  const y = linearScale(0, ticks[ticks.length - 1]!, area.y1, area.y0);
  const cx = (i: number): number => area.x0 + band * (i + 0.5);
  const marks = weeks.map((w, i) => {
    const top = y(Math.max(0, w.plannedTss));
    const t = y(Math.max(0, w.targetTss));
    return html`<rect class="bar ph-${w.phase}" x="${coord(cx(i) - barWidth / 2)}" y="${coord(top)}" width="${coord(barWidth)}" height="${coord(area.y1 - top)}"><title>Week ${w.week} (${w.phase}): ${formatNumber(w.plannedTss)} TSS planned, target ${formatNumber(w.targetTss)}</title></rect><path class="target" d="M${coord(cx(i) - band * 0.45)} ${coord(t)}H${coord(cx(i) + band * 0.45)}"/>`;
  });
  const xTicks = thin(
    weeks.map((w, i) => ({ x: cx(i), label: `W${w.week}` })),
    12,
  );
  const phases = [...new Set(weeks.map((w) => w.phase))];
  return chartFigure(id, title, FRAME, {
    description: `${weeks.length} weeks, planned TSS per week from ${formatNumber(weeks[0]!.plannedTss)} to ${formatNumber(weeks[weeks.length - 1]!.plannedTss)}; phases ${phases.join(', ')}. The table below lists every week.`,
    body: html`${yAxis(area, ticks, y, (v) => formatNumber(v))}${unitLabel(area, 'TSS')}${xAxis(area, xTicks)}${marks}`,
    legend: [
      ...phases.map((p) => ({ label: capitalize(p), swatch: `s-ph-${p}`, kind: 'box' as const })),
      { label: 'target TSS', swatch: 's-target', kind: 'line' as const },
    ],
  });
}
