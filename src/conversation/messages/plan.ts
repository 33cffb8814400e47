/**
 * The words of /plan, /report and /status: a week of the plan, the reports sent again, and what is
 * stored and running.
 */
import { utcDate, weekdayOf, zonedDate } from '../../domain/calendar.js';
import type { WorkoutStatus } from '../../domain/coaching/plan-state.js';
import type { PlanVersion, WorkoutState } from '../../domain/coaching/types.js';
import type { Plan, PlannedWorkout, PlanWeek } from '../../domain/plan/types.js';
import type { RunRecord } from '../../store/store.js';
import type { Button, Reply } from '../port.js';
import { dayNameOf } from './coaching.js';
import { quantity as n, shortId } from './format.js';

const weekHeading = (week: PlanWeek) => `Week ${week.week} (${week.phase}) — ${n(week.plannedTss)} TSS, ${n(week.hours, 1)} h`;
/** "Tue 03-10". */
const dayLabel = (date: string, weekday: string) => `${weekday[0]!.toUpperCase()}${weekday.slice(1, 3)} ${date.slice(5)}`;
/** "Threshold 2×10 — 60 min, TSS 70, IF 0.91 (hard)". */
const workoutText = (w: PlannedWorkout) =>
  `${w.name} — ${Math.round(w.durationMinutes)} min, TSS ${n(w.tss)}, IF ${n(w.intensityFactor, 2)}${w.intensity === 'hard' ? ' (hard)' : ''}`;

/** A week of the plan, a line per workout (or rest day). */
export function weekText(week: PlanWeek): string {
  const lines = [weekHeading(week)];
  for (const day of week.days) {
    const label = dayLabel(day.date, day.weekday);
    if (day.workouts.length === 0) lines.push(`${label}: rest`);
    for (const w of day.workouts) lines.push(`${label}: ${workoutText(w)}`);
  }
  return lines.join('\n');
}

/** Each workout's state as /plan marks it: ✓ done, ◐ partial, ✗ missed, ↻ moved or adjusted, + an extra ride. */
const MARKS: Readonly<Record<WorkoutState, string>> = { planned: '', done: '✓ ', partial: '◐ ', missed: '✗ ', moved: '↻ ', extra: '+ ' };
const LEGEND = '✓ done · ◐ partly done · ✗ missed · ↻ moved or adjusted · + not in the plan';

/** What a workout's line adds after the plan's figures: what was ridden, where it moved from, why it changed. */
function statusDetail(status: WorkoutStatus | undefined): string {
  if (!status) return '';
  const parts: string[] = [];
  const match = status.match;
  if (match && (status.state === 'done' || status.state === 'partial')) {
    const hit = match.intervals.filter((i) => i.verdict === 'hit').length;
    const intervals = match.intervals.length > 0 ? `, ${hit}/${match.intervals.length} intervals on target` : '';
    parts.push(`ridden: ${n(match.session.doneTss)} TSS${intervals}`);
  }
  if (status.movedFrom) parts.push(`moved from ${dayLabel(status.movedFrom, weekdayOf(status.movedFrom))}`);
  if (status.note) parts.push(status.note);
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}

/** The mark of a planned workout: its state's, or ↻ for one an adaptation changed that is still to ride. */
function markOf(status: WorkoutStatus | undefined): string {
  if (!status) return '';
  if (status.state === 'planned' && (status.movedFrom || status.note)) return MARKS.moved;
  return MARKS[status.state];
}

/**
 * A week of the athlete's current plan with each workout's state (`workoutStatuses` of the plan,
 * given the dropped workouts), the workouts adaptations took out (✗ missed, ↻ adjusted, with the
 * change's words) and the extra rides on their days, and a legend when anything is marked.
 */
export function trackedWeekText(week: PlanWeek, statuses: readonly WorkoutStatus[]): string {
  const byKey = new Map(statuses.map((s) => [s.key, s]));
  const held = new Set(week.days.flatMap((d) => d.workouts.map((w, slot) => w.key ?? `${d.date}#${slot}`)));
  const lines = [weekHeading(week)];
  let marked = false;
  for (const day of week.days) {
    const label = dayLabel(day.date, day.weekday);
    const extras = statuses.filter((s) => s.state === 'extra' && s.date === day.date);
    const gone = statuses.filter((s) => s.state !== 'extra' && s.date === day.date && !held.has(s.key));
    for (const d of gone) lines.push(`${label}: ${markOf(d)}${d.note ?? d.name}`);
    marked ||= gone.length > 0;
    if (day.workouts.length === 0 && extras.length === 0 && gone.length === 0) lines.push(`${label}: rest`);
    day.workouts.forEach((w, slot) => {
      const status = byKey.get(w.key ?? `${day.date}#${slot}`);
      const mark = markOf(status);
      marked ||= mark !== '';
      lines.push(`${label}: ${mark}${workoutText(w)}${statusDetail(status)}`);
    });
    for (const extra of extras) {
      marked = true;
      lines.push(`${label}: ${MARKS.extra}ride not in the plan — ${Math.round(extra.durationMinutes)} min, ${n(extra.tss)} TSS`);
    }
  }
  if (marked) lines.push(LEGEND);
  return lines.join('\n');
}

/** "Next: Thursday · Threshold 2×10 — 60 min, TSS 70, IF 0.91 (hard)" and its steps: the first workout still to ride from today. */
export function nextWorkoutText(plan: Plan, statuses: readonly WorkoutStatus[], today: string): string | null {
  const inPlan = new Map(
    plan.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts.map((wo, slot) => [wo.key ?? `${d.date}#${slot}`, wo] as const))),
  );
  // (a workout an adaptation took out is among the states, adjusted, but no longer to ride)
  const next = statuses.find((s) => s.date >= today && (s.state === 'planned' || s.state === 'moved') && inPlan.has(s.key));
  const workout = next ? inPlan.get(next.key) : undefined;
  if (!next || !workout) return null;
  const day = next.date === today ? 'today' : `${dayNameOf(next.date)} ${next.date.slice(5)}`;
  return [`Next: ${day} · ${workoutText(workout)}`, ...(workout.description ? [workout.description] : [])].join('\n');
}

/** The version line under a week of a changed plan. */
function versionLine(version: PlanVersion, timeZone: string): string | null {
  if (version.version <= 1) return null;
  return `Plan version ${version.version}, ${zonedDate(version.createdAt, timeZone)}: ${version.reason}. /plan history lists every change.`;
}

/** /plan on the current plan: the week (this, next or number N) with each workout's state, what is next, and the version. */
export function trackedPlanText(
  version: PlanVersion,
  week: PlanWeek,
  statuses: readonly WorkoutStatus[],
  context: { today: string; timeZone: string; title: string },
): Reply {
  const lines = [trackedWeekText(week, statuses)];
  const next = nextWorkoutText(version.plan, statuses, context.today);
  if (next) lines.push('', next);
  const changed = versionLine(version, context.timeZone);
  if (changed) lines.push('', changed);
  return { title: context.title, text: lines.join('\n') };
}

/** /plan week N beyond the plan. */
export function noSuchWeekText(week: number, weeks: number): Reply {
  return { text: weeks > 0 ? `Your plan has weeks 1–${weeks}: there is no week ${week}.` : 'Your plan has no weeks.' };
}

/** At most this many versions are listed by /plan history (the first, then the newest). */
const HISTORY_SHOWN = 12;

/** /plan history: when the plan was made, then every version after it — its date, its reason and each change. */
export function planHistoryText(versions: readonly PlanVersion[], timeZone: string): Reply {
  const first = versions[0];
  if (!first) return { text: 'Your plan has no history yet: the next /analyze makes your plan, and every change is kept from then on.' };
  const date = (v: PlanVersion) => zonedDate(v.createdAt, timeZone);
  const lines = [`Plan made on ${date(first)} (${first.reason}).`];
  const later = versions.slice(1);
  const shown = later.slice(-(HISTORY_SHOWN - 1));
  if (shown.length < later.length) lines.push(`… ${later.length - shown.length} earlier versions`);
  for (const v of shown) lines.push('', `${date(v)} · ${v.reason}`, ...v.changes.map((c) => `• ${c.text}`));
  if (later.length === 0) lines.push('No changes since.');
  return { title: 'Plan history', text: lines.join('\n') };
}

/** The week of the plan that holds `today`, or the first one when the plan has not started. */
export function planWeek(plan: Plan, today: string, offset = 0): PlanWeek | null {
  const index = plan.weeks.findIndex((w) => w.days.some((d) => d.date === today));
  const base = index >= 0 ? index : plan.weeks[0] && today < plan.weeks[0].days[0]!.date ? 0 : -1;
  if (base < 0) return null;
  return plan.weeks[base + offset] ?? null;
}

/** There is no week to show: the plan is over (or has no week after this one). */
export function planOverText(offset: number): Reply {
  return {
    text:
      offset > 0
        ? 'Your plan has no further week. Send new rides and /analyze for the next block.'
        : 'Your plan is over. Send new rides and /analyze for the next block.',
  };
}

/** The buttons under a reply that comes with a plan. */
export function planButtons(): Button[][] {
  return [
    [
      { label: "This week's plan", action: 'plan' },
      { label: 'Next week', action: 'plan:next' },
    ],
  ];
}

export const NO_PLAN: Reply = { text: 'You have no plan yet. Send your rides and /analyze: the plan comes with the reports.' };

/** The plan's week, and why it is out of date when it is. */
export function stalePlanText(reply: Reply, staleReason: string | null): Reply {
  return staleReason ? { ...reply, text: `${reply.text}\n\nOut of date: ${staleReason} /analyze makes a new plan.` } : reply;
}

export const PLAN_FILES_CAPTION = 'Zwift (.zwo) and head-unit (.fit) workouts for the week, and the whole plan for your calendar.';

export const NO_REPORT: Reply = { text: 'No report yet. Send your rides, then /analyze.' };

export function reportCaption(run: RunRecord): string {
  return `Your reports from ${utcDate(run.createdAt)} (run ${shortId(run.id)}).${run.staleReason ? ` Out of date: ${run.staleReason} /analyze makes new ones.` : ''}`;
}

/** /status: the activities stored, and the analysis running or the last one. */
export function statusReply(
  activities: number,
  running: { runId: string; queued: boolean } | null,
  last: Pick<RunRecord, 'createdAt' | 'status' | 'degraded'> | undefined,
): Reply {
  const lines = [
    `${activities} ${activities === 1 ? 'activity' : 'activities'} stored.`,
    running
      ? `An analysis is ${running.queued ? 'queued' : 'running'} (run ${shortId(running.runId)}).`
      : last
        ? `Last analysis: ${utcDate(last.createdAt)}, ${last.status}${last.degraded ? ' (offline coach stood in)' : ''}.`
        : 'No analysis yet.',
  ];
  return { title: 'Status', text: lines.join('\n') };
}
