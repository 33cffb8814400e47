/**
 * Performance management chart: CTL (fitness, 42-day exponentially weighted load), ATL (fatigue,
 * 7-day) and TSB (form = yesterday's CTL − ATL) per day, with the plan's projection dashed after
 * the last actual day.
 */
import { dayNumber, formatDate, formatNumber } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import {
  chartFigure,
  coord,
  emptyChart,
  linePath,
  linearScale,
  monthTicks,
  niceTicks,
  plotArea,
  text,
  xAxis,
  yAxis,
  yearOf,
  type Frame,
} from './svg.js';

const FRAME: Frame = { width: 360, height: 210, top: 12, right: 8, bottom: 22, left: 30 };
/** The dashboard shows at most the last year. */
export const PMC_MAX_DAYS = 366;
/** A plan projection starting more than this many days after the last actual day is not drawn (it would squash the period into a corner). */
export const PMC_MAX_PROJECTION_GAP_DAYS = 62;

type Actual = ReportModel['pmc'][number];
type Projected = ReportModel['projectedPmc'][number];

/** Every 7th day counted back from the last, for the data table. */
function weekly<T>(rows: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = rows.length - 1; i >= 0; i -= 7) {
    const row = rows[i];
    if (row !== undefined) out.unshift(row);
  }
  return out;
}

/** The day of the plan's event in the projection, if it has one there. */
export function eventDayForm(projected: readonly Projected[], eventDate: string | null | undefined): Projected | null {
  return eventDate ? (projected.find((p) => p.date === eventDate) ?? null) : null;
}

/**
 * `today` (the run's date, ISO) only decides whether the month ticks need the year: a period in
 * another year than the run's always shows it.
 */
export function pmcChart(
  pmc: readonly Actual[],
  projected: readonly Projected[],
  id = 'pmc',
  eventDate: string | null = null,
  today: string | null = null,
): RawHtml {
  const title = 'Fitness, fatigue and form (PMC)';
  const actual = pmc.filter((p) => Number.isFinite(dayNumber(p.date))).slice(-PMC_MAX_DAYS);
  const allPlan = projected.filter((p) => Number.isFinite(dayNumber(p.date)));
  const lastActualDay = actual.length > 0 ? dayNumber(actual[actual.length - 1]!.date) : null;
  const farPlan = lastActualDay !== null && allPlan.length > 0 && dayNumber(allPlan[0]!.date) - lastActualDay > PMC_MAX_PROJECTION_GAP_DAYS;
  const plan = farPlan ? [] : allPlan;
  if (actual.length === 0 && plan.length === 0) {
    return emptyChart(
      id,
      title,
      'No training load yet: upload rides (with power or heart rate) to see fitness (CTL), fatigue (ATL) and form (TSB).',
    );
  }
  const all: Projected[] = [...actual, ...plan];
  const first = all[0]!;
  const last = all[all.length - 1]!;
  const area = plotArea(FRAME);
  const d0 = dayNumber(first.date);
  const d1 = Math.max(dayNumber(last.date), d0 + 1);
  const x = linearScale(d0, d1, area.x0, area.x1);
  const lo = Math.min(0, ...all.map((p) => Math.min(p.tsb, p.ctl, p.atl)));
  const hi = Math.max(10, ...all.map((p) => Math.max(p.ctl, p.atl, p.tsb)));
  const ticks = niceTicks(lo, hi, 5);
  const y = linearScale(ticks[0]!, ticks[ticks.length - 1]!, area.y1, area.y0);

  // Month ticks: the right month, with the year when the chart crosses a year or is not this year.
  const xTicks = monthTicks(d0, d1, 6, yearOf(today) ?? yearOf(last.date)).map((t) => ({ x: x(t.day), label: t.label }));

  const series = (key: 'ctl' | 'atl' | 'tsb', rows: readonly Projected[]): string =>
    linePath(rows.map((p) => [x(dayNumber(p.date)), y(p[key])]));
  // The projection starts from the last actual day so the dashed line joins the solid one.
  const lastActual = actual[actual.length - 1];
  const planRows = lastActual && plan.length > 0 ? [lastActual, ...plan] : plan;
  const lines: RawHtml[] = [];
  for (const key of ['tsb', 'atl', 'ctl'] as const) {
    if (actual.length > 0) lines.push(html`<path class="line l-${key}" d="${series(key, actual)}" />`);
    if (planRows.length > 0) lines.push(html`<path class="line l-${key} dashed" d="${series(key, planRows)}" />`);
  }
  const markers: RawHtml[] = [];
  if (lastActual) {
    const lx = x(dayNumber(lastActual.date));
    for (const key of ['tsb', 'atl', 'ctl'] as const)
      markers.push(html`<circle class="dot d-${key}" cx="${coord(lx)}" cy="${coord(y(lastActual[key]))}" r="2.6" />`);
    if (plan.length > 0) {
      markers.push(html`<path class="today" d="M${coord(lx)} ${area.y0}V${area.y1}" />`);
      markers.push(text(lx + 3, area.y0 - 3, 'plan →', 'annot', 'start'));
    }
  }
  const eventDay = eventDayForm(plan, eventDate);
  if (eventDay) {
    const ex = x(dayNumber(eventDay.date));
    markers.push(html`<path class="today" d="M${coord(ex)} ${area.y0}V${area.y1}" />`);
    markers.push(html`<circle class="dot d-tsb" cx="${coord(ex)}" cy="${coord(y(eventDay.tsb))}" r="3.2" />`);
    markers.push(text(ex - 3, area.y0 - 3, 'event', 'annot', 'end'));
  }
  const zero = y(0);
  const body = html`${yAxis(area, ticks, y, (v) => formatNumber(v))}<path
      class="zero"
      d="M${area.x0} ${coord(zero)}H${area.x1}"
    />${xAxis(area, xTicks)}${lines}${markers}`;

  const end = lastActual ?? first;
  const projectedEnd = plan[plan.length - 1];
  let description = lastActual
    ? `Daily CTL, ATL and TSB from ${formatDate(actual[0]!.date)} to ${formatDate(lastActual.date)}. On the last day CTL is ${formatNumber(end.ctl)}, ATL ${formatNumber(end.atl)} and TSB ${formatNumber(end.tsb)} TSS/day.`
    : 'No actual training load in the period.';
  if (projectedEnd)
    description += ` The plan projects CTL ${formatNumber(projectedEnd.ctl)} and TSB ${formatNumber(projectedEnd.tsb)} TSS/day by ${formatDate(projectedEnd.date)} (dashed).`;
  if (eventDay)
    description += ` On the event day, ${formatDate(eventDay.date)}, the plan puts form (TSB) at ${formatNumber(eventDay.tsb)} and fitness (CTL) at ${formatNumber(eventDay.ctl)}.`;
  if (farPlan)
    description += ` The plan's projection, from ${formatDate(allPlan[0]!.date)}, starts long after these rides and is not drawn.`;

  const rows = [
    ...weekly(actual).map((p) => [formatDate(p.date), formatNumber(p.ctl), formatNumber(p.atl), formatNumber(p.tsb), 'actual']),
    ...weekly(plan).map((p) => [formatDate(p.date), formatNumber(p.ctl), formatNumber(p.atl), formatNumber(p.tsb), 'planned']),
  ];
  return chartFigure({
    id,
    title,
    description,
    width: FRAME.width,
    height: FRAME.height,
    body,
    legend: [
      { label: 'CTL — fitness (42-day load)', swatch: 's-ctl' },
      { label: 'ATL — fatigue (7-day load)', swatch: 's-atl' },
      { label: 'TSB — form (CTL − ATL)', swatch: 's-tsb' },
      ...(plan.length > 0 ? [{ label: 'planned', swatch: 's-muted', kind: 'dashed' as const }] : []),
    ],
    note: farPlan
      ? `All values in TSS/day; the table lists one day a week. The plan starts on ${formatDate(allPlan[0]!.date)}, long after these rides: its projection is not drawn.`
      : 'All values in TSS/day; the table lists one day a week.',
    table: { head: ['Date', 'CTL (TSS/day)', 'ATL (TSS/day)', 'TSB (TSS/day)', 'Kind'], rows },
  });
}
