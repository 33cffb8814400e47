/**
 * The coaching loop's figures as the command line prints them: a ride's match to the plan (`import`)
 * and a workout's compliance (`plan status`), both with the work intervals as found — the JSON
 * contract of README's CLI section — and their readable lines, marked as /plan marks them.
 */
import { WEEKDAY_LABELS, weekdayOf } from '../domain/calendar.js';
import type { IntervalResult, WorkoutMatch, WorkoutState } from '../domain/coaching/types.js';
import { round } from '../domain/numbers.js';

/** One work interval as found in the ride: its target range and average power in watts, how long it was held. */
export interface IntervalJson {
  targetLow: number;
  targetHigh: number;
  /** Null when the interval was not found in the ride. */
  avgPower: number | null;
  seconds: number;
}

/** A ride's match: the workout it executed (null for an extra ride), the workout's date, the verdict. */
export interface MatchJson {
  workoutId: string | null;
  date: string;
  status: WorkoutMatch['status'];
  intervals: IntervalJson[];
}

/** ✓ done, ◐ partial, ✗ missed, ↻ moved, + extra, · still planned. */
export const STATE_MARKS: Record<WorkoutState, string> = { planned: '·', done: '✓', partial: '◐', missed: '✗', moved: '↻', extra: '+' };

export function intervalsJson(intervals: readonly IntervalResult[]): IntervalJson[] {
  return intervals.map((i) => ({ targetLow: i.targetLow, targetHigh: i.targetHigh, avgPower: i.avgPower, seconds: Math.round(i.seconds) }));
}

export function matchJson(m: WorkoutMatch): MatchJson {
  return { workoutId: m.workoutKey, date: m.date, status: m.status, intervals: intervalsJson(m.intervals) };
}

/** "3/3 intervals on target: 241 · 243 · 236 W (target 233–246 W)"; '' for a workout without work intervals. */
export function intervalsText(intervals: readonly IntervalResult[]): string {
  if (intervals.length === 0) return '';
  const hit = intervals.filter((i) => i.verdict === 'hit').length;
  const ranges = new Set(intervals.map((i) => `${i.targetLow}–${i.targetHigh}`));
  const watts = (i: IntervalResult) => (i.avgPower === null ? '–' : String(i.avgPower));
  const found =
    ranges.size === 1
      ? `${intervals.map(watts).join(' · ')} W (target ${[...ranges][0]} W)`
      : intervals.map((i) => `${watts(i)} W (${i.targetLow}–${i.targetHigh})`).join(' · ');
  return `${hit}/${intervals.length} intervals on target: ${found}`;
}

/** "64 of 66 TSS, 74 of 75 min": the session, done against planned. */
function sessionText(m: WorkoutMatch): string {
  const s = m.session;
  return `${round(s.doneTss)} of ${round(s.plannedTss)} TSS, ${round(s.doneMinutes)} of ${round(s.plannedMinutes)} min`;
}

/** One readable line per matched ride: "✓ Tue 2026-05-05 · Sweet spot 3×10: done — 3/3 intervals …; 64 of 66 TSS, …". */
export function matchLine(m: WorkoutMatch): string {
  const day = (date: string) => `${WEEKDAY_LABELS[weekdayOf(date)]} ${date}`;
  if (m.status === 'extra' || m.workoutKey === null)
    return `${STATE_MARKS.extra} ${day(m.rideDate)} · extra ride (not in the plan): ${round(m.session.doneTss)} TSS, ${round(m.session.doneMinutes)} min`;
  const ridden = m.rideDate !== m.date ? ` (ridden ${WEEKDAY_LABELS[weekdayOf(m.rideDate)]})` : '';
  const intervals = intervalsText(m.intervals);
  return `${STATE_MARKS[m.status]} ${day(m.date)} · ${m.workoutName ?? 'planned workout'}: ${m.status}${ridden} — ${intervals ? `${intervals}; ` : ''}${sessionText(m)}`;
}
