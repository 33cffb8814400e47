/**
 * A synthetic activity's per-second series → FIT records: every second, or smart recording's gaps
 * of 1–8 s, with sensor dropouts when asked for; and the session spec around them.
 */
import type { FitRecordSample, FitSessionSpec } from './fit-spec.js';
import type { Rng } from './random.js';
import { lapsFrom, timerStops, type Timeline } from './timeline.js';

/** One value per timer second 0..n of each channel. */
export interface Series {
  power: Float64Array;
  cadence: Float64Array;
  hr: Float64Array;
  speed: Float64Array;
  distance: Float64Array;
  altitude: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
}

/** Zeroed series for timer seconds 0..n. */
export function newSeries(n: number): Series {
  return {
    power: new Float64Array(n + 1),
    cadence: new Float64Array(n + 1),
    hr: new Float64Array(n + 1),
    speed: new Float64Array(n + 1),
    distance: new Float64Array(n + 1),
    altitude: new Float64Array(n + 1),
    lat: new Float64Array(n + 1),
    lon: new Float64Array(n + 1),
  };
}

/** The channels a device records (null: no such sensor). */
export interface Channels {
  n: number;
  power: Float64Array | null;
  cadence: Float64Array;
  heartRate: Float64Array | null;
  speed: Float64Array;
  distance: Float64Array;
  altitude: Float64Array | null;
  lat: Float64Array | null;
  lon: Float64Array | null;
}

/** A spell of sensor dropout, in timer seconds. */
interface Spell {
  from: number;
  to: number;
}

/** `count` random spells of `minLen`–`maxLen` seconds, after the first minute. */
function spells(rng: Rng, n: number, count: number, minLen: number, maxLen: number): Spell[] {
  const out: Spell[] = [];
  for (let i = 0; i < count; i++) {
    const len = rng.int(minLen, maxLen);
    const from = rng.int(Math.min(60, n), Math.max(Math.min(60, n), n - len - 1));
    out.push({ from, to: from + len });
  }
  return out;
}

const inSpell = (list: Spell[], k: number): boolean => list.some((s) => k >= s.from && k <= s.to);

/** Turns per-second channels into records: every second, or smart-recording gaps of 1–8 s. */
function toRecords(ch: Channels, tl: Timeline, startTime: Date, rng: Rng, smart: boolean, dropouts: boolean): FitRecordSample[] {
  const n = ch.n;
  const powerOut = dropouts ? spells(rng, n, rng.int(2, 4), 5, 90) : [];
  const hrOut = dropouts ? spells(rng, n, rng.int(1, 3), 10, 120) : [];
  const gpsOut = dropouts && ch.lat ? spells(rng, n, rng.int(1, 2), 20, 60) : [];
  const t0 = startTime.getTime();
  const records: FitRecordSample[] = [];
  let k = 0;
  while (k <= n) {
    const r: FitRecordSample = { time: new Date(t0 + (tl.elapsed[k] as number) * 1000) };
    if (ch.lat && ch.lon && !inSpell(gpsOut, k)) {
      r.latitude = ch.lat[k] as number;
      r.longitude = ch.lon[k] as number;
    }
    if (ch.altitude) r.altitude = ch.altitude[k] as number;
    if (ch.heartRate && !inSpell(hrOut, k)) r.heartRate = Math.round(ch.heartRate[k] as number);
    const sensorDown = inSpell(powerOut, k);
    if (!sensorDown || !ch.power) r.cadence = Math.round(ch.cadence[k] as number);
    r.distance = ch.distance[k] as number;
    r.speed = ch.speed[k] as number;
    if (ch.power && !sensorDown) r.power = Math.round(ch.power[k] as number);
    records.push(r);
    if (!smart || k === n) {
      k++;
      continue;
    }
    // Smart recording: mostly short gaps, sometimes up to 8 s; never skip over a stop/restart.
    let gap = rng.chance(0.55) ? rng.int(1, 3) : rng.int(3, 8);
    if (tl.pauseAfter.has(k)) gap = 1;
    else {
      for (let j = 1; j < gap; j++) {
        if (tl.pauseAfter.has(k + j)) {
          gap = j;
          break;
        }
      }
    }
    k = Math.min(n, k + Math.max(1, gap));
  }
  return records;
}

/** How the device recorded: from when, with smart recording's gaps, with sensor dropouts. */
export interface Recording {
  startTime: Date;
  smartRecording?: boolean;
  dropouts?: boolean;
}

/** What a generated session is made of besides its series and recording. */
export interface SessionParts {
  sport: string;
  subSport: string;
  timeline: Timeline;
  /** The recording stream (smart-recording gaps, dropout spells). */
  rec: Rng;
  /** Lap boundaries, in timer seconds. */
  lapCuts: number[];
}

/** The session spec of a generated activity: its records, timer stops and laps. */
export function generatedSession(ch: Channels, recording: Recording, parts: SessionParts): FitSessionSpec {
  const { timeline } = parts;
  const { startTime } = recording;
  const records = toRecords(ch, timeline, startTime, parts.rec, recording.smartRecording ?? false, recording.dropouts ?? false);
  return {
    sport: parts.sport,
    subSport: parts.subSport,
    startTime,
    records,
    timerStops: timerStops(timeline, startTime),
    laps: lapsFrom(parts.lapCuts, timeline, startTime, ch.n),
  };
}
