/**
 * Where a synthetic ride or run goes: the road grade along the way (a few sinusoids with random
 * phases) and a GPS track that moves by the distance covered with a meandering heading.
 */
import type { Rng } from './random.js';

const EARTH_RADIUS = 6_371_000;
/** Where tracks start when no start is given: Girona. */
const DEFAULT_GPS = { lat: 41.98, lon: 2.82 };

/** Road grade (fraction) as a function of distance: a few sinusoids with random phases. */
export function makeTerrain(rng: Rng, hilliness: number): (s: number) => number {
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

/** Moves a GPS position along `ds` metres with a meandering heading. */
export function makeGps(start: { lat: number; lon: number } | undefined, rng: Rng): (ds: number) => [number, number] {
  let lat = (start ?? DEFAULT_GPS).lat;
  let lon = (start ?? DEFAULT_GPS).lon;
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
