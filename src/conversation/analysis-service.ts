/**
 * Analysis runs for chat: queued (one per athlete, a concurrency limit overall), each with its
 * run record created up front so that a failure always has a run id to quote.
 */
import type { RunEvent } from '../orchestrator/events.js';
import { nextMonday, type Orchestrator, type RunResult } from '../orchestrator/run-analysis.js';
import { AthleteBusyError, RunQueue } from '../orchestrator/run-queue.js';
import type { Store } from '../store/store.js';

export interface StartedRun {
  runId: string;
  /** 1 = next to start; 0 = starting now. */
  position: number;
  result: Promise<RunResult>;
  cancel(): void;
}

export type StartOutcome = { ok: true; run: StartedRun } | { ok: false; busyRunId: string };

export class AnalysisService {
  private readonly queue: RunQueue;

  constructor(
    private readonly store: Store,
    private readonly orchestrator: Orchestrator,
    private readonly clock: () => Date,
    concurrency: number,
    private readonly observer?: { event(event: RunEvent): void; finished(result: RunResult): void },
  ) {
    this.queue = new RunQueue(concurrency);
  }

  /** Runs running now and waiting (metrics, load tests). */
  get depth(): { running: number; waiting: number } {
    return this.queue.size;
  }

  activeRun(athleteId: string): string | null {
    return this.queue.activeRun(athleteId);
  }

  position(runId: string): number | null {
    return this.queue.position(runId);
  }

  start(athleteId: string, options: { periodMonths?: number; onEvent?: (event: RunEvent) => void } = {}): StartOutcome {
    const busy = this.queue.activeRun(athleteId);
    if (busy) return { ok: false, busyRunId: busy };
    const record = this.store.athlete(athleteId).startRun({ status: 'queued' });
    try {
      const queued = this.queue.enqueue(record.id, athleteId, (signal) =>
        this.orchestrator.run({
          athleteId,
          runId: record.id,
          planStartDate: nextMonday(this.clock()),
          signal,
          ...(options.periodMonths ? { periodMonths: options.periodMonths } : {}),
          onEvent: (event) => {
            this.observer?.event(event);
            options.onEvent?.(event);
          },
        }).then((result) => {
          this.observer?.finished(result);
          return result;
        }),
      );
      // A run cancelled before it started never reaches the orchestrator: close its record here.
      queued.result.catch(() => {
        const athlete = this.store.athlete(athleteId);
        if (athlete.run(record.id)?.status === 'queued') athlete.finishRun(record.id, { status: 'failed', errorCode: 'cancelled', errorMessage: 'The run was cancelled before it started.' });
      });
      return { ok: true, run: { runId: record.id, position: this.queue.position(record.id) ?? 0, result: queued.result, cancel: queued.cancel } };
    } catch (e) {
      if (e instanceof AthleteBusyError) return { ok: false, busyRunId: e.runId };
      throw e;
    }
  }
}
