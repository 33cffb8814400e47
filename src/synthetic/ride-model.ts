/**
 * The model of a synthetic ride, per second of timer time:
 * - power: a target from the ride kind (endurance, intervals, race, recovery), modulated by the
 *   road grade, with correlated and white noise, coasting spells (0 W, more often downhill) and
 *   occasional sprints up to about 3x FTP;
 * - speed: integrated from a power balance (aero drag, rolling resistance, gravity) with 4 sub-steps
 *   per second, so distance is the integral of speed and GPS moves by the same distance;
 * - heart rate: a first-order lag (faster up than down) towards a steady state set by power,
 *   with slow cardiac drift;
 * - cadence: 0 while coasting, ~88 rpm otherwise, lower when climbing, higher when sprinting.
 * Every random draw comes from the ride's seeded streams, in a fixed order: changing the order
 * changes every generated ride.
 */
import { HeartRate, type Heart, type HeartResponse } from './heart-rate.js';
import type { Rng } from './random.js';
import { newSeries, type Series } from './samples.js';
import type { Timeline } from './timeline.js';

export type RideKind = 'endurance' | 'intervals' | 'race' | 'recovery';

/** A part of an interval session, in timer seconds; targets are fractions of FTP. */
export interface Segment {
  from: number;
  to: number;
  kind: 'warmup' | 'work' | 'rest' | 'cooldown' | 'steady';
  target: number;
  endTarget?: number;
}

const G = 9.81;

/** What stays fixed through one ride. */
export interface RideParams {
  n: number;
  ftp: number;
  kind: RideKind;
  heart: Heart;
  indoor: boolean;
  mass: number;
  rng: Rng;
  noise: Rng;
  tl: Timeline;
  grade: (s: number) => number;
  segments: Segment[];
  /** The target power of unstructured riding, a fraction of FTP. */
  baseTarget: number;
  noiseScale: number;
  terrainGain: number;
  sprintRate: number;
  gps: (ds: number) => [number, number];
  cda: number;
  /** Work segments start on time: a coasting spell ends when one begins (a rider following a workout). Default false. */
  onTimeWork?: boolean;
}

/** The target power of one second, a fraction of FTP, and what kind of effort it is. */
interface Effort {
  target: number;
  /** A work interval: steady, whatever the grade. */
  structured: boolean;
  sprinting: boolean;
}

/** Riding: heart rate starts 30 bpm above rest, lags 22 s rising and 45 s falling, drifts 3 bpm an hour. */
const RIDE_HEART_RESPONSE: HeartResponse = { startAboveRest: 30, tauUp: 22, tauDown: 45, driftPerHour: 3 };

const CRR = 0.0045;
const RHO = 1.2;
const ETA = 0.975;

/** The rider through one ride, advanced one timer second at a time into `series`. */
export class RideModel {
  readonly series: Series;
  private v = 0;
  private s = 0;
  private alt: number;
  private ar = 0;
  private cadNoise = 0;
  private readonly heart: HeartRate;
  private coast = 0;
  private surge = 0;
  private surgeLevel = 0;
  private sprint = 0;
  private sprintLen = 0;
  private sprintPeak = 0;
  private segIndex = 0;

  constructor(private readonly p: RideParams) {
    this.series = newSeries(p.n);
    this.alt = p.rng.range(80, 600);
    this.heart = new HeartRate(p.heart, RIDE_HEART_RESPONSE, p.noise);
  }

  /** Second k: power, then speed and position, then heart rate and cadence. */
  step(k: number): void {
    const g = this.p.grade(this.s);
    const effort = this.effort(k, g);
    if (effort.structured && this.p.onTimeWork) this.coast = 0;
    this.startCoasting(k, g, effort.structured);
    const power = Math.round(this.pedal(k, effort));
    this.series.power[k] = power;
    this.move(k, g, power);
    const rel = Math.max(0, power) / this.p.ftp;
    this.series.hr[k] = this.heart.next(k, Math.pow(Math.min(rel, 1.5), 0.75), this.p.tl.pauseAfter.get(k));
    this.cadence(k, g, power, rel);
  }

  /** The planned target: the interval segment's, else the base target scaled by the grade. */
  private effort(k: number, g: number): Effort {
    const { segments } = this.p;
    let target = this.p.baseTarget;
    let structured = false;
    if (segments.length) {
      while (this.segIndex < segments.length - 1 && k >= (segments[this.segIndex] as Segment).to) this.segIndex++;
      const seg = segments[this.segIndex] as Segment;
      const f = seg.endTarget === undefined ? 0 : (k - seg.from) / Math.max(1, seg.to - seg.from);
      target = seg.target + (seg.endTarget === undefined ? 0 : (seg.endTarget - seg.target) * f);
      structured = seg.kind === 'work';
    }
    if (!structured) target *= Math.max(0.5, Math.min(1.6, 1 + this.p.terrainGain * g));
    const effort: Effort = { target, structured, sprinting: false };
    if (this.p.kind === 'race') this.race(k, effort);
    this.sprints(k, effort);
    return effort;
  }

  /** Races: surges, the run-in and the final sprint. */
  private race(k: number, effort: Effort): void {
    const { n, rng } = this.p;
    if (this.surge > 0) {
      this.surge--;
      effort.target = Math.max(effort.target, this.surgeLevel);
    } else if (rng.chance(1 / 200)) {
      this.surge = rng.int(8, 45);
      this.surgeLevel = 1.8 - (this.surge / 45) * 0.6 + rng.range(-0.1, 0.1);
    }
    if (k > n - 80 && k <= n - 20) effort.target = Math.max(effort.target, 1.3);
    if (k > n - 20 && k <= n - 5 && n > 600) {
      const x = (k - (n - 20)) / 15;
      effort.target = rng.range(2.6, 2.95) * (1 - 0.35 * x);
      effort.sprinting = true;
    }
  }

  /** Sprints: a 8–15 s effort peaking at 2–3x FTP. */
  private sprints(k: number, effort: Effort): void {
    const { n, rng } = this.p;
    if (this.sprint === 0 && !effort.structured && this.coast === 0 && k > 300 && k < n - 300 && rng.chance(this.p.sprintRate)) {
      this.sprintLen = rng.int(8, 15);
      this.sprint = this.sprintLen;
      this.sprintPeak = rng.range(2.1, 3.0);
    }
    if (this.sprint > 0) {
      effort.sprinting = true;
      const x = (this.sprintLen - this.sprint) / this.sprintLen;
      effort.target = this.sprintPeak * (x < 0.25 ? 0.75 + x : 1 - 0.45 * (x - 0.25));
      this.sprint--;
    }
  }

  /** Coasting spells: downhill, corners, traffic. Never during work intervals or sprints. */
  private startCoasting(k: number, g: number, structured: boolean): void {
    const { rng, indoor, kind } = this.p;
    if (this.coast === 0 && !structured && this.sprint === 0 && !indoor) {
      const hazard = 0.004 * (kind === 'race' ? 2 : 1) + (g < -0.02 ? Math.min(0.08, (0.05 * (-g - 0.02)) / 0.03) : 0);
      if (rng.chance(hazard)) this.coast = g < -0.025 ? rng.int(8, 40) : rng.int(2, 12);
    } else if (this.coast === 0 && indoor && !structured && rng.chance(0.0015)) {
      this.coast = rng.int(2, 6);
    }
  }

  /** The watts of second k: 0 while braking or coasting, else the target with correlated and white noise. */
  private pedal(k: number, effort: Effort): number {
    const { noise, noiseScale, ftp } = this.p;
    if (this.p.tl.braking.get(k) !== undefined || this.coast > 0 || k === this.p.n) {
      if (this.coast > 0) this.coast--;
      this.ar *= 0.9;
      return 0;
    }
    this.ar = 0.85 * this.ar + noise.normal(0, 0.06 * noiseScale);
    const steadyEffort = effort.structured || effort.sprinting;
    const white = noise.normal(0, (steadyEffort ? 0.04 : 0.07) * noiseScale);
    let p = Math.max(0, effort.target * ftp * (1 + (steadyEffort ? 0.3 * this.ar : this.ar) + white));
    if (k < 3) p *= 0.6 + 0.2 * k; // rolling off
    return p;
  }

  /** Speed from the power balance (4 sub-steps per second), or braking to a halt; then distance, altitude and position. */
  private move(k: number, g: number, power: number): void {
    const braking = this.p.tl.braking.get(k);
    let ds = 0;
    if (braking !== undefined) {
      const vNew = (this.v * (braking - 1)) / braking;
      ds = (this.v + vNew) / 2;
      this.v = vNew;
    } else {
      ds = this.pedalSteps(g, power);
    }
    if (k === 0) {
      ds = 0;
      this.v = 0;
    }
    this.s += ds;
    this.alt += ds * this.p.grade(this.s - ds / 2);
    const { series } = this;
    series.speed[k] = this.v;
    series.distance[k] = this.s;
    series.altitude[k] = this.alt;
    [series.lat[k], series.lon[k]] = this.p.gps(ds);
  }

  /** One second of pedalling in 4 sub-steps: the distance covered (the speed is updated). */
  private pedalSteps(g: number, power: number): number {
    const { mass, cda } = this.p;
    const sinTheta = g / Math.sqrt(1 + g * g);
    let ds = 0;
    for (let j = 0; j < 4; j++) {
      const drive = (ETA * power) / Math.max(this.v, 1.5);
      const resist = 0.5 * RHO * cda * this.v * this.v + CRR * mass * G + mass * G * sinTheta;
      let a = (drive - resist) / mass;
      if (this.v <= 0 && a < 0) a = 0;
      const vNew = Math.max(0, Math.min(22, this.v + a * 0.25));
      ds += ((this.v + vNew) / 2) * 0.25;
      this.v = vNew;
    }
    return ds;
  }

  /** Cadence: 0 while not pedalling, lower when climbing, higher when sprinting. */
  private cadence(k: number, g: number, power: number, rel: number): void {
    this.cadNoise = 0.8 * this.cadNoise + this.p.noise.normal(0, 1.2);
    let cadence: number;
    if (power <= 0) cadence = 0;
    else if (rel > 1.6) cadence = Math.min(125, 100 + 6 * rel + this.cadNoise);
    else cadence = Math.max(55, Math.min(115, 89 - Math.max(0, g) * 220 + 4 * (rel - 0.7) + this.cadNoise));
    if (k < 3 && power > 0) cadence = 40 + 15 * k;
    this.series.cadence[k] = Math.round(cadence);
  }
}
