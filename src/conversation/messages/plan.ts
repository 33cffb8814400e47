/**
 * The words of /plan, /report and /status: a week of the plan, the reports sent again, and what is
 * stored and running.
 */
import { utcDate } from '../../domain/calendar.js';
import type { Plan, PlanWeek } from '../../domain/plan/types.js';
import type { RunRecord } from '../../store/store.js';
import type { Button, Reply } from '../port.js';
import { quantity as n, shortId } from './format.js';

/** A week of the plan, a line per workout (or rest day). */
export function weekText(week: PlanWeek): string {
  const lines = [`Week ${week.week} (${week.phase}) — ${n(week.plannedTss)} TSS, ${n(week.hours, 1)} h`];
  for (const day of week.days) {
    const label = `${day.weekday[0]!.toUpperCase()}${day.weekday.slice(1)} ${day.date.slice(5)}`;
    if (day.workouts.length === 0) lines.push(`${label}: rest`);
    for (const w of day.workouts)
      lines.push(
        `${label}: ${w.name} — ${Math.round(w.durationMinutes)} min, TSS ${n(w.tss)}, IF ${n(w.intensityFactor, 2)}${w.intensity === 'hard' ? ' (hard)' : ''}`,
      );
  }
  return lines.join('\n');
}

/** The week of the plan that holds `today`, or the first one when the plan has not started. */
export function planWeek(plan: Plan, today: string, offset = 0): PlanWeek | null {
  const index = plan.weeks.findIndex((w) => w.days.some((d) => d.date === today));
  const base = index >= 0 ? index : plan.weeks[0] && today < plan.weeks[0].days[0]!.date ? 0 : -1;
  if (base < 0) return null;
  return plan.weeks[base + offset] ?? null;
}

export function planText(plan: Plan, today: string, offset: number): Reply {
  const week = planWeek(plan, today, offset);
  if (!week)
    return {
      text:
        offset > 0
          ? 'Your plan has no further week. Send new rides and /analyze for the next block.'
          : 'Your plan is over. Send new rides and /analyze for the next block.',
    };
  return { title: offset > 0 ? 'Next week' : 'This week', text: weekText(week) };
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

export const PLAN_FILES_CAPTION = 'Zwift workouts for the week, and the whole plan for your calendar.';

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
