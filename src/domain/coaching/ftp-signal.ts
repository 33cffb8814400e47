/**
 * What the interval results say about FTP. Only sessions judged at the current FTP count (a raise
 * is not raised again by the sessions that caused it).
 * - Raise: an eFTP breakthrough (eFTP more than 3 % above FTP: FTP becomes the eFTP), or the last
 *   3 sessions with work at threshold or above each held 2 or more of those sets above their target
 *   range (FTP + 3 %, or the eFTP when higher), rounded to the watt.
 * - Lower or test: the last 3 structured sessions each had most of their sets found under target —
 *   a lower FTP when the eFTP is more than 3 % below it, else an FTP test.
 */
import type { IntervalResult, WorkoutMatch } from './types.js';

export type FtpSignal = { kind: 'raise'; ftp: number; text: string } | { kind: 'lower' | 'test'; text: string };

/** Lowest target % FTP of threshold work. */
const THRESHOLD_LOW_PERCENT = 94;
const SESSIONS = 3;
const MIN_OVER_SETS = 2;
const BREAKTHROUGH = 1.03;
const RAISE = 1.03;

const isThresholdPlus = (i: IntervalResult): boolean => i.targetLowPercent >= THRESHOLD_LOW_PERCENT;

/** Structured sessions judged at `ftp`, latest first. */
function sessions(matches: readonly WorkoutMatch[], ftp: number): WorkoutMatch[] {
  return matches
    .filter((m) => m.status !== 'extra' && m.intervals.length > 0 && m.ftp === ftp)
    .sort((a, b) => (a.rideDate !== b.rideDate ? (a.rideDate < b.rideDate ? 1 : -1) : a.activityId < b.activityId ? 1 : -1));
}

function mostlyUnder(m: WorkoutMatch): boolean {
  const found = m.intervals.filter((i) => i.verdict !== 'missed');
  return found.length > 0 && found.filter((i) => i.verdict === 'under').length * 2 > found.length;
}

function raiseFromSets(list: readonly WorkoutMatch[], ftp: number, eftp: number | null): FtpSignal | null {
  const recent = list.filter((m) => m.intervals.some(isThresholdPlus)).slice(0, SESSIONS);
  const over = recent.map((m) => m.intervals.filter((i) => isThresholdPlus(i) && i.verdict === 'over').length);
  if (recent.length < SESSIONS || over.some((n) => n < MIN_OVER_SETS)) return null;
  const next = Math.round(Math.max(ftp * RAISE, eftp ?? 0));
  return {
    kind: 'raise',
    ftp: next,
    text: `Your last ${SESSIONS} sessions at threshold and above were over target (${over.join(', ')} sets above the range): FTP raised from ${ftp} W to ${next} W.`,
  };
}

/** The FTP signal of the recent sessions and the eFTP, or null when they say nothing new. */
export function ftpSignal(matches: readonly WorkoutMatch[], ftp: number, eftp: number | null): FtpSignal | null {
  if (eftp !== null && eftp > ftp * BREAKTHROUGH) {
    const next = Math.round(eftp);
    const above = Math.round((eftp / ftp - 1) * 100);
    return {
      kind: 'raise',
      ftp: next,
      text: `Your estimated FTP (eFTP) is ${next} W, ${above} % above your FTP of ${ftp} W: FTP raised to ${next} W.`,
    };
  }
  const list = sessions(matches, ftp);
  const raise = raiseFromSets(list, ftp, eftp);
  if (raise !== null) return raise;
  const recent = list.slice(0, SESSIONS);
  if (recent.length < SESSIONS || !recent.every(mostlyUnder)) return null;
  const lead = `Your last ${SESSIONS} interval sessions had most sets under target`;
  if (eftp !== null && eftp < ftp * (2 - BREAKTHROUGH)) {
    return {
      kind: 'lower',
      text: `${lead}, and your estimated FTP (eFTP) is ${Math.round(eftp)} W: consider lowering FTP from ${ftp} W to ${Math.round(eftp)} W.`,
    };
  }
  return { kind: 'test', text: `${lead}: an FTP test would check whether ${ftp} W is still right.` };
}
