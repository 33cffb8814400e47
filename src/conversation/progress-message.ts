/**
 * The status message of an analysis run: posted once, then edited as the run's phases start,
 * progress and finish. Edits are throttled — at most one per interval, each showing the state
 * when it goes out — and sent one after the other; the last state always gets out; an edit that
 * fails is reported and never stops the run. A worker running an analysis job adopts the message
 * the ingress posted.
 */
import type { PhaseName, RunEvent } from '../orchestrator/events.js';
import { statusText } from './messages/analysis.js';
import type { ChatThread, MessageRef } from './port.js';

/** The clock and timer the throttle uses: the real ones by default, a fake one in tests. */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ProgressOptions {
  /** Minimum time between two edits, ms. */
  intervalMs: number;
  /** Told about an edit that failed (the run goes on). */
  onEditError?: (error: unknown) => void;
  timers?: Timers;
}

export class ProgressMessage {
  private readonly done = new Map<PhaseName, string>();
  private current: PhaseName | null = null;
  private detail: string | null = null;
  private runId = '';
  private position: number | null = null;
  private ref: MessageRef | null = null;
  private lastEdit = 0;
  /** The scheduled edit, if one waits for its turn. */
  private pending: unknown = null;
  /** The edits sent so far, one after the other. */
  private editing: Promise<void> = Promise.resolve();
  private readonly timers: Timers;

  constructor(
    private readonly thread: ChatThread,
    private readonly options: ProgressOptions,
  ) {
    this.timers = options.timers ?? REAL_TIMERS;
  }

  /** Posts the message of run `runId`, queued at `position` (events before this only change what it shows). */
  async post(runId: string, position: number | null): Promise<void> {
    this.runId = runId;
    this.position = position;
    this.ref = await this.thread.post(this.reply());
  }

  /**
   * Takes over the message `ref`, posted by another process for this analysis (an analysis job on
   * a worker), now showing run `runId`: edits go there, the first one soon.
   */
  adopt(ref: MessageRef, runId: string): void {
    this.runId = runId;
    this.position = null;
    this.ref = ref;
    this.schedule();
  }

  /** Takes in one event of the run and schedules an edit. */
  update(event: RunEvent): void {
    if (event.type === 'phase-started') {
      this.current = event.phase;
      this.detail = null;
    } else if (event.type === 'phase-progress') this.detail = event.message;
    else if (event.type === 'phase-done') {
      this.done.set(event.phase, event.status);
      this.current = null;
      this.detail = null;
    }
    this.schedule();
  }

  /** The run is over: the last state is edited in now; resolves when every edit is done. */
  async finish(): Promise<void> {
    this.cancel();
    this.flush();
    await this.editing;
  }

  /** The run failed: the edit waiting for its turn is dropped (one already sent goes on). */
  cancel(): void {
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
  }

  private reply() {
    return statusText(this.runId, this.done, this.current, this.detail, this.position);
  }

  /** At most one edit per interval; the last state always gets out. */
  private schedule(): void {
    if (this.pending !== null) return;
    const wait = Math.max(0, this.options.intervalMs - (this.timers.now() - this.lastEdit));
    this.pending = this.timers.setTimeout(() => this.flush(), wait);
  }

  /** Queues an edit after those already sent; it shows the state when its turn comes. */
  private flush(): void {
    this.pending = null;
    this.lastEdit = this.timers.now();
    const ref = this.ref;
    if (!ref) return;
    this.editing = this.editing.then(() => this.thread.edit(ref, this.reply()).catch((e: unknown) => this.options.onEditError?.(e)));
  }
}
