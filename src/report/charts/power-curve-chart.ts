/**
 * Power-duration curve: best mean power for each duration, this period against the previous one,
 * on a log time axis, with two models, each drawn only over the durations it is fitted to:
 * - the critical-power model P(t) = CP + W′/t (dashed) over 2–20 min: beyond, it flattens towards CP
 *   and overestimates long efforts;
 * - from 20 min on, the long-duration power law P = a·t^b fitted to this period's bests from 20 min
 *   up to the longest (solid, thin), never extrapolated past the longest best.
 */
import {
  CP_FIT_MAX_SECONDS,
  CP_FIT_MIN_SECONDS,
  fitLongDurationPowerLaw,
  powerLawWatts,
  type PowerLawFit,
} from '../../domain/metrics/power-curve.js';
import { formatCurveDuration, formatNumber, formatTickDuration, UNIT_SPACE } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { xAxis, yAxis, unitLabel } from './axes.js';
import { chartFigure, emptyChart, type LegendItem } from './figure.js';
import { coord, linePath, linearScale, logScale, niceTicks, plotArea, type Frame } from './svg.js';
import { maxOf, minOf } from '../../domain/arrays.js';

const FRAME: Frame = { width: 360, height: 228, top: 20, right: 10, bottom: 22, left: 36 };
const TICK_SECONDS = [1, 5, 15, 60, 300, 1200, 3600, 10800, 21600];
/** Durations marked with a dot on the current curve (the key numbers). */
export const MARKED_SECONDS = [5, 60, 300, 1200];
/** The CP model is drawn (and tabulated) from here … */
export const CP_MODEL_FROM_SECONDS = CP_FIT_MIN_SECONDS;
/** … to here: the 2–20 min it is fitted to. */
export const CP_MODEL_TO_SECONDS = CP_FIT_MAX_SECONDS;

export function curvePoints(curve: Record<string, number>): [number, number][] {
  return Object.entries(curve)
    .map(([k, v]) => [Number(k), v] as [number, number])
    .filter(([t, p]) => Number.isFinite(t) && t > 0 && Number.isFinite(p) && p > 0)
    .sort((a, b) => a[0] - b[0]);
}

type Point = [number, number];
type CpModel = ReportModel['powerCurve']['model'];

/** Both periods' bests and the two models, each over the durations it is drawn for. */
interface Curves {
  current: Point[];
  previous: Point[];
  /** The shortest and longest duration on the time axis. */
  tMin: number;
  tMax: number;
  model: CpModel;
  /** The CP model over 2–20 min (within the axis); empty without a usable model. */
  modelPoints: Point[];
  /** The long-duration power law fitted to this period's bests from 20 min, if there are enough. */
  long: PowerLawFit | null;
  longPoints: Point[];
}

function logSpaced(from: number, to: number, steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, i) => from * (to / from) ** (i / steps));
}

function curves(powerCurve: ReportModel['powerCurve'], current: Point[], previous: Point[]): Curves {
  const all = [...current, ...previous];
  const tMin = minOf(all.map((p) => p[0]));
  const tMax = Math.max(maxOf(all.map((p) => p[0])), tMin * 10);
  const model = powerCurve.model;
  const modelFrom = Math.max(CP_MODEL_FROM_SECONDS, tMin);
  const modelTo = Math.min(CP_MODEL_TO_SECONDS, tMax);
  const modelPoints: Point[] =
    model && model.cp > 0 && modelTo > modelFrom ? logSpaced(modelFrom, modelTo, 24).map((t) => [t, model.cp + model.wPrime / t]) : [];
  // The long-duration model, from this period's bests: only between its shortest and longest best.
  const long = fitLongDurationPowerLaw(Object.fromEntries(current));
  const longPoints: Point[] = long ? logSpaced(long.shortestSeconds, long.longestSeconds, 24).map((t) => [t, powerLawWatts(long, t)]) : [];
  return { current, previous, tMin, tMax, model, modelPoints, long, longPoints };
}

/** The CP model's watts at `t`, only over the 2–20 min it is fitted to. */
function cpAt(model: CpModel, t: number): number | null {
  return model && model.cp > 0 && t >= CP_MODEL_FROM_SECONDS && t <= CP_MODEL_TO_SECONDS ? model.cp + model.wPrime / t : null;
}

/** The power law's watts at `t`, only between its shortest and longest best. */
function longAt(long: PowerLawFit | null, t: number): number | null {
  return long && t >= long.shortestSeconds && t <= long.longestSeconds ? powerLawWatts(long, t) : null;
}

const lookup = (curve: Point[], t: number): number | undefined => curve.find((p) => p[0] === t)?.[1];

/** Axes, the four lines (previous, CP model, power law, current) and dots at the key durations. */
function curveBody(c: Curves): RawHtml {
  const area = plotArea(FRAME);
  const x = logScale(c.tMin, c.tMax, area.x0, area.x1);
  const all = [...c.current, ...c.previous];
  const pMax = Math.max(maxOf(all.map((p) => p[1])), maxOf(c.modelPoints.map((p) => p[1])), maxOf(c.longPoints.map((p) => p[1])));
  const ticks = niceTicks(0, pMax, 5);
  const y = linearScale(0, ticks[ticks.length - 1]!, area.y1, area.y0);
  const xTicks = TICK_SECONDS.filter((t) => t >= c.tMin && t <= c.tMax).map((t) => ({ x: x(t), label: formatTickDuration(t) }));
  const path = (points: Point[]): string => linePath(points.map(([t, p]) => [x(t), y(p)]));

  const marks: RawHtml[] = [];
  if (c.previous.length > 0) marks.push(html`<path class="line l-previous" d="${path(c.previous)}"/>`);
  if (c.modelPoints.length > 0) marks.push(html`<path class="line l-model dashed" d="${path(c.modelPoints)}"/>`);
  if (c.longPoints.length > 0) marks.push(html`<path class="line l-model" d="${path(c.longPoints)}"/>`);
  if (c.current.length > 0) marks.push(html`<path class="line l-current" d="${path(c.current)}"/>`);
  for (const [t, p] of c.current.filter(([t]) => MARKED_SECONDS.includes(t))) {
    marks.push(
      html`<circle class="dot d-current" cx="${coord(x(t))}" cy="${coord(y(p))}" r="2.8"><title>${formatCurveDuration(t)}: ${formatNumber(p)} W</title></circle>`,
    );
  }
  return html`${yAxis(area, ticks, y, (v) => formatNumber(v))}${xAxis(area, xTicks)}${unitLabel(area, 'W')}${marks}`;
}

function longRange(long: PowerLawFit): string {
  return `${formatCurveDuration(long.shortestSeconds)} to ${formatCurveDuration(long.longestSeconds)}`;
}

/** The sentences read by screen readers: the key bests and the models. */
function curveDescription({ current, previous, model, modelPoints, long }: Curves): string {
  const bests = MARKED_SECONDS.map((t) => ({ t, w: lookup(current, t) })).filter((b) => b.w !== undefined);
  return (
    (bests.length > 0
      ? `Best powers this period: ${bests.map((b) => `${formatCurveDuration(b.t)} ${formatNumber(b.w)} W`).join(', ')}.`
      : 'No power data this period.') +
    (previous.length > 0 ? ' The previous period is drawn in grey.' : '') +
    (modelPoints.length > 0 && model
      ? ` CP model (2–20 min): CP ${formatNumber(model.cp)} W, W′ ${formatNumber(model.wPrime / 1000, 1)} kJ.`
      : '') +
    (long ? ` Power law fitted to the ${long.points} bests from ${longRange(long)}.` : '')
  );
}

function curveLegend({ current, previous, model, modelPoints, long }: Curves, labels: { current: string; previous: string }): LegendItem[] {
  const legend: LegendItem[] = [];
  if (current.length > 0) legend.push({ label: labels.current, swatch: 's-current' });
  if (previous.length > 0) legend.push({ label: labels.previous, swatch: 's-previous' });
  if (modelPoints.length > 0 && model)
    legend.push({
      label: `CP model, 2–20${UNIT_SPACE}min: ${formatNumber(model.cp)}${UNIT_SPACE}W + ${formatNumber(model.wPrime / 1000, 1)}${UNIT_SPACE}kJ / t`,
      swatch: 's-model',
      kind: 'dashed',
    });
  if (long) {
    const from = formatCurveDuration(long.shortestSeconds);
    legend.push({
      label: `Power law, ${from}–${formatCurveDuration(long.longestSeconds)}: ${formatNumber(powerLawWatts(long, long.shortestSeconds))}${UNIT_SPACE}W × (t / ${from})^${formatNumber(long.b, 3)}`,
      swatch: 's-model',
      kind: 'line',
    });
  }
  return legend;
}

/** What the axes are, where each model is drawn and why, and how far to trust the CP model. */
function curveNote({ current, model, modelPoints, long }: Curves): string {
  let note = 'Time on a log scale; power in watts.';
  if (modelPoints.length > 0)
    note += ' The CP model is drawn over 2–20 min only, the range it is fitted to: beyond, it tends to CP and overestimates long efforts.';
  if (long) note += ` The power law is drawn over ${longRange(long)} only, the bests it is fitted to.`;
  else if (modelPoints.length > 0) note += ' No model is shown beyond 20 min: that needs at least 2 bests from 20 min on.';
  if (current.length === 0) note += ' No power data this period: only the previous period is shown.';
  if (model) note += ` CP model confidence: ${model.confidence} (${model.reason.trim().replace(/[.\s]+$/, '')}).`;
  else note += ' No CP model: it needs maximal efforts between about 3 and 20 minutes.';
  return note;
}

export function powerCurveChart(
  powerCurve: ReportModel['powerCurve'],
  labels: { current: string; previous: string },
  id = 'power-curve',
): RawHtml {
  const title = 'Power-duration curve';
  const current = curvePoints(powerCurve.current);
  const previous = curvePoints(powerCurve.previous);
  if (current.length === 0 && previous.length === 0) {
    return emptyChart(
      id,
      title,
      'No power data in this period or the one before: rides recorded with a power meter give the best 5 s to 60 min powers and the CP model.',
    );
  }
  const c = curves(powerCurve, current, previous);
  const durations = [...new Set([...current, ...previous].map((p) => p[0]))].sort((a, b) => a - b);
  const rows = durations.map((t) => [
    formatCurveDuration(t),
    formatNumber(lookup(current, t) ?? null),
    formatNumber(lookup(previous, t) ?? null),
    formatNumber(cpAt(c.model, t)),
    ...(c.long ? [formatNumber(longAt(c.long, t))] : []),
  ]);
  return chartFigure(id, title, FRAME, {
    description: curveDescription(c),
    body: curveBody(c),
    legend: curveLegend(c, labels),
    note: curveNote(c),
    table: { head: ['Duration', 'This period (W)', 'Previous (W)', 'CP model (W)', ...(c.long ? ['Power law (W)'] : [])], rows },
  });
}
