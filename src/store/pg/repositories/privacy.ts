/**
 * `/export` and `/forget` on PostgreSQL, mirroring ../../repositories/privacy.ts: everything held
 * about one athlete, gathered from the other repositories, and deleting it all (rows cascade from
 * the athlete — the PostgreSQL schema declares the same ON DELETE CASCADE foreign keys as SQLite's;
 * chat state goes by identity).
 */
import { eq, inArray } from 'drizzle-orm';
import type {
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
} from '../../ports.js';
import type { AthleteExport, ReportFile, StoredActivity } from '../../records.js';
import { streamsForExport } from '../../repositories/activity-rows.js';
import * as t from '../schema.js';
import { identityKeysOf } from './identities.js';
import { lockAthlete, type PgAthleteScope } from './scope.js';

/**
 * The repositories of one athlete an export reads: the ports, and the three reads only an export
 * makes (every activity with its streams, every report file, the chat states of given identities).
 */
export interface PgPrivacySources {
  athlete: AthleteRepository;
  profile: ProfileRepository;
  activities: { allWithStreams(): Promise<StoredActivity[]> };
  uploads: UploadRepository;
  runs: RunRepository & { allReports(): Promise<(ReportFile & { runId: string })[]> };
  reminders: ReminderRepository;
  questions: QuestionRepository;
  chatStates: {
    statesOf(identityKeys: string[]): Promise<{ identityKey: string; state: Record<string, unknown>; updatedAt: Date }[]>;
  };
  coaching: CoachingRepository;
  checkins: CheckinRepository;
  sync: AthleteSyncRepository;
}

/** One athlete's export and erasure on PostgreSQL. */
export class PgPrivacyRepository implements PrivacyRepository {
  constructor(
    private readonly scope: PgAthleteScope,
    private readonly repos: PgPrivacySources,
  ) {}

  /**
   * Everything held about this athlete, in the same shape and order as SQLite's. Not the quota
   * counters (usage_events): keyed by a hash of the chat identity, they hold nothing of the athlete.
   * As on SQLite, each part is its own read (no snapshot spans them): an export taken while the
   * athlete uploads may show the ride in one part and not yet in another.
   */
  async export(): Promise<AthleteExport> {
    const { athlete, profile, activities, uploads, runs, reminders, questions, chatStates, coaching, checkins, sync } = this.repos;
    // The identities are needed before the chat states; the rest is read at once, on the pool.
    const info = await athlete.info();
    const [
      profileHistory,
      stored,
      uploaded,
      runList,
      reminder,
      checkin,
      asked,
      chatState,
      reportFiles,
      planVersions,
      workoutMatches,
      events,
      connections,
    ] = await Promise.all([
      profile.profileHistory(),
      activities.allWithStreams(),
      uploads.uploads(),
      runs.runs(),
      reminders.reminder(),
      checkins.checkin(),
      questions.questions(),
      chatStates.statesOf(info.identities),
      runs.allReports(),
      coaching.planVersions(),
      coaching.matches(),
      coaching.events(),
      sync.exportedConnections(),
    ]);
    return {
      exportedAt: this.scope.clock().toISOString(),
      athlete: info,
      profileHistory,
      activities: stored.map(({ activity, metrics, sources }) => ({
        ...activity,
        metrics,
        sources,
        streams: activity.streams ? streamsForExport(activity.streams) : null,
      })),
      uploads: uploaded,
      runs: runList,
      reminder,
      checkin,
      questions: asked,
      chatState,
      reportFiles,
      planVersions,
      workoutMatches,
      events,
      connections,
    };
  }

  /**
   * Deletes everything held about this athlete, in one transaction (rows cascade from the athlete
   * — the connections and their sealed secrets, the sync jobs and OAuth states too; chat state by
   * identity). Telling a service the access is withdrawn (Strava's deauthorize) is the sync
   * engine's, before this.
   *
   * No WAL checkpoint as on SQLite: PostgreSQL's DELETE leaves the rows as dead tuples in the
   * table's pages, reclaimed by VACUUM (autovacuum, soon after) and overwritten only when new rows
   * reuse the space; the write-ahead log, its archive and the base backups keep them for their own
   * retention. So on PostgreSQL /forget removes the data from every query at once, but its bytes
   * may stay on the server's disk for a while — erasing those is the operator's (VACUUM FULL,
   * backup retention), not something one chat request can do (VACUUM cannot run in a transaction).
   */
  async forget(): Promise<void> {
    const { db, athleteId } = this.scope;
    await db.transaction(async (tx) => {
      await lockAthlete(tx, athleteId);
      // The athlete's row locked first: an identity linked meanwhile (its insert needs a share lock
      // on this row) waits and then fails, instead of leaving its chat state behind.
      await tx.select({ id: t.athletes.id }).from(t.athletes).where(eq(t.athletes.id, athleteId)).for('update');
      const identities = await identityKeysOf(tx, athleteId);
      if (identities.length > 0) await tx.delete(t.chatState).where(inArray(t.chatState.identityKey, identities));
      await tx.delete(t.athletes).where(eq(t.athletes.id, athleteId));
      // The quota counters (usage_events) stay: keyed by a hash of the chat identity, they hold
      // nothing of the athlete, and deleting them would reset the per-day limits.
    });
  }
}
