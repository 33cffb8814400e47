/**
 * What every part of the sync engine shares: its dependencies, the secret box (athletes' keys and
 * tokens are sealed with the context `<athleteId>:<service>` before they reach the store), the
 * intervals.icu client of one connection, and the way to reach an athlete's chat unprompted.
 */
import type { Result } from '../../domain/result.js';
import type { IngestError } from '../../ingest/ingest-error.js';
import type { IngestBatch } from '../../ingest/ingest.js';
import type { Logger } from '../../logger.js';
import type { CoachLoop } from '../../orchestrator/coaching/coach-loop.js';
import type { AthleteStore, Store, StoredConnection } from '../../store/store.js';
import { createIntervalsClient } from '../../sync/intervals/client.js';
import { SecretBox } from '../../sync/secret-box.js';
import type { IntervalsApi, SyncService as Service } from '../../sync/types.js';
import type { ChatDirectory, ChatThread, MessageRef, Reply } from '../port.js';

/** The operator's settings of the sync (Config.sync). */
export interface SyncSettings {
  secretsKey: string | null;
  publicUrl: string | null;
  backfillMonths: number;
  intervals: { apiBase: string; pollMinutes: number; webhookSecret: string | null };
  strava: { apiBase: string; clientId: string | null; clientSecret: string | null; webhookVerifyToken: string | null };
}

/** What became of one remote activity (the metrics' label). */
export type SyncOutcome = 'new' | 'duplicate' | 'merged' | 'not-a-ride' | 'failed';

export interface SyncDeps {
  store: Store;
  clock: () => Date;
  directory: ChatDirectory;
  loop: CoachLoop;
  logger?: Logger;
  settings: SyncSettings;
  /** Reads one file (the app passes its ingest pool: worker threads, time and memory budgets). */
  ingest: (bytes: Uint8Array, fileName: string) => Promise<Result<IngestBatch, IngestError>>;
  /** The most activities one athlete may hold. */
  maxActivities: number;
  /** This process, in the job queue's claims. */
  claimant: string;
  /** A job claimed by a process that died is taken over after this (default 2 min). */
  leaseMs?: number;
  observer?: { synced(service: Service, result: SyncOutcome): void };
}

/** The service is no longer connected (disconnected meanwhile): the job has nothing left to do. */
export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}

/** A job that must wait (a rate-limit budget): tried again at `until`, not counted as a failure. */
export class WaitError extends Error {
  override name = 'WaitError';
  constructor(
    readonly until: Date,
    message: string,
  ) {
    super(message);
  }
}

export const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** The plain secret of an intervals.icu connection, before sealing. */
interface IntervalsSecret {
  apiKey: string;
}

export class SyncContext {
  private readonly box: SecretBox | null;

  constructor(readonly deps: SyncDeps) {
    this.box = deps.settings.secretsKey ? SecretBox.fromKey(deps.settings.secretsKey) : null;
  }

  get store(): Store {
    return this.deps.store;
  }

  get settings(): SyncSettings {
    return this.deps.settings;
  }

  get logger(): Logger | undefined {
    return this.deps.logger;
  }

  now(): Date {
    return this.deps.clock();
  }

  athlete(athleteId: string): AthleteStore {
    return this.deps.store.athlete(athleteId);
  }

  /** Whether secrets can be sealed here (SECRETS_KEY is set). */
  get canSeal(): boolean {
    return this.box !== null;
  }

  /** `value` as JSON, sealed for this athlete's connection to this service. */
  seal(athleteId: string, service: Service, value: unknown): string {
    if (!this.box) throw new Error('SECRETS_KEY is not set: nothing can be stored encrypted.');
    return this.box.seal(JSON.stringify(value), `${athleteId}:${service}`);
  }

  /** What `seal` sealed (throws SecretBoxError when SECRETS_KEY changed or the value was moved). */
  open<T>(athleteId: string, service: Service, sealed: string): T {
    if (!this.box) throw new Error('SECRETS_KEY is not set: the stored keys cannot be read.');
    return JSON.parse(this.box.open(sealed, `${athleteId}:${service}`)) as T;
  }

  sealIntervalsKey(athleteId: string, apiKey: string): string {
    return this.seal(athleteId, 'intervals', { apiKey } satisfies IntervalsSecret);
  }

  /** The intervals.icu client for an id and a key (the key is never logged). */
  intervalsClient(externalAthleteId: string, apiKey: string): IntervalsApi {
    return createIntervalsClient({ apiBase: this.settings.intervals.apiBase, athleteId: externalAthleteId, apiKey, now: this.deps.clock });
  }

  /** The intervals.icu client of an athlete's stored connection. */
  intervals(athleteId: string, connection: StoredConnection): IntervalsApi {
    const { apiKey } = this.open<IntervalsSecret>(athleteId, 'intervals', connection.sealedSecret);
    return this.intervalsClient(connection.externalAthleteId, apiKey);
  }

  /** The connection, or NotConnectedError (disconnected since the job was queued). */
  async connection(athlete: AthleteStore, service: Service): Promise<StoredConnection> {
    const connection = await athlete.sync.connection(service);
    if (!connection) throw new NotConnectedError(`${service} is not connected`);
    return connection;
  }

  /** The chat given, else the athlete's first chat the directory can open; null when none runs here. */
  async threadOf(athlete: AthleteStore, identityKey?: string | null): Promise<ChatThread | null> {
    const preferred = identityKey ? this.deps.directory.open(identityKey) : null;
    if (preferred) return preferred;
    for (const key of (await athlete.info()).identities) {
      const thread = this.deps.directory.open(key);
      if (thread) return thread;
    }
    return null;
  }

  /** Posts to the athlete's chat; a failure to deliver is logged, never thrown (what it says is not lost work). */
  async tell(athlete: AthleteStore, reply: Reply, identityKey?: string | null): Promise<MessageRef | null> {
    const thread = await this.threadOf(athlete, identityKey);
    if (!thread) return null;
    try {
      return await thread.post(reply);
    } catch (e) {
      this.logger?.warn({ err: asError(e), athleteId: athlete.athleteId }, 'sync message not delivered');
      return null;
    }
  }

  /** Posts to that chat only (a message to be edited later lives there); null when it is not running here or failed. */
  async postTo(athleteId: string, identityKey: string, reply: Reply): Promise<MessageRef | null> {
    const thread = this.deps.directory.open(identityKey);
    if (!thread) return null;
    try {
      return await thread.post(reply);
    } catch (e) {
      this.logger?.warn({ err: asError(e), athleteId }, 'sync message not delivered');
      return null;
    }
  }

  /** Edits a message posted before; a failure (deleted, not modified) is logged at debug level only. */
  async edit(athlete: AthleteStore, identityKey: string, ref: MessageRef, reply: Reply): Promise<void> {
    // only that chat: the message lives there
    const thread = this.deps.directory.open(identityKey);
    if (!thread) return;
    try {
      await thread.edit(ref, reply);
    } catch (e) {
      this.logger?.debug({ err: asError(e), athleteId: athlete.athleteId }, 'sync progress message not edited');
    }
  }
}
