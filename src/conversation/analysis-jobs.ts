/**
 * Analyses as jobs (process roles). An ingress does not run a Telegram athlete's analysis: it
 * writes the run record (queued), posts the status message and sends an `analysis` job, one per
 * athlete at a time (the singleton key). A worker's handler runs it and edits that message through
 * its chat directory, then posts the summary and the reports as the in-process path does
 * (`followRun` in ./handlers/analysis.ts, shared).
 *
 * Delivery is at least once, so the handler is idempotent. The job's records are its first run
 * record and every run of the athlete written since (one job per athlete at a time: a retry's new
 * record is the only other writer). Nothing is done when one of them was delivered. When an
 * earlier attempt got past the start (its process died mid-run, or it outlived its expiry), its
 * unfinished records are marked interrupted and a new record runs. Delivery is claimed before the
 * summary goes out — `delivered_at` stamped on the condition that no record of the job has it — so
 * that two attempts never both send a report; an attempt that dies while sending leaves the rest
 * unsent (/report sends it again). A run that fails cleanly posts its failure once and completes
 * the job: it is not retried.
 */
import type { Job } from '../jobs/types.js';
import type { AthleteStore, RunRecord } from '../store/store.js';
import { alreadyRunningText, statusText } from './messages/analysis.js';
import { followRun, STATUS_INTERVAL_MS } from './handlers/analysis.js';
import { ProgressMessage } from './progress-message.js';
import { asError, type Turn } from './turn.js';

/** The queue of analysis jobs. */
export const ANALYSIS_QUEUE = 'analysis';

/** What an analysis job carries. */
export interface AnalysisJobData {
  athleteId: string;
  /** The chat that asked (`telegram:<id>`): where the worker edits and posts. */
  identityKey: string;
  /** The run record the ingress wrote (status queued). */
  runId: string;
  periodMonths?: number;
  /** The status message the ingress posted, which the worker edits. */
  statusMessageId: string;
  /** Rides stored since the previous finished analysis (the summary's "new rides"); null for the first. */
  newSince: number | null;
}

/** Whether this turn's analysis is sent to the job queue: an ingress with one, and a Telegram athlete. */
export function runsAsJob(turn: Turn): boolean {
  return turn.deps.jobs !== undefined && turn.thread.athleteKey.startsWith('telegram:');
}

/**
 * The analysis queued or running for the turn's athlete — in this process, or as a job on any
 * worker — with whether it waits; null when there is none.
 */
export async function activeAnalysis(turn: Turn): Promise<{ runId: string; queued: boolean } | null> {
  const { deps, athlete } = turn;
  const local = deps.analysis.activeRun(athlete.athleteId);
  if (local) return { runId: local, queued: Boolean(deps.analysis.position(local)) };
  if (!deps.jobs || !(await deps.jobs.pending(ANALYSIS_QUEUE, athlete.athleteId))) return null;
  const current = (await athlete.runs()).find((r) => r.status === 'queued' || r.status === 'running');
  return { runId: current?.id ?? '', queued: current?.status !== 'running' };
}

/**
 * Writes the run record, posts its status message and sends the job; false when another job of
 * the athlete got in first (two /analyze at once): this record is closed and its message says so.
 */
export async function enqueueAnalysis(turn: Turn, periodMonths: number | undefined, newSince: number | null): Promise<boolean> {
  const { deps, thread, athlete } = turn;
  const period = periodMonths ? { periodMonths } : {};
  const inputHash = await deps.analysis.inputHash(athlete.athleteId, period);
  const record = await athlete.startRun({ status: 'queued', inputHash });
  const closed = (errorCode: string, errorMessage: string) => athlete.finishRun(record.id, { status: 'failed', errorCode, errorMessage });
  try {
    const ref = await thread.post(statusText(record.id, new Map(), null, null, null));
    const data: AnalysisJobData = {
      athleteId: athlete.athleteId,
      identityKey: thread.athleteKey,
      runId: record.id,
      ...period,
      statusMessageId: ref.id,
      newSince,
    };
    if (await deps.jobs!.send(ANALYSIS_QUEUE, data, { singletonKey: athlete.athleteId })) return true;
    await closed('busy', 'Another analysis of this athlete was queued first.');
    await thread.edit(ref, alreadyRunningText((await activeAnalysis(turn))?.runId ?? record.id));
    return false;
  } catch (error) {
    // not queued: the record must not look like a live run
    await closed('internal', 'The analysis could not be queued.').catch(() => undefined);
    throw error;
  }
}

/**
 * The worker's handler of one `analysis` job (idempotent: see the module comment). `base` is the
 * conversation's part of a turn; the chat comes from its directory.
 */
export async function runAnalysisJob(base: Omit<Turn, 'thread' | 'athlete'>, job: Job<AnalysisJobData>): Promise<void> {
  const { deps } = base;
  const data = job.data;
  const athlete = deps.store.athlete(data.athleteId);
  const first = await athlete.run(data.runId);
  if (!first) return; // forgotten since: nothing to run, no one to tell
  const ofJob = await recordsOfJob(athlete, first);
  if (ofJob.some((r) => r.deliveredAt !== null)) return;
  const thread = deps.directory?.open(data.identityKey);
  if (!thread) throw new Error(`This process cannot reach ${data.identityKey.split(':')[0]} chats.`);
  const run = await currentRun(athlete, first, ofJob);
  const progress = new ProgressMessage(thread, {
    intervalMs: deps.statusIntervalMs ?? STATUS_INTERVAL_MS,
    onEditError: (e) => deps.logger?.warn({ err: asError(e), athleteKey: thread.athleteKey }, 'status edit failed'),
  });
  progress.adopt({ id: data.statusMessageId }, run.id);
  const period = data.periodMonths ? { periodMonths: data.periodMonths } : {};
  const started = deps.analysis.runNow(data.athleteId, run.id, { onEvent: (event) => progress.update(event), ...period });
  await followRun({ ...base, thread, athlete }, started, progress, data.newSince, () => claimDelivery(athlete, first, run.id));
}

/** The job's run records: its first and every run of the athlete written since (newest first). */
async function recordsOfJob(athlete: AthleteStore, first: RunRecord): Promise<RunRecord[]> {
  return (await athlete.runs()).filter((r) => r.id === first.id || r.createdAt.getTime() >= first.createdAt.getTime());
}

/**
 * The record this attempt runs: the job's first while no attempt touched it; else the job's
 * unfinished records are marked interrupted (their attempts died) and a new one is written.
 */
async function currentRun(athlete: AthleteStore, first: RunRecord, ofJob: RunRecord[]): Promise<RunRecord> {
  if (first.status === 'queued' && ofJob.length === 1) return first;
  for (const r of ofJob)
    if (r.status === 'queued' || r.status === 'running')
      await athlete.finishRun(r.id, {
        status: 'interrupted',
        errorCode: 'interrupted',
        errorMessage: 'The worker running this analysis stopped; it was started again.',
      });
  return athlete.startRun({ status: 'queued', ...(first.inputHash !== null ? { inputHash: first.inputHash } : {}) });
}

/** Stamps `runId` delivered unless a record of the job already is; true: this attempt sends. */
async function claimDelivery(athlete: AthleteStore, first: RunRecord, runId: string): Promise<boolean> {
  if ((await recordsOfJob(athlete, first)).some((r) => r.deliveredAt !== null)) return false;
  return athlete.markDelivered(runId);
}
