/**
 * The runner of the persistent job queue (store.sync): claims what is due under a lease (several
 * processes share one database; a job whose process died is taken over when its lease ends), runs
 * each job — one athlete's jobs one after the other, different athletes side by side — and decides
 * what a failure means: a rate limit postpones the service's jobs, an unreachable service is tried
 * again later (30 s doubling, at most 1 h, given up after 8 tries), a refused key disconnects the
 * athlete, and a bug fails that job alone: the runner carries on.
 */
import { SecretBoxError } from '../../sync/secret-box.js';
import { ServiceError, type SyncService as Service } from '../../sync/types.js';
import type { SyncJob, SyncJobKind } from '../../store/store.js';
import { asError, NotConnectedError, WaitError, type SyncContext } from './sync-context.js';

const SERVICES: readonly Service[] = ['intervals', 'strava'];
/** Jobs claimed at a time. */
const CLAIM_LIMIT = 8;
const DEFAULT_LEASE_MS = 2 * 60_000;
/** Unreachable: 30 s × 2^(attempt − 1), at most 1 h; given up after this many tries. */
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 3_600_000;
const MAX_ATTEMPTS = 8;
/** With nothing due, look again this often (jobs queued by another process). */
const IDLE_MS = 5_000;
/** Never more often than this, whatever is due. */
const MIN_DELAY_MS = 200;
/** A 429 without Retry-After waits this long. */
const DEFAULT_RATE_WAIT_MS = 60_000;

export type JobHandler = (job: SyncJob) => Promise<void>;

/** How a job ended this time: done, back in the queue for later, or given up. */
export type JobOutcome = 'done' | 'later' | 'failed';

export interface RunnerHooks {
  /** The key or token was refused: disconnect the athlete and say so (once). */
  revoked(athleteId: string, service: Service): Promise<void>;
  /** After every job, with its outcome (a backfill's progress). */
  afterJob(job: SyncJob, outcome: JobOutcome): Promise<void>;
}

export class JobRunner {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  /** Services that answered 429: not claimed until then. */
  private readonly blocked = new Map<Service, number>();

  constructor(
    private readonly ctx: SyncContext,
    private readonly handlers: Record<SyncJobKind, JobHandler>,
    private readonly hooks: RunnerHooks,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Something was queued: run now (when started; tests and the CLI `drain()` instead). */
  wake(): void {
    if (this.started) setImmediate(() => this.kick());
  }

  /** Runs every due job, and the jobs they queue, until none is due. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    while ((await this.pass()) > 0) {
      // another pass: the jobs just run may have queued more
    }
  }

  private kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.pass()
      .then(() => undefined)
      .catch((e: unknown) => this.ctx.logger?.error({ err: asError(e) }, 'sync job pass failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else void this.schedule();
      });
  }

  /** The next pass when the next job is due (due times by the clock), within IDLE_MS. Never throws. */
  private async schedule(): Promise<void> {
    if (!this.started) return;
    let wait = IDLE_MS;
    try {
      const next = await this.ctx.store.sync.nextDue();
      if (next) wait = next.getTime() - this.ctx.now().getTime();
    } catch (e) {
      this.ctx.logger?.error({ err: asError(e) }, 'next sync job not read');
    }
    // stopped meanwhile, or kicked (that pass schedules the next when it ends)
    if (!this.started || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.min(IDLE_MS, Math.max(MIN_DELAY_MS, wait)));
    this.timer.unref();
  }

  /** Claims and runs until nothing is due; how many jobs ran. */
  private async pass(): Promise<number> {
    let ran = 0;
    for (;;) {
      const now = this.ctx.now();
      const services = SERVICES.filter((s) => (this.blocked.get(s) ?? 0) <= now.getTime());
      const jobs = await this.ctx.store.sync.claim(now, this.ctx.deps.claimant, {
        limit: CLAIM_LIMIT,
        leaseMs: this.ctx.deps.leaseMs ?? DEFAULT_LEASE_MS,
        services,
      });
      if (jobs.length === 0) return ran;
      const byAthlete = new Map<string, SyncJob[]>();
      for (const job of jobs) byAthlete.set(job.athleteId, [...(byAthlete.get(job.athleteId) ?? []), job]);
      await Promise.all(
        [...byAthlete.values()].map(async (list) => {
          for (const job of list) await this.run(job);
        }),
      );
      ran += jobs.length;
    }
  }

  private async run(job: SyncJob): Promise<void> {
    const { store, deps } = this.ctx;
    let outcome: JobOutcome = 'done';
    try {
      await this.handlers[job.kind](job);
      await store.sync.complete(job.id, deps.claimant);
    } catch (e) {
      outcome = await this.failed(job, e);
    }
    try {
      await this.hooks.afterJob(job, outcome);
    } catch (e) {
      this.ctx.logger?.error({ err: asError(e), athleteId: job.athleteId, service: job.service }, 'sync bookkeeping failed');
    }
  }

  /** What a job's failure means (see the module comment). Never throws. */
  private async failed(job: SyncJob, e: unknown): Promise<JobOutcome> {
    const { store, deps, logger } = this.ctx;
    const now = this.ctx.now().getTime();
    const context = { athleteId: job.athleteId, service: job.service, kind: job.kind, attempts: job.attempts };
    try {
      if (e instanceof NotConnectedError) {
        await store.sync.complete(job.id, deps.claimant);
        return 'done';
      }
      if (e instanceof WaitError) {
        // this athlete's other queued jobs of the service wait too (new rides arriving later are queued after it)
        await store.sync.postpone(job.service, e.until, job.athleteId);
        await store.sync.retry(job.id, deps.claimant, e.until, e.message);
        return 'later';
      }
      if (e instanceof ServiceError && e.kind === 'rate-limited') {
        const until = new Date(now + Math.max(1000, e.retryAfterMs ?? DEFAULT_RATE_WAIT_MS));
        this.blocked.set(job.service, until.getTime());
        await store.sync.postpone(job.service, until);
        await store.sync.retry(job.id, deps.claimant, until, e.message);
        logger?.info({ ...context, until }, 'sync rate-limited: waiting');
        return 'later';
      }
      if (e instanceof ServiceError && e.kind === 'unauthorized') {
        await this.hooks.revoked(job.athleteId, job.service);
        await store.sync.fail(job.id, deps.claimant, e.message);
        return 'failed';
      }
      if (e instanceof ServiceError && e.kind === 'not-found') {
        await store.sync.complete(job.id, deps.claimant);
        return 'done';
      }
      if (e instanceof ServiceError && job.attempts < MAX_ATTEMPTS) {
        const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, job.attempts - 1));
        await store.sync.retry(job.id, deps.claimant, new Date(now + wait), e.message);
        logger?.warn({ ...context, err: e }, 'sync job failed: trying again later');
        return 'later';
      }
      await store.sync.fail(job.id, deps.claimant, failureText(e));
      logger?.error({ ...context, err: asError(e) }, e instanceof ServiceError ? 'sync job given up' : 'sync job failed');
    } catch (bookkeeping) {
      logger?.error({ ...context, err: asError(bookkeeping) }, 'sync job failure not recorded');
    }
    return 'failed';
  }
}

/** What the queue keeps of a failure: the error's kind and message (ours never hold a secret). */
function failureText(e: unknown): string {
  if (e instanceof SecretBoxError) return 'the stored secret could not be decrypted (SECRETS_KEY changed?)';
  const error = asError(e);
  return `${error.name}: ${error.message}`.slice(0, 500);
}
