/** Rounding shared by every layer, so that a figure shown in chat, a report and a tool reply is the same. */

/** `value` to `digits` decimals (half away from zero, as toFixed does). */
export function round(value: number, digits = 0): number {
  return Number(value.toFixed(digits));
}

/** As `round`, with null for a missing or non-finite value. */
export function roundOrNull(value: number | null | undefined, digits = 0): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : round(value, digits);
}

/**
 * `Math.round(value × 10^digits) / 10^digits`: halves up (towards +∞) on the binary product, so it
 * can differ from `round` on a rare tie (0.15 → 0.2 here, 0.1 there). Kept where a figure has
 * always been computed this way (a plan's TSS, hours and IF), so stored plans keep their numbers.
 */
export function roundHalfUp(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A count as people read it, with thousands separators: 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
