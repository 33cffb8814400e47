/**
 * Numbers, durations, distances and short ids as the chat messages write them, from the one
 * formatting module (src/report/format.ts).
 */
import { chatQuantity, formatDistance as distanceText, formatDuration as durationText, type Units } from '../../report/format.js';

/** A number as chat text ("1,234", "8.0 h", "–" when missing). */
export const quantity = (v: number | null | undefined, digits = 0, unit = '') => chatQuantity(v, digits, unit.trim());

/** A count as chat text ("1,500"). */
export { formatCount as count } from '../../domain/numbers.js';

/** 1:05 h, 45 min, 30 s (chat style of src/report/format.ts). */
export function formatDuration(seconds: number | null): string {
  return durationText(seconds, 'chat');
}

/** Metres as km, or miles for imperial units; '' when there is no distance (an indoor ride). */
export function formatDistance(meters: number | null, units: Units): string {
  if (meters === null || !Number.isFinite(meters) || meters <= 0) return '';
  return distanceText(meters, units, 'chat');
}

/** The first characters of an id, as messages show activities and runs: the shortest id /activities shows and /delete takes. */
const SHORT_ID_LENGTH = 8;
export const shortId = (id: string) => id.slice(0, SHORT_ID_LENGTH);
