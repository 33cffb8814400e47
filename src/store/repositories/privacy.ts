/**
 * `/export` and `/forget`: everything held about one athlete, gathered from the other
 * repositories, and deleting it all (rows cascade from the athlete; chat state goes by identity).
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Blocking, CheckinRepository, PrivacyRepository } from '../ports.js';
import type { AthleteExport } from '../records.js';
import * as t from '../schema.js';
import type { SqliteActivityRepository } from './activities.js';
import { streamsForExport } from './activity-rows.js';
import type { SqliteChatStateRepository } from './chat-state.js';
import type { SqliteCoachingRepository } from './coaching.js';
import { identityKeysOf, type SqliteAthleteRepository } from './identities.js';
import type { SqliteProfileRepository } from './profile.js';
import type { SqliteQuestionRepository } from './questions.js';
import type { SqliteReminderRepository } from './reminders.js';
import type { SqliteRunRepository } from './runs.js';
import type { SqliteAthleteSyncRepository } from './sync.js';
import { IMMEDIATE, type AthleteScope } from './scope.js';
import type { SqliteUploadRepository } from './uploads.js';

/** The repositories of one athlete an export reads. */
export interface AthleteRepositories {
  athlete: SqliteAthleteRepository;
  profile: SqliteProfileRepository;
  activities: SqliteActivityRepository;
  uploads: SqliteUploadRepository;
  runs: SqliteRunRepository;
  reminders: SqliteReminderRepository;
  questions: SqliteQuestionRepository;
  chatStates: SqliteChatStateRepository;
  coaching: SqliteCoachingRepository;
  checkins: Blocking<CheckinRepository>;
  sync: SqliteAthleteSyncRepository;
}

export class SqlitePrivacyRepository implements Blocking<PrivacyRepository> {
  constructor(
    private readonly scope: AthleteScope,
    private readonly repos: AthleteRepositories,
  ) {}

  /**
   * Everything held about this athlete. Not the quota counters (`Store.usage`): they are keyed by
   * a hash of the chat identity and hold no personal data — nothing of the athlete to give back.
   */
  export(): AthleteExport {
    const { athlete, profile, activities, uploads, runs, reminders, questions, chatStates, coaching, checkins, sync } = this.repos;
    const stored = activities.allWithStreams();
    const identities = athlete.info().identities;
    return {
      exportedAt: this.scope.clock().toISOString(),
      athlete: athlete.info(),
      profileHistory: profile.profileHistory(),
      activities: stored.map(({ activity, metrics, sources }) => ({
        ...activity,
        metrics,
        sources,
        streams: activity.streams ? streamsForExport(activity.streams) : null,
      })),
      uploads: uploads.uploads(),
      runs: runs.runs(),
      reminder: reminders.reminder(),
      checkin: checkins.checkin(),
      questions: questions.questions(),
      chatState: chatStates.statesOf(identities),
      reportFiles: runs.allReports(),
      planVersions: coaching.planVersions(),
      workoutMatches: coaching.matches(),
      events: coaching.events(),
      connections: sync.exportedConnections(),
    };
  }

  /**
   * Deletes everything held about this athlete (rows cascade from the athlete — the connections and
   * their sealed secrets, the sync jobs and OAuth states too; chat state by identity). Telling a
   * service the access is withdrawn (Strava's deauthorize) is the sync engine's, before this.
   */
  forget(): void {
    const { db, athleteId } = this.scope;
    db.transaction((tx) => {
      const identities = identityKeysOf(tx, athleteId);
      if (identities.length > 0) tx.delete(t.chatState).where(inArray(t.chatState.identityKey, identities)).run();
      tx.delete(t.athletes).where(eq(t.athletes.id, athleteId)).run();
      // The quota counters (usage_events) stay: keyed by a hash of the chat identity, they hold
      // nothing of the athlete, and deleting them would reset the per-day limits.
    }, IMMEDIATE);
    // The write-ahead log still holds the old pages until a checkpoint: fold it in and empty it.
    db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  }
}
