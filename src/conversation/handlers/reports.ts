/**
 * /report, /plan and /status: the latest reports again, a week of the latest plan with its Zwift
 * workouts and the whole plan as a calendar, and what is stored and running.
 */
import { planToIcs, workoutFiles } from '../../domain/plan/index.js';
import { REPORT_FILES } from '../../report/report-model.js';
import { NO_PLAN, NO_REPORT, PLAN_FILES_CAPTION, planText, reportCaption, stalePlanText, statusReply } from '../messages/plan.js';
import type { OutgoingFile } from '../port.js';
import { latestDoneRun, planOfRun, runJsonOf } from '../stored-plan.js';
import { today, type Turn } from '../turn.js';

export async function report({ thread, athlete }: Turn): Promise<void> {
  const run = latestDoneRun(athlete);
  if (!run) {
    await thread.post(NO_REPORT);
    return;
  }
  const files = athlete.reports(run.id).filter((f) => (REPORT_FILES as readonly string[]).includes(f.fileName));
  await thread.sendFiles(
    files.map((f) => ({ fileName: f.fileName, contentType: f.contentType, content: f.content, kind: 'document' as const })),
    reportCaption(run),
  );
}

/** /plan (offset 0) or /plan next (offset 1): the week's workouts, then its .zwo files and the plan's .ics. */
export async function plan(turn: Turn, offset: number): Promise<void> {
  const { deps, thread, athlete } = turn;
  const run = latestDoneRun(athlete);
  const made = run ? planOfRun(athlete, run.id) : null;
  if (!run || !made) {
    await thread.post(NO_PLAN);
    return;
  }
  const reply = planText(made, today(turn), offset);
  await thread.post(stalePlanText(reply, run.staleReason));
  const week = made.weeks.find((w) => reply.text.startsWith(`Week ${w.week} `));
  if (!week) return;
  const zwo: OutgoingFile[] = workoutFiles(week.days.flatMap((d) => d.workouts)).map((f) => ({
    fileName: f.fileName,
    contentType: 'application/xml',
    content: new TextEncoder().encode(f.xml),
    kind: 'document',
  }));
  // UIDs per athlete, date and slot; SEQUENCE from when the plan was made: re-importing updates the events.
  const madeAt = runJsonOf(athlete, run.id)?.generatedAt;
  const revisedAt = madeAt ? new Date(madeAt) : run.createdAt;
  const ics: OutgoingFile = {
    fileName: 'training-plan.ics',
    contentType: 'text/calendar',
    content: new TextEncoder().encode(
      planToIcs(made, { dtstamp: deps.clock(), owner: athlete.athleteId, revisedAt, calendarName: 'domestique plan' }),
    ),
    kind: 'document',
  };
  await thread.sendFiles([...zwo, ics], PLAN_FILES_CAPTION);
}

export async function status({ deps, thread, athlete }: Turn): Promise<void> {
  const running = deps.analysis.activeRun(athlete.athleteId);
  await thread.post(
    statusReply(
      athlete.activityCount(),
      running ? { runId: running, queued: Boolean(deps.analysis.position(running)) } : null,
      athlete.runs()[0],
    ),
  );
}
