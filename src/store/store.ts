/**
 * The store: one SQLite database behind repositories per aggregate (repositories/, their
 * interfaces in ports.ts). `Store` is the facade over the cross-athlete ones — identities, chat
 * state, the reminder and check-in tickers, quota counters, the operator's checks — and everything an athlete
 * owns is reached through `store.athlete(id)` (athlete-store.ts), whose every query is scoped by
 * that id: one athlete can never read or change another's rows. The only cross-athlete queries
 * are the operator's (`check`, `dueReminders`, `interruptUnfinishedRuns`) and the sync's queue (`sync`).
 */
import { openDatabase, type Db, type OpenedDatabase, type OpenOptions } from './database.js';
import {
  lifted,
  type Blocking,
  type ChatStateRepository,
  type ChatUpdates,
  type CheckinSchedule,
  type DueCheckin,
  type IdentityDirectory,
  type Maintenance,
  type ReminderSchedule,
  type SyncQueue,
} from './ports.js';
import type { AthleteRecord, Clock, DueReminder, IntegrityReport, ReminderCompletion } from './records.js';
import { SqliteChatStateRepository } from './repositories/chat-state.js';
import { checkinSchedule } from './repositories/checkins.js';
import { SqliteIdentityDirectory } from './repositories/identities.js';
import { SqliteMaintenance } from './repositories/integrity.js';
import { SqliteReminderSchedule } from './repositories/reminders.js';
import { SqliteSyncQueue } from './repositories/sync-queue.js';
import { SqliteChatUpdates } from './repositories/chat-updates.js';
import { AthleteStore, type PlanVersionListener } from './athlete-store.js';
import { ChatUsage, UsageCounters } from './usage-counters.js';

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

export class Store implements IdentityDirectory, ChatStateRepository, ReminderSchedule, CheckinSchedule, Maintenance {
  private readonly counters: UsageCounters;
  private readonly identities: SqliteIdentityDirectory;
  private readonly chatStates: SqliteChatStateRepository;
  private readonly schedule: SqliteReminderSchedule;
  private readonly checkins: Blocking<CheckinSchedule>;
  private readonly maintenance: SqliteMaintenance;
  /**
   * The sync's cross-athlete side (repositories/sync-queue.ts): the persistent job queue, the
   * intervals.icu polls due, OAuth states, the athlete behind a service's account.
   */
  readonly sync: SyncQueue;
  /** The inbox of pushed chat updates (Telegram's webhook): repositories/chat-updates.ts. */
  readonly updates: ChatUpdates;
  private readonly planListeners: PlanVersionListener[] = [];

  private constructor(
    private readonly opened: OpenedDatabase,
    private readonly clock: Clock,
  ) {
    this.counters = new UsageCounters(opened.db, clock);
    this.identities = new SqliteIdentityDirectory(opened.db, clock);
    this.chatStates = new SqliteChatStateRepository(opened.db, clock);
    this.schedule = new SqliteReminderSchedule(opened.db, clock);
    this.checkins = checkinSchedule(opened.db, clock);
    this.maintenance = new SqliteMaintenance(opened, clock);
    this.sync = lifted<SyncQueue>(new SqliteSyncQueue(opened.db, clock));
    this.updates = new SqliteChatUpdates(opened.db, clock);
  }

  /**
   * Opens (creating and migrating if needed) the database at `path`. Asynchronous so every store
   * (PostgreSQL's connects over the network) opens the same way; SQLite's work stays synchronous
   * inside. A failed open closes the file again and rejects with the error.
   */
  static async open(path: string, options: OpenOptions & { clock?: Clock } = {}): Promise<Store> {
    const opened = openDatabase(path, options);
    try {
      const store = new Store(opened, options.clock ?? (() => new Date()));
      store.maintenance.refreshStaleMetrics();
      // (A database opened with an older migrations folder — tests do — has no counters to prune.)
      if (store.opened.sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'usage_events'").get())
        store.counters.prune(options.clock?.() ?? new Date());
      return store;
    } catch (error) {
      opened.close();
      throw error;
    }
  }

  /**
   * The quota counters of a chat (see usage-counters.ts): `record(kind, amount)` when something is
   * attempted, `since(kind, from)` for a limit. Given several identity keys (the chats linked to
   * one history), events are recorded under the first and the sums read all of them. They are
   * kept by chat identity, not athlete, and so outlive `forget()`.
   */
  usage(identityKeys: string | readonly string[]): ChatUsage {
    return new ChatUsage(this.counters, typeof identityKeys === 'string' ? [identityKeys] : identityKeys);
  }

  /** Deletes quota events older than 24 h (also done on every record, and when the store opens). */
  async pruneUsage(now: Date = this.clock()): Promise<number> {
    return this.counters.prune(now);
  }

  /**
   * Recomputes the stored metrics of activities stored under an older STORED_METRICS_VERSION from
   * their own streams, so a changed definition reaches rides already in the database. Returns how
   * many were refreshed; a database already current costs one scan of the metrics column.
   */
  async refreshStaleMetrics(): Promise<number> {
    return this.maintenance.refreshStaleMetrics();
  }

  get db(): Db {
    return this.opened.db;
  }

  get path(): string {
    return this.opened.path;
  }

  /** Closes the database; asynchronous like `open`, so a pooled store can drain its connections. */
  async close(): Promise<void> {
    this.opened.close();
  }

  /** The athlete behind a chat identity, created on first contact. */
  async athleteForIdentity(identityKey: string, displayName: string): Promise<AthleteRecord> {
    return this.identities.athleteForIdentity(identityKey, displayName);
  }

  /** Finds an athlete by identity without creating one. */
  async findByIdentity(identityKey: string): Promise<AthleteRecord | null> {
    return this.identities.findByIdentity(identityKey);
  }

  /** Scoped access to one athlete's data. */
  athlete(athleteId: string): AthleteStore {
    return new AthleteStore(this.db, athleteId, this.clock, this.planListeners);
  }

  /**
   * Calls `listener` after every plan version saved through this store (`athlete(id).coaching`),
   * whatever saved it — a ride, an analysis, an event, words in chat; returns the unsubscribe. Only
   * this process's saves: another process on the file has its own. A listener's errors are its own.
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
    return this.schedule.dueReminders(now);
  }

  /**
   * Claims the reminders due at `now` for one ticker, atomically, at most `limit` (the oldest
   * first). A claim older than `leaseMs` (a ticker that died mid-send) can be taken over.
   */
  async claimDueReminders(now: Date, claimant: string, leaseMs = 10 * 60_000, limit = 50): Promise<DueReminder[]> {
    return this.schedule.claimDueReminders(now, claimant, leaseMs, limit);
  }

  /** After sending: the next due time, and the claim released. Only the claimant can complete. */
  async completeReminder(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean> {
    return this.schedule.completeReminder(athleteId, claimant, result);
  }

  /** The weekly check-ins due at `now`, claimed for one ticker as the reminders are (see claimDueReminders). */
  async claimDueCheckins(now: Date, claimant: string, leaseMs = 10 * 60_000, limit = 50): Promise<DueCheckin[]> {
    return this.checkins.claimDueCheckins(now, claimant, leaseMs, limit);
  }

  /** After sending a check-in: the next due time, and the claim released. Only the claimant can complete. */
  async completeCheckin(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean> {
    return this.checkins.completeCheckin(athleteId, claimant, result);
  }

  /** At start-up: runs left queued or running by a previous process become `interrupted`. */
  async interruptUnfinishedRuns(): Promise<{ athleteId: string; runId: string }[]> {
    return this.maintenance.interruptUnfinishedRuns();
  }

  async getChatState(identityKey: string): Promise<Record<string, unknown> | null> {
    return this.chatStates.getChatState(identityKey);
  }

  async setChatState(identityKey: string, state: Record<string, unknown>, athleteId: string | null = null): Promise<void> {
    this.chatStates.setChatState(identityKey, state, athleteId);
  }

  /** The chat identity whose dialogue holds this unexpired link code (see `/link`), if any. */
  async findLinkCode(code: string, now: Date): Promise<{ identityKey: string; athleteId: string } | null> {
    return this.identities.findLinkCode(code, now);
  }

  /**
   * Moves a chat identity to another athlete (linking Telegram and Discord to one history). The
   * athlete it leaves is deleted when no identity is left to it — callers move only identities
   * whose athlete holds nothing yet.
   */
  async moveIdentity(identityKey: string, toAthleteId: string): Promise<void> {
    this.identities.moveIdentity(identityKey, toAthleteId);
  }

  /** An online backup of the whole database into `path` (better-sqlite3's backup API). */
  async backup(path: string): Promise<void> {
    await this.maintenance.backup(path);
  }

  /** SHA-256 of every row of every table but the quota counters: proves that nothing an athlete owns was written. */
  async checksum(): Promise<string> {
    return this.maintenance.checksum();
  }

  /** PRAGMA quick_check: cheap enough for a health endpoint. */
  async quickCheck(): Promise<string> {
    return this.maintenance.quickCheck();
  }

  /** PRAGMA integrity_check and row counts of every table. */
  async check(): Promise<IntegrityReport> {
    return this.maintenance.check();
  }
}
