/**
 * A session's record messages and event messages, written interleaved in time order. Each
 * combination of present fields gets its own local message definition, so a reader never sees a
 * placeholder value.
 */
import type { FitEncoder, FitEncoderField } from 'fit-file-parser';
import {
  enumField,
  has,
  MAX_LEGACY_ALTITUDE,
  MAX_LEGACY_SPEED,
  MIN_LEGACY_ALTITUDE,
  semicircles,
  time,
  u16,
  u32,
  u8,
} from './fit-field-builders.js';
import { EVENT_TIMER, EVENT_TYPE_START, EVENT_TYPE_STOP_ALL, fitEventId, fitEventTypeId, MESG } from './fit-profile.js';
import type { FitRecordSample, FitSessionSpec } from './fit-spec.js';
import type { Pause } from './fit-summary.js';

/** Records use local messages 1–15, one per field combination (least recently used is redefined). */
export class RecordLocals {
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

/** An event message waiting for its place among the records. */
interface PendingEvent {
  t: number;
  event: number;
  type: number;
  data?: number;
  group: number;
}

/**
 * A session's events in time order: its timer start, stop_all/start around each pause and stop_all
 * at `end` (unless `timerEvents` is false), then its own `events`. Same-time events keep their order.
 */
function sessionEvents(spec: FitSessionSpec, sessionIndex: number, start: number, end: number, pauses: readonly Pause[]): PendingEvent[] {
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
  return events;
}

function writeEvent(enc: FitEncoder, ev: PendingEvent): void {
  const fields = [time(253, new Date(ev.t)), enumField(0, ev.event), enumField(1, ev.type)];
  if (has(ev.data)) fields.push(u32(3, ev.data));
  fields.push(u8(4, ev.group));
  enc.writeMessage(MESG.event, fields, 0);
}

/**
 * Writes a session's records with its events merged in time order: a start goes before a record at
 * the same second, anything else after it.
 */
export function writeRecordsAndEvents(
  enc: FitEncoder,
  locals: RecordLocals,
  enhanced: boolean,
  session: { spec: FitSessionSpec; index: number; start: number; end: number; pauses: readonly Pause[] },
): void {
  const events = sessionEvents(session.spec, session.index, session.start, session.end, session.pauses);
  let e = 0;
  for (const r of session.spec.records) {
    const t = r.time.getTime();
    for (let ev = events[e]; ev && (ev.t < t || (ev.t === t && ev.type === EVENT_TYPE_START)); ev = events[++e]) writeEvent(enc, ev);
    const fields = recordFields(r, enhanced);
    enc.writeMessage(MESG.record, fields, locals.local(fields.map((x) => x.number).join(',')));
  }
  for (let ev = events[e]; ev; ev = events[++e]) writeEvent(enc, ev);
}
