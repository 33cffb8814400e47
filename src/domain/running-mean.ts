/** A running mean of weighted values (each weighted by the seconds it stands for, say; 1 by default). */
export class RunningMean {
  /** Σ value × weight. */
  sum = 0;
  /** Σ weight. */
  weight = 0;

  add(value: number, weight = 1): void {
    this.sum += value * weight;
    this.weight += weight;
  }

  /** sum / weight; undefined while no weight has been added. */
  mean(): number | undefined {
    return this.weight > 0 ? this.sum / this.weight : undefined;
  }
}
