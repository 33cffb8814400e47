/**
 * FTP and W/kg over time as step lines (a value holds until the next test or estimate): FTP on
 * the left axis in watts, W/kg (FTP / weight) dashed on the right axis.
 */
import { dayNumber, formatDate, formatNumber, UNIT_SPACE } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { dateTicks, unitLabel, xAxis, yAxis, yearOf } from './axes.js';
import { chartFigure, emptyChart, type LegendItem } from './figure.js';
import { coord, linePath, linearScale, niceTicks, plotArea, type Area, type Frame, type Scale } from './svg.js';
import { maxOf, minOf } from '../../domain/arrays.js';

const FRAME: Frame = { width: 360, height: 196, top: 22, right: 34, bottom: 22, left: 34 };

type Entry = ReportModel['ftpHistory'][number];

/** Step path through (day, value) pairs, ending at `endDay`; null values break the line. */
function stepPoints(entries: readonly { day: number; value: number | null }[], endDay: number): ([number, number] | null)[] {
  const out: ([number, number] | null)[] = [];
  entries.forEach((e, i) => {
    const next = entries[i + 1];
    if (e.value === null) {
      out.push(null);
      return;
    }
    out.push([e.day, e.value]);
    out.push([next ? next.day : endDay, e.value]);
  });
  return out;
}

/** Sorted by date, with entries that repeat the one before (same FTP and W/kg) left out. */
function distinctEntries(history: readonly Entry[]): Entry[] {
  const sorted = history.filter((e) => Number.isFinite(dayNumber(e.date))).sort((a, b) => dayNumber(a.date) - dayNumber(b.date));
  return sorted.filter((e, i) => i === 0 || e.ftp !== sorted[i - 1]!.ftp || e.wattsPerKg !== sorted[i - 1]!.wattsPerKg);
}

/**
 * The sentence under the chart: a change says from what to what; a single value or an FTP that
 * never changed says so plainly ("FTP 250 W since 7 Dec 2026"), never the same value twice.
 */
export function ftpHistorySentence(history: readonly Entry[]): string {
  const withFtp = distinctEntries(history).filter((e): e is Entry & { ftp: number } => e.ftp !== null);
  const last = withFtp[withFtp.length - 1];
  if (!last) return 'No FTP recorded yet.';
  const w = (ftp: number) => `${formatNumber(ftp)}${UNIT_SPACE}W`;
  const wkg = last.wattsPerKg !== null ? ` (${formatNumber(last.wattsPerKg, 2)}${UNIT_SPACE}W/kg)` : '';
  const values = new Set(withFtp.map((e) => e.ftp));
  // the day the current value took effect: the first entry of the last run of equal FTPs
  let since = withFtp.length - 1;
  while (since > 0 && withFtp[since - 1]!.ftp === last.ftp) since--;
  const sinceDate = formatDate(withFtp[since]!.date);
  if (values.size === 1)
    return withFtp.length === 1
      ? `FTP ${w(last.ftp)} since ${sinceDate}${wkg}.`
      : `FTP unchanged at ${w(last.ftp)} since ${sinceDate}${wkg}.`;
  const first = withFtp[0]!;
  if (first.ftp === last.ftp) {
    const high = maxOf(values);
    const low = minOf(values);
    return `FTP ${w(last.ftp)}${wkg} since ${sinceDate}, the same as on ${formatDate(first.date)}; in between it ranged from ${w(low)} to ${w(high)}.`;
  }
  return `FTP went from ${w(first.ftp)} on ${formatDate(first.date)} to ${w(last.ftp)} on ${formatDate(withFtp[since]!.date)}${wkg}.`;
}

interface FtpPlot {
  area: Area;
  x: Scale;
  y: Scale;
  /** The W/kg scale (right axis), when there are W/kg values to draw. */
  yw: Scale | null;
  /** The day the step lines run to. */
  end: number;
}

/** The step lines (W/kg under FTP), a dot per FTP entry, and the latest FTP written by its dot. */
function ftpMarks(entries: readonly Entry[], last: Entry, plot: FtpPlot): RawHtml[] {
  const { area, x, y, yw, end } = plot;
  const stepLine = (value: (e: Entry) => number | null, scale: Scale): string =>
    linePath(
      stepPoints(
        entries.map((e) => ({ day: dayNumber(e.date), value: value(e) })),
        end,
      ).map((p) => (p ? ([x(p[0]), scale(p[1])] as [number, number]) : null)),
    );
  const marks: RawHtml[] = [html`<path class="line l-ftp" d="${stepLine((e) => e.ftp, y)}"/>`];
  if (yw) marks.unshift(html`<path class="line l-wkg dashed" d="${stepLine((e) => e.wattsPerKg, yw)}"/>`);
  for (const e of entries) {
    if (e.ftp !== null)
      marks.push(
        html`<circle class="dot d-ftp" cx="${coord(x(dayNumber(e.date)))}" cy="${coord(y(e.ftp))}" r="2.8"><title>${formatDate(e.date)}: ${formatNumber(e.ftp)} W${e.wattsPerKg !== null ? `, ${formatNumber(e.wattsPerKg, 2)} W/kg` : ''}</title></circle>`,
      );
  }
  const lastLabel = `${formatNumber(last.ftp)}${UNIT_SPACE}W${last.wattsPerKg !== null ? ` · ${formatNumber(last.wattsPerKg, 2)}${UNIT_SPACE}W/kg` : ''}`;
  const lx = x(dayNumber(last.date));
  const ly = y(last.ftp ?? 0);
  marks.push(
    html`<text class="annot strong" x="${coord(Math.min(lx, area.x1))}" y="${coord(Math.max(area.y0 + 2, ly - 7))}" text-anchor="end">${lastLabel}</text>`,
  );
  return marks;
}

export function ftpHistoryChart(
  history: readonly Entry[],
  endDate: string | null,
  id = 'ftp-history',
  today: string | null = null,
): RawHtml {
  const title = 'FTP and W/kg history';
  const entries = distinctEntries(history);
  const withFtp = entries.filter((e) => e.ftp !== null);
  if (withFtp.length === 0)
    return emptyChart(
      id,
      title,
      'No FTP history yet: set your FTP in your profile (or ride hard enough for an estimate) to track it over time.',
    );
  const area = plotArea(FRAME);
  const first = dayNumber(entries[0]!.date);
  const lastEntry = dayNumber(entries[entries.length - 1]!.date);
  const end = Math.max(lastEntry, endDate && Number.isFinite(dayNumber(endDate)) ? dayNumber(endDate) : lastEntry);
  const d0 = first === end ? first - 15 : first;
  const d1 = first === end ? end + 15 : end;
  const x = linearScale(d0, d1, area.x0, area.x1);
  const ftps = withFtp.map((e) => e.ftp ?? 0);
  const ftpTicks = niceTicks(minOf(ftps) - 8, maxOf(ftps) + 8, 4);
  const y = linearScale(ftpTicks[0]!, ftpTicks[ftpTicks.length - 1]!, area.y1, area.y0);
  const wkgs = entries.map((e) => e.wattsPerKg).filter((v): v is number => v !== null);
  const wkgTicks = wkgs.length > 0 ? niceTicks(minOf(wkgs) - 0.1, maxOf(wkgs) + 0.1, 4) : [];
  const yw = wkgTicks.length > 1 ? linearScale(wkgTicks[0]!, wkgTicks[wkgTicks.length - 1]!, area.y1, area.y0) : null;
  const marks = ftpMarks(entries, withFtp[withFtp.length - 1]!, { area, x, y, yw, end });

  const dates = entries.map((e) => e.date);
  const ticks = dateTicks(d0, d1, x, dates, 7, yearOf(today) ?? yearOf(endDate) ?? yearOf(entries[entries.length - 1]!.date));
  const body = html`${yAxis(area, ftpTicks, y, (v) => formatNumber(v))}${yw ? yAxis(area, wkgTicks, yw, (v) => formatNumber(v, 1), 'right', false) : ''}${unitLabel(area, 'W')}${yw ? unitLabel(area, 'W/kg', 'right') : ''}${xAxis(area, ticks)}${marks}`;
  const legend: LegendItem[] = [{ label: 'FTP (W), left axis', swatch: 's-ftp' }];
  if (yw) legend.push({ label: 'W/kg (FTP ÷ weight), right axis', swatch: 's-wkg', kind: 'dashed' });
  return chartFigure(id, title, FRAME, {
    description: ftpHistorySentence(entries),
    body,
    legend,
    note: ftpHistorySentence(entries),
    table: {
      head: ['Date', 'FTP (W)', 'W/kg'],
      rows: entries.map((e) => [formatDate(e.date), formatNumber(e.ftp), formatNumber(e.wattsPerKg, 2)]),
    },
  });
}
