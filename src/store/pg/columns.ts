/**
 * Column types of the PostgreSQL schema that store values exactly as the SQLite schema does, so
 * that `db:copy` moves rows unchanged and its checksums agree, while the TypeScript side reads
 * like SQLite's drizzle modes (Date, boolean, parsed JSON, Buffer): timestamps are UTC
 * milliseconds in a bigint, booleans the integers 0/1, JSON plain text, binary data bytea.
 */
import { customType } from 'drizzle-orm/pg-core';

/** UTC milliseconds in a bigint, read as a Date (SQLite's `integer({ mode: 'timestamp_ms' })`). */
export const timestampMs = customType<{ data: Date; driverData: string | number }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  // node-postgres returns bigint as text (it may not fit a JS number; milliseconds always do)
  fromDriver: (value) => new Date(Number(value)),
});

/** 0 or 1 in an integer, read as a boolean (SQLite's `integer({ mode: 'boolean' })`). */
export const intBoolean = customType<{ data: boolean; driverData: number }>({
  dataType: () => 'integer',
  toDriver: (value) => (value ? 1 : 0),
  fromDriver: (value) => Number(value) !== 0,
});

/** JSON as text, written with JSON.stringify as SQLite's `text({ mode: 'json' })` does (not jsonb: it would reorder keys). */
export const jsonText = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => JSON.parse(value) as T,
  })(name);

/** Binary data (SQLite's `blob({ mode: 'buffer' })`). */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});
