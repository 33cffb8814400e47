/**
 * What someone wrote for their time zone, as the IANA zone it means: a zone id in any case, a
 * city, a common name or abbreviation, or an offset. The profile's parser and `/reminders zone`
 * both read zones here, and every zone returned passes the calendar's one check
 * (`isValidTimeZone`), so the two accept and refuse the same zones.
 */
import { isValidTimeZone } from '../domain/calendar.js';
import { CITY_ZONES, ODD_OFFSETS, ZONE_NAMES } from './time-zone-names.js';

let zoneCities: Map<string, string> | null = null;
/** "paris" → Europe/Paris, "new york" → America/New_York: the last part of every zone the runtime knows. */
function citiesOfZones(): Map<string, string> {
  if (zoneCities) return zoneCities;
  zoneCities = new Map();
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const city = zone.split('/').at(-1)!.replace(/_/g, ' ').toLowerCase();
    if (zone.includes('/') && !zone.startsWith('Etc/') && !zoneCities.has(city)) zoneCities.set(city, zone);
  }
  return zoneCities;
}

/** The runtime's spelling of a valid zone ("europe/paris" → "Europe/Paris", "Etc/GMT" → "UTC"); null when it is none. */
function canonicalZone(zone: string): string | null {
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return isValidTimeZone(canonical) ? canonical : null;
  } catch {
    return null;
  }
}

/** "GMT+1", "UTC-5", "+05:30": whole hours as Etc/GMT∓N (POSIX inverts the sign), the others from ODD_OFFSETS. */
function offsetZone(sign: number, hours: number, minutes: number): string | null {
  if (minutes === 0) {
    if (hours === 0) return 'UTC';
    if (sign * hours < -12 || sign * hours > 14) return null;
    return canonicalZone(`Etc/GMT${sign > 0 ? '-' : '+'}${hours}`);
  }
  // kept as written in the table (the runtime would spell Asia/Kolkata as Asia/Calcutta)
  const zone = ODD_OFFSETS[`${sign > 0 ? '+' : '-'}${hours}:${String(minutes).padStart(2, '0')}`];
  return zone !== undefined && isValidTimeZone(zone) ? zone : null;
}

/**
 * The IANA zone meant by what someone wrote for their time zone: a zone id in any case
 * ("Europe/Berlin"), a city ("London", "Paris, France", "Munich"), a common name or abbreviation
 * ("CET", "Eastern", "BST") or an offset ("GMT+1", "UTC-5", "+05:30"). Whole-hour offsets become
 * Etc/GMT∓N — POSIX inverts the sign, so GMT+1 is Etc/GMT-1 — which keeps that offset all year.
 * Null when nothing fits.
 */
export function resolveTimeZone(input: string): string | null {
  const raw = input
    .trim()
    .replace(/[.!]+$/, '')
    .replace(/^(?:my\s+)?(?:time\s*zone|timezone|tz|zone)\s*(?:is|:|=)?\s*/i, '')
    .replace(/^(?:i\s+(?:live|am|'m)\s+in|i'?m\s+in|in|near|from)\s+/i, '')
    .trim();
  if (raw.length === 0 || raw.length > 60) return null;
  if (/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(raw) || raw.toUpperCase() === 'UTC') return canonicalZone(raw);
  const offset = /^(?:utc|gmt|z)?\s*([+\-−])\s*(\d{1,2})(?:(?::|h|\.)?(\d{2}))?(?:\s*h(?:ours?)?)?$/i.exec(raw);
  if (offset) return offsetZone(offset[1] === '+' ? 1 : -1, Number(offset[2]), Number(offset[3] ?? '0'));
  const name = raw.toLowerCase().replace(/\s+/g, ' ');
  const tries = [name, name.replace(/\s+(?:time|time\s*zone)$/, ''), name.split(',')[0]!.trim(), name.replace(/\s+city$/, '')];
  for (const t of tries) {
    const found = ZONE_NAMES[t] ?? CITY_ZONES[t] ?? citiesOfZones().get(t);
    if (found) return canonicalZone(found);
  }
  return null;
}

/** A zone that keeps one offset all year (UTC, Etc/GMT-1): the reply says so. */
export function isFixedOffsetZone(zone: string): boolean {
  return zone === 'UTC' || zone.startsWith('Etc/');
}

/** "UTC+1" for Etc/GMT-1 (POSIX signs are inverted), the zone itself otherwise. */
export function describeZone(zone: string): string {
  const etc = /^Etc\/GMT([+-])(\d{1,2})$/.exec(zone);
  return etc ? `UTC${etc[1] === '-' ? '+' : '−'}${etc[2]}` : zone;
}
