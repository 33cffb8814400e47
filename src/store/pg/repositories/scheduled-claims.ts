/**
 * What the monthly reminders and the weekly check-ins share on PostgreSQL, mirroring
 * ../../repositories/scheduled-claims.ts: one row an athlete in a table of scheduled messages, and
 * the tickers' cross-athlete queries on it — what is due, claiming it under a lease, completing it.
 * What SQLite's single writer gives the claim, `FOR UPDATE SKIP LOCKED` gives it here: processes
 * claiming at once lock different rows, none waits on another, and none takes a row another has
 * just taken (re-read under the lock, it is no longer claimable).
 */
import { and, asc, eq, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { Clock, ReminderCompletion } from '../../records.js';
import * as c from '../coaching-schema.js';
import type { PgDb } from '../database.js';
import * as t from '../schema.js';
import { lockAthlete, type PgAthleteScope, type PgHandle } from './scope.js';

/** The tables of scheduled messages: the same columns but for when (a day of the month, a weekday). */
export type PgScheduledTable = typeof t.reminders | typeof c.checkins;

/** A row of `T`: the settings and the claim. */
type Row<T extends PgScheduledTable> = T['$inferSelect'];

/** The settings of a row, as stored: everything but the athlete, the claim and the time of the change. */
export type PgScheduledValues<T extends PgScheduledTable> = Omit<Row<T>, 'athleteId' | 'claimedBy' | 'claimedAt' | 'updatedAt'>;

/** A lease a claim holds before another ticker may take it over, and the claims of one pass (as on SQLite). */
const LEASE_MS = 10 * 60_000;
const BATCH = 50;

/** The settings both tables hold besides when (a day of the month, a weekday). */
const COMMON_FIELDS = ['enabled', 'timeOfDay', 'timeZone', 'channelKey', 'nextDueAt', 'lastSentAt', 'disabledReason'] as const;

/** A row's settings but its day: `{ ...commonSettings(row), dayOfMonth }`. */
export function commonSettings<R extends Row<PgScheduledTable>>(row: R): Pick<R, (typeof COMMON_FIELDS)[number]> {
  return Object.fromEntries(COMMON_FIELDS.map((k) => [k, row[k]])) as Pick<R, (typeof COMMON_FIELDS)[number]>;
}

/** What is off and unscheduled: a first row's settings before any change. */
const UNSCHEDULED = { enabled: false, channelKey: null, nextDueAt: null, lastSentAt: null, disabledReason: null } as const;

/**
 * The queries on one table of scheduled messages, each row read as settings `S` by `settingsOf`.
 * Drizzle's builders do not type a union of tables, so the queries are built on `table` seen as
 * the reminders (the columns they use are the same in both) and the rows come back as `T`'s.
 */
export class PgScheduledRows<T extends PgScheduledTable, S> {
  private readonly table: typeof t.reminders;

  constructor(
    private readonly db: PgDb,
    private readonly clock: Clock,
    table: T,
    private readonly settingsOf: (row: Row<T>) => S,
  ) {
    this.table = table as typeof t.reminders;
  }

  private withAthlete(row: Row<T>): S & { athleteId: string } {
    return { athleteId: row.athleteId, ...this.settingsOf(row) };
  }

  /** One athlete's settings, if they have a row (read on `on`: the pool, or a transaction). */
  async settings(athleteId: string, on: PgHandle = this.db): Promise<S | null> {
    const [row] = await on.select().from(this.table).where(eq(this.table.athleteId, athleteId)).limit(1);
    return row ? this.settingsOf(row as Row<T>) : null;
  }

  /** Writes one athlete's settings (inserted or replaced), stamped with the clock. */
  async save(athleteId: string, values: PgScheduledValues<T>, on: PgHandle = this.db): Promise<void> {
    // (`T`'s own columns — a weekday for a check-in — are written: drizzle maps the values by the real table.)
    const set = { ...values, updatedAt: this.clock() } as unknown as Omit<typeof t.reminders.$inferInsert, 'athleteId'>;
    await on
      .insert(this.table)
      .values({ athleteId, ...set })
      .onConflictDoUpdate({ target: this.table.athleteId, set });
  }

  /** What is due at `now` (enabled, next_due_at ≤ now), oldest first. */
  async due(now: Date): Promise<(S & { athleteId: string })[]> {
    const { table } = this;
    const rows = await this.db
      .select()
      .from(table)
      .where(and(eq(table.enabled, true), lte(table.nextDueAt, now)))
      .orderBy(asc(table.nextDueAt));
    return rows.map((row) => this.withAthlete(row as Row<T>));
  }

  /**
   * Claims the rows due at `now` for one ticker, in one transaction: the rows are picked `FOR
   * UPDATE SKIP LOCKED` (locked until commit; one another claim has just committed is re-read
   * under the lock and, no longer claimable, left out), so two processes claiming at once never
   * take the same row and neither waits on the other. A claim older than `leaseMs` (a ticker that
   * died mid-send) can be taken over. At most `limit` a pass (the oldest first), so that a claim
   * is sent well inside its lease.
   */
  async claimDue(now: Date, claimant: string, leaseMs = LEASE_MS, limit = BATCH): Promise<(S & { athleteId: string })[]> {
    const { table } = this;
    const claimable = and(
      eq(table.enabled, true),
      lte(table.nextDueAt, now),
      or(isNull(table.claimedAt), lt(table.claimedAt, new Date(now.getTime() - leaseMs))),
    );
    // Two statements, not `update … where id in (select … limit n for update skip locked)`: the
    // planner may rescan such a subquery once per row it updates, and each rescan skips the rows
    // just claimed and picks the next ones — more than `limit` in one pass.
    const rows = await this.db.transaction(async (tx) => {
      const picked = await tx
        .select({ id: table.athleteId })
        .from(table)
        .where(claimable)
        .orderBy(asc(table.nextDueAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (picked.length === 0) return [];
      const ids = picked.map((p) => p.id);
      return tx.update(table).set({ claimedBy: claimant, claimedAt: now }).where(inArray(table.athleteId, ids)).returning();
    });
    // RETURNING has no order: the oldest first, as they were picked.
    return rows
      .sort((a, b) => a.nextDueAt!.getTime() - b.nextDueAt!.getTime() || (a.athleteId < b.athleteId ? -1 : 1))
      .map((row) => this.withAthlete(row as Row<T>));
  }

  /** After sending: the next due time, and the claim released. Only the claimant can complete. */
  async complete(athleteId: string, claimant: string, result: ReminderCompletion): Promise<boolean> {
    const { table } = this;
    const changed = await this.db
      .update(table)
      .set({
        ...(result.sentAt ? { lastSentAt: result.sentAt } : {}),
        nextDueAt: result.nextDueAt,
        claimedBy: null,
        claimedAt: null,
        updatedAt: this.clock(),
        ...(result.disabledReason ? { enabled: false, disabledReason: result.disabledReason } : {}),
      })
      .where(and(eq(table.athleteId, athleteId), eq(table.claimedBy, claimant)));
    return changed.rowCount === 1;
  }
}

/**
 * One athlete's settings of a scheduled message: read, and changed — what is not given stays, or
 * for a first row is off and unscheduled, at `firstSchedule()` (the defaults in the athlete's zone).
 */
export class PgScheduledSettings<T extends PgScheduledTable, S extends PgScheduledValues<T>> {
  private readonly rows: PgScheduledRows<T, S>;

  constructor(
    private readonly scope: PgAthleteScope,
    table: T,
    settingsOf: (row: Row<T>) => S,
    private readonly firstSchedule: () => Promise<Omit<S, keyof typeof UNSCHEDULED>>,
  ) {
    this.rows = new PgScheduledRows(scope.db, scope.clock, table, settingsOf);
  }

  get(): Promise<S | null> {
    return this.rows.settings(this.scope.athleteId);
  }

  /**
   * Reads, merges and writes under the athlete's lock: SQLite's synchronous read-then-write is never
   * interleaved with another change, and two changes at once here must not lose one either. The
   * defaults (the athlete's zone, a query of its own) are looked up before the transaction, and only
   * for a first row, so that no connection is held while waiting for another.
   */
  async set(settings: Partial<S>): Promise<S> {
    const { db, athleteId } = this.scope;
    const first = (await this.get()) ? null : await this.firstSchedule();
    return db.transaction(async (tx) => {
      await lockAthlete(tx, athleteId);
      const current = (await this.rows.settings(athleteId, tx)) ?? ({ ...UNSCHEDULED, ...(first ?? (await this.firstSchedule())) } as S);
      const next = { ...current, ...settings };
      await this.rows.save(athleteId, next, tx);
      return next;
    });
  }
}
