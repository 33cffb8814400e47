/**
 * Shares of a whole as whole percentages that add up to exactly 100 (largest-remainder method):
 * each share is rounded down, then the points left over go to the largest remainders. The way
 * to print an easy / moderate / hard split so that it never reads 99 % or 101 %.
 */

/**
 * Whole percentages of `values` (any unit: seconds, fractions) summing to exactly 100. Negative
 * and non-finite values count as 0; all zero gives all 0. Ties go to the larger value, then the
 * earlier one, so the result is the same on every run.
 */
export function wholePercentages(values: readonly number[]): number[] {
  const clean = values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const total = clean.reduce((s, v) => s + v, 0);
  if (total <= 0) return clean.map(() => 0);
  const exact = clean.map((v) => (v / total) * 100);
  const out = exact.map((v) => Math.floor(v + 1e-9));
  let left = 100 - out.reduce((s, v) => s + v, 0);
  const order = exact
    .map((v, i) => ({ i, remainder: v - out[i]!, value: v }))
    .sort((a, b) => b.remainder - a.remainder || b.value - a.value || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left--;
  }
  return out;
}
