/**
 * What the monthly reminders and the weekly check-ins share: one row an athlete in a table of
 * scheduled messages (on or off, when next, where to, why it stopped) and the tickers' cross-athlete
 * queries on it — what is due, claiming it atomically under a lease so that two processes on one
 * database never send one twice, and completing it (the next due time, the claim released).
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import * as c from '../coaching-schema.js';
import type { Db } from '../database.js';
import type { Clock, ReminderCompletion } from '../records.js';
import * as t from '../schema.js';
import { pick, type AthleteScope } from './scope.js';

/** The tables of scheduled messages: the same columns but for when (a day of the month, a weekday). */
export type ScheduledTable = typeof t.reminders | typeof c.checkins;

/** A row of `T`: the settings and the claim. */
type Row<T extends ScheduledTable> = T['$inferSelect'];

/** The settings of a row, as stored: everything but the athlete, the claim and the time of the change. */
export type ScheduledValues<T extends ScheduledTable> = Omit<Row<T>, 'athleteId' | 'claimedBy' | 'claimedAt' | 'updatedAt'>;

/** A lease a claim holds before another ticker may take it over, and the claims of one pass. */
const LEASE_MS = 10 * 60_000;
const BATCH = 50;

/** The settings both tables hold besides when (a day of the month, a weekday). */
const COMMON_FIELDS = ['enabled', 'timeOfDay', 'timeZone', 'channelKey', 'nextDueAt', 'lastSentAt', 'disabledReason'] as const;

/** A row's settings but its day: `{ ...commonSettings(row), dayOfMonth }`. */
export function commonSettings<T extends ScheduledTable>(row: Row<T>): Pick<Row<T>, (typeof COMMON_FIELDS)[number]> {
  return pick(row, COMMON_FIELDS);
}

/** What is off and unscheduled: a first row's settings before any change. */
const UNSCHEDULED = { enabled: false, channelKey: null, nextDueAt: null, lastSentAt: null, disabledReason: null } as const;

/**
 * The queries on one table of scheduled messages, each row read as settings `S` by `settingsOf`.
 * Drizzle's builders do not type a union of tables, so the queries are built on `table` seen as
 * the reminders (the columns they use are the same in both) and the rows come back as `T`'s.
 */
export class ScheduledRows<T extends ScheduledTable, S> {
  private readonly table: typeof t.reminders;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    table: T,
    private readonly settingsOf: (row: Row<T>) => S,
  ) {
    this.table = table as typeof t.reminders;
  }

  private withAthlete(row: Row<T>): S & { athleteId: string } {
    return { athleteId: row.athleteId, ...this.settingsOf(row) };
  }

  /** One athlete's settings, if they have a row. */
  settings(athleteId: string): S | null {
    const row = this.db.select().from(this.table).where(eq(this.table.athleteId, athleteId)).get() as Row<T> | undefined;
    return row ? this.settingsOf(row) : null;
  }

  /** Writes one athlete's settings (inserted or replaced), stamped with the clock. */
  save(athleteId: string, values: ScheduledValues<T>): void {
    // (`T`'s own columns — a weekday for a check-in — are written: drizzle maps the values by the real table.)
    const set = { ...values, updatedAt: this.clock() } as unknown as Omit<typeof t.reminders.$inferInsert, 'athleteId'>;
    this.db
      .insert(this.table)
      .values({ athleteId, ...set })
      .onConflictDoUpdate({ target: this.table.athleteId, set })
      .run();
  }

  /** What is due at `now` (enabled, next_due_at ≤ now), oldest first. */
  due(now: Date): (S & { athleteId: string })[] {
    const { table } = this;
    return this.db
      .select()
      .from(table)
      .where(and(eq(table.enabled, true), lte(table.nextDueAt, now)))
      .orderBy(asc(table.nextDueAt))
      .all()
      .map((row) => this.withAthlete(row as Row<T>));
  }

  /**
   * Claims the rows due at `now` for one ticker, atomically: a single UPDATE … RETURNING, so two
   * processes on one database never claim the same row. A claim older than `leaseMs` (a ticker
   * that died mid-send) can be taken over. At most `limit` a pass (the oldest first), so that a
   * claim is sent well inside its lease even with thousands due and sends spaced for rate limits.
   */
  claimDue(now: Date, claimant: string, leaseMs = LEASE_MS, limit = BATCH): (S & { athleteId: string })[] {
    const { table } = this;
    const claimable = and(
      eq(table.enabled, true),
      lte(table.nextDueAt, now),
      sql`(${table.claimedAt} is null or ${table.claimedAt} < ${now.getTime() - leaseMs})`,
    );
    const batch = this.db.select({ id: table.athleteId }).from(table).where(claimable).orderBy(asc(table.nextDueAt)).limit(limit);
    return this.db
      .update(table)
      .set({ claimedBy: claimant, claimedAt: now })
      .where(and(claimable, inArray(table.athleteId, batch)))
      .returning()
      .all()
      .map((row) => this.withAthlete(row as Row<T>));
  }

  /** After sending: the next due time, and the claim released. Only the claimant can complete. */
  complete(athleteId: string, claimant: string, result: ReminderCompletion): boolean {
    const { table } = this;
    const changed = this.db
      .update(table)
      .set({
        ...(result.sentAt ? { lastSentAt: result.sentAt } : {}),
        nextDueAt: result.nextDueAt,
        claimedBy: null,
        claimedAt: null,
        updatedAt: this.clock(),
        ...(result.disabledReason ? { enabled: false, disabledReason: result.disabledReason } : {}),
      })
      .where(and(eq(table.athleteId, athleteId), eq(table.claimedBy, claimant)))
      .run();
    return changed.changes === 1;
  }
}

/**
 * One athlete's settings of a scheduled message: read, and changed — what is not given stays, or
 * for a first row is off and unscheduled, at `firstSchedule()` (the defaults in the athlete's zone).
 */
export class ScheduledSettings<T extends ScheduledTable, S extends ScheduledValues<T>> {
  private readonly rows: ScheduledRows<T, S>;

  constructor(
    private readonly scope: AthleteScope,
    table: T,
    settingsOf: (row: Row<T>) => S,
    private readonly firstSchedule: () => Omit<S, keyof typeof UNSCHEDULED>,
  ) {
    this.rows = new ScheduledRows(scope.db, scope.clock, table, settingsOf);
  }

  get(): S | null {
    return this.rows.settings(this.scope.athleteId);
  }

  set(settings: Partial<S>): S {
    const current = this.get() ?? ({ ...UNSCHEDULED, ...this.firstSchedule() } as S);
    const next = { ...current, ...settings };
    this.rows.save(this.scope.athleteId, next);
    return next;
  }
}
