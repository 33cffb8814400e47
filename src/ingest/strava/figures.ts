/**
 * The figures one row of a Strava activities.csv claims (times, distance, power, heart rate, …)
 * and the bounds they must fall in; a row outside them is refused as `implausible-values`.
 */
import { utcDate } from '../../domain/calendar.js';
import { formatCount } from '../../domain/numbers.js';
import { fieldCell, fieldNumber, lastFilledCopy } from './cells.js';
import type { Columns, Field } from './header.js';
import { CSV_PLAUSIBLE, MAX_TOTAL_WORK_JOULES } from './limits.js';
import { readNumber } from './values.js';

/** A figure for a message: plain when ordinary, in exponent form when huge or tiny. */
function showNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 0.01)) return v.toExponential(2);
  return String(Math.round(v * 100) / 100);
}

/** A figure a row may give, and the range it must fall in. */
interface Bound {
  field: Field;
  /** The smallest allowed value; with `aboveMin`, values must be greater than it. */
  min: number;
  aboveMin?: boolean;
  max: number;
  unit: string;
  /** The allowed range, in words, for the message. */
  range: string;
}

function wattsBound(field: Field, max: number): Bound {
  return { field, min: 0, max, unit: 'W', range: `between 0 and ${formatCount(max)} W` };
}

function heartRateBound(field: Field): Bound {
  const { minHeartRate: min, maxHeartRate: max } = CSV_PLAUSIBLE;
  return { field, min, max, unit: 'bpm', range: `between ${min} and ${max} bpm` };
}

function nonNegativeBound(field: Field, unit: string): Bound {
  return { field, min: 0, max: Infinity, unit, range: 'zero or more' };
}

/** The bounds, in the order of `Figures`. */
const BOUNDS: readonly Bound[] = [
  {
    field: 'Elapsed Time',
    min: 0,
    aboveMin: true,
    max: CSV_PLAUSIBLE.maxElapsedSeconds,
    unit: 's',
    range: `more than 0 s and at most ${CSV_PLAUSIBLE.maxElapsedSeconds / 86_400} days`,
  },
  {
    field: 'Moving Time',
    min: 0,
    aboveMin: true,
    max: CSV_PLAUSIBLE.maxMovingSeconds,
    unit: 's',
    range: `more than 0 s and at most ${CSV_PLAUSIBLE.maxMovingSeconds / 86_400} days`,
  },
  {
    field: 'Distance',
    min: 0,
    max: CSV_PLAUSIBLE.maxDistanceMeters,
    unit: 'm',
    range: `between 0 and ${formatCount(CSV_PLAUSIBLE.maxDistanceMeters / 1000)} km`,
  },
  {
    field: 'Elevation Gain',
    min: 0,
    max: CSV_PLAUSIBLE.maxAscentMeters,
    unit: 'm',
    range: `between 0 and ${formatCount(CSV_PLAUSIBLE.maxAscentMeters)} m`,
  },
  wattsBound('Average Watts', CSV_PLAUSIBLE.maxAveragePowerWatts),
  wattsBound('Weighted Average Power', CSV_PLAUSIBLE.maxAveragePowerWatts),
  wattsBound('Max Watts', CSV_PLAUSIBLE.maxPeakPowerWatts),
  heartRateBound('Average Heart Rate'),
  heartRateBound('Max Heart Rate'),
  { field: 'Total Work', min: 0, max: MAX_TOTAL_WORK_JOULES, unit: 'J', range: `between 0 and ${formatCount(MAX_TOTAL_WORK_JOULES)} J` },
  nonNegativeBound('Power Count', ''),
  nonNegativeBound('Average Cadence', 'rpm'),
  nonNegativeBound('Average Speed', 'm/s'),
];

/** A row's figures, in the order of `BOUNDS` (null where the cell is empty or not a number). */
export type Figures = readonly [
  elapsed: number | null,
  moving: number | null,
  distanceMeters: number | null,
  ascent: number | null,
  avgPower: number | null,
  normalizedPower: number | null,
  maxPower: number | null,
  avgHeartRate: number | null,
  maxHeartRate: number | null,
  totalWork: number | null,
  powerCount: number | null,
  avgCadence: number | null,
  avgSpeed: number | null,
];

/** What is wrong with the figures (one phrase per field), empty when they are plausible. */
function implausibleFigures(figures: Figures): string[] {
  const problems: string[] = [];
  for (let i = 0; i < BOUNDS.length; i++) {
    const b = BOUNDS[i]!;
    const v = figures[i] ?? null;
    if (v === null) continue;
    if (!Number.isFinite(v)) problems.push(`${b.field} is not a finite number`);
    else if (v < b.min || (b.aboveMin === true && v === b.min) || v > b.max) {
      problems.push(`${b.field} is ${showNumber(v)}${b.unit === '' ? '' : ` ${b.unit}`} (it must be ${b.range})`);
    }
  }
  return problems;
}

/**
 * A row's figures. Distance is in SI units when the header repeats the column (its last copy, in
 * metres); an export with one Distance column gives kilometres (`distanceInKm`).
 */
export function readFigures(record: readonly string[], cols: Columns): { figures: Figures; distanceInKm: boolean } {
  let distanceMeters: number | null;
  let distanceInKm = false;
  const distance = fieldCell(record, cols, 'Distance');
  if (Array.isArray(distance)) {
    distanceMeters = readNumber(distance[distance.length - 1]);
  } else {
    const km = readNumber(distance);
    distanceMeters = km === null ? null : km * 1000;
    distanceInKm = km !== null;
  }
  const figures: Figures = [
    readNumber(lastFilledCopy(record, cols, 'Elapsed Time')),
    fieldNumber(record, cols, 'Moving Time'),
    distanceMeters,
    fieldNumber(record, cols, 'Elevation Gain'),
    fieldNumber(record, cols, 'Average Watts'),
    fieldNumber(record, cols, 'Weighted Average Power'),
    fieldNumber(record, cols, 'Max Watts'),
    fieldNumber(record, cols, 'Average Heart Rate'),
    readNumber(lastFilledCopy(record, cols, 'Max Heart Rate')),
    fieldNumber(record, cols, 'Total Work'),
    fieldNumber(record, cols, 'Power Count'),
    fieldNumber(record, cols, 'Average Cadence'),
    fieldNumber(record, cols, 'Average Speed'),
  ];
  return { figures, distanceInKm };
}

/** What is wrong with a row's start and figures (one phrase each), empty when they are plausible. */
export function rowProblems(startTime: Date, figures: Figures): string[] {
  const problems = implausibleFigures(figures);
  const startMs = startTime.getTime();
  if (!Number.isFinite(startMs)) problems.unshift('Activity Date is not a valid date');
  else if (startMs < CSV_PLAUSIBLE.earliestStart) {
    problems.unshift(`Activity Date is ${utcDate(startTime)} (it must be ${utcDate(new Date(CSV_PLAUSIBLE.earliestStart))} or later)`);
  }
  return problems;
}
