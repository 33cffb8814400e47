/**
 * Everything one athlete owns, reached through `store.athlete(id)`: a facade over that athlete's
 * repositories (repositories/), every one of whose queries is scoped by the id — one athlete can
 * never read or change another's rows.
 */
import type { CheckinSettings, PlanVersion } from '../domain/coaching/types.js';
import type { ProfileFields, ProfileVersion } from '../domain/profile.js';
import type { AthletePorts } from './engine.js';
import type {
  ActivityRepository,
  AthleteRepository,
  AthleteSyncRepository,
  CheckinRepository,
  CoachingRepository,
  PrivacyRepository,
  ProfileRepository,
  QuestionRepository,
  ReminderRepository,
  RunRepository,
  UploadRepository,
} from './ports.js';
import type * as r from './records.js';

/** Told of every plan version saved through a store (`Store.onPlanVersion`): the sync pushes the calendar. */
export type PlanVersionListener = (athleteId: string, version: PlanVersion) => void;

/** The coaching repository, telling the listeners of each version once it is stored. */
function observed(coaching: CoachingRepository, athleteId: string, listeners: readonly PlanVersionListener[]): CoachingRepository {
  return new Proxy(coaching, {
    get(target, key, receiver) {
      if (key !== 'savePlanVersion') return Reflect.get(target, key, receiver) as unknown;
      return async (next: Parameters<CoachingRepository['savePlanVersion']>[0]) => {
        const saved = await target.savePlanVersion(next);
        for (const listener of listeners) {
          try {
            listener(athleteId, saved);
          } catch {
            // The version is stored: a listener's failure (it logs its own) must not make the save look failed.
          }
        }
        return saved;
      };
    },
  });
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
  /** The coaching loop: current plan versions, rides matched to it, events (repositories/coaching.ts). */
  readonly coaching: CoachingRepository;
  /** The intervals.icu and Strava sync: connections (secrets sealed), remote rides seen, calendar entries (repositories/sync.ts). */
  readonly sync: AthleteSyncRepository;

  constructor(
    private readonly repos: AthletePorts,
    readonly athleteId: string,
    planListeners: readonly PlanVersionListener[] = [],
  ) {
    this.sync = repos.sync;
    this.coaching = observed(repos.coaching, athleteId, planListeners);
  }

  async info(): Promise<r.AthleteRecord> {
    return this.repos.athlete.info();
  }

  async update(changes: Partial<Pick<r.AthleteRecord, 'displayName' | 'timeZone' | 'units'>>): Promise<r.AthleteRecord> {
    return this.repos.athlete.update(changes);
  }

  /** Links another chat identity (e.g. the same person on Discord) to this athlete. */
  async linkIdentity(identityKey: string): Promise<void> {
    await this.repos.athlete.linkIdentity(identityKey);
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
    await this.repos.questions.recordQuestion(q);
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
    await this.repos.runs.markRunning(runId);
  }

  async finishPhase(runId: string, phase: r.PhaseCompletion): Promise<void> {
    await this.repos.runs.finishPhase(runId, phase);
  }

  async finishRun(runId: string, result: r.RunCompletion): Promise<r.RunRecord> {
    return this.repos.runs.finishRun(runId, result);
  }

  /** Stamps the run delivered unless it already is; true when this call stamped it (see RunRepository). */
  async markDelivered(runId: string): Promise<boolean> {
    return this.repos.runs.markDelivered(runId);
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
    await this.repos.runs.saveReports(runId, files);
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
    return this.repos.checkins.checkin();
  }

  async setCheckin(settings: Partial<CheckinSettings>): Promise<CheckinSettings> {
    return this.repos.checkins.setCheckin(settings);
  }

  // ---- privacy ----

  /** Everything held about this athlete (not the quota counters: they hold nothing of the athlete). */
  async export(): Promise<r.AthleteExport> {
    return this.repos.privacy.export();
  }

  /** Deletes everything held about this athlete (rows cascade from the athlete; chat state by identity). */
  async forget(): Promise<void> {
    await this.repos.privacy.forget();
  }
}
