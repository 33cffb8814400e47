/**
 * Chart axes: grid lines with tick labels, the unit over an axis, labels under the plot area, and
 * the tick choices they need (month ticks, thinned labels).
 */
import { dayNumber, formatMonth, formatShortDate } from '../format.js';
import { html, type RawHtml } from '../html.js';
import { coord, text, type Area, type Scale } from './svg.js';

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
    if (grid) parts.push(html`<path class="gridline" d="M${coord(area.x0)} ${coord(y)}H${coord(area.x1)}"/>`);
    parts.push(
      side === 'left' ? text(area.x0 - 4, y + 3.5, label(t), 'tick', 'end') : text(area.x1 + 4, y + 3.5, label(t), 'tick', 'start'),
    );
  }
  return html`<g class="axis y-axis">${parts}</g>`;
}

/** Labels under the plot area at the given x positions, with small tick marks. */
export function xAxis(area: Area, ticks: readonly Tick[]): RawHtml {
  const parts: RawHtml[] = [html`<path class="axis-line" d="M${coord(area.x0)} ${coord(area.y1)}H${coord(area.x1)}"/>`];
  for (const t of ticks) {
    parts.push(html`<path class="axis-line" d="M${coord(t.x)} ${coord(area.y1)}v3"/>`);
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

/** Axis ticks for a span of days: x position and label. */
export type Tick = { x: number; label: string };

/**
 * Ticks for a time axis from day `d0` to `d1`: month ticks (see monthTicks) when the span is over
 * about two months, else the `dates` themselves as "3 Mar", at most `maxDates` of them.
 */
export function dateTicks(
  d0: number,
  d1: number,
  x: Scale,
  dates: readonly string[],
  maxDates: number,
  currentYear: number | null,
): Tick[] {
  if (d1 - d0 > 62) return monthTicks(d0, d1, 6, currentYear).map((t) => ({ x: x(t.day), label: t.label }));
  return thin(dates, maxDates).map((date) => ({ x: x(dayNumber(date)), label: formatShortDate(date) }));
}

/** Keeps every n-th label so that at most `max` remain (the first is always kept). */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const every = Math.ceil(items.length / max);
  return items.filter((_, i) => i % every === 0);
}
