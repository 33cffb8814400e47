/** What the metrics need to know about the athlete. Every field may be unknown; metrics that need it return null. */
export interface AthleteContext {
  /** Functional threshold power, W. */
  ftp: number | null;
  /** Lactate-threshold heart rate, bpm. */
  lthr?: number | null;
  maxHr?: number | null;
  restingHr?: number | null;
  sex?: 'male' | 'female' | null;
}

/** The value when it is a finite number above zero, else null (keeps NaN and 0 out of divisions). */
export function positiveOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** The value when it is finite, else null: metrics never return NaN or Infinity. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
