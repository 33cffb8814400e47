/**
 * Everything one athlete owns, reached through `store.athlete(id)`: a facade over that athlete's
 * repositories (repositories/), every one of whose queries is scoped by the id — one athlete can
 * never read or change another's rows.
 */
import type { CheckinSettings, PlanVersion } from '../domain/coaching/types.js';
import type { ProfileFields, ProfileVersion } from '../domain/profile.js';
import type { Db } from './database.js';
import type {
  ActivityRepository,
  AthleteRepository,
  CheckinRepository,
  PrivacyRepository,
  ProfileRepository,
  QuestionRepository,
  ReminderRepository,
  RunRepository,
  UploadRepository,
} from './ports.js';
import type * as r from './records.js';
import { SqliteActivityRepository } from './repositories/activities.js';
import { SqliteChatStateRepository } from './repositories/chat-state.js';
import { checkinRepository } from './repositories/checkins.js';
import { SqliteCoachingRepository, type NewPlanVersion } from './repositories/coaching.js';
import { SqliteAthleteRepository } from './repositories/identities.js';
import { SqlitePrivacyRepository, type AthleteRepositories } from './repositories/privacy.js';
import { SqliteProfileRepository } from './repositories/profile.js';
import { SqliteQuestionRepository } from './repositories/questions.js';
import { SqliteReminderRepository } from './repositories/reminders.js';
import { SqliteRunRepository } from './repositories/runs.js';
import { SqliteAthleteSyncRepository } from './repositories/sync.js';
import { SqliteUploadRepository } from './repositories/uploads.js';

/** Told of every plan version saved through a store (`Store.onPlanVersion`): the sync pushes the calendar. */
export type PlanVersionListener = (athleteId: string, version: PlanVersion) => void;

/** The coaching repository, telling the listeners of each version it stored (after the transaction). */
class ObservedCoachingRepository extends SqliteCoachingRepository {
  private readonly owner: string;

  constructor(
    scope: ConstructorParameters<typeof SqliteCoachingRepository>[0],
    private readonly listeners: readonly PlanVersionListener[],
  ) {
    super(scope);
    this.owner = scope.athleteId;
  }

  override savePlanVersion(next: NewPlanVersion): PlanVersion {
    const saved = super.savePlanVersion(next);
    for (const listener of this.listeners) {
      try {
        listener(this.owner, saved);
      } catch {
        // The version is stored: a listener's failure (it logs its own) must not make the save look failed.
      }
    }
    return saved;
  }
}

export class AthleteStore
  implements
    AthleteRepository,
    ProfileRepository,
    ActivityRepository,
    UploadRepository,
    RunRepository,
    QuestionRepository,
    ReminderRepository,
    CheckinRepository,
    PrivacyRepository
{
  private readonly repos: AthleteRepositories;
  private readonly privacy: SqlitePrivacyRepository;
  private readonly checkins: CheckinRepository;
  /** The coaching loop: current plan versions, rides matched to it, events (repositories/coaching.ts). */
  readonly coaching: SqliteCoachingRepository;
  /** The intervals.icu and Strava sync: connections (secrets sealed), remote rides seen, calendar entries (repositories/sync.ts). */
  readonly sync: SqliteAthleteSyncRepository;

  constructor(
    db: Db,
    readonly athleteId: string,
    clock: r.Clock,
    planListeners: readonly PlanVersionListener[] = [],
  ) {
    const scope = { db, athleteId, clock };
    const athlete = new SqliteAthleteRepository(scope);
    this.repos = {
      athlete,
      profile: new SqliteProfileRepository(scope),
      activities: new SqliteActivityRepository(scope),
      uploads: new SqliteUploadRepository(scope),
      runs: new SqliteRunRepository(scope),
      reminders: new SqliteReminderRepository(scope, () => athlete.info().timeZone),
      questions: new SqliteQuestionRepository(scope),
      chatStates: new SqliteChatStateRepository(db, clock),
      coaching: new ObservedCoachingRepository(scope, planListeners),
      checkins: checkinRepository(scope, () => athlete.info().timeZone),
      sync: new SqliteAthleteSyncRepository(scope),
    };
    this.sync = this.repos.sync;
    this.coaching = this.repos.coaching;
    this.checkins = this.repos.checkins;
    this.privacy = new SqlitePrivacyRepository(scope, this.repos);
  }

  info(): r.AthleteRecord {
    return this.repos.athlete.info();
  }

  update(changes: Partial<Pick<r.AthleteRecord, 'displayName' | 'timeZone' | 'units'>>): r.AthleteRecord {
    return this.repos.athlete.update(changes);
  }

  /** Links another chat identity (e.g. the same person on Discord) to this athlete. */
  linkIdentity(identityKey: string): void {
    this.repos.athlete.linkIdentity(identityKey);
  }

  // ---- profile ----

  profileHistory(): ProfileVersion[] {
    return this.repos.profile.profileHistory();
  }

  /** The profile valid on `date` (see `profileAt` in the domain). */
  profileAt(date: Date): ProfileVersion | null {
    return this.repos.profile.profileAt(date);
  }

  currentProfile(): ProfileVersion | null {
    return this.repos.profile.currentProfile();
  }

  /** Saves a change at `validFrom` (default now); see SqliteProfileRepository.updateProfile. */
  updateProfile(changes: Partial<ProfileFields>, validFrom?: Date): ProfileVersion {
    return this.repos.profile.updateProfile(changes, validFrom);
  }

  // ---- activities and uploads ----

  /**
   * Records one upload in one transaction: new activities are inserted, the same file or row
   * again is a duplicate, and the same activity from another source is merged into one row
   * (the policy: src/domain/activity-merge.ts).
   */
  recordUpload(fileNames: string[], batch: r.UploadBatch, hooks: r.UploadHooks = {}): r.UploadSummary {
    return this.repos.uploads.recordUpload(fileNames, batch, hooks);
  }

  /** Activities that started in [from, to), oldest first. Streams only when asked for. */
  activitiesBetween(from: Date, to: Date, options: { streams?: boolean } = {}): r.StoredActivity[] {
    return this.repos.activities.activitiesBetween(from, to, options);
  }

  activity(activityId: string, options: { streams?: boolean } = { streams: true }): r.StoredActivity | null {
    return this.repos.activities.activity(activityId, options);
  }

  activityCount(): number {
    return this.repos.activities.activityCount();
  }

  /** The newest `limit` activities, newest first, without streams (the /activities list). */
  recentActivities(limit: number): r.StoredActivity[] {
    return this.repos.activities.recentActivities(limit);
  }

  /** Ids of this athlete's activities that start with `prefix` (the short ids chat shows). */
  activityIdsStartingWith(prefix: string): string[] {
    return this.repos.activities.activityIdsStartingWith(prefix);
  }

  /** Every activity's id and last change, ordered by id: what an analysis' input hash covers. */
  activityVersions(): { id: string; updatedAt: number; sourceHash: string }[] {
    return this.repos.activities.activityVersions();
  }

  /** Deletes one activity and marks the finished runs that read it stale; null when there is no such activity. */
  deleteActivity(activityId: string, reason: string): { staleRunIds: string[] } | null {
    return this.repos.activities.deleteActivity(activityId, reason);
  }

  /** Every upload, oldest first. */
  uploads(): r.UploadRecord[] {
    return this.repos.uploads.uploads();
  }

  // ---- questions to the coach ----

  recordQuestion(q: r.QuestionRecord): void {
    this.repos.questions.recordQuestion(q);
  }

  /** Questions answered since `since` (the daily limit counts questions asked: `Store.usage`). */
  questionsSince(since: Date): number {
    return this.repos.questions.questionsSince(since);
  }

  /** Every question, oldest first. */
  questions(): (r.QuestionRecord & { askedAt: Date })[] {
    return this.repos.questions.questions();
  }

  // ---- runs and reports ----

  startRun(options: r.StartRunOptions = {}): r.RunRecord {
    return this.repos.runs.startRun(options);
  }

  markRunning(runId: string): void {
    this.repos.runs.markRunning(runId);
  }

  finishPhase(runId: string, phase: r.PhaseCompletion): void {
    this.repos.runs.finishPhase(runId, phase);
  }

  finishRun(runId: string, result: r.RunCompletion): r.RunRecord {
    return this.repos.runs.finishRun(runId, result);
  }

  run(runId: string): r.RunRecord | null {
    return this.repos.runs.run(runId);
  }

  /** Every run, newest first. */
  runs(): r.RunRecord[] {
    return this.repos.runs.runs();
  }

  /** The newest run, optionally with a given status (e.g. the latest `done` for "resend the report"). */
  latestRun(status?: r.RunStatus): r.RunRecord | null {
    return this.repos.runs.latestRun(status);
  }

  /** The newest finished (`done`) run that has report files, in one query (`/plan`, `/report`, questions). */
  latestReportedRun(): r.RunRecord | null {
    return this.repos.runs.latestReportedRun();
  }

  saveReports(runId: string, files: r.ReportFile[]): void {
    this.repos.runs.saveReports(runId, files);
  }

  reports(runId: string): r.ReportFile[] {
    return this.repos.runs.reports(runId);
  }

  /** One report file of a run (e.g. its plan), if it has it. */
  reportFile(runId: string, fileName: string): r.ReportFile | null {
    return this.repos.runs.reportFile(runId, fileName);
  }

  /** One report file of `latestReportedRun()` (e.g. the current plan), in one query. */
  latestReportedFile(fileName: string): r.ReportFile | null {
    return this.repos.runs.latestReportedFile(fileName);
  }

  // ---- reminders ----

  reminder(): r.ReminderSettings | null {
    return this.repos.reminders.reminder();
  }

  setReminder(settings: Partial<r.ReminderSettings>): r.ReminderSettings {
    return this.repos.reminders.setReminder(settings);
  }

  // ---- weekly check-in ----

  /** The weekly check-in's settings, or null when the athlete never had check-ins. */
  checkin(): CheckinSettings | null {
    return this.checkins.checkin();
  }

  setCheckin(settings: Partial<CheckinSettings>): CheckinSettings {
    return this.checkins.setCheckin(settings);
  }

  // ---- privacy ----

  /** Everything held about this athlete (not the quota counters: they hold nothing of the athlete). */
  export(): r.AthleteExport {
    return this.privacy.export();
  }

  /** Deletes everything held about this athlete (rows cascade from the athlete; chat state by identity). */
  forget(): void {
    this.privacy.forget();
  }
}
