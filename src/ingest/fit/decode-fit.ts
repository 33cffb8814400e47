/**
 * FIT bytes → normalised activities, one per sport session.
 *
 * fit-file-parser decodes the fields. Before it runs, the file's structure and CRC are checked
 * here, so that damaged files are cut back to their last whole record and salvaged with a
 * warning (or refused with a clear error) instead of being decoded as garbage.
 */
import FitParser from 'fit-file-parser';
import type { Activity, ActivityWarning, DeviceFigures, Lap } from '../../domain/activity.js';
import { err, ok, type Result } from '../../domain/result.js';
import { formatBytes, ingestError, type IngestError } from '../ingest-error.js';
import { activityId, sha256Hex } from '../identity.js';
import { resample, STREAM_NAMES, type RawSamples, type RunningIntervals } from '../resample.js';
import { FIT_FILE_CRC_BYTES, fitCrc, readFitHeader, rebuildFit, walkFitRecords } from './fit-structure.js';
import { describeNonFit } from './sniff.js';

type FitMessage = Record<string, unknown>;
interface ParsedFit {
  sessions?: FitMessage[];
  laps?: FitMessage[];
  records?: FitMessage[];
  events?: FitMessage[];
  sports?: FitMessage[];
}

type Damage = { code: 'truncated' | 'bad-crc' | 'corrupt'; detail: string };

/**
 * What one FIT file may decode to, checked before fit-file-parser builds an object per record
 * (about 0.9 KB of heap each, measured): a 100 MB file of 26 M four-byte records would need
 * tens of GB. A day of 1 Hz recording is 86,400 records and 3–10 MB; these limits leave room
 * for a 90-hour brevet (324,000 records) and stop a crafted file in a fraction of a second.
 */
export interface FitLimits {
  /** Largest FIT file (after any gzip), bytes. */
  maxFitBytes: number;
  /** Most data records in one file (counted by a structural walk, nothing decoded). */
  maxFitRecords: number;
  /** Longest span between a file's first and last record time stamps. */
  maxActivityDays: number;
}

export const DEFAULT_FIT_LIMITS: FitLimits = {
  maxFitBytes: 64 * 1024 * 1024,
  maxFitRecords: 400_000,
  // a recording left running for weeks is kept with a warning (plausibility.ts); months are not
  maxActivityDays: 60,
};

/** Decodes a FIT file. Never throws on bad bytes. `onRecords` sees the data-record count before decoding. */
export function decodeFit(
  bytes: Uint8Array,
  source: string,
  limits: FitLimits = DEFAULT_FIT_LIMITS,
  onRecords?: (records: number) => IngestError | null,
): Result<Activity[], IngestError> {
  if (bytes.length === 0)
    return err(
      ingestError(source, 'empty', `${source} is empty (0 bytes). Export the activity again from your device or app and resend it.`),
    );
  const header = readFitHeader(bytes);
  if (header === null) return err(ingestError(source, 'not-fit', describeNonFit(bytes, source)));
  if (header.dataSize === 0)
    return err(ingestError(source, 'empty', `${source} is a FIT file with no records in it. Export the activity again and resend it.`));
  const tooLarge = (what: string) =>
    err(
      ingestError(
        source,
        'too-large',
        `${source} was refused: ${what}. No single activity file is that large; if it is real, split the recording (or send the rides one by one).`,
      ),
    );
  if (bytes.length > limits.maxFitBytes)
    return tooLarge(`it is ${formatBytes(bytes.length)} of FIT data (the limit for one file is ${formatBytes(limits.maxFitBytes)})`);

  const warnings: ActivityWarning[] = [];
  let damage: Damage | null = null;
  const dataEnd = header.headerSize + header.dataSize;
  let readable = dataEnd;

  if (header.headerCrc !== null && header.headerCrc !== 0 && header.headerCrc !== fitCrc(bytes, 0, 12)) {
    warnings.push({ code: 'bad-crc', message: 'The FIT header checksum is wrong; the records themselves were read normally.' });
  }
  let records: number;
  if (dataEnd + FIT_FILE_CRC_BYTES > bytes.length) {
    const walk = walkFitRecords(bytes, header.headerSize, Math.min(dataEnd, bytes.length));
    records = walk.dataRecords;
    readable = walk.end;
    damage = {
      code: 'truncated',
      detail: `The file ends early: it declares ${header.dataSize.toLocaleString('en-US')} bytes of records but holds ${Math.max(0, bytes.length - header.headerSize).toLocaleString('en-US')}`,
    };
  } else {
    const walk = walkFitRecords(bytes, header.headerSize, dataEnd);
    records = walk.dataRecords;
    const crcOk = fitCrc(bytes, 0, dataEnd) === (bytes[dataEnd]! | (bytes[dataEnd + 1]! << 8));
    if (!crcOk) damage = { code: 'bad-crc', detail: 'The file checksum does not match its contents, so part of it may be damaged' };
    if (walk.problem !== null) {
      readable = walk.end;
      damage ??= { code: 'corrupt', detail: `The records stop making sense after byte ${walk.end.toLocaleString('en-US')}` };
    }
    if (bytes.length > dataEnd + FIT_FILE_CRC_BYTES) {
      warnings.push({
        code: 'trailing-data',
        message: `${(bytes.length - dataEnd - FIT_FILE_CRC_BYTES).toLocaleString('en-US')} bytes after the end of the FIT data were ignored.`,
      });
    }
  }

  if (records > limits.maxFitRecords)
    return tooLarge(
      `it holds ${records.toLocaleString('en-US')} records (the limit for one file is ${limits.maxFitRecords.toLocaleString('en-US')}, about ${Math.round(limits.maxFitRecords / 86_400)} days of 1-second recording)`,
    );
  const overBudget = onRecords?.(records) ?? null;
  if (overBudget !== null) return err(overBudget);

  const parseInput = readable === dataEnd && damage?.code !== 'truncated' ? bytes : rebuildFit(bytes, header, readable);
  const parsed = parseFit(parseInput);
  const refuse = (): Result<Activity[], IngestError> => {
    const d = damage ?? { code: 'corrupt' as const, detail: 'The file could not be decoded' };
    const advice =
      d.code === 'truncated'
        ? 'The upload or copy was probably cut off: copy the file from the device again (or download it again from Garmin Connect/Strava) and resend it.'
        : 'Export the activity again from your device or app and resend it.';
    return err(ingestError(source, d.code, `${source}: ${d.detail}, and nothing usable could be recovered. ${advice}`));
  };
  if (parsed === null) return refuse();

  const span = recordSpanDays(parsed.records ?? []);
  if (span > limits.maxActivityDays)
    return tooLarge(
      `its records span ${Math.round(span).toLocaleString('en-US')} days (the limit is ${limits.maxActivityDays}); an activity file never does — the device's clock jumped, or this is not an activity recording`,
    );

  const sourceHash = sha256Hex(bytes);
  const activities = buildActivities(parsed, source, sourceHash);
  if (activities.length === 0) {
    if (damage !== null) return refuse();
    return err(
      ingestError(
        source,
        'no-activity',
        `${source} is a FIT file but holds no activity (no sessions or timed records) — it may be a course, workout or settings file. Send the activity file from your device's Activity folder.`,
      ),
    );
  }
  if (damage !== null) {
    warnings.push({
      code: damage.code,
      message: `${damage.detail}; the readable part was kept. Check the ride's numbers, or send a fresh copy of the file.`,
    });
  }
  for (const activity of activities) activity.warnings = [...warnings, ...activity.warnings];
  return ok(activities);
}

/** Days between the earliest and latest record time stamp (a loop: no spread of a huge array). */
function recordSpanDays(records: readonly FitMessage[]): number {
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    const t = r.timestamp instanceof Date ? r.timestamp.getTime() : NaN;
    if (!Number.isFinite(t)) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return last > first ? (last - first) / 86_400_000 : 0;
}

function parseFit(bytes: Uint8Array): ParsedFit | null {
  let result: ParsedFit | null = null;
  try {
    // force: the checks above already judged CRCs and structure. The callback runs synchronously.
    new FitParser({ force: true, mode: 'list', speedUnit: 'm/s', lengthUnit: 'm', temperatureUnit: 'celsius' }).parse(
      Buffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength),
      (error, data) => {
        if (!error && data) result = data as unknown as ParsedFit;
      },
    );
  } catch {
    return null;
  }
  return result;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const date = (value: unknown): Date | null => (value instanceof Date && Number.isFinite(value.getTime()) ? value : null);
const epochSeconds = (d: Date): number => Math.round(d.getTime() / 1000);
const str = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : null;

const STOP_EVENTS = new Set(['stop', 'stop_all', 'stop_disable', 'stop_disable_all']);

/** Kept moving time may differ from the device's timer by this fraction before it is reported. */
export const TIMER_MISMATCH_FRACTION = 0.05;
/** ...and by more than this many seconds (rounding at the ends of a very short session). */
const TIMER_MISMATCH_MIN_SECONDS = 2;

/** A change of the timer's state, from the event messages. */
interface TimerMark {
  t: number;
  running: boolean;
}

/**
 * Timer transitions in time order (file order within a second):
 * - `timer` start → running; `timer` stop, stop_all, stop_disable, stop_disable_all → stopped;
 * - `power_down` → stopped (the device is off, whatever its event_type says);
 * - `power_up` says nothing about the timer: a device that powers up has not started it, and one
 *   that resumes an activity writes a `timer` start of its own. Whatever its event_type (devices
 *   write `power_up`/`stop_all`), the state stays what the timer events before it said.
 * `session` and `lap` events only mark boundaries: a multisport watch keeps one timer running
 * across its sessions.
 */
function timerMarks(events: FitMessage[]): TimerMark[] {
  const marks: TimerMark[] = [];
  for (const e of events) {
    const d = date(e.timestamp);
    if (d === null) continue;
    const type = String(e.event_type);
    if (e.event === 'timer' && type === 'start') marks.push({ t: epochSeconds(d), running: true });
    else if ((e.event === 'timer' && STOP_EVENTS.has(type)) || e.event === 'power_down') marks.push({ t: epochSeconds(d), running: false });
  }
  return marks
    .map((m, i) => ({ m, i }))
    .sort((a, b) => a.m.t - b.m.t || a.i - b.i)
    .map(({ m }) => m);
}

/** What the timer events before a session say about its start: running, stopped, or nothing. */
function stateBefore(marks: readonly TimerMark[], from: number): boolean | null {
  let state: boolean | null = null;
  for (const m of marks) {
    if (m.t >= from - 1) break;
    state = m.running;
  }
  return state;
}

/**
 * Running intervals within [from − 1, to + 1] when the timer was `running` at `from`; null = the
 * whole recording (also when no timer event falls inside: then the records are the only evidence).
 */
function runningIntervals(marks: readonly TimerMark[], from: number, to: number, running: boolean): RunningIntervals | null {
  const inside = marks.filter((m) => m.t >= from - 1 && m.t <= to + 1);
  if (inside.length === 0) return null;
  const intervals: [number, number][] = [];
  let runningSince: number | null = running ? from : null;
  for (const m of inside) {
    if (m.running) runningSince ??= m.t;
    else if (runningSince !== null) {
      intervals.push([runningSince, m.t]);
      runningSince = null;
    }
  }
  if (runningSince !== null) intervals.push([runningSince, Number.POSITIVE_INFINITY]);
  return intervals;
}

const misses = (moving: number, timer: number): boolean =>
  Math.abs(moving - timer) > TIMER_MISMATCH_FRACTION * timer && Math.abs(moving - timer) > TIMER_MISMATCH_MIN_SECONDS;

/** h:mm:ss, or m:ss under an hour. */
function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** A session placed in time: its start and end (epoch ms; end may be unknown). */
interface Placed {
  session: FitMessage;
  index: number;
  start: Date;
  end: Date | null;
}

/**
 * Where each session lies. A session without start_time starts at timestamp − total_elapsed_time,
 * else at its first record (the only session: the first record of the file). A session that
 * cannot be placed at all is left out.
 */
function placeSessions(sessions: FitMessage[], records: FitMessage[]): Placed[] {
  const placed: Placed[] = [];
  let previousEnd = Number.NEGATIVE_INFINITY;
  sessions.forEach((session, index) => {
    const elapsedMs = (num(session.total_elapsed_time) ?? NaN) * 1000;
    let start = date(session.start_time);
    let end = date(session.timestamp);
    if (start === null && end !== null && Number.isFinite(elapsedMs)) start = new Date(end.getTime() - elapsedMs);
    if (start === null) {
      const upper = end?.getTime() ?? (sessions.length === 1 ? Number.POSITIVE_INFINITY : null);
      if (upper !== null) {
        let first = Number.POSITIVE_INFINITY;
        for (const r of records) {
          const t = (r.timestamp as Date).getTime();
          if (t > previousEnd && t <= upper && t < first) first = t;
        }
        if (first !== Number.POSITIVE_INFINITY) start = new Date(first);
      }
    }
    start ??= end;
    if (start === null) return;
    if (end === null && Number.isFinite(elapsedMs)) end = new Date(start.getTime() + elapsedMs);
    previousEnd = (end ?? start).getTime();
    placed.push({ session, index, start, end });
  });
  return placed;
}

function buildActivities(fit: ParsedFit, source: string, sourceHash: string): Activity[] {
  const records = (fit.records ?? []).filter((r) => date(r.timestamp) !== null);
  const marks = timerMarks(fit.events ?? []);
  const sports = fit.sports ?? [];
  let sessions = placeSessions(fit.sessions ?? [], records);
  const synthesized = sessions.length === 0;
  if (synthesized) {
    // A damaged file may have lost its session message: rebuild one from the records.
    if (records.length < 2) return [];
    const first = new Date(records.reduce((a, r) => Math.min(a, (r.timestamp as Date).getTime()), Infinity));
    const last = new Date(records.reduce((a, r) => Math.max(a, (r.timestamp as Date).getTime()), -Infinity));
    sessions = [{ session: { start_time: first, timestamp: last }, index: 0, start: first, end: last }];
  }
  const sessionCount = synthesized ? 1 : (fit.sessions ?? []).length;

  const activities: Activity[] = [];
  for (const { session, index: sessionIndex, start, end: endDate } of sessions) {
    // The sport: the session's, else the sport message's (the one of the same index when there is
    // one per session), else its laps'.
    const sportMessage = sports.length === sessionCount ? sports[sessionIndex] : sports.length === 1 ? sports[0] : undefined;
    const ownLaps = lapsFor(fit.laps ?? [], session, sessionCount, start, endDate);
    const statedSport = str(session.sport) ?? str(sportMessage?.sport) ?? str(ownLaps.find((l) => str(l.sport) !== null)?.sport) ?? null;
    if (statedSport === 'transition') continue;
    const subSport = session.sub_sport ?? sportMessage?.sub_sport ?? ownLaps.find((l) => str(l.sub_sport) !== null)?.sub_sport;

    const elapsedDevice = num(session.total_elapsed_time);
    const timerDevice = num(session.total_timer_time);
    const from = epochSeconds(start);
    const to = sessionCount === 1 ? Number.POSITIVE_INFINITY : endDate ? epochSeconds(endDate) : Number.POSITIVE_INFINITY;
    const lower = sessionCount === 1 ? Number.NEGATIVE_INFINITY : from;
    const own = records.filter((r) => {
      const t = epochSeconds(r.timestamp as Date);
      return t >= lower && t <= to;
    });
    const warnings: ActivityWarning[] = [];
    const samples = toSamples(own);

    // The timer at the session's start: what the timer events before it say. A file with none
    // before the session keeps the old reading (a stop first means it was running). When that
    // reading misses the device's own timer time and the other one matches it, the device is right.
    const windowFrom = own.length > 0 ? Math.min(from, samples.time[0]!) : from;
    const before = stateBefore(marks, windowFrom);
    const firstInside = marks.find((m) => m.t >= windowFrom - 1 && m.t <= to + 1);
    const initially = before ?? (firstInside === undefined || !firstInside.running);
    let running = runningIntervals(marks, windowFrom, to, initially);
    let resampled = resample(samples, running, from);
    if (timerDevice !== null && timerDevice > 0 && misses(resampled?.streams.elapsed.length ?? 0, timerDevice)) {
      const otherRunning = runningIntervals(marks, windowFrom, to, !initially);
      const other = resample(samples, otherRunning, from);
      if (other !== null && !misses(other.streams.elapsed.length, timerDevice)) {
        running = otherRunning;
        resampled = other;
      }
    }
    if (resampled !== null) {
      const s = resampled.stats;
      if (s.outOfOrder + s.duplicatesShifted + s.duplicatesMerged > 0) {
        warnings.push({
          code: 'timestamps-repaired',
          message: `${s.outOfOrder} out-of-order and ${s.duplicatesShifted + s.duplicatesMerged} duplicate timestamps were put back in order (${s.duplicatesShifted} moved into the empty second next to them, ${s.duplicatesMerged} merged).`,
        });
      }
      const dropped = STREAM_NAMES.filter((name) => s.dropouts[name] > 0).map((name) => `${s.dropouts[name]} ${LABEL[name]}`);
      if (dropped.length > 0)
        warnings.push({ code: 'dropouts', message: `Implausible samples were treated as sensor dropouts: ${dropped.join(', ')}.` });
    }
    if (synthesized)
      warnings.push({ code: 'no-session', message: 'The file had no session summary; times and totals were rebuilt from the records.' });

    const streams = resampled?.streams ?? null;
    if (streams !== null && timerDevice !== null && timerDevice > 0 && misses(streams.elapsed.length, timerDevice)) {
      warnings.push({
        code: 'timer-mismatch',
        message: `The device's timer says ${clock(timerDevice)} but only ${clock(streams.elapsed.length)} of recording could be matched to it, so TSS and other time-based figures cover ${clock(streams.elapsed.length)}.`,
      });
    }

    let sport = statedSport ?? 'generic';
    if (statedSport === null && streams?.power != null && streams.power.some((w) => w > 0)) {
      sport = 'cycling';
      warnings.push({
        code: 'sport-assumed',
        message: 'No sport in the file; read as a ride because it has power, so check it really was one.',
      });
    }

    const firstRecord = own.length > 0 ? epochSeconds(own[0]!.timestamp as Date) : from;
    const lastRecord = own.length > 0 ? epochSeconds(own[own.length - 1]!.timestamp as Date) : from;
    const timerFallback =
      running === null
        ? lastRecord - firstRecord
        : running.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, lastRecord) - Math.max(a, firstRecord)), 0);
    const device: DeviceFigures = {
      normalizedPower: positive(session.normalized_power),
      tss: positive(session.training_stress_score),
      ftp: positive(session.threshold_power),
      intensityFactor: positive(session.intensity_factor),
    };
    const hasDevice = Object.values(device).some((v) => v !== null);
    const hasPower = streams?.power != null;
    const workJoules = num(session.total_work);
    activities.push({
      id: activityId(sourceHash, sessionIndex, start, sport),
      source,
      sourceKind: 'fit',
      sourceHash,
      sessionIndex,
      sport,
      subSport: normaliseSubSport(subSport),
      sourceType: statedSport ?? 'generic',
      name: null,
      description: null,
      startTime: start,
      timerSeconds: timerDevice ?? timerFallback,
      elapsedSeconds: elapsedDevice ?? lastRecord - from,
      movingSeconds: streams ? streams.elapsed.length : null,
      distanceMeters: num(session.total_distance) ?? lastFinite(streams?.distance ?? null),
      ascentMeters: num(session.total_ascent),
      avgPower: num(session.avg_power),
      maxPower: num(session.max_power),
      normalizedPower: null,
      power: hasPower || num(session.avg_power) !== null ? 'measured' : 'none',
      avgHeartRate: positive(session.avg_heart_rate),
      maxHeartRate: positive(session.max_heart_rate),
      avgCadence: positive(session.avg_cadence),
      avgSpeed: num(session.enhanced_avg_speed) ?? num(session.avg_speed),
      workKilojoules: workJoules === null ? null : workJoules / 1000,
      device: hasDevice ? device : null,
      laps: ownLaps.filter((l) => date(l.start_time) !== null).map(toLap),
      streams,
      warnings,
      externalId: null,
      linkedFile: null,
    });
  }
  return activities;
}

const LABEL: Record<string, string> = {
  power: 'power',
  heartRate: 'heart-rate',
  cadence: 'cadence',
  speed: 'speed',
  altitude: 'altitude',
  distance: 'distance',
  latitude: 'latitude',
  longitude: 'longitude',
};

function positive(value: unknown): number | null {
  const n = num(value);
  return n !== null && n > 0 ? n : null;
}

function normaliseSubSport(value: unknown): string | null {
  const s = str(value);
  return s === null || s === 'generic' ? null : s;
}

function lastFinite(values: Float64Array | null): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) if (!Number.isNaN(values[i]!)) return values[i]!;
  return null;
}

function toSamples(records: FitMessage[]): RawSamples {
  const n = records.length;
  const channel = () => new Float64Array(n).fill(NaN);
  const samples: RawSamples = {
    time: new Float64Array(n),
    channels: {
      power: channel(),
      heartRate: channel(),
      cadence: channel(),
      speed: channel(),
      altitude: channel(),
      distance: channel(),
      latitude: channel(),
      longitude: channel(),
    },
  };
  const c = samples.channels;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    samples.time[i] = (r.timestamp as Date).getTime() / 1000;
    c.power[i] = num(r.power) ?? NaN;
    c.heartRate[i] = num(r.heart_rate) ?? NaN;
    c.cadence[i] = num(r.cadence) ?? NaN;
    c.speed[i] = num(r.enhanced_speed) ?? num(r.speed) ?? NaN;
    c.altitude[i] = num(r.enhanced_altitude) ?? num(r.altitude) ?? NaN;
    c.distance[i] = num(r.distance) ?? NaN;
    c.latitude[i] = num(r.position_lat) ?? NaN;
    c.longitude[i] = num(r.position_long) ?? NaN;
  }
  return samples;
}

function toLap(l: FitMessage): Lap {
  return {
    startTime: l.start_time as Date,
    timerSeconds: num(l.total_timer_time),
    elapsedSeconds: num(l.total_elapsed_time),
    distanceMeters: num(l.total_distance),
    avgPower: num(l.avg_power),
    avgHeartRate: num(l.avg_heart_rate),
  };
}

/** The lap messages of one session. */
function lapsFor(laps: FitMessage[], session: FitMessage, sessionCount: number, sessionStart: Date, sessionEnd: Date | null): FitMessage[] {
  const first = num(session.first_lap_index);
  const count = num(session.num_laps);
  if (sessionCount === 1) return laps;
  if (first !== null && count !== null) return laps.slice(first, first + count);
  const start = sessionStart.getTime();
  const end = sessionEnd?.getTime() ?? Infinity;
  return laps.filter((l) => {
    const t = date(l.start_time)?.getTime();
    return t !== undefined && t >= start && t <= end;
  });
}
