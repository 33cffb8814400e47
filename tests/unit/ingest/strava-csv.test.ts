import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/domain/activity.js';
import type { IngestError } from '../../../src/ingest/ingest-error.js';
import { parseStravaCsv, type CsvBatch } from '../../../src/ingest/strava-csv.js';
import { stravaTypeToSport } from '../../../src/ingest/strava/sports.js';

// ---------------------------------------------------------------------------------------------
// Helpers

const enc = new TextEncoder();
const bytesOf = (text: string): Uint8Array => enc.encode(text);

function quote(cell: string): string {
  return /[",\n\r;]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function csvText(header: string[], rows: string[][], delimiter = ','): string {
  return [header, ...rows].map((r) => r.map(quote).join(delimiter)).join('\r\n') + '\r\n';
}

function mustParse(text: string | Uint8Array, source = 'activities.csv'): CsvBatch {
  const r = parseStravaCsv(typeof text === 'string' ? bytesOf(text) : text, source);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

function mustFail(text: string | Uint8Array, source = 'activities.csv'): IngestError {
  const r = parseStravaCsv(typeof text === 'string' ? bytesOf(text) : text, source);
  if (r.ok) throw new Error(`expected an error, got ${r.value.activities.length} activities`);
  return r.error;
}

/** The header of the current (2025, 99-column) export, copied so synthetic tests need no corpus. */
const MODERN_HEADER =
  'Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,Weather Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,UV Index,Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,Average Grade Adjusted Pace,Timer Time,Total Cycles,Recovery,With Pet,Competition,Long Run,For a Cause,Media'.split(
    ',',
  );

/**
 * A row for MODERN_HEADER. Keys name a column; `Distance`, `Elapsed Time` and `Max Heart Rate`
 * take `[display, SI]` pairs.
 */
function modernRow(values: Record<string, string | [string, string]>): string[] {
  const seen = new Map<string, number>();
  return MODERN_HEADER.map((name) => {
    const copy = seen.get(name) ?? 0;
    seen.set(name, copy + 1);
    const v = values[name];
    if (v === undefined) return '';
    return Array.isArray(v) ? (v[copy] ?? '') : copy === 0 ? v : '';
  });
}

function baseRow(id: string, date: string, extra: Record<string, string | [string, string]> = {}): string[] {
  return modernRow({
    'Activity ID': id,
    'Activity Date': date,
    'Activity Name': `Activity ${id}`,
    'Activity Type': 'Ride',
    'Elapsed Time': ['3600', '3600.0'],
    'Moving Time': '3500.0',
    Distance: ['30.12', '30123.4'],
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------------
// Real corpus

const CORPUS_URL = new URL('../../../../shared/data/strava/activities-2025-99col.csv', import.meta.url);
const CORPUS_PATH = fileURLToPath(CORPUS_URL);
const corpusExists = existsSync(CORPUS_PATH);
const SKIP_REASON = `corpus missing: ${CORPUS_PATH} does not exist (expected ../shared/data/strava next to the project)`;
if (!corpusExists) console.warn(`[strava-csv.test] SKIPPING real Strava export tests: ${SKIP_REASON}`);

describe.skipIf(!corpusExists)(`real Strava export activities-2025-99col.csv${corpusExists ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const bytes = corpusExists ? readFileSync(CORPUS_PATH) : new Uint8Array();

  // Independent reading: plain arrays from csv-parse, duplicate headers resolved here by position.
  const table = corpusExists ? (parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][]) : [];
  const header = table[0] ?? [];
  const rows = table.slice(1);
  const indexes = (name: string): number[] => header.flatMap((h, i) => (h === name ? [i] : []));
  const col = (name: string): number => {
    const i = indexes(name);
    if (i.length !== 1) throw new Error(`${name}: ${i.length} columns`);
    return i[0]!;
  };
  const [distKm, distSi] = corpusExists ? indexes('Distance') : [];
  const [elapsedDisplay, elapsedSi] = corpusExists ? indexes('Elapsed Time') : [];

  const batch: CsvBatch = corpusExists ? mustParse(bytes, 'activities-2025-99col.csv') : { activities: [], errors: [] };
  const byId = new Map<string, Activity>(batch.activities.map((a) => [a.externalId!, a]));

  it('reads the file shape the README describes (99 columns, 5 duplicated headers)', () => {
    expect(header).toHaveLength(99);
    expect(indexes('Distance')).toHaveLength(2);
    expect(indexes('Elapsed Time')).toHaveLength(2);
    expect(indexes('Max Heart Rate')).toHaveLength(2);
    expect(indexes('Relative Effort')).toHaveLength(2);
    expect(indexes('Commute')).toHaveLength(2);
    expect(rows).toHaveLength(1845);
  });

  it('turns all 1,845 rows into activities with no errors', () => {
    expect(batch.errors).toEqual([]);
    expect(batch.activities).toHaveLength(1845);
    expect(byId.size).toBe(1845);
  });

  it('keeps row order and numbers rows from 1', () => {
    const idCol = col('Activity ID');
    batch.activities.forEach((a, i) => {
      expect(a.externalId).toBe(rows[i]![idCol]);
      expect(a.source).toBe(`activities-2025-99col.csv#row ${i + 1}`);
      expect(a.sourceKind).toBe('strava-csv');
      expect(a.sessionIndex).toBe(0);
    });
  });

  it('counts activity types exactly as the CSV does, with the FIT sport for each', () => {
    const typeCol = col('Activity Type');
    const expected = new Map<string, number>();
    for (const r of rows) expected.set(r[typeCol]!, (expected.get(r[typeCol]!) ?? 0) + 1);
    const actual = new Map<string, number>();
    for (const a of batch.activities) actual.set(a.sourceType, (actual.get(a.sourceType) ?? 0) + 1);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    // The figures the corpus is documented with.
    expect(Object.fromEntries(expected)).toEqual({
      Ride: 947,
      Run: 643,
      Hike: 110,
      'Nordic Ski': 58,
      'Alpine Ski': 57,
      Sail: 20,
      Snowshoe: 5,
      Walk: 3,
      Canoe: 1,
      Velomobile: 1,
    });
    const sportOf: Record<string, string> = {
      Ride: 'cycling',
      Velomobile: 'cycling',
      Run: 'running',
      Hike: 'hiking',
      'Nordic Ski': 'cross_country_skiing',
      'Alpine Ski': 'alpine_skiing',
      Sail: 'sailing',
      Snowshoe: 'snowshoeing',
      Walk: 'walking',
      Canoe: 'paddling',
    };
    for (const a of batch.activities) expect(a.sport, a.sourceType).toBe(sportOf[a.sourceType]);
    expect(batch.activities.filter((a) => a.sport === 'cycling')).toHaveLength(948);
  });

  it('takes distance from the SI (second) Distance column, never the display one', () => {
    const idCol = col('Activity ID');
    let displayDiffers = 0;
    for (const r of rows) {
      const a = byId.get(r[idCol]!)!;
      const si = Number(r[distSi!]);
      expect(a.distanceMeters).not.toBeNull();
      expect(Math.abs(a.distanceMeters! - si)).toBeLessThan(1);
      expect(a.warnings.map((w) => w.code)).not.toContain('distance-units');
      // Sailing is displayed in nautical miles: the km column would be wrong by 85 %.
      if (Math.abs(Number(r[distKm!]) * 1000 - si) > 100) {
        displayDiffers++;
        expect(Math.abs(a.distanceMeters! - Number(r[distKm!]) * 1000)).toBeGreaterThan(100);
      }
    }
    expect(displayDiffers).toBeGreaterThanOrEqual(20);
  });

  it('parses Activity Date as UTC', () => {
    const first = byId.get('203707851')!;
    expect(first.startTime.toISOString()).toBe('2014-10-05T16:15:21.000Z');
    expect(byId.get('205355106')!.startTime.toISOString()).toBe('2014-10-09T18:40:08.000Z');
    for (const a of batch.activities) {
      expect(Number.isNaN(a.startTime.getTime())).toBe(false);
      expect(a.startTime.getUTCFullYear()).toBeGreaterThanOrEqual(2014);
      expect(a.startTime.getUTCFullYear()).toBeLessThanOrEqual(2025);
    }
  });

  it('flags power measured exactly where Power Count > 0 and estimated where only Average Watts is present', () => {
    const idCol = col('Activity ID');
    const pcCol = col('Power Count');
    const awCol = col('Average Watts');
    const counts = { measured: 0, estimated: 0, none: 0 };
    for (const r of rows) {
      const a = byId.get(r[idCol]!)!;
      const hasWatts = r[awCol] !== '';
      const pc = r[pcCol] === '' ? null : Number(r[pcCol]);
      const expected = !hasWatts ? 'none' : pc !== null && pc > 0 ? 'measured' : 'estimated';
      expect(a.power, r[idCol]).toBe(expected);
      counts[a.power]++;
      expect(a.warnings.some((w) => w.code === 'estimated-power')).toBe(expected === 'estimated');
      if (hasWatts) expect(a.avgPower).toBeCloseTo(Number(r[awCol]), 6);
      else expect(a.avgPower).toBeNull();
    }
    // This athlete never had a power meter: every figure is Strava's estimate.
    expect(counts).toEqual({ measured: 0, estimated: 918, none: 927 });
  });

  it('takes elapsed time from the SI column, falling back to the display copy where Strava left it empty', () => {
    const idCol = col('Activity ID');
    const movingCol = col('Moving Time');
    let fallbacks = 0;
    for (const r of rows) {
      const a = byId.get(r[idCol]!)!;
      const si = r[elapsedSi!]!;
      if (si === '') {
        fallbacks++;
        expect(a.elapsedSeconds).toBe(Number(r[elapsedDisplay!]));
      } else expect(a.elapsedSeconds).toBe(Number(si));
      expect(a.timerSeconds).toBe(Number(r[movingCol]));
      expect(a.movingSeconds).toBe(a.timerSeconds);
    }
    expect(fallbacks).toBe(20);
  });

  it('hashes each row as canonical JSON of its cleaned values and derives a stable id', () => {
    // Independent canonical form: sorted unique column names, then each row's trimmed values
    // (an array where the header repeats a name).
    const names = [...new Set(header)].sort();
    const positions = names.map((n) => indexes(n));
    const prefix = `{"columns":${JSON.stringify(names)},"values":`;
    rows.forEach((r, i) => {
      const values = positions.map((p) => (p.length === 1 ? (r[p[0]!] ?? '').trim() : p.map((j) => (r[j] ?? '').trim())));
      const hash = createHash('sha256')
        .update(`${prefix}${JSON.stringify(values)}}`)
        .digest('hex');
      const a = batch.activities[i]!;
      expect(a.sourceHash).toBe(hash);
      const id = createHash('sha256').update(`${hash}:0:${a.startTime.toISOString()}:${a.sport}`).digest('hex').slice(0, 24);
      expect(a.id).toBe(id);
    });
    expect(new Set(batch.activities.map((a) => a.id)).size).toBe(1845);
    const again = mustParse(bytes, 'activities-2025-99col.csv');
    expect(again.activities.map((a) => a.id)).toEqual(batch.activities.map((a) => a.id));
  });

  it('fills the other summary fields from their columns', () => {
    const first = byId.get('203707851')!;
    expect(first).toMatchObject({
      name: 'Lunch Ride',
      description: null,
      sport: 'cycling',
      subSport: null,
      sourceType: 'Ride',
      elapsedSeconds: 2833,
      timerSeconds: 2499,
      distanceMeters: 13609.2001953125,
      ascentMeters: 73.52400207519531,
      power: 'none',
      avgSpeed: null,
      maxHeartRate: null,
      device: null,
      laps: [],
      streams: null,
      warnings: [],
    });
    const withSpeed = batch.activities.filter((a) => a.avgSpeed !== null);
    expect(withSpeed.length).toBe(1428);
  });
});

// ---------------------------------------------------------------------------------------------
// Synthetic files

describe('header generations', () => {
  it('reads an old ~79-column export whose headers are translation_missing spans, with a single km Distance column', () => {
    const span = (text: string, key: string): string =>
      `<span class="translation_missing" title="translation missing: en-US.lib.export.portability_exporter.activities.horton_values.${key} &quot;x&gt;y&quot;">${text}</span>`;
    // Drop the second Distance copy and everything newer than column 80, and swap one column
    // for Device Watts (an older column).
    const names: string[] = [];
    let distanceSeen = false;
    for (const n of MODERN_HEADER) {
      if (n === 'Distance' && distanceSeen) continue;
      if (n === 'Distance') distanceSeen = true;
      names.push(n === 'Prefer Perceived Exertion' ? 'Device Watts' : n);
      if (names.length === 79) break;
    }
    expect(names).toHaveLength(79);
    const header = names.map((n, i) => (i % 3 === 0 || n === 'Activity Type' ? span(n, n.toLowerCase().replace(/ /g, '_')) : n));
    expect(header[3]).toContain('translation_missing');
    const row = (values: Record<string, string>): string[] => {
      const seen = new Set<string>();
      return names.map((n) => {
        const first = !seen.has(n);
        seen.add(n);
        return first ? (values[n] ?? '') : n === 'Elapsed Time' ? (values[n] ?? '') : '';
      });
    };
    const text = csvText(header, [
      row({
        'Activity ID': '111',
        'Activity Date': 'Oct 5, 2014, 4:15:21 PM',
        'Activity Type': 'Ride',
        'Elapsed Time': '2833',
        Distance: '13.61',
        'Average Watts': '180.5',
        'Device Watts': 'true',
      }),
      row({
        'Activity ID': '112',
        'Activity Date': 'Oct 6, 2014, 7:00:00 AM',
        'Activity Type': 'Ride',
        'Elapsed Time': '600',
        Distance: '',
        'Average Watts': '90',
        'Device Watts': 'false',
      }),
    ]);
    const { activities, errors } = mustParse(text);
    expect(errors).toEqual([]);
    expect(activities).toHaveLength(2);
    const [a, b] = activities as [Activity, Activity];
    expect(a.sourceType).toBe('Ride');
    expect(a.sport).toBe('cycling');
    expect(a.startTime.toISOString()).toBe('2014-10-05T16:15:21.000Z');
    expect(a.elapsedSeconds).toBe(2833);
    expect(a.distanceMeters).toBeCloseTo(13610, 6);
    expect(a.warnings.map((w) => w.code)).toContain('distance-units');
    expect(a.warnings.find((w) => w.code === 'distance-units')!.message).toMatch(/kilomet/i);
    expect(a.power).toBe('measured');
    expect(b.distanceMeters).toBeNull();
    expect(b.warnings.map((w) => w.code)).not.toContain('distance-units');
    expect(b.power).toBe('estimated');
  });

  it('maps columns by name whatever their order, and ignores a BOM', () => {
    const header = ['Elapsed Time', 'Activity Type', 'Some New Column', 'Activity ID', 'Distance', 'Activity Date', 'Distance'];
    const text = '\ufeff' + csvText(header, [['100', 'Run', 'x', '9', '5.00', 'May 13, 2026, 9:54:42 AM', '5000.0']]);
    const [a] = mustParse(text).activities as [Activity];
    expect(a).toMatchObject({ externalId: '9', sport: 'running', elapsedSeconds: 100, distanceMeters: 5000 });
    expect(a.startTime.toISOString()).toBe('2026-05-13T09:54:42.000Z');
  });

  it('tolerates rows shorter or longer than the header', () => {
    const header = ['Activity ID', 'Activity Date', 'Activity Type', 'Elapsed Time', 'Distance', 'Distance', 'Average Watts'];
    const text = csvText(header, [
      ['1', '2026-05-13 09:54:42', 'Ride', '60'],
      ['2', '2026-05-13 10:54:42', 'Ride', '60', '1.0', '1000.0', '150', 'extra', 'cells'],
    ]);
    const { activities, errors } = mustParse(text);
    expect(errors).toEqual([]);
    expect(activities.map((a) => [a.externalId, a.distanceMeters, a.avgPower])).toEqual([
      ['1', null, null],
      ['2', 1000, 150],
    ]);
  });
});

describe('cell contents', () => {
  it('keeps a quoted multi-line description with commas and quotes', () => {
    const description = 'Windy, cold.\nSaw a "huge" deer, then rain,\r\nand more rain.';
    const text = csvText(MODERN_HEADER, [
      baseRow('1', 'May 13, 2026, 9:54:42 AM', { 'Activity Description': description, 'Activity Name': 'Morning, "fun" ride' }),
      baseRow('2', 'May 14, 2026, 9:54:42 AM'),
    ]);
    const { activities, errors } = mustParse(text);
    expect(errors).toEqual([]);
    expect(activities).toHaveLength(2);
    expect(activities[0]!.description).toBe('Windy, cold.\nSaw a "huge" deer, then rain,\nand more rain.');
    expect(activities[0]!.name).toBe('Morning, "fun" ride');
    expect(activities[1]!.description).toBeNull();
    expect(activities[1]!.source).toBe('activities.csv#row 2');
  });

  it('reads day-first and dotted dates with decimal commas (comma- and semicolon-delimited)', () => {
    const rows = [
      baseRow('1', '24 Dec 2020, 08:13:59', {
        Distance: ['12,5', '12500,7'],
        'Elevation Gain': '123,4',
        'Average Watts': '150,25',
        'Power Count': '3600',
      }),
      baseRow('2', '20.09.2026, 14:12:12', { 'Elapsed Time': ['3600', '3600,0'], 'Average Speed': '7,5', 'Total Work': '540000,0' }),
    ];
    for (const delimiter of [',', ';']) {
      const { activities, errors } = mustParse(csvText(MODERN_HEADER, rows, delimiter));
      expect(errors).toEqual([]);
      const [a, b] = activities as [Activity, Activity];
      expect(a.startTime.toISOString()).toBe('2020-12-24T08:13:59.000Z');
      expect(a.distanceMeters).toBeCloseTo(12500.7, 6);
      expect(a.ascentMeters).toBeCloseTo(123.4, 6);
      expect(a.avgPower).toBeCloseTo(150.25, 6);
      expect(a.power).toBe('measured');
      expect(a.warnings).toEqual([]);
      expect(b.startTime.toISOString()).toBe('2026-09-20T14:12:12.000Z');
      expect(b.elapsedSeconds).toBe(3600);
      expect(b.avgSpeed).toBeCloseTo(7.5, 6);
      expect(b.workKilojoules).toBeCloseTo(540, 6);
    }
  });

  it('reads US, ISO and 24-hour dates as UTC', () => {
    const cases: [string, string][] = [
      ['May 13, 2026, 9:54:42 AM', '2026-05-13T09:54:42.000Z'],
      ['Oct 5, 2014, 4:15:21 PM', '2014-10-05T16:15:21.000Z'],
      ['Dec 31, 2024, 12:00:00 AM', '2024-12-31T00:00:00.000Z'],
      ['Jan 1, 2025, 1:02:03\u202fPM', '2025-01-01T13:02:03.000Z'],
      ['2026-05-13 09:54:42', '2026-05-13T09:54:42.000Z'],
      ['2026-05-13T09:54:42Z', '2026-05-13T09:54:42.000Z'],
      ['1.2.2021, 7:08:09', '2021-02-01T07:08:09.000Z'],
    ];
    const { activities, errors } = mustParse(
      csvText(
        MODERN_HEADER,
        cases.map(([d], i) => baseRow(String(i + 1), d)),
      ),
    );
    expect(errors).toEqual([]);
    expect(activities.map((a) => a.startTime.toISOString())).toEqual(cases.map(([, iso]) => iso));
  });

  it('turns empty and non-numeric numbers into null', () => {
    const [a] = mustParse(
      csvText(MODERN_HEADER, [
        baseRow('1', '2026-05-13 09:54:42', {
          'Average Heart Rate': 'n/a',
          'Max Watts': '',
          'Elevation Gain': '12abc',
          'Average Cadence': '88',
        }),
      ]),
    ).activities as [Activity];
    expect(a.avgHeartRate).toBeNull();
    expect(a.maxPower).toBeNull();
    expect(a.ascentMeters).toBeNull();
    expect(a.avgCadence).toBe(88);
  });

  it('reads every power-related column', () => {
    const rows = [
      baseRow('1', '2026-05-13 09:54:42', {
        'Average Watts': '200',
        'Max Watts': '800',
        'Weighted Average Power': '230',
        'Power Count': '3500',
        'Total Work': '700000',
      }),
      baseRow('2', '2026-05-14 09:54:42', { 'Average Watts': '120' }),
      baseRow('3', '2026-05-15 09:54:42', { 'Power Count': '0', 'Average Watts': '120' }),
      baseRow('4', '2026-05-16 09:54:42'),
    ];
    const [m, e, z, n] = mustParse(csvText(MODERN_HEADER, rows)).activities as [Activity, Activity, Activity, Activity];
    expect(m).toMatchObject({ power: 'measured', avgPower: 200, maxPower: 800, normalizedPower: 230, workKilojoules: 700, warnings: [] });
    expect(e.power).toBe('estimated');
    expect(e.warnings).toEqual([
      { code: 'estimated-power', message: expect.stringMatching(/Strava estimated.*won't be used for power analysis/) },
    ]);
    expect(z.power).toBe('estimated');
    expect(n).toMatchObject({ power: 'none', avgPower: null, warnings: [] });
  });

  it('uses the SI copy of Max Heart Rate', () => {
    const [a] = mustParse(
      csvText(MODERN_HEADER, [baseRow('1', '2026-05-13 09:54:42', { 'Max Heart Rate': ['181', '181.0'], 'Average Heart Rate': '140.5' })]),
    ).activities as [Activity];
    expect(a.maxHeartRate).toBe(181);
    expect(a.avgHeartRate).toBe(140.5);
  });
});

describe('bad rows', () => {
  it('reports a garbage date as one bad-row error and keeps the other rows', () => {
    const text = csvText(MODERN_HEADER, [
      baseRow('1', 'May 13, 2026, 9:54:42 AM'),
      baseRow('2', 'the day after tomorrow'),
      baseRow('3', 'May 15, 2026, 9:54:42 AM'),
    ]);
    const { activities, errors } = mustParse(text);
    expect(activities.map((a) => a.externalId)).toEqual(['1', '3']);
    expect(activities[1]!.source).toBe('activities.csv#row 3');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('bad-row');
    expect(errors[0]!.source).toBe('activities.csv#row 2');
    expect(errors[0]!.message).toContain('Row 2');
    expect(errors[0]!.message).toContain('the day after tomorrow');
  });

  it('reports a row without an Activity ID and skips rows of empty cells silently', () => {
    const blank = MODERN_HEADER.map(() => '');
    const text = csvText(MODERN_HEADER, [baseRow('', 'May 13, 2026, 9:54:42 AM'), blank, baseRow('7', 'May 13, 2026, 9:54:42 AM')]);
    const { activities, errors } = mustParse(text);
    expect(activities.map((a) => a.externalId)).toEqual(['7']);
    expect(errors).toEqual([{ source: 'activities.csv#row 1', code: 'bad-row', message: expect.stringMatching(/Row 1 .*no Activity ID/) }]);
  });

  it('reports an unterminated quote as a bad row after the rows before it', () => {
    const good = csvText(MODERN_HEADER, [baseRow('1', '2026-05-13 09:54:42')]);
    const { activities, errors } = mustParse(`${good}2,"2026-05-14 09:54:42,never closed\n3,x\n`);
    expect(activities.map((a) => a.externalId)).toEqual(['1']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bad-row', source: 'activities.csv#row 2' });
  });
});

describe('files that are not a Strava export', () => {
  it('names both missing columns and says how to get activities.csv', () => {
    const header = MODERN_HEADER.filter((h) => h !== 'Activity Type' && h !== 'Activity Date');
    const e = mustFail(csvText(header, [header.map(() => '1')]));
    expect(e.code).toBe('missing-columns');
    expect(e.message).toContain('Activity Type');
    expect(e.message).toContain('Activity Date');
    expect(e.message).not.toContain('Activity ID,');
    expect(e.message).toMatch(/Settings → My Account → Download or Delete Your Account → Request your archive/);
    expect(e.message).toContain('activities.csv');
  });

  it('rejects an unrelated CSV with missing-columns naming all four required columns', () => {
    const e = mustFail('date,amount,payee\n2026-01-02,12.50,Bakery\n2026-01-03,99.00,"Shop, Inc."\n', 'bank.csv');
    expect(e).toMatchObject({ code: 'missing-columns', source: 'bank.csv' });
    for (const c of ['Activity ID', 'Activity Date', 'Activity Type', 'Elapsed Time']) expect(e.message).toContain(c);
  });

  it('calls a 0-byte file, a blank file and a header-only file empty', () => {
    expect(mustFail(new Uint8Array()).code).toBe('empty');
    expect(mustFail('\ufeff\r\n  \n').code).toBe('empty');
    expect(mustFail(MODERN_HEADER.join(',') + '\r\n').code).toBe('empty');
    expect(mustFail(MODERN_HEADER.join(',')).code).toBe('empty');
  });

  it('calls binary and non-CSV files unsupported-format', () => {
    expect(mustFail(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])).code).toBe('unsupported-format');
    expect(mustFail(new Uint8Array([0x1f, 0x8b, 8, 0])).code).toBe('unsupported-format');
    expect(mustFail(new Uint8Array([0x0e, 0x10, 0x00, 0x00, 0x2e, 0x46, 0x49, 0x54])).code).toBe('unsupported-format');
    const e = mustFail('just some prose without any separators\nsecond line\n', 'notes.txt');
    expect(e.code).toBe('unsupported-format');
    expect(e.message).toContain('notes.txt');
  });
});

describe('stravaTypeToSport', () => {
  it.each([
    ['Ride', 'cycling', null],
    ['Velomobile', 'cycling', null],
    ['Handcycle', 'cycling', null],
    ['VirtualRide', 'cycling', 'virtual_activity'],
    ['Virtual Ride', 'cycling', 'virtual_activity'],
    ['MountainBikeRide', 'cycling', 'mountain'],
    ['Mountain Bike Ride', 'cycling', 'mountain'],
    ['GravelRide', 'cycling', 'gravel_cycling'],
    ['EBikeRide', 'e_biking', null],
    ['E-Bike Ride', 'e_biking', null],
    ['EMountainBikeRide', 'e_biking', 'e_bike_mountain'],
    ['Run', 'running', null],
    ['TrailRun', 'running', 'trail'],
    ['Trail Run', 'running', 'trail'],
    ['VirtualRun', 'running', 'virtual_activity'],
    ['Walk', 'walking', null],
    ['Hike', 'hiking', null],
    ['Swim', 'swimming', null],
    ['Nordic Ski', 'cross_country_skiing', null],
    ['NordicSki', 'cross_country_skiing', null],
    ['Alpine Ski', 'alpine_skiing', null],
    ['AlpineSki', 'alpine_skiing', null],
    ['BackcountrySki', 'backcountry_skiing', null],
    ['Backcountry Ski', 'backcountry_skiing', null],
    ['Snowboard', 'snowboarding', null],
    ['Snowshoe', 'snowshoeing', null],
    ['Sail', 'sailing', null],
    ['Canoe', 'paddling', null],
    ['Canoeing', 'paddling', null],
    ['Kayaking', 'paddling', null],
    ['Rowing', 'rowing', null],
    ['Weight Training', 'training', 'strength_training'],
    ['WeightTraining', 'training', 'strength_training'],
    ['Yoga', 'generic', null],
    ['', 'generic', null],
  ] as const)('%s → %s', (type, sport, subSport) => {
    expect(stravaTypeToSport(type)).toEqual({ sport, subSport });
  });

  it('keeps the original label in sourceType', () => {
    const [a] = mustParse(csvText(MODERN_HEADER, [baseRow('1', '2026-05-13 09:54:42', { 'Activity Type': 'NordicSki' })])).activities as [
      Activity,
    ];
    expect(a).toMatchObject({ sourceType: 'NordicSki', sport: 'cross_country_skiing' });
  });
});

// ---------------------------------------------------------------------------------------------
// Property: bad bytes never throw

function checkOutcome(bytes: Uint8Array): void {
  const r = parseStravaCsv(bytes, 'fuzz.csv');
  if (!r.ok) {
    expect(r.error.code.length).toBeGreaterThan(0);
    expect(r.error.message.trim().length).toBeGreaterThan(0);
    return;
  }
  for (const e of r.value.errors) {
    expect(e.code.length).toBeGreaterThan(0);
    expect(e.message.trim().length).toBeGreaterThan(0);
  }
  for (const a of r.value.activities) {
    expect(Number.isNaN(a.startTime.getTime())).toBe(false);
    expect(a.id).toMatch(/^[0-9a-f]{24}$/);
    expect(a.sourceHash).toMatch(/^[0-9a-f]{64}$/);
  }
}

describe('never throws', () => {
  const valid = bytesOf(
    csvText(MODERN_HEADER, [
      baseRow('1', 'May 13, 2026, 9:54:42 AM', {
        'Activity Description': 'multi\nline, "quoted"',
        'Average Watts': '150',
        'Power Count': '10',
      }),
      baseRow('2', '24 Dec 2020, 08:13:59', { Distance: ['1,5', '1500,2'] }),
      baseRow('3', '20.09.2026, 14:12:12', { 'Activity Type': 'Nordic Ski', 'Average Watts': '90' }),
    ]),
  );

  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => checkOutcome(bytes)),
      { numRuns: 400 },
    );
  });

  it('on random text with CSV punctuation', () => {
    const chars = fc.constantFrom(
      'a',
      '1',
      ',',
      ';',
      '"',
      '\n',
      '\r',
      ' ',
      '<',
      '>',
      '&',
      '.',
      ':',
      'Activity ID',
      'Activity Date',
      'Activity Type',
      'Elapsed Time',
      'Distance',
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 300 }), (parts) => checkOutcome(bytesOf(parts.join('')))),
      { numRuns: 400 },
    );
  });

  it('on mutations of a valid Strava CSV', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('punct' as const), at: fc.nat(), byte: fc.constantFrom(0x22, 0x2c, 0x3b, 0x0a, 0x0d, 0x3c, 0x00) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        let b = Array.from(valid);
        for (const m of mutations) {
          const at = b.length === 0 ? 0 : m.at % b.length;
          if (m.kind === 'set' || m.kind === 'punct') {
            if (b.length > 0) b[at] = m.byte;
          } else if (m.kind === 'insert') b.splice(at, 0, ...m.bytes);
          else if (m.kind === 'delete') b.splice(at, m.length);
          else b = b.slice(0, at);
        }
        checkOutcome(Uint8Array.from(b));
      }),
      { numRuns: 500 },
    );
  });
});
