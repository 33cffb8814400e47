/**
 * The PostgreSQL engine: a pool (database.ts) and the repositories under repositories/, natively
 * asynchronous. What SQLite's single writer gives the SQLite repositories — read-then-write
 * transactions in a serial order — they get from a per-athlete advisory lock, and the claims
 * across athletes from `FOR UPDATE SKIP LOCKED`, so any number of processes share one database.
 */
import type { AthletePorts, StoreEngine, UsageEvents } from '../engine.js';
import type { ChatUpdates, CheckinSchedule, IdentityDirectory, Maintenance, ReminderSchedule, SyncQueue } from '../ports.js';
import type { Clock } from '../records.js';
import { openPostgres, type OpenedPostgres, type PostgresOptions } from './database.js';
import { PgActivityRepository, refreshStaleMetricsPg } from './repositories/activities.js';
import { PgChatStateRepository } from './repositories/chat-state.js';
import { PgChatUpdates } from './repositories/chat-updates.js';
import { pgCheckinRepository, pgCheckinSchedule } from './repositories/checkins.js';
import { PgCoachingRepository } from './repositories/coaching.js';
import { PgAthleteRepository, PgIdentityDirectory } from './repositories/identities.js';
import { PgMaintenance } from './repositories/integrity.js';
import { PgPrivacyRepository } from './repositories/privacy.js';
import { PgProfileRepository } from './repositories/profile.js';
import { PgQuestionRepository } from './repositories/questions.js';
import { PgReminderRepository, PgReminderSchedule } from './repositories/reminders.js';
import { PgRunRepository } from './repositories/runs.js';
import { PgAthleteSyncRepository } from './repositories/sync.js';
import { PgSyncQueue } from './repositories/sync-queue.js';
import { PgUploadRepository } from './repositories/uploads.js';
import { PgUsageEvents } from './repositories/usage-events.js';
import { maskUrl } from './url.js';

export class PgEngine implements StoreEngine {
  readonly kind = 'postgres';
  readonly location: string;
  readonly identities: IdentityDirectory;
  readonly chatStates: PgChatStateRepository;
  readonly reminders: ReminderSchedule;
  readonly checkins: CheckinSchedule;
  readonly maintenance: Maintenance;
  readonly sync: SyncQueue;
  readonly updates: ChatUpdates;
  readonly usage: UsageEvents;

  private constructor(
    readonly opened: OpenedPostgres,
    url: string,
    private readonly clock: Clock,
  ) {
    const { db } = opened;
    this.location = maskUrl(url);
    this.identities = new PgIdentityDirectory(db, clock);
    this.chatStates = new PgChatStateRepository(db, clock);
    this.reminders = new PgReminderSchedule(db, clock);
    this.checkins = pgCheckinSchedule(db, clock);
    this.maintenance = new PgMaintenance(opened, clock, () => refreshStaleMetricsPg(db));
    this.sync = new PgSyncQueue(db, clock);
    this.updates = new PgChatUpdates(db, clock);
    this.usage = new PgUsageEvents(db);
  }

  /**
   * Connects to `url` and migrates (once across processes starting at once), then the start-up
   * repairs SQLite does too: stored metrics of an older definition refreshed, expired quota events
   * pruned. A failed open drains the pool again.
   */
  static async open(url: string, clock: Clock, options: PostgresOptions = {}): Promise<PgEngine> {
    const opened = await openPostgres(url, options);
    try {
      const engine = new PgEngine(opened, url, clock);
      await engine.maintenance.refreshStaleMetrics();
      await engine.usage.prune(clock());
      return engine;
    } catch (error) {
      await opened.close();
      throw error;
    }
  }

  athlete(athleteId: string): AthletePorts {
    const scope = { db: this.opened.db, athleteId, clock: this.clock };
    const athlete = new PgAthleteRepository(scope);
    const timeZone = async () => (await athlete.info()).timeZone;
    const repos = {
      athlete,
      profile: new PgProfileRepository(scope),
      activities: new PgActivityRepository(scope),
      uploads: new PgUploadRepository(scope),
      runs: new PgRunRepository(scope),
      questions: new PgQuestionRepository(scope),
      reminders: new PgReminderRepository(scope, timeZone),
      checkins: pgCheckinRepository(scope, timeZone),
      coaching: new PgCoachingRepository(scope),
      sync: new PgAthleteSyncRepository(scope),
      chatStates: this.chatStates,
    };
    return { ...repos, privacy: new PgPrivacyRepository(scope, repos) };
  }

  async close(): Promise<void> {
    await this.opened.close();
  }
}
