/**
 * When a FIT session's timer ran, from its event messages, and the 1 Hz streams of the records
 * inside those running intervals. When the timer events disagree with the device's own timer time,
 * the other reading of the file's first state is tried, and the device is believed.
 */
import { resample, type RawSamples, type Resampled, type RunningIntervals } from '../resample.js';
import { date, epochSeconds, type FitMessage } from './fit-fields.js';

const STOP_EVENTS = new Set(['stop', 'stop_all', 'stop_disable', 'stop_disable_all']);

/** Kept moving time may differ from the device's timer by this fraction before it is reported. */
export const TIMER_MISMATCH_FRACTION = 0.05;
/** ...and by more than this many seconds (rounding at the ends of a very short session). */
const TIMER_MISMATCH_MIN_SECONDS = 2;

/** A change of the timer's state, from the event messages. */
export interface TimerMark {
  t: number;
  running: boolean;
}

/**
 * Timer transitions in time order (file order within a second):
 * - `timer` start → running; `timer` stop, stop_all, stop_disable, stop_disable_all → stopped;
 * - `power_down` → stopped (the device is off, whatever its event_type says);
 * - `power_up` says nothing about the timer: a device that powers up has not started it, and one
 *   that resumes an activity writes a `timer` start of its own. Whatever its event_type (devices
 *   write `power_up`/`stop_all`), the state stays what the timer events before it said.
 * `session` and `lap` events only mark boundaries: a multisport watch keeps one timer running
 * across its sessions.
 */
export function timerMarks(events: FitMessage[]): TimerMark[] {
  const marks: TimerMark[] = [];
  for (const e of events) {
    const d = date(e.timestamp);
    if (d === null) continue;
    const type = String(e.event_type);
    if (e.event === 'timer' && type === 'start') marks.push({ t: epochSeconds(d), running: true });
    else if ((e.event === 'timer' && STOP_EVENTS.has(type)) || e.event === 'power_down') marks.push({ t: epochSeconds(d), running: false });
  }
  return marks
    .map((m, i) => ({ m, i }))
    .sort((a, b) => a.m.t - b.m.t || a.i - b.i)
    .map(({ m }) => m);
}

/** What the timer events before a session say about its start: running, stopped, or nothing. */
function stateBefore(marks: readonly TimerMark[], from: number): boolean | null {
  let state: boolean | null = null;
  for (const m of marks) {
    if (m.t >= from - 1) break;
    state = m.running;
  }
  return state;
}

/**
 * Running intervals within [from − 1, to + 1] when the timer was `running` at `from`; null = the
 * whole recording (also when no timer event falls inside: then the records are the only evidence).
 */
function runningIntervals(marks: readonly TimerMark[], from: number, to: number, running: boolean): RunningIntervals | null {
  const inside = marks.filter((m) => m.t >= from - 1 && m.t <= to + 1);
  if (inside.length === 0) return null;
  const intervals: [number, number][] = [];
  let runningSince: number | null = running ? from : null;
  for (const m of inside) {
    if (m.running) runningSince ??= m.t;
    else if (runningSince !== null) {
      intervals.push([runningSince, m.t]);
      runningSince = null;
    }
  }
  if (runningSince !== null) intervals.push([runningSince, Number.POSITIVE_INFINITY]);
  return intervals;
}

/** Whether `moving` seconds of streams miss the device's `timer` seconds (see TIMER_MISMATCH_FRACTION). */
export const misses = (moving: number, timer: number): boolean =>
  Math.abs(moving - timer) > TIMER_MISMATCH_FRACTION * timer && Math.abs(moving - timer) > TIMER_MISMATCH_MIN_SECONDS;

/** A session's running intervals (null: the whole recording) and its 1 Hz streams (null: no records). */
export interface TimedStreams {
  running: RunningIntervals | null;
  resampled: Resampled | null;
}

/**
 * The timer at the session's start: what the timer events before it say. A file with none before
 * the session keeps the old reading (a stop first means it was running). When that reading misses
 * the device's own timer time and the other one matches it, the device is right.
 */
export function timedStreams(
  marks: readonly TimerMark[],
  samples: RawSamples,
  window: { from: number; to: number; start: number },
  timerDevice: number | null,
): TimedStreams {
  const { from, to, start } = window;
  const before = stateBefore(marks, from);
  const firstInside = marks.find((m) => m.t >= from - 1 && m.t <= to + 1);
  const initially = before ?? (firstInside === undefined || !firstInside.running);
  const running = runningIntervals(marks, from, to, initially);
  const resampled = resample(samples, running, start);
  if (timerDevice !== null && timerDevice > 0 && misses(resampled?.streams.elapsed.length ?? 0, timerDevice)) {
    const otherRunning = runningIntervals(marks, from, to, !initially);
    const other = resample(samples, otherRunning, start);
    if (other !== null && !misses(other.streams.elapsed.length, timerDevice)) return { running: otherRunning, resampled: other };
  }
  return { running, resampled };
}
