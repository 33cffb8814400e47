/**
 * The job-queue port: background work (analyses, heavy upload ingest, dashboard pictures, sync
 * backfills, reminders, check-ins) is sent to a named queue and run by whichever process works that
 * queue. Two adapters: `InProcessQueue` (SQLite, one process, in memory) and `PgBossQueue`
 * (PostgreSQL via pg-boss, any number of processes on one database).
 *
 * Delivery is at least once: a job can run again after a failure, an expiry or a crash of the
 * process that ran it, so every handler must be idempotent (a retried analysis never sends a second
 * report, a retried ingest never stores a ride twice).
 */

/** One job as its handler sees it. */
export interface Job<T> {
  id: string;
  /** The queue it was sent to. */
  name: string;
  /** What `send` was given, after a JSON round trip (a Date arrives as its ISO string). */
  data: T;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
}

/** Runs one job; a rejection (or outliving `expireInSeconds`) fails this attempt. */
export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface WorkOptions {
  /** Jobs of this queue this registration runs at once in this process (default 1). */
  concurrency?: number;
}

export interface SendOptions {
  /**
   * At most one job per key and queue is queued, waiting for a retry or running: while one is,
   * `send` with the same key returns null ("one analysis per athlete at a time").
   */
  singletonKey?: string;
  /** Runs after the first that a failure may cause (default 2). */
  retryLimit?: number;
  /** Wait before a retry, whole seconds (default 0; at least 1 with `retryBackoff`). */
  retryDelaySeconds?: number;
  /** Doubles the wait with each retry: delay, 2×delay, 4×delay… (pg-boss adds up to 100% jitter). */
  retryBackoff?: boolean;
  /** Not before this time. */
  startAfter?: Date;
  /**
   * How long one run may take, seconds (default: the queue's, 15 minutes). Past it the attempt
   * fails and, retries left, the job runs again — also when the process running it died, which is
   * how a crashed worker's job moves to another. Must exceed the longest honest run.
   */
  expireInSeconds?: number;
}

export interface ScheduleOptions {
  /** The time zone the cron pattern is read in (IANA name; default UTC). */
  tz?: string;
}

export interface StopOptions {
  /** Wait for running handlers to finish (default true); false fails them now, to be retried. */
  graceful?: boolean;
}

/** Where a failure happened: the queue, and the job when it was one job's run. */
export interface JobErrorContext {
  queue?: string;
  jobId?: string;
  attempt?: number;
  /** For a failed attempt: whether the job runs again (false: it has failed for good). */
  willRetry?: boolean;
}

/** Told every failed attempt and every internal error of the queue (to log them). */
export type JobErrorListener = (error: Error, context: JobErrorContext) => void;

/** A queue of named jobs, worked by this process and perhaps others. */
export interface JobQueue {
  /** Connects and starts the timers; call before `work`, `send` and `schedule`. */
  start(): Promise<void>;
  /** Stops working and scheduling; queued jobs stay queued (in memory: until a new start). */
  stop(options?: StopOptions): Promise<void>;
  /** Runs `handler` for the jobs of queue `name`; call again to add more handlers. */
  work<T extends object>(name: string, handler: JobHandler<T>, options?: WorkOptions): Promise<void>;
  /** Queues a job; its id, or null when `singletonKey` says one is already queued or running. */
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  /** Whether a job of queue `name` with this `singletonKey` is queued, waiting for a retry or running (what makes `send` return null). */
  pending(name: string, singletonKey: string): Promise<boolean>;
  /**
   * Sends `data` (default `{}`) to queue `name` at every due minute of a 5-field cron pattern —
   * once per due minute across all the processes sharing the queue. One schedule per queue name:
   * a second call replaces the first.
   */
  schedule<T extends object>(name: string, cron: string, data?: T, options?: ScheduleOptions): Promise<void>;
  /** Removes the schedule of queue `name`, if any. */
  unschedule(name: string): Promise<void>;
  /** Adds a listener for failures (see `JobErrorListener`). */
  onError(listener: JobErrorListener): void;
}

/** The clock and timer the in-process queue runs on: the real ones by default, a fake one in tests. */
export interface Timers {
  now(): Date;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
