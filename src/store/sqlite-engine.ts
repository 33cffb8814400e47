/**
 * The embedded engine: one SQLite file (database.ts) and the repositories under repositories/,
 * synchronous inside (better-sqlite3), each lifted to the async ports the facades use.
 */
import { openDatabase, type OpenedDatabase, type OpenOptions } from './database.js';
import type { AthletePorts, StoreEngine, UsageEvents } from './engine.js';
import {
  lifted,
  type ActivityRepository,
  type AthleteRepository,
  type AthleteSyncRepository,
  type CheckinRepository,
  type CoachingRepository,
  type PrivacyRepository,
  type ProfileRepository,
  type QuestionRepository,
  type ReminderRepository,
  type RunRepository,
  type UploadRepository,
  type ChatStateRepository,
  type ChatUpdates,
  type CheckinSchedule,
  type IdentityDirectory,
  type Maintenance,
  type ReminderSchedule,
  type SyncQueue,
} from './ports.js';
import type { Clock } from './records.js';
import { SqliteActivityRepository } from './repositories/activities.js';
import { SqliteChatStateRepository } from './repositories/chat-state.js';
import { SqliteChatUpdates } from './repositories/chat-updates.js';
import { checkinRepository, checkinSchedule } from './repositories/checkins.js';
import { SqliteCoachingRepository } from './repositories/coaching.js';
import { SqliteAthleteRepository, SqliteIdentityDirectory } from './repositories/identities.js';
import { SqliteMaintenance } from './repositories/integrity.js';
import { SqlitePrivacyRepository, type AthleteRepositories } from './repositories/privacy.js';
import { SqliteProfileRepository } from './repositories/profile.js';
import { SqliteQuestionRepository } from './repositories/questions.js';
import { SqliteReminderRepository, SqliteReminderSchedule } from './repositories/reminders.js';
import { SqliteRunRepository } from './repositories/runs.js';
import { SqliteAthleteSyncRepository } from './repositories/sync.js';
import { SqliteSyncQueue } from './repositories/sync-queue.js';
import { SqliteUploadRepository } from './repositories/uploads.js';
import { UsageCounters } from './usage-counters.js';

export class SqliteEngine implements StoreEngine {
  readonly kind = 'sqlite';
  readonly identities: IdentityDirectory;
  readonly chatStates: ChatStateRepository;
  readonly reminders: ReminderSchedule;
  readonly checkins: CheckinSchedule;
  readonly maintenance: Maintenance;
  readonly sync: SyncQueue;
  readonly updates: ChatUpdates;
  readonly usage: UsageEvents;

  private constructor(
    readonly opened: OpenedDatabase,
    private readonly clock: Clock,
  ) {
    const { db } = opened;
    this.identities = lifted<IdentityDirectory>(new SqliteIdentityDirectory(db, clock));
    this.chatStates = lifted<ChatStateRepository>(new SqliteChatStateRepository(db, clock));
    this.reminders = lifted<ReminderSchedule>(new SqliteReminderSchedule(db, clock));
    this.checkins = lifted<CheckinSchedule>(checkinSchedule(db, clock));
    this.maintenance = lifted<Maintenance>(new SqliteMaintenance(opened, clock));
    this.sync = lifted<SyncQueue>(new SqliteSyncQueue(db, clock));
    this.updates = new SqliteChatUpdates(db, clock);
    this.usage = lifted<UsageEvents>(new UsageCounters(db, clock));
  }

  /**
   * Opens (creating and migrating if needed) the file at `path`, then the start-up repairs: stored
   * metrics of an older definition refreshed, expired quota events pruned. A failed open closes the file.
   */
  static open(path: string, clock: Clock, options: OpenOptions = {}): SqliteEngine {
    const opened = openDatabase(path, options);
    try {
      const engine = new SqliteEngine(opened, clock);
      new SqliteMaintenance(opened, clock).refreshStaleMetrics();
      // (A database opened with an older migrations folder — tests do — has no counters to prune.)
      if (opened.sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'usage_events'").get())
        new UsageCounters(opened.db, clock).prune(clock());
      return engine;
    } catch (error) {
      opened.close();
      throw error;
    }
  }

  get location(): string {
    return this.opened.path;
  }

  athlete(athleteId: string): AthletePorts {
    const scope = { db: this.opened.db, athleteId, clock: this.clock };
    const athlete = new SqliteAthleteRepository(scope);
    const timeZone = () => athlete.info().timeZone;
    const repos: AthleteRepositories = {
      athlete,
      profile: new SqliteProfileRepository(scope),
      activities: new SqliteActivityRepository(scope),
      uploads: new SqliteUploadRepository(scope),
      runs: new SqliteRunRepository(scope),
      reminders: new SqliteReminderRepository(scope, timeZone),
      questions: new SqliteQuestionRepository(scope),
      chatStates: new SqliteChatStateRepository(this.opened.db, this.clock),
      coaching: new SqliteCoachingRepository(scope),
      checkins: checkinRepository(scope, timeZone),
      sync: new SqliteAthleteSyncRepository(scope),
    };
    return {
      athlete: lifted<AthleteRepository>(repos.athlete),
      profile: lifted<ProfileRepository>(repos.profile),
      activities: lifted<ActivityRepository>(repos.activities),
      uploads: lifted<UploadRepository>(repos.uploads),
      runs: lifted<RunRepository>(repos.runs),
      questions: lifted<QuestionRepository>(repos.questions),
      reminders: lifted<ReminderRepository>(repos.reminders),
      checkins: lifted<CheckinRepository>(repos.checkins),
      coaching: lifted<CoachingRepository>(repos.coaching),
      sync: lifted<AthleteSyncRepository>(repos.sync),
      privacy: lifted<PrivacyRepository>(new SqlitePrivacyRepository(scope, repos)),
    };
  }

  async close(): Promise<void> {
    this.opened.close();
  }
}
