/**
 * The store: one database — a SQLite file (sqlite-engine.ts) or PostgreSQL (pg/pg-engine.ts) —
 * behind repositories per aggregate (their interfaces in ports.ts, the engine's in engine.ts). `Store` is the facade over the cross-athlete ones — identities, chat
 * state, the reminder and check-in tickers, quota counters, the operator's checks — and everything an athlete
 * owns is reached through `store.athlete(id)` (athlete-store.ts), whose every query is scoped by
 * that id: one athlete can never read or change another's rows. The only cross-athlete queries
 * are the operator's (`check`, `dueReminders`, `interruptUnfinishedRuns`) and the sync's queue (`sync`).
 */
import type { Db, OpenOptions } from './database.js';
import type { StoreEngine } from './engine.js';
import type {
  ChatStateRepository,
  ChatUpdates,
  CheckinSchedule,
  DueCheckin,
  IdentityDirectory,
  Maintenance,
  ReminderSchedule,
  SyncQueue,
} from './ports.js';
import type { AthleteRecord, Clock, DueReminder, IntegrityReport, ReminderCompletion } from './records.js';
import { SqliteEngine } from './sqlite-engine.js';
import { AthleteStore, type PlanVersionListener } from './athlete-store.js';
import { ChatUsage } from './usage-counters.js';
import { isPostgresUrl } from './pg/url.js';

export { AthleteStore, type PlanVersionListener } from './athlete-store.js';
export type { DueCheckin } from './ports.js';
export {
  STORED_METRICS_VERSION,
  type AthleteExport,
  type AthleteRecord,
  type Clock,
  type DueReminder,
  type IntegrityReport,
  type ReminderCompletion,
  type ReminderSettings,
  type RunRecord,
  type StoredActivity,
  type UploadError,
  type UploadSummary,
} from './records.js';
export type {
  BackfillState,
  BatchProgress,
  CalendarEntry,
  ExportedConnection,
  NewSyncJob,
  OAuthState,
  StoredConnection,
  SyncJob,
  SyncJobKind,
} from './sync-records.js';
/** @public The other records of the store's API (no caller imports them today). */
export type { ReportFile, RunStatus, StoredMetrics, UploadHooks } from './records.js';

/** How a store opens: the SQLite options, the clock, and for PostgreSQL the size of the pool. */
export interface StoreOptions extends OpenOptions {
  clock?: Clock;
  /** PostgreSQL: connections in this process's pool (default 10). */
  poolSize?: number;
}

export class Store implements IdentityDirectory, ChatStateRepository, ReminderSchedule, CheckinSchedule, Maintenance {
  /**
   * The sync's cross-athlete side (repositories/sync-queue.ts): the persistent job queue, the
   * intervals.icu polls due, OAuth states, the athlete behind a service's account.
   */
  readonly sync: SyncQueue;
  /** The inbox of pushed chat updates (Telegram's webhook): repositories/chat-updates.ts. */
  readonly updates: ChatUpdates;
  private readonly planListeners: PlanVersionListener[] = [];

  private constructor(
    private readonly engine: StoreEngine,
    private readonly clock: Clock,
  ) {
    this.sync = engine.sync;
    this.updates = engine.updates;
  }

  /**
   * Opens the store at `location`: a `postgres://` URL opens PostgreSQL (pg/pg-engine.ts), anything
   * else is a SQLite file (created and migrated if needed). Both engines migrate at open, refresh
   * metrics stored under an older definition and prune expired quota events; a failed open closes
   * what it opened and rejects with the error.
   */
  static async open(location: string, options: StoreOptions = {}): Promise<Store> {
    const clock = options.clock ?? (() => new Date());
    if (isPostgresUrl(location)) {
      // Loaded only when asked for: a SQLite store never loads the PostgreSQL driver.
      const { PgEngine } = await import('./pg/pg-engine.js');
      return new Store(await PgEngine.open(location, clock, options.poolSize !== undefined ? { max: options.poolSize } : {}), clock);
    }
    return new Store(SqliteEngine.open(location, clock, options), clock);
  }

  /** Which engine holds the data. */
  get kind(): StoreEngine['kind'] {
    return this.engine.kind;
  }

  /**
   * The quota counters of a chat (see usage-counters.ts): `record(kind, amount)` when something is
   * attempted, `since(kind, from)` for a limit. Given several identity keys (the chats linked to
   * one history), events are recorded under the first and the sums read all of them. They are
   * kept by chat identity, not athlete, and so outlive `forget()`.
   */
  usage(identityKeys: string | readonly string[]): ChatUsage {
    return new ChatUsage(this.engine.usage, typeof identityKeys === 'string' ? [identityKeys] : identityKeys, this.clock);
  }

  /** Deletes quota events older than 24 h (also done on every record, and when the store opens). */
  async pruneUsage(now: Date = this.clock()): Promise<number> {
    return this.engine.usage.prune(now);
  }

  /**
   * Recomputes the stored metrics of activities stored under an older STORED_METRICS_VERSION from
   * their own streams, so a changed definition reaches rides already in the database. Returns how
   * many were refreshed; a database already current costs one scan of the metrics column.
   */
  async refreshStaleMetrics(): Promise<number> {
    return this.engine.maintenance.refreshStaleMetrics();
  }

  /** The SQLite connection (drizzle), for tests and tools that look at rows; a PostgreSQL store has none. */
  get db(): Db {
    if (!(this.engine instanceof SqliteEngine)) throw new Error('store.db is the SQLite connection; this store is on PostgreSQL');
    return this.engine.opened.db;
  }

  /** Where the data is, safe to print: the SQLite file, or the PostgreSQL URL without its password. */
  get path(): string {
    return this.engine.location;
  }

  /** Closes the database (a PostgreSQL pool is drained). */
  async close(): Promise<void> {
    await this.engine.close();
  }

  /** The athlete behind a chat identity, created on first contact. */
  async athleteForIdentity(identityKey: string, displayName: string): Promise<AthleteRecord> {
    return this.engine.identities.athleteForIdentity(identityKey, displayName);
  }

  /** Finds an athlete by identity without creating one. */
  async findByIdentity(identityKey: string): Promise<AthleteRecord | null> {
    return this.engine.identities.findByIdentity(identityKey);
  }

  /** Scoped access to one athlete's data. */
  athlete(athleteId: string): AthleteStore {
    return new AthleteStore(this.engine.athlete(athleteId), athleteId, this.planListeners);
  }

  /**
   * Calls `listener` after every plan version saved through this store (`athlete(id).coaching`),
   * whatever saved it — a ride, an analysis, an event, words in chat; returns the unsubscribe. Only
   * this process's saves: another process on the database has its own. A listener's errors are its own.
   */
  onPlanVersion(listener: PlanVersionListener): () => void {
    this.planListeners.push(listener);
    return () => {
      const at = this.planListeners.indexOf(listener);
      if (at >= 0) this.planListeners.splice(at, 1);
    };
  }

  /** Reminders due at `now` (enabled, next_due_at ≤ now), across athletes: the ticker's query. */
  async dueReminders(now: Date): Promise<DueReminder[]> {
    return this.engine.reminders.dueReminders(now);
  }

  /**
   * Claims the reminders due at `now` for one ticker, atomically, at most `limit` (the oldest
   * first). A claim older than `leaseMs` (a ticker that died mid-send) can be taken over.
   */
  async claimDueReminders(now: Date, claimant: string, leaseMs = 10 * 60_000, limit = 50): Promise<DueReminder[]> {
    return this.engine.reminders.claimDueReminders(now, claimant, leaseMs, limit);
  }

  /** After sending: the next due time, and the claim released. Only the claimant can complete. */
  async completeReminder(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean> {
    return this.engine.reminders.completeReminder(athleteId, claimant, result);
  }

  /** The weekly check-ins due at `now`, claimed for one ticker as the reminders are (see claimDueReminders). */
  async claimDueCheckins(now: Date, claimant: string, leaseMs = 10 * 60_000, limit = 50): Promise<DueCheckin[]> {
    return this.engine.checkins.claimDueCheckins(now, claimant, leaseMs, limit);
  }

  /** After sending a check-in: the next due time, and the claim released. Only the claimant can complete. */
  async completeCheckin(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean> {
    return this.engine.checkins.completeCheckin(athleteId, claimant, result);
  }

  /** At start-up: runs left queued or running by a previous process become `interrupted`. */
  async interruptUnfinishedRuns(): Promise<{ athleteId: string; runId: string }[]> {
    return this.engine.maintenance.interruptUnfinishedRuns();
  }

  async getChatState(identityKey: string): Promise<Record<string, unknown> | null> {
    return this.engine.chatStates.getChatState(identityKey);
  }

  async setChatState(identityKey: string, state: Record<string, unknown>, athleteId: string | null = null): Promise<void> {
    await this.engine.chatStates.setChatState(identityKey, state, athleteId);
  }

  /** The chat identity whose dialogue holds this unexpired link code (see `/link`), if any. */
  async findLinkCode(code: string, now: Date): Promise<{ identityKey: string; athleteId: string } | null> {
    return this.engine.identities.findLinkCode(code, now);
  }

  /**
   * Moves a chat identity to another athlete (linking Telegram and Discord to one history). The
   * athlete it leaves is deleted when no identity is left to it — callers move only identities
   * whose athlete holds nothing yet.
   */
  async moveIdentity(identityKey: string, toAthleteId: string): Promise<void> {
    await this.engine.identities.moveIdentity(identityKey, toAthleteId);
  }

  /** An online backup of the whole database into `path` (SQLite's backup API; PostgreSQL is backed up with pg_dump). */
  async backup(path: string): Promise<void> {
    await this.engine.maintenance.backup(path);
  }

  /** SHA-256 of every row of every table but the quota counters: proves that nothing an athlete owns was written. */
  async checksum(): Promise<string> {
    return this.engine.maintenance.checksum();
  }

  /** A cheap check for a health endpoint (SQLite's quick_check; PostgreSQL answering). */
  async quickCheck(): Promise<string> {
    return this.engine.maintenance.quickCheck();
  }

  /** An integrity check and row counts of every table. */
  async check(): Promise<IntegrityReport> {
    return this.engine.maintenance.check();
  }
}
