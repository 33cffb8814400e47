/**
 * The few pieces every chart is made of: the plot area, scales, "nice" ticks, path strings and
 * text. Charts are SVG strings built with the escaping `html` tag, styled by the page's CSS classes
 * (so light/dark/print follow the page) and sized by their viewBox: they scale to the width of the
 * column, which is why the viewBoxes are about as wide as a phone screen. Axes are in axes.ts, the
 * accessible figure around the <svg> in figure.ts.
 */
import { html, type RawHtml } from '../html.js';

/** Plot area inside the viewBox. */
export interface Frame {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Area {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function plotArea(frame: Frame): Area {
  return { x0: frame.left, x1: frame.width - frame.right, y0: frame.top, y1: frame.height - frame.bottom };
}

export type Scale = (value: number) => number;

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Log10 scale; values ≤ 0 are clamped to the domain's start. */
export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const l0 = Math.log10(Math.max(d0, 1e-9));
  const l1 = Math.log10(Math.max(d1, d0 * 1.0001, 1e-9));
  const inner = linearScale(l0, l1, r0, r1);
  return (v) => inner(Math.log10(Math.max(v, d0)));
}

/** Round steps of 1, 2, 2.5 or 5 × 10^k covering [min, max] with at most `maxCount` intervals. */
export function niceTicks(min: number, max: number, maxCount = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    if (max === 0) return [0, 1];
    const pad = Math.abs(max) * 0.1;
    min -= pad;
    max += pad;
  }
  const count = Math.max(1, maxCount);
  const power = 10 ** Math.floor(Math.log10((max - min) / count));
  // The smallest round step whose ticks (from below min to above max) make at most `count` intervals.
  const candidates = [1, 2, 2.5, 5, 10, 20, 25, 50, 100].map((m) => m * power);
  const fits = (s: number): boolean => Math.ceil(max / s - 1e-9) - Math.floor(min / s + 1e-9) <= count;
  const step = candidates.find(fits) ?? candidates[candidates.length - 1]!;
  const start = Math.floor(min / step + 1e-9) * step;
  const end = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step * 1e-6; v += step) ticks.push(Math.round(v / step) * step);
  return ticks.map((v) => (Math.abs(v) < 1e-9 ? 0 : Number(v.toPrecision(12))));
}

/** A coordinate with one decimal, no trailing ".0" (keeps the files small). */
export function coord(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** "M x y L x y …" through the points; null breaks the line (missing data). */
export function linePath(points: readonly ([number, number] | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${coord(p[0])} ${coord(p[1])}`;
    pen = true;
  }
  return d;
}

/** Counts the vertices of a path written by linePath (used by tests and the text alternatives). */
export function pathPointCount(d: string): number {
  return (d.match(/[ML]/g) ?? []).length;
}

export type Anchor = 'start' | 'middle' | 'end';

export function text(x: number, y: number, content: string, className = 'tick', anchor: Anchor = 'middle'): RawHtml {
  return html`<text x="${coord(x)}" y="${coord(y)}" class="${className}" text-anchor="${anchor}">${content}</text>`;
}
