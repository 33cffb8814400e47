/**
 * coaching_insights.html — strengths and limiters with the numbers behind them, recommendations,
 * how the current plan was followed (compliance-section.ts), the plan week by week (each workout's
 * structure drawn), coaching notes, monitoring guidance and the .ics / .zwo downloads as data URLs.
 */
import { describeSteps } from '../../domain/plan/describe-workout.js';
import { TYPICAL_RATIO_TO_FTP } from '../../domain/plan/power-profile.js';
import type { PlanWeek, PlannedWorkout } from '../../domain/plan/types.js';
import { workoutChart } from '../charts/workout-chart.js';
import { athleteLine, hardDays, markdownList, section } from '../components.js';
import { complianceBody } from '../compliance-section.js';
import {
  capitalize,
  formatCurveDuration,
  formatDate,
  formatDuration,
  formatNumber,
  formatShortDate,
  formatWeekday,
  UNIT_SPACE,
} from '../format.js';
import { html, markdown, markdownInline, type RawHtml } from '../html.js';
import { renderPage } from '../layout.js';
import type { ReportModel } from '../report-model.js';

/** The duration whose best power stands for each ability a limiter can name: the power-profile table's ("neuromuscular" is the sprint). */
const ABILITY_SECONDS: Record<string, number> = {
  ...Object.fromEntries(Object.entries(TYPICAL_RATIO_TO_FTP).map(([ability, { seconds }]) => [ability, seconds])),
  neuromuscular: TYPICAL_RATIO_TO_FTP.sprint.seconds,
};

/** A text payload as a data: URL (percent-encoded UTF-8), for `<a download>`. */
export function dataUrl(mime: string, text: string): string {
  return `data:${mime};charset=utf-8,${encodeURIComponent(text)}`;
}

/** "Best 1 min 460 W (previous period 441 W)" for a limiter's area, from the model's power curve. */
function abilityFigures(model: ReportModel, area: string): string | null {
  const seconds = ABILITY_SECONDS[area.toLowerCase()];
  if (seconds === undefined) return null;
  const now = model.powerCurve.current[String(seconds)];
  const before = model.powerCurve.previous[String(seconds)];
  if (now === undefined && before === undefined) return null;
  const parts = [`Best ${formatCurveDuration(seconds)}: ${now !== undefined ? `${formatNumber(now)}${UNIT_SPACE}W` : 'no data'}`];
  if (before !== undefined) parts.push(`previous period ${formatNumber(before)}${UNIT_SPACE}W`);
  return parts.join(' · ');
}

function strengthsAndLimiters(model: ReportModel): RawHtml {
  const a = model.analysis;
  if (a.strengths.length === 0 && a.limiters.length === 0)
    return html`<p class="empty-note">Not enough data to name strengths and limiters yet: a few rides with power give the curve they are read from.</p>`;
  const strengths = a.strengths.map(
    (s) =>
      html`<div class="sw strength"><h3><span class="visually-hidden">Strength: </span>${s.title}</h3><p>${markdownInline(s.detail)}</p></div>`,
  );
  const limiters = a.limiters.map((l) => {
    const figures = abilityFigures(model, l.area);
    return html`<div class="sw limiter"><h3><span class="visually-hidden">Limiter: </span>${l.title}</h3><p>${markdownInline(l.detail)}</p><p class="figures">Area: ${l.area}${figures ? html` · ${figures}` : ''}</p></div>`;
  });
  return html`<h3>Strengths</h3>${strengths.length > 0 ? html`<div class="sw-list">${strengths}</div>` : html`<p class="empty-note">None named this period.</p>`}<h3>Limiters</h3>${
    limiters.length > 0 ? html`<div class="sw-list">${limiters}</div>` : html`<p class="empty-note">None named this period.</p>`
  }`;
}

function recommendations(model: ReportModel): RawHtml {
  const r = model.analysis.recommendations;
  return html`<div class="cols two">
<div><h3>Next 4 weeks</h3>${markdownList(r.shortTerm, 'No short-term recommendations.')}</div>
<div><h3>Next 3–6 months</h3>${markdownList(r.longTerm, 'No long-term recommendations.')}</div>
<div class="wide"><h3>Recovery and nutrition</h3>${markdownList(r.recovery, 'No recovery recommendations.')}</div>
</div>`;
}

function workoutCard(w: PlannedWorkout, date: string, weekday: string, key: string): RawHtml {
  const description = w.description ?? (w.steps && w.steps.length > 0 ? describeSteps(w.steps) : '');
  const label = `${w.name}: power profile, ${formatDuration(w.durationMinutes * 60)}, ${description || w.type}`;
  return html`<article class="workout" id="${key}"><div class="w-day">${formatWeekday(weekday)} ${formatShortDate(date)}</div><h4>${w.name}<span class="badge ${w.intensity}">${w.type}</span></h4><div class="w-meta">${formatDuration(
    w.durationMinutes * 60,
  )} · ${formatNumber(w.tss)}${UNIT_SPACE}TSS · IF ${formatNumber(w.intensityFactor, 2)} · ${w.intensity}</div>${workoutChart(w.steps, { label })}${description ? html`<p class="w-desc">${description}</p>` : ''}</article>`;
}

function weekSection(week: PlanWeek): RawHtml {
  const first = week.days[0];
  const last = week.days[week.days.length - 1];
  const workouts: RawHtml[] = [];
  const rest: string[] = [];
  for (const day of week.days) {
    if (day.workouts.length === 0) rest.push(formatWeekday(day.weekday));
    day.workouts.forEach((w, i) => workouts.push(workoutCard(w, day.date, day.weekday, `w${week.week}-${day.date}-${i}`)));
  }
  const hours =
    week.targetHours !== undefined
      ? html`${formatNumber(week.hours, 1)}${UNIT_SPACE}h (target ${formatNumber(week.targetHours, 1)}${UNIT_SPACE}h)`
      : html`${formatNumber(week.hours, 1)}${UNIT_SPACE}h`;
  return html`<section class="week" id="week-${week.week}" aria-labelledby="week-${week.week}-h"><div class="week-head"><h3 id="week-${week.week}-h">Week ${week.week}</h3><span class="phase ph-${week.phase}">${capitalize(week.phase)}</span><span class="week-meta">${first ? formatShortDate(first.date) : ''}${last ? ` – ${formatShortDate(last.date)}` : ''} · ${formatNumber(
    week.plannedTss,
  )}${UNIT_SPACE}TSS planned (target ${formatNumber(week.targetTss)}) · ${hours} · ${hardDays(week.days)} hard ${hardDays(week.days) === 1 ? 'day' : 'days'}</span></div>${week.notes && week.notes.length > 0 ? markdownList(week.notes, '', 'week-notes small') : ''}<div class="workouts">${workouts}</div>${
    rest.length > 0 ? html`<p class="rest">Rest: ${rest.join(', ')}</p>` : ''
  }</section>`;
}

function planSection(model: ReportModel): RawHtml {
  const plan = model.plan;
  if (!plan || plan.weeks.length === 0)
    return html`<p class="empty-note">No training plan in this report: ask the coach for a plan (with your weekly hours and training days) to see it week by week.</p>`;
  return html`${plan.notes && plan.notes.length > 0 ? markdownList(plan.notes, '') : ''}<p class="small muted">Bars show target power in % of FTP over time, colored by zone (Z1 grey, Z2 blue, Z3 green, Z4 yellow, Z5 orange, Z6 red, Z7 purple); the dashed line is FTP.</p>${plan.weeks.map(weekSection)}`;
}

function downloads(model: ReportModel): RawHtml {
  const exports = model.planExports;
  if (!exports) return html`<p class="empty-note">No plan, so nothing to download.</p>`;
  const items: RawHtml[] = [];
  if (exports.ics.trim() !== '')
    items.push(
      html`<li><a href="${dataUrl('text/calendar', exports.ics)}" download="training-plan.ics" type="text/calendar">Calendar (.ics) — every workout</a></li>`,
    );
  for (const z of exports.zwo)
    items.push(
      html`<li><a href="${dataUrl('application/xml', z.xml)}" download="${z.fileName}" type="application/xml">${z.fileName}</a></li>`,
    );
  const fit = exports.fit ?? [];
  for (const f of fit)
    items.push(
      html`<li><a href="data:application/vnd.ant.fit;base64,${f.base64}" download="${f.fileName}" type="application/vnd.ant.fit">${f.fileName}</a></li>`,
    );
  if (items.length === 0) return html`<p class="empty-note">No export files for this plan.</p>`;
  const headUnit = fit.length > 0 ? ' or on your head unit (copy the .fit files to Garmin/NewFiles on a Garmin)' : '';
  return html`<p>Add the plan to your calendar, or load the workouts in Zwift (copy the .zwo files to Documents/Zwift/Workouts/&lt;your id&gt;)${headUnit}.</p><ul class="downloads">${items}</ul>`;
}

export function renderCoachingInsights(model: ReportModel): string {
  const notes = model.planNotes;
  // absent (not computed) shows nothing, so that older models render as they always did
  const compliance =
    model.compliance !== undefined ? html`${section('compliance', 'Plan and rides so far', complianceBody(model.compliance))}\n` : '';
  const body = html`
<section class="card intro" aria-label="Athlete">${athleteLine(model)}${model.analysis.summary.trim() !== '' ? markdown(model.analysis.summary) : ''}</section>
${section('trends', 'What changed', markdownList(model.analysis.keyTrends, 'No trends: there is no previous period to compare with yet.'))}
${section('strengths', 'Strengths and limiters', strengthsAndLimiters(model))}
${section('recommendations', 'Recommendations', recommendations(model))}
${compliance}${section('plan', 'The plan week by week', planSection(model), 'flow')}
<div class="cols two">
${section('coaching-notes', 'Coaching notes', notes ? markdownList(notes.coachingNotes, 'No coaching notes.') : html`<p class="empty-note">No plan, so no coaching notes.</p>`)}
${section('monitoring', 'What to watch', notes ? markdownList(notes.monitoring, 'No monitoring guidance.') : html`<p class="empty-note">No plan, so no monitoring guidance.</p>`)}
</div>
${section('downloads', 'Downloads', downloads(model), 'no-print')}
<p class="small muted">Period: ${formatDate(model.period.from)} – ${formatDate(model.period.to)}.</p>
`;
  return renderPage({ model, file: 'coaching_insights.html', heading: 'Coaching insights', body });
}
