/**
 * performance_dashboard.html — the charts (PMC, power-duration curve with the CP model, weekly
 * load, zone distributions, FTP / W/kg history) and a sortable table of rides. The chat picture
 * is this page down to the `data-snapshot-end` marker (charts, not the ride table).
 */
import { ftpHistoryChart } from '../charts/ftp-history-chart.js';
import { pmcChart } from '../charts/pmc-chart.js';
import { powerCurveChart } from '../charts/power-curve-chart.js';
import { weeklyLoadChart } from '../charts/weekly-load-chart.js';
import { polarizationChart, zoneChart } from '../charts/zone-chart.js';
import { keyNumbers, section } from '../components.js';
import { formatDate, formatDuration, formatNumber, formatPeriod, formatShortDate } from '../format.js';
import { html, type RawHtml } from '../html.js';
import { renderPage, SORT_SCRIPT } from '../layout.js';
import type { ReportModel, RideRow } from '../report-model.js';

/** The marker where the chat picture ends. */
export const SNAPSHOT_END_ATTRIBUTE = 'data-snapshot-end';

type Column = { head: string; num: boolean; value: (r: RideRow) => string | number | null; show: (r: RideRow) => string };

function columns(dateText: (date: string) => string): Column[] {
  return [
  { head: 'Date', num: false, value: (r) => r.date, show: (r) => dateText(r.date) },
  { head: 'Name', num: false, value: (r) => r.name ?? '', show: (r) => r.name ?? 'Untitled' },
  { head: 'Sport', num: false, value: (r) => r.sport, show: (r) => r.sport },
  { head: 'Duration', num: true, value: (r) => r.durationSeconds, show: (r) => formatDuration(r.durationSeconds) },
  { head: 'Distance (km)', num: true, value: (r) => r.distanceKm, show: (r) => formatNumber(r.distanceKm, 1) },
  { head: 'Avg power (W)', num: true, value: (r) => r.avgPower, show: (r) => formatNumber(r.avgPower) },
  { head: 'NP (W)', num: true, value: (r) => r.normalizedPower, show: (r) => formatNumber(r.normalizedPower) },
  { head: 'TSS', num: true, value: (r) => r.tss, show: (r) => formatNumber(r.tss) },
  { head: 'IF', num: true, value: (r) => r.intensityFactor, show: (r) => formatNumber(r.intensityFactor, 2) },
  { head: 'Avg HR (bpm)', num: true, value: (r) => r.avgHeartRate, show: (r) => formatNumber(r.avgHeartRate) },
  { head: 'Best 20 min (W)', num: true, value: (r) => r.best20MinWatts, show: (r) => formatNumber(r.best20MinWatts) },
  ];
}

export function ridesTable(rides: readonly RideRow[]): RawHtml {
  if (rides.length === 0) return html`<p class="empty-note">No rides in this period: upload FIT files or a Strava export to fill this table.</p>`;
  const sorted = [...rides].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  // Short dates ("31 Oct") unless the rides span more than one year.
  const oneYear = new Set(sorted.map((r) => r.date.slice(0, 4))).size <= 1;
  const cols = columns((date) => (oneYear ? formatShortDate(date) : formatDate(date)));
  return html`<p class="small muted">${rides.length} ${rides.length === 1 ? 'ride' : 'rides'}, newest first.<span class="sort-hint no-print" hidden> Tap a column heading to sort.</span></p><div class="table-scroll"><table class="rides" data-sortable><caption class="visually-hidden">Rides in the period</caption><thead><tr>${cols.map(
    (c) => html`<th scope="col"${c.num ? html` class="num"` : ''}>${c.head}</th>`,
  )}</tr></thead><tbody>${sorted.map(
    (r) =>
      html`<tr>${cols.map((c) => {
        const v = c.value(r);
        const attr = v === null ? '' : String(v);
        return html`<td data-v="${attr}"${c.num ? html` class="num"` : c.head === 'Date' ? html` class="nowrap"` : ''}>${c.head === 'Name' && r.name === null ? html`<span class="muted">Untitled</span>` : c.show(r)}</td>`;
      })}</tr>`,
  )}</tbody></table></div>`;
}

export function renderPerformanceDashboard(model: ReportModel): string {
  const labels = {
    current: `This period (${formatPeriod(model.period.from, model.period.to)})`,
    previous: `Previous (${formatPeriod(model.period.previousFrom, model.period.previousTo)})`,
  };
  const body = html`
<section aria-labelledby="key-numbers-h"><h2 id="key-numbers-h" class="visually-hidden">Key numbers</h2>${keyNumbers(model.keyNumbers, { from: model.period.previousFrom, to: model.period.previousTo })}</section>
<div class="cols two charts">
<div class="card">${pmcChart(model.pmc, model.projectedPmc, 'pmc', model.plan?.eventDate ?? null)}</div>
<div class="card">${powerCurveChart(model.powerCurve, labels, 'power-curve')}</div>
<div class="card">${weeklyLoadChart(model.weeklyLoad, 'weekly-load')}</div>
<div class="card">${ftpHistoryChart(model.ftpHistory, model.period.to, 'ftp-history')}</div>
<div class="card">${zoneChart('power', model.zones.power, 'power-zones')}</div>
<div class="card">${zoneChart('heartRate', model.zones.heartRate, 'hr-zones')}${model.zones.polarization ? polarizationChart(model.zones.polarization, 'polarization') : ''}</div>
</div>
<div ${SNAPSHOT_END_ATTRIBUTE}></div>
${section('rides', 'Rides', ridesTable(model.rides), 'flow')}
`;
  return renderPage({ model, file: 'performance_dashboard.html', heading: 'Performance dashboard', body, scripts: model.rides.length > 0 ? [SORT_SCRIPT] : [] });
}
