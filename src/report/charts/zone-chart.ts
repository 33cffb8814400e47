/**
 * Time in zones, this period against the previous one, as paired horizontal bars (readable on a
 * phone: labels on the left, percentages at the bar ends), and the polarization split as one
 * stacked bar.
 */
import { formatNumber, UNIT_SPACE } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { chartFigure, emptyChart } from './figure.js';
import { coord, linearScale, niceTicks, text, type Frame } from './svg.js';
import { HEART_RATE_ZONE_NAMES, POWER_ZONE_NAMES } from './zones.js';

const ROW = 26;
const pct = (v: number): string => `${formatNumber(v, v > 0 && v < 1 ? 1 : 0)}${UNIT_SPACE}%`;

export function zoneChart(
  kind: 'power' | 'heartRate',
  zones: { current: number[]; previous: number[] } | null,
  id = kind === 'power' ? 'power-zones' : 'hr-zones',
): RawHtml {
  const names: readonly string[] = kind === 'power' ? POWER_ZONE_NAMES : HEART_RATE_ZONE_NAMES;
  const title = kind === 'power' ? 'Time in power zones' : 'Time in heart-rate zones';
  if (!zones || (zones.current.length === 0 && zones.previous.length === 0)) {
    return emptyChart(
      id,
      title,
      kind === 'power'
        ? 'No power data (or no FTP) for this period: set your FTP and upload rides with power to see time in zones.'
        : 'No heart-rate data (or no max/threshold heart rate) for this period: ride with a heart-rate strap and set your heart-rate zones.',
    );
  }
  const n = names.length;
  const frame: Frame = { width: 360, height: 8 + n * ROW + 20, top: 6, right: 40, bottom: 20, left: 92 };
  const x0 = frame.left;
  const x1 = frame.width - frame.right;
  const max = Math.max(10, ...zones.current, ...zones.previous);
  const ticks = niceTicks(0, max, 4);
  const x = linearScale(0, ticks[ticks.length - 1]!, x0, x1);
  const yBottom = frame.top + n * ROW;
  const parts: RawHtml[] = [];
  for (const t of ticks) {
    parts.push(html`<path class="gridline" d="M${coord(x(t))} ${frame.top}V${yBottom}"/>`);
    parts.push(text(x(t), yBottom + 13, `${formatNumber(t)}%`, 'tick', 'middle'));
  }
  for (let i = 0; i < n; i++) {
    const top = frame.top + i * ROW + 3;
    const cur = zones.current[i];
    const prev = zones.previous[i];
    parts.push(text(4, top + 13, `Z${i + 1} ${names[i] ?? ''}`, 'label', 'start'));
    if (cur !== undefined) {
      const w = Math.max(0, x(cur) - x0);
      parts.push(
        html`<rect class="bar z${i + 1}" x="${x0}" y="${coord(top)}" width="${coord(Math.max(w, 0.8))}" height="11"><title>Z${i + 1} this period: ${pct(cur)}</title></rect>`,
      );
      parts.push(text(x0 + w + 3, top + 9.5, pct(cur), 'value', 'start'));
    }
    if (prev !== undefined) {
      const w = Math.max(0, x(prev) - x0);
      parts.push(
        html`<rect class="bar prev z${i + 1}" x="${x0}" y="${coord(top + 12)}" width="${coord(Math.max(w, 0.8))}" height="7"><title>Z${i + 1} previous period: ${pct(prev)}</title></rect>`,
      );
      parts.push(text(x0 + w + 3, top + 19, pct(prev), 'tick small', 'start'));
    }
  }
  const described = names.map(
    (name, i) =>
      `Z${i + 1} ${name} ${pct(zones.current[i] ?? 0)}${zones.previous[i] !== undefined ? ` (was ${pct(zones.previous[i] ?? 0)})` : ''}`,
  );
  return chartFigure(id, title, frame, {
    description: `Share of riding time per zone this period, with the previous period: ${described.join('; ')}.`,
    body: html`${parts}`,
    legend: [
      { label: 'This period', swatch: 's-zone', kind: 'box' },
      { label: 'Previous period (thin bar)', swatch: 's-zone prev', kind: 'box' },
    ],
    table: {
      head: ['Zone', 'This period (%)', 'Previous (%)'],
      rows: names.map((name, i) => [
        `Z${i + 1} ${name}`,
        formatNumber(zones.current[i] ?? null, 1),
        formatNumber(zones.previous[i] ?? null, 1),
      ]),
    },
  });
}

export function polarizationChart(polarization: ReportModel['zones']['polarization'], id = 'polarization'): RawHtml {
  const title = 'Intensity distribution';
  if (!polarization) return emptyChart(id, title, 'Not enough zone data to split your riding into easy, moderate and hard.');
  const parts = [
    { key: 'easy', label: 'Easy', value: polarization.easy },
    { key: 'moderate', label: 'Moderate', value: polarization.moderate },
    { key: 'hard', label: 'Hard', value: polarization.hard },
  ];
  const total = parts.reduce((s, p) => s + Math.max(0, p.value), 0) || 1;
  const width = 360;
  const x = linearScale(0, total, 2, width - 2);
  let at = 0;
  const marks: RawHtml[] = [];
  for (const p of parts) {
    const v = Math.max(0, p.value);
    const x0 = x(at);
    const w = x(at + v) - x0;
    if (v > 0) {
      marks.push(
        html`<rect class="bar p-${p.key}" x="${coord(x0)}" y="4" width="${coord(w)}" height="22"><title>${p.label}: ${pct(p.value)}</title></rect>`,
      );
      const label = `${p.label} ${pct(p.value)}`;
      if (w > label.length * 6.2 + 6) marks.push(text(x0 + w / 2, 19, label, 'inbar', 'middle'));
      else if (w > 30) marks.push(text(x0 + w / 2, 19, pct(p.value), 'inbar', 'middle'));
    }
    at += v;
  }
  return chartFigure(
    id,
    title,
    { width, height: 30 },
    {
      description: `Easy ${pct(polarization.easy)}, moderate ${pct(polarization.moderate)}, hard ${pct(polarization.hard)} of riding time (${polarization.basis}).`,
      body: html`${marks}`,
      legend: parts.map((p) => ({ label: `${p.label} ${pct(p.value)}`, swatch: `s-${p.key}`, kind: 'box' as const })),
      note: `Basis: ${polarization.basis}.`,
    },
  );
}
