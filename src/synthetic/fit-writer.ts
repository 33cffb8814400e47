/**
 * Writes FIT activity files from plain samples, with the encoder that ships with fit-file-parser.
 * Used for the offline demo, benchmarks and tests: no real rides needed.
 *
 * Layout of the file (the order a head unit writes it in):
 *   file_id, device_info?, then per session: events (timer and any extra ones) interleaved with
 *   records, lap(s), session; finally activity.
 *
 * Multisport files: give several sessions. By default each session writes its own timer start
 * and stop_all; a triathlon watch runs one timer across all legs instead, which is written with
 * `timerEvents: false` and explicit `events` (e.g. one `timer start` on the swim, a `power_up`
 * during T1, a `timer stop_all` at the end of the run).
 *
 * Fields that are undefined (or not finite) in a sample are left out of that record entirely:
 * each combination of present fields gets its own local message definition, so a reader never
 * sees a placeholder value.
 */
import { FitBaseType, FitEncoder, getFitSportId, getFitSubSportId } from 'fit-file-parser';
import type { FitEncoderField } from 'fit-file-parser';

export interface FitRecordSample {
  time: Date;
  power?: number;
  heartRate?: number;
  cadence?: number;
  /** m/s */
  speed?: number;
  /** m, cumulative from the session start */
  distance?: number;
  /** m */
  altitude?: number;
  /** degrees */
  latitude?: number;
  /** degrees */
  longitude?: number;
}

/** FIT event names (the ones in FIT_EVENT); any other event of the profile is given by its number. */
export type FitEventName =
  'timer' | 'workout' | 'power_down' | 'power_up' | 'off_course' | 'session' | 'lap' | 'battery' | 'activity' | (string & {});
/** FIT event types (profile type `event_type`). */
export type FitEventTypeName = 'start' | 'stop' | 'marker' | 'stop_all' | 'stop_disable' | 'stop_disable_all';

/** An event message (21) as a device writes it. */
export interface FitEventSpec {
  time: Date;
  event: FitEventName | number;
  eventType: FitEventTypeName | number;
  /** Field 3 (`data`), uint32. */
  data?: number;
  /** Field 4 (`event_group`). Default 0. */
  eventGroup?: number;
}

/** FIT sport names (`cycling`, `running`, ...); any name from the FIT profile is accepted. */
export type FitSportName = 'cycling' | 'running' | 'swimming' | 'transition' | 'generic' | 'walking' | 'e_biking' | (string & {});

export interface FitSessionSpec {
  sport: FitSportName;
  /** FIT sub-sport name (`road`, `mountain`, `indoor_cycling`, `virtual_activity`, `gravel_cycling`, ...). Default `generic`. */
  subSport?: string;
  startTime: Date;
  /** In time order. */
  records: FitRecordSample[];
  /** Periods the timer was stopped; they count towards elapsed time but not timer time. */
  timerStops?: { stop: Date; start: Date }[];
  /** Laps as [start, end) (the last one includes its end). Omitted: one lap spanning the session. `[]`: no lap messages. */
  laps?: { start: Date; end: Date }[];
  /** Figures the head unit computed itself (session fields 34, 35, 36, 45). */
  device?: { normalizedPower?: number; tss?: number; ftp?: number; intensityFactor?: number };
  /**
   * Write the timer start at `startTime`, stop_all/start around each of `timerStops` and a
   * stop_all at the end. Default true. With false only `events` are written (the session's
   * timer time is still computed from `timerStops`, as the device's own figure).
   */
  timerEvents?: boolean;
  /** More event messages, written among this session's records in time order (any time, even before `startTime`). */
  events?: FitEventSpec[];
  /** Write the session message. Default true. False: a file as a head unit that never closed its session leaves it. */
  sessionMessage?: boolean;
  /** Session fields to leave out, as some devices and apps do. */
  omitSessionFields?: ('start_time' | 'timestamp' | 'sport' | 'sub_sport')[];
  /** Lap fields to leave out. */
  omitLapFields?: ('sport' | 'sub_sport')[];
}

export interface FitEncodeOptions {
  /** FIT manufacturer id. Default 255 (`development`); 1 is Garmin. */
  manufacturer?: number;
  /** Product id. Default 0. (Garmin Edge 530 is 3121.) */
  product?: number;
  /** Default 123456789. Must be non-zero (uint32z). */
  serialNumber?: number;
  /** Written to device_info, e.g. 9.75. */
  softwareVersion?: number;
  /** Write a device_info message for the creator. Default true. */
  deviceInfo?: boolean;
  /**
   * Write records' speed and altitude as `enhanced_speed` (73) and `enhanced_altitude` (78) only,
   * as recent Garmin units do, and the session/lap speeds as `enhanced_avg_speed`/`enhanced_max_speed`
   * as well. Default false (legacy `speed` (6) / `altitude` (2)). Values that do not fit the legacy
   * uint16 fields are written as enhanced fields either way.
   */
  enhancedFields?: boolean;
  /** When given, activity.local_timestamp = timestamp + offset. */
  timeZoneOffsetMinutes?: number;
}

// ---- FIT profile numbers (verified against node_modules/fit-file-parser/dist/profile.js) ----

export const MESG = { fileId: 0, session: 18, lap: 19, record: 20, event: 21, deviceInfo: 23, activity: 34 } as const;

/** Sport ids for the common names (profile type `sport`). */
export const FIT_SPORT = { generic: 0, running: 1, cycling: 2, transition: 3, swimming: 5, walking: 11, e_biking: 21 } as const;
/** Sub-sport ids for the common names (profile type `sub_sport`). */
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

const FILE_ACTIVITY = 4;
const EVENT_TIMER = 0;
const EVENT_SESSION = 8;
const EVENT_LAP = 9;
const EVENT_ACTIVITY = 26;
const EVENT_TYPE_START = 0;
const EVENT_TYPE_STOP = 1;
const EVENT_TYPE_STOP_ALL = 4;
const LAP_TRIGGER_MANUAL = 0;
const LAP_TRIGGER_SESSION_END = 7;
const SESSION_TRIGGER_ACTIVITY_END = 0;
const ACTIVITY_MANUAL = 0;
const ACTIVITY_AUTO_MULTI_SPORT = 1;

const SEMICIRCLES_PER_DEGREE = 2 ** 31 / 180;
const FIT_EPOCH_MS = 631065600000;

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

// ---- field builders: values are clamped to the valid range (the invalid value is never written) ----

const has = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

function clampInt(v: number, min: number, max: number): number {
  const r = Math.round(v);
  return r < min ? min : r > max ? max : r;
}

const enumField = (number: number, v: number): FitEncoderField => ({
  number,
  size: 1,
  baseType: FitBaseType.Enum,
  value: clampInt(v, 0, 0xfe),
});
const u8 = (number: number, v: number): FitEncoderField => ({ number, size: 1, baseType: FitBaseType.Uint8, value: clampInt(v, 0, 0xfe) });
const u16 = (number: number, v: number): FitEncoderField => ({
  number,
  size: 2,
  baseType: FitBaseType.Uint16,
  value: clampInt(v, 0, 0xfffe),
});
const u32 = (number: number, v: number): FitEncoderField => ({
  number,
  size: 4,
  baseType: FitBaseType.Uint32,
  value: clampInt(v, 0, 0xfffffffe),
});
const u32z = (number: number, v: number): FitEncoderField => ({
  number,
  size: 4,
  baseType: FitBaseType.Uint32z,
  value: clampInt(v, 1, 0xffffffff),
});
const s32 = (number: number, v: number): FitEncoderField => ({
  number,
  size: 4,
  baseType: FitBaseType.Sint32,
  value: clampInt(v, -0x7fffffff, 0x7ffffffe),
});
const time = (number: number, d: Date): FitEncoderField => ({
  number,
  size: 4,
  baseType: FitBaseType.Uint32,
  value: FitEncoder.toFitTimestamp(d),
});
const semicircles = (number: number, degrees: number): FitEncoderField => s32(number, degrees * SEMICIRCLES_PER_DEGREE);

/** Largest value a legacy uint16 speed (scale 1000) / altitude (scale 5, offset 500) can hold. */
const MAX_LEGACY_SPEED = 0xfffe / 1000;
const MIN_LEGACY_ALTITUDE = -500;
const MAX_LEGACY_ALTITUDE = 0xfffe / 5 - 500;

// ---- record local-message management ----

/** Records use local messages 1–15, one per field combination (least recently used is redefined). */
class RecordLocals {
  private readonly slots = new Map<string, number>();
  local(signature: string): number {
    const hit = this.slots.get(signature);
    if (hit !== undefined) {
      this.slots.delete(signature);
      this.slots.set(signature, hit);
      return hit;
    }
    let local = this.slots.size + 1;
    if (local > 15) {
      const [oldest, slot] = this.slots.entries().next().value as [string, number];
      this.slots.delete(oldest);
      local = slot;
    }
    this.slots.set(signature, local);
    return local;
  }
}

function recordFields(r: FitRecordSample, enhanced: boolean): FitEncoderField[] {
  const f: FitEncoderField[] = [time(253, r.time)];
  if (has(r.latitude) && has(r.longitude)) {
    f.push(semicircles(0, r.latitude), semicircles(1, r.longitude));
  }
  if (has(r.altitude)) {
    if (!enhanced && r.altitude >= MIN_LEGACY_ALTITUDE && r.altitude <= MAX_LEGACY_ALTITUDE) f.push(u16(2, (r.altitude + 500) * 5));
    else f.push(u32(78, (r.altitude + 500) * 5));
  }
  if (has(r.heartRate)) f.push(u8(3, r.heartRate));
  if (has(r.cadence)) f.push(u8(4, r.cadence));
  if (has(r.distance)) f.push(u32(5, r.distance * 100));
  if (has(r.speed)) {
    if (!enhanced && r.speed <= MAX_LEGACY_SPEED) f.push(u16(6, r.speed * 1000));
    else f.push(u32(73, r.speed * 1000));
  }
  if (has(r.power)) f.push(u16(7, r.power));
  return f;
}

// ---- summaries ----

interface Pause {
  stop: number;
  start: number;
}

/** Milliseconds of [from, to] not covered by a pause. */
function timerMs(from: number, to: number, pauses: readonly Pause[]): number {
  let ms = to - from;
  for (const p of pauses) {
    const overlap = Math.min(to, p.start) - Math.max(from, p.stop);
    if (overlap > 0) ms -= overlap;
  }
  return Math.max(0, ms);
}

interface Summary {
  elapsedS: number;
  timerS: number;
  distance?: number;
  avgSpeed?: number;
  maxSpeed?: number;
  avgHr?: number;
  maxHr?: number;
  avgCadence?: number;
  maxCadence?: number;
  avgPower?: number;
  maxPower?: number;
  work?: number;
  ascent?: number;
  descent?: number;
  startPos?: [number, number];
  endPos?: [number, number];
}

/** Time-weighted: each record stands for the timer seconds until the next one (at least 1 s). */
function summarize(
  records: readonly FitRecordSample[],
  from: number,
  to: number,
  distanceBefore: number,
  pauses: readonly Pause[],
): Summary {
  const elapsedS = (to - from) / 1000;
  const timerS = timerMs(from, to, pauses) / 1000;
  const s: Summary = { elapsedS, timerS };
  let lastDistance: number | undefined;
  let maxSpeed = -Infinity,
    maxHr = -Infinity,
    maxCad = -Infinity,
    maxPower = -Infinity;
  let hrSum = 0,
    hrW = 0,
    cadSum = 0,
    cadW = 0,
    powSum = 0,
    powW = 0;
  let ascent = 0,
    descent = 0,
    prevAlt: number | undefined,
    anyAlt = false;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as FitRecordSample;
    const t = r.time.getTime();
    const next = records[i + 1];
    const w = next ? Math.max(1, timerMs(t, next.time.getTime(), pauses) / 1000) : 1;
    if (has(r.distance)) lastDistance = lastDistance === undefined ? r.distance : Math.max(lastDistance, r.distance);
    if (has(r.speed)) maxSpeed = Math.max(maxSpeed, r.speed);
    if (has(r.heartRate)) {
      hrSum += r.heartRate * w;
      hrW += w;
      maxHr = Math.max(maxHr, r.heartRate);
    }
    if (has(r.cadence)) {
      maxCad = Math.max(maxCad, r.cadence);
      if (r.cadence > 0) {
        cadSum += r.cadence * w;
        cadW += w;
      }
    }
    if (has(r.power)) {
      powSum += Math.max(0, r.power) * w;
      powW += w;
      maxPower = Math.max(maxPower, r.power);
    }
    if (has(r.altitude)) {
      anyAlt = true;
      if (prevAlt !== undefined) {
        const d = r.altitude - prevAlt;
        if (d > 0) ascent += d;
        else descent -= d;
      }
      prevAlt = r.altitude;
    }
    if (has(r.latitude) && has(r.longitude)) {
      s.startPos ??= [r.latitude, r.longitude];
      s.endPos = [r.latitude, r.longitude];
    }
  }
  if (lastDistance !== undefined) {
    s.distance = Math.max(0, lastDistance - distanceBefore);
    if (timerS > 0) s.avgSpeed = s.distance / timerS;
  }
  if (maxSpeed > -Infinity) s.maxSpeed = maxSpeed;
  if (hrW > 0) {
    s.avgHr = hrSum / hrW;
    s.maxHr = maxHr;
  }
  if (maxCad > -Infinity) {
    s.maxCadence = maxCad;
    s.avgCadence = cadW > 0 ? cadSum / cadW : 0;
  }
  if (powW > 0) {
    s.avgPower = powSum / powW;
    s.maxPower = maxPower;
    s.work = powSum;
  }
  if (anyAlt) {
    s.ascent = ascent;
    s.descent = descent;
  }
  return s;
}

/** Summary fields shared by lap and session; `n` maps the field role to its number in that message. */
function summaryFields(
  s: Summary,
  n: Record<
    | 'elapsed'
    | 'timer'
    | 'distance'
    | 'avgSpeed'
    | 'maxSpeed'
    | 'avgHr'
    | 'maxHr'
    | 'avgCad'
    | 'maxCad'
    | 'avgPower'
    | 'maxPower'
    | 'ascent'
    | 'descent'
    | 'work'
    | 'enhAvgSpeed'
    | 'enhMaxSpeed',
    number
  >,
  enhanced: boolean,
): FitEncoderField[] {
  const f: FitEncoderField[] = [u32(n.elapsed, s.elapsedS * 1000), u32(n.timer, s.timerS * 1000)];
  if (s.distance !== undefined) f.push(u32(n.distance, s.distance * 100));
  if (s.avgSpeed !== undefined) {
    f.push(u16(n.avgSpeed, s.avgSpeed * 1000));
    if (enhanced || s.avgSpeed > MAX_LEGACY_SPEED) f.push(u32(n.enhAvgSpeed, s.avgSpeed * 1000));
  }
  if (s.maxSpeed !== undefined) {
    f.push(u16(n.maxSpeed, s.maxSpeed * 1000));
    if (enhanced || s.maxSpeed > MAX_LEGACY_SPEED) f.push(u32(n.enhMaxSpeed, s.maxSpeed * 1000));
  }
  if (s.avgHr !== undefined && s.maxHr !== undefined) f.push(u8(n.avgHr, s.avgHr), u8(n.maxHr, s.maxHr));
  if (s.avgCadence !== undefined && s.maxCadence !== undefined) f.push(u8(n.avgCad, s.avgCadence), u8(n.maxCad, s.maxCadence));
  if (s.avgPower !== undefined && s.maxPower !== undefined) f.push(u16(n.avgPower, s.avgPower), u16(n.maxPower, s.maxPower));
  if (s.ascent !== undefined && s.descent !== undefined) f.push(u16(n.ascent, s.ascent), u16(n.descent, s.descent));
  if (s.work !== undefined) f.push(u32(n.work, s.work));
  return f;
}

const LAP_FIELDS = {
  elapsed: 7,
  timer: 8,
  distance: 9,
  avgSpeed: 13,
  maxSpeed: 14,
  avgHr: 15,
  maxHr: 16,
  avgCad: 17,
  maxCad: 18,
  avgPower: 19,
  maxPower: 20,
  ascent: 21,
  descent: 22,
  work: 41,
  enhAvgSpeed: 110,
  enhMaxSpeed: 111,
};
const SESSION_FIELDS = {
  elapsed: 7,
  timer: 8,
  distance: 9,
  avgSpeed: 14,
  maxSpeed: 15,
  avgHr: 16,
  maxHr: 17,
  avgCad: 18,
  maxCad: 19,
  avgPower: 20,
  maxPower: 21,
  ascent: 22,
  descent: 23,
  work: 48,
  enhAvgSpeed: 124,
  enhMaxSpeed: 125,
};

/** Last defined distance among records strictly before `t` (0 when none). */
function distanceBefore(records: readonly FitRecordSample[], t: number): number {
  let d = 0;
  for (const r of records) {
    if (r.time.getTime() >= t) break;
    if (has(r.distance)) d = Math.max(d, r.distance);
  }
  return d;
}

// ---- encoder ----

interface PendingEvent {
  t: number;
  event: number;
  type: number;
  data?: number;
  group: number;
}

/**
 * Encodes one or more sessions into a FIT activity file (CRC included).
 * Throws RangeError on unknown sports, records out of time order, or timer stops that end before they start.
 */
export function encodeActivityFit(sessions: FitSessionSpec[], options: FitEncodeOptions = {}): Uint8Array {
  if (sessions.length === 0) throw new RangeError('encodeActivityFit needs at least one session');
  const enhanced = options.enhancedFields ?? false;
  const manufacturer = options.manufacturer ?? 255;
  const product = options.product ?? 0;
  const serial = options.serialNumber ?? 123456789;
  const firstSession = sessions[0] as FitSessionSpec;
  const enc = new FitEncoder();
  const locals = new RecordLocals();

  enc.writeMessage(
    MESG.fileId,
    [enumField(0, FILE_ACTIVITY), u16(1, manufacturer), u16(2, product), u32z(3, serial), time(4, firstSession.startTime)],
    0,
  );

  if (options.deviceInfo ?? true) {
    const fields = [time(253, firstSession.startTime), u8(0, 0), u16(2, manufacturer), u32z(3, serial), u16(4, product)];
    if (options.softwareVersion !== undefined) fields.push(u16(5, options.softwareVersion * 100));
    enc.writeMessage(MESG.deviceInfo, fields, 0);
  }

  let lapIndex = 0;
  let totalTimerS = 0;
  let activityEnd = firstSession.startTime.getTime();

  sessions.forEach((spec, sessionIndex) => {
    const sport = fitSportId(spec.sport);
    const subSport = fitSubSportId(spec.subSport ?? 'generic');
    const start = spec.startTime.getTime();
    const records = spec.records;
    for (let i = 1; i < records.length; i++) {
      if ((records[i] as FitRecordSample).time.getTime() < (records[i - 1] as FitRecordSample).time.getTime()) {
        throw new RangeError(`Session ${sessionIndex}: record ${i} is earlier than the one before it`);
      }
    }
    const pauses: Pause[] = (spec.timerStops ?? [])
      .map((p) => ({ stop: p.stop.getTime(), start: p.start.getTime() }))
      .sort((a, b) => a.stop - b.stop);
    for (const p of pauses) if (p.start < p.stop) throw new RangeError(`Session ${sessionIndex}: a timer stop ends before it starts`);

    const lastRecord = records[records.length - 1];
    let end = Math.max(start, lastRecord ? lastRecord.time.getTime() : start);
    for (const lap of spec.laps ?? []) end = Math.max(end, lap.end.getTime());
    activityEnd = Math.max(activityEnd, end);

    // Events, merged with the records in time order: a start goes before a record at the same
    // second, anything else after it.
    const events: PendingEvent[] = [];
    const timer = (t: number, type: number): PendingEvent => ({ t, event: EVENT_TIMER, type, group: 0 });
    if (spec.timerEvents ?? true) {
      events.push(timer(start, EVENT_TYPE_START));
      for (const p of pauses) events.push(timer(p.stop, EVENT_TYPE_STOP_ALL), timer(p.start, EVENT_TYPE_START));
      events.push(timer(end, EVENT_TYPE_STOP_ALL));
    }
    for (const x of spec.events ?? []) {
      if (!Number.isFinite(x.time.getTime())) throw new RangeError(`Session ${sessionIndex}: an event has an invalid time`);
      events.push({
        t: x.time.getTime(),
        event: fitEventId(x.event),
        type: fitEventTypeId(x.eventType),
        data: x.data,
        group: x.eventGroup ?? 0,
      });
    }
    events.sort((a, b) => a.t - b.t); // stable: same-time events keep their order
    let e = 0;
    const writeEvent = (ev: PendingEvent): void => {
      const fields = [time(253, new Date(ev.t)), enumField(0, ev.event), enumField(1, ev.type)];
      if (has(ev.data)) fields.push(u32(3, ev.data));
      fields.push(u8(4, ev.group));
      enc.writeMessage(MESG.event, fields, 0);
    };
    for (const r of records) {
      const t = r.time.getTime();
      for (let ev = events[e]; ev && (ev.t < t || (ev.t === t && ev.type === EVENT_TYPE_START)); ev = events[++e]) writeEvent(ev);
      const fields = recordFields(r, enhanced);
      enc.writeMessage(MESG.record, fields, locals.local(fields.map((x) => x.number).join(',')));
    }
    for (let ev = events[e]; ev; ev = events[++e]) writeEvent(ev);

    // Laps.
    const laps = spec.laps ?? [{ start: spec.startTime, end: new Date(end) }];
    const firstLapIndex = lapIndex;
    laps.forEach((lap, i) => {
      const from = lap.start.getTime();
      const to = lap.end.getTime();
      const last = i === laps.length - 1;
      const inLap = records.filter((r) => {
        const t = r.time.getTime();
        return t >= from && (last ? t <= to : t < to);
      });
      const s = summarize(inLap, from, to, distanceBefore(records, from), pauses);
      const fields: FitEncoderField[] = [
        time(253, lap.end),
        u16(254, lapIndex),
        enumField(0, EVENT_LAP),
        enumField(1, EVENT_TYPE_STOP),
        time(2, lap.start),
      ];
      if (s.startPos) fields.push(semicircles(3, s.startPos[0]), semicircles(4, s.startPos[1]));
      if (s.endPos) fields.push(semicircles(5, s.endPos[0]), semicircles(6, s.endPos[1]));
      fields.push(...summaryFields(s, LAP_FIELDS, enhanced));
      fields.push(enumField(24, last ? LAP_TRIGGER_SESSION_END : LAP_TRIGGER_MANUAL));
      if (!spec.omitLapFields?.includes('sport')) fields.push(enumField(25, sport));
      if (!spec.omitLapFields?.includes('sub_sport')) fields.push(enumField(39, subSport));
      enc.writeMessage(MESG.lap, fields, 0);
      lapIndex++;
    });

    // Session.
    const s = summarize(records, start, end, 0, pauses);
    totalTimerS += s.timerS;
    if (spec.sessionMessage === false) return;
    const omit = new Set(spec.omitSessionFields ?? []);
    const fields: FitEncoderField[] = [];
    if (!omit.has('timestamp')) fields.push(time(253, new Date(end)));
    fields.push(u16(254, sessionIndex), enumField(0, EVENT_SESSION), enumField(1, EVENT_TYPE_STOP));
    if (!omit.has('start_time')) fields.push(time(2, spec.startTime));
    if (!omit.has('sport')) fields.push(enumField(5, sport));
    if (!omit.has('sub_sport')) fields.push(enumField(6, subSport));
    if (s.startPos) fields.push(semicircles(3, s.startPos[0]), semicircles(4, s.startPos[1]));
    if (s.endPos) fields.push(semicircles(38, s.endPos[0]), semicircles(39, s.endPos[1]));
    fields.push(...summaryFields(s, SESSION_FIELDS, enhanced));
    fields.push(u16(25, firstLapIndex), u16(26, laps.length), enumField(28, SESSION_TRIGGER_ACTIVITY_END));
    const d = spec.device;
    if (d) {
      if (has(d.normalizedPower)) fields.push(u16(34, d.normalizedPower));
      if (has(d.tss)) fields.push(u16(35, d.tss * 10));
      if (has(d.intensityFactor)) fields.push(u16(36, d.intensityFactor * 1000));
      if (has(d.ftp)) fields.push(u16(45, d.ftp));
    }
    enc.writeMessage(MESG.session, fields, 0);
  });

  const activityFields: FitEncoderField[] = [
    time(253, new Date(activityEnd)),
    u32(0, totalTimerS * 1000),
    u16(1, sessions.length),
    enumField(2, sessions.length > 1 ? ACTIVITY_AUTO_MULTI_SPORT : ACTIVITY_MANUAL),
    enumField(3, EVENT_ACTIVITY),
    enumField(4, EVENT_TYPE_STOP),
  ];
  if (options.timeZoneOffsetMinutes !== undefined) {
    const local = Math.floor((activityEnd - FIT_EPOCH_MS) / 1000) + Math.round(options.timeZoneOffsetMinutes * 60);
    activityFields.push(u32(5, local));
  }
  enc.writeMessage(MESG.activity, activityFields, 0);
  return enc.close();
}
