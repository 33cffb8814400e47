/**
 * Strava's webhook events (`POST` to the subscription's callback): `object_type` activity or
 * athlete, `object_id`, `aspect_type` create/update/delete, `owner_id`, `event_time` (epoch s),
 * `updates` (`{"title": …}`, `{"type": …}`, `{"private": "true"}`, `{"authorized": "false"}` when
 * an athlete revokes the application).
 */
import type { StravaWebhookEvent } from '../types.js';

const OBJECT_TYPES = new Set<StravaWebhookEvent['objectType']>(['activity', 'athlete']);
const ASPECT_TYPES = new Set<StravaWebhookEvent['aspectType']>(['create', 'update', 'delete']);

function idOf(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return v;
  return null;
}

/** The changed fields as strings (Strava sends strings; numbers and booleans are read as their text). */
function updatesOf(v: unknown): Record<string, string> | null {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return null;
  const updates: Record<string, string> = {};
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (typeof value === 'string') updates[key] = value.slice(0, 500);
    else if (typeof value === 'number' || typeof value === 'boolean') updates[key] = String(value);
  }
  return updates;
}

/** A webhook body → the event; null for anything that is not one (answered 200 all the same, and dropped). */
export function parseStravaWebhook(body: unknown): StravaWebhookEvent | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const raw = body as Record<string, unknown>;
  const objectType = raw.object_type as StravaWebhookEvent['objectType'];
  const aspectType = raw.aspect_type as StravaWebhookEvent['aspectType'];
  if (!OBJECT_TYPES.has(objectType) || !ASPECT_TYPES.has(aspectType)) return null;
  const objectId = idOf(raw.object_id);
  const ownerId = idOf(raw.owner_id);
  const eventTime = raw.event_time;
  const updates = updatesOf(raw.updates);
  if (objectId === null || ownerId === null || updates === null) return null;
  if (typeof eventTime !== 'number' || !Number.isFinite(eventTime) || eventTime < 0) return null;
  return { objectType, objectId, aspectType, ownerId, eventTime: Math.floor(eventTime), updates };
}
