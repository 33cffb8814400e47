/**
 * The repositories, one per aggregate, as interfaces: what a database adapter implements. Every
 * method is asynchronous, as a database server's client is; the SQLite classes under
 * repositories/ do their work synchronously inside (better-sqlite3, whose transactions cannot span
 * an await) and implement the `Blocking` form of these ports, which the facades (store.ts,
 * athlete-store.ts) lift back to the async interface callers use. Repositories named "athlete …" are scoped to one athlete (every query carries its
 * id); the others are the few cross-athlete ones (identities, the reminder ticker, the operator's).
 * `Store` and `AthleteStore` (store.ts, athlete-store.ts) compose them behind the one API callers use.
 */
import type { AthleteEvent, CheckinSettings, EventPriority, PlanVersion, WorkoutMatch } from '../domain/coaching/types.js';
import type { ProfileFields, ProfileVersion } from '../domain/profile.js';
import type {
  AthleteExport,
  AthleteRecord,
  DueReminder,
  IntegrityReport,
  PhaseCompletion,
  QuestionRecord,
  ReminderCompletion,
  ReminderSettings,
  ReportFile,
  RunRecord,
  RunCompletion,
  RunStatus,
  StartRunOptions,
  StoredActivity,
  UploadBatch,
  UploadHooks,
  UploadRecord,
  UploadSummary,
} from './records.js';
import type {
  BatchProgress,
  CalendarEntry,
  ConnectionChanges,
  ExportedConnection,
  NewConnection,
  NewSyncJob,
  OAuthState,
  StoredConnection,
  SyncJob,
  SyncService,
} from './sync-records.js';

/** Chat identities → athletes, across athletes: first contact, `/link` codes, moving an identity. */
export interface IdentityDirectory {
  /** The athlete behind a chat identity, created on first contact. */
  athleteForIdentity(identityKey: string, displayName: string): Promise<AthleteRecord>;
  /** Finds an athlete by identity without creating one. */
  findByIdentity(identityKey: string): Promise<AthleteRecord | null>;
  /** The chat identity whose dialogue holds this unexpired link code, if any. */
  findLinkCode(code: string, now: Date): Promise<{ identityKey: string; athleteId: string } | null>;
  /** Moves a chat identity to another athlete; the athlete it leaves is deleted when no identity is left to it. */
  moveIdentity(identityKey: string, toAthleteId: string): Promise<void>;
}

/** One athlete's own row and identities. */
export interface AthleteRepository {
  info(): Promise<AthleteRecord>;
  update(changes: Partial<Pick<AthleteRecord, 'displayName' | 'timeZone' | 'units'>>): Promise<AthleteRecord>;
  linkIdentity(identityKey: string): Promise<void>;
}

/** One athlete's profile history (FTP, weight, … each valid from a date). */
export interface ProfileRepository {
  profileHistory(): Promise<ProfileVersion[]>;
  profileAt(date: Date): Promise<ProfileVersion | null>;
  currentProfile(): Promise<ProfileVersion | null>;
  updateProfile(changes: Partial<ProfileFields>, validFrom?: Date): Promise<ProfileVersion>;
}

/** One athlete's activities, as read. */
export interface ActivityRepository {
  activitiesBetween(from: Date, to: Date, options?: { streams?: boolean }): Promise<StoredActivity[]>;
  activity(activityId: string, options?: { streams?: boolean }): Promise<StoredActivity | null>;
  activityCount(): Promise<number>;
  recentActivities(limit: number): Promise<StoredActivity[]>;
  activityIdsStartingWith(prefix: string): Promise<string[]>;
  activityVersions(): Promise<{ id: string; updatedAt: number; sourceHash: string }[]>;
  deleteActivity(activityId: string, reason: string): Promise<{ staleRunIds: string[] } | null>;
}

/** One athlete's uploads: recording one applies the dedupe/merge policy (src/domain/activity-merge.ts). */
export interface UploadRepository {
  recordUpload(fileNames: string[], batch: UploadBatch, hooks?: UploadHooks): Promise<UploadSummary>;
  uploads(): Promise<UploadRecord[]>;
}

/** One athlete's analysis runs, their phases and report files. */
export interface RunRepository {
  startRun(options?: StartRunOptions): Promise<RunRecord>;
  markRunning(runId: string): Promise<void>;
  finishPhase(runId: string, phase: PhaseCompletion): Promise<void>;
  finishRun(runId: string, result: RunCompletion): Promise<RunRecord>;
  /**
   * Stamps the run delivered (its summary and reports reached the chat) unless it already is;
   * true when this call stamped it.
   */
  markDelivered(runId: string): Promise<boolean>;
  run(runId: string): Promise<RunRecord | null>;
  runs(): Promise<RunRecord[]>;
  latestRun(status?: RunStatus): Promise<RunRecord | null>;
  /** The newest finished (`done`) run that has report files: one query. */
  latestReportedRun(): Promise<RunRecord | null>;
  saveReports(runId: string, files: ReportFile[]): Promise<void>;
  reports(runId: string): Promise<ReportFile[]>;
  /** One report file of a run, if it has it. */
  reportFile(runId: string, fileName: string): Promise<ReportFile | null>;
  /** One report file of `latestReportedRun()`, if it has it: one query. */
  latestReportedFile(fileName: string): Promise<ReportFile | null>;
}

/** One athlete's questions to the coach (tokens and cost; the words live in the chat state). */
export interface QuestionRepository {
  recordQuestion(q: QuestionRecord): Promise<void>;
  questionsSince(since: Date): Promise<number>;
  questions(): Promise<(QuestionRecord & { askedAt: Date })[]>;
}

/** One athlete's monthly reminder settings. */
export interface ReminderRepository {
  reminder(): Promise<ReminderSettings | null>;
  setReminder(settings: Partial<ReminderSettings>): Promise<ReminderSettings>;
}

/** The reminder ticker's queries, across athletes. */
export interface ReminderSchedule {
  dueReminders(now: Date): Promise<DueReminder[]>;
  claimDueReminders(now: Date, claimant: string, leaseMs?: number, limit?: number): Promise<DueReminder[]>;
  completeReminder(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean>;
}

/** Whatever a conversation keeps across restarts, by chat identity. */
export interface ChatStateRepository {
  getChatState(identityKey: string): Promise<Record<string, unknown> | null>;
  setChatState(identityKey: string, state: Record<string, unknown>, athleteId?: string | null): Promise<void>;
}

/** `/export` and `/forget` of one athlete. */
export interface PrivacyRepository {
  export(): Promise<AthleteExport>;
  forget(): Promise<void>;
}

/** The operator's side: start-up repairs, backups, checks. */
export interface Maintenance {
  interruptUnfinishedRuns(): Promise<{ athleteId: string; runId: string }[]>;
  refreshStaleMetrics(): Promise<number>;
  backup(path: string): Promise<void>;
  checksum(): Promise<string>;
  quickCheck(): Promise<string>;
  check(): Promise<IntegrityReport>;
}

/** One athlete's coaching loop: the current plan's versions, rides matched to it, events. */
export interface CoachingRepository {
  currentPlanVersion(): Promise<PlanVersion | null>;
  planVersions(): Promise<PlanVersion[]>;
  savePlanVersion(next: Omit<PlanVersion, 'version' | 'createdAt'>): Promise<PlanVersion>;
  saveMatch(match: WorkoutMatch, planVersion: number): Promise<void>;
  matches(): Promise<WorkoutMatch[]>;
  matchOf(activityId: string): Promise<WorkoutMatch | null>;
  events(): Promise<AthleteEvent[]>;
  addEvent(event: { date: string; priority: EventPriority; name: string }): Promise<AthleteEvent>;
  removeEvent(eventId: string): Promise<AthleteEvent | null>;
}

/** A weekly check-in that is due: its settings and whose it is. */
export interface DueCheckin extends CheckinSettings {
  athleteId: string;
}

/** One athlete's weekly check-in settings. */
export interface CheckinRepository {
  checkin(): Promise<CheckinSettings | null>;
  setCheckin(settings: Partial<CheckinSettings>): Promise<CheckinSettings>;
}

/** The check-in ticker's queries, across athletes (as for the reminders; the completion is the same). */
export interface CheckinSchedule {
  claimDueCheckins(now: Date, claimant: string, leaseMs?: number, limit?: number): Promise<DueCheckin[]>;
  completeCheckin(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean>;
}

/** One athlete's side of the intervals.icu and Strava sync: connections, remote activities seen, our calendar entries. */
export interface AthleteSyncRepository {
  connection(service: SyncService): Promise<StoredConnection | null>;
  connections(): Promise<StoredConnection[]>;
  /** Upsert on the service; a re-connect keeps the cursor only for the same account on the service. */
  saveConnection(c: NewConnection): Promise<StoredConnection>;
  updateConnection(service: SyncService, changes: ConnectionChanges): Promise<boolean>;
  /** The connection, its unfinished jobs (but a deauthorize), the activities seen and, for intervals.icu, the calendar entries. */
  deleteConnection(service: SyncService): Promise<boolean>;
  /** The connections without their secrets, for `/export`. */
  exportedConnections(): Promise<ExportedConnection[]>;
  syncedActivity(service: SyncService, externalId: string): Promise<{ activityId: string | null } | null>;
  recordSyncedActivity(service: SyncService, externalId: string, activityId: string | null): Promise<void>;
  /** Remote activities of the service that became activities. */
  syncedCount(service: SyncService): Promise<number>;
  externalIdOf(service: SyncService, activityId: string): Promise<string | null>;
  calendarEntries(): Promise<CalendarEntry[]>;
  saveCalendarEntry(e: CalendarEntry): Promise<void>;
  deleteCalendarEntry(externalId: string): Promise<void>;
}

/** The sync's cross-athlete side: the persistent job queue, due polls, OAuth states; every write atomic across processes. */
export interface SyncQueue {
  /** False (nothing written) when a job with the dedupe key exists, in any state. */
  enqueue(job: NewSyncJob): Promise<boolean>;
  claim(now: Date, claimant: string, options?: { limit?: number; leaseMs?: number; services?: SyncService[] }): Promise<SyncJob[]>;
  complete(jobId: string, claimant: string): Promise<boolean>;
  retry(jobId: string, claimant: string, runAfter: Date, error: string): Promise<boolean>;
  fail(jobId: string, claimant: string, error: string): Promise<boolean>;
  postpone(service: SyncService, until: Date, athleteId?: string): Promise<number>;
  nextDue(): Promise<Date | null>;
  batchProgress(athleteId: string, batch: string): Promise<BatchProgress>;
  claimDuePolls(now: Date, intervalMs: number, limit?: number): Promise<{ athleteId: string; connection: StoredConnection }[]>;
  athleteByExternalId(service: SyncService, externalAthleteId: string): Promise<string | null>;
  saveOAuthState(state: string, v: OAuthState & { expiresAt: Date }): Promise<void>;
  takeOAuthState(state: string, now: Date): Promise<OAuthState | null>;
  pruneJobs(before: Date): Promise<number>;
}

/** An update received and not handled yet, as claimed. */
export interface InboxUpdate {
  updateId: number;
  /** The update as received. */
  payload: unknown;
  receivedAt: Date;
}

/** A claim: who handles the update, and for how long before another process may take it over. */
export interface InboxClaim {
  claimant: string;
  leaseMs: number;
}

/**
 * The inbox of pushed chat updates (Telegram's webhook), across athletes: stored before the
 * platform gets its 200, deduplicated by its update id, claimed under a lease so that two
 * processes on one database never handle one update. Every method resolves once the database has it.
 */
export interface ChatUpdates {
  /**
   * Stores an update as received (its JSON text), claimed at once when `claim` is given; false,
   * and nothing written, when the transport already has this update id (a redelivery).
   */
  receive(transport: string, updateId: number, payload: string, claim: InboxClaim | null): Promise<boolean>;
  /**
   * Claims the updates received and not handled whose claim is free or expired (and, with
   * `own`, those `claimant` already holds — its own, from before it started), oldest id first.
   */
  claimUnhandled(transport: string, claim: InboxClaim, options?: { own?: boolean; limit?: number }): Promise<InboxUpdate[]>;
  /** Extends the claims `claimant` still holds on these updates (they are being handled). */
  renew(transport: string, updateIds: readonly number[], claim: InboxClaim): Promise<void>;
  /** Marks an update handled and drops its payload; false when `claimant` no longer held it. */
  markHandled(transport: string, updateId: number, claimant: string): Promise<boolean>;
  /** Gives back the claims `claimant` holds on updates not handled (a clean stop): the next start takes them at once. */
  release(transport: string, claimant: string): Promise<number>;
  /** Deletes the handled updates received before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

/** A port's synchronous form: what the SQLite repositories implement (better-sqlite3 is synchronous). */
export type Blocking<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};

/**
 * Lifts a synchronous repository to its async port: every method runs at once, as it would have
 * (so the order of writes is the caller's), and its result or error comes back as a promise.
 */
export function lifted<T extends object>(repository: Blocking<T>): T {
  return new Proxy(repository as object, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve(value.apply(target, args));
        } catch (error) {
          return Promise.reject(error);
        }
      };
    },
  }) as T;
}
