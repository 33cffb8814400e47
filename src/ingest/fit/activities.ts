/**
 * A decoded FIT file → one activity per sport session: its records resampled to 1 Hz within the
 * timer's running intervals, its laps, the head unit's own figures, and warnings for whatever had
 * to be repaired or assumed.
 */
import type { Activity, ActivityWarning, DeviceFigures, Streams } from '../../domain/activity.js';
import { activityId } from '../identity.js';
import { dropoutWarnings, type RawSamples, type Resampled, type RunningIntervals } from '../resample.js';
import { date, epochSeconds, num, positive, type FitMessage, type ParsedFit } from './fit-fields.js';
import { lapsFor, normaliseSubSport, placeSessions, rebuiltSession, statedSport, toLap, type Placed } from './sessions.js';
import { misses, timedStreams, timerMarks, type TimerMark } from './timer.js';

/** What every session of one file shares. */
interface FileContext {
  fit: ParsedFit;
  /** Records with a valid time stamp. */
  records: FitMessage[];
  marks: TimerMark[];
  sessionCount: number;
  /** The file had no session message: its one session was rebuilt from the records. */
  synthesized: boolean;
  source: string;
  sourceHash: string;
}

/** h:mm:ss, or m:ss under an hour. */
function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
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

/** What resampling repaired: timestamps put back in order, implausible samples dropped. */
function repairWarnings(resampled: Resampled | null, warnings: ActivityWarning[]): void {
  if (resampled === null) return;
  const s = resampled.stats;
  if (s.outOfOrder + s.duplicatesShifted + s.duplicatesMerged > 0) {
    warnings.push({
      code: 'timestamps-repaired',
      message: `${s.outOfOrder} out-of-order and ${s.duplicatesShifted + s.duplicatesMerged} duplicate timestamps were put back in order (${s.duplicatesShifted} moved into the empty second next to them, ${s.duplicatesMerged} merged).`,
    });
  }
  warnings.push(...dropoutWarnings(s));
}

/** The head unit's own figures (NP, TSS, FTP, IF), null when it wrote none. */
function deviceFigures(session: FitMessage): DeviceFigures | null {
  const device: DeviceFigures = {
    normalizedPower: positive(session.normalized_power),
    tss: positive(session.training_stress_score),
    ftp: positive(session.threshold_power),
    intensityFactor: positive(session.intensity_factor),
  };
  return Object.values(device).some((v) => v !== null) ? device : null;
}

/** Timer seconds from the records when the device wrote none: the running time between the first and last record. */
function timerFromRecords(running: RunningIntervals | null, firstRecord: number, lastRecord: number): number {
  return running === null
    ? lastRecord - firstRecord
    : running.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, lastRecord) - Math.max(a, firstRecord)), 0);
}

/** The session's sport: as stated, else a ride when it has power (with a warning), else generic. */
function sportOf(stated: string | null, streams: Streams | null, warnings: ActivityWarning[]): string {
  if (stated !== null) return stated;
  if (streams?.power != null && streams.power.some((w) => w > 0)) {
    warnings.push({
      code: 'sport-assumed',
      message: 'No sport in the file; read as a ride because it has power, so check it really was one.',
    });
    return 'cycling';
  }
  return 'generic';
}

/** One placed session → its activity; null for a transition between multisport legs. */
function buildActivity(ctx: FileContext, placed: Placed): Activity | null {
  const { session, index: sessionIndex, start, end: endDate } = placed;
  const ownLaps = lapsFor(ctx.fit.laps ?? [], session, ctx.sessionCount, start, endDate);
  const stated = statedSport(session, sessionIndex, ctx.sessionCount, ctx.fit.sports ?? [], ownLaps);
  if (stated.sport === 'transition') return null;

  const elapsedDevice = num(session.total_elapsed_time);
  const timerDevice = num(session.total_timer_time);
  const from = epochSeconds(start);
  const to = ctx.sessionCount === 1 ? Number.POSITIVE_INFINITY : endDate ? epochSeconds(endDate) : Number.POSITIVE_INFINITY;
  const lower = ctx.sessionCount === 1 ? Number.NEGATIVE_INFINITY : from;
  const own = ctx.records.filter((r) => {
    const t = epochSeconds(r.timestamp as Date);
    return t >= lower && t <= to;
  });
  const warnings: ActivityWarning[] = [];
  const samples = toSamples(own);
  const windowFrom = own.length > 0 ? Math.min(from, samples.time[0]!) : from;
  const { running, resampled } = timedStreams(ctx.marks, samples, { from: windowFrom, to, start: from }, timerDevice);
  repairWarnings(resampled, warnings);
  if (ctx.synthesized)
    warnings.push({ code: 'no-session', message: 'The file had no session summary; times and totals were rebuilt from the records.' });

  const streams = resampled?.streams ?? null;
  if (streams !== null && timerDevice !== null && timerDevice > 0 && misses(streams.elapsed.length, timerDevice)) {
    warnings.push({
      code: 'timer-mismatch',
      message: `The device's timer says ${clock(timerDevice)} but only ${clock(streams.elapsed.length)} of recording could be matched to it, so TSS and other time-based figures cover ${clock(streams.elapsed.length)}.`,
    });
  }
  const sport = sportOf(stated.sport, streams, warnings);
  const firstRecord = own.length > 0 ? epochSeconds(own[0]!.timestamp as Date) : from;
  const lastRecord = own.length > 0 ? epochSeconds(own[own.length - 1]!.timestamp as Date) : from;
  const workJoules = num(session.total_work);
  return {
    id: activityId(ctx.sourceHash, sessionIndex, start, sport),
    source: ctx.source,
    sourceKind: 'fit',
    sourceHash: ctx.sourceHash,
    sessionIndex,
    sport,
    subSport: normaliseSubSport(stated.subSport),
    sourceType: stated.sport ?? 'generic',
    name: null,
    description: null,
    startTime: start,
    timerSeconds: timerDevice ?? timerFromRecords(running, firstRecord, lastRecord),
    elapsedSeconds: elapsedDevice ?? lastRecord - from,
    movingSeconds: streams ? streams.elapsed.length : null,
    distanceMeters: num(session.total_distance) ?? lastFinite(streams?.distance ?? null),
    ascentMeters: num(session.total_ascent),
    avgPower: num(session.avg_power),
    maxPower: num(session.max_power),
    normalizedPower: null,
    power: streams?.power != null || num(session.avg_power) !== null ? 'measured' : 'none',
    avgHeartRate: positive(session.avg_heart_rate),
    maxHeartRate: positive(session.max_heart_rate),
    avgCadence: positive(session.avg_cadence),
    avgSpeed: num(session.enhanced_avg_speed) ?? num(session.avg_speed),
    workKilojoules: workJoules === null ? null : workJoules / 1000,
    device: deviceFigures(session),
    laps: ownLaps.filter((l) => date(l.start_time) !== null).map(toLap),
    streams,
    warnings,
    externalId: null,
    linkedFile: null,
  };
}

/** One activity per session of the file, transitions left out (none when nothing in it is an activity). */
export function buildActivities(fit: ParsedFit, source: string, sourceHash: string): Activity[] {
  const records = (fit.records ?? []).filter((r) => date(r.timestamp) !== null);
  const placed = placeSessions(fit.sessions ?? [], records);
  const synthesized = placed.length === 0;
  const ctx: FileContext = {
    fit,
    records,
    marks: timerMarks(fit.events ?? []),
    sessionCount: synthesized ? 1 : (fit.sessions ?? []).length,
    synthesized,
    source,
    sourceHash,
  };
  const activities: Activity[] = [];
  for (const session of synthesized ? rebuiltSession(records) : placed) {
    const activity = buildActivity(ctx, session);
    if (activity !== null) activities.push(activity);
  }
  return activities;
}
