/**
 * Runs wait here: at most `concurrency` at once across athletes, at most one active per athlete
 * (a second request is told the first is running), each cancellable.
 */
export interface QueuedRun<T> {
  runId: string;
  athleteId: string;
  result: Promise<T>;
  cancel(): void;
}

export class AthleteBusyError extends Error {
  override name = 'AthleteBusyError';
  constructor(readonly runId: string) {
    super(`An analysis is already running for this athlete (run ${runId}).`);
  }
}

interface Entry {
  runId: string;
  athleteId: string;
  controller: AbortController;
  start: () => void;
}

export class RunQueue {
  private running = 0;
  private readonly waiting: Entry[] = [];
  private readonly active = new Map<string, string>(); // athleteId → runId

  constructor(private readonly concurrency: number) {
    if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  /** The run an athlete has queued or running, if any. */
  activeRun(athleteId: string): string | null {
    return this.active.get(athleteId) ?? null;
  }

  /** Position in the queue (0 = running now), or null when unknown. */
  position(runId: string): number | null {
    const index = this.waiting.findIndex((e) => e.runId === runId);
    return index >= 0 ? index + 1 : [...this.active.values()].includes(runId) ? 0 : null;
  }

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Queues a run; throws AthleteBusyError when the athlete already has one. */
  enqueue<T>(runId: string, athleteId: string, task: (signal: AbortSignal) => Promise<T>): QueuedRun<T> {
    const busy = this.active.get(athleteId);
    if (busy !== undefined) throw new AthleteBusyError(busy);
    this.active.set(athleteId, runId);
    const controller = new AbortController();
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const result = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: Entry = {
      runId,
      athleteId,
      controller,
      start: () => {
        this.running += 1;
        // Started on the next turn of the event loop, never inside the previous run's completion.
        new Promise((resolve) => setImmediate(resolve))
          .then(() => {
            controller.signal.throwIfAborted(); // cancelled in the meantime
            return task(controller.signal);
          })
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            this.active.delete(athleteId);
            this.next();
          });
      },
    };
    this.waiting.push(entry);
    this.next();
    return {
      runId,
      athleteId,
      result,
      cancel: () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) {
          this.waiting.splice(index, 1);
          this.active.delete(athleteId);
          reject(new DOMException('The run was cancelled before it started.', 'AbortError'));
        } else controller.abort(new DOMException('The run was cancelled.', 'AbortError'));
      },
    };
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) this.waiting.shift()!.start();
  }
}
