/**
 * Deterministic synthetic rides and runs: the same options (seed included) always give the same
 * samples. Everything random comes from a seeded mulberry32 generator; there is no Math.random.
 *
 * The model, per second of timer time:
 * - power: a target from the ride kind (endurance, intervals, race, recovery), modulated by the
 *   road grade, with correlated and white noise, coasting spells (0 W, more often downhill) and
 *   occasional sprints up to about 3x FTP;
 * - speed: integrated from a power balance (aero drag, rolling resistance, gravity) with 4 sub-steps
 *   per second, so distance is the integral of speed and GPS moves by the same distance;
 * - heart rate: a first-order lag (faster up than down) towards a steady state set by power,
 *   with slow cardiac drift;
 * - cadence: 0 while coasting, ~88 rpm otherwise, lower when climbing, higher when sprinting.
 * Timer stops happen with the rider braking to a halt first; no records are written while stopped.
 */
import type { FitRecordSample, FitSessionSpec } from './fit-writer.js';

// ---- random numbers ----

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed with a stream number, so sub-generators do not share sequences. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  return h >>> 0;
}

class Rng {
  private readonly next: () => number;
  private spare: number | undefined;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  int(min: number, maxInclusive: number): number {
    return Math.floor(this.range(min, maxInclusive + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(mean = 0, sd = 1): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return mean + sd * s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.min(items.length - 1, Math.floor(this.next() * items.length))] as T;
  }
}

// ---- options ----

export type RideKind = 'endurance' | 'intervals' | 'race' | 'recovery';

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

// ---- shared machinery ----

const EARTH_RADIUS = 6_371_000;
const DEFAULT_GPS = { lat: 41.98, lon: 2.82 };
const G = 9.81;

interface Timeline {
  /** Elapsed seconds (since the start) of each timer second 0..N. */
  elapsed: Float64Array;
  /** Timer seconds k after which the rider stopped (the pause sits between k and k + 1). */
  pauseAfter: Map<number, number>;
  /** Seconds k during which the rider brakes to a halt (power 0). */
  braking: Map<number, number>;
  stops: { stop: number; start: number }[];
}

function buildTimeline(n: number, pauses: number, rng: Rng): Timeline {
  const pauseAfter = new Map<number, number>();
  const braking = new Map<number, number>();
  const count = Math.max(0, Math.min(Math.floor(pauses), Math.floor(n / 600)));
  if (count > 0) {
    // Spread the stops over the middle of the ride, each in its own slot.
    const lo = Math.floor(n * 0.12);
    const hi = Math.floor(n * 0.92);
    const slot = (hi - lo) / count;
    const cafe = n > 2.5 * 3600 ? rng.int(0, count - 1) : -1;
    for (let i = 0; i < count; i++) {
      const k = Math.floor(lo + slot * (i + rng.range(0.2, 0.8)));
      const length = i === cafe ? rng.int(900, 1800) : rng.chance(0.6) ? rng.int(20, 150) : rng.int(150, 600);
      pauseAfter.set(k, length);
      // Brake to a halt over the last 12 s: `remaining` seconds left at each of them.
      for (let b = 0; b < 12; b++) if (k - b > 0) braking.set(k - b, b + 1);
    }
  }
  const elapsed = new Float64Array(n + 1);
  const stops: { stop: number; start: number }[] = [];
  let offset = 0;
  for (let k = 0; k <= n; k++) {
    elapsed[k] = k + offset;
    const p = pauseAfter.get(k);
    if (p !== undefined && k < n) {
      // The rider halts one second after the last record; the timer restarts `p` seconds later.
      stops.push({ stop: k + offset + 1, start: k + offset + 1 + p });
      offset += p;
    }
  }
  return { elapsed, pauseAfter, braking, stops };
}

/** Road grade (fraction) as a function of distance: a few sinusoids with random phases. */
function makeTerrain(rng: Rng, hilliness: number): (s: number) => number {
  const waves = [
    { len: 600, amp: 0.008 },
    { len: 2200, amp: 0.016 },
    { len: 6500, amp: 0.022 },
    { len: 14000, amp: 0.018 },
    { len: 31000, amp: 0.014 },
  ].map((w) => ({
    k: (2 * Math.PI) / (w.len * rng.range(0.8, 1.25)),
    amp: w.amp * hilliness * rng.range(0.6, 1.3),
    phase: rng.range(0, 2 * Math.PI),
  }));
  return (s) => {
    let g = 0;
    for (const w of waves) g += w.amp * Math.sin(w.k * s + w.phase);
    return Math.max(-0.12, Math.min(0.12, g));
  };
}

interface Channels {
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

/** Moves a GPS position along `ds` metres with a meandering heading. */
function makeGps(start: { lat: number; lon: number }, rng: Rng): (ds: number) => [number, number] {
  let lat = start.lat;
  let lon = start.lon;
  let heading = rng.range(0, 2 * Math.PI);
  let bearing = heading;
  return (ds) => {
    if (ds > 0) {
      bearing += rng.normal(0, 0.002) * Math.sqrt(ds);
      heading += 0.02 * (bearing - heading) + rng.normal(0, 0.015) * Math.min(1, ds / 5);
      if (rng.chance(0.0008)) heading += rng.pick([-Math.PI / 2, Math.PI / 2]);
      lat += ((ds * Math.cos(heading)) / EARTH_RADIUS) * (180 / Math.PI);
      lon += ((ds * Math.sin(heading)) / (EARTH_RADIUS * Math.cos((lat * Math.PI) / 180))) * (180 / Math.PI);
    }
    return [lat, lon];
  };
}

interface Spell {
  from: number;
  to: number;
}

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

/** Laps between timer-second boundaries (first at 0, session end last). */
function lapsFrom(boundaries: number[], tl: Timeline, startTime: Date, n: number): { start: Date; end: Date }[] {
  const t0 = startTime.getTime();
  const at = (k: number): Date => new Date(t0 + (tl.elapsed[Math.min(n, k)] as number) * 1000);
  const cuts = [...new Set(boundaries.filter((b) => b > 0 && b < n))].sort((a, b) => a - b);
  const edges = [0, ...cuts, n];
  const laps: { start: Date; end: Date }[] = [];
  for (let i = 0; i + 1 < edges.length; i++) laps.push({ start: at(edges[i] as number), end: at(edges[i + 1] as number) });
  return laps;
}

function autoLaps(distance: Float64Array, every: number): number[] {
  const out: number[] = [];
  let next = every;
  for (let k = 0; k < distance.length; k++) {
    if ((distance[k] as number) >= next) {
      out.push(k);
      next += every;
    }
  }
  return out;
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

// ---- rides ----

interface Segment {
  from: number;
  to: number;
  kind: 'warmup' | 'work' | 'rest' | 'cooldown' | 'steady';
  target: number;
  endTarget?: number;
}

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

/** A generated ride as a FIT session spec. Deterministic for given options. */
export function syntheticRide(options: SyntheticRideOptions): FitSessionSpec {
  const n = Math.max(1, Math.round(options.durationSeconds));
  const ftp = options.ftp;
  const kind = options.kind ?? 'endurance';
  const maxHr = options.maxHr ?? 185;
  const indoor = options.indoor ?? false;
  const hasPower = options.powerMeter ?? true;
  const hasHr = options.heartRateMonitor ?? true;
  const mass = options.massKg ?? Math.min(100, Math.max(55, ftp / 3.5)) + 8;
  const rng = new Rng(deriveSeed(options.seed, 1));
  const noiseRng = new Rng(deriveSeed(options.seed, 2));
  const gpsRng = new Rng(deriveSeed(options.seed, 3));
  const recRng = new Rng(deriveSeed(options.seed, 4));

  const tl = buildTimeline(n, options.pauses ?? 0, rng);
  const grade = indoor ? () => 0 : makeTerrain(rng, options.hilliness ?? 1);
  const segments = kind === 'intervals' ? planIntervals(n, rng) : [];
  const baseTarget = { endurance: rng.range(0.66, 0.71), race: rng.range(0.66, 0.71), recovery: rng.range(0.48, 0.54), intervals: 0.63 }[
    kind
  ];
  const noiseScale = kind === 'recovery' ? 0.5 : indoor ? 0.6 : kind === 'race' ? 1.25 : 1;
  const terrainGain = kind === 'race' ? 7 : kind === 'recovery' ? 3 : 5;
  const sprintRate = kind === 'race' ? 1 / 1500 : kind === 'endurance' ? 1 / 2700 : kind === 'intervals' ? 1 / 5400 : 0;

  const power = new Float64Array(n + 1);
  const cadence = new Float64Array(n + 1);
  const hr = new Float64Array(n + 1);
  const speed = new Float64Array(n + 1);
  const distance = new Float64Array(n + 1);
  const altitude = new Float64Array(n + 1);
  const lat = new Float64Array(n + 1);
  const lon = new Float64Array(n + 1);
  const gps = makeGps(options.gpsStart ?? DEFAULT_GPS, gpsRng);

  const restHr = 48 + rng.range(-4, 6);
  const lthr = maxHr * 0.92;
  const cda = indoor ? 0.3 : rng.range(0.29, 0.34);
  const crr = 0.0045;
  const rho = 1.2;
  const eta = 0.975;

  let v = 0;
  let s = 0;
  let alt = rng.range(80, 600);
  let ar = 0;
  let cadNoise = 0;
  let h = restHr + 30;
  let coast = 0;
  let surge = 0;
  let surgeLevel = 0;
  let sprint = 0;
  let sprintLen = 0;
  let sprintPeak = 0;
  let segIndex = 0;
  let [la, lo] = gps(0);

  for (let k = 0; k <= n; k++) {
    const g = grade(s);
    // Target power as a fraction of FTP.
    let target = baseTarget;
    let structured = false;
    let sprinting = false;
    if (segments.length) {
      while (segIndex < segments.length - 1 && k >= (segments[segIndex] as Segment).to) segIndex++;
      const seg = segments[segIndex] as Segment;
      const f = seg.endTarget === undefined ? 0 : (k - seg.from) / Math.max(1, seg.to - seg.from);
      target = seg.target + (seg.endTarget === undefined ? 0 : (seg.endTarget - seg.target) * f);
      structured = seg.kind === 'work';
    }
    if (!structured) target *= Math.max(0.5, Math.min(1.6, 1 + terrainGain * g));
    if (kind === 'race') {
      if (surge > 0) {
        surge--;
        target = Math.max(target, surgeLevel);
      } else if (rng.chance(1 / 200)) {
        surge = rng.int(8, 45);
        surgeLevel = 1.8 - (surge / 45) * 0.6 + rng.range(-0.1, 0.1);
      }
      if (k > n - 80 && k <= n - 20) target = Math.max(target, 1.3);
      if (k > n - 20 && k <= n - 5 && n > 600) {
        const x = (k - (n - 20)) / 15;
        target = rng.range(2.6, 2.95) * (1 - 0.35 * x);
        sprinting = true;
      }
    }
    // Sprints: a 8–15 s effort peaking at 2–3x FTP.
    if (sprint === 0 && !structured && coast === 0 && k > 300 && k < n - 300 && rng.chance(sprintRate)) {
      sprintLen = rng.int(8, 15);
      sprint = sprintLen;
      sprintPeak = rng.range(2.1, 3.0);
    }
    if (sprint > 0) {
      sprinting = true;
      const x = (sprintLen - sprint) / sprintLen;
      target = sprintPeak * (x < 0.25 ? 0.75 + x : 1 - 0.45 * (x - 0.25));
      sprint--;
    }
    // Coasting spells: downhill, corners, traffic. Never during work intervals or sprints.
    const braking = tl.braking.get(k);
    if (coast === 0 && !structured && sprint === 0 && !indoor) {
      const hazard = 0.004 * (kind === 'race' ? 2 : 1) + (g < -0.02 ? Math.min(0.08, (0.05 * (-g - 0.02)) / 0.03) : 0);
      if (rng.chance(hazard)) coast = g < -0.025 ? rng.int(8, 40) : rng.int(2, 12);
    } else if (coast === 0 && indoor && !structured && rng.chance(0.0015)) {
      coast = rng.int(2, 6);
    }
    let p: number;
    if (braking !== undefined || coast > 0 || k === n) {
      p = 0;
      if (coast > 0) coast--;
      ar *= 0.9;
    } else {
      ar = 0.85 * ar + noiseRng.normal(0, 0.06 * noiseScale);
      const steadyEffort = structured || sprinting;
      const white = noiseRng.normal(0, (steadyEffort ? 0.04 : 0.07) * noiseScale);
      p = Math.max(0, target * ftp * (1 + (steadyEffort ? 0.3 * ar : ar) + white));
      if (k < 3) p *= 0.6 + 0.2 * k; // rolling off
    }
    power[k] = Math.round(p);

    // Speed: power balance, 4 sub-steps per second.
    let ds = 0;
    if (braking !== undefined) {
      const vNew = (v * (braking - 1)) / braking;
      ds = (v + vNew) / 2;
      v = vNew;
    } else {
      const sinTheta = g / Math.sqrt(1 + g * g);
      for (let j = 0; j < 4; j++) {
        const drive = (eta * (power[k] as number)) / Math.max(v, 1.5);
        const resist = 0.5 * rho * cda * v * v + crr * mass * G + mass * G * sinTheta;
        let a = (drive - resist) / mass;
        if (v <= 0 && a < 0) a = 0;
        const vNew = Math.max(0, Math.min(22, v + a * 0.25));
        ds += ((v + vNew) / 2) * 0.25;
        v = vNew;
      }
    }
    if (k === 0) {
      ds = 0;
      v = 0;
    }
    s += ds;
    alt += ds * grade(s - ds / 2);
    speed[k] = v;
    distance[k] = s;
    altitude[k] = alt;
    [la, lo] = gps(ds);
    lat[k] = la;
    lon[k] = lo;

    // Heart rate: lag towards a power-driven steady state, slow drift, small noise.
    const rel = Math.max(0, power[k] as number) / ftp;
    const steady = Math.min(maxHr - 1, restHr + (lthr - restHr) * Math.pow(Math.min(rel, 1.5), 0.75) + (k / 3600) * 3);
    const tau = steady > h ? 22 : 45;
    h += (steady - h) / tau + noiseRng.normal(0, 0.25);
    h = Math.max(restHr, Math.min(maxHr, h));
    const pauseLength = tl.pauseAfter.get(k);
    hr[k] = h;
    if (pauseLength !== undefined) h = restHr + 15 + (h - restHr - 15) * Math.exp(-pauseLength / 70);

    // Cadence: 0 while not pedalling.
    cadNoise = 0.8 * cadNoise + noiseRng.normal(0, 1.2);
    if ((power[k] as number) <= 0) cadence[k] = 0;
    else if (rel > 1.6) cadence[k] = Math.min(125, 100 + 6 * rel + cadNoise);
    else cadence[k] = Math.max(55, Math.min(115, 89 - Math.max(0, g) * 220 + 4 * (rel - 0.7) + cadNoise));
    if (k < 3 && (power[k] as number) > 0) cadence[k] = 40 + 15 * k;
    cadence[k] = Math.round(cadence[k] as number);
  }

  const channels: Channels = {
    n,
    power: hasPower ? power : null,
    cadence,
    heartRate: hasHr ? hr : null,
    speed,
    distance,
    altitude: indoor ? null : altitude,
    lat: indoor ? null : lat,
    lon: indoor ? null : lon,
  };
  const records = toRecords(channels, tl, options.startTime, recRng, options.smartRecording ?? false, options.dropouts ?? false);

  const lapCuts = kind === 'intervals' ? segments.map((seg) => seg.from) : autoLaps(distance, 10_000);
  const spec: FitSessionSpec = {
    sport: 'cycling',
    subSport: options.subSport ?? (indoor ? 'indoor_cycling' : 'road'),
    startTime: options.startTime,
    records,
    timerStops: tl.stops.map((p) => ({
      stop: new Date(options.startTime.getTime() + p.stop * 1000),
      start: new Date(options.startTime.getTime() + p.start * 1000),
    })),
    laps: lapsFrom(lapCuts, tl, options.startTime, n),
  };
  if (hasPower && (options.deviceFigures ?? true)) {
    const np = normalizedPower(power.subarray(0, n));
    const intensity = np / ftp;
    spec.device = {
      normalizedPower: Math.round(np),
      intensityFactor: Math.round(intensity * 1000) / 1000,
      tss: Math.round(((n * np * intensity) / (ftp * 3600)) * 1000) / 10,
      ftp,
    };
  }
  return spec;
}

// ---- runs ----

/** A generated run as a FIT session spec (sport `running`). Cadence is in FIT's strides per minute. */
export function syntheticRun(options: SyntheticRunOptions): FitSessionSpec {
  const n = Math.max(1, Math.round(options.durationSeconds));
  const maxHr = options.maxHr ?? 190;
  const mass = options.massKg ?? 70;
  const kind = options.kind ?? 'easy';
  const thresholdSpeed = 1000 / (options.thresholdPaceSecondsPerKm ?? 270);
  const rng = new Rng(deriveSeed(options.seed, 11));
  const noiseRng = new Rng(deriveSeed(options.seed, 12));
  const gpsRng = new Rng(deriveSeed(options.seed, 13));
  const recRng = new Rng(deriveSeed(options.seed, 14));

  const tl = buildTimeline(n, options.pauses ?? 0, rng);
  const grade = makeTerrain(rng, 0.6);
  const base = kind === 'tempo' ? rng.range(0.88, 0.93) : rng.range(0.72, 0.8);
  const work = 180;
  const rest = 120;
  const warm = Math.min(600, Math.floor(n * 0.25));
  const cuts: number[] = [];

  const power = new Float64Array(n + 1);
  const cadence = new Float64Array(n + 1);
  const hr = new Float64Array(n + 1);
  const speed = new Float64Array(n + 1);
  const distance = new Float64Array(n + 1);
  const altitude = new Float64Array(n + 1);
  const lat = new Float64Array(n + 1);
  const lon = new Float64Array(n + 1);
  const gps = makeGps(options.gpsStart ?? DEFAULT_GPS, gpsRng);
  const restHr = 50 + rng.range(-4, 6);
  const lthr = maxHr * 0.9;

  let v = 0;
  let s = 0;
  let alt = rng.range(20, 300);
  let ar = 0;
  let h = restHr + 25;
  for (let k = 0; k <= n; k++) {
    const g = grade(s);
    let rel = base;
    if (kind === 'intervals' && k >= warm && k < n - 300) {
      const phase = (k - warm) % (work + rest);
      if (phase === 0) cuts.push(k);
      rel = phase < work ? rng.range(1.04, 1.06) : 0.6;
    } else if (kind === 'intervals' && k === n - 300) {
      cuts.push(k);
    }
    ar = 0.95 * ar + noiseRng.normal(0, 0.008);
    const braking = tl.braking.get(k);
    let target = thresholdSpeed * rel * (1 - 4 * g) * (1 + ar);
    if (braking !== undefined || k === n) target = 0;
    // Runners change speed quickly but not instantly.
    v += (target - v) * (braking !== undefined ? 0.35 : 0.25);
    if (k === 0) v = 0;
    v = Math.max(0, v);
    const ds = k === 0 ? 0 : v;
    s += ds;
    alt += ds * g;
    speed[k] = v;
    distance[k] = s;
    altitude[k] = alt;
    const [la, lo] = gps(ds);
    lat[k] = la;
    lon[k] = lo;
    // Running power ~ 1.04 W/kg per m/s on the flat, more uphill.
    power[k] = v > 0.3 ? Math.max(0, Math.round(mass * v * (1.04 + 4 * Math.max(-0.1, g)) * (1 + noiseRng.normal(0, 0.03)))) : 0;
    const effort = v / thresholdSpeed + 3 * g;
    const steady = Math.min(maxHr - 1, restHr + (lthr - restHr) * Math.pow(Math.max(0, effort), 1.1) + (k / 3600) * 4);
    h += (steady - h) / (steady > h ? 25 : 50) + noiseRng.normal(0, 0.25);
    h = Math.max(restHr, Math.min(maxHr, h));
    hr[k] = h;
    const pauseLength = tl.pauseAfter.get(k);
    if (pauseLength !== undefined) h = restHr + 15 + (h - restHr - 15) * Math.exp(-pauseLength / 70);
    cadence[k] = v < 0.8 ? 0 : Math.round(Math.min(100, 76 + 4 * v + noiseRng.normal(0, 1)));
  }

  const channels: Channels = { n, power: options.power ? power : null, cadence, heartRate: hr, speed, distance, altitude, lat, lon };
  const records = toRecords(channels, tl, options.startTime, recRng, options.smartRecording ?? false, options.dropouts ?? false);
  return {
    sport: 'running',
    subSport: options.subSport ?? 'generic',
    startTime: options.startTime,
    records,
    timerStops: tl.stops.map((p) => ({
      stop: new Date(options.startTime.getTime() + p.stop * 1000),
      start: new Date(options.startTime.getTime() + p.start * 1000),
    })),
    laps: lapsFrom(kind === 'intervals' ? cuts : autoLaps(distance, 1000), tl, options.startTime, n),
  };
}

// ---- a season ----

export interface SyntheticSeasonOptions {
  seed: number;
  /** First day of the season (rides spread over the following 365 days). */
  start: Date;
  rides: number;
  ftp: number;
  maxHr?: number;
}

/**
 * About `rides` rides of 1–4 h spread over a year, in time order: mostly endurance, some
 * intervals, recovery spins and races; longer rides at weekends, more indoor trainer rides in
 * winter (Nov–Feb), café stops on long rides, a few files with smart recording or dropouts.
 * FTP is constant (the device figures use `ftp`).
 */
export function syntheticSeason(options: SyntheticSeasonOptions): FitSessionSpec[] {
  const rng = new Rng(deriveSeed(options.seed, 21));
  const count = Math.max(0, Math.floor(options.rides));
  const dayMs = 86_400_000;
  const startDay = Math.floor(options.start.getTime() / dayMs) * dayMs;
  const out: FitSessionSpec[] = [];
  let notBefore = options.start.getTime();
  for (let i = 0; i < count; i++) {
    const day = Math.floor(((i + rng.range(0.05, 0.95)) * 365) / count);
    const date = new Date(startDay + day * dayMs);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const month = date.getUTCMonth();
    const winter = month >= 10 || month <= 1;
    const indoor = rng.chance(winter ? 0.45 : 0.08);
    const roll = rng.float();
    let kind: RideKind;
    if (indoor) kind = roll < 0.55 ? 'intervals' : roll < 0.85 ? 'endurance' : 'recovery';
    else if (weekend) kind = roll < 0.7 ? 'endurance' : roll < 0.85 ? 'race' : roll < 0.93 ? 'intervals' : 'recovery';
    else kind = roll < 0.5 ? 'endurance' : roll < 0.75 ? 'intervals' : roll < 0.92 ? 'recovery' : 'race';
    let hours: number;
    if (kind === 'recovery') hours = rng.range(1, 1.5);
    else if (kind === 'intervals') hours = rng.range(1, indoor ? 1.5 : 2.25);
    else if (kind === 'race') hours = rng.range(1.5, 3.5);
    else hours = indoor ? rng.range(1, 2) : weekend ? rng.range(2.5, 4) : rng.range(1.25, 2.5);
    const durationSeconds = Math.round((hours * 3600) / 10) * 10;
    const startHour = weekend ? rng.range(7, 10) : rng.chance(0.5) ? rng.range(6, 8) : rng.range(16.5, 18.5);
    let startMs = date.getTime() + Math.round(startHour * 3600) * 1000;
    if (startMs < notBefore) startMs = notBefore + 3600_000;
    const pauses = indoor ? 0 : hours > 2.5 ? rng.int(1, 2) : rng.chance(0.3) ? 1 : 0;
    const ride = syntheticRide({
      seed: deriveSeed(options.seed, 1000 + i),
      startTime: new Date(startMs),
      durationSeconds,
      ftp: options.ftp,
      maxHr: options.maxHr,
      kind,
      indoor,
      pauses,
      hilliness: rng.range(0.4, 1.6),
      smartRecording: !indoor && rng.chance(0.15),
      dropouts: rng.chance(0.1),
      subSport: indoor ? (rng.chance(0.5) ? 'virtual_activity' : 'indoor_cycling') : rng.chance(0.12) ? 'gravel_cycling' : 'road',
    });
    const last = ride.records[ride.records.length - 1];
    notBefore = (last ? last.time.getTime() : startMs) + 1800_000;
    out.push(ride);
  }
  return out;
}
