/**
 * FIT profile numbers the writer uses (verified against node_modules/fit-file-parser/dist/profile.js),
 * and the ids of sports, sub-sports, events and event types by name.
 */
import { getFitSportId, getFitSubSportId } from 'fit-file-parser';
import type { FitEventName, FitEventTypeName } from './fit-spec.js';

/** Global message numbers. */
export const MESG = { fileId: 0, session: 18, lap: 19, record: 20, event: 21, deviceInfo: 23, activity: 34 } as const;

/** Sport ids for the common names (profile type `sport`). */
export const FIT_SPORT = { generic: 0, running: 1, cycling: 2, transition: 3, swimming: 5, walking: 11, e_biking: 21 } as const;
/** Event ids (profile type `event`). */
export const FIT_EVENT = {
  timer: 0,
  workout: 3,
  workout_step: 4,
  power_down: 5,
  power_up: 6,
  off_course: 7,
  session: 8,
  lap: 9,
  battery: 11,
  activity: 26,
} as const;
/** Event-type ids (profile type `event_type`). */
export const FIT_EVENT_TYPE = { start: 0, stop: 1, marker: 3, stop_all: 4, stop_disable: 8, stop_disable_all: 9 } as const;
/** Sub-sport ids for the common names (profile type `sub_sport`). */
export const FIT_SUB_SPORT = {
  generic: 0,
  treadmill: 1,
  street: 2,
  trail: 3,
  track: 4,
  spin: 5,
  indoor_cycling: 6,
  road: 7,
  mountain: 8,
  cyclocross: 11,
  lap_swimming: 17,
  open_water: 18,
  indoor_running: 45,
  gravel_cycling: 46,
  virtual_activity: 58,
} as const;

export const FILE_ACTIVITY = 4;
export const EVENT_TIMER = 0;
export const EVENT_SESSION = 8;
export const EVENT_LAP = 9;
export const EVENT_ACTIVITY = 26;
export const EVENT_TYPE_START = 0;
export const EVENT_TYPE_STOP = 1;
export const EVENT_TYPE_STOP_ALL = 4;
export const LAP_TRIGGER_MANUAL = 0;
export const LAP_TRIGGER_SESSION_END = 7;
export const SESSION_TRIGGER_ACTIVITY_END = 0;
export const ACTIVITY_MANUAL = 0;
export const ACTIVITY_AUTO_MULTI_SPORT = 1;

/** FIT sport id for a profile name; throws on unknown names. */
export function fitSportId(name: string): number {
  const known = (FIT_SPORT as Record<string, number>)[name];
  const id = known ?? getFitSportId(name);
  if (id === null || id === undefined) throw new RangeError(`Unknown FIT sport: ${name}`);
  return id;
}

function enumId(table: Record<string, number>, kind: string, value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xfe) throw new RangeError(`Invalid FIT ${kind}: ${value}`);
    return value;
  }
  const id = table[value];
  if (id === undefined) throw new RangeError(`Unknown FIT ${kind}: ${value}`);
  return id;
}

/** FIT event id for a name (or a number); throws on unknown names. */
export const fitEventId = (value: FitEventName | number): number => enumId(FIT_EVENT, 'event', value);
/** FIT event-type id for a name (or a number); throws on unknown names. */
export const fitEventTypeId = (value: FitEventTypeName | number): number => enumId(FIT_EVENT_TYPE, 'event type', value);

/** FIT sub-sport id for a profile name; throws on unknown names. */
export function fitSubSportId(name: string): number {
  const known = (FIT_SUB_SPORT as Record<string, number>)[name];
  const id = known ?? getFitSubSportId(name);
  if (id === null || id === undefined) throw new RangeError(`Unknown FIT sub-sport: ${name}`);
  return id;
}
