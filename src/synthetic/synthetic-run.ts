/**
 * Deterministic synthetic runs: speed follows a target pace (slower uphill) with a short lag,
 * heart rate lags the effort, cadence rises with speed and running power follows speed and grade.
 * Interval runs alternate 3 min of work and 2 min of rest after a warm-up.
 */
import { makeGps, makeTerrain } from './course.js';
import type { FitSessionSpec } from './fit-spec.js';
import { HeartRate, type Heart, type HeartResponse } from './heart-rate.js';
import { randomStreams, type Rng } from './random.js';
import { generatedSession, newSeries, type Series } from './samples.js';
import { autoLaps, buildTimeline, type Timeline } from './timeline.js';

export interface SyntheticRunOptions {
  seed: number;
  startTime: Date;
  /** Timer time in seconds. */
  durationSeconds: number;
  /** Default 190. */
  maxHr?: number;
  /** Threshold pace in seconds per km. Default 270 (4:30 /km). */
  thresholdPaceSecondsPerKm?: number;
  /** Default `easy`. */
  kind?: 'easy' | 'tempo' | 'intervals';
  pauses?: number;
  gpsStart?: { lat: number; lon: number };
  smartRecording?: boolean;
  dropouts?: boolean;
  /** Running power (a Stryd-like pod). Default false. */
  power?: boolean;
  /** Default `generic`. */
  subSport?: string;
  /** Default 70. */
  massKg?: number;
}

const WORK_SECONDS = 180;
const REST_SECONDS = 120;
/** Running: heart rate starts 25 bpm above rest, lags 25 s rising and 50 s falling, drifts 4 bpm an hour. */
const RUN_HEART_RESPONSE: HeartResponse = { startAboveRest: 25, tauUp: 25, tauDown: 50, driftPerHour: 4 };

/** What stays fixed through one run. */
interface RunParams {
  n: number;
  heart: Heart;
  mass: number;
  kind: NonNullable<SyntheticRunOptions['kind']>;
  thresholdSpeed: number;
  rng: Rng;
  noise: Rng;
  tl: Timeline;
  grade: (s: number) => number;
  /** Effort of steady running, a fraction of threshold speed. */
  base: number;
  warm: number;
  gps: (ds: number) => [number, number];
}

/** The run's fixed parameters, drawn in a fixed order from the shape stream. */
function runParams(options: SyntheticRunOptions, rng: Rng, noise: Rng, gpsRng: Rng): RunParams {
  const n = Math.max(1, Math.round(options.durationSeconds));
  const maxHr = options.maxHr ?? 190;
  const kind = options.kind ?? 'easy';
  const tl = buildTimeline(n, options.pauses ?? 0, rng);
  const grade = makeTerrain(rng, 0.6);
  const base = kind === 'tempo' ? rng.range(0.88, 0.93) : rng.range(0.72, 0.8);
  const gps = makeGps(options.gpsStart, gpsRng);
  return {
    n,
    mass: options.massKg ?? 70,
    kind,
    thresholdSpeed: 1000 / (options.thresholdPaceSecondsPerKm ?? 270),
    rng,
    noise,
    tl,
    grade,
    base,
    warm: Math.min(600, Math.floor(n * 0.25)),
    gps,
    heart: { restHr: 50 + rng.range(-4, 6), lthr: maxHr * 0.9, maxHr },
  };
}

/** The runner through one run, advanced one timer second at a time into `series`. */
class RunModel {
  readonly series: Series;
  /** Lap boundaries of an interval run. */
  readonly cuts: number[] = [];
  private v = 0;
  private s = 0;
  private alt: number;
  private ar = 0;
  private readonly heart: HeartRate;

  constructor(private readonly p: RunParams) {
    this.series = newSeries(p.n);
    this.alt = p.rng.range(20, 300);
    this.heart = new HeartRate(p.heart, RUN_HEART_RESPONSE, p.noise);
  }

  /** The effort of second k, a fraction of threshold speed (intervals: work or rest). */
  private effort(k: number): number {
    const { kind, warm, n, rng } = this.p;
    if (kind === 'intervals' && k >= warm && k < n - 300) {
      const phase = (k - warm) % (WORK_SECONDS + REST_SECONDS);
      if (phase === 0) this.cuts.push(k);
      return phase < WORK_SECONDS ? rng.range(1.04, 1.06) : 0.6;
    }
    if (kind === 'intervals' && k === n - 300) this.cuts.push(k);
    return this.p.base;
  }

  /** Second k: speed and position, running power, heart rate and cadence. */
  step(k: number): void {
    const { noise, tl, thresholdSpeed, mass } = this.p;
    const { series } = this;
    const g = this.p.grade(this.s);
    const rel = this.effort(k);
    this.ar = 0.95 * this.ar + noise.normal(0, 0.008);
    const braking = tl.braking.get(k);
    let target = thresholdSpeed * rel * (1 - 4 * g) * (1 + this.ar);
    if (braking !== undefined || k === this.p.n) target = 0;
    // Runners change speed quickly but not instantly.
    this.v += (target - this.v) * (braking !== undefined ? 0.35 : 0.25);
    if (k === 0) this.v = 0;
    this.v = Math.max(0, this.v);
    const v = this.v;
    const ds = k === 0 ? 0 : v;
    this.s += ds;
    this.alt += ds * g;
    series.speed[k] = v;
    series.distance[k] = this.s;
    series.altitude[k] = this.alt;
    [series.lat[k], series.lon[k]] = this.p.gps(ds);
    // Running power ~ 1.04 W/kg per m/s on the flat, more uphill.
    series.power[k] = v > 0.3 ? Math.max(0, Math.round(mass * v * (1.04 + 4 * Math.max(-0.1, g)) * (1 + noise.normal(0, 0.03)))) : 0;
    series.hr[k] = this.heart.next(k, Math.pow(Math.max(0, v / thresholdSpeed + 3 * g), 1.1), tl.pauseAfter.get(k));
    series.cadence[k] = v < 0.8 ? 0 : Math.round(Math.min(100, 76 + 4 * v + noise.normal(0, 1)));
  }
}

/** A generated run as a FIT session spec (sport `running`). Cadence is in FIT's strides per minute. */
export function syntheticRun(options: SyntheticRunOptions): FitSessionSpec {
  const { rng, noise, gps, rec } = randomStreams(options.seed, 11);
  const params = runParams(options, rng, noise, gps);
  const { n, kind, tl } = params;
  const model = new RunModel(params);
  for (let k = 0; k <= n; k++) model.step(k);
  const { power, cadence, hr, speed, distance, altitude, lat, lon } = model.series;
  return generatedSession(
    { n, power: options.power ? power : null, cadence, heartRate: hr, speed, distance, altitude, lat, lon },
    options,
    {
      sport: 'running',
      subSport: options.subSport ?? 'generic',
      timeline: tl,
      rec,
      lapCuts: kind === 'intervals' ? model.cuts : autoLaps(distance, 1000),
    },
  );
}
