/**
 * A structured workout's power profile: %FTP over time, one bar per steady block (intervals
 * expanded), ramps as polygons cut at the zone bounds, each mark colored by its Coggan zone, and a
 * dashed line at FTP (100 %).
 */
import type { WorkoutStep } from '../../domain/plan/types.js';
import { formatTickDuration } from '../format.js';
import { html, type RawHtml } from '../html.js';
import { coord, linearScale, plotArea, text, type Frame } from './svg.js';
import { POWER_ZONE_UPPER, powerZone } from './zones.js';
import { maxOf } from '../../domain/arrays.js';

/** One piece of the profile: constant when from === to. */
export interface ProfileSegment {
  start: number;
  seconds: number;
  from: number;
  to: number;
}

/** The steps as consecutive segments (intervals expanded into their on/off pairs). */
export function workoutSegments(steps: readonly WorkoutStep[]): ProfileSegment[] {
  const out: ProfileSegment[] = [];
  let t = 0;
  const push = (seconds: number, from: number, to: number): void => {
    if (seconds <= 0) return;
    out.push({ start: t, seconds, from, to });
    t += seconds;
  };
  for (const step of steps) {
    if (step.kind === 'steady') push(step.seconds, step.percentFtp, step.percentFtp);
    else if (step.kind === 'ramp') push(step.seconds, step.fromPercentFtp, step.toPercentFtp);
    else
      for (let r = 0; r < step.repeat; r++) {
        push(step.on.seconds, step.on.percentFtp, step.on.percentFtp);
        push(step.off.seconds, step.off.percentFtp, step.off.percentFtp);
      }
  }
  return out;
}

/** A ramp cut where it crosses a zone bound, so each piece has one zone color. */
function splitRamp(seg: ProfileSegment): ProfileSegment[] {
  const lo = Math.min(seg.from, seg.to);
  const hi = Math.max(seg.from, seg.to);
  const cuts = POWER_ZONE_UPPER.filter((b) => b > lo && b < hi).map((b) => (b - seg.from) / (seg.to - seg.from));
  cuts.sort((a, b) => a - b);
  const fractions = [0, ...cuts, 1];
  const pieces: ProfileSegment[] = [];
  for (let i = 0; i + 1 < fractions.length; i++) {
    const f0 = fractions[i] ?? 0;
    const f1 = fractions[i + 1] ?? 1;
    pieces.push({
      start: seg.start + seg.seconds * f0,
      seconds: seg.seconds * (f1 - f0),
      from: seg.from + (seg.to - seg.from) * f0,
      to: seg.from + (seg.to - seg.from) * f1,
    });
  }
  return pieces;
}

export interface WorkoutChartOptions {
  /** Accessible name, e.g. "Threshold 2×20: power profile". */
  label: string;
}

const FRAME: Frame = { width: 320, height: 66, top: 4, right: 2, bottom: 14, left: 2 };

/** Inline SVG of the workout, or an empty string when it has no steps. */
export function workoutChart(steps: readonly WorkoutStep[] | undefined, options: WorkoutChartOptions): RawHtml {
  const segments = workoutSegments(steps ?? []);
  const total = segments.reduce((s, x) => s + x.seconds, 0);
  if (segments.length === 0 || total <= 0) return html``;
  const peak = maxOf(segments.map((s) => Math.max(s.from, s.to)));
  const yMax = Math.max(120, peak * 1.05);
  const area = plotArea(FRAME);
  const base = area.y1;
  const x = linearScale(0, total, area.x0, area.x1);
  const y = linearScale(0, yMax, base, area.y0);
  const marks: RawHtml[] = [];
  for (const seg of segments) {
    if (seg.from === seg.to) {
      const top = y(seg.from);
      marks.push(
        html`<rect class="z${powerZone(seg.from)}" x="${coord(x(seg.start))}" y="${coord(top)}" width="${coord(Math.max(0.4, x(seg.start + seg.seconds) - x(seg.start)))}" height="${coord(base - top)}"/>`,
      );
    } else {
      for (const piece of splitRamp(seg)) {
        const x0 = coord(x(piece.start));
        const x1 = coord(x(piece.start + piece.seconds));
        marks.push(
          html`<polygon class="z${powerZone((piece.from + piece.to) / 2)}" points="${x0},${coord(base)} ${x0},${coord(y(piece.from))} ${x1},${coord(y(piece.to))} ${x1},${coord(base)}"/>`,
        );
      }
    }
  }
  // Time ticks every 15 / 30 / 60 min depending on length; the end is labeled with the total.
  const every = total <= 3600 ? 900 : total <= 3 * 3600 ? 1800 : 3600;
  const ticks: RawHtml[] = [];
  for (let t = every; t < total - every * 0.4; t += every)
    ticks.push(text(x(t), FRAME.height - 3, formatTickDuration(t), 'tick small', 'middle'));
  const ftpY = y(100);
  return html`<svg class="workout-plot" viewBox="0 0 ${FRAME.width} ${FRAME.height}" role="img" aria-label="${options.label}"><title>${options.label}</title>${marks}<path class="ftp-line" d="M${area.x0} ${coord(ftpY)}H${area.x1}"/>${text(area.x1 - 1, ftpY - 2.5, 'FTP', 'tick small', 'end')}<path class="axis-line" d="M${area.x0} ${base}H${area.x1}"/>${text(area.x0, FRAME.height - 3, '0', 'tick small', 'start')}${ticks}${text(area.x1, FRAME.height - 3, formatTickDuration(total), 'tick small', 'end')}</svg>`;
}
