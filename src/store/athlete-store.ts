/**
 * Everything one athlete owns, reached through `store.athlete(id)`: a facade over that athlete's
 * repositories (repositories/), every one of whose queries is scoped by the id — one athlete can
 * never read or change another's rows.
 */
import type { CheckinSettings, PlanVersion } from '../domain/coaching/types.js';
import type { ProfileFields, ProfileVersion } from '../domain/profile.js';
import type { Db } from './database.js';
import {
  lifted,
  type ActivityRepository,
  type AthleteRepository,
  type AthleteSyncRepository,
  type Blocking,
  type CheckinRepository,
  type CoachingRepository,
  type PrivacyRepository,
  type ProfileRepository,
  type QuestionRepository,
  type ReminderRepository,
  type RunRepository,
  type UploadRepository,
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
  private readonly checkins: Blocking<CheckinRepository>;
  /** The coaching loop: current plan versions, rides matched to it, events (repositories/coaching.ts). */
  readonly coaching: CoachingRepository;
  /** The intervals.icu and Strava sync: connections (secrets sealed), remote rides seen, calendar entries (repositories/sync.ts). */
  readonly sync: AthleteSyncRepository;

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
    this.sync = lifted<AthleteSyncRepository>(this.repos.sync);
    this.coaching = lifted<CoachingRepository>(this.repos.coaching);
    this.checkins = this.repos.checkins;
    this.privacy = new SqlitePrivacyRepository(scope, this.repos);
  }

  async info(): Promise<r.AthleteRecord> {
    return this.repos.athlete.info();
  }

  async update(changes: Partial<Pick<r.AthleteRecord, 'displayName' | 'timeZone' | 'units'>>): Promise<r.AthleteRecord> {
    return this.repos.athlete.update(changes);
  }

  /** Links another chat identity (e.g. the same person on Discord) to this athlete. */
  async linkIdentity(identityKey: string): Promise<void> {
    this.repos.athlete.linkIdentity(identityKey);
  }

  // ---- profile ----

  async profileHistory(): Promise<ProfileVersion[]> {
    return this.repos.profile.profileHistory();
  }

  /** The profile valid on `date` (see `profileAt` in the domain). */
  async profileAt(date: Date): Promise<ProfileVersion | null> {
    return this.repos.profile.profileAt(date);
  }

  async currentProfile(): Promise<ProfileVersion | null> {
    return this.repos.profile.currentProfile();
  }

  /** Saves a change at `validFrom` (default now); see SqliteProfileRepository.updateProfile. */
  async updateProfile(changes: Partial<ProfileFields>, validFrom?: Date): Promise<ProfileVersion> {
    return this.repos.profile.updateProfile(changes, validFrom);
  }

  // ---- activities and uploads ----

  /**
   * Records one upload in one transaction: new activities are inserted, the same file or row
   * again is a duplicate, and the same activity from another source is merged into one row
   * (the policy: src/domain/activity-merge.ts).
   */
  async recordUpload(fileNames: string[], batch: r.UploadBatch, hooks: r.UploadHooks = {}): Promise<r.UploadSummary> {
    return this.repos.uploads.recordUpload(fileNames, batch, hooks);
  }

  /** Activities that started in [from, to), oldest first. Streams only when asked for. */
  async activitiesBetween(from: Date, to: Date, options: { streams?: boolean } = {}): Promise<r.StoredActivity[]> {
    return this.repos.activities.activitiesBetween(from, to, options);
  }

  async activity(activityId: string, options: { streams?: boolean } = { streams: true }): Promise<r.StoredActivity | null> {
    return this.repos.activities.activity(activityId, options);
  }

  async activityCount(): Promise<number> {
    return this.repos.activities.activityCount();
  }

  /** The newest `limit` activities, newest first, without streams (the /activities list). */
  async recentActivities(limit: number): Promise<r.StoredActivity[]> {
    return this.repos.activities.recentActivities(limit);
  }

  /** Ids of this athlete's activities that start with `prefix` (the short ids chat shows). */
  async activityIdsStartingWith(prefix: string): Promise<string[]> {
    return this.repos.activities.activityIdsStartingWith(prefix);
  }

  /** Every activity's id and last change, ordered by id: what an analysis' input hash covers. */
  async activityVersions(): Promise<{ id: string; updatedAt: number; sourceHash: string }[]> {
    return this.repos.activities.activityVersions();
  }

  /** Deletes one activity and marks the finished runs that read it stale; null when there is no such activity. */
  async deleteActivity(activityId: string, reason: string): Promise<{ staleRunIds: string[] } | null> {
    return this.repos.activities.deleteActivity(activityId, reason);
  }

  /** Every upload, oldest first. */
  async uploads(): Promise<r.UploadRecord[]> {
    return this.repos.uploads.uploads();
  }

  // ---- questions to the coach ----

  async recordQuestion(q: r.QuestionRecord): Promise<void> {
    this.repos.questions.recordQuestion(q);
  }

  /** Questions answered since `since` (the daily limit counts questions asked: `Store.usage`). */
  async questionsSince(since: Date): Promise<number> {
    return this.repos.questions.questionsSince(since);
  }

  /** Every question, oldest first. */
  async questions(): Promise<(r.QuestionRecord & { askedAt: Date })[]> {
    return this.repos.questions.questions();
  }

  // ---- runs and reports ----

  async startRun(options: r.StartRunOptions = {}): Promise<r.RunRecord> {
    return this.repos.runs.startRun(options);
  }

  async markRunning(runId: string): Promise<void> {
    this.repos.runs.markRunning(runId);
  }

  async finishPhase(runId: string, phase: r.PhaseCompletion): Promise<void> {
    this.repos.runs.finishPhase(runId, phase);
  }

  async finishRun(runId: string, result: r.RunCompletion): Promise<r.RunRecord> {
    return this.repos.runs.finishRun(runId, result);
  }

  async run(runId: string): Promise<r.RunRecord | null> {
    return this.repos.runs.run(runId);
  }

  /** Every run, newest first. */
  async runs(): Promise<r.RunRecord[]> {
    return this.repos.runs.runs();
  }

  /** The newest run, optionally with a given status (e.g. the latest `done` for "resend the report"). */
  async latestRun(status?: r.RunStatus): Promise<r.RunRecord | null> {
    return this.repos.runs.latestRun(status);
  }

  /** The newest finished (`done`) run that has report files, in one query (`/plan`, `/report`, questions). */
  async latestReportedRun(): Promise<r.RunRecord | null> {
    return this.repos.runs.latestReportedRun();
  }

  async saveReports(runId: string, files: r.ReportFile[]): Promise<void> {
    this.repos.runs.saveReports(runId, files);
  }

  async reports(runId: string): Promise<r.ReportFile[]> {
    return this.repos.runs.reports(runId);
  }

  /** One report file of a run (e.g. its plan), if it has it. */
  async reportFile(runId: string, fileName: string): Promise<r.ReportFile | null> {
    return this.repos.runs.reportFile(runId, fileName);
  }

  /** One report file of `latestReportedRun()` (e.g. the current plan), in one query. */
  async latestReportedFile(fileName: string): Promise<r.ReportFile | null> {
    return this.repos.runs.latestReportedFile(fileName);
  }

  // ---- reminders ----

  async reminder(): Promise<r.ReminderSettings | null> {
    return this.repos.reminders.reminder();
  }

  async setReminder(settings: Partial<r.ReminderSettings>): Promise<r.ReminderSettings> {
    return this.repos.reminders.setReminder(settings);
  }

  // ---- weekly check-in ----

  /** The weekly check-in's settings, or null when the athlete never had check-ins. */
  async checkin(): Promise<CheckinSettings | null> {
    return this.checkins.checkin();
  }

  async setCheckin(settings: Partial<CheckinSettings>): Promise<CheckinSettings> {
    return this.checkins.setCheckin(settings);
  }

  // ---- privacy ----

  /** Everything held about this athlete (not the quota counters: they hold nothing of the athlete). */
  async export(): Promise<r.AthleteExport> {
    return this.privacy.export();
  }

  /** Deletes everything held about this athlete (rows cascade from the athlete; chat state by identity). */
  async forget(): Promise<void> {
    this.privacy.forget();
  }
}
