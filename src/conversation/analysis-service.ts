/**
 * Analysis runs for chat: queued (one per athlete, a concurrency limit overall), each with its
 * run record created up front so that a failure always has a run id to quote, and with the hash
 * of what it reads, so that an analysis of unchanged inputs is sent again instead of rerun.
 */
import { createHash } from 'node:crypto';
import type { RunEvent } from '../orchestrator/events.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import { nextMonday } from '../orchestrator/plan-start.js';
import type { RunResult } from '../orchestrator/run-result.js';
import { AthleteBusyError, RunQueue } from '../orchestrator/run-queue.js';
import { STORED_METRICS_VERSION, type RunRecord, type Store } from '../store/store.js';

/** The analysis period when none is asked for, months. */
export const DEFAULT_PERIOD_MONTHS = 6;
/** Bumped when what the hash covers changes, so that older hashes never match. */
const INPUT_HASH_VERSION = 1;

export interface StartedRun {
  runId: string;
  /** 1 = next to start; 0 = starting now. */
  position: number;
  result: Promise<RunResult>;
  cancel(): void;
}

export type StartOutcome = { ok: true; run: StartedRun } | { ok: false; busyRunId: string };

/** What an analysis is started with: its period, and who is told of its progress. */
interface StartOptions {
  periodMonths?: number;
  onEvent?: (event: RunEvent) => void;
}

export class AnalysisService {
  private readonly queue: RunQueue;
  /** Starts between their first await and the queue, by athlete: a second start waits for the first. */
  private readonly starting = new Map<string, Promise<StartOutcome>>();

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

  /**
   * SHA-256 of everything an analysis reads: every activity (id, source, last change), the whole
   * profile history, the athlete's name, time zone and units, the period and the plan's start
   * Monday, and the stored-metrics version. Equal hashes: the same analysis would come out.
   */
  async inputHash(athleteId: string, options: { periodMonths?: number } = {}): Promise<string> {
    const athlete = this.store.athlete(athleteId);
    const info = await athlete.info();
    const profile = await athlete.profileHistory();
    const hash = createHash('sha256');
    hash.update(
      JSON.stringify({
        v: INPUT_HASH_VERSION,
        metrics: STORED_METRICS_VERSION,
        athlete: [info.displayName, info.timeZone, info.units],
        profile,
        periodMonths: options.periodMonths ?? DEFAULT_PERIOD_MONTHS,
        planStart: nextMonday(this.clock()),
      }),
    );
    for (const a of await athlete.activityVersions()) hash.update(`\n${a.id}:${a.updatedAt}:${a.sourceHash}`);
    return hash.digest('hex');
  }

  /**
   * The newest finished run when it read exactly these inputs and can be sent again as it is: not
   * made by the offline coach standing in for a failed model (a retry may do better), not marked
   * stale, its reports still there. Null otherwise: a new run is needed.
   */
  async reusable(athleteId: string, options: { periodMonths?: number } = {}): Promise<RunRecord | null> {
    const athlete = this.store.athlete(athleteId);
    const last = await athlete.latestRun('done');
    if (!last || last.inputHash === null || last.degraded || last.staleReason !== null) return null;
    if (last.inputHash !== (await this.inputHash(athleteId, options))) return null;
    return (await athlete.reports(last.id)).length > 0 ? last : null;
  }

  /**
   * Starts an analysis for the athlete, unless one is queued or running (or being started) for
   * them: its run record is written first, then the run is queued.
   */
  async start(athleteId: string, options: StartOptions = {}): Promise<StartOutcome> {
    const busy = this.queue.activeRun(athleteId);
    if (busy) return { ok: false, busyRunId: busy };
    // Another start for this athlete is between its first await and the queue: its run is the busy one.
    const pending = this.starting.get(athleteId);
    if (pending) {
      const first = await pending.catch(() => null);
      return first?.ok ? { ok: false, busyRunId: first.run.runId } : (first ?? this.start(athleteId, options));
    }
    const starting = this.begin(athleteId, options);
    this.starting.set(athleteId, starting);
    try {
      return await starting;
    } finally {
      this.starting.delete(athleteId);
    }
  }

  /**
   * Runs the queued run record `runId` now, outside this service's queue: an analysis job, whose
   * job queue sets how many run at once and keeps one per athlete.
   */
  runNow(athleteId: string, runId: string, options: StartOptions = {}): StartedRun {
    const controller = new AbortController();
    const result = this.orchestrate(athleteId, runId, controller.signal, options);
    return { runId, position: 0, result, cancel: () => controller.abort() };
  }

  /** The orchestrator on run record `runId`, the observer told of its events and its result. */
  private async orchestrate(athleteId: string, runId: string, signal: AbortSignal, options: StartOptions): Promise<RunResult> {
    const result = await this.orchestrator.run({
      athleteId,
      runId,
      planStartDate: nextMonday(this.clock()),
      signal,
      ...(options.periodMonths ? { periodMonths: options.periodMonths } : {}),
      onEvent: (event) => {
        this.observer?.event(event);
        options.onEvent?.(event);
      },
    });
    this.observer?.finished(result);
    return result;
  }

  /** Writes the run record and queues the run (`start` keeps one of these per athlete at a time). */
  private async begin(athleteId: string, options: StartOptions): Promise<StartOutcome> {
    const inputHash = await this.inputHash(athleteId, options);
    const record = await this.store.athlete(athleteId).startRun({ status: 'queued', inputHash });
    try {
      const queued = this.queue.enqueue(record.id, athleteId, (signal) => this.orchestrate(athleteId, record.id, signal, options));
      // A run cancelled before it started never reaches the orchestrator: close its record here.
      queued.result.catch(async () => {
        const athlete = this.store.athlete(athleteId);
        if ((await athlete.run(record.id))?.status === 'queued')
          await athlete.finishRun(record.id, {
            status: 'failed',
            errorCode: 'cancelled',
            errorMessage: 'The run was cancelled before it started.',
          });
      });
      return {
        ok: true,
        run: { runId: record.id, position: this.queue.position(record.id) ?? 0, result: queued.result, cancel: queued.cancel },
      };
    } catch (e) {
      if (e instanceof AthleteBusyError) return { ok: false, busyRunId: e.runId };
      throw e;
    }
  }
}
