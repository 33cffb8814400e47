/**
 * The operator's side of the database: start-up repairs (runs left unfinished, metrics stored under
 * an older definition), online backups, a checksum of everything an athlete owns, and integrity
 * checks with row counts.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { OpenedDatabase } from '../database.js';
import type { Blocking, Maintenance } from '../ports.js';
import type { Clock, IntegrityReport } from '../records.js';
import * as c from '../coaching-schema.js';
import * as t from '../schema.js';
import * as i from '../inbox-schema.js';
import * as s from '../sync-schema.js';
import { refreshStaleMetrics } from './activities.js';
import { interruptUnfinishedRuns } from './runs.js';

/** Every table, as `check()` counts them. */
const TABLES = {
  athletes: t.athletes,
  chatIdentities: t.chatIdentities,
  profileVersions: t.profileVersions,
  activities: t.activities,
  activitySources: t.activitySources,
  uploads: t.uploads,
  runs: t.runs,
  runPhases: t.runPhases,
  reports: t.reports,
  reminders: t.reminders,
  chatState: t.chatState,
  questions: t.questions,
  usageEvents: t.usageEvents,
  planVersions: c.planVersions,
  workoutMatches: c.workoutMatches,
  athleteEvents: c.athleteEvents,
  checkins: c.checkins,
  connections: s.connections,
  syncJobs: s.syncJobs,
  syncedActivities: s.syncedActivities,
  calendarEntries: s.calendarEntries,
  oauthStates: s.oauthStates,
  chatUpdates: i.chatUpdates,
};

export class SqliteMaintenance implements Blocking<Maintenance> {
  constructor(
    private readonly opened: OpenedDatabase,
    private readonly clock: Clock,
  ) {}

  /** At start-up: runs left queued or running by a previous process become `interrupted`. */
  interruptUnfinishedRuns(): { athleteId: string; runId: string }[] {
    return interruptUnfinishedRuns(this.opened.db, this.clock);
  }

  refreshStaleMetrics(): number {
    return refreshStaleMetrics(this.opened.db);
  }

  /** An online backup of the whole database into `path` (better-sqlite3's backup API). */
  async backup(path: string): Promise<void> {
    await this.opened.sqlite.backup(path);
  }

  /**
   * SHA-256 of every row of every table but the quota counters (`usage_events`, which count every
   * attempt, refused ones included, and hold nothing of the athlete) and the Telegram webhook's
   * inbox (`chat_updates`, which records every update received): proves that nothing an athlete
   * owns was written.
   */
  checksum(): string {
    const hash = createHash('sha256');
    const tables = this.opened.sqlite
      .prepare(
        `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not in ('usage_events', 'chat_updates') order by name`,
      )
      .all() as { name: string }[];
    for (const { name } of tables) {
      hash.update(`\0table ${name}\0`);
      for (const row of this.opened.sqlite
        .prepare(`select * from "${name.replace(/"/g, '""')}" order by rowid`)
        .raw()
        .iterate()) {
        for (const value of row as unknown[]) hash.update(value instanceof Uint8Array ? value : `${typeof value}:${String(value)}\u0001`);
      }
    }
    return hash.digest('hex');
  }

  /** PRAGMA quick_check: cheap enough for a health endpoint. */
  quickCheck(): string {
    return (this.opened.sqlite.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).join('; ');
  }

  /** PRAGMA integrity_check and row counts of every table. */
  check(): IntegrityReport {
    const rows = this.opened.sqlite.pragma('integrity_check') as { integrity_check: string }[];
    const integrity = rows.map((r) => r.integrity_check).join('; ');
    const counts: Record<string, number> = {};
    for (const [name, table] of Object.entries(TABLES))
      counts[name] =
        this.opened.db
          .select({ n: sql<number>`count(*)` })
          .from(table)
          .get()?.n ?? 0;
    return { integrity, counts };
  }
}
