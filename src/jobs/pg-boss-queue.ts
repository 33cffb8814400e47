/**
 * The job queue on PostgreSQL, for any number of processes on one database: pg-boss 10 (the last
 * major on Node 20). Jobs survive a crash; a run that outlives its expiry — its process died — is
 * failed by whichever process does the next maintenance pass and retried on any worker.
 *
 * How the port's promises map onto pg-boss 10:
 * - Queues are created on first use (`createQueue`, a partition of pgboss.job per queue), with
 *   the `standard` policy.
 * - "At most one job per singleton key queued, waiting for a retry or running" is pg-boss 11's
 *   `exclusive` policy; pg-boss 10 has none. Its `singleton` policy allows one *running* job but
 *   any number queued, and `stately` one per state (so a second send while one runs is queued);
 *   and in both, a queued job whose key is running makes every fetch of the queue fail until that
 *   run ends (timgit/pg-boss#535) — one athlete's analysis would stall everyone's. So the queue
 *   stays `standard` and gets one more partial unique index on its partition, over
 *   `singleton_key` of the jobs in state created, retry or active: pg-boss inserts with
 *   `ON CONFLICT DO NOTHING`, so a second send returns null, atomically across processes.
 *   Moving to pg-boss ≥ 11.1 (Node 22): drop the `<partition>_d1` indexes, use `exclusive`.
 * - Schedules: pg-boss stores one per queue name and its cron monitor — one process per
 *   `cronMonitorIntervalSeconds`, elected in the database — sends a due minute's job through its
 *   internal queue with a 60-second throttle key, so each due minute is sent once in all.
 * - `concurrency` is that many pg-boss workers of batch size 1 (pg-boss 10 has no team size).
 */
import PgBoss from 'pg-boss';
import { JOB_DEFAULTS, checkQueueName, checkSendOptions, parseCron, toError } from './job-rules.js';
import type {
  JobErrorContext,
  JobErrorListener,
  JobHandler,
  JobQueue,
  ScheduleOptions,
  SendOptions,
  StopOptions,
  WorkOptions,
} from './types.js';

export interface PgBossQueueOptions {
  /** postgres://user:password@host:port/database — never shown in errors or logs. */
  url: string;
  /** The schema of pg-boss's tables (default `pgboss`); created and migrated by `start`. */
  schema?: string;
  /** Connections of this process's pool (default 10). */
  poolSize?: number;
  /** How often an idle worker looks for a job, seconds (default 2, at least 0.5). */
  pollingIntervalSeconds?: number;
  /** The expiry of a job that does not set its own, seconds (default 15 minutes). */
  expireInSeconds?: number;
  /** How often expired runs are failed (so a dead worker's job moves on), seconds (default 120). */
  maintenanceIntervalSeconds?: number;
  /** How often due schedules are looked at, seconds, 1–45 (default 30: a due minute's job may come that late). */
  cronMonitorIntervalSeconds?: number;
  /** How often pg-boss's internal worker turns due schedules into jobs, seconds, 1–45 (default 5). */
  cronWorkerIntervalSeconds?: number;
}

/** The `JobQueue` on PostgreSQL through pg-boss. */
export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly schema: string;
  private readonly password: string;
  private readonly pollingIntervalSeconds: number | undefined;
  /** Each queue's creation, once per process. */
  private readonly queues = new Map<string, Promise<void>>();
  /** This process's pg-boss workers per queue, woken when this process sends them a job. */
  private readonly workers = new Map<string, string[]>();
  private readonly listeners: JobErrorListener[] = [];
  private started = false;

  constructor(options: PgBossQueueOptions) {
    this.schema = options.schema ?? 'pgboss';
    this.password = passwordOf(options.url);
    this.pollingIntervalSeconds = options.pollingIntervalSeconds;
    checkSendOptions({ expireInSeconds: options.expireInSeconds });
    this.boss = new PgBoss({
      connectionString: options.url,
      schema: this.schema,
      application_name: 'domestique-jobs',
      ...defined({
        max: options.poolSize,
        pollingIntervalSeconds: options.pollingIntervalSeconds,
        maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
        cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds,
        cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds,
      }),
      expireInSeconds: options.expireInSeconds ?? JOB_DEFAULTS.expireInSeconds,
      retryLimit: JOB_DEFAULTS.retryLimit,
    });
    // pg-boss's internal failures (a lost connection, a failed maintenance pass); without a
    // listener an EventEmitter's 'error' would throw
    this.boss.on('error', (error: unknown) => {
      const queue = (error as { queue?: unknown }).queue;
      this.report(toError(error), typeof queue === 'string' ? { queue } : {});
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    try {
      await this.boss.start();
    } catch (error) {
      throw this.masked(toError(error));
    }
    this.started = true;
  }

  async stop(options: StopOptions = {}): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.queues.clear();
    this.workers.clear();
    await this.boss.stop({ graceful: options.graceful ?? true });
  }

  async work<T extends object>(name: string, handler: JobHandler<T>, options: WorkOptions = {}): Promise<void> {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a whole number ≥ 1.');
    await this.ensureQueue(name);
    const workOptions = {
      batchSize: 1,
      includeMetadata: true as const,
      ...defined({ pollingIntervalSeconds: this.pollingIntervalSeconds }),
    };
    const run = async ([job]: PgBoss.JobWithMetadata<T>[]): Promise<void> => {
      if (!job) return;
      const attempt = job.retryCount + 1;
      try {
        await handler({ id: job.id, name, data: job.data, attempt });
      } catch (error) {
        this.report(toError(error), { queue: name, jobId: job.id, attempt, willRetry: job.retryCount < job.retryLimit });
        throw error; // pg-boss fails the attempt
      } finally {
        // pg-boss 10 waits out the polling interval after every job, even with jobs waiting: a job
        // just done means more may be queued, so this queue's workers fetch again at once (an
        // empty fetch puts them back to the interval).
        for (const worker of this.workers.get(name) ?? []) this.boss.notifyWorker(worker);
      }
    };
    const ids = this.workers.get(name) ?? [];
    this.workers.set(name, ids);
    for (let i = 0; i < concurrency; i++) ids.push(await this.boss.work<T>(name, workOptions, run));
  }

  async send<T extends object>(name: string, data: T, options: SendOptions = {}): Promise<string | null> {
    checkSendOptions(options);
    await this.ensureQueue(name);
    const id = await this.boss.send(
      name,
      data,
      defined({
        singletonKey: options.singletonKey,
        retryLimit: options.retryLimit,
        retryDelay: options.retryDelaySeconds,
        retryBackoff: options.retryBackoff,
        startAfter: options.startAfter,
        expireInSeconds: options.expireInSeconds,
      }),
    );
    // a worker of this process need not wait for its next poll
    if (id && !(options.startAfter && options.startAfter.getTime() > Date.now()))
      for (const worker of this.workers.get(name) ?? []) this.boss.notifyWorker(worker);
    return id;
  }

  async pending(name: string, singletonKey: string): Promise<boolean> {
    await this.ensureQueue(name);
    // the states the one-job-per-key index covers: created, retry, active
    const { rows } = await this.boss
      .getDb()
      .executeSql(`SELECT 1 FROM ${this.schema}.job WHERE name = $1 AND singleton_key = $2 AND state <= 'active' LIMIT 1`, [
        name,
        singletonKey,
      ]);
    return rows.length > 0;
  }

  async schedule<T extends object>(name: string, cron: string, data?: T, options: ScheduleOptions = {}): Promise<void> {
    const tz = options.tz ?? 'UTC';
    parseCron(cron, tz); // the same patterns as the in-process queue, and its messages
    await this.ensureQueue(name);
    await this.boss.schedule(name, cron, data ?? {}, { tz });
  }

  async unschedule(name: string): Promise<void> {
    this.assertStarted();
    await this.boss.unschedule(name);
  }

  onError(listener: JobErrorListener): void {
    this.listeners.push(listener);
  }

  private assertStarted(): void {
    if (!this.started) throw new Error('The job queue is not started: call start() first.');
  }

  /** Creates queue `name` and its one-job-per-key index, once per process (both are idempotent). */
  private ensureQueue(name: string): Promise<void> {
    this.assertStarted();
    checkQueueName(name);
    let ready = this.queues.get(name);
    if (!ready) {
      ready = this.createQueue(name);
      this.queues.set(name, ready);
      ready.catch(() => this.queues.delete(name));
    }
    return ready;
  }

  private async createQueue(name: string): Promise<void> {
    await this.boss.createQueue(name, { name, policy: 'standard' });
    // the name is checked (letters, digits, _ . -) and the schema by pg-boss, so both can be inlined
    // in a DO block; the advisory lock keeps two processes from creating the index at once
    await this.boss.getDb().executeSql(
      `DO $$
      DECLARE part text;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('domestique.jobs.one-per-key'));
        SELECT partition_name INTO part FROM ${this.schema}.queue WHERE name = '${name}';
        IF part IS NOT NULL THEN
          EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON ${this.schema}.%I (singleton_key) WHERE singleton_key IS NOT NULL AND state <= %L',
            part || '_d1', part, 'active');
        END IF;
      END $$`,
      [],
    );
  }

  private report(error: Error, context: JobErrorContext): void {
    const masked = this.masked(error);
    for (const listener of this.listeners) {
      try {
        listener(masked, context);
      } catch {
        // a listener that throws must not stop the queue
      }
    }
  }

  /** The error without the database password, should a driver message ever carry it. */
  private masked(error: Error): Error {
    if (!this.password || !error.message.includes(this.password)) return error;
    const copy = new Error(error.message.replaceAll(this.password, '***'));
    copy.name = error.name;
    return copy;
  }
}

/** The password of a postgres URL, '' when none (or not a URL). */
function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** `values` without its undefined members: pg-boss checks options with `in`, so undefined is not absent. */
function defined<V extends Record<string, unknown>>(values: V): Partial<V> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<V>;
}
