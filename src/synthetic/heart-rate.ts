/**
 * Heart rate of a synthetic athlete, one second at a time: a first-order lag (faster up than
 * down) towards the steady state the effort sets, slow cardiac drift, a little noise, and
 * recovery during stops.
 */
import type { Rng } from './random.js';

export interface HeartRateModel {
  restHr: number;
  /** Heart rate at threshold effort. */
  lthr: number;
  maxHr: number;
  /** Seconds of lag when rising and when falling. */
  tauUp: number;
  tauDown: number;
  /** Beats per minute the steady state drifts up per hour. */
  driftPerHour: number;
  noise: Rng;
}

export class HeartRate {
  constructor(
    private h: number,
    private readonly m: HeartRateModel,
  ) {}

  /**
   * The heart rate of second k at `load` (0 at rest, 1 at threshold); a stop of `pauseLength`
   * seconds after it brings it back towards 15 bpm above rest.
   */
  next(k: number, load: number, pauseLength: number | undefined): number {
    const { restHr, lthr, maxHr } = this.m;
    const steady = Math.min(maxHr - 1, restHr + (lthr - restHr) * load + (k / 3600) * this.m.driftPerHour);
    this.h += (steady - this.h) / (steady > this.h ? this.m.tauUp : this.m.tauDown) + this.m.noise.normal(0, 0.25);
    this.h = Math.max(restHr, Math.min(maxHr, this.h));
    const recorded = this.h;
    if (pauseLength !== undefined) this.h = restHr + 15 + (this.h - restHr - 15) * Math.exp(-pauseLength / 70);
    return recorded;
  }
}
