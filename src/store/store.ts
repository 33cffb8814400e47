/**
 * Repositories over the database. Everything an athlete owns is reached through
 * `store.athlete(id)`, whose every query is scoped by that id: one athlete can never read or
 * change another's rows. The only cross-athlete queries are the operator's (`check`,
 * `dueReminders`, `interruptUnfinishedRuns`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Activity, Lap, Streams } from '../domain/activity.js';
import { isSameActivity } from '../domain/activity.js';
import { STORED_METRICS_VERSION, storedMetrics, storedMetricsOf, type StoredMetrics } from '../domain/metrics/stored-metrics.js';
import { profileAt, profileChange, type ProfileFields, type ProfileVersion, type Weekday } from '../domain/profile.js';
import { openDatabase, type Db, type OpenedDatabase, type OpenOptions } from './database.js';
import * as t from './schema.js';
import { decodeStreams, encodeStreams } from './stream-codec.js';
import { ChatUsage, UsageCounters } from './usage-counters.js';

export type Clock = () => Date;

/**
 * Transactions that read before they write take the write lock first: in WAL mode a deferred one
 * that reads, then writes after another process wrote, fails at once with SQLITE_BUSY (no busy
 * wait) — what parallel `import`s ran into.
 */
const IMMEDIATE = { behavior: 'immediate' } as const;

export interface AthleteRecord {
  id: string;
  displayName: string;
  timeZone: string;
  units: 'metric' | 'imperial';
  createdAt: Date;
  updatedAt: Date;
  identities: string[];
}

export { STORED_METRICS_VERSION, type StoredMetrics } from '../domain/metrics/stored-metrics.js';

export interface StoredActivity {
  activity: Activity;
  metrics: StoredMetrics;
  /** Every file or CSV row this activity was seen in. */
  sources: string[];
}

export interface UploadError {
  source: string;
  code: string;
  message: string;
}

export interface UploadSummary {
  uploadId: string;
  /** Activities not seen before. */
  new: number;
  /** Activities already stored from the very same file or row. */
  duplicates: number;
  /** Activities already stored from another source (FIT vs CSV row, a second device), merged into one. */
  merged: number;
  errors: UploadError[];
  activityIds: string[];
}

export type RunStatus = (typeof t.runStatuses)[number];

export interface RunRecord {
  id: string;
  status: RunStatus;
  periodFrom: string | null;
  periodTo: string | null;
  provider: string | null;
  model: string | null;
  degraded: boolean;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** What the run read, hashed (see AnalysisService.inputHash); null for runs before it was kept. */
  inputHash: string | null;
  /** Why its plan is out of date (a ride it read was deleted); null while current. */
  staleReason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  phases: {
    phase: string;
    status: string;
    startedAt: Date;
    durationMs: number;
    inputTokens: number;
    outputTokens: number;
    note: string | null;
  }[];
}

export interface ReportFile {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

export interface ReminderSettings {
  enabled: boolean;
  dayOfMonth: string;
  timeOfDay: string;
  timeZone: string;
  channelKey: string | null;
  nextDueAt: Date | null;
  lastSentAt: Date | null;
  disabledReason: string | null;
}

export interface DueReminder extends ReminderSettings {
  athleteId: string;
}

export interface AthleteExport {
  exportedAt: string;
  athlete: AthleteRecord;
  profileHistory: ProfileVersion[];
  /** Activities with their 1 Hz streams as plain arrays (null where a sample is missing). */
  activities: (Omit<Activity, 'streams'> & {
    metrics: StoredMetrics;
    sources: string[];
    streams: Partial<Record<keyof Streams, (number | null)[]>> | null;
  })[];
  uploads: { id: string; fileNames: string[]; new: number; duplicates: number; merged: number; errors: UploadError[]; createdAt: Date }[];
  runs: RunRecord[];
  reminder: ReminderSettings | null;
  /** Questions to the coach: when, which model, tokens, cost (the words live in the chat state). */
  questions: {
    askedAt: Date;
    provider: string;
    model: string;
    intent: string | null;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    grounded: boolean;
  }[];
  chatState: { identityKey: string; state: Record<string, unknown>; updatedAt: Date }[];
  /** Report files, to be written beside the JSON. */
  reportFiles: (ReportFile & { runId: string })[];
}

export interface IntegrityReport {
  integrity: string;
  counts: Record<string, number>;
}

/** Test seam: called inside the upload transaction after each activity is written. */
export interface UploadHooks {
  afterActivity?: (index: number) => void;
}

export class Store {
  private readonly counters: UsageCounters;

  private constructor(
    private readonly opened: OpenedDatabase,
    private readonly clock: Clock,
  ) {
    this.counters = new UsageCounters(opened.db, clock);
  }

  static open(path: string, options: OpenOptions & { clock?: Clock } = {}): Store {
    const opened = openDatabase(path, options);
    try {
      const store = new Store(opened, options.clock ?? (() => new Date()));
      store.refreshStaleMetrics();
      // (A database opened with an older migrations folder — tests do — has no counters to prune.)
      if (store.opened.sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'usage_events'").get())
        store.pruneUsage();
      return store;
    } catch (error) {
      opened.close();
      throw error;
    }
  }

  /**
   * The quota counters of a chat (see usage-counters.ts): `record(kind, amount)` when something is
   * attempted, `since(kind, from)` for a limit. Given several identity keys (the chats linked to
   * one history), events are recorded under the first and the sums read all of them. They are
   * kept by chat identity, not athlete, and so outlive `forget()`.
   */
  usage(identityKeys: string | readonly string[]): ChatUsage {
    return new ChatUsage(this.counters, typeof identityKeys === 'string' ? [identityKeys] : identityKeys);
  }

  /** Deletes quota events older than 24 h (also done on every record, and when the store opens). */
  pruneUsage(now: Date = this.clock()): number {
    return this.counters.prune(now);
  }

  /**
   * Recomputes the stored metrics of activities stored under an older STORED_METRICS_VERSION from
   * their own streams, so a changed definition reaches rides already in the database. Returns how
   * many were refreshed; a database already current costs one scan of the metrics column.
   */
  refreshStaleMetrics(): number {
    const stale = this.db
      .select({ id: t.activities.id })
      .from(t.activities)
      .where(sql`coalesce(json_extract(${t.activities.metrics}, '$.version'), 1) < ${STORED_METRICS_VERSION}`)
      .all();
    for (const ids of chunks(
      stale.map((r) => r.id),
      200,
    )) {
      this.db.transaction((tx) => {
        for (const row of tx.select().from(t.activities).where(inArray(t.activities.id, ids)).all()) {
          const metrics = storedMetrics(toActivity(row, true));
          tx.update(t.activities)
            .set({ metrics: metrics as unknown as Record<string, unknown> })
            .where(eq(t.activities.id, row.id))
            .run();
        }
      }, IMMEDIATE);
    }
    return stale.length;
  }

  get db(): Db {
    return this.opened.db;
  }

  get path(): string {
    return this.opened.path;
  }

  close(): void {
    this.opened.close();
  }

  /** The athlete behind a chat identity, created on first contact. */
  athleteForIdentity(identityKey: string, displayName: string): AthleteRecord {
    return this.db.transaction((tx) => {
      const found = tx.select().from(t.chatIdentities).where(eq(t.chatIdentities.key, identityKey)).get();
      if (found) return this.athlete(found.athleteId).info();
      const now = this.clock();
      const id = randomUUID();
      tx.insert(t.athletes).values({ id, displayName, createdAt: now, updatedAt: now }).run();
      tx.insert(t.chatIdentities).values({ key: identityKey, athleteId: id, createdAt: now }).run();
      return this.athlete(id).info();
    }, IMMEDIATE);
  }

  /** Finds an athlete by identity without creating one. */
  findByIdentity(identityKey: string): AthleteRecord | null {
    const found = this.db.select().from(t.chatIdentities).where(eq(t.chatIdentities.key, identityKey)).get();
    return found ? this.athlete(found.athleteId).info() : null;
  }

  /** Scoped access to one athlete's data. */
  athlete(athleteId: string): AthleteStore {
    return new AthleteStore(this.db, athleteId, this.clock);
  }

  /** Reminders due at `now` (enabled, next_due_at ≤ now), across athletes: the ticker's query. */
  dueReminders(now: Date): DueReminder[] {
    return this.db
      .select()
      .from(t.reminders)
      .where(and(eq(t.reminders.enabled, true), lte(t.reminders.nextDueAt, now)))
      .orderBy(asc(t.reminders.nextDueAt))
      .all()
      .map((r) => ({ athleteId: r.athleteId, ...reminderSettings(r) }));
  }

  /**
   * Claims the reminders due at `now` for one ticker, atomically: a single UPDATE … RETURNING, so
   * two processes on one database never claim the same reminder. A claim older than `leaseMs`
   * (a ticker that died mid-send) can be taken over.
   */
  claimDueReminders(now: Date, claimant: string, leaseMs = 10 * 60_000, limit = 50): DueReminder[] {
    // At most `limit` a pass (the oldest first), so that a claim is sent well inside its lease even
    // on the 1st of the month with thousands due and sends spaced for rate limits.
    const claimable = and(
      eq(t.reminders.enabled, true),
      lte(t.reminders.nextDueAt, now),
      sql`(${t.reminders.claimedAt} is null or ${t.reminders.claimedAt} < ${now.getTime() - leaseMs})`,
    );
    const batch = this.db
      .select({ id: t.reminders.athleteId })
      .from(t.reminders)
      .where(claimable)
      .orderBy(asc(t.reminders.nextDueAt))
      .limit(limit);
    return this.db
      .update(t.reminders)
      .set({ claimedBy: claimant, claimedAt: now })
      .where(and(claimable, inArray(t.reminders.athleteId, batch)))
      .returning()
      .all()
      .map((r) => ({ athleteId: r.athleteId, ...reminderSettings(r) }));
  }

  /** After sending: the next due time, and the claim released. Only the claimant can complete. */
  completeReminder(
    athleteId: string,
    claimant: string,
    result: { sentAt: Date | null; nextDueAt: Date | null; disabledReason?: string },
  ): boolean {
    const changed = this.db
      .update(t.reminders)
      .set({
        ...(result.sentAt ? { lastSentAt: result.sentAt } : {}),
        nextDueAt: result.nextDueAt,
        claimedBy: null,
        claimedAt: null,
        updatedAt: this.clock(),
        ...(result.disabledReason ? { enabled: false, disabledReason: result.disabledReason } : {}),
      })
      .where(and(eq(t.reminders.athleteId, athleteId), eq(t.reminders.claimedBy, claimant)))
      .run();
    return changed.changes === 1;
  }

  /** At start-up: runs left queued or running by a previous process become `interrupted`. */
  interruptUnfinishedRuns(): { athleteId: string; runId: string }[] {
    return this.db
      .update(t.runs)
      .set({
        status: 'interrupted',
        finishedAt: this.clock(),
        errorCode: 'interrupted',
        errorMessage: 'The service restarted while this run was in progress.',
      })
      .where(inArray(t.runs.status, ['queued', 'running']))
      .returning({ athleteId: t.runs.athleteId, runId: t.runs.id })
      .all();
  }

  getChatState(identityKey: string): Record<string, unknown> | null {
    return this.db.select().from(t.chatState).where(eq(t.chatState.identityKey, identityKey)).get()?.state ?? null;
  }

  setChatState(identityKey: string, state: Record<string, unknown>, athleteId: string | null = null): void {
    const updatedAt = this.clock();
    this.db
      .insert(t.chatState)
      .values({ identityKey, athleteId, state, updatedAt })
      .onConflictDoUpdate({ target: t.chatState.identityKey, set: { state, updatedAt, athleteId } })
      .run();
  }

  /** The chat identity whose dialogue holds this unexpired link code (see `/link`), if any. */
  findLinkCode(code: string, now: Date): { identityKey: string; athleteId: string } | null {
    const row = this.db
      .select({
        identityKey: t.chatState.identityKey,
        athleteId: t.chatState.athleteId,
        expires: sql<number | null>`json_extract(${t.chatState.state}, '$.linkExpiresAt')`,
      })
      .from(t.chatState)
      .where(sql`json_extract(${t.chatState.state}, '$.linkCode') = ${code}`)
      .get();
    return row && row.athleteId && row.expires !== null && row.expires > now.getTime()
      ? { identityKey: row.identityKey, athleteId: row.athleteId }
      : null;
  }

  /**
   * Moves a chat identity to another athlete (linking Telegram and Discord to one history). The
   * athlete it leaves is deleted when no identity is left to it — callers move only identities
   * whose athlete holds nothing yet.
   */
  moveIdentity(identityKey: string, toAthleteId: string): void {
    this.db.transaction((tx) => {
      const from = tx.select().from(t.chatIdentities).where(eq(t.chatIdentities.key, identityKey)).get();
      if (!from || from.athleteId === toAthleteId) return;
      tx.update(t.chatIdentities).set({ athleteId: toAthleteId }).where(eq(t.chatIdentities.key, identityKey)).run();
      tx.update(t.chatState).set({ athleteId: toAthleteId }).where(eq(t.chatState.identityKey, identityKey)).run();
      const left =
        tx
          .select({ n: sql<number>`count(*)` })
          .from(t.chatIdentities)
          .where(eq(t.chatIdentities.athleteId, from.athleteId))
          .get()?.n ?? 0;
      if (left === 0) tx.delete(t.athletes).where(eq(t.athletes.id, from.athleteId)).run();
    }, IMMEDIATE);
  }

  /** An online backup of the whole database into `path` (better-sqlite3's backup API). */
  async backup(path: string): Promise<void> {
    await this.opened.sqlite.backup(path);
  }

  /**
   * SHA-256 of every row of every table but the quota counters (`usage_events`, which count every
   * attempt, refused ones included, and hold nothing of the athlete): proves that nothing an
   * athlete owns was written.
   */
  checksum(): string {
    const hash = createHash('sha256');
    const tables = this.opened.sqlite
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'usage_events' order by name`)
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
    const tables = {
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
    };
    const counts: Record<string, number> = {};
    for (const [name, table] of Object.entries(tables))
      counts[name] =
        this.db
          .select({ n: sql<number>`count(*)` })
          .from(table)
          .get()?.n ?? 0;
    return { integrity, counts };
  }
}

export class AthleteStore {
  constructor(
    private readonly db: Db,
    readonly athleteId: string,
    private readonly clock: Clock,
  ) {}

  info(): AthleteRecord {
    const row = this.db.select().from(t.athletes).where(eq(t.athletes.id, this.athleteId)).get();
    if (!row) throw new Error(`no athlete ${this.athleteId}`);
    const identities = this.db
      .select({ key: t.chatIdentities.key })
      .from(t.chatIdentities)
      .where(eq(t.chatIdentities.athleteId, this.athleteId))
      .all()
      .map((r) => r.key);
    return { ...row, identities };
  }

  update(changes: Partial<Pick<AthleteRecord, 'displayName' | 'timeZone' | 'units'>>): AthleteRecord {
    this.db
      .update(t.athletes)
      .set({ ...changes, updatedAt: this.clock() })
      .where(eq(t.athletes.id, this.athleteId))
      .run();
    return this.info();
  }

  /** Links another chat identity (e.g. the same person on Discord) to this athlete. */
  linkIdentity(identityKey: string): void {
    this.db
      .insert(t.chatIdentities)
      .values({ key: identityKey, athleteId: this.athleteId, createdAt: this.clock() })
      .onConflictDoNothing()
      .run();
  }

  // ---- profile ----

  profileHistory(): ProfileVersion[] {
    return this.db
      .select()
      .from(t.profileVersions)
      .where(eq(t.profileVersions.athleteId, this.athleteId))
      .orderBy(asc(t.profileVersions.validFrom), asc(t.profileVersions.createdAt))
      .all()
      .map(toProfileVersion);
  }

  /** The profile valid on `date` (see `profileAt` in the domain). */
  profileAt(date: Date): ProfileVersion | null {
    return profileAt(this.profileHistory(), date);
  }

  currentProfile(): ProfileVersion | null {
    return this.profileAt(this.clock());
  }

  /**
   * Saves a change at `validFrom` (default now): a new version carrying the other fields over, or —
   * on a day that already has a version, in the athlete's time zone — a correction of that day's
   * version (see `profileChange`). Returns the profile valid from then, fields resolved.
   */
  updateProfile(changes: Partial<ProfileFields>, validFrom: Date = this.clock()): ProfileVersion {
    return this.db.transaction((tx) => {
      const rows = tx
        .select()
        .from(t.profileVersions)
        .where(eq(t.profileVersions.athleteId, this.athleteId))
        .orderBy(asc(t.profileVersions.validFrom), asc(t.profileVersions.createdAt))
        .all()
        .map((row) => ({ ...toProfileVersion(row), id: row.id }));
      const zone =
        tx.select({ timeZone: t.athletes.timeZone }).from(t.athletes).where(eq(t.athletes.id, this.athleteId)).get()?.timeZone ?? 'UTC';
      const { version, replaces } = profileChange(rows, changes, validFrom, zone);
      if (replaces) {
        tx.update(t.profileVersions)
          .set(profileColumns(version))
          .where(and(eq(t.profileVersions.athleteId, this.athleteId), eq(t.profileVersions.id, replaces.id)))
          .run();
      } else {
        tx.insert(t.profileVersions)
          .values({
            id: randomUUID(),
            athleteId: this.athleteId,
            ...profileColumns(version),
            validFrom: version.validFrom,
            createdAt: this.clock(),
          })
          .run();
      }
      const history = [...rows.filter((r) => r !== replaces), version];
      return profileAt(history, version.validFrom)!;
    }, IMMEDIATE);
  }

  // ---- activities ----

  /**
   * Records one upload in one transaction: new activities are inserted, the same file or row
   * again is a duplicate, and the same activity from another source is merged into one row
   * (the richer recording wins, the summary's name and description are kept).
   */
  recordUpload(
    fileNames: string[],
    batch: { activities: Activity[]; errors: UploadError[]; bytes?: number },
    hooks: UploadHooks = {},
  ): UploadSummary {
    const now = this.clock();
    const uploadId = randomUUID();
    // Prepared once per upload: building a query per activity costs more than running it.
    const seenQuery = this.db
      .select({ activityId: t.activitySources.activityId })
      .from(t.activitySources)
      .where(
        and(
          eq(t.activitySources.athleteId, this.athleteId),
          eq(t.activitySources.sourceHash, sql.placeholder('hash')),
          eq(t.activitySources.sessionIndex, sql.placeholder('session')),
        ),
      )
      .prepare();
    const candidateQuery = this.db
      .select({
        id: t.activities.id,
        sourceHash: t.activities.sourceHash,
        sessionIndex: t.activities.sessionIndex,
        startTime: t.activities.startTime,
        sport: t.activities.sport,
        sourceKind: t.activities.sourceKind,
        externalId: t.activities.externalId,
        power: t.activities.power,
        name: t.activities.name,
        description: t.activities.description,
        hasStreams: sql<number>`${t.activities.streams} is not null`,
      })
      .from(t.activities)
      .where(
        and(
          eq(t.activities.athleteId, this.athleteId),
          gte(t.activities.startTime, sql.placeholder('from')),
          lte(t.activities.startTime, sql.placeholder('to')),
        ),
      )
      .prepare();
    const insertSource = this.db
      .insert(t.activitySources)
      .values({
        athleteId: this.athleteId,
        sourceHash: sql.placeholder('hash'),
        sessionIndex: sql.placeholder('session'),
        activityId: sql.placeholder('activityId'),
        source: sql.placeholder('source'),
        sourceKind: sql.placeholder('kind'),
        uploadId,
        createdAt: now,
      })
      .prepare();
    let insertActivity: { run(values: Record<string, unknown>): unknown } | undefined;
    return this.db.transaction((tx) => {
      const summary: UploadSummary = { uploadId, new: 0, duplicates: 0, merged: 0, errors: batch.errors, activityIds: [] };
      tx.insert(t.uploads)
        .values({
          id: uploadId,
          athleteId: this.athleteId,
          fileNames,
          bytes: batch.bytes ?? 0,
          newCount: 0,
          duplicateCount: 0,
          mergedCount: 0,
          errors: batch.errors,
          createdAt: now,
        })
        .run();
      batch.activities.forEach((activity, index) => {
        const seen = seenQuery.get({ hash: activity.sourceHash, session: activity.sessionIndex });
        if (seen) {
          summary.duplicates += 1;
          summary.activityIds.push(seen.activityId);
          hooks.afterActivity?.(index);
          return;
        }
        const windowMs = 60_000;
        const candidates = candidateQuery.all({
          from: activity.startTime.getTime() - windowMs,
          to: activity.startTime.getTime() + windowMs,
        });
        const match = candidates.find((row) => {
          const stored = { sourceHash: row.sourceHash, sessionIndex: row.sessionIndex, startTime: row.startTime, sport: row.sport };
          // Two Strava rows are two Strava activities, however close in time.
          if (
            row.externalId &&
            activity.externalId &&
            row.sourceKind === 'strava-csv' &&
            activity.sourceKind === 'strava-csv' &&
            row.externalId !== activity.externalId
          )
            return false;
          return isSameActivity(stored, activity);
        });
        const metrics = storedMetricsOf(activity);
        let activityId: string;
        if (match) {
          activityId = match.id;
          const incomingRicher =
            richness(activity) > richness({ sourceKind: match.sourceKind, streams: match.hasStreams ? true : null, power: match.power });
          const keep = {
            name: match.name ?? activity.name,
            description: match.description ?? activity.description,
            externalId: match.externalId ?? activity.externalId,
          };
          if (incomingRicher) {
            tx.update(t.activities)
              .set({ ...activityColumns(activity, metrics), ...keep, updatedAt: now })
              .where(and(eq(t.activities.id, match.id), eq(t.activities.athleteId, this.athleteId)))
              .run();
          } else {
            tx.update(t.activities)
              .set({ ...keep, updatedAt: now })
              .where(and(eq(t.activities.id, match.id), eq(t.activities.athleteId, this.athleteId)))
              .run();
          }
          summary.merged += 1;
        } else {
          activityId = randomUUID();
          const row = { id: activityId, athleteId: this.athleteId, ...activityColumns(activity, metrics), createdAt: now, updatedAt: now };
          insertActivity ??= this.db
            .insert(t.activities)
            .values(Object.fromEntries(Object.keys(row).map((k) => [k, sql.placeholder(k)])) as unknown as typeof row)
            .prepare();
          insertActivity.run(row);
          summary.new += 1;
        }
        insertSource.run({
          hash: activity.sourceHash,
          session: activity.sessionIndex,
          activityId,
          source: activity.source,
          kind: activity.sourceKind,
        });
        summary.activityIds.push(activityId);
        hooks.afterActivity?.(index);
      });
      tx.update(t.uploads)
        .set({ newCount: summary.new, duplicateCount: summary.duplicates, mergedCount: summary.merged })
        .where(eq(t.uploads.id, uploadId))
        .run();
      return summary;
    }, IMMEDIATE);
  }

  /** Activities that started in [from, to), oldest first. Streams only when asked for. */
  activitiesBetween(from: Date, to: Date, options: { streams?: boolean } = {}): StoredActivity[] {
    const rows = this.db
      .select()
      .from(t.activities)
      .where(and(eq(t.activities.athleteId, this.athleteId), gte(t.activities.startTime, from), lt(t.activities.startTime, to)))
      .orderBy(asc(t.activities.startTime))
      .all();
    return this.withSources(rows, options.streams ?? false);
  }

  activity(activityId: string, options: { streams?: boolean } = { streams: true }): StoredActivity | null {
    const row = this.db
      .select()
      .from(t.activities)
      .where(and(eq(t.activities.athleteId, this.athleteId), eq(t.activities.id, activityId)))
      .get();
    return row ? (this.withSources([row], options.streams ?? true)[0] ?? null) : null;
  }

  activityCount(): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(t.activities)
        .where(eq(t.activities.athleteId, this.athleteId))
        .get()?.n ?? 0
    );
  }

  /** The newest `limit` activities, newest first, without streams (the /activities list). */
  recentActivities(limit: number): StoredActivity[] {
    const rows = this.db
      .select()
      .from(t.activities)
      .where(eq(t.activities.athleteId, this.athleteId))
      .orderBy(desc(t.activities.startTime))
      .limit(Math.max(0, Math.floor(limit)))
      .all();
    return this.withSources(rows, false);
  }

  /** Ids of this athlete's activities that start with `prefix` (the short ids chat shows). */
  activityIdsStartingWith(prefix: string): string[] {
    const clean = prefix.toLowerCase().replace(/[^0-9a-f-]/g, '');
    if (clean.length === 0) return [];
    return this.db
      .select({ id: t.activities.id })
      .from(t.activities)
      .where(and(eq(t.activities.athleteId, this.athleteId), sql`substr(${t.activities.id}, 1, ${clean.length}) = ${clean}`))
      .limit(10)
      .all()
      .map((r) => r.id);
  }

  /** Every activity's id and last change, ordered by id: what an analysis' input hash covers. */
  activityVersions(): { id: string; updatedAt: number; sourceHash: string }[] {
    return this.db
      .select({ id: t.activities.id, updatedAt: t.activities.updatedAt, sourceHash: t.activities.sourceHash })
      .from(t.activities)
      .where(eq(t.activities.athleteId, this.athleteId))
      .orderBy(asc(t.activities.id))
      .all()
      .map((r) => ({ id: r.id, updatedAt: r.updatedAt.getTime(), sourceHash: r.sourceHash }));
  }

  /**
   * Deletes one activity (its sources go with it, so the same file can be sent again later) and
   * marks the finished runs that read it as stale, with `reason`: their load and plan no longer
   * match the rides. Returns the runs marked, or null when there is no such activity.
   */
  deleteActivity(activityId: string, reason: string): { staleRunIds: string[] } | null {
    return this.db.transaction((tx) => {
      const row = tx
        .select({ id: t.activities.id, createdAt: t.activities.createdAt })
        .from(t.activities)
        .where(and(eq(t.activities.athleteId, this.athleteId), eq(t.activities.id, activityId)))
        .get();
      if (!row) return null;
      tx.delete(t.activities)
        .where(and(eq(t.activities.athleteId, this.athleteId), eq(t.activities.id, activityId)))
        .run();
      // A run made after the activity was stored read it.
      const stale = tx
        .update(t.runs)
        .set({ staleReason: reason })
        .where(
          and(
            eq(t.runs.athleteId, this.athleteId),
            eq(t.runs.status, 'done'),
            gte(t.runs.createdAt, row.createdAt),
            sql`${t.runs.staleReason} is null`,
          ),
        )
        .returning({ id: t.runs.id })
        .all();
      return { staleRunIds: stale.map((r) => r.id) };
    }, IMMEDIATE);
  }

  private withSources(rows: (typeof t.activities.$inferSelect)[], streams: boolean): StoredActivity[] {
    if (rows.length === 0) return [];
    const sources = new Map<string, string[]>();
    for (const ids of chunks(
      rows.map((r) => r.id),
      500,
    )) {
      const found = this.db
        .select({ activityId: t.activitySources.activityId, source: t.activitySources.source })
        .from(t.activitySources)
        .where(and(eq(t.activitySources.athleteId, this.athleteId), inArray(t.activitySources.activityId, ids)))
        .all();
      for (const s of found) sources.set(s.activityId, [...(sources.get(s.activityId) ?? []), s.source]);
    }
    return rows.map((row) => ({
      activity: toActivity(row, streams),
      metrics: row.metrics as unknown as StoredMetrics,
      sources: sources.get(row.id) ?? [],
    }));
  }

  /** Every upload, oldest first. */
  uploads(): AthleteExport['uploads'] {
    return this.db
      .select()
      .from(t.uploads)
      .where(eq(t.uploads.athleteId, this.athleteId))
      .orderBy(asc(t.uploads.createdAt))
      .all()
      .map((u) => ({
        id: u.id,
        fileNames: u.fileNames,
        new: u.newCount,
        duplicates: u.duplicateCount,
        merged: u.mergedCount,
        errors: u.errors,
        createdAt: u.createdAt,
      }));
  }

  // ---- questions to the coach ----

  recordQuestion(q: {
    provider: string;
    model: string;
    intent: string | null;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    grounded: boolean;
  }): void {
    this.db
      .insert(t.questions)
      .values({ id: randomUUID(), athleteId: this.athleteId, askedAt: this.clock(), ...q })
      .run();
  }

  /** Questions answered since `since` (the daily limit counts questions asked: `Store.usage`). */
  questionsSince(since: Date): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(t.questions)
        .where(and(eq(t.questions.athleteId, this.athleteId), gte(t.questions.askedAt, since)))
        .get()?.n ?? 0
    );
  }

  // ---- runs and reports ----

  startRun(
    options: {
      periodFrom?: string;
      periodTo?: string;
      provider?: string;
      model?: string;
      status?: 'queued' | 'running';
      inputHash?: string | null;
    } = {},
  ): RunRecord {
    const id = randomUUID();
    const now = this.clock();
    const status = options.status ?? 'running';
    this.db
      .insert(t.runs)
      .values({
        id,
        athleteId: this.athleteId,
        status,
        periodFrom: options.periodFrom ?? null,
        periodTo: options.periodTo ?? null,
        provider: options.provider ?? null,
        model: options.model ?? null,
        inputHash: options.inputHash ?? null,
        createdAt: now,
        startedAt: status === 'running' ? now : null,
      })
      .run();
    return this.run(id)!;
  }

  markRunning(runId: string): void {
    this.db
      .update(t.runs)
      .set({ status: 'running', startedAt: this.clock() })
      .where(and(eq(t.runs.id, runId), eq(t.runs.athleteId, this.athleteId)))
      .run();
  }

  finishPhase(
    runId: string,
    phase: {
      phase: string;
      status: 'done' | 'failed' | 'degraded';
      startedAt: Date;
      durationMs: number;
      inputTokens?: number;
      outputTokens?: number;
      note?: string;
    },
  ): void {
    if (!this.run(runId)) throw new Error(`no run ${runId} for this athlete`);
    this.db
      .insert(t.runPhases)
      .values({
        runId,
        athleteId: this.athleteId,
        phase: phase.phase,
        status: phase.status,
        startedAt: phase.startedAt,
        durationMs: Math.round(phase.durationMs),
        inputTokens: phase.inputTokens ?? 0,
        outputTokens: phase.outputTokens ?? 0,
        note: phase.note ?? null,
      })
      .onConflictDoUpdate({
        target: [t.runPhases.runId, t.runPhases.phase],
        set: { status: phase.status, durationMs: Math.round(phase.durationMs), note: phase.note ?? null },
      })
      .run();
  }

  finishRun(
    runId: string,
    result: {
      status: 'done' | 'failed';
      degraded?: boolean;
      inputTokens?: number;
      outputTokens?: number;
      costUsd?: number;
      provider?: string;
      model?: string;
      errorCode?: string;
      errorMessage?: string;
    },
  ): RunRecord {
    this.db
      .update(t.runs)
      .set({
        status: result.status,
        degraded: result.degraded ?? false,
        inputTokens: result.inputTokens ?? 0,
        outputTokens: result.outputTokens ?? 0,
        costUsd: result.costUsd ?? 0,
        ...(result.provider ? { provider: result.provider } : {}),
        ...(result.model ? { model: result.model } : {}),
        errorCode: result.errorCode ?? null,
        errorMessage: result.errorMessage ?? null,
        finishedAt: this.clock(),
      })
      .where(and(eq(t.runs.id, runId), eq(t.runs.athleteId, this.athleteId)))
      .run();
    return this.run(runId)!;
  }

  run(runId: string): RunRecord | null {
    const row = this.db
      .select()
      .from(t.runs)
      .where(and(eq(t.runs.id, runId), eq(t.runs.athleteId, this.athleteId)))
      .get();
    if (!row) return null;
    const phases = this.db
      .select()
      .from(t.runPhases)
      .where(and(eq(t.runPhases.runId, runId), eq(t.runPhases.athleteId, this.athleteId)))
      .orderBy(asc(t.runPhases.startedAt), sql`rowid`)
      .all();
    const { athleteId: _a, ...rest } = row;
    return { ...rest, phases: phases.map(({ runId: _r, athleteId: _b, ...p }) => p) };
  }

  runs(): RunRecord[] {
    return this.db
      .select({ id: t.runs.id })
      .from(t.runs)
      .where(eq(t.runs.athleteId, this.athleteId))
      .orderBy(desc(t.runs.createdAt))
      .all()
      .map((r) => this.run(r.id)!);
  }

  /** The newest run, optionally with a given status (e.g. the latest `done` for "resend the report"). */
  latestRun(status?: RunStatus): RunRecord | null {
    const row = this.db
      .select({ id: t.runs.id })
      .from(t.runs)
      .where(and(eq(t.runs.athleteId, this.athleteId), status ? eq(t.runs.status, status) : undefined))
      .orderBy(desc(t.runs.createdAt))
      .limit(1)
      .get();
    return row ? this.run(row.id) : null;
  }

  saveReports(runId: string, files: ReportFile[]): void {
    if (!this.run(runId)) throw new Error(`no run ${runId} for this athlete`);
    const now = this.clock();
    this.db.transaction((tx) => {
      for (const file of files) {
        const content = Buffer.from(file.content);
        tx.insert(t.reports)
          .values({ runId, athleteId: this.athleteId, fileName: file.fileName, contentType: file.contentType, content, createdAt: now })
          .onConflictDoUpdate({
            target: [t.reports.runId, t.reports.fileName],
            set: { content, contentType: file.contentType, createdAt: now },
          })
          .run();
      }
    });
  }

  reports(runId: string): ReportFile[] {
    return this.db
      .select()
      .from(t.reports)
      .where(and(eq(t.reports.runId, runId), eq(t.reports.athleteId, this.athleteId)))
      .orderBy(asc(t.reports.fileName))
      .all()
      .map((r) => ({ fileName: r.fileName, contentType: r.contentType, content: new Uint8Array(r.content) }));
  }

  // ---- reminders ----

  reminder(): ReminderSettings | null {
    const row = this.db.select().from(t.reminders).where(eq(t.reminders.athleteId, this.athleteId)).get();
    return row ? reminderSettings(row) : null;
  }

  setReminder(settings: Partial<ReminderSettings>): ReminderSettings {
    const current = this.reminder() ?? {
      enabled: false,
      dayOfMonth: '1',
      timeOfDay: '09:00',
      timeZone: this.info().timeZone,
      channelKey: null,
      nextDueAt: null,
      lastSentAt: null,
      disabledReason: null,
    };
    const next = { ...current, ...settings };
    const updatedAt = this.clock();
    this.db
      .insert(t.reminders)
      .values({ athleteId: this.athleteId, ...next, updatedAt })
      .onConflictDoUpdate({ target: t.reminders.athleteId, set: { ...next, updatedAt } })
      .run();
    return next;
  }

  // ---- privacy ----

  /**
   * Everything held about this athlete. Not the quota counters (`Store.usage`): they are keyed by
   * a hash of the chat identity and hold no personal data — nothing of the athlete to give back.
   */
  export(): AthleteExport {
    const all = this.db
      .select()
      .from(t.activities)
      .where(eq(t.activities.athleteId, this.athleteId))
      .orderBy(asc(t.activities.startTime))
      .all();
    const stored = this.withSources(all, true);
    const identities = this.info().identities;
    return {
      exportedAt: this.clock().toISOString(),
      athlete: this.info(),
      profileHistory: this.profileHistory(),
      activities: stored.map(({ activity, metrics, sources }) => ({
        ...activity,
        metrics,
        sources,
        streams: activity.streams ? streamsForExport(activity.streams) : null,
      })),
      uploads: this.uploads(),
      runs: this.runs(),
      reminder: this.reminder(),
      questions: this.db
        .select()
        .from(t.questions)
        .where(eq(t.questions.athleteId, this.athleteId))
        .orderBy(asc(t.questions.askedAt))
        .all()
        .map(({ askedAt, provider, model, intent, inputTokens, outputTokens, costUsd, grounded }) => ({
          askedAt,
          provider,
          model,
          intent,
          inputTokens,
          outputTokens,
          costUsd,
          grounded,
        })),
      chatState:
        identities.length === 0
          ? []
          : this.db
              .select()
              .from(t.chatState)
              .where(inArray(t.chatState.identityKey, identities))
              .all()
              .map((c) => ({ identityKey: c.identityKey, state: c.state, updatedAt: c.updatedAt })),
      reportFiles: this.db
        .select()
        .from(t.reports)
        .where(eq(t.reports.athleteId, this.athleteId))
        .all()
        .map((r) => ({ runId: r.runId, fileName: r.fileName, contentType: r.contentType, content: new Uint8Array(r.content) })),
    };
  }

  /** Deletes everything held about this athlete (rows cascade from the athlete; chat state by identity). */
  forget(): void {
    this.db.transaction((tx) => {
      const identities = tx
        .select({ key: t.chatIdentities.key })
        .from(t.chatIdentities)
        .where(eq(t.chatIdentities.athleteId, this.athleteId))
        .all()
        .map((r) => r.key);
      if (identities.length > 0) tx.delete(t.chatState).where(inArray(t.chatState.identityKey, identities)).run();
      tx.delete(t.athletes).where(eq(t.athletes.id, this.athleteId)).run();
      // The quota counters (usage_events) stay: keyed by a hash of the chat identity, they hold
      // nothing of the athlete, and deleting them would reset the per-day limits.
    }, IMMEDIATE);
    // The write-ahead log still holds the old pages until a checkpoint: fold it in and empty it.
    this.db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  }
}

// ---- mapping ----

/** Decimals kept per stream in an export: as recorded, without float noise. */
const EXPORT_DECIMALS: Record<keyof Streams, number> = {
  elapsed: 0,
  power: 1,
  heartRate: 1,
  cadence: 1,
  speed: 3,
  altitude: 1,
  distance: 1,
  latitude: 7,
  longitude: 7,
};

function streamsForExport(streams: Streams): Partial<Record<keyof Streams, (number | null)[]>> {
  const out: Partial<Record<keyof Streams, (number | null)[]>> = {};
  for (const key of Object.keys(EXPORT_DECIMALS) as (keyof Streams)[]) {
    const values: Float32Array | Float64Array | null = streams[key];
    if (!values) continue;
    const scale = 10 ** EXPORT_DECIMALS[key];
    out[key] = Array.from(values, (v: number) => (Number.isFinite(v) ? Math.round(v * scale) / scale : null));
  }
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A recording with streams beats a summary; measured power beats none. */
function richness(a: { sourceKind: string; streams: unknown; power: string }): number {
  return (a.streams ? 2 : 0) + (a.power === 'measured' ? 1 : 0) + (a.sourceKind === 'fit' ? 0.5 : 0);
}

/**
 * Columns of an activity. The summary figures are the ones analysis goes by: for a recording,
 * ours from the stream (NP, average power and HR); for a summary, the source's. The device's
 * own figures stay in `device`.
 */
function activityColumns(a: Activity, m: StoredMetrics) {
  return {
    activityKey: a.id,
    source: a.source,
    sourceKind: a.sourceKind,
    sourceHash: a.sourceHash,
    sessionIndex: a.sessionIndex,
    sport: a.sport,
    subSport: a.subSport,
    sourceType: a.sourceType,
    name: a.name,
    description: a.description,
    externalId: a.externalId,
    startTime: a.startTime,
    timerSeconds: a.timerSeconds,
    elapsedSeconds: a.elapsedSeconds,
    movingSeconds: a.movingSeconds,
    distanceMeters: a.distanceMeters,
    ascentMeters: a.ascentMeters,
    avgPower: a.streams && m.avgPower !== null ? m.avgPower : a.avgPower,
    maxPower: a.streams && m.maxPower !== null ? m.maxPower : a.maxPower,
    normalizedPower: m.normalizedPower ?? a.normalizedPower,
    power: a.power,
    avgHeartRate: m.avgHeartRate ?? a.avgHeartRate,
    maxHeartRate: m.maxHeartRate ?? a.maxHeartRate,
    avgCadence: a.avgCadence,
    avgSpeed: a.avgSpeed,
    workKilojoules: m.workKilojoules ?? a.workKilojoules,
    device: a.device,
    laps: a.laps.map((l) => ({ ...l, startTime: l.startTime.toISOString() })),
    warnings: a.warnings,
    metrics: m as unknown as Record<string, unknown>,
    streams: a.streams ? encodeStreams(a.streams) : null,
  };
}

function toActivity(row: typeof t.activities.$inferSelect, withStreams: boolean): Activity {
  return {
    id: row.id,
    source: row.source,
    sourceKind: row.sourceKind,
    sourceHash: row.sourceHash,
    sessionIndex: row.sessionIndex,
    sport: row.sport,
    subSport: row.subSport,
    sourceType: row.sourceType,
    name: row.name,
    description: row.description,
    startTime: row.startTime,
    timerSeconds: row.timerSeconds,
    elapsedSeconds: row.elapsedSeconds,
    movingSeconds: row.movingSeconds,
    distanceMeters: row.distanceMeters,
    ascentMeters: row.ascentMeters,
    avgPower: row.avgPower,
    maxPower: row.maxPower,
    normalizedPower: row.normalizedPower,
    power: row.power,
    avgHeartRate: row.avgHeartRate,
    maxHeartRate: row.maxHeartRate,
    avgCadence: row.avgCadence,
    avgSpeed: row.avgSpeed,
    workKilojoules: row.workKilojoules,
    device: row.device ?? null,
    laps: (row.laps as (Omit<Lap, 'startTime'> & { startTime: string })[]).map((l) => ({ ...l, startTime: new Date(l.startTime) })),
    streams: withStreams && row.streams ? decodeStreams(row.streams) : null,
    warnings: row.warnings,
    externalId: row.externalId,
    linkedFile: null,
  };
}

function profileColumns(p: ProfileFields) {
  return {
    ftp: p.ftp,
    weightKg: p.weightKg,
    maxHr: p.maxHr,
    lthr: p.lthr,
    restingHr: p.restingHr,
    age: p.age,
    sex: p.sex,
    goals: p.goals,
    eventDate: p.eventDate,
    trainingDays: p.trainingDays,
    weeklyHours: p.weeklyHours,
    planWeeks: p.planWeeks,
  };
}

function toProfileVersion(row: typeof t.profileVersions.$inferSelect): ProfileVersion {
  return {
    validFrom: row.validFrom,
    ftp: row.ftp,
    weightKg: row.weightKg,
    maxHr: row.maxHr,
    lthr: row.lthr,
    restingHr: row.restingHr,
    age: row.age,
    sex: row.sex,
    goals: row.goals,
    eventDate: row.eventDate,
    trainingDays: (row.trainingDays as Weekday[] | null) ?? null,
    weeklyHours: row.weeklyHours,
    planWeeks: row.planWeeks,
  };
}

function reminderSettings(r: typeof t.reminders.$inferSelect): ReminderSettings {
  return {
    enabled: r.enabled,
    dayOfMonth: r.dayOfMonth,
    timeOfDay: r.timeOfDay,
    timeZone: r.timeZone,
    channelKey: r.channelKey,
    nextDueAt: r.nextDueAt,
    lastSentAt: r.lastSentAt,
    disabledReason: r.disabledReason,
  };
}
