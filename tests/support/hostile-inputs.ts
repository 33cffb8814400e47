/**
 * Hostile uploads, generated on the fly (nothing large is committed): deterministic (seeded PRNG,
 * fixed dates) and quick to build. Each writer takes a folder and returns the path it wrote.
 *
 *   bomb.fit.gz      ~3 MB gzip → ~100 MB valid FIT (26 M compressed-timestamp records, ~30×)
 *   long.fit.gz      ~1.2 MB gzip → ~40 MB valid FIT whose records span 121 days
 *   big.fit          a plain 19 MB FIT (~5 M records)
 *   header-lt.csv    Strava's header with one 256 KB header cell of `<`
 *   digits.csv       Strava's header and one row with a 256 K-digit number
 *   zeros.zip        2,000 entries activities/N.fit of 1 MiB of zeros each (~2.2 MB zip)
 *   csvs-small.zip   ~33 KB zip of CSVs holding 750,000 rows that fail to parse (under 100×)
 *   csvs-150.zip     ~491 KB zip of 150 dir<N>/activities.csv, each inflating to ~25 MB of rows
 *   export-128k.csv  a realistic 50 MB activities.csv of 128,000 rows (must be accepted)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import { deflateSync, zipSync } from 'fflate';
import { fitCrc } from '../../src/ingest/fit/fit-structure.js';
import { mulberry32 } from '../../src/synthetic/random.js';

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32, the synthetic rides' seeded PRNG, returning [0, 1). */
export const prng = mulberry32;

// ---------------------------------------------------------------------------------------------
// FIT

/** Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z). */
const FIT_EPOCH_S = 631_065_600;
const FIT_HEADER_BYTES = 14;
/** A compressed-timestamp record: header byte, power (uint16), heart rate (uint8). */
const COMPRESSED_RECORD_BYTES = 4;

export interface FitSpec {
  /** Records after the first (full-timestamp) one, all with compressed timestamps at 1 Hz. */
  records: number;
  start: Date;
  seed: number;
  /**
   * Mean number of seconds power stays the same before it steps: the higher, the lower the
   * entropy and the better the file compresses.
   */
  meanRun: number;
}

/** The FIT bytes' layout, for tests that want to know what they built. */
export interface FitFacts {
  bytes: number;
  dataRecords: number;
  firstTimestamp: Date;
  lastTimestamp: Date;
}

/**
 * A valid FIT activity file: a 14-byte header (with header CRC), a file_id (type 4 = activity),
 * a definition of `record` (global 20) with timestamp (253, uint32), power (7, uint16) and
 * heart_rate (3, uint8), one record with a full timestamp, then `records` compressed-timestamp
 * records (header 0x80 | local << 5 | offset) one second apart, and the file CRC.
 */
export function buildFit(spec: FitSpec): { bytes: Uint8Array; facts: FitFacts } {
  const random = prng(spec.seed);
  const fileIdDef = [
    0x40, 0, 0, 0, 0, 5, /* type */ 0, 1, 0x00, /* manufacturer */ 1, 2, 0x84, /* product */ 2, 2, 0x84, /* serial */ 3, 4, 0x8c,
    /* time_created */ 4, 4, 0x86,
  ];
  const fileIdData = 1 + 1 + 2 + 2 + 4 + 4;
  const recordDef = [0x41, 0, 0, 20, 0, 3, /* timestamp */ 253, 4, 0x86, /* power */ 7, 2, 0x84, /* heart_rate */ 3, 1, 0x02];
  // Records with a compressed-timestamp header carry no timestamp field: their own definition.
  const compressedDef = [0x42, 0, 0, 20, 0, 2, /* power */ 7, 2, 0x84, /* heart_rate */ 3, 1, 0x02];
  const firstRecord = 1 + 4 + 2 + 1;
  const dataSize =
    fileIdDef.length + fileIdData + recordDef.length + firstRecord + compressedDef.length + spec.records * COMPRESSED_RECORD_BYTES;
  const total = FIT_HEADER_BYTES + dataSize + 2;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out[0] = FIT_HEADER_BYTES;
  out[1] = 0x20; // protocol 2.0
  view.setUint16(2, 2132, true); // profile 21.32
  view.setUint32(4, dataSize, true);
  out.set([0x2e, 0x46, 0x49, 0x54], 8); // ".FIT"
  view.setUint16(12, fitCrc(out, 0, 12), true);
  let pos = FIT_HEADER_BYTES;
  const t0 = Math.floor(spec.start.getTime() / 1000) - FIT_EPOCH_S;
  out.set(fileIdDef, pos);
  pos += fileIdDef.length;
  out[pos++] = 0x00; // data, local 0
  out[pos++] = 4; // type: activity
  view.setUint16(pos, 255, true); // manufacturer: development
  pos += 2;
  view.setUint16(pos, 1, true);
  pos += 2;
  view.setUint32(pos, 1_234_567_890, true);
  pos += 4;
  view.setUint32(pos, t0, true);
  pos += 4;
  out.set(recordDef, pos);
  pos += recordDef.length;
  let power = 180;
  let heartRate = 130;
  out[pos++] = 0x01; // data, local 1
  view.setUint32(pos, t0, true);
  pos += 4;
  view.setUint16(pos, power, true);
  pos += 2;
  out[pos++] = heartRate;
  out.set(compressedDef, pos);
  pos += compressedDef.length;
  // Power steps (a small change, now and then) after runs of geometric length; the rest repeats.
  const stepChance = 1 / spec.meanRun;
  for (let i = 1; i <= spec.records; i++) {
    if (random() < stepChance) {
      power = Math.min(650, Math.max(60, power + Math.round((random() - 0.5) * 40)));
      heartRate = Math.min(185, Math.max(95, 80 + Math.round(power / 4)));
    }
    out[pos] = 0x80 | (2 << 5) | ((t0 + i) & 0x1f);
    out[pos + 1] = power & 0xff;
    out[pos + 2] = power >> 8;
    out[pos + 3] = heartRate;
    pos += COMPRESSED_RECORD_BYTES;
  }
  view.setUint16(pos, fitCrc(out, 0, pos), true);
  if (pos + 2 !== total) throw new Error(`FIT layout: wrote ${pos + 2} of ${total} bytes`);
  const toDate = (fit: number) => new Date((fit + FIT_EPOCH_S) * 1000);
  return {
    bytes: out,
    facts: { bytes: total, dataRecords: spec.records + 1, firstTimestamp: toDate(t0), lastTimestamp: toDate(t0 + spec.records) },
  };
}

/** Records for a FIT of `bytes` bytes in total. */
const recordsFor = (bytes: number) => Math.floor((bytes - 92) / COMPRESSED_RECORD_BYTES);

// ---------------------------------------------------------------------------------------------
// Strava CSV

/** The header of a real Strava bulk export (Aug 2025, 99 columns, duplicated names as Strava writes them). */
export const STRAVA_HEADER = [
  'Activity ID',
  'Activity Date',
  'Activity Name',
  'Activity Type',
  'Activity Description',
  'Elapsed Time',
  'Distance',
  'Max Heart Rate',
  'Relative Effort',
  'Commute',
  'Activity Private Note',
  'Activity Gear',
  'Filename',
  'Athlete Weight',
  'Bike Weight',
  'Elapsed Time',
  'Moving Time',
  'Distance',
  'Max Speed',
  'Average Speed',
  'Elevation Gain',
  'Elevation Loss',
  'Elevation Low',
  'Elevation High',
  'Max Grade',
  'Average Grade',
  'Average Positive Grade',
  'Average Negative Grade',
  'Max Cadence',
  'Average Cadence',
  'Max Heart Rate',
  'Average Heart Rate',
  'Max Watts',
  'Average Watts',
  'Calories',
  'Max Temperature',
  'Average Temperature',
  'Relative Effort',
  'Total Work',
  'Number of Runs',
  'Uphill Time',
  'Downhill Time',
  'Other Time',
  'Perceived Exertion',
  'Type',
  'Start Time',
  'Weighted Average Power',
  'Power Count',
  'Prefer Perceived Exertion',
  'Perceived Relative Effort',
  'Commute',
  'Total Weight Lifted',
  'From Upload',
  'Grade Adjusted Distance',
  'Weather Observation Time',
  'Weather Condition',
  'Weather Temperature',
  'Apparent Temperature',
  'Dewpoint',
  'Humidity',
  'Weather Pressure',
  'Wind Speed',
  'Wind Gust',
  'Wind Bearing',
  'Precipitation Intensity',
  'Sunrise Time',
  'Sunset Time',
  'Moon Phase',
  'Bike',
  'Gear',
  'Precipitation Probability',
  'Precipitation Type',
  'Cloud Cover',
  'Weather Visibility',
  'UV Index',
  'Weather Ozone',
  'Jump Count',
  'Total Grit',
  'Average Flow',
  'Flagged',
  'Average Elapsed Speed',
  'Dirt Distance',
  'Newly Explored Distance',
  'Newly Explored Dirt Distance',
  'Activity Count',
  'Total Steps',
  'Carbon Saved',
  'Pool Length',
  'Training Load',
  'Intensity',
  'Average Grade Adjusted Pace',
  'Timer Time',
  'Total Cycles',
  'Recovery',
  'With Pet',
  'Competition',
  'Long Run',
  'For a Cause',
  'Media',
] as const;

const COLUMN = new Map<string, number[]>();
STRAVA_HEADER.forEach((name, i) => COLUMN.set(name, [...(COLUMN.get(name) ?? []), i]));
/** Index of the first (display units) or last (SI) copy of a column. */
const col = (name: string, copy: 'first' | 'last' = 'first'): number => {
  const at = COLUMN.get(name);
  if (!at) throw new Error(`no column ${name}`);
  return copy === 'first' ? at[0]! : at[at.length - 1]!;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Oct 5, 2014, 4:15:21 PM": Strava's English date format (UTC). */
export function stravaDate(d: Date): string {
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const float32ish = (value: number, random: () => number) => {
  // Strava prints float32 values widened to double: 13609.2001953125, 11.399999618530273
  const f = Math.fround(value + random() * 0.01);
  return String(f);
};

/**
 * The 99 cells (unquoted) of one plausible activities.csv row. `id` is the Activity ID; the sport
 * mix, units and float formatting follow the real export.
 */
export function stravaCells(id: number, start: Date, random: () => number): string[] {
  const cells = new Array<string>(STRAVA_HEADER.length).fill('');
  const roll = random();
  const type = roll < 0.55 ? 'Ride' : roll < 0.85 ? 'Run' : roll < 0.92 ? 'Virtual Ride' : roll < 0.97 ? 'Hike' : 'Walk';
  const partOfDay =
    start.getUTCHours() < 11 ? 'Morning' : start.getUTCHours() < 14 ? 'Lunch' : start.getUTCHours() < 18 ? 'Afternoon' : 'Evening';
  const cycling = type === 'Ride' || type === 'Virtual Ride';
  const speed = cycling ? 6 + random() * 6 : type === 'Run' ? 2.6 + random() * 1.4 : 1.1 + random() * 0.6; // m/s
  const moving = Math.round(cycling ? 1800 + random() * 12_600 : 1200 + random() * 5_400);
  const elapsed = moving + Math.round(random() * moving * 0.2);
  const distance = speed * moving;
  const gain = distance * (0.002 + random() * 0.012);
  const hasHr = random() < 0.7;
  const measured = cycling && random() < 0.6;
  const avgHr = 115 + random() * 45;
  const watts = cycling ? 120 + random() * 140 : 0;

  cells[col('Activity ID')] = String(id);
  cells[col('Activity Date')] = stravaDate(start);
  cells[col('Activity Name')] = type === 'Virtual Ride' ? 'Zwift - Watopia' : `${partOfDay} ${type === 'Ride' ? 'Ride' : type}`;
  cells[col('Activity Type')] = type;
  cells[col('Elapsed Time')] = String(elapsed);
  cells[col('Distance')] = (distance / 1000).toFixed(2);
  cells[col('Commute')] = 'false';
  cells[col('Filename')] = type === 'Virtual Ride' || random() < 0.5 ? `activities/${id}.fit.gz` : `activities/${id}.gpx`;
  cells[col('Athlete Weight')] = '72.0';
  cells[col('Elapsed Time', 'last')] = `${elapsed}.0`;
  cells[col('Moving Time')] = `${moving}.0`;
  cells[col('Distance', 'last')] = float32ish(distance, random);
  cells[col('Max Speed')] = float32ish(speed * (1.4 + random() * 0.6), random);
  cells[col('Average Speed')] = float32ish(speed, random);
  cells[col('Elevation Gain')] = float32ish(gain, random);
  cells[col('Elevation Low')] = (100 + random() * 400).toFixed(1);
  cells[col('Elevation High')] = (500 + random() * 800).toFixed(1);
  cells[col('Max Grade')] = (4 + random() * 20).toFixed(1);
  cells[col('Average Grade')] = String((random() - 0.5) * 0.02);
  if (hasHr) {
    cells[col('Max Heart Rate')] = String(Math.round(avgHr + 15 + random() * 20));
    cells[col('Max Heart Rate', 'last')] = `${Math.round(avgHr + 15 + random() * 20)}.0`;
    cells[col('Average Heart Rate')] = float32ish(avgHr, random);
    cells[col('Relative Effort')] = String(Math.round(((moving / 60) * (avgHr - 100)) / 40));
    cells[col('Relative Effort', 'last')] = `${cells[col('Relative Effort')]}.0`;
  }
  if (cycling) {
    cells[col('Average Cadence')] = float32ish(80 + random() * 15, random);
    cells[col('Max Cadence')] = `${Math.round(110 + random() * 20)}.0`;
    cells[col('Max Watts')] = `${Math.round(watts * 2.5 + random() * 300)}.0`;
    cells[col('Average Watts')] = float32ish(watts, random);
    cells[col('Calories')] = (((watts * moving) / 1000) * 1.05).toFixed(1);
    if (measured) {
      cells[col('Weighted Average Power')] = `${Math.round(watts * (1.03 + random() * 0.12))}.0`;
      cells[col('Power Count')] = `${moving}.0`;
      cells[col('Total Work')] = `${Math.round(watts * moving)}.0`;
    }
  } else if (type === 'Run') {
    cells[col('Average Cadence')] = float32ish(82 + random() * 8, random);
    cells[col('Total Steps')] = `${Math.round(moving * 2.8)}.0`;
    cells[col('Calories')] = ((distance / 1000) * 70).toFixed(1);
  }
  cells[col('From Upload')] = '1.0';
  cells[col('Newly Explored Distance')] = random() < 0.8 ? '0.0' : float32ish(random() * distance * 0.3, random);
  cells[col('Activity Count')] = '1.0';
  cells[col('Timer Time')] = `${moving}.0`;
  return cells;
}

/** Cells as one CSV line (quoted where needed; Media is `""` as Strava writes it). */
export function csvLine(cells: string[]): string {
  const media = col('Media');
  return cells.map((c, i) => (i === media && c === '' ? '""' : csvCell(c))).join(',');
}

/** One plausible activities.csv row, about 400 bytes. */
export const stravaRow = (id: number, start: Date, random: () => number): string => csvLine(stravaCells(id, start, random));

export const STRAVA_HEADER_LINE = STRAVA_HEADER.join(',');

// ---------------------------------------------------------------------------------------------
// ZIP

/**
 * A zip of `names.length` entries that all hold `content`, deflated once (fflate, level 9) and
 * reused, which is much quicker than compressing every entry. `overlap`: every central-directory
 * entry points at one local entry, so each entry's declared ratio is honest while the archive
 * unpacks to `names.length` × `content.length` from little more than one compressed stream.
 */
export function repeatedEntryZip(names: string[], content: Uint8Array, options: { overlap: boolean }): Uint8Array {
  const deflated = deflateSync(content, { level: 9 });
  const crc = crc32(content);
  const enc = new TextEncoder();
  const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1;
  const localHeader = (name: Uint8Array) => {
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x0800, true); // UTF-8 names
    lv.setUint16(8, 8, true); // deflate
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, deflated.length, true);
    lv.setUint32(22, content.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    return local;
  };
  const centralHeader = (name: Uint8Array, offset: number) => {
    const c = new Uint8Array(46 + name.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, 8, true);
    cv.setUint16(14, DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, deflated.length, true);
    cv.setUint32(24, content.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    c.set(name, 46);
    return c;
  };
  const parts: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  names.forEach((text, i) => {
    const name = enc.encode(text);
    if (!options.overlap || i === 0) {
      centrals.push(centralHeader(name, offset));
      const local = localHeader(name);
      parts.push(local, deflated);
      offset += local.length + deflated.length;
    } else centrals.push(centralHeader(name, 0));
  });
  const centralStart = offset;
  const centralSize = centrals.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, names.length, true);
  ev.setUint16(10, names.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, centralStart, true);
  const out = new Uint8Array(centralStart + centralSize + end.length);
  let pos = 0;
  for (const p of [...parts, ...centrals, end]) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The inputs

export interface Generated {
  name: string;
  path: string;
  /** Size on disk. */
  bytes: number;
  /** What it unpacks to (archives), or null. */
  unpackedBytes: number | null;
  ms: number;
  note: string;
}

const MB = 1024 * 1024;

function timed(dir: string, name: string, make: () => { content: Uint8Array; unpackedBytes?: number; note: string }): Generated {
  const started = performance.now();
  const { content, unpackedBytes, note } = make();
  const path = join(dir, name);
  writeFileSync(path, content);
  return { name, path, bytes: content.length, unpackedBytes: unpackedBytes ?? null, ms: Math.round(performance.now() - started), note };
}

const ratioNote = (packed: number, unpacked: number) =>
  `${(unpacked / MB).toFixed(1)} MB unpacked, ratio ${(unpacked / packed).toFixed(1)}×`;

/** 1. ~3 MB gzip → ~100 MB valid FIT (26 M compressed-timestamp records), ratio ~30× (< the 100× limit). */
export function writeBombFitGz(dir: string): Generated {
  return timed(dir, 'bomb.fit.gz', () => {
    const { bytes, facts } = buildFit({
      records: recordsFor(100 * MB),
      start: new Date('2025-01-06T06:00:00Z'),
      seed: 1,
      meanRun: BOMB_MEAN_RUN,
    });
    const content = gzipSync(bytes, { level: 6 });
    return {
      content,
      unpackedBytes: bytes.length,
      note: `${ratioNote(content.length, bytes.length)}, ${(facts.dataRecords / 1e6).toFixed(1)} M records`,
    };
  });
}
/** Mean seconds between power steps, tuned so that the gzip ratios are ~30× and ~33×. */
const BOMB_MEAN_RUN = 650;
const LONG_MEAN_RUN = 660;

/** 2. ~1.2 MB gzip → ~40 MB valid FIT whose records span 121 days at 1 Hz. */
export function writeLongFitGz(dir: string): Generated {
  return timed(dir, 'long.fit.gz', () => {
    const { bytes, facts } = buildFit({ records: 121 * 86_400, start: new Date('2025-03-03T06:00:00Z'), seed: 2, meanRun: LONG_MEAN_RUN });
    const content = gzipSync(bytes, { level: 6 });
    const days = (facts.lastTimestamp.getTime() - facts.firstTimestamp.getTime()) / 86_400_000;
    return {
      content,
      unpackedBytes: bytes.length,
      note: `${ratioNote(content.length, bytes.length)}, records span ${days.toFixed(1)} days`,
    };
  });
}

/** 3. A plain 19 MB FIT (~5 M records), under the chat platforms' 20 MB download limit. */
export function writeBigFit(dir: string): Generated {
  return timed(dir, 'big.fit', () => {
    const { bytes, facts } = buildFit({ records: recordsFor(19 * MB), start: new Date('2025-06-02T06:00:00Z'), seed: 3, meanRun: 3 });
    return {
      content: bytes,
      note: `${(facts.dataRecords / 1e6).toFixed(2)} M records over ${((facts.lastTimestamp.getTime() - facts.firstTimestamp.getTime()) / 86_400_000).toFixed(1)} days`,
    };
  });
}

const ROW_FAILS = 'not a date';

/**
 * 4a. Strava's header with one more header cell of 256 KB of `<` (an unclosed tag, for the
 * header cleaner), then three rows whose dates cannot be read: whatever reads it quickly has a
 * code to give (a refused header, or a bad row each).
 */
export function writeHeaderLtCsv(dir: string): Generated {
  return timed(dir, 'header-lt.csv', () => {
    const rows = [1, 2, 3].map((n) => `${900_000 + n},${ROW_FAILS},Morning Ride,Ride,,3600,30.0`);
    const text = `${STRAVA_HEADER_LINE},${'<'.repeat(256 * 1024)}\n${rows.join('\n')}\n`;
    return { content: new TextEncoder().encode(text), note: 'one 262,144-byte header cell of "<", 3 rows with unreadable dates' };
  });
}

/**
 * 4b. A valid header and one row whose Average Watts is a 256 K-digit number (262,144 digits,
 * then the unit "W" as a spreadsheet might leave it).
 */
export function writeDigitsCsv(dir: string): Generated {
  return timed(dir, 'digits.csv', () => {
    const random = prng(4);
    let cells = stravaCells(910_001, new Date('2025-05-04T07:30:00Z'), random);
    while (cells[col('Activity Type')] !== 'Ride') cells = stravaCells(910_001, new Date('2025-05-04T07:30:00Z'), random);
    cells[col('Average Watts')] = `${'7'.repeat(256 * 1024)}W`;
    const text = `${STRAVA_HEADER_LINE}\n${csvLine(cells)}\n`;
    return { content: new TextEncoder().encode(text), note: 'Average Watts = 262,144 digits + "W"' };
  });
}

/**
 * 5a. 2,000 entries activities/N.fit of 1 MiB of zeros each (fflate deflate, level 9; the same
 * compressed bytes in every entry, as zipSync would write them, without 40 s of compressing).
 */
export function writeZerosZip(dir: string): Generated {
  return timed(dir, 'zeros.zip', () => {
    const names = Array.from({ length: 2_000 }, (_, i) => `activities/${i}.fit`);
    const content = repeatedEntryZip(names, new Uint8Array(MB), { overlap: false });
    return {
      content,
      unpackedBytes: 2_000 * MB,
      note: `2,000 × 1 MiB zeros, ${ratioNote(content.length, 2_000 * MB)} (each entry exactly 1 MiB: under the ratio floor)`,
    };
  });
}

/**
 * 5b. ~33 KB zip of 5 `x<N>/activities.csv` of 150,000 rows each that fail to parse (no date):
 * 750,000 row errors, 150,000 per CSV, more than a spread `push(...errors)` can take (> ~120 k
 * elements overflow the stack). Under every ratio limit: each entry and the whole archive unpack
 * to < 100× their packed size (1 row in ~80 has another id, to keep deflate below 100×), and
 * each CSV has fewer rows than Strava's exports could hold in 200,000.
 */
export function writeCsvsSmallZip(dir: string): Generated {
  return timed(dir, 'csvs-small.zip', () => {
    const random = prng(7);
    const rows = 150_000;
    const entries = 5;
    const files: Record<string, Uint8Array> = {};
    let unpacked = 0;
    for (let e = 0; e < entries; e++) {
      const lines = ['Activity ID,Activity Date,Activity Type,Elapsed Time'];
      for (let i = 0; i < rows; i++) lines.push(random() < 0.012 ? `${Math.floor(random() * 100)},x` : '1,x');
      const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
      files[`x${e}/activities.csv`] = bytes;
      unpacked += bytes.length;
    }
    const content = zipSync(files, { level: 9 });
    return {
      content,
      unpackedBytes: unpacked,
      note: `${entries} CSVs × ${rows.toLocaleString('en-US')} bad rows, ${ratioNote(content.length, unpacked)}`,
    };
  });
}

/**
 * 5c. ~491 KB zip of 150 `dir<N>/activities.csv`, each inflating to ~25 MB of valid-looking
 * rows: the entries overlap (all point at one deflated stream), so each entry's declared ratio
 * is ~50× (under the 100× limit) while the whole unpacks to ~3.7 GB.
 */
export function writeCsvs150Zip(dir: string): Generated {
  return timed(dir, 'csvs-150.zip', () => {
    const random = prng(5);
    // A pool of 8 real-looking rows (within deflate's 32 KB window), repeated in random order with
    // fresh ids: about 50× with deflate.
    const start = Date.UTC(2016, 0, 1);
    const pool = Array.from({ length: POOL_ROWS }, (_, i) => stravaCells(1_000_000 + i, new Date(start + i * 86_400_000), random));
    const lines: string[] = [STRAVA_HEADER_LINE];
    let size = STRAVA_HEADER_LINE.length + 1;
    let id = 5_000_000_000;
    while (size < 25 * MB) {
      const row = pool[Math.floor(random() * pool.length)]!.slice();
      id += 1 + Math.floor(random() * 900);
      row[col('Activity ID')] = String(id);
      const line = csvLine(row);
      lines.push(line);
      size += line.length + 1;
    }
    const content = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const names = Array.from({ length: 150 }, (_, i) => `dir${i}/activities.csv`);
    const zip = repeatedEntryZip(names, content, { overlap: true });
    const entryPacked = zip.length - 150 * (46 + 20) - 22 - 50;
    return {
      content: zip,
      unpackedBytes: 150 * content.length,
      note: `150 × ${(content.length / MB).toFixed(1)} MB (${(lines.length - 1).toLocaleString('en-US')} rows each), entry ratio ~${(content.length / entryPacked).toFixed(0)}×, whole ${ratioNote(zip.length, 150 * content.length)}`,
    };
  });
}
const POOL_ROWS = 8;

/**
 * 6. A realistic 50 MB activities.csv of 128,000 rows over the ten years before `end`
 * (default: the first day of the current UTC month, so every date is in the past).
 */
export function writeExport128kCsv(dir: string, end = firstOfThisMonth()): Generated {
  return timed(dir, 'export-128k.csv', () => {
    const random = prng(6);
    const rows = 128_000;
    const span = 10 * 365.25 * 86_400_000;
    const from = end.getTime() - span;
    const parts: string[] = [STRAVA_HEADER_LINE];
    let id = 203_707_851;
    for (let i = 0; i < rows; i++) {
      // evenly spread and ordered, as Strava writes them; start times from 05:00 to 20:00 UTC
      const day = from + Math.floor(((i / rows) * span) / 86_400_000) * 86_400_000;
      const start = new Date(day + Math.floor((5 + random() * 15) * 3_600_000));
      id += 1 + Math.floor(random() * 150_000);
      parts.push(stravaRow(id, start, random));
    }
    const content = new TextEncoder().encode(`${parts.join('\n')}\n`);
    return {
      content,
      note: `${rows.toLocaleString('en-US')} rows, ${(content.length / MB).toFixed(1)} MB, ${new Date(from).toISOString().slice(0, 10)} to ${end.toISOString().slice(0, 10)}`,
    };
  });
}

function firstOfThisMonth(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export type HostileName =
  | 'bomb.fit.gz'
  | 'long.fit.gz'
  | 'big.fit'
  | 'header-lt.csv'
  | 'digits.csv'
  | 'zeros.zip'
  | 'csvs-small.zip'
  | 'csvs-150.zip'
  | 'export-128k.csv';

export const WRITERS: Record<HostileName, (dir: string) => Generated> = {
  'bomb.fit.gz': writeBombFitGz,
  'long.fit.gz': writeLongFitGz,
  'big.fit': writeBigFit,
  'header-lt.csv': writeHeaderLtCsv,
  'digits.csv': writeDigitsCsv,
  'zeros.zip': writeZerosZip,
  'csvs-small.zip': writeCsvsSmallZip,
  'csvs-150.zip': writeCsvs150Zip,
  'export-128k.csv': writeExport128kCsv,
};
