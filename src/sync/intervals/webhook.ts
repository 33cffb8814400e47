/**
 * intervals.icu's webhook POST (configured on an app's "Manage App" page): a JSON body
 * `{ "secret": "…", "events": [{ "athlete_id": "i123", "type": "ACTIVITY_UPLOADED", "timestamp": "…",
 * "activity": { "id": "i456", … } }, …] }`. The secret is the one set for the app; a body whose
 * secret differs is not from intervals.icu and is refused whole. Types include ACTIVITY_UPLOADED,
 * ACTIVITY_ANALYZED, ACTIVITY_UPDATED, ACTIVITY_DELETED and CALENDAR_UPDATED; the caller picks.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** One event of a webhook: whose, what, and the activity when it is about one. */
export interface IntervalsWebhookEvent {
  athleteId: string;
  type: string;
  activityId: string | null;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares in constant time (over equal-length digests, so the length does not show either). */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const idText = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : null;

function webhookEvent(raw: unknown): IntervalsWebhookEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const event = raw as Record<string, unknown>;
  const athleteId = idText(event.athlete_id);
  const type = typeof event.type === 'string' ? event.type : null;
  if (athleteId === null || type === null) return null;
  const activity = typeof event.activity === 'object' && event.activity !== null ? (event.activity as Record<string, unknown>) : null;
  return { athleteId, type, activityId: idText(activity?.id) ?? idText(event.activity_id) };
}

/**
 * The events of a webhook body (parsed JSON), or null when it is not one or its secret is not
 * `secret` (an empty `secret` accepts nothing). Events without an athlete or a type are left out.
 */
export function parseIntervalsWebhook(body: unknown, secret: string): IntervalsWebhookEvent[] | null {
  if (secret.length === 0 || typeof body !== 'object' || body === null) return null;
  const { secret: given, events } = body as { secret?: unknown; events?: unknown };
  if (typeof given !== 'string' || !sameSecret(given, secret) || !Array.isArray(events)) return null;
  return events.map(webhookEvent).filter((e): e is IntervalsWebhookEvent => e !== null);
}
