/**
 * What one Strava activities.csv may hold and what one of its rows may claim. Every limit here
 * refuses absurd input before it costs anything: the whole file (`too-large`), one row
 * (`bad-row`), or one row's figures (`implausible-values`).
 */

/**
 * Data rows per file. Strava writes one row per activity: 200,000 is four activities a day for over
 * a century, while a realistic lifetime export (128,000 rows and less) still parses. More rows and
 * the file is refused (`too-large`) before any row is converted.
 */
export const MAX_CSV_ROWS = 200_000;

/**
 * Characters in any one cell. A longer cell (free text included: 64 KiB is pages of description)
 * makes its row a `bad-row`, before anything else reads the cell.
 */
export const MAX_CELL_CHARS = 64 * 1024;

/**
 * Characters in one header cell. Strava's column names are under 40 characters, about 200 in old
 * exports that wrap them in translation_missing spans; a longer one refuses the file (`too-large`).
 */
export const MAX_HEADER_CELL_CHARS = 1024;

/** Header columns. Strava's exports have 79 to 103; more refuses the file (`too-large`). */
export const MAX_CSV_COLUMNS = 500;

/**
 * csv-parse's `max_record_size` (characters in one record, all its cells together), which bounds
 * the memory one row takes. Real rows are under 2 KB, and this is well above MAX_CELL_CHARS, so one
 * over-long cell only costs its own row. csv-parse stops reading at a longer record: that row and
 * the rest of the file become one `bad-row` error (or, on the header, the file is `too-large`).
 */
export const MAX_RECORD_CHARS = 2 * 1024 * 1024;

/**
 * How far the header line is looked for. Strava's is under 20,000 characters; a file whose first
 * line runs past this is refused (`too-large`).
 */
export const MAX_HEADER_LINE_CHARS = 1 << 20;

/** Activity Name and Activity Type are kept to this many characters, the last being "…". */
export const MAX_NAME_CHARS = 200;

/** Strava's activity ids are at most 20 digits; a longer Activity ID makes the row a `bad-row`. */
export const MAX_ID_CHARS = 64;

/**
 * What one row may claim; a row outside these bounds is an `implausible-values` error naming the
 * row and the fields (one such figure gave a fitness (CTL) of 76,664). Empty cells stay allowed
 * (null), and every figure that is given must be a finite number.
 */
export const CSV_PLAUSIBLE = {
  /** Moving Time (it drives the training load): more than 0 and at most 7 days. */
  maxMovingSeconds: 7 * 86_400,
  /**
   * Elapsed Time: more than 0 and at most 366 days. Not 7 days like moving time: real exports hold
   * rides left running for weeks (the reference export has one of 84 days, 118 s moving), which
   * must still come in; `checkPlausible` warns about them, and load uses moving time.
   */
  maxElapsedSeconds: 366 * 86_400,
  /** Distance: 0 to 2,000 km. */
  maxDistanceMeters: 2_000_000,
  /** Elevation Gain: 0 to 50,000 m. */
  maxAscentMeters: 50_000,
  /** Average Watts and Weighted Average Power: 0 to 2,500 W. */
  maxAveragePowerWatts: 2_500,
  /** Max Watts: 0 to 10,000 W (sprints peak near 2,700 W; a power-meter spike may go further). */
  maxPeakPowerWatts: 10_000,
  /** Average and Max Heart Rate: 20 to 250 bpm. */
  minHeartRate: 20,
  maxHeartRate: 250,
  /** Activity Date: 1990-01-01 or later. Future dates are refused after ingestion (`checkPlausible`). */
  earliestStart: Date.UTC(1990, 0, 1),
} as const;

/** Total Work (J): at most the highest average power for the longest moving time. */
export const MAX_TOTAL_WORK_JOULES = CSV_PLAUSIBLE.maxAveragePowerWatts * CSV_PLAUSIBLE.maxMovingSeconds;
