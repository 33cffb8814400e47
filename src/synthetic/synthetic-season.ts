/**
 * A synthetic season: a year of generated rides in time order, as a real athlete's head unit
 * would have recorded them (the demo, benchmarks and test athletes use it).
 */
import type { FitSessionSpec } from './fit-spec.js';
import { deriveSeed, Rng } from './random.js';
import type { RideKind } from './ride-model.js';
import { syntheticRide } from './synthetic-ride.js';

export interface SyntheticSeasonOptions {
  seed: number;
  /** First day of the season (rides spread over the following 365 days). */
  start: Date;
  rides: number;
  ftp: number;
  maxHr?: number;
}

/** The kind of ride a random `roll` in [0, 1) gives: indoors mostly intervals, at weekends mostly long endurance rides. */
function rideKind(indoor: boolean, weekend: boolean, roll: number): RideKind {
  if (indoor) return roll < 0.55 ? 'intervals' : roll < 0.85 ? 'endurance' : 'recovery';
  if (weekend) return roll < 0.7 ? 'endurance' : roll < 0.85 ? 'race' : roll < 0.93 ? 'intervals' : 'recovery';
  return roll < 0.5 ? 'endurance' : roll < 0.75 ? 'intervals' : roll < 0.92 ? 'recovery' : 'race';
}

/** How long a ride of this kind lasts, in hours. */
function rideHours(kind: RideKind, indoor: boolean, weekend: boolean, rng: Rng): number {
  if (kind === 'recovery') return rng.range(1, 1.5);
  if (kind === 'intervals') return rng.range(1, indoor ? 1.5 : 2.25);
  if (kind === 'race') return rng.range(1.5, 3.5);
  return indoor ? rng.range(1, 2) : weekend ? rng.range(2.5, 4) : rng.range(1.25, 2.5);
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
    const kind = rideKind(indoor, weekend, rng.float());
    const hours = rideHours(kind, indoor, weekend, rng);
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
