/**
 * Hostile activities.csv files: inputs that once took minutes of the bot's event loop (quadratic
 * regular expressions), oversized cells, rows and headers, and impossible figures. Every input is
 * generated here. No test asserts on wall time (performance lives in benchmarks): a quadratic
 * regression shows up as a timeout.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/domain/activity.js';
import type { IngestError } from '../../../src/ingest/ingest-error.js';
import { parseStravaCsv, type CsvBatch, type StravaCsvOptions } from '../../../src/ingest/strava-csv.js';
import { parseStravaDate } from '../../../src/ingest/strava/dates.js';
import { cleanHeader } from '../../../src/ingest/strava/header.js';
import {
  CSV_PLAUSIBLE,
  MAX_CELL_CHARS,
  MAX_CSV_COLUMNS,
  MAX_CSV_ROWS,
  MAX_HEADER_CELL_CHARS,
  MAX_NAME_CHARS,
  MAX_RECORD_CHARS,
} from '../../../src/ingest/strava/limits.js';
import { parseNumber } from '../../../src/ingest/strava/values.js';

const enc = new TextEncoder();
const K256 = 256 * 1024;

function run(text: string, options?: StravaCsvOptions): ReturnType<typeof parseStravaCsv> {
  return parseStravaCsv(enc.encode(text), 'activities.csv', options);
}

function mustParse(text: string, options?: StravaCsvOptions): CsvBatch {
  const r = run(text, options);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

function mustFail(text: string, options?: StravaCsvOptions): IngestError {
  const r = run(text, options);
  if (r.ok) throw new Error(`expected an error, got ${r.value.activities.length} activities and ${r.value.errors.length} errors`);
  return r.error;
}

/**
 * The columns the figures come from, Distance twice like Strava's export (kilometres, then the
 * metres the reader uses).
 */
const SMALL_HEADER = [
  'Activity ID',
  'Activity Date',
  'Activity Name',
  'Activity Type',
  'Elapsed Time',
  'Moving Time',
  'Distance',
  'Distance',
  'Elevation Gain',
  'Average Watts',
  'Weighted Average Power',
  'Max Watts',
  'Average Heart Rate',
  'Max Heart Rate',
  'Total Work',
];

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A SMALL_HEADER row: a plausible ride, with `extra` overriding cells by column name (Distance in metres). */
function smallRow(id: string, extra: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    'Activity ID': id,
    'Activity Date': '2024-05-13 09:54:42',
    'Activity Name': `Ride ${id}`,
    'Activity Type': 'Ride',
    'Elapsed Time': '3600',
    'Moving Time': '3500',
    Distance: '30123.4',
    ...extra,
  };
  let distanceSeen = false;
  return SMALL_HEADER.map((h) => {
    if (h === 'Distance' && !distanceSeen) {
      distanceSeen = true;
      return ''; // the kilometre copy, which the reader ignores
    }
    return quote(values[h] ?? '');
  }).join(',');
}

function smallCsv(rows: string[]): string {
  return `${SMALL_HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`;
}

// The two regular expressions this module used to run, for differential tests on short inputs
// (where their backtracking costs nothing).
const OLD_TAGS = /<(?:[^>"']|"[^"]*"|'[^']*')*>/g;
const OLD_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

describe('linear-time header cleaning and number parsing', () => {
  it('cleans a 256 KB header cell of "<" (once 113 s)', () => {
    expect(cleanHeader('<'.repeat(K256))).toBe('<'.repeat(K256));
    expect(cleanHeader(`<"${'<'.repeat(K256)}`)).toBe(`<"${'<'.repeat(K256)}`);
    expect(cleanHeader('<a>x'.repeat(K256 / 4))).toBe('x'.repeat(K256 / 4));
  });

  it('still strips translation_missing spans and decodes entities', () => {
    const span =
      '<span class="translation_missing" title="translation missing: en-US.lib.export.portability_exporter.activities.horton_values.type &quot;x&gt;y&quot;">Activity&nbsp;Type</span>';
    expect(cleanHeader(span)).toBe('Activity Type');
    expect(cleanHeader(`<b title='a>b'>Distance</b>`)).toBe('Distance');
    expect(cleanHeader('a < b > c')).toBe('a c');
    expect(cleanHeader('<"never closed> Distance')).toBe('<"never closed> Distance');
  });

  it('removes exactly the tags the old regular expression removed', () => {
    const text = fc.array(fc.constantFrom('<', '>', '"', "'", 'a', ' ', '&', ';', 'lt'), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (raw) => {
        const old = raw.replace(OLD_TAGS, '');
        // cleanHeader then decodes entities and folds whitespace: feed both the same way.
        expect(cleanHeader(raw)).toBe(cleanHeader(old.replace(/</g, '&lt;').replace(/>/g, '&gt;')));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a 256 K-digit number (once 45 s) as not a number, with or without a trailing letter', () => {
    expect(parseNumber('1'.repeat(K256))).toBeNull(); // too large for a double
    expect(parseNumber(`${'1'.repeat(K256)}x`)).toBeNull();
    expect(parseNumber(`-${'9'.repeat(K256)}.5e`)).toBeNull();
    expect(parseNumber(`0.${'1'.repeat(K256)}`)).toBeCloseTo(0.1111, 4);
  });

  it('accepts exactly the numbers the old regular expression accepted', () => {
    const text = fc.array(fc.constantFrom('1', '0', '9', '.', 'e', 'E', '+', '-', 'x'), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (s) => {
        const expected = OLD_NUMBER.test(s) && Number.isFinite(Number(s)) ? Number(s) : null;
        expect(parseNumber(s)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    expect(parseNumber('1.')).toBe(1);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('+1e3')).toBe(1000);
    expect(parseNumber('1e')).toBeNull();
    expect(parseNumber('.')).toBeNull();
    expect(parseNumber('1.234,5')).toBe(1234.5);
  });
});

describe("Strava's English dates, read without luxon", () => {
  it('reads them to the instant luxon reads them to', () => {
    const text = fc
      .tuple(
        fc.constantFrom('Jan', 'Feb', 'May', 'Sep', 'Dec', 'may', 'Foo', 'June'),
        fc.integer({ min: 0, max: 39 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 19 }),
        fc.integer({ min: 0, max: 69 }),
        fc.integer({ min: 0, max: 69 }),
        fc.constantFrom('AM', 'PM', 'am'),
      )
      .map(
        ([mon, d, y, h, m, sec, a]) =>
          `${mon} ${d}, ${String(y).padStart(4, '0')}, ${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')} ${a}`,
      );
    fc.assert(
      fc.property(text, (t) => {
        const luxon = DateTime.fromFormat(t, 'MMM d, yyyy, h:mm:ss a', { zone: 'utc', locale: 'en-US' });
        if (luxon.isValid) expect(parseStravaDate(t)?.toISOString()).toBe(luxon.toJSDate().toISOString());
      }),
      { numRuns: 3000 },
    );
    expect(parseStravaDate('Feb 29, 2024, 12:00:00 AM')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(parseStravaDate('Feb 29, 2023, 12:00:00 AM')).toBeNull();
    expect(parseStravaDate('Dec 31, 2024, 12:59:59 PM')?.toISOString()).toBe('2024-12-31T12:59:59.000Z');
  });
});

describe('cell, header and record size limits', () => {
  it('refuses a file whose header has a 256 KB cell of "<" as too-large', () => {
    const e = mustFail(`${SMALL_HEADER.join(',')},${'<'.repeat(K256)}\r\n${smallRow('1')}\r\n`);
    expect(e.code).toBe('too-large');
    expect(e.message).toContain('262,144 characters');
    expect(e.message).toContain(MAX_HEADER_CELL_CHARS.toLocaleString('en-US'));
  });

  it(`refuses a header of more than ${MAX_CSV_COLUMNS} columns as too-large`, () => {
    const header = [...SMALL_HEADER, ...Array.from({ length: MAX_CSV_COLUMNS }, (_, i) => `Extra ${i}`)];
    const e = mustFail(`${header.join(',')}\r\n${smallRow('1')}\r\n`);
    expect(e.code).toBe('too-large');
    expect(e.message).toContain('columns');
  });

  it(`refuses a header line over ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters as too-large`, () => {
    const e = mustFail(`${SMALL_HEADER.join(',')},${'a'.repeat(MAX_RECORD_CHARS + 10)}\r\n${smallRow('1')}\r\n`);
    expect(e.code).toBe('too-large');
    expect(e.message).toContain('header line');
  });

  it('makes a row with a 256 K-digit cell a bad-row and keeps the other rows', () => {
    const { activities, errors } = mustParse(smallCsv([smallRow('1'), smallRow('2', { 'Elapsed Time': '1'.repeat(K256) }), smallRow('3')]));
    expect(activities.map((a) => a.externalId)).toEqual(['1', '3']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bad-row', source: 'activities.csv#row 2' });
    expect(errors[0]!.message).toContain('Row 2');
    expect(errors[0]!.message).toContain('Elapsed Time');
    expect(errors[0]!.message).toContain(MAX_CELL_CHARS.toLocaleString('en-US'));
  });

  it('makes a row with an over-long free-text cell a bad-row; a cell at the limit is kept', () => {
    const { activities, errors } = mustParse(
      smallCsv([
        smallRow('1', { 'Activity Name': 'x'.repeat(MAX_CELL_CHARS + 1) }),
        smallRow('2', { 'Activity Name': 'y'.repeat(MAX_CELL_CHARS) }),
      ]),
    );
    expect(errors).toEqual([
      { source: 'activities.csv#row 1', code: 'bad-row', message: expect.stringContaining('Activity Name cell is 65,537 characters') },
    ]);
    expect(activities.map((a) => a.externalId)).toEqual(['2']);
  });

  it(`reports a row over ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters as a bad-row ending the file, after the rows before it`, () => {
    const { activities, errors } = mustParse(
      smallCsv([smallRow('1'), smallRow('2', { 'Activity Name': 'z'.repeat(MAX_RECORD_CHARS + 10) }), smallRow('3')]),
    );
    expect(activities.map((a) => a.externalId)).toEqual(['1']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'bad-row', source: 'activities.csv#row 2' });
    expect(errors[0]!.message).toContain('everything after it');
  });

  it(`cuts a 3,000-character name to ${MAX_NAME_CHARS} characters ending in "…"`, () => {
    const long = 'Epic ride '.repeat(300);
    const emoji = `${'a'.repeat(MAX_NAME_CHARS - 2)}🚴🚴`;
    const { activities, errors } = mustParse(
      smallCsv([
        smallRow('1', { 'Activity Name': long }),
        smallRow('2', { 'Activity Name': emoji }),
        smallRow('3', { 'Activity Type': 'R'.repeat(3000) }),
      ]),
    );
    expect(errors).toEqual([]);
    const [a, b, c] = activities as [Activity, Activity, Activity];
    expect(long).toHaveLength(3000);
    expect(a.name).toHaveLength(MAX_NAME_CHARS);
    expect(a.name).toBe(`${long.slice(0, MAX_NAME_CHARS - 1)}…`);
    // never half an emoji (a surrogate pair)
    expect(b.name).toBe(`${'a'.repeat(MAX_NAME_CHARS - 2)}…`);
    expect(c.sourceType).toHaveLength(MAX_NAME_CHARS);
    expect(c.sport).toBe('generic');
  });

  it('makes a row with an over-long Activity ID a bad-row', () => {
    const { activities, errors } = mustParse(smallCsv([smallRow('9'.repeat(500)), smallRow('2')]));
    expect(activities.map((a) => a.externalId)).toEqual(['2']);
    expect(errors).toEqual([
      { source: 'activities.csv#row 1', code: 'bad-row', message: expect.stringContaining('Activity ID is 500 characters') },
    ]);
  });
});

describe('rows per file', () => {
  const minimalRows = (count: number): string => {
    const lines = new Array<string>(count + 1);
    lines[0] = 'Activity ID,Activity Date,Activity Type,Elapsed Time';
    for (let i = 1; i <= count; i++) lines[i] = `${i},2024-01-01 10:00:00,Ride,3600`;
    return `${lines.join('\n')}\n`;
  };

  it(`refuses ${(MAX_CSV_ROWS + 1).toLocaleString('en-US')} rows as too-large, naming the count and the limit`, () => {
    expect(MAX_CSV_ROWS).toBe(200_000);
    const e = mustFail(minimalRows(MAX_CSV_ROWS + 1));
    expect(e.code).toBe('too-large');
    expect(e.source).toBe('activities.csv');
    expect(e.message).toContain('200,001 rows');
    expect(e.message).toContain('200,000');
  });

  it('reads short rows (csv-parse builds an error for each) and leaves Error.stackTraceLimit as it was', () => {
    const before = Error.stackTraceLimit;
    const lines = new Array<string>(50_001);
    lines[0] = 'Activity ID,Activity Date,Activity Type,Elapsed Time';
    for (let i = 1; i < lines.length; i++) lines[i] = `${i},x`;
    const { activities, errors } = mustParse(`${lines.join('\n')}\n`);
    expect(activities).toEqual([]);
    expect(errors).toHaveLength(50_000);
    expect(errors[49_999]).toMatchObject({ code: 'bad-row', source: 'activities.csv#row 50000' });
    expect(Error.stackTraceLimit).toBe(before);
    expect(mustFail('date,amount\n2026-01-02,1\n').code).toBe('missing-columns');
    expect(mustFail(`${SMALL_HEADER.join(',')},${'<'.repeat(2000)}\n${smallRow('1')}\n`).code).toBe('too-large');
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('calls a long file with the wrong columns missing-columns, not too-large', () => {
    const lines = new Array<string>(12);
    lines[0] = 'date,amount,payee';
    for (let i = 1; i < lines.length; i++) lines[i] = `2026-01-02,${i}.50,Bakery`;
    expect(mustFail(`${lines.join('\n')}\n`, { maxRows: 5 }).code).toBe('missing-columns');
  });

  it('takes the limit as an option, and counts records, not lines', () => {
    expect(mustFail(minimalRows(4), { maxRows: 3 })).toMatchObject({
      code: 'too-large',
      message: expect.stringContaining('4 rows; the limit is 3'),
    });
    expect(mustParse(minimalRows(3), { maxRows: 3 }).activities).toHaveLength(3);
    // 3 rows over 9 lines: multi-line descriptions do not count as rows
    const header = 'Activity ID,Activity Date,Activity Type,Elapsed Time,Activity Description';
    const text = `${header}\n${[1, 2, 3].map((i) => `${i},2024-01-01 10:00:00,Ride,3600,"line one\nline two\nline three"`).join('\n')}\n`;
    const { activities, errors } = mustParse(text, { maxRows: 3 });
    expect(errors).toEqual([]);
    expect(activities.map((a) => a.description)).toEqual([
      'line one\nline two\nline three',
      'line one\nline two\nline three',
      'line one\nline two\nline three',
    ]);
  });

  it('parses a realistic 128,000-row Strava export', () => {
    // The 99-column header of the 2025 export, and rows filled like a real one (about 400 bytes).
    const header =
      'Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,Weather Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,UV Index,Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,Average Grade Adjusted Pace,Timer Time,Total Cycles,Recovery,With Pet,Competition,Long Run,For a Cause,Media'.split(
        ',',
      );
    expect(header).toHaveLength(99);
    /** The position of a column (`copy` 1 for the second of a repeated name). */
    const at = (name: string, copy = 0): number => {
      const found = header.flatMap((h, i) => (h === name ? [i] : []))[copy];
      if (found === undefined) throw new Error(`no column ${name} #${copy}`);
      return found;
    };
    const template = new Array<string>(header.length).fill('');
    const constant: [string, number, string][] = [
      ['Commute', 0, 'false'],
      ['Commute', 1, '0.0'],
      ['Max Speed', 0, '14.199999809265137'],
      ['Average Speed', 0, '6.328000068664551'],
      ['Elevation Loss', 0, '210.8000030517578'],
      ['Elevation Low', 0, '402.3999938964844'],
      ['Elevation High', 0, '611.0'],
      ['Calories', 0, '812.0'],
      ['Average Elapsed Speed', 0, '5.9140000343322754'],
      ['Carbon Saved', 0, '1.0'],
      ['Media', 0, '"media/a.jpg|media/b.jpg"'],
    ];
    for (const [name, copy, value] of constant) template[at(name, copy)] = value;
    const col = {
      id: at('Activity ID'),
      date: at('Activity Date'),
      name: at('Activity Name'),
      type: at('Activity Type'),
      elapsedDisplay: at('Elapsed Time'),
      elapsed: at('Elapsed Time', 1),
      distanceKm: at('Distance'),
      distance: at('Distance', 1),
      maxHrDisplay: at('Max Heart Rate'),
      maxHr: at('Max Heart Rate', 1),
      effort: at('Relative Effort'),
      effortSi: at('Relative Effort', 1),
      filename: at('Filename'),
      moving: at('Moving Time'),
      ascent: at('Elevation Gain'),
      avgHr: at('Average Heart Rate'),
      watts: at('Average Watts'),
      powerCount: at('Power Count'),
    };
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const types = ['Ride', 'Run', 'Hike', 'Nordic Ski', 'Walk', 'Virtual Ride'];
    const count = 128_000;
    const lines = new Array<string>(count + 1);
    lines[0] = header.join(',');
    for (let i = 0; i < count; i++) {
      const cells = template.slice();
      const elapsed = 1800 + (i % 7200);
      const km = 5 + (i % 120) + 0.37;
      const type = types[i % types.length]!;
      cells[col.id] = String(200_000_000 + i);
      cells[col.date] =
        `"${months[i % 12]} ${1 + (i % 28)}, ${2000 + (i % 25)}, ${1 + (i % 12)}:${String(i % 60).padStart(2, '0')}:07 ${i % 2 ? 'PM' : 'AM'}"`;
      cells[col.name] = `"Morning ${type}, ${i}"`;
      cells[col.type] = type;
      cells[col.elapsedDisplay] = String(elapsed);
      cells[col.elapsed] = `${elapsed}.0`;
      cells[col.distanceKm] = km.toFixed(2);
      cells[col.distance] = (km * 1000).toFixed(6);
      cells[col.effort] = String(i % 90);
      cells[col.effortSi] = `${i % 90}.0`;
      cells[col.filename] = `activities/${300_000_000 + i}.fit.gz`;
      cells[col.moving] = `${elapsed - 120}.0`;
      cells[col.ascent] = String((i % 900) + 0.524);
      if (i % 4 === 0) {
        cells[col.maxHrDisplay] = '171';
        cells[col.maxHr] = '171.0';
        cells[col.avgHr] = '139.6999969482422';
      }
      if (i % 3 === 0) cells[col.watts] = String(120 + (i % 150) + 0.25);
      if (i % 6 === 0) cells[col.powerCount] = String(elapsed);
      lines[i + 1] = cells.join(',');
    }
    const text = `${lines.join('\r\n')}\r\n`;
    expect(text.length).toBeGreaterThan(count * 300);
    const { activities, errors } = mustParse(text);
    expect(errors).toEqual([]);
    expect(activities).toHaveLength(count);
    expect(activities[count - 1]!.externalId).toBe(String(200_000_000 + count - 1));
    expect(activities[count - 1]!.source).toBe(`activities.csv#row ${count}`);
    expect(new Set(activities.map((a) => a.id)).size).toBe(count);
  });
});

describe('implausible values', () => {
  it('refuses 1e308 s, -5 m and year 0001 row by row, keeping the good rows', () => {
    const { activities, errors } = mustParse(
      smallCsv([
        smallRow('1'),
        smallRow('2', { 'Elapsed Time': '1e308' }),
        smallRow('3', { Distance: '-5' }),
        smallRow('4', { 'Activity Date': '0001-01-01 00:00:00' }),
        smallRow('5'),
      ]),
    );
    expect(activities.map((a) => a.externalId)).toEqual(['1', '5']);
    expect(errors.map((e) => [e.code, e.source])).toEqual([
      ['implausible-values', 'activities.csv#row 2'],
      ['implausible-values', 'activities.csv#row 3'],
      ['implausible-values', 'activities.csv#row 4'],
    ]);
    const [elapsed, distance, date] = errors as [IngestError, IngestError, IngestError];
    expect(elapsed.message).toMatch(/^Row 2 of activities\.csv \(activity 2\) was skipped/);
    expect(elapsed.message).toContain('Elapsed Time is 1.00e+308 s');
    expect(distance.message).toContain('Row 3');
    expect(distance.message).toContain('Distance is -5 m');
    expect(date.message).toContain('Row 4');
    expect(date.message).toContain('Activity Date is 0001-01-01');
    expect(date.message).toContain('1990-01-01');
  });

  it.each([
    ['Elapsed Time', '0', 'Elapsed Time is 0 s'],
    ['Elapsed Time', '-60', 'Elapsed Time is -60 s'],
    ['Elapsed Time', '1e400', 'Elapsed Time is not a finite number'],
    ['Elapsed Time', '1'.repeat(400), 'Elapsed Time is not a finite number'],
    ['Elapsed Time', String(367 * 86_400), 'Elapsed Time is'],
    ['Moving Time', '0', 'Moving Time is 0 s'],
    ['Moving Time', String(7 * 86_400 + 1), 'Moving Time is 604801 s'],
    ['Distance', '2000000.5', 'Distance is 2000000.5 m'],
    ['Elevation Gain', '50001', 'Elevation Gain is 50001 m'],
    ['Elevation Gain', '-1', 'Elevation Gain is -1 m'],
    ['Average Watts', '2501', 'Average Watts is 2501 W'],
    ['Weighted Average Power', '99999', 'Weighted Average Power is 99999 W'],
    ['Max Watts', '-3', 'Max Watts is -3 W'],
    ['Average Heart Rate', '19', 'Average Heart Rate is 19 bpm'],
    ['Max Heart Rate', '251', 'Max Heart Rate is 251 bpm'],
    ['Total Work', '-1', 'Total Work is -1 J'],
  ])('refuses %s = %s', (field, value, phrase) => {
    const { activities, errors } = mustParse(smallCsv([smallRow('1', { [field]: value }), smallRow('2')]));
    expect(activities.map((a) => a.externalId)).toEqual(['2']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'implausible-values', source: 'activities.csv#row 1' });
    expect(errors[0]!.message).toContain('Row 1');
    expect(errors[0]!.message).toContain(phrase);
  });

  it('names every impossible field of a row', () => {
    const { errors } = mustParse(
      smallCsv([smallRow('1', { 'Average Heart Rate': '400', 'Average Watts': '1e300', Distance: '-1' }), smallRow('2')]),
    );
    expect(errors).toHaveLength(1);
    for (const field of ['Average Heart Rate', 'Average Watts', 'Distance']) expect(errors[0]!.message).toContain(field);
  });

  it('keeps the bounds themselves, empty cells, and a week-long-elapsed ride (left running)', () => {
    const { activities, errors } = mustParse(
      smallCsv([
        smallRow('1', {
          'Activity Date': '1990-01-01 00:00:00',
          'Elapsed Time': String(84 * 86_400),
          'Moving Time': String(CSV_PLAUSIBLE.maxMovingSeconds),
          Distance: String(CSV_PLAUSIBLE.maxDistanceMeters),
          'Elevation Gain': String(CSV_PLAUSIBLE.maxAscentMeters),
          'Average Watts': String(CSV_PLAUSIBLE.maxAveragePowerWatts),
          'Average Heart Rate': '20',
          'Max Heart Rate': '250',
          'Total Work': '0',
        }),
        smallRow('2', { 'Elapsed Time': '', 'Moving Time': '', Distance: '', 'Average Watts': 'n/a' }),
      ]),
    );
    expect(errors).toEqual([]);
    const [a, b] = activities as [Activity, Activity];
    expect(a).toMatchObject({
      elapsedSeconds: 84 * 86_400,
      movingSeconds: 604_800,
      distanceMeters: 2_000_000,
      avgHeartRate: 20,
      maxHeartRate: 250,
      workKilojoules: 0,
    });
    expect(a.startTime.toISOString()).toBe('1990-01-01T00:00:00.000Z');
    expect(b).toMatchObject({ elapsedSeconds: null, movingSeconds: null, distanceMeters: null, avgPower: null });
  });

  it('checks a single (km) Distance column in metres', () => {
    const header = 'Activity ID,Activity Date,Activity Type,Elapsed Time,Distance';
    const { activities, errors } = mustParse(`${header}\n1,2024-01-01 10:00:00,Ride,3600,2001\n2,2024-01-01 10:00:00,Ride,3600,1999\n`);
    expect(activities.map((a) => a.distanceMeters)).toEqual([1_999_000]);
    expect(errors[0]).toMatchObject({ code: 'implausible-values', message: expect.stringContaining('Distance is 2001000 m') });
  });
});
