/**
 * Heart rate of a synthetic athlete, one second at a time: a first-order lag (faster up than
 * down) towards the steady state the effort sets, slow cardiac drift, a little noise, and
 * recovery during stops.
 */
import type { Rng } from './random.js';

/** The athlete's heart rates, bpm. */
export interface Heart {
  restHr: number;
  /** Heart rate at threshold effort. */
  lthr: number;
  maxHr: number;
}

/** How heart rate follows effort in one sport. */
export interface HeartResponse {
  /** Beats per minute above rest at the first second. */
  startAboveRest: number;
  /** Seconds of lag when rising and when falling. */
  tauUp: number;
  tauDown: number;
  /** Beats per minute the steady state drifts up per hour. */
  driftPerHour: number;
}

export class HeartRate {
  private h: number;

  constructor(
    private readonly heart: Heart,
    private readonly response: HeartResponse,
    private readonly noise: Rng,
  ) {
    this.h = heart.restHr + response.startAboveRest;
  }

  /**
   * The heart rate of second k at `load` (0 at rest, 1 at threshold); a stop of `pauseLength`
   * seconds after it brings it back towards 15 bpm above rest.
   */
  next(k: number, load: number, pauseLength: number | undefined): number {
    const { restHr, lthr, maxHr } = this.heart;
    const { tauUp, tauDown, driftPerHour } = this.response;
    const steady = Math.min(maxHr - 1, restHr + (lthr - restHr) * load + (k / 3600) * driftPerHour);
    this.h += (steady - this.h) / (steady > this.h ? tauUp : tauDown) + this.noise.normal(0, 0.25);
    this.h = Math.max(restHr, Math.min(maxHr, this.h));
    const recorded = this.h;
    if (pauseLength !== undefined) this.h = restHr + 15 + (this.h - restHr - 15) * Math.exp(-pauseLength / 70);
    return recorded;
  }
}
