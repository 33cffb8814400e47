/**
 * index.html — the executive summary: period, key numbers with trends, the top insights, the plan
 * at a glance and links to the other two files.
 */
import { eventDayForm } from '../charts/pmc-chart.js';
import { planLoadChart } from '../charts/plan-load-chart.js';
import { athleteLine, hardDays, keyNumbers, markdownList, section } from '../components.js';
import { complianceLine } from '../compliance-section.js';
import { capitalize, formatNumber, formatShortDate, UNIT_SPACE } from '../format.js';
import { html, markdown, type RawHtml } from '../html.js';
import { FILE_LABELS, renderPage } from '../layout.js';
import type { ReportModel } from '../report-model.js';

/** How many insights the summary shows. */
export const TOP_INSIGHTS = 5;

export function planGlanceTable(model: ReportModel): RawHtml {
  const plan = model.plan;
  if (!plan || plan.weeks.length === 0) return html``;
  return html`<div class="table-scroll"><table class="plan-glance"><caption>The plan week by week</caption><thead><tr><th scope="col">Week</th><th scope="col">Starts</th><th scope="col">Phase</th><th scope="col" class="num">TSS planned / target</th><th scope="col" class="num">Hours</th><th scope="col" class="num">Hard days</th></tr></thead><tbody>${plan.weeks.map(
    (w) =>
      html`<tr><th scope="row">${w.week}</th><td class="nowrap">${w.days[0] ? formatShortDate(w.days[0].date) : '—'}</td><td><span class="phase ph-${w.phase}">${capitalize(w.phase)}</span></td><td class="num">${formatNumber(w.plannedTss)} <span class="muted">/ ${formatNumber(w.targetTss)}</span></td><td class="num">${formatNumber(w.hours, 1)}${UNIT_SPACE}h</td><td class="num">${hardDays(w.days)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function renderIndex(model: ReportModel): string {
  const a = model.analysis;
  const summary = a.summary.trim() !== '' ? markdown(a.summary) : html`<p class="empty-note">No written summary for this period.</p>`;
  const plan = model.plan;
  const eventDay = eventDayForm(model.projectedPmc, plan?.eventDate);
  const eventLine =
    eventDay && plan?.eventDate
      ? html`<p>On the event day the plan puts your form (TSB) at <strong>${formatNumber(eventDay.tsb)}</strong> and fitness (CTL) at ${formatNumber(eventDay.ctl)}${UNIT_SPACE}TSS/day.</p>`
      : html``;
  const planBody =
    plan && plan.weeks.length > 0
      ? html`<p>${plan.weeks.length} weeks${plan.startDate ? html` from ${formatShortDate(plan.startDate)}` : ''}${plan.eventDate ? html` to your event on ${formatShortDate(plan.eventDate)}` : ''}: ${formatNumber(plan.weeks.reduce((s, w) => s + w.plannedTss, 0))}${UNIT_SPACE}TSS and ${formatNumber(
          plan.weeks.reduce((s, w) => s + w.hours, 0),
          0,
        )}${UNIT_SPACE}h in total. Every workout is in <a href="coaching_insights.html#plan">${FILE_LABELS['coaching_insights.html']}</a>.</p>${eventLine}${planLoadChart(plan, 'plan-load')}${planGlanceTable(model)}`
      : html`<p class="empty-note">No training plan in this report: ask the coach for a plan to see it here.</p>`;
  const body = html`
<section class="card intro" aria-label="Athlete and period">
<p>${model.copy.intro}</p>
${athleteLine(model)}
</section>
<section aria-labelledby="key-numbers-h"><h2 id="key-numbers-h" class="visually-hidden">Key numbers</h2>${keyNumbers(model.keyNumbers, { from: model.period.previousFrom, to: model.period.previousTo })}</section>
<div class="cols two">
${section('summary', 'Summary', html`${summary}<h3>Top insights</h3>${markdownList(a.insights.slice(0, TOP_INSIGHTS), 'No insights: there is not enough data in this period yet.', 'insights')}`)}
${section('plan', 'The plan at a glance', html`${complianceLine(model.compliance)}${planBody}`)}
</div>
${section(
  'files',
  'More in this report',
  html`<ul class="files-list">
<li><a href="coaching_insights.html"><strong>${FILE_LABELS['coaching_insights.html']}</strong><br><span class="small muted">Strengths, limiters, recommendations and every planned workout, with calendar and Zwift downloads.</span></a></li>
<li><a href="performance_dashboard.html"><strong>${FILE_LABELS['performance_dashboard.html']}</strong><br><span class="small muted">Fitness (PMC), power curve, weekly load, zones, FTP history, aerobic decoupling, W′ balance and all rides.</span></a></li>
</ul><p class="small muted">The links work when the three files are saved in the same folder.</p>`,
  'no-print',
)}
`;
  return renderPage({ model, file: 'index.html', heading: 'Summary', body });
}
