/**
 * A synthetic ride that follows a planned workout: the workout's steps become the RideModel's
 * explicit segments (ride-model.ts: work intervals steady whatever the grade, the rest modulated by
 * the road, with the model's correlated and white noise), optionally after some riding before the
 * warm-up, with timer stops at given moments (the rider brakes to a halt over the 12 s before
 * each), repeats skipped (ridden at the recovery level in their place) or added, each interval at
 * its own share of the target (a fading set), or the whole ride at endurance instead. The result is
 * a FitSessionSpec for the FIT writer, and the truth: where each work interval was ridden.
 * Deterministic for given options.
 */
import { workIntervals, type WorkInterval, type WorkoutShape } from '../domain/coaching/work-intervals.js';
import type { WorkoutStep } from '../domain/plan/types.js';
import { makeGps, makeTerrain } from './course.js';
import type { FitSessionSpec } from './fit-spec.js';
import { randomStreams, type Rng } from './random.js';
import { RideModel, type RideParams, type Segment } from './ride-model.js';
import { generatedSession } from './samples.js';
import { deviceFigures } from './synthetic-ride.js';
import { buildTimeline, type Timeline } from './timeline.js';

export interface WorkoutRideOptions {
  seed: number;
  startTime: Date;
  ftp: number;
  /** The workout to follow; its steps are required. */
  workout: WorkoutShape;
  /** Seconds of endurance riding before the warm-up. Default 0. */
  lateStartSeconds?: number;
  /** Timer stops: at a timer second (riding time, late start included) for so many seconds; or a number of random stops. */
  pauses?: readonly { atSecond: number; seconds: number }[] | number;
  /** Work intervals (0-based indexes) not done: ridden at the recovery level in their place. */
  skipRepeats?: readonly number[];
  /** Repeats of the last interval set's on/off added after it. Default 0. */
  extraRepeats?: number;
  /** The share of the target actually ridden, % (one for all work intervals, or one per interval, the extra repeats taking the last). Default 100. */
  executionPercent?: number | readonly number[];
  /** Ride the whole session at endurance instead. */
  noIntervals?: boolean;
  /** Indoor trainer: no GPS, flat virtual road. Default false. */
  indoor?: boolean;
  /** Terrain scale (see synthetic-ride.ts). Default 1. */
  hilliness?: number;
  /** Default 185. */
  maxHr?: number;
}

/** Where a work interval was ridden, in timer seconds of the ride (late start included). */
export interface RiddenInterval {
  /** The planned work interval's index; −1 for an extra repeat. */
  index: number;
  start: number;
  seconds: number;
  /** Target ridden, W (the planned target × the execution share). */
  targetWatts: number;
  /** False when skipped (ridden easy). */
  done: boolean;
}

export interface WorkoutRide {
  spec: FitSessionSpec;
  /** The planned work intervals, in order, then the extra repeats. */
  intervals: RiddenInterval[];
  /** Timer seconds 0..n of the ride. */
  timerSeconds: number;
  /** Elapsed seconds since the start of each timer second (stops included). */
  elapsed: Float64Array;
  /** Power of each timer second, W. */
  power: Float64Array;
}

const ENDURANCE = 0.68;
const LATE_START = 0.65;
const SKIPPED_STEADY = 0.6;
/** A rider following a workout rides its easy parts to the targets too: hills move them less than on a free ride (5). */
const TERRAIN_GAIN = 2;
/** Parts at least this hard (% FTP) are ridden steady, whatever the grade. */
const HARD_PERCENT = 76;

/** Builds the segments as the steps are walked. */
class SegmentPlan {
  readonly segments: Segment[] = [];
  readonly ridden: RiddenInterval[] = [];
  t = 0;
  private seenWork = false;

  constructor(private readonly options: WorkoutRideOptions) {}

  add(seconds: number, kind: Segment['kind'], target: number, endTarget?: number): void {
    if (seconds <= 0) return;
    const seg: Segment = { from: this.t, to: this.t + seconds, kind, target };
    if (endTarget !== undefined) seg.endTarget = endTarget;
    this.segments.push(seg);
    this.t += seconds;
  }

  /**
   * A part other than a work interval: a ramp, steady riding, an off; held steady like a work
   * interval when it is as hard (an over-under's "over"); all of it endurance when no intervals are ridden.
   */
  easy(seconds: number, kind: Segment['kind'], from: number, to = from): void {
    if (this.options.noIntervals) this.add(seconds, 'steady', ENDURANCE);
    else if (from === to) this.add(seconds, from >= HARD_PERCENT ? 'work' : kind, from / 100);
    else this.add(seconds, this.seenWork ? 'cooldown' : 'warmup', from / 100, to / 100);
  }

  /** A work interval of the plan, or an extra repeat (null); ridden easy in its place when skipped. */
  effort(w: WorkInterval | null, seconds: number, percent: number, skippedPercent: number, ftp: number): void {
    this.seenWork = true;
    const index = w?.index ?? -1;
    const skipped = w !== null && (this.options.skipRepeats ?? []).includes(index);
    const execution = this.execution(index);
    const target = (percent / 100) * (execution / 100);
    const done = !skipped && !this.options.noIntervals;
    this.ridden.push({ index, start: this.t, seconds, targetWatts: Math.round(target * ftp), done });
    if (!done) this.easy(seconds, 'rest', skippedPercent);
    else this.add(seconds, 'work', target);
  }

  private execution(index: number): number {
    const e = this.options.executionPercent ?? 100;
    if (typeof e === 'number') return e;
    return e[index < 0 ? e.length - 1 : index] ?? 100;
  }
}

/** The workout's steps as segments after the late start; the work intervals as ridden. */
function planSegments(options: WorkoutRideOptions, steps: readonly WorkoutStep[]): SegmentPlan {
  const late = Math.max(0, Math.round(options.lateStartSeconds ?? 0));
  const work = new Map(workIntervals(options.workout).map((w) => [w.plannedStart, w]));
  const plan = new SegmentPlan(options);
  plan.easy(late, 'steady', LATE_START * 100);
  const lastSet = steps.reduce((last, s, i) => (s.kind === 'intervals' && s.on.percentFtp >= 80 ? i : last), -1);
  let t = 0;
  steps.forEach((step, i) => {
    if (step.kind === 'ramp') plan.easy(step.seconds, 'steady', step.fromPercentFtp, step.toPercentFtp);
    else if (step.kind === 'steady') {
      const w = work.get(t);
      if (w) plan.effort(w, step.seconds, step.percentFtp, SKIPPED_STEADY * 100, options.ftp);
      else plan.easy(step.seconds, 'steady', step.percentFtp);
    } else {
      const extra = i === lastSet ? Math.max(0, Math.round(options.extraRepeats ?? 0)) : 0;
      for (let r = 0; r < step.repeat + extra; r++) {
        const w = r < step.repeat ? work.get(t + r * (step.on.seconds + step.off.seconds)) : null;
        if (w || r >= step.repeat) plan.effort(w ?? null, step.on.seconds, step.on.percentFtp, step.off.percentFtp, options.ftp);
        else plan.easy(step.on.seconds, 'steady', step.on.percentFtp);
        plan.easy(step.off.seconds, 'rest', step.off.percentFtp);
      }
    }
    t += step.kind === 'intervals' ? step.repeat * (step.on.seconds + step.off.seconds) : step.seconds;
  });
  return plan;
}

/** A timeline with the given stops (braking to a halt over the 12 s before each). */
function stopsTimeline(n: number, stops: readonly { atSecond: number; seconds: number }[]): Timeline {
  const pauseAfter = new Map<number, number>();
  const braking = new Map<number, number>();
  for (const stop of stops) {
    const k = Math.max(1, Math.min(n - 1, Math.round(stop.atSecond)));
    pauseAfter.set(k, Math.max(1, Math.round(stop.seconds)));
    for (let b = 0; b < 12; b++) if (k - b > 0) braking.set(k - b, b + 1);
  }
  const elapsed = new Float64Array(n + 1);
  const timerStops: Timeline['stops'] = [];
  let offset = 0;
  for (let k = 0; k <= n; k++) {
    elapsed[k] = k + offset;
    const p = pauseAfter.get(k);
    if (p !== undefined && k < n) {
      timerStops.push({ stop: k + offset + 1, start: k + offset + 1 + p });
      offset += p;
    }
  }
  return { elapsed, pauseAfter, braking, stops: timerStops };
}

/** The model's fixed parameters, drawn in a fixed order from the shape stream. */
function rideParams(options: WorkoutRideOptions, segments: Segment[], n: number, rng: Rng, noise: Rng, gpsRng: Rng): RideParams {
  const indoor = options.indoor ?? false;
  const pauses = options.pauses ?? 0;
  const tl = typeof pauses === 'number' ? buildTimeline(n, pauses, rng) : stopsTimeline(n, pauses);
  const grade = indoor ? () => 0 : makeTerrain(rng, options.hilliness ?? 1);
  const maxHr = options.maxHr ?? 185;
  const heart = { restHr: 48 + rng.range(-4, 6), lthr: maxHr * 0.92, maxHr };
  return {
    n,
    ftp: options.ftp,
    kind: 'intervals',
    heart,
    indoor,
    mass: Math.min(100, Math.max(55, options.ftp / 3.5)) + 8,
    rng,
    noise,
    tl,
    grade,
    segments,
    baseTarget: ENDURANCE,
    noiseScale: indoor ? 0.6 : 1,
    terrainGain: TERRAIN_GAIN,
    sprintRate: 1 / 5400,
    gps: makeGps(undefined, gpsRng),
    cda: indoor ? 0.3 : rng.range(0.29, 0.34),
    onTimeWork: true,
  };
}

/** A ride following the workout, with where each work interval was ridden. Deterministic for given options. */
export function workoutRideWithTruth(options: WorkoutRideOptions): WorkoutRide {
  const steps = options.workout.steps ?? [];
  if (steps.length === 0) throw new RangeError('workoutRide needs a workout with steps');
  const { rng, noise, gps, rec } = randomStreams(options.seed, 1);
  const plan = planSegments(options, steps);
  const n = plan.t;
  const segments = plan.segments;
  (segments[segments.length - 1] as Segment).to = n + 1;
  const params = rideParams(options, segments, n, rng, noise, gps);
  const model = new RideModel(params);
  for (let k = 0; k <= n; k++) model.step(k);
  const { power, cadence, hr, speed, distance, altitude, lat, lon } = model.series;
  const indoor = params.indoor;
  const spec = generatedSession(
    {
      n,
      power,
      cadence,
      heartRate: hr,
      speed,
      distance,
      altitude: indoor ? null : altitude,
      lat: indoor ? null : lat,
      lon: indoor ? null : lon,
    },
    { startTime: options.startTime },
    {
      sport: 'cycling',
      subSport: indoor ? 'indoor_cycling' : 'road',
      timeline: params.tl,
      rec,
      lapCuts: segments.map((seg) => seg.from),
    },
  );
  spec.device = deviceFigures(power, n, options.ftp);
  const intervals = [...plan.ridden.filter((r) => r.index >= 0), ...plan.ridden.filter((r) => r.index < 0)];
  return { spec, intervals, timerSeconds: n, elapsed: params.tl.elapsed, power };
}

/** A ride following the workout, as a FIT session spec (see workoutRideWithTruth). */
export function workoutRide(options: WorkoutRideOptions): FitSessionSpec {
  return workoutRideWithTruth(options).spec;
}
