/**
 * /report and /status: the latest reports again, and what is stored and running (/plan: plan.ts).
 */
import { REPORT_FILES } from '../../report/report-model.js';
import { NO_REPORT, reportCaption, statusReply } from '../messages/plan.js';
import { activeAnalysis } from '../analysis-jobs.js';
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

export async function status(turn: Turn): Promise<void> {
  const { thread, athlete } = turn;
  const count = await athlete.activityCount();
  const latest = (await athlete.runs())[0];
  // what runs is read last, after the awaits: a run that ended meanwhile is not shown as running
  const running = await activeAnalysis(turn);
  await thread.post(statusReply(count, running, latest));
}
