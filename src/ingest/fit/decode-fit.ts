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
import { ingestError, type IngestError } from '../ingest-error.js';
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

/** Decodes a FIT file. Never throws on bad bytes. */
export function decodeFit(bytes: Uint8Array, source: string): Result<Activity[], IngestError> {
  if (bytes.length === 0) return err(ingestError(source, 'empty', `${source} is empty (0 bytes). Export the activity again from your device or app and resend it.`));
  const header = readFitHeader(bytes);
  if (header === null) return err(ingestError(source, 'not-fit', describeNonFit(bytes, source)));
  if (header.dataSize === 0) return err(ingestError(source, 'empty', `${source} is a FIT file with no records in it. Export the activity again and resend it.`));

  const warnings: ActivityWarning[] = [];
  let damage: Damage | null = null;
  const dataEnd = header.headerSize + header.dataSize;
  let readable = dataEnd;

  if (header.headerCrc !== null && header.headerCrc !== 0 && header.headerCrc !== fitCrc(bytes, 0, 12)) {
    warnings.push({ code: 'bad-crc', message: 'The FIT header checksum is wrong; the records themselves were read normally.' });
  }
  if (dataEnd + FIT_FILE_CRC_BYTES > bytes.length) {
    const walk = walkFitRecords(bytes, header.headerSize, Math.min(dataEnd, bytes.length));
    readable = walk.end;
    damage = {
      code: 'truncated',
      detail: `The file ends early: it declares ${header.dataSize.toLocaleString('en-US')} bytes of records but holds ${Math.max(0, bytes.length - header.headerSize).toLocaleString('en-US')}`,
    };
  } else {
    const walk = walkFitRecords(bytes, header.headerSize, dataEnd);
    const crcOk = fitCrc(bytes, 0, dataEnd) === (bytes[dataEnd]! | (bytes[dataEnd + 1]! << 8));
    if (!crcOk) damage = { code: 'bad-crc', detail: 'The file checksum does not match its contents, so part of it may be damaged' };
    if (walk.problem !== null) {
      readable = walk.end;
      damage ??= { code: 'corrupt', detail: `The records stop making sense after byte ${walk.end.toLocaleString('en-US')}` };
    }
    if (bytes.length > dataEnd + FIT_FILE_CRC_BYTES) {
      warnings.push({ code: 'trailing-data', message: `${(bytes.length - dataEnd - FIT_FILE_CRC_BYTES).toLocaleString('en-US')} bytes after the end of the FIT data were ignored.` });
    }
  }

  const parseInput = readable === dataEnd && damage?.code !== 'truncated' ? bytes : rebuildFit(bytes, header, readable);
  const parsed = parseFit(parseInput);
  const refuse = (): Result<Activity[], IngestError> => {
    const d = damage ?? { code: 'corrupt' as const, detail: 'The file could not be decoded' };
    const advice = d.code === 'truncated'
      ? 'The upload or copy was probably cut off: copy the file from the device again (or download it again from Garmin Connect/Strava) and resend it.'
      : 'Export the activity again from your device or app and resend it.';
    return err(ingestError(source, d.code, `${source}: ${d.detail}, and nothing usable could be recovered. ${advice}`));
  };
  if (parsed === null) return refuse();

  const sourceHash = sha256Hex(bytes);
  const activities = buildActivities(parsed, source, sourceHash);
  if (activities.length === 0) {
    if (damage !== null) return refuse();
    return err(ingestError(source, 'no-activity', `${source} is a FIT file but holds no activity (no sessions or timed records) — it may be a course, workout or settings file. Send the activity file from your device's Activity folder.`));
  }
  if (damage !== null) {
    warnings.push({ code: damage.code, message: `${damage.detail}; the readable part was kept. Check the ride's numbers, or send a fresh copy of the file.` });
  }
  for (const activity of activities) activity.warnings.unshift(...warnings);
  return ok(activities);
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
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : null);

const STOP_EVENTS = new Set(['stop', 'stop_all', 'stop_disable', 'stop_disable_all']);

/** Running intervals from the timer events, or null when the file has none. */
function runningIntervals(events: FitMessage[], from: number, to: number): RunningIntervals | null {
  const timer = events
    .filter((e) => e.event === 'timer' && date(e.timestamp) !== null)
    .map((e) => ({ t: epochSeconds(e.timestamp as Date), type: String(e.event_type) }))
    .filter((e) => e.t >= from - 1 && e.t <= to + 1)
    .sort((a, b) => a.t - b.t);
  if (timer.length === 0) return null;
  const intervals: [number, number][] = [];
  let runningSince: number | null = timer[0]!.type === 'start' ? null : from; // a stop first means it was running
  for (const e of timer) {
    if (e.type === 'start') runningSince ??= e.t;
    else if (STOP_EVENTS.has(e.type) && runningSince !== null) {
      intervals.push([runningSince, e.t]);
      runningSince = null;
    }
  }
  if (runningSince !== null) intervals.push([runningSince, Number.POSITIVE_INFINITY]);
  return intervals;
}

function buildActivities(fit: ParsedFit, source: string, sourceHash: string): Activity[] {
  const records = (fit.records ?? []).filter((r) => date(r.timestamp) !== null);
  const events = fit.events ?? [];
  let sessions = (fit.sessions ?? []).filter((s) => date(s.start_time) !== null || date(s.timestamp) !== null);
  const synthesized = sessions.length === 0;
  if (synthesized) {
    // A damaged file may have lost its session message: rebuild one from the records.
    if (records.length < 2) return [];
    const first = records.reduce((a, r) => Math.min(a, (r.timestamp as Date).getTime()), Infinity);
    const last = records.reduce((a, r) => Math.max(a, (r.timestamp as Date).getTime()), -Infinity);
    const sport = fit.sports?.[0]?.sport;
    sessions = [{ start_time: new Date(first), timestamp: new Date(last), sport: sport ?? 'generic', sub_sport: fit.sports?.[0]?.sub_sport }];
  }

  const activities: Activity[] = [];
  sessions.forEach((session, sessionIndex) => {
    const sport = str(session.sport) ?? 'generic';
    if (sport === 'transition') return;
    const start = date(session.start_time) ?? (session.timestamp as Date);
    const elapsedDevice = num(session.total_elapsed_time);
    const endDate = date(session.timestamp);
    const from = epochSeconds(start);
    const to = sessions.length === 1 ? Number.POSITIVE_INFINITY : endDate ? epochSeconds(endDate) : elapsedDevice !== null ? from + Math.ceil(elapsedDevice) : Number.POSITIVE_INFINITY;
    const lower = sessions.length === 1 ? Number.NEGATIVE_INFINITY : from;
    const own = records.filter((r) => {
      const t = epochSeconds(r.timestamp as Date);
      return t >= lower && t <= to;
    });
    const warnings: ActivityWarning[] = [];
    const samples = toSamples(own);
    const running = runningIntervals(events, own.length > 0 ? Math.min(from, samples.time[0]!) : from, to);
    const resampled = resample(samples, running, from);
    if (resampled !== null) {
      const s = resampled.stats;
      if (s.outOfOrder + s.duplicatesShifted + s.duplicatesMerged > 0) {
        warnings.push({
          code: 'timestamps-repaired',
          message: `${s.outOfOrder} out-of-order and ${s.duplicatesShifted + s.duplicatesMerged} duplicate timestamps were put back in order (${s.duplicatesShifted} moved into the empty second next to them, ${s.duplicatesMerged} merged).`,
        });
      }
      const dropped = STREAM_NAMES.filter((name) => s.dropouts[name] > 0).map((name) => `${s.dropouts[name]} ${LABEL[name]}`);
      if (dropped.length > 0) warnings.push({ code: 'dropouts', message: `Implausible samples were treated as sensor dropouts: ${dropped.join(', ')}.` });
    }
    if (synthesized) warnings.push({ code: 'no-session', message: 'The file had no session summary; times and totals were rebuilt from the records.' });

    const streams = resampled?.streams ?? null;
    const firstRecord = own.length > 0 ? epochSeconds(own[0]!.timestamp as Date) : from;
    const lastRecord = own.length > 0 ? epochSeconds(own[own.length - 1]!.timestamp as Date) : from;
    const timerFallback = running === null ? lastRecord - firstRecord : running.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, lastRecord) - Math.max(a, firstRecord)), 0);
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
      subSport: normaliseSubSport(session.sub_sport),
      sourceType: sport,
      name: null,
      description: null,
      startTime: start,
      timerSeconds: num(session.total_timer_time) ?? timerFallback,
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
      laps: lapsOf(fit.laps ?? [], session, sessionIndex, sessions.length),
      streams,
      warnings,
      externalId: null,
      linkedFile: null,
    });
  });
  return activities;
}

const LABEL: Record<string, string> = {
  power: 'power', heartRate: 'heart-rate', cadence: 'cadence', speed: 'speed', altitude: 'altitude', distance: 'distance', latitude: 'latitude', longitude: 'longitude',
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
    channels: { power: channel(), heartRate: channel(), cadence: channel(), speed: channel(), altitude: channel(), distance: channel(), latitude: channel(), longitude: channel() },
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

function lapsOf(laps: FitMessage[], session: FitMessage, sessionIndex: number, sessionCount: number): Lap[] {
  const first = num(session.first_lap_index);
  const count = num(session.num_laps);
  let own: FitMessage[];
  if (sessionCount === 1) own = laps;
  else if (first !== null && count !== null) own = laps.slice(first, first + count);
  else {
    const start = date(session.start_time)?.getTime() ?? -Infinity;
    const end = date(session.timestamp)?.getTime() ?? Infinity;
    own = laps.filter((l) => {
      const t = date(l.start_time)?.getTime();
      return t !== undefined && t >= start && t <= end;
    });
  }
  return own
    .filter((l) => date(l.start_time) !== null)
    .map((l) => ({
      startTime: l.start_time as Date,
      timerSeconds: num(l.total_timer_time),
      elapsedSeconds: num(l.total_elapsed_time),
      distanceMeters: num(l.total_distance),
      avgPower: num(l.avg_power),
      avgHeartRate: num(l.avg_heart_rate),
    }));
}
