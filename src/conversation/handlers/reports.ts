/**
 * /report and /status: the latest reports again, and what is stored and running (/plan: plan.ts).
 */
import { REPORT_FILES } from '../../report/report-model.js';
import { NO_REPORT, reportCaption, statusReply } from '../messages/plan.js';
import { latestDoneRun } from '../stored-plan.js';
import type { Turn } from '../turn.js';

export async function report({ thread, athlete }: Turn): Promise<void> {
  const run = await latestDoneRun(athlete);
  if (!run) {
    await thread.post(NO_REPORT);
    return;
  }
  const files = (await athlete.reports(run.id)).filter((f) => (REPORT_FILES as readonly string[]).includes(f.fileName));
  await thread.sendFiles(
    files.map((f) => ({ fileName: f.fileName, contentType: f.contentType, content: f.content, kind: 'document' as const })),
    reportCaption(run),
  );
}

export async function status({ deps, thread, athlete }: Turn): Promise<void> {
  const count = await athlete.activityCount();
  const latest = (await athlete.runs())[0];
  // what runs is read last, after the awaits: a run that ended meanwhile is not shown as running
  const running = deps.analysis.activeRun(athlete.athleteId);
  await thread.post(statusReply(count, running ? { runId: running, queued: Boolean(deps.analysis.position(running)) } : null, latest));
}
