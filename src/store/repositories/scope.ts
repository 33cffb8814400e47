/**
 * What the SQLite repositories share: the scope of one athlete (connection, athlete id, clock),
 * the transaction mode of read-then-write transactions, and batching of long id lists.
 */
import type { Db } from '../database.js';
import type { Clock } from '../records.js';

/** One athlete's repositories are built from this: every query they make carries `athleteId`. */
export interface AthleteScope {
  readonly db: Db;
  readonly athleteId: string;
  readonly clock: Clock;
}

/**
 * Transactions that read before they write take the write lock first: in WAL mode a deferred one
 * that reads, then writes after another process wrote, fails at once with SQLITE_BUSY (no busy
 * wait) — what parallel `import`s ran into.
 */
export const IMMEDIATE = { behavior: 'immediate' } as const;

/** A connection or a transaction on it, to read with. */
export type Reader = Pick<Db, 'select'>;

/** The fields `keys` of `row`, in that order. */
export function pick<T extends object, K extends keyof T>(row: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;
}

/** `items` in lists of at most `size` (SQLite limits the parameters of one statement). */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
