/**
 * The job queue of one process (the SQLite setup): jobs live in memory and are lost when the
 * process ends — as the work of the process itself is. It keeps pg-boss's rules so that code
 * written against it runs unchanged on `PgBossQueue`: retries with the same defaults, singleton
 * keys, expiry of a run, JSON data, 5-field cron schedules in a time zone. Every wait (a retry's
 * delay, a job's start time, an expiry, the next due minute) is a timer of the injected `Timers`,
 * so tests move a fake clock instead of sleeping.
 */
import { randomUUID } from 'node:crypto';
import type { Cron } from 'croner';
import { JOB_DEFAULTS, checkQueueName, checkSendOptions, parseCron, toError } from './job-rules.js';
import type {
  JobErrorContext,
  JobErrorListener,
  JobHandler,
  JobQueue,
  ScheduleOptions,
  SendOptions,
  StopOptions,
  Timers,
  WorkOptions,
} from './types.js';

const REAL_TIMERS: Timers = {
  now: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface InProcessQueueOptions {
  timers?: Timers;
  /** The expiry of a job that does not set its own, seconds (default 15 minutes, as pg-boss). */
  expireInSeconds?: number;
}

interface StoredJob {
  id: string;
  name: string;
  /** The data as JSON: what a handler gets is parsed anew, as from PostgreSQL. */
  payload: string;
  attempt: number;
  state: 'queued' | 'active';
  singletonKey: string | undefined;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  /** Not before this time (ms). */
  dueAt: number;
  /** The wake-up of a job not due yet. */
  timer?: unknown;
  /** Ends the current run (as a failure when given an error); set while active. */
  finish?: (error?: Error) => void;
}

interface Worker {
  name: string;
  handler: JobHandler<object>;
  concurrency: number;
  running: number;
}

interface Schedule {
  cron: Cron;
  payload: string;
  timer?: unknown;
}

/** The in-memory `JobQueue` of one process. */
export class InProcessQueue implements JobQueue {
  /** In sending order, which is the order jobs run in (a retried job keeps its place). */
  private readonly jobs = new Map<string, StoredJob>();
  private readonly workers: Worker[] = [];
  private readonly schedules = new Map<string, Schedule>();
  /** Settles when the run ends, one per running job. */
  private readonly runs = new Set<Promise<void>>();
  private readonly listeners: JobErrorListener[] = [];
  private readonly timers: Timers;
  private readonly expireInSeconds: number;
  private started = false;

  constructor(options: InProcessQueueOptions = {}) {
    this.timers = options.timers ?? REAL_TIMERS;
    this.expireInSeconds = options.expireInSeconds ?? JOB_DEFAULTS.expireInSeconds;
    checkSendOptions({ expireInSeconds: this.expireInSeconds });
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs.values()) if (job.state === 'queued') this.arm(job);
    for (const name of this.schedules.keys()) this.armSchedule(name);
    this.dispatch();
  }

  async stop(options: StopOptions = {}): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const job of this.jobs.values()) this.disarm(job);
    for (const schedule of this.schedules.values()) this.disarmSchedule(schedule);
    if (options.graceful === false)
      for (const job of [...this.jobs.values()]) job.finish?.(new Error('The queue stopped while the job ran.'));
    await Promise.all(this.runs);
  }

  async work<T extends object>(name: string, handler: JobHandler<T>, options: WorkOptions = {}): Promise<void> {
    this.assertStarted();
    checkQueueName(name);
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a whole number ≥ 1.');
    this.workers.push({ name, handler: handler as JobHandler<object>, concurrency, running: 0 });
    this.dispatch();
  }

  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    this.assertStarted();
    checkQueueName(name);
    checkSendOptions(options);
    const key = options.singletonKey;
    if (key !== undefined) for (const job of this.jobs.values()) if (job.name === name && job.singletonKey === key) return null;
    const now = this.timers.now().getTime();
    const job: StoredJob = {
      id: randomUUID(),
      name,
      payload: JSON.stringify(data ?? {}),
      attempt: 1,
      state: 'queued',
      singletonKey: key,
      retryLimit: options.retryLimit ?? JOB_DEFAULTS.retryLimit,
      retryDelaySeconds: options.retryDelaySeconds ?? JOB_DEFAULTS.retryDelaySeconds,
      retryBackoff: options.retryBackoff ?? false,
      expireInSeconds: options.expireInSeconds ?? this.expireInSeconds,
      dueAt: Math.max(now, options.startAfter?.getTime() ?? now),
    };
    this.jobs.set(job.id, job);
    this.arm(job);
    this.dispatch();
    return job.id;
  }

  async pending(name: string, singletonKey: string): Promise<boolean> {
    this.assertStarted();
    return [...this.jobs.values()].some((job) => job.name === name && job.singletonKey === singletonKey);
  }

  async schedule<T extends object>(name: string, cron: string, data?: T, options: ScheduleOptions = {}): Promise<void> {
    this.assertStarted();
    checkQueueName(name);
    const parsed = parseCron(cron, options.tz ?? 'UTC');
    await this.unschedule(name);
    this.schedules.set(name, { cron: parsed, payload: JSON.stringify(data ?? {}) });
    this.armSchedule(name);
  }

  async unschedule(name: string): Promise<void> {
    const schedule = this.schedules.get(name);
    if (schedule) this.disarmSchedule(schedule);
    this.schedules.delete(name);
  }

  onError(listener: JobErrorListener): void {
    this.listeners.push(listener);
  }

  private assertStarted(): void {
    if (!this.started) throw new Error('The job queue is not started: call start() first.');
  }

  /** Starts every job that is due and has a free worker. */
  private dispatch(): void {
    if (!this.started) return;
    const now = this.timers.now().getTime();
    for (const worker of this.workers) {
      while (worker.running < worker.concurrency) {
        const job = this.nextDue(worker.name, now);
        if (!job) break;
        this.run(job, worker);
      }
    }
  }

  private nextDue(name: string, now: number): StoredJob | undefined {
    for (const job of this.jobs.values()) if (job.name === name && job.state === 'queued' && job.dueAt <= now) return job;
    return undefined;
  }

  /** One attempt: ends when the handler settles or the expiry comes, whichever is first. */
  private run(job: StoredJob, worker: Worker): void {
    this.disarm(job);
    job.state = 'active';
    worker.running++;
    let endRun!: () => void;
    const ended = new Promise<void>((resolve) => (endRun = resolve));
    this.runs.add(ended);
    const finish = (error?: Error): void => {
      if (job.finish !== finish) return; // this run already ended (expired, or stopped)
      job.finish = undefined;
      this.timers.clearTimeout(expiry);
      worker.running--;
      if (error) this.fail(job, error);
      else this.jobs.delete(job.id);
      this.runs.delete(ended);
      endRun();
      this.dispatch();
    };
    job.finish = finish;
    const seconds = job.expireInSeconds;
    const expiry = this.timers.setTimeout(() => finish(new Error(`The job ran longer than its ${seconds} s.`)), seconds * 1000);
    const view = { id: job.id, name: job.name, data: JSON.parse(job.payload) as object, attempt: job.attempt };
    Promise.resolve()
      .then(() => worker.handler(view))
      .then(
        () => finish(),
        (error: unknown) => finish(toError(error)),
      );
  }

  /** A failed attempt: queued again after the retry delay while retries are left, else dropped. */
  private fail(job: StoredJob, error: Error): void {
    const willRetry = job.attempt <= job.retryLimit;
    this.report(error, { queue: job.name, jobId: job.id, attempt: job.attempt, willRetry });
    if (!willRetry) {
      this.jobs.delete(job.id);
      return;
    }
    // pg-boss: with backoff the delay is at least 1 s and doubles each retry (here without its jitter)
    const delay = job.retryBackoff ? Math.max(1, job.retryDelaySeconds) * 2 ** (job.attempt - 1) : job.retryDelaySeconds;
    job.attempt++;
    job.state = 'queued';
    job.dueAt = this.timers.now().getTime() + delay * 1000;
    if (this.started) this.arm(job);
  }

  /** A wake-up at the due time of a queued job not due yet. */
  private arm(job: StoredJob): void {
    this.disarm(job);
    const wait = job.dueAt - this.timers.now().getTime();
    if (wait > 0)
      job.timer = this.timers.setTimeout(() => {
        job.timer = undefined;
        this.dispatch();
      }, wait);
  }

  private disarm(job: StoredJob): void {
    if (job.timer !== undefined) this.timers.clearTimeout(job.timer);
    job.timer = undefined;
  }

  /**
   * A timer for the schedule's next due minute after `after` (or now), which sends its job and arms
   * the one after: from the due minute at the earliest, so a timer a little early never sends a
   * minute twice.
   */
  private armSchedule(name: string, after?: Date): void {
    const schedule = this.schedules.get(name);
    if (!schedule) return;
    this.disarmSchedule(schedule);
    const now = this.timers.now().getTime();
    const due = schedule.cron.nextRun(new Date(Math.max(now, after?.getTime() ?? now)));
    if (!due) return;
    schedule.timer = this.timers.setTimeout(
      () => {
        schedule.timer = undefined;
        this.send(name, JSON.parse(schedule.payload) as object).catch((error: unknown) => this.report(toError(error), { queue: name }));
        this.armSchedule(name, due);
      },
      Math.max(0, due.getTime() - now),
    );
  }

  private disarmSchedule(schedule: Schedule): void {
    if (schedule.timer !== undefined) this.timers.clearTimeout(schedule.timer);
    schedule.timer = undefined;
  }

  private report(error: Error, context: JobErrorContext): void {
    for (const listener of this.listeners) {
      try {
        listener(error, context);
      } catch {
        // a listener that throws must not stop the queue
      }
    }
  }
}
