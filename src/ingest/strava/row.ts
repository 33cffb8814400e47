/**
 * One data row of a Strava activities.csv → an activity, or the reason the row was skipped
 * (`bad-row`, `implausible-values`); a row of empty cells is skipped silently.
 */
import type { Activity, ActivityWarning, PowerSource } from '../../domain/activity.js';
import { activityId } from '../identity.js';
import { ingestError, type IngestError } from '../ingest-error.js';
import { formatCount } from '../../domain/numbers.js';
import { cellOf, fieldText, lastCopy, type Cell } from './cells.js';
import { parseStravaDate } from './dates.js';
import { readFigures, rowProblems, type Figures } from './figures.js';
import type { Columns } from './header.js';
import { MAX_CELL_CHARS, MAX_ID_CHARS, MAX_NAME_CHARS } from './limits.js';
import { tooLongCell } from './messages.js';
import { stravaTypeToSport } from './sports.js';
import { cutText, parseBoolean } from './values.js';

/** The warning on an activity whose power Strava estimated (also used for activities fetched from Strava's API). */
export const ESTIMATED_POWER: ActivityWarning = {
  code: 'estimated-power',
  message: "Strava estimated the power for this activity (no power meter), so it won't be used for power analysis.",
};

const DISTANCE_UNITS: ActivityWarning = {
  code: 'distance-units',
  message: 'This export has only one Distance column, so we assumed it is in kilometres.',
};

/** A column's trimmed cells in a row (see `Columns.hashPrefix`): null when the row is too short to reach it. */
type Values = (string | string[] | null)[];

/** The length of the first cell over MAX_CELL_CHARS, or -1. */
function overLongCell(v: Cell): number {
  if (typeof v === 'string') return v.length > MAX_CELL_CHARS ? v.length : -1;
  if (v !== undefined) for (const cell of v) if (cell.length > MAX_CELL_CHARS) return cell.length;
  return -1;
}

/**
 * The cleaned values in sorted-column order (see `Columns.hashPrefix`), null for a row of empty
 * cells, or the error for a cell over the length limit, checked before anything else reads a cell.
 */
function cleanValues(record: readonly string[], cols: Columns, source: string, n: number): Values | IngestError | null {
  let anything = false;
  const values: Values = new Array<string | string[] | null>(cols.sorted.length);
  for (let i = 0; i < cols.sorted.length; i++) {
    const column = cols.sorted[i]!;
    const v = cellOf(record, column.positions);
    const length = overLongCell(v);
    if (length !== -1) return tooLongCell(source, n, column.name, length);
    if (v === undefined) {
      values[i] = null;
    } else if (typeof v === 'string') {
      values[i] = v.trim();
      if (values[i] !== '') anything = true;
    } else {
      const trimmed = v.map((cell) => cell.trim());
      if (trimmed.some((t) => t !== '')) anything = true;
      values[i] = trimmed;
    }
  }
  return anything ? values : null;
}

/** The row's Activity ID and start, or why it was skipped. */
function identify(
  record: readonly string[],
  cols: Columns,
  source: string,
  n: number,
): { externalId: string; startTime: Date } | IngestError {
  const rowSource = `${source}#row ${n}`;
  const externalId = fieldText(record, cols, 'Activity ID');
  if (externalId === null) {
    return ingestError(rowSource, 'bad-row', `Row ${n} of ${source} has no Activity ID, so it was skipped.`);
  }
  if (externalId.length > MAX_ID_CHARS) {
    return ingestError(
      rowSource,
      'bad-row',
      `Row ${n} of ${source} was skipped: its Activity ID is ${formatCount(externalId.length)} characters long; Strava's are at most 20 digits.`,
    );
  }
  const rawDate = fieldText(record, cols, 'Activity Date') ?? '';
  const startTime = parseStravaDate(rawDate);
  if (startTime === null) {
    const shown = rawDate === '' ? 'is empty' : `"${rawDate.slice(0, 60)}" is not a date we can read`;
    return ingestError(
      rowSource,
      'bad-row',
      `Row ${n} of ${source} (activity ${externalId.slice(0, 30)}) was skipped: its Activity Date ${shown}.`,
    );
  }
  return { externalId, startTime };
}

/** Where the row's power came from: none, a power meter, or Strava's estimate (with its warning). */
function powerSource(record: readonly string[], cols: Columns, figures: Figures, warnings: ActivityWarning[]): PowerSource {
  const [, , , , avgPower, , , , , , powerCount] = figures;
  if (avgPower === null) return 'none';
  const deviceWatts = parseBoolean(lastCopy(record, cols, 'Device Watts'));
  const power = (powerCount !== null && powerCount > 0) || deviceWatts === true ? 'measured' : 'estimated';
  if (power === 'estimated') warnings.push({ ...ESTIMATED_POWER });
  return power;
}

export function convertRow(record: readonly string[], cols: Columns, source: string, n: number): Activity | IngestError | null {
  const values = cleanValues(record, cols, source, n);
  if (values === null || 'code' in values) return values;
  const identity = identify(record, cols, source, n);
  if ('code' in identity) return identity;
  const { externalId, startTime } = identity;
  const rowSource = `${source}#row ${n}`;
  const { figures, distanceInKm } = readFigures(record, cols);
  const problems = rowProblems(startTime, figures);
  if (problems.length > 0) {
    return ingestError(
      rowSource,
      'implausible-values',
      `Row ${n} of ${source} (activity ${externalId.slice(0, 30)}) was skipped: its figures are impossible: ${problems.join('; ')}.`,
    );
  }
  const sourceType = cutText(fieldText(record, cols, 'Activity Type') ?? '', MAX_NAME_CHARS);
  const { sport, subSport } = stravaTypeToSport(sourceType);
  const sourceHash = cols.hashPrefix.copy().update(JSON.stringify(values)).update('}').digest('hex');
  const warnings: ActivityWarning[] = [];
  if (distanceInKm) warnings.push({ ...DISTANCE_UNITS });
  const power = powerSource(record, cols, figures, warnings);
  const [
    elapsed,
    moving,
    distanceMeters,
    ascent,
    avgPower,
    normalizedPower,
    maxPower,
    avgHeartRate,
    maxHeartRate,
    totalWork,
    ,
    avgCadence,
    avgSpeed,
  ] = figures;
  const name = fieldText(record, cols, 'Activity Name');
  return {
    id: activityId(sourceHash, 0, startTime, sport),
    source: rowSource,
    sourceKind: 'strava-csv',
    sourceHash,
    sessionIndex: 0,
    sport,
    subSport,
    sourceType,
    name: name === null ? null : cutText(name, MAX_NAME_CHARS),
    description: fieldText(record, cols, 'Activity Description'),
    startTime,
    timerSeconds: moving,
    elapsedSeconds: elapsed,
    movingSeconds: moving,
    distanceMeters,
    ascentMeters: ascent,
    avgPower,
    maxPower,
    normalizedPower,
    power,
    avgHeartRate,
    maxHeartRate,
    avgCadence,
    avgSpeed,
    workKilojoules: totalWork === null ? null : totalWork / 1000,
    device: null,
    laps: [],
    streams: null,
    warnings,
    externalId,
    linkedFile: fieldText(record, cols, 'Filename'),
  };
}
