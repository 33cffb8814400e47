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
import { FitEncoder } from 'fit-file-parser';
import type { FitEncoderField } from 'fit-file-parser';
import { enumField, has, semicircles, time, u16, u32, u32z, u8 } from './fit-field-builders.js';
import {
  ACTIVITY_AUTO_MULTI_SPORT,
  ACTIVITY_MANUAL,
  EVENT_ACTIVITY,
  EVENT_LAP,
  EVENT_SESSION,
  EVENT_TYPE_STOP,
  FILE_ACTIVITY,
  fitSportId,
  fitSubSportId,
  LAP_TRIGGER_MANUAL,
  LAP_TRIGGER_SESSION_END,
  MESG,
  SESSION_TRIGGER_ACTIVITY_END,
} from './fit-profile.js';
import { RecordLocals, writeRecordsAndEvents } from './fit-records.js';
import type { FitEncodeOptions, FitRecordSample, FitSessionSpec } from './fit-spec.js';
import { distanceBefore, LAP_FIELDS, SESSION_FIELDS, summarize, summaryFields, type Pause } from './fit-summary.js';

const FIT_EPOCH_MS = 631065600000;

/** One session being written: its spec, ids and times (epoch ms). */
interface SessionInWriting {
  spec: FitSessionSpec;
  index: number;
  sport: number;
  subSport: number;
  start: number;
  /** The last record or lap end, whichever is later (at least the start). */
  end: number;
  /** Timer stops, in time order. */
  pauses: Pause[];
}

/** Checks a session's spec and places it in time; throws RangeError on what cannot be written. */
function sessionInWriting(spec: FitSessionSpec, index: number): SessionInWriting {
  const sport = fitSportId(spec.sport);
  const subSport = fitSubSportId(spec.subSport ?? 'generic');
  const start = spec.startTime.getTime();
  const records = spec.records;
  for (let i = 1; i < records.length; i++) {
    if ((records[i] as FitRecordSample).time.getTime() < (records[i - 1] as FitRecordSample).time.getTime()) {
      throw new RangeError(`Session ${index}: record ${i} is earlier than the one before it`);
    }
  }
  const pauses: Pause[] = (spec.timerStops ?? [])
    .map((p) => ({ stop: p.stop.getTime(), start: p.start.getTime() }))
    .sort((a, b) => a.stop - b.stop);
  for (const p of pauses) if (p.start < p.stop) throw new RangeError(`Session ${index}: a timer stop ends before it starts`);
  const lastRecord = records[records.length - 1];
  let end = Math.max(start, lastRecord ? lastRecord.time.getTime() : start);
  for (const lap of spec.laps ?? []) end = Math.max(end, lap.end.getTime());
  return { spec, index, sport, subSport, start, end, pauses };
}

/** Writes one activity file: file_id and device_info, then each session, then the activity message. */
class ActivityWriter {
  private readonly enc = new FitEncoder();
  private readonly locals = new RecordLocals();
  private readonly enhanced: boolean;
  private lapIndex = 0;
  private totalTimerS = 0;
  private activityEnd: number;

  constructor(
    private readonly options: FitEncodeOptions,
    private readonly firstSession: FitSessionSpec,
  ) {
    this.enhanced = options.enhancedFields ?? false;
    this.activityEnd = firstSession.startTime.getTime();
  }

  writeHeader(): void {
    const manufacturer = this.options.manufacturer ?? 255;
    const product = this.options.product ?? 0;
    const serial = this.options.serialNumber ?? 123456789;
    const startTime = this.firstSession.startTime;
    this.enc.writeMessage(
      MESG.fileId,
      [enumField(0, FILE_ACTIVITY), u16(1, manufacturer), u16(2, product), u32z(3, serial), time(4, startTime)],
      0,
    );
    if (this.options.deviceInfo ?? true) {
      const fields = [time(253, startTime), u8(0, 0), u16(2, manufacturer), u32z(3, serial), u16(4, product)];
      if (this.options.softwareVersion !== undefined) fields.push(u16(5, this.options.softwareVersion * 100));
      this.enc.writeMessage(MESG.deviceInfo, fields, 0);
    }
  }

  /** Records and events, laps, then the session message (unless `sessionMessage` is false). */
  writeSession(spec: FitSessionSpec, sessionIndex: number): void {
    const session = sessionInWriting(spec, sessionIndex);
    this.activityEnd = Math.max(this.activityEnd, session.end);
    writeRecordsAndEvents(this.enc, this.locals, this.enhanced, session);
    const firstLapIndex = this.lapIndex;
    const lapCount = this.writeLaps(session);
    const s = summarize(spec.records, session.start, session.end, 0, session.pauses);
    this.totalTimerS += s.timerS;
    if (spec.sessionMessage === false) return;
    const omit = new Set(spec.omitSessionFields ?? []);
    const fields: FitEncoderField[] = [];
    if (!omit.has('timestamp')) fields.push(time(253, new Date(session.end)));
    fields.push(u16(254, sessionIndex), enumField(0, EVENT_SESSION), enumField(1, EVENT_TYPE_STOP));
    if (!omit.has('start_time')) fields.push(time(2, spec.startTime));
    if (!omit.has('sport')) fields.push(enumField(5, session.sport));
    if (!omit.has('sub_sport')) fields.push(enumField(6, session.subSport));
    if (s.startPos) fields.push(semicircles(3, s.startPos[0]), semicircles(4, s.startPos[1]));
    if (s.endPos) fields.push(semicircles(38, s.endPos[0]), semicircles(39, s.endPos[1]));
    fields.push(...summaryFields(s, SESSION_FIELDS, this.enhanced));
    fields.push(u16(25, firstLapIndex), u16(26, lapCount), enumField(28, SESSION_TRIGGER_ACTIVITY_END));
    const d = spec.device;
    if (d) {
      if (has(d.normalizedPower)) fields.push(u16(34, d.normalizedPower));
      if (has(d.tss)) fields.push(u16(35, d.tss * 10));
      if (has(d.intensityFactor)) fields.push(u16(36, d.intensityFactor * 1000));
      if (has(d.ftp)) fields.push(u16(45, d.ftp));
    }
    this.enc.writeMessage(MESG.session, fields, 0);
  }

  /** The session's lap messages (one spanning the session when it gives none); returns how many. */
  private writeLaps(session: SessionInWriting): number {
    const { spec, pauses } = session;
    const records = spec.records;
    const laps = spec.laps ?? [{ start: spec.startTime, end: new Date(session.end) }];
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
        u16(254, this.lapIndex),
        enumField(0, EVENT_LAP),
        enumField(1, EVENT_TYPE_STOP),
        time(2, lap.start),
      ];
      if (s.startPos) fields.push(semicircles(3, s.startPos[0]), semicircles(4, s.startPos[1]));
      if (s.endPos) fields.push(semicircles(5, s.endPos[0]), semicircles(6, s.endPos[1]));
      fields.push(...summaryFields(s, LAP_FIELDS, this.enhanced));
      fields.push(enumField(24, last ? LAP_TRIGGER_SESSION_END : LAP_TRIGGER_MANUAL));
      if (!spec.omitLapFields?.includes('sport')) fields.push(enumField(25, session.sport));
      if (!spec.omitLapFields?.includes('sub_sport')) fields.push(enumField(39, session.subSport));
      this.enc.writeMessage(MESG.lap, fields, 0);
      this.lapIndex++;
    });
    return laps.length;
  }

  /** The activity message; returns the file's bytes, CRC included. */
  finish(sessionCount: number): Uint8Array {
    const fields: FitEncoderField[] = [
      time(253, new Date(this.activityEnd)),
      u32(0, this.totalTimerS * 1000),
      u16(1, sessionCount),
      enumField(2, sessionCount > 1 ? ACTIVITY_AUTO_MULTI_SPORT : ACTIVITY_MANUAL),
      enumField(3, EVENT_ACTIVITY),
      enumField(4, EVENT_TYPE_STOP),
    ];
    if (this.options.timeZoneOffsetMinutes !== undefined) {
      const local = Math.floor((this.activityEnd - FIT_EPOCH_MS) / 1000) + Math.round(this.options.timeZoneOffsetMinutes * 60);
      fields.push(u32(5, local));
    }
    this.enc.writeMessage(MESG.activity, fields, 0);
    return this.enc.close();
  }
}

/**
 * Encodes one or more sessions into a FIT activity file (CRC included).
 * Throws RangeError on unknown sports, records out of time order, or timer stops that end before they start.
 */
export function encodeActivityFit(sessions: FitSessionSpec[], options: FitEncodeOptions = {}): Uint8Array {
  if (sessions.length === 0) throw new RangeError('encodeActivityFit needs at least one session');
  const writer = new ActivityWriter(options, sessions[0] as FitSessionSpec);
  writer.writeHeader();
  sessions.forEach((spec, sessionIndex) => writer.writeSession(spec, sessionIndex));
  return writer.finish(sessions.length);
}
