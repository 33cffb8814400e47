/**
 * The timer of a synthetic activity: where the rider stops (and brakes to a halt before each
 * stop), the elapsed time of every timer second, and laps between timer-second boundaries.
 */
import type { FitSessionSpec } from './fit-spec.js';
import type { Rng } from './random.js';

export interface Timeline {
  /** Elapsed seconds (since the start) of each timer second 0..N. */
  elapsed: Float64Array;
  /** Timer seconds k after which the rider stopped (the pause sits between k and k + 1). */
  pauseAfter: Map<number, number>;
  /** Seconds k during which the rider brakes to a halt (power 0). */
  braking: Map<number, number>;
  stops: { stop: number; start: number }[];
}

/** `pauses` timer stops (at most one per 10 minutes) spread over the middle of `n` timer seconds. */
export function buildTimeline(n: number, pauses: number, rng: Rng): Timeline {
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

/** Laps between timer-second boundaries (first at 0, session end last). */
export function lapsFrom(boundaries: number[], tl: Timeline, startTime: Date, n: number): { start: Date; end: Date }[] {
  const t0 = startTime.getTime();
  const at = (k: number): Date => new Date(t0 + (tl.elapsed[Math.min(n, k)] as number) * 1000);
  const cuts = [...new Set(boundaries.filter((b) => b > 0 && b < n))].sort((a, b) => a - b);
  const edges = [0, ...cuts, n];
  const laps: { start: Date; end: Date }[] = [];
  for (let i = 0; i + 1 < edges.length; i++) laps.push({ start: at(edges[i] as number), end: at(edges[i + 1] as number) });
  return laps;
}

/** Auto-laps: the timer seconds at which the distance passes each multiple of `every` metres. */
export function autoLaps(distance: Float64Array, every: number): number[] {
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

/** The timer stops as instants. */
export function timerStops(tl: Timeline, startTime: Date): NonNullable<FitSessionSpec['timerStops']> {
  return tl.stops.map((p) => ({
    stop: new Date(startTime.getTime() + p.stop * 1000),
    start: new Date(startTime.getTime() + p.start * 1000),
  }));
}
