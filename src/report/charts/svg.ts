/**
 * The few pieces every chart is made of: scales, "nice" ticks, path strings, text, and the
 * accessible figure around an <svg> (title, description, legend, and a data table as its text
 * alternative). Charts are SVG strings built with the escaping `html` tag, styled by the page's
 * CSS classes (so light/dark/print follow the page) and sized by their viewBox: they scale to
 * the width of the column, which is why the viewBoxes are about as wide as a phone screen.
 */
import { dayNumber, formatMonth } from '../format.js';
import { clippedText, html, type RawHtml } from '../html.js';

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

/** The unit over a y axis ("W", "TSS", "h"), above the top tick label: frames need top ≥ 18. */
export function unitLabel(area: Area, unit: string, side: 'left' | 'right' = 'left'): RawHtml {
  return side === 'left'
    ? text(area.x0 - 4, area.y0 - 9, unit, 'tick unit', 'end')
    : text(area.x1 + 4, area.y0 - 9, unit, 'tick unit', 'start');
}

/** Horizontal grid lines with labels on the left (or right) of the plot area. */
export function yAxis(
  area: Area,
  ticks: readonly number[],
  scale: Scale,
  label: (v: number) => string,
  side: 'left' | 'right' = 'left',
  grid = true,
): RawHtml {
  const parts: RawHtml[] = [];
  for (const t of ticks) {
    const y = scale(t);
    if (grid) parts.push(html`<path class="gridline" d="M${coord(area.x0)} ${coord(y)}H${coord(area.x1)}" />`);
    parts.push(
      side === 'left' ? text(area.x0 - 4, y + 3.5, label(t), 'tick', 'end') : text(area.x1 + 4, y + 3.5, label(t), 'tick', 'start'),
    );
  }
  return html`<g class="axis y-axis">${parts}</g>`;
}

/** Labels under the plot area at the given x positions, with small tick marks. */
export function xAxis(area: Area, ticks: readonly { x: number; label: string }[]): RawHtml {
  const parts: RawHtml[] = [html`<path class="axis-line" d="M${coord(area.x0)} ${coord(area.y1)}H${coord(area.x1)}" />`];
  for (const t of ticks) {
    parts.push(html`<path class="axis-line" d="M${coord(t.x)} ${coord(area.y1)}v3" />`);
    parts.push(text(t.x, area.y1 + 13, t.label, 'tick', 'middle'));
  }
  return html`<g class="axis x-axis">${parts}</g>`;
}

const MONTH_STEPS = [1, 2, 3, 4, 6, 12, 24, 60, 120];

/**
 * Ticks on the first of a month between two day numbers (days since 1970-01-01, see dayNumber),
 * every 1, 2, 3, 4, 6 or 12+ months counted from January (a 3-month step shows Jan, Apr, Jul,
 * Oct), at most `max` of them. The labels name the right month; they carry the year ("Jun 2020")
 * on the first tick and at each new year whenever the range crosses a year or lies outside
 * `currentYear` (so a season years back never reads as this year); with a step of a year or more
 * they are the years alone.
 */
export function monthTicks(d0: number, d1: number, max: number, currentYear: number | null = null): { day: number; label: string }[] {
  if (!Number.isFinite(d0) || !Number.isFinite(d1) || d1 < d0) return [];
  const start = new Date(d0 * 86_400_000);
  const months: { index: number; day: number; y: number; m: number }[] = [];
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth() + 1; ; m++) {
    if (m > 12) {
      m = 1;
      y++;
    }
    const day = Date.UTC(y, m - 1, 1) / 86_400_000;
    if (day > d1) break;
    if (day >= d0) months.push({ index: y * 12 + m - 1, day, y, m });
  }
  if (months.length === 0) return [];
  const firstYear = new Date(d0 * 86_400_000).getUTCFullYear();
  const lastYear = new Date(d1 * 86_400_000).getUTCFullYear();
  const withYears = firstYear !== lastYear || (currentYear !== null && firstYear !== currentYear);
  const step =
    MONTH_STEPS.find((s) => months.filter((mo) => mo.index % s === 0).length <= Math.max(1, max)) ?? MONTH_STEPS[MONTH_STEPS.length - 1]!;
  const kept = months.filter((mo) => mo.index % step === 0);
  const shown = kept.length > 0 ? kept : [months[0]!];
  return shown.map((mo, i) => {
    const iso = `${mo.y}-${String(mo.m).padStart(2, '0')}-01`;
    if (step >= 12) return { day: mo.day, label: String(mo.y) };
    const newYear = i === 0 || shown[i - 1]!.y !== mo.y;
    return { day: mo.day, label: formatMonth(iso, withYears && newYear) };
  });
}

/** The year of an ISO date or timestamp ("2025-10-31…" → 2025); null when it is not one. */
export function yearOf(date: string | null | undefined): number | null {
  return date && Number.isFinite(dayNumber(date)) ? Number(date.slice(0, 4)) : null;
}

/** Keeps every n-th label so that at most `max` remain (the first is always kept). */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const every = Math.ceil(items.length / max);
  return items.filter((_, i) => i % every === 0);
}

export interface LegendItem {
  label: string;
  /** CSS class giving the swatch its color (e.g. "s-ctl"). */
  swatch: string;
  kind?: 'line' | 'dashed' | 'box' | 'dot';
}

export interface DataTable {
  head: string[];
  rows: string[][];
  /** Columns of free text someone typed (ride names): wrapped and clipped, never widening the table. */
  textColumns?: number[];
}

export interface ChartFigure {
  /** Unique within the page; prefixes the ids of the title and description. */
  id: string;
  title: string;
  /** One or two sentences saying what the chart shows — read by screen readers. */
  description: string;
  width: number;
  height: number;
  body: RawHtml;
  legend?: LegendItem[];
  note?: RawHtml | string;
  table?: DataTable;
  /** Extra class on the figure (layout hints such as "wide"). */
  className?: string;
}

export function legend(items: readonly LegendItem[]): RawHtml {
  return html`<ul class="legend">
    ${items.map((i) => html`<li><span class="swatch ${i.kind ?? 'line'} ${i.swatch}" aria-hidden="true"></span>${i.label}</li>`)}
  </ul>`;
}

export function dataTable(table: DataTable, caption: string): RawHtml {
  return html`<details class="data">
    <summary>Data table</summary>
    <div class="table-scroll">
      <table>
        <caption>
          ${caption}
        </caption>
        <thead>
          <tr>
            ${table.head.map((h) => html`<th scope="col">${h}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${table.rows.map(
            (r) =>
              html`<tr>
                ${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : table.textColumns?.includes(i) ? html`<td class="text">${clippedText(c)}</td>` : html`<td>${c}</td>`))}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </details>`;
}

/** The accessible figure: heading, <svg role="img"> with <title>/<desc>, legend, note, data table. */
export function chartFigure(f: ChartFigure): RawHtml {
  return html`<figure class="chart ${f.className ?? ''}" id="${f.id}">
    <figcaption class="chart-title">${f.title}</figcaption>
    <svg class="plot" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-labelledby="${f.id}-t ${f.id}-d" data-chart="${f.id}">
      <title id="${f.id}-t">${f.title}</title>
      <desc id="${f.id}-d">${f.description}</desc>
      ${f.body}
    </svg>
    ${f.legend && f.legend.length > 0 ? legend(f.legend) : ''}${f.note ? html`<p class="note">${f.note}</p>` : ''}${f.table ? dataTable(f.table, f.title) : ''}
  </figure>`;
}

/** What a chart shows when its data is missing: the title and what to do about it. */
export function emptyChart(id: string, title: string, message: string): RawHtml {
  return html`<figure class="chart empty" id="${id}">
    <figcaption class="chart-title">${title}</figcaption>
    <p class="empty-note">${message}</p>
  </figure>`;
}
