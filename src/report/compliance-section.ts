/**
 * The compliance section of coaching_insights.html and its line on index.html: how the athlete
 * followed the current plan (planned vs done TSS per week, sessions, the work intervals on
 * target per workout type) and every adaptation with its reason. Without a current plan, or with
 * nothing matched yet, one sentence says so (never an empty chart). Reasons and change texts are
 * the coach's words about the athlete's workouts: escaped as text, never Markdown.
 */
import type { ComplianceSummary, HitRate } from '../domain/coaching/compliance-summary.js';
import type { WorkoutType } from '../domain/plan/types.js';
import { complianceChart } from './charts/compliance-chart.js';
import { formatDate, formatNumber, formatShortDate, MISSING, UNIT_SPACE, withUnit } from './format.js';
import { html, type RawHtml } from './html.js';
import { FILE_LABELS } from './layout.js';

const TYPE_LABELS: Record<WorkoutType, string> = {
  recovery: 'Recovery',
  endurance: 'Endurance',
  tempo: 'Tempo',
  sweetspot: 'Sweet spot',
  threshold: 'Threshold',
  vo2max: 'VO2max',
  anaerobic: 'Anaerobic',
  sprint: 'Sprint',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const percent = (rate: HitRate): string => (rate.percent === null ? MISSING : withUnit(rate.percent, '%'));
const tss = (value: number): string => `${formatNumber(value)}${UNIT_SPACE}TSS`;

/** Done against planned TSS up to today: the weeks' sums. */
function totals(c: ComplianceSummary): { planned: number; done: number } {
  return {
    planned: c.weeks.reduce((s, w) => s + w.plannedToDateTss, 0),
    done: c.weeks.reduce((s, w) => s + w.doneTss, 0),
  };
}

/** "5 done, 1 partial, 2 missed of 8 planned so far; 1 extra ride". */
function sessionsText(c: ComplianceSummary): string {
  const s = c.sessions;
  const parts = [`${s.done} done`, ...(s.partial > 0 ? [`${s.partial} partial`] : []), `${s.missed} missed`];
  return `${parts.join(', ')} of ${plural(s.planned, 'workout')} planned so far${s.extra > 0 ? `; ${plural(s.extra, 'extra ride')}` : ''}`;
}

function intervalsText(c: ComplianceSummary): string {
  const i = c.intervals;
  return i.total === 0
    ? 'no work intervals in the matched workouts yet'
    : `${i.hit} of ${plural(i.total, 'work interval')} on target (${percent(i)})`;
}

function hitRateTable(c: ComplianceSummary): RawHtml {
  if (c.intervals.byType.length === 0) return html``;
  return html`<div class="table-scroll"><table class="hit-rate"><caption>Work intervals on target, by workout type</caption><thead><tr><th scope="col">Workout type</th><th scope="col" class="num">On target</th><th scope="col" class="num">Hit rate</th></tr></thead><tbody>${c.intervals.byType.map(
    (t) =>
      html`<tr><th scope="row">${TYPE_LABELS[t.type]}</th><td class="num">${t.hit} / ${t.total}</td><td class="num">${percent(t)}</td></tr>`,
  )}<tr><th scope="row">All</th><td class="num">${c.intervals.hit} / ${c.intervals.total}</td><td class="num">${percent(c.intervals)}</td></tr></tbody></table></div>`;
}

function adaptationsList(c: ComplianceSummary): RawHtml {
  if (c.adaptations.length === 0) return html`<h3>Adaptations</h3><p class="empty-note">None yet: the plan is as it was made.</p>`;
  return html`<h3>Adaptations</h3><ul class="adaptations">${c.adaptations.map(
    (a) =>
      html`<li><strong>${formatDate(a.date)}</strong> · version ${a.version}: ${a.reason}${a.changes.length > 0 ? html`<ul>${a.changes.map((t) => html`<li>${t}</li>`)}</ul>` : ''}</li>`,
  )}</ul>`;
}

/** The section's body on coaching_insights.html. */
export function complianceBody(c: ComplianceSummary | null): RawHtml {
  if (!c)
    return html`<p class="empty-note">No current plan to follow yet: once an analysis makes one, every ride is compared with it here.</p>`;
  const since = formatShortDate(c.planStart);
  if (c.weeks.length === 0)
    return html`<p class="empty-note">Your plan starts on ${formatDate(c.planStart)}: nothing to compare yet.</p>${adaptationsList(c)}`;
  if (c.matchedRides === 0)
    return html`<p class="empty-note">No ride matched to your plan yet (since ${since}): upload your rides and each is compared with its planned workout.</p>${adaptationsList(c)}`;
  const { planned, done } = totals(c);
  const share = planned > 0 ? ` (${withUnit(Math.round((done / planned) * 100), '%')})` : '';
  return html`<p>Since ${since} (plan version ${c.planVersion}): <strong>${tss(done)}</strong> done of ${tss(planned)} planned up to today${share}. Workouts: ${sessionsText(c)}. Intervals: ${intervalsText(c)}.</p><div class="cols two"><div>${complianceChart(c.weeks)}</div><div>${hitRateTable(c)}${adaptationsList(c)}</div></div>`;
}

/** One line for index.html; nothing when the model has no compliance (not computed, or no current plan). */
export function complianceLine(c: ComplianceSummary | null | undefined): RawHtml {
  if (!c) return html``;
  const link = html`<a href="coaching_insights.html#compliance">${FILE_LABELS['coaching_insights.html']}</a>`;
  if (c.weeks.length === 0 || c.matchedRides === 0)
    return html`<p class="compliance-line small">Your current plan: no ride matched to it yet. See ${link}.</p>`;
  const { planned, done } = totals(c);
  const adapted = c.adaptations.length > 0 ? `, ${plural(c.adaptations.length, 'adaptation')}` : '';
  return html`<p class="compliance-line small"><strong>So far:</strong> ${tss(done)} done of ${tss(planned)} planned, ${intervalsText(c)}${adapted}. See ${link}.</p>`;
}
