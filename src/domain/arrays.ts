/**
 * Array helpers for inputs of any length. `target.push(...items)` and `Math.max(...values)`
 * pass every element as an argument and throw "Maximum call stack size exceeded" past about
 * 120,000 elements — a Strava export of 128,000 rows is enough — so unbounded arrays go here.
 */

/** Appends every item to `target` (in place) and returns it. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest finite value, or `fallback` when there is none. */
export function maxOf(values: Iterable<number>, fallback = -Infinity): number {
  let best = -Infinity;
  for (const v of values) if (v > best) best = v;
  return best === -Infinity ? fallback : best;
}

/** The smallest finite value, or `fallback` when there is none. */
export function minOf(values: Iterable<number>, fallback = Infinity): number {
  let best = Infinity;
  for (const v of values) if (v < best) best = v;
  return best === Infinity ? fallback : best;
}
