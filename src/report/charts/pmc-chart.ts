/**
 * Performance management chart: CTL (fitness, 42-day exponentially weighted load), ATL (fatigue,
 * 7-day) and TSB (form = yesterday's CTL − ATL) per day, with the plan's projection dashed after
 * the last actual day.
 */
import { dayNumber, formatDate, formatNumber } from '../format.js';
import { html, type RawHtml } from '../html.js';
import type { ReportModel } from '../report-model.js';
import { monthTicks, xAxis, yAxis, yearOf } from './axes.js';
import { chartFigure, emptyChart } from './figure.js';
import { coord, linePath, linearScale, niceTicks, plotArea, text, type Area, type Frame, type Scale } from './svg.js';

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

/** What the chart draws: the actual days (the last year at most) and the projection, unless it starts far later. */
interface PmcSeries {
  actual: Actual[];
  /** The projection drawn: empty when it starts too long after the last actual day. */
  plan: Projected[];
  /** The whole projection, drawn or not. */
  allPlan: Projected[];
  farPlan: boolean;
}

function pmcSeries(pmc: readonly Actual[], projected: readonly Projected[]): PmcSeries {
  const actual = pmc.filter((p) => Number.isFinite(dayNumber(p.date))).slice(-PMC_MAX_DAYS);
  const allPlan = projected.filter((p) => Number.isFinite(dayNumber(p.date)));
  const lastActualDay = actual.length > 0 ? dayNumber(actual[actual.length - 1]!.date) : null;
  const farPlan = lastActualDay !== null && allPlan.length > 0 && dayNumber(allPlan[0]!.date) - lastActualDay > PMC_MAX_PROJECTION_GAP_DAYS;
  return { actual, plan: farPlan ? [] : allPlan, allPlan, farPlan };
}

/** CTL, ATL and TSB solid over the actual days and dashed over the plan; dots on the last actual day; the event day marked. */
function pmcMarks(series: PmcSeries, eventDay: Projected | null, area: Area, x: Scale, y: Scale): RawHtml[] {
  const { actual, plan } = series;
  const line = (key: 'ctl' | 'atl' | 'tsb', rows: readonly Projected[]): string =>
    linePath(rows.map((p) => [x(dayNumber(p.date)), y(p[key])]));
  // The projection starts from the last actual day so the dashed line joins the solid one.
  const lastActual = actual[actual.length - 1];
  const planRows = lastActual && plan.length > 0 ? [lastActual, ...plan] : plan;
  const marks: RawHtml[] = [];
  for (const key of ['tsb', 'atl', 'ctl'] as const) {
    if (actual.length > 0) marks.push(html`<path class="line l-${key}" d="${line(key, actual)}"/>`);
    if (planRows.length > 0) marks.push(html`<path class="line l-${key} dashed" d="${line(key, planRows)}"/>`);
  }
  if (lastActual) {
    const lx = x(dayNumber(lastActual.date));
    for (const key of ['tsb', 'atl', 'ctl'] as const)
      marks.push(html`<circle class="dot d-${key}" cx="${coord(lx)}" cy="${coord(y(lastActual[key]))}" r="2.6"/>`);
    if (plan.length > 0) {
      marks.push(html`<path class="today" d="M${coord(lx)} ${area.y0}V${area.y1}"/>`);
      marks.push(text(lx + 3, area.y0 - 3, 'plan →', 'annot', 'start'));
    }
  }
  if (eventDay) {
    const ex = x(dayNumber(eventDay.date));
    marks.push(html`<path class="today" d="M${coord(ex)} ${area.y0}V${area.y1}"/>`);
    marks.push(html`<circle class="dot d-tsb" cx="${coord(ex)}" cy="${coord(y(eventDay.tsb))}" r="3.2"/>`);
    marks.push(text(ex - 3, area.y0 - 3, 'event', 'annot', 'end'));
  }
  return marks;
}

/** The sentences read by screen readers: the last actual day, the plan's end and the event day. */
function pmcDescription(series: PmcSeries, eventDay: Projected | null): string {
  const { actual, plan, allPlan, farPlan } = series;
  const lastActual = actual[actual.length - 1];
  const projectedEnd = plan[plan.length - 1];
  let description = lastActual
    ? `Daily CTL, ATL and TSB from ${formatDate(actual[0]!.date)} to ${formatDate(lastActual.date)}. On the last day CTL is ${formatNumber(lastActual.ctl)}, ATL ${formatNumber(lastActual.atl)} and TSB ${formatNumber(lastActual.tsb)} TSS/day.`
    : 'No actual training load in the period.';
  if (projectedEnd)
    description += ` The plan projects CTL ${formatNumber(projectedEnd.ctl)} and TSB ${formatNumber(projectedEnd.tsb)} TSS/day by ${formatDate(projectedEnd.date)} (dashed).`;
  if (eventDay)
    description += ` On the event day, ${formatDate(eventDay.date)}, the plan puts form (TSB) at ${formatNumber(eventDay.tsb)} and fitness (CTL) at ${formatNumber(eventDay.ctl)}.`;
  if (farPlan)
    description += ` The plan's projection, from ${formatDate(allPlan[0]!.date)}, starts long after these rides and is not drawn.`;
  return description;
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
  const series = pmcSeries(pmc, projected);
  const { actual, plan, allPlan, farPlan } = series;
  if (actual.length === 0 && plan.length === 0) {
    return emptyChart(
      id,
      title,
      'No training load yet: upload rides (with power or heart rate) to see fitness (CTL), fatigue (ATL) and form (TSB).',
    );
  }
  const all: Projected[] = [...actual, ...plan];
  const last = all[all.length - 1]!;
  const area = plotArea(FRAME);
  const d0 = dayNumber(all[0]!.date);
  const d1 = Math.max(dayNumber(last.date), d0 + 1);
  const x = linearScale(d0, d1, area.x0, area.x1);
  const lo = Math.min(0, ...all.map((p) => Math.min(p.tsb, p.ctl, p.atl)));
  const hi = Math.max(10, ...all.map((p) => Math.max(p.ctl, p.atl, p.tsb)));
  const ticks = niceTicks(lo, hi, 5);
  const y = linearScale(ticks[0]!, ticks[ticks.length - 1]!, area.y1, area.y0);
  // Month ticks: the right month, with the year when the chart crosses a year or is not this year.
  const xTicks = monthTicks(d0, d1, 6, yearOf(today) ?? yearOf(last.date)).map((t) => ({ x: x(t.day), label: t.label }));
  const eventDay = eventDayForm(plan, eventDate);
  const body = html`${yAxis(area, ticks, y, (v) => formatNumber(v))}<path class="zero" d="M${area.x0} ${coord(y(0))}H${area.x1}"/>${xAxis(area, xTicks)}${pmcMarks(series, eventDay, area, x, y)}`;

  const rows = [
    ...weekly(actual).map((p) => [formatDate(p.date), formatNumber(p.ctl), formatNumber(p.atl), formatNumber(p.tsb), 'actual']),
    ...weekly(plan).map((p) => [formatDate(p.date), formatNumber(p.ctl), formatNumber(p.atl), formatNumber(p.tsb), 'planned']),
  ];
  return chartFigure(id, title, FRAME, {
    description: pmcDescription(series, eventDay),
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
