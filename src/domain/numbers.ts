/** Rounding shared by every layer, so that a figure shown in chat, a report and a tool reply is the same. */

/** `value` to `digits` decimals (half away from zero, as toFixed does). */
export function round(value: number, digits = 0): number {
  return Number(value.toFixed(digits));
}

/** As `round`, with null for a missing or non-finite value. */
export function roundOrNull(value: number | null | undefined, digits = 0): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : round(value, digits);
}
