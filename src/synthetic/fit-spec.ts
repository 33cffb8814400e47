/**
 * What the FIT writer is given: plain samples, sessions, events and encoding options. Fields that
 * are undefined (or not finite) in a sample are left out of that record entirely.
 */

export interface FitRecordSample {
  time: Date;
  power?: number;
  heartRate?: number;
  cadence?: number;
  /** m/s */
  speed?: number;
  /** m, cumulative from the session start */
  distance?: number;
  /** m */
  altitude?: number;
  /** degrees */
  latitude?: number;
  /** degrees */
  longitude?: number;
}

/** FIT event names (the ones in FIT_EVENT); any other event of the profile is given by its number. */
export type FitEventName =
  'timer' | 'workout' | 'power_down' | 'power_up' | 'off_course' | 'session' | 'lap' | 'battery' | 'activity' | (string & {});
/** FIT event types (profile type `event_type`). */
export type FitEventTypeName = 'start' | 'stop' | 'marker' | 'stop_all' | 'stop_disable' | 'stop_disable_all';

/** An event message (21) as a device writes it. */
export interface FitEventSpec {
  time: Date;
  event: FitEventName | number;
  eventType: FitEventTypeName | number;
  /** Field 3 (`data`), uint32. */
  data?: number;
  /** Field 4 (`event_group`). Default 0. */
  eventGroup?: number;
}

/** FIT sport names (`cycling`, `running`, ...); any name from the FIT profile is accepted. */
export type FitSportName = 'cycling' | 'running' | 'swimming' | 'transition' | 'generic' | 'walking' | 'e_biking' | (string & {});

export interface FitSessionSpec {
  sport: FitSportName;
  /** FIT sub-sport name (`road`, `mountain`, `indoor_cycling`, `virtual_activity`, `gravel_cycling`, ...). Default `generic`. */
  subSport?: string;
  startTime: Date;
  /** In time order. */
  records: FitRecordSample[];
  /** Periods the timer was stopped; they count towards elapsed time but not timer time. */
  timerStops?: { stop: Date; start: Date }[];
  /** Laps as [start, end) (the last one includes its end). Omitted: one lap spanning the session. `[]`: no lap messages. */
  laps?: { start: Date; end: Date }[];
  /** Figures the head unit computed itself (session fields 34, 35, 36, 45). */
  device?: { normalizedPower?: number; tss?: number; ftp?: number; intensityFactor?: number };
  /**
   * Write the timer start at `startTime`, stop_all/start around each of `timerStops` and a
   * stop_all at the end. Default true. With false only `events` are written (the session's
   * timer time is still computed from `timerStops`, as the device's own figure).
   */
  timerEvents?: boolean;
  /** More event messages, written among this session's records in time order (any time, even before `startTime`). */
  events?: FitEventSpec[];
  /** Write the session message. Default true. False: a file as a head unit that never closed its session leaves it. */
  sessionMessage?: boolean;
  /** Session fields to leave out, as some devices and apps do. */
  omitSessionFields?: ('start_time' | 'timestamp' | 'sport' | 'sub_sport')[];
  /** Lap fields to leave out. */
  omitLapFields?: ('sport' | 'sub_sport')[];
}

export interface FitEncodeOptions {
  /** FIT manufacturer id. Default 255 (`development`); 1 is Garmin. */
  manufacturer?: number;
  /** Product id. Default 0. (Garmin Edge 530 is 3121.) */
  product?: number;
  /** Default 123456789. Must be non-zero (uint32z). */
  serialNumber?: number;
  /** Written to device_info, e.g. 9.75. */
  softwareVersion?: number;
  /** Write a device_info message for the creator. Default true. */
  deviceInfo?: boolean;
  /**
   * Write records' speed and altitude as `enhanced_speed` (73) and `enhanced_altitude` (78) only,
   * as recent Garmin units do, and the session/lap speeds as `enhanced_avg_speed`/`enhanced_max_speed`
   * as well. Default false (legacy `speed` (6) / `altitude` (2)). Values that do not fit the legacy
   * uint16 fields are written as enhanced fields either way.
   */
  enhancedFields?: boolean;
  /** When given, activity.local_timestamp = timestamp + offset. */
  timeZoneOffsetMinutes?: number;
}
