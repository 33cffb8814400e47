/**
 * performance_dashboard.html — the charts (PMC, power-duration curve with the CP model, weekly
 * load, zone distributions, FTP / W/kg history, Pw:HR decoupling on long rides), the lowest W′
 * balance of interval rides and a sortable table of rides. The chat picture
 * is this page down to the `data-snapshot-end` marker (charts, not the ride table).
 */
import { decouplingChart } from '../charts/decoupling-chart.js';
import { ftpHistoryChart } from '../charts/ftp-history-chart.js';
import { pmcChart } from '../charts/pmc-chart.js';
import { powerCurveChart } from '../charts/power-curve-chart.js';
import { weeklyLoadChart } from '../charts/weekly-load-chart.js';
import { polarizationChart, zoneChart } from '../charts/zone-chart.js';
import { keyNumbers, section } from '../components.js';
import {
  distance,
  distanceUnit,
  formatDate,
  formatDuration,
  formatNumber,
  formatPeriod,
  formatShortDate,
  UNIT_SPACE,
  type Units,
} from '../format.js';
import { clippedText, html, type RawHtml } from '../html.js';
import { renderPage, SORT_SCRIPT } from '../layout.js';
import type { ReportModel, RideRow } from '../report-model.js';

/** The marker where the chat picture ends. */
export const SNAPSHOT_END_ATTRIBUTE = 'data-snapshot-end';

type Column = { head: string; num: boolean; value: (r: RideRow) => string | number | null; show: (r: RideRow) => string };

/**
 * Date and name, then the figures a rider looks for first (NP, TSS, IF, Pw:HR) so that they fit a
 * 390 px phone screen without scrolling sideways; the rest follow.
 */
function columns(dateText: (date: string) => string, units: Units): Column[] {
  const inUnits = (r: RideRow) => (r.distanceKm === null ? null : distance(r.distanceKm * 1000, units).value);
  return [
    { head: 'Date', num: false, value: (r) => r.date, show: (r) => dateText(r.date) },
    { head: 'Name', num: false, value: (r) => r.name ?? '', show: (r) => r.name ?? 'Untitled' },
    { head: 'NP (W)', num: true, value: (r) => r.normalizedPower, show: (r) => formatNumber(r.normalizedPower) },
    { head: 'TSS', num: true, value: (r) => r.tss, show: (r) => formatNumber(r.tss) },
    { head: 'IF', num: true, value: (r) => r.intensityFactor, show: (r) => formatNumber(r.intensityFactor, 2) },
    { head: 'Pw:HR (%)', num: true, value: (r) => r.aerobicDecouplingPercent, show: (r) => formatNumber(r.aerobicDecouplingPercent, 1) },
    { head: 'Duration', num: true, value: (r) => r.durationSeconds, show: (r) => formatDuration(r.durationSeconds) },
    { head: `Distance (${distanceUnit(units)})`, num: true, value: (r) => inUnits(r), show: (r) => formatNumber(inUnits(r), 1) },
    { head: 'Avg power (W)', num: true, value: (r) => r.avgPower, show: (r) => formatNumber(r.avgPower) },
    { head: 'Avg HR (bpm)', num: true, value: (r) => r.avgHeartRate, show: (r) => formatNumber(r.avgHeartRate) },
    { head: 'Best 20 min (W)', num: true, value: (r) => r.best20MinWatts, show: (r) => formatNumber(r.best20MinWatts) },
    { head: 'Sport', num: false, value: (r) => r.sport, show: (r) => r.sport },
  ];
}

/** The rides, newest first; distance in the athlete's units (km unless `units` is imperial). */
export function ridesTable(rides: readonly RideRow[], units: Units = 'metric'): RawHtml {
  if (rides.length === 0)
    return html`<p class="empty-note">No rides in this period: upload FIT files or a Strava export to fill this table.</p>`;
  const sorted = [...rides].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  // Short dates ("31 Oct") unless the rides span more than one year.
  const oneYear = new Set(sorted.map((r) => r.date.slice(0, 4))).size <= 1;
  const cols = columns((date) => (oneYear ? formatShortDate(date) : formatDate(date)), units);
  return html`<p class="small muted">${rides.length} ${rides.length === 1 ? 'ride' : 'rides'}, newest first.<span class="sort-hint no-print" hidden> Tap a column heading to sort.</span> Pw:HR is aerobic decoupling: how much power per heartbeat fell from the first half of the ride to the second (under 5${UNIT_SPACE}% on a long steady ride is good).</p><div class="table-scroll"><table class="rides" data-sortable><caption class="visually-hidden">Rides in the period</caption><thead><tr>${cols.map(
    (c) => html`<th scope="col"${c.num ? html` class="num"` : ''}>${c.head}</th>`,
  )}</tr></thead><tbody>${sorted.map(
    (r) =>
      html`<tr>${cols.map((c) => {
        const v = c.value(r);
        const attr = v === null ? '' : String(v);
        if (c.head === 'Name')
          return html`<td data-v="${attr}" class="text">${r.name === null ? html`<span class="muted">Untitled</span>` : clippedText(r.name)}</td>`;
        return html`<td data-v="${attr}"${c.num ? html` class="num"` : c.head === 'Date' ? html` class="nowrap"` : ''}>${c.show(r)}</td>`;
      })}</tr>`,
  )}</tbody></table></div>`;
}

/**
 * The lowest W′ balance (Skiba's differential model, CP and W′ from the period's CP model) of each
 * interval ride, with the rule that picks the rides.
 */
export function wPrimeBalanceTable(balance: ReportModel['wPrimeBalance']): RawHtml {
  if (!balance)
    return html`<p class="empty-note">No reliable critical power model for this period (confidence medium or high), so no W′ balance: it needs several all-out efforts of 2 to 20 minutes to fit CP and W′.</p>`;
  const rule = `Interval rides: a variability index (NP ÷ average power) of ${formatNumber(balance.rule.minVariabilityIndex, 2)} or more, or at least ${formatNumber(balance.rule.minMinutesAboveCp)}${UNIT_SPACE}min above CP.`;
  const intro = html`<p class="small">The lowest W′ balance each interval ride reached: how far it drained your anaerobic capacity W′, by Skiba's model (above CP, W′ drains at P − CP; below CP it refills, faster the easier you ride). CP ${formatNumber(balance.cp)}${UNIT_SPACE}W and W′ ${formatNumber(balance.wPrimeKj, 1)}${UNIT_SPACE}kJ come from your power curve. Near 0 % you emptied the tank; below 0 the ride beat the model, so CP or W′ is set too low.</p><p class="small muted">${rule}</p>`;
  if (balance.rides.length === 0) return html`${intro}<p class="empty-note">No interval rides with a power stream in this period.</p>`;
  const oneYear = new Set(balance.rides.map((r) => r.date.slice(0, 4))).size <= 1;
  return html`${intro}<div class="table-scroll"><table class="w-prime"><caption class="visually-hidden">Lowest W′ balance on interval rides</caption><thead><tr><th scope="col">Date</th><th scope="col">Ride</th><th scope="col" class="num">Lowest W′ (kJ)</th><th scope="col" class="num">% of W′</th><th scope="col" class="num">Above CP</th></tr></thead><tbody>${balance.rides.map(
    (r) =>
      html`<tr><td class="nowrap">${oneYear ? formatShortDate(r.date) : formatDate(r.date)}</td><td class="text">${r.name === null ? html`<span class="muted">Untitled</span>` : clippedText(r.name)}</td><td class="num">${formatNumber(r.minKj, 1)}</td><td class="num">${formatNumber(r.minPercent)}${UNIT_SPACE}%</td><td class="num">${formatDuration(r.secondsAboveCp)}</td></tr>`,
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
<div class="card">${pmcChart(model.pmc, model.projectedPmc, 'pmc', model.plan?.eventDate ?? null, model.generatedAt)}</div>
<div class="card">${powerCurveChart(model.powerCurve, labels, 'power-curve')}</div>
<div class="card">${weeklyLoadChart(model.weeklyLoad, 'weekly-load')}</div>
<div class="card">${ftpHistoryChart(model.ftpHistory, model.period.to, 'ftp-history', model.generatedAt)}</div>
<div class="card">${zoneChart('power', model.zones.power, 'power-zones')}</div>
<div class="card">${zoneChart('heartRate', model.zones.heartRate, 'hr-zones')}${model.zones.polarization ? polarizationChart(model.zones.polarization, 'polarization') : ''}</div>
<div class="card">${decouplingChart(model.aerobicDecoupling, 'decoupling', model.generatedAt)}</div>
</div>
<div ${SNAPSHOT_END_ATTRIBUTE}></div>
${section('w-prime', 'W′ balance on interval rides', wPrimeBalanceTable(model.wPrimeBalance))}
${section('rides', 'Rides', ridesTable(model.rides, model.athlete.units ?? 'metric'), 'flow')}
`;
  return renderPage({
    model,
    file: 'performance_dashboard.html',
    heading: 'Performance dashboard',
    body,
    scripts: model.rides.length > 0 ? [SORT_SCRIPT] : [],
  });
}
