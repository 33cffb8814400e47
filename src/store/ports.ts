/**
 * The repositories, one per aggregate, as interfaces: what a database adapter implements. The
 * SQLite classes under repositories/ implement them today; a PostgreSQL adapter can implement the
 * same later. Repositories named "athlete …" are scoped to one athlete (every query carries its
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
  athleteForIdentity(identityKey: string, displayName: string): AthleteRecord;
  /** Finds an athlete by identity without creating one. */
  findByIdentity(identityKey: string): AthleteRecord | null;
  /** The chat identity whose dialogue holds this unexpired link code, if any. */
  findLinkCode(code: string, now: Date): { identityKey: string; athleteId: string } | null;
  /** Moves a chat identity to another athlete; the athlete it leaves is deleted when no identity is left to it. */
  moveIdentity(identityKey: string, toAthleteId: string): void;
}

/** One athlete's own row and identities. */
export interface AthleteRepository {
  info(): AthleteRecord;
  update(changes: Partial<Pick<AthleteRecord, 'displayName' | 'timeZone' | 'units'>>): AthleteRecord;
  linkIdentity(identityKey: string): void;
}

/** One athlete's profile history (FTP, weight, … each valid from a date). */
export interface ProfileRepository {
  profileHistory(): ProfileVersion[];
  profileAt(date: Date): ProfileVersion | null;
  currentProfile(): ProfileVersion | null;
  updateProfile(changes: Partial<ProfileFields>, validFrom?: Date): ProfileVersion;
}

/** One athlete's activities, as read. */
export interface ActivityRepository {
  activitiesBetween(from: Date, to: Date, options?: { streams?: boolean }): StoredActivity[];
  activity(activityId: string, options?: { streams?: boolean }): StoredActivity | null;
  activityCount(): number;
  recentActivities(limit: number): StoredActivity[];
  activityIdsStartingWith(prefix: string): string[];
  activityVersions(): { id: string; updatedAt: number; sourceHash: string }[];
  deleteActivity(activityId: string, reason: string): { staleRunIds: string[] } | null;
}

/** One athlete's uploads: recording one applies the dedupe/merge policy (src/domain/activity-merge.ts). */
export interface UploadRepository {
  recordUpload(fileNames: string[], batch: UploadBatch, hooks?: UploadHooks): UploadSummary;
  uploads(): UploadRecord[];
}

/** One athlete's analysis runs, their phases and report files. */
export interface RunRepository {
  startRun(options?: StartRunOptions): RunRecord;
  markRunning(runId: string): void;
  finishPhase(runId: string, phase: PhaseCompletion): void;
  finishRun(runId: string, result: RunCompletion): RunRecord;
  run(runId: string): RunRecord | null;
  runs(): RunRecord[];
  latestRun(status?: RunStatus): RunRecord | null;
  /** The newest finished (`done`) run that has report files: one query. */
  latestReportedRun(): RunRecord | null;
  saveReports(runId: string, files: ReportFile[]): void;
  reports(runId: string): ReportFile[];
  /** One report file of a run, if it has it. */
  reportFile(runId: string, fileName: string): ReportFile | null;
  /** One report file of `latestReportedRun()`, if it has it: one query. */
  latestReportedFile(fileName: string): ReportFile | null;
}

/** One athlete's questions to the coach (tokens and cost; the words live in the chat state). */
export interface QuestionRepository {
  recordQuestion(q: QuestionRecord): void;
  questionsSince(since: Date): number;
  questions(): (QuestionRecord & { askedAt: Date })[];
}

/** One athlete's monthly reminder settings. */
export interface ReminderRepository {
  reminder(): ReminderSettings | null;
  setReminder(settings: Partial<ReminderSettings>): ReminderSettings;
}

/** The reminder ticker's queries, across athletes. */
export interface ReminderSchedule {
  dueReminders(now: Date): DueReminder[];
  claimDueReminders(now: Date, claimant: string, leaseMs?: number, limit?: number): DueReminder[];
  completeReminder(athleteId: string, claimant: string, result: ReminderCompletion): boolean;
}

/** Whatever a conversation keeps across restarts, by chat identity. */
export interface ChatStateRepository {
  getChatState(identityKey: string): Record<string, unknown> | null;
  setChatState(identityKey: string, state: Record<string, unknown>, athleteId?: string | null): void;
}

/** `/export` and `/forget` of one athlete. */
export interface PrivacyRepository {
  export(): AthleteExport;
  forget(): void;
}

/** The operator's side: start-up repairs, backups, checks. */
export interface Maintenance {
  interruptUnfinishedRuns(): { athleteId: string; runId: string }[];
  refreshStaleMetrics(): number;
  backup(path: string): Promise<void>;
  checksum(): string;
  quickCheck(): string;
  check(): IntegrityReport;
}

/** One athlete's coaching loop: the current plan's versions, rides matched to it, events. */
export interface CoachingRepository {
  currentPlanVersion(): PlanVersion | null;
  planVersions(): PlanVersion[];
  savePlanVersion(next: Omit<PlanVersion, 'version' | 'createdAt'>): PlanVersion;
  saveMatch(match: WorkoutMatch, planVersion: number): void;
  matches(): WorkoutMatch[];
  matchOf(activityId: string): WorkoutMatch | null;
  events(): AthleteEvent[];
  addEvent(event: { date: string; priority: EventPriority; name: string }): AthleteEvent;
  removeEvent(eventId: string): AthleteEvent | null;
}

/** A weekly check-in that is due: its settings and whose it is. */
export interface DueCheckin extends CheckinSettings {
  athleteId: string;
}

/** One athlete's weekly check-in settings. */
export interface CheckinRepository {
  checkin(): CheckinSettings | null;
  setCheckin(settings: Partial<CheckinSettings>): CheckinSettings;
}

/** The check-in ticker's queries, across athletes (as for the reminders; the completion is the same). */
export interface CheckinSchedule {
  claimDueCheckins(now: Date, claimant: string, leaseMs?: number, limit?: number): DueCheckin[];
  completeCheckin(athleteId: string, claimant: string, result: ReminderCompletion): boolean;
}

/** One athlete's side of the intervals.icu and Strava sync: connections, remote activities seen, our calendar entries. */
export interface AthleteSyncRepository {
  connection(service: SyncService): StoredConnection | null;
  connections(): StoredConnection[];
  /** Upsert on the service; a re-connect keeps the cursor only for the same account on the service. */
  saveConnection(c: NewConnection): StoredConnection;
  updateConnection(service: SyncService, changes: ConnectionChanges): boolean;
  /** The connection, its unfinished jobs (but a deauthorize), the activities seen and, for intervals.icu, the calendar entries. */
  deleteConnection(service: SyncService): boolean;
  /** The connections without their secrets, for `/export`. */
  exportedConnections(): ExportedConnection[];
  syncedActivity(service: SyncService, externalId: string): { activityId: string | null } | null;
  recordSyncedActivity(service: SyncService, externalId: string, activityId: string | null): void;
  /** Remote activities of the service that became activities. */
  syncedCount(service: SyncService): number;
  externalIdOf(service: SyncService, activityId: string): string | null;
  calendarEntries(): CalendarEntry[];
  saveCalendarEntry(e: CalendarEntry): void;
  deleteCalendarEntry(externalId: string): void;
}

/** The sync's cross-athlete side: the persistent job queue, due polls, OAuth states; every write atomic across processes. */
export interface SyncQueue {
  /** False (nothing written) when a job with the dedupe key exists, in any state. */
  enqueue(job: NewSyncJob): boolean;
  claim(now: Date, claimant: string, options?: { limit?: number; leaseMs?: number; services?: SyncService[] }): SyncJob[];
  complete(jobId: string, claimant: string): boolean;
  retry(jobId: string, claimant: string, runAfter: Date, error: string): boolean;
  fail(jobId: string, claimant: string, error: string): boolean;
  postpone(service: SyncService, until: Date, athleteId?: string): number;
  nextDue(): Date | null;
  batchProgress(athleteId: string, batch: string): BatchProgress;
  claimDuePolls(now: Date, intervalMs: number, limit?: number): { athleteId: string; connection: StoredConnection }[];
  athleteByExternalId(service: SyncService, externalAthleteId: string): string | null;
  saveOAuthState(state: string, v: OAuthState & { expiresAt: Date }): void;
  takeOAuthState(state: string, now: Date): OAuthState | null;
  pruneJobs(before: Date): number;
}
