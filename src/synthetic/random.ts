/**
 * Seeded random numbers for the synthetic generators: the same seed always gives the same
 * sequence (there is no Math.random), and each part of a generator draws from its own stream.
 */

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

export class Rng {
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

/** The four independent streams of one generated activity: shape, noise, GPS track and recording. */
export interface RandomStreams {
  rng: Rng;
  noise: Rng;
  gps: Rng;
  rec: Rng;
}

/** Streams `first`, `first + 1`, `first + 2` and `first + 3` of a seed. */
export function randomStreams(seed: number, first: number): RandomStreams {
  return {
    rng: new Rng(deriveSeed(seed, first)),
    noise: new Rng(deriveSeed(seed, first + 1)),
    gps: new Rng(deriveSeed(seed, first + 2)),
    rec: new Rng(deriveSeed(seed, first + 3)),
  };
}
