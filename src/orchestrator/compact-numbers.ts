/**
 * The fact sheet's numbers at a coach's precision before it goes to the model.
 */

/**
 * Rounds every number to what a coach would quote (≥ 100: whole; ≥ 10: one decimal; ≥ 1: two
 * decimals, as W/kg and IF need; below: three) — the sheet goes to the model, where digits cost tokens and mean nothing.
 */
export function compactNumbers<T>(value: T): T {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Number.isInteger(value)) return value;
    const a = Math.abs(value);
    return Number(value.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3)) as T;
  }
  if (Array.isArray(value)) return value.map(compactNumbers) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactNumbers(v)])) as T;
  }
  return value;
}
