/**
 * Deterministic synthetic rides: the same options (seed included) always give the same samples.
 * Everything random comes from seeded generators (random.ts); there is no Math.random. The rider
 * is modelled second by second in ride-model.ts (power, speed, heart rate, cadence); timer stops
 * happen with the rider braking to a halt first, and no records are written while stopped
 * (timeline.ts, samples.ts). Head units' own figures (NP, IF, TSS) are written when there is a
 * power meter.
 */
import { makeGps, makeTerrain } from './course.js';
import type { FitSessionSpec } from './fit-spec.js';
import { randomStreams, type Rng } from './random.js';
import { RideModel, type RideKind, type RideParams, type Segment } from './ride-model.js';
import { generatedSession } from './samples.js';
import { autoLaps, buildTimeline } from './timeline.js';

export interface SyntheticRideOptions {
  seed: number;
  startTime: Date;
  /** Timer (riding) time in seconds; timer stops add to elapsed time on top of this. */
  durationSeconds: number;
  ftp: number;
  /** Default 185. */
  maxHr?: number;
  /** Default `endurance`. */
  kind?: RideKind;
  /** Number of timer stops (café, traffic lights). Default 0. */
  pauses?: number;
  /** Default Girona (41.98, 2.82). Ignored indoors. */
  gpsStart?: { lat: number; lon: number };
  /** Garmin "smart recording": records 1–8 s apart instead of every second. */
  smartRecording?: boolean;
  /** Sensor dropouts: spells with no power/cadence, no heart rate, or no GPS fix. */
  dropouts?: boolean;
  /** Indoor trainer ride: sub-sport `indoor_cycling`, no GPS or altitude, flat-road virtual speed. */
  indoor?: boolean;
  /** Sub-sport to write (default `road`, or `indoor_cycling` indoors). */
  subSport?: string;
  /** Default true. False: no power meter (no power fields, no device figures). */
  powerMeter?: boolean;
  /** Default true. False: no heart-rate strap. */
  heartRateMonitor?: boolean;
  /** Default true (when there is a power meter): write the head unit's NP/TSS/IF/FTP to the session. */
  deviceFigures?: boolean;
  /** Rider + bike mass in kg. Default from FTP (about 3.5 W/kg) plus 8 kg of bike. */
  massKg?: number;
  /** Terrain scale: 0 flat, 1 rolling (default), 2 mountainous. */
  hilliness?: number;
}

/** Normalized power of a 1 Hz series: 30 s rolling mean, fourth-power mean, fourth root. */
function normalizedPower(power: Float64Array): number {
  if (power.length < 30) {
    let s = 0;
    for (const p of power) s += p;
    return power.length ? s / power.length : 0;
  }
  let win = 0;
  let sum4 = 0;
  let count = 0;
  for (let i = 0; i < power.length; i++) {
    win += power[i] as number;
    if (i >= 30) win -= power[i - 30] as number;
    if (i >= 29) {
      const m = win / 30;
      sum4 += m * m * m * m;
      count++;
    }
  }
  return Math.pow(sum4 / count, 0.25);
}

/** An interval session: warm-up, one of five protocols of work and rest, steady riding around it, cool-down. */
function planIntervals(n: number, rng: Rng): Segment[] {
  const warm = Math.min(900, Math.floor(n * 0.2));
  const cool = Math.min(600, Math.floor(n * 0.12));
  const protocols = [
    { work: 300, rest: 300, reps: 5, target: rng.range(1.06, 1.12) },
    { work: 480, rest: 240, reps: 4, target: rng.range(1.05, 1.08) },
    { work: 180, rest: 180, reps: 8, target: rng.range(1.12, 1.2) },
    { work: 120, rest: 120, reps: 10, target: rng.range(1.15, 1.2) },
    { work: 600, rest: 300, reps: 3, target: rng.range(1.05, 1.07) },
  ];
  const p = rng.pick(protocols);
  const available = n - warm - cool;
  const reps = Math.max(0, Math.min(p.reps, Math.floor(available / (p.work + p.rest))));
  const segs: Segment[] = [{ from: 0, to: warm, kind: 'warmup', target: 0.5, endTarget: 0.7 }];
  const main = reps * (p.work + p.rest);
  let k = warm + Math.floor((available - main) / 2);
  if (k > warm) segs.push({ from: warm, to: k, kind: 'steady', target: 0.63 });
  for (let i = 0; i < reps; i++) {
    segs.push({ from: k, to: k + p.work, kind: 'work', target: p.target * rng.range(0.985, 1.015) });
    k += p.work;
    segs.push({ from: k, to: k + p.rest, kind: 'rest', target: rng.range(0.45, 0.55) });
    k += p.rest;
  }
  if (k < n - cool) segs.push({ from: k, to: n - cool, kind: 'steady', target: 0.63 });
  segs.push({ from: n - cool, to: n + 1, kind: 'cooldown', target: 0.55, endTarget: 0.42 });
  return segs;
}

/** The ride's fixed parameters, drawn in a fixed order from the shape stream. */
function rideParams(options: SyntheticRideOptions, rng: Rng, noise: Rng, gpsRng: Rng): RideParams {
  const n = Math.max(1, Math.round(options.durationSeconds));
  const ftp = options.ftp;
  const kind = options.kind ?? 'endurance';
  const indoor = options.indoor ?? false;
  const tl = buildTimeline(n, options.pauses ?? 0, rng);
  const grade = indoor ? () => 0 : makeTerrain(rng, options.hilliness ?? 1);
  const segments = kind === 'intervals' ? planIntervals(n, rng) : [];
  const baseTarget = { endurance: rng.range(0.66, 0.71), race: rng.range(0.66, 0.71), recovery: rng.range(0.48, 0.54), intervals: 0.63 }[
    kind
  ];
  const gps = makeGps(options.gpsStart, gpsRng);
  const maxHr = options.maxHr ?? 185;
  const heart = { restHr: 48 + rng.range(-4, 6), lthr: maxHr * 0.92, maxHr };
  return {
    n,
    ftp,
    kind,
    heart,
    indoor,
    mass: options.massKg ?? Math.min(100, Math.max(55, ftp / 3.5)) + 8,
    rng,
    noise,
    tl,
    grade,
    segments,
    baseTarget,
    noiseScale: kind === 'recovery' ? 0.5 : indoor ? 0.6 : kind === 'race' ? 1.25 : 1,
    terrainGain: kind === 'race' ? 7 : kind === 'recovery' ? 3 : 5,
    sprintRate: kind === 'race' ? 1 / 1500 : kind === 'endurance' ? 1 / 2700 : kind === 'intervals' ? 1 / 5400 : 0,
    gps,
    cda: indoor ? 0.3 : rng.range(0.29, 0.34),
  };
}

/** The head unit's NP, IF and TSS for the ride. */
export function deviceFigures(power: Float64Array, n: number, ftp: number): NonNullable<FitSessionSpec['device']> {
  const np = normalizedPower(power.subarray(0, n));
  const intensity = np / ftp;
  return {
    normalizedPower: Math.round(np),
    intensityFactor: Math.round(intensity * 1000) / 1000,
    tss: Math.round(((n * np * intensity) / (ftp * 3600)) * 1000) / 10,
    ftp,
  };
}

/** A generated ride as a FIT session spec. Deterministic for given options. */
export function syntheticRide(options: SyntheticRideOptions): FitSessionSpec {
  const { rng, noise, gps, rec } = randomStreams(options.seed, 1);
  const params = rideParams(options, rng, noise, gps);
  const { n, indoor, kind, segments, tl } = params;
  const model = new RideModel(params);
  for (let k = 0; k <= n; k++) model.step(k);
  const { power, cadence, hr, speed, distance, altitude, lat, lon } = model.series;
  const hasPower = options.powerMeter ?? true;
  const spec = generatedSession(
    {
      n,
      power: hasPower ? power : null,
      cadence,
      heartRate: (options.heartRateMonitor ?? true) ? hr : null,
      speed,
      distance,
      altitude: indoor ? null : altitude,
      lat: indoor ? null : lat,
      lon: indoor ? null : lon,
    },
    options,
    {
      sport: 'cycling',
      subSport: options.subSport ?? (indoor ? 'indoor_cycling' : 'road'),
      timeline: tl,
      rec,
      lapCuts: kind === 'intervals' ? segments.map((seg) => seg.from) : autoLaps(distance, 10_000),
    },
  );
  if (hasPower && (options.deviceFigures ?? true)) spec.device = deviceFigures(power, n, params.ftp);
  return spec;
}
