/**
 * What the PostgreSQL repositories share: the scope of one athlete (pool, athlete id, clock), the
 * transaction handle type, and the per-athlete lock that gives read-then-write transactions the
 * serial order SQLite's single writer gives them (two processes recording one athlete's uploads
 * at once must not both decide a ride is new).
 */
import { sql } from 'drizzle-orm';
import type { Clock } from '../../records.js';
import type { PgDb } from '../database.js';

/** One athlete's PostgreSQL repositories are built from this: every query they make carries `athleteId`. */
export interface PgAthleteScope {
  readonly db: PgDb;
  readonly athleteId: string;
  readonly clock: Clock;
}

/** A transaction on the pool (drizzle's handle inside `db.transaction`). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** The pool or a transaction on it, to read or write with. */
export type PgHandle = PgDb | PgTx;

/** The namespace of our per-athlete advisory locks (the migration lock is a single-key one). */
const ATHLETE_LOCK_NAMESPACE = 2_104_202_602;

/**
 * Takes, inside `tx`, the transaction-scoped advisory lock of one athlete: held until commit or
 * rollback, it serialises that athlete's read-then-write transactions across processes and leaves
 * other athletes' alone (two ids hashing alike only wait on each other).
 */
export async function lockAthlete(tx: PgTx, athleteId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ATHLETE_LOCK_NAMESPACE}, hashtext(${athleteId}))`);
}
