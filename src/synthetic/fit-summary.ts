/**
 * Lap and session summaries of the records written: times, distance, speeds, heart rate, cadence,
 * power, work and climbing, and the fields that carry them in lap and session messages.
 */
import type { FitEncoderField } from 'fit-file-parser';
import { RunningMean } from '../domain/running-mean.js';
import { has, MAX_LEGACY_SPEED, u16, u32, u8 } from './fit-field-builders.js';
import type { FitRecordSample } from './fit-spec.js';

/** A timer stop, epoch ms. */
export interface Pause {
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

export interface Summary {
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

/** One channel over records: its time-weighted mean (of the records that count towards it) and its largest value. */
class ChannelTotals extends RunningMean {
  max = -Infinity;

  see(value: number): void {
    this.max = Math.max(this.max, value);
  }
}

/** Running totals over records, each weighted by the timer seconds it stands for. */
class Totals {
  private lastDistance: number | undefined;
  private readonly speed = new ChannelTotals();
  private readonly hr = new ChannelTotals();
  private readonly cadence = new ChannelTotals();
  private readonly power = new ChannelTotals();
  private ascent = 0;
  private descent = 0;
  private prevAlt: number | undefined;
  private anyAlt = false;
  private startPos: [number, number] | undefined;
  private endPos: [number, number] | undefined;

  add(r: FitRecordSample, w: number): void {
    if (has(r.distance)) this.lastDistance = this.lastDistance === undefined ? r.distance : Math.max(this.lastDistance, r.distance);
    if (has(r.speed)) this.speed.see(r.speed);
    if (has(r.heartRate)) {
      this.hr.add(r.heartRate, w);
      this.hr.see(r.heartRate);
    }
    if (has(r.cadence)) {
      this.cadence.see(r.cadence);
      if (r.cadence > 0) this.cadence.add(r.cadence, w);
    }
    if (has(r.power)) {
      this.power.add(Math.max(0, r.power), w);
      this.power.see(r.power);
    }
    if (has(r.altitude)) this.climb(r.altitude);
    if (has(r.latitude) && has(r.longitude)) {
      this.startPos ??= [r.latitude, r.longitude];
      this.endPos = [r.latitude, r.longitude];
    }
  }

  private climb(altitude: number): void {
    this.anyAlt = true;
    if (this.prevAlt !== undefined) {
      const d = altitude - this.prevAlt;
      if (d > 0) this.ascent += d;
      else this.descent -= d;
    }
    this.prevAlt = altitude;
  }

  summary(elapsedS: number, timerS: number, distanceBefore: number): Summary {
    const s: Summary = { elapsedS, timerS };
    if (this.startPos) s.startPos = this.startPos;
    if (this.endPos) s.endPos = this.endPos;
    if (this.lastDistance !== undefined) {
      s.distance = Math.max(0, this.lastDistance - distanceBefore);
      if (timerS > 0) s.avgSpeed = s.distance / timerS;
    }
    if (this.speed.max > -Infinity) s.maxSpeed = this.speed.max;
    const avgHr = this.hr.mean();
    if (avgHr !== undefined) {
      s.avgHr = avgHr;
      s.maxHr = this.hr.max;
    }
    if (this.cadence.max > -Infinity) {
      s.maxCadence = this.cadence.max;
      s.avgCadence = this.cadence.mean() ?? 0;
    }
    const avgPower = this.power.mean();
    if (avgPower !== undefined) {
      s.avgPower = avgPower;
      s.maxPower = this.power.max;
      s.work = this.power.sum;
    }
    if (this.anyAlt) {
      s.ascent = this.ascent;
      s.descent = this.descent;
    }
    return s;
  }
}

/** Time-weighted: each record stands for the timer seconds until the next one (at least 1 s). */
export function summarize(
  records: readonly FitRecordSample[],
  from: number,
  to: number,
  distanceBefore: number,
  pauses: readonly Pause[],
): Summary {
  const totals = new Totals();
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as FitRecordSample;
    const next = records[i + 1];
    totals.add(r, next ? Math.max(1, timerMs(r.time.getTime(), next.time.getTime(), pauses) / 1000) : 1);
  }
  return totals.summary((to - from) / 1000, timerMs(from, to, pauses) / 1000, distanceBefore);
}

/** Summary fields shared by lap and session; `n` maps the field role to its number in that message. */
export function summaryFields(
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

export const LAP_FIELDS = {
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
export const SESSION_FIELDS = {
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
export function distanceBefore(records: readonly FitRecordSample[], t: number): number {
  let d = 0;
  for (const r of records) {
    if (r.time.getTime() >= t) break;
    if (has(r.distance)) d = Math.max(d, r.distance);
  }
  return d;
}
