/**
 * /analyze: an analysis of the athlete's rides — the last one sent again when nothing changed,
 * else a new run within the daily limit, its status message edited as it goes, then the summary
 * and the reports (with the dashboard picture when a browser is there). On an ingress a Telegram
 * athlete's run is an analysis job that a worker runs (../analysis-jobs.ts), delivered by the same
 * `followRun`.
 */
import { startCheckinsWithPlan } from './checkin.js';
import { RunFailure } from '../../orchestrator/run-failure.js';
import { CHAT_CARD_FILE, renderChatCard } from '../../report/pages/chat-card-page.js';
import { REPORT_FILES } from '../../report/report-model.js';
import type { AthleteStore, RunRecord } from '../../store/store.js';
import type { StartedRun } from '../analysis-service.js';
import { activeAnalysis, enqueueAnalysis, runsAsJob } from '../analysis-jobs.js';
import { showBusy } from '../busy.js';
import {
  alreadyRunningText,
  analysisFailedText,
  analysisQuotaText,
  INTERNAL_FAILURE,
  NO_RIDES_YET,
  uploadAnalysedText,
} from '../messages/analysis.js';
import { resentSummaryText, summaryText } from '../messages/summary.js';
import type { OutgoingFile } from '../port.js';
import { ProgressMessage } from '../progress-message.js';
import { latestDoneRun, planOfRun, runJsonOf } from '../stored-plan.js';
import { asError, limitsOf, quotaStart, today, usage, type Turn } from '../turn.js';

/** Minimum time between two edits of the status message, when the deps say nothing. */
export const STATUS_INTERVAL_MS = 1000;

export async function analyze(turn: Turn, periodMonths?: number): Promise<void> {
  const { deps, thread, athlete } = turn;
  if ((await athlete.activityCount()) === 0) {
    await thread.post(NO_RIDES_YET);
    return;
  }
  const busy = await activeAnalysis(turn);
  if (busy) {
    await thread.post(alreadyRunningText(busy.runId));
    return;
  }
  const perDay = limitsOf(turn).analysesPerDay;
  const period = periodMonths ? { periodMonths } : {};
  // Unchanged rides, profile and plan inputs: the last analysis again, free of the daily limit.
  const same = await deps.analysis.reusable(athlete.athleteId, period);
  if (same && (await resend(turn, same))) return;
  const counters = await usage(turn);
  if ((await counters.since('analysis', quotaStart(turn))) >= perDay) {
    await thread.post(analysisQuotaText(perDay));
    return;
  }
  const newSince = await ridesSinceLastAnalysis(athlete);
  if (runsAsJob(turn)) {
    if (await enqueueAnalysis(turn, periodMonths, newSince)) await counters.record('analysis', 1, deps.clock());
    return;
  }
  const progress = new ProgressMessage(thread, {
    intervalMs: deps.statusIntervalMs ?? STATUS_INTERVAL_MS,
    onEditError: (e) => deps.logger?.warn({ err: asError(e), athleteKey: thread.athleteKey }, 'status edit failed'),
  });
  const outcome = await deps.analysis.start(athlete.athleteId, { onEvent: (event) => progress.update(event), ...period });
  if (!outcome.ok) {
    await thread.post(alreadyRunningText(outcome.busyRunId));
    return;
  }
  // Counted when started: one that fails counts too (a resent unchanged one, above, does not).
  await counters.record('analysis', 1, deps.clock());
  await progress.post(outcome.run.runId, outcome.run.position);
  void followRun(turn, outcome.run, progress, newSince);
}

/** Activities stored since the previous finished analysis (the summary's "new rides"); null for the first. */
async function ridesSinceLastAnalysis(athlete: AthleteStore): Promise<number | null> {
  const previous = await latestDoneRun(athlete);
  return previous
    ? (await athlete.uploads()).filter((u) => u.createdAt > previous.createdAt).reduce((sum, u) => sum + u.new + u.merged, 0)
    : null;
}

/**
 * Waits for the run: its last status, then the summary and the reports — or why it failed. An
 * analysis job passes `claim`, which says whether this attempt may send (once the run is over).
 */
export async function followRun(
  turn: Turn,
  run: StartedRun,
  progress: ProgressMessage,
  newSince: number | null,
  claim: () => Promise<boolean> = async () => true,
): Promise<void> {
  const { deps, thread, athlete } = turn;
  let claimed = false;
  try {
    const result = await run.result;
    await progress.finish();
    if (!(claimed = await claim())) return;
    const summary = summaryText(result, await today(turn), newSince, (await athlete.info()).units);
    // the first plan: the coach writes first from now on (once; /checkin off stays off), said in the summary
    const checkins = await startCheckinsWithPlan(turn);
    await thread.post(checkins ? { ...summary, text: `${summary.text}\n\n${checkins.text}` } : summary);
    await deliverReports(
      turn,
      new Map([...result.files.map((f) => [f.fileName, f.content] as const), [CHAT_CARD_FILE, renderChatCard(result.report)] as const]),
    );
  } catch (error) {
    progress.cancel();
    const code = error instanceof RunFailure ? error.code : 'internal';
    const message = error instanceof RunFailure ? error.message : INTERNAL_FAILURE;
    deps.logger?.error({ err: asError(error), athleteKey: thread.athleteKey, runId: run.runId }, 'analysis failed');
    if (!claimed && !(await claim().catch(() => false))) return;
    await thread.post(analysisFailedText(run.runId, code, message)).catch(() => undefined);
  }
}

/** The dashboard picture (when a browser is there) and the three HTML reports, from their contents by file name. */
async function deliverReports({ deps, thread }: Turn, contents: Map<string, string>): Promise<void> {
  const stopBusy = await showBusy(thread, 'sending-files', deps.logger);
  try {
    const files: OutgoingFile[] = [];
    // The chat picture: the run's card (1080 × 1350); a run stored before cards existed shows its dashboard instead.
    const card = contents.get(CHAT_CARD_FILE);
    const dashboard = contents.get('performance_dashboard.html');
    if (deps.snapshot && (card ?? dashboard) !== undefined) {
      const png = await (card !== undefined ? deps.snapshot.card(card) : deps.snapshot.png(dashboard!)).catch(() => null);
      if (png) files.push({ fileName: 'dashboard.png', contentType: 'image/png', content: png, kind: 'photo' });
    }
    for (const name of REPORT_FILES) {
      const content = contents.get(name);
      if (content !== undefined)
        files.push({ fileName: name, contentType: 'text/html', content: new TextEncoder().encode(content), kind: 'document' });
    }
    await thread.sendFiles(files);
  } finally {
    stopBusy();
  }
}

/** Sends a finished run again as the answer to /analyze (nothing changed since); false when it cannot be. */
async function resend(turn: Turn, run: RunRecord): Promise<boolean> {
  const { thread, athlete } = turn;
  const json = await runJsonOf(athlete, run.id);
  if (!json) return false;
  const plan = await planOfRun(athlete, run.id);
  await thread.post(resentSummaryText(run, json, plan, await today(turn), (await athlete.info()).units));
  const decoder = new TextDecoder();
  await deliverReports(turn, new Map((await athlete.reports(run.id)).map((f) => [f.fileName, decoder.decode(f.content)])));
  return true;
}

/**
 * "Analyze now" under an upload: does its job once. When an analysis made after that upload is
 * done, these rides are in it: the button is out of date (a new /analyze is one command away).
 */
export async function analyzeUpload(turn: Turn, uploadId: string): Promise<void> {
  const { thread, athlete } = turn;
  const upload = (await athlete.uploads()).find((u) => u.id === uploadId);
  const after = upload
    ? (await athlete.runs()).find((r) => r.status === 'done' && r.createdAt.getTime() >= upload.createdAt.getTime())
    : undefined;
  if (after && !(await activeAnalysis(turn))) {
    await thread.post(uploadAnalysedText(after));
    return;
  }
  return analyze(turn);
}
