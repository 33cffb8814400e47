/**
 * The words around an analysis run: the status message edited as its phases go, and why one does
 * not start, or failed.
 */
import { utcDate } from '../../domain/calendar.js';
import { PHASES, PHASE_TITLES, type PhaseName } from '../../orchestrator/events.js';
import type { RunRecord } from '../../store/store.js';
import type { Reply } from '../port.js';
import { shortId } from './format.js';

export function statusText(
  runId: string,
  done: Map<PhaseName, string>,
  current: PhaseName | null,
  detail: string | null,
  position: number | null,
): Reply {
  const lines = [`Analysis ${shortId(runId)}`];
  if (position !== null && position > 0 && done.size === 0 && current === null) lines.push(`Queued — ${position} ahead of you.`);
  for (const phase of PHASES) {
    const result = done.get(phase);
    const mark = result === 'done' ? '✓' : result === 'degraded' ? '!' : result === 'skipped' ? '–' : phase === current ? '…' : '·';
    lines.push(
      `${mark} ${PHASE_TITLES[phase]}${phase === current && detail ? ` — ${detail}` : ''}${result === 'degraded' ? ' (offline coach)' : ''}`,
    );
  }
  return { text: lines.join('\n') };
}

export const BAD_PERIOD: Reply = { text: 'The period must be 1 to 24 months, e.g. /analyze 3 (months). The default is 6.' };

export const NO_RIDES_YET: Reply = { text: 'There are no rides to analyse yet. Send me .fit files or your Strava export first.' };

export function analysisQuotaText(perDay: number): Reply {
  return {
    text: `You have run ${perDay} analyses today, the daily limit (it counts the last 24 hours). /report sends the latest again; a new analysis is possible once the first of them is 24 hours old.`,
  };
}

export function alreadyRunningText(runId: string): Reply {
  return { text: `An analysis is already running for you (run ${shortId(runId)}). I will send the reports when it is done.` };
}

/** A run that failed: why, and a button to try again unless there is nothing to analyse. */
export function analysisFailedText(runId: string, code: string, message: string): Reply {
  return {
    text: `The analysis failed (run ${runId}): ${message}${code === 'internal' ? ' Please try again later; quote the run id if you ask for help.' : ''}`,
    buttons: code === 'no-activities' ? [] : [[{ label: 'Try again', action: 'analyze' }]],
  };
}

/** What a failure that is not the run's own says. */
export const INTERNAL_FAILURE = 'Something went wrong on my side.';

/** "Analyze now" under an upload whose rides a finished analysis already holds. */
export function uploadAnalysedText(run: RunRecord): Reply {
  return {
    text: `That button is out of date: these rides are already in your analysis of ${utcDate(run.createdAt)} (run ${shortId(run.id)}). /report sends it again; /analyze makes a new one if something changed.`,
  };
}
