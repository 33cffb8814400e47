/**
 * The athlete's intervals.icu calendar, as far as our workouts go: bulk upsert on our external ids
 * (`POST …/events/bulk?upsert=true`, category WORKOUT, the workout text as `description`, which
 * intervals.icu parses into the structured workout it sends to Garmin and Wahoo), reading back the
 * events that carry our `domestique:` prefix, and the bulk delete by event id
 * (`PUT …/events/bulk-delete`). Events without our prefix are the athlete's and never touched.
 */
import { CALENDAR_ID_PREFIX } from '../../domain/coaching/calendar-workouts.js';
import type { CalendarWorkout, IntervalsApi, RemoteCalendarEvent } from '../types.js';
import { isObject, jsonId, jsonList, jsonText, readJson, type IntervalsCall } from './http.js';

/** intervals.icu refuses longer event names ("Name is too long"). */
export const EVENT_NAME_MAX = 80;
/** Events per bulk call, to keep each request small. */
const BULK_CHUNK = 100;

/** A name intervals.icu takes: at most 80 characters, cut at a character with an ellipsis. */
export function eventName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= EVENT_NAME_MAX ? chars.join('') : `${chars.slice(0, EVENT_NAME_MAX - 1).join('')}…`;
}

function calendarEvent(raw: unknown): RemoteCalendarEvent | null {
  if (!isObject(raw)) return null;
  const id = jsonId(raw.id);
  if (id === null) return null;
  return { id, externalId: jsonText(raw.external_id), date: (jsonText(raw.start_date_local) ?? '').slice(0, 10) };
}

const events = (body: unknown, what: string): RemoteCalendarEvent[] =>
  jsonList(body, what)
    .map(calendarEvent)
    .filter((e): e is RemoteCalendarEvent => e !== null);

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BULK_CHUNK) out.push(items.slice(i, i + BULK_CHUNK));
  return out;
}

/** One workout as intervals.icu's event: an all-day planned ride on its local date. */
function eventBody(w: CalendarWorkout) {
  return {
    category: 'WORKOUT',
    start_date_local: `${w.date}T00:00:00`,
    type: 'Ride',
    name: eventName(w.name),
    description: w.description,
    moving_time: Math.round(w.movingSeconds),
    icu_training_load: Math.round(w.load),
    external_id: w.externalId,
  };
}

/** The calendar calls of the client, for the athlete at `athletePath` (`/api/v1/athlete/{id}`). */
export function intervalsCalendar(
  call: IntervalsCall,
  athletePath: string,
): Pick<IntervalsApi, 'upsertWorkouts' | 'calendarWorkouts' | 'deleteEvents'> {
  return {
    async upsertWorkouts(workouts) {
      const what = 'updating the calendar';
      const out: RemoteCalendarEvent[] = [];
      for (const part of chunks(workouts)) {
        const request = {
          method: 'POST' as const,
          path: `${athletePath}/events/bulk`,
          query: { upsert: 'true' },
          body: part.map(eventBody),
        };
        out.push(...events(await readJson(await call({ ...request, what }), what), what));
      }
      return out;
    },

    async calendarWorkouts(oldest, newest) {
      const what = 'reading the calendar';
      // Whole local days: date-only bounds have been read as instants by the service before.
      const query = { oldest: `${oldest}T00:00:00`, newest: `${newest}T23:59:59`, category: 'WORKOUT' };
      const body = await readJson(await call({ method: 'GET', path: `${athletePath}/events`, query, what }), what);
      return events(body, what).filter((e) => e.externalId?.startsWith(CALENDAR_ID_PREFIX) ?? false);
    },

    async deleteEvents(ids) {
      const what = 'deleting calendar events';
      for (const part of chunks(ids)) {
        const body = part.map((id) => ({ id: /^\d+$/.test(id) ? Number(id) : id }));
        const response = await call({ method: 'PUT', path: `${athletePath}/events/bulk-delete`, body, what });
        await response.arrayBuffer().catch(() => undefined);
      }
    },
  };
}
