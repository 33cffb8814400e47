/**
 * One row's cells, read by field: the SI copy of a repeated column, numbers and trimmed text.
 */
import type { Columns, Field } from './header.js';
import { readNumber } from './values.js';

/** One column's cells in a row: one string, or an array where the header repeats the name. */
export type Cell = string | string[] | undefined;

/**
 * A column's cells in a row, as csv-parse's `group_columns_by_name` would give them: nothing when
 * the row is too short to reach the column, one string when it reaches one copy, an array when it
 * reaches several.
 */
export function cellOf(record: readonly string[], positions: readonly number[]): Cell {
  if (positions.length === 1) return positions[0]! < record.length ? record[positions[0]!] : undefined;
  let first: string | undefined;
  let many: string[] | undefined;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    if (p >= record.length) break;
    const v = record[p]!;
    if (first === undefined) first = v;
    else if (many === undefined) many = [first, v];
    else many.push(v);
  }
  return many ?? first;
}

/** A field's cells in a row. */
export function fieldCell(record: readonly string[], cols: Columns, name: Field): Cell {
  return cellOf(record, cols.positions[name]);
}

/** The SI copy of a field: the last one. */
export function lastCopy(record: readonly string[], cols: Columns, name: Field): string | undefined {
  const v = fieldCell(record, cols, name);
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** The last copy of a field that is not empty (for columns whose copies share a unit). */
export function lastFilledCopy(record: readonly string[], cols: Columns, name: Field): string | undefined {
  const v = fieldCell(record, cols, name);
  if (!Array.isArray(v)) return v;
  for (let i = v.length - 1; i >= 0; i--) if (v[i]!.trim() !== '') return v[i];
  return v[v.length - 1];
}

export function fieldNumber(record: readonly string[], cols: Columns, name: Field): number | null {
  return readNumber(lastCopy(record, cols, name));
}

export function fieldText(record: readonly string[], cols: Columns, name: Field): string | null {
  const v = lastCopy(record, cols, name)?.replace(/\r\n?/g, '\n').trim();
  return v ? v : null;
}
