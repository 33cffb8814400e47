/**
 * Power-duration curve: best mean power for each duration, this period against the previous one,
 * on a log time axis, with the critical-power model P(t) = CP + W′/t drawn for t ≥ 2 min (the
 * range where the two-parameter model holds).
 */
import { formatCurveDuration, formatNumber, formatTickDuration, UNIT_SPACE } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { chartFigure, coord, emptyChart, linePath, linearScale, logScale, niceTicks, plotArea, unitLabel, yAxis, xAxis, type Frame, type LegendItem } from './svg.js';

const FRAME: Frame = { width: 360, height: 228, top: 20, right: 10, bottom: 22, left: 36 };
const TICK_SECONDS = [1, 5, 15, 60, 300, 1200, 3600, 10800, 21600];
/** Durations marked with a dot on the current curve (the key numbers). */
export const MARKED_SECONDS = [5, 60, 300, 1200];
/** The CP model is drawn from here on. */
export const CP_MODEL_FROM_SECONDS = 120;

export function curvePoints(curve: Record<string, number>): [number, number][] {
  return Object.entries(curve)
    .map(([k, v]) => [Number(k), v] as [number, number])
    .filter(([t, p]) => Number.isFinite(t) && t > 0 && Number.isFinite(p) && p > 0)
    .sort((a, b) => a[0] - b[0]);
}

export function powerCurveChart(powerCurve: ReportModel['powerCurve'], labels: { current: string; previous: string }, id = 'power-curve'): RawHtml {
  const title = 'Power-duration curve';
  const current = curvePoints(powerCurve.current);
  const previous = curvePoints(powerCurve.previous);
  if (current.length === 0 && previous.length === 0) {
    return emptyChart(id, title, 'No power data in this period or the one before: rides recorded with a power meter give the best 5 s to 60 min powers and the CP model.');
  }
  const all = [...current, ...previous];
  const tMin = Math.min(...all.map((p) => p[0]));
  const tMax = Math.max(...all.map((p) => p[0]), tMin * 10);
  const model = powerCurve.model;
  const modelFrom = Math.max(CP_MODEL_FROM_SECONDS, tMin);
  const modelPoints: [number, number][] = [];
  if (model && model.cp > 0 && tMax > modelFrom) {
    const steps = 24;
    for (let i = 0; i <= steps; i++) {
      const t = modelFrom * (tMax / modelFrom) ** (i / steps);
      modelPoints.push([t, model.cp + model.wPrime / t]);
    }
  }
  const area = plotArea(FRAME);
  const x = logScale(tMin, tMax, area.x0, area.x1);
  const pMax = Math.max(...all.map((p) => p[1]), ...modelPoints.map((p) => p[1]));
  const ticks = niceTicks(0, pMax, 5);
  const y = linearScale(0, ticks[ticks.length - 1]!, area.y1, area.y0);
  const xTicks = TICK_SECONDS.filter((t) => t >= tMin && t <= tMax).map((t) => ({ x: x(t), label: formatTickDuration(t) }));

  const marks: RawHtml[] = [];
  if (previous.length > 0) marks.push(html`<path class="line l-previous" d="${linePath(previous.map(([t, p]) => [x(t), y(p)]))}"/>`);
  if (modelPoints.length > 0) marks.push(html`<path class="line l-model dashed" d="${linePath(modelPoints.map(([t, p]) => [x(t), y(p)]))}"/>`);
  if (current.length > 0) marks.push(html`<path class="line l-current" d="${linePath(current.map(([t, p]) => [x(t), y(p)]))}"/>`);
  for (const [t, p] of current.filter(([t]) => MARKED_SECONDS.includes(t))) {
    marks.push(html`<circle class="dot d-current" cx="${coord(x(t))}" cy="${coord(y(p))}" r="2.8"><title>${formatCurveDuration(t)}: ${formatNumber(p)} W</title></circle>`);
  }
  const body = html`${yAxis(area, ticks, y, (v) => formatNumber(v))}${xAxis(area, xTicks)}${unitLabel(area, 'W')}${marks}`;

  const lookup = (curve: [number, number][], t: number): number | undefined => curve.find((p) => p[0] === t)?.[1];
  const bests = MARKED_SECONDS.map((t) => ({ t, w: lookup(current, t) })).filter((b) => b.w !== undefined);
  const description =
    (bests.length > 0 ? `Best powers this period: ${bests.map((b) => `${formatCurveDuration(b.t)} ${formatNumber(b.w)} W`).join(', ')}.` : 'No power data this period.') +
    (previous.length > 0 ? ' The previous period is drawn in grey.' : '') +
    (modelPoints.length > 0 && model ? ` CP model: CP ${formatNumber(model.cp)} W, W′ ${formatNumber(model.wPrime / 1000, 1)} kJ.` : '');

  const durations = [...new Set(all.map((p) => p[0]))].sort((a, b) => a - b);
  const rows = durations.map((t) => [
    formatCurveDuration(t),
    formatNumber(lookup(current, t) ?? null),
    formatNumber(lookup(previous, t) ?? null),
    model && t >= CP_MODEL_FROM_SECONDS ? formatNumber(model.cp + model.wPrime / t) : '—',
  ]);
  const legend: LegendItem[] = [];
  if (current.length > 0) legend.push({ label: labels.current, swatch: 's-current' });
  if (previous.length > 0) legend.push({ label: labels.previous, swatch: 's-previous' });
  if (modelPoints.length > 0 && model) legend.push({ label: `CP model: ${formatNumber(model.cp)}${UNIT_SPACE}W + ${formatNumber(model.wPrime / 1000, 1)}${UNIT_SPACE}kJ / t`, swatch: 's-model', kind: 'dashed' });
  let note = 'Time on a log scale; power in watts.';
  if (current.length === 0) note += ' No power data this period: only the previous period is shown.';
  if (model) note += ` CP model confidence: ${model.confidence} (${model.reason.trim().replace(/[.\s]+$/, '')}).`;
  else note += ' No CP model: it needs maximal efforts between about 3 and 20 minutes.';
  return chartFigure({
    id,
    title,
    description,
    width: FRAME.width,
    height: FRAME.height,
    body,
    legend,
    note,
    table: { head: ['Duration', 'This period (W)', 'Previous (W)', 'CP model (W)'], rows },
  });
}
