/** ftpSignal: raise on an eFTP breakthrough or repeated sets over target, lower or test on repeated sets under. */
import { describe, expect, it } from 'vitest';
import { ftpSignal } from '../../../../src/domain/coaching/ftp-signal.js';
import type { IntervalResult, WorkoutMatch } from '../../../../src/domain/coaching/types.js';

const FTP = 250;

function interval(index: number, percent: number, low: number, high: number, verdict: IntervalResult['verdict']): IntervalResult {
  const avg = verdict === 'over' ? high + 3 : verdict === 'under' ? low - 4 : (low + high) / 2;
  return {
    index,
    percentFtp: percent,
    targetLowPercent: low,
    targetHighPercent: high,
    targetLow: Math.round((low * FTP) / 100),
    targetHigh: Math.round((high * FTP) / 100),
    plannedSeconds: 600,
    startSeconds: 900 + index * 900,
    seconds: 600,
    avgPower: Math.round((avg * FTP) / 100),
    avgPercentFtp: Math.round(avg),
    verdict,
  };
}

/** A session on `date` whose sets have the verdicts given, at threshold (94–105 %) or sweet spot (88–93 %). */
function session(
  date: string,
  verdicts: IntervalResult['verdict'][],
  zone: 'threshold' | 'sweetspot' = 'threshold',
  ftp = FTP,
): WorkoutMatch {
  const [p, low, high] = zone === 'threshold' ? [100, 94, 105] : [90, 88, 93];
  return {
    activityId: `a-${date}`,
    workoutKey: `${date}#0`,
    date,
    rideDate: date,
    status: 'done',
    workoutName: zone === 'threshold' ? 'Threshold 3×10' : 'Sweet spot 3×10',
    ftp,
    session: { plannedMinutes: 70, doneMinutes: 70, plannedTss: 70, doneTss: 72, plannedIf: 0.8, doneIf: 0.81 },
    intervals: verdicts.map((v, i) => interval(i, p, low, high, v)),
  };
}

describe('ftpSignal', () => {
  it('says nothing about sessions on target', () => {
    const matches = ['2025-03-04', '2025-03-06', '2025-03-08'].map((d) => session(d, ['hit', 'hit', 'over']));
    expect(ftpSignal(matches, FTP, 252)).toBeNull();
  });

  it('raises FTP by 3 % when the last 3 threshold sessions each held 2 or more sets over target', () => {
    const matches = ['2025-03-04', '2025-03-06', '2025-03-08'].map((d) => session(d, ['over', 'over', 'hit']));
    const signal = ftpSignal(matches, FTP, null);
    expect(signal).toMatchObject({ kind: 'raise', ftp: Math.round(FTP * 1.03) });
    expect(signal?.text).toContain('FTP raised from 250 W to 258 W');
  });

  it('raises to the eFTP when it is above 3 % more', () => {
    const matches = ['2025-03-04', '2025-03-06', '2025-03-08'].map((d) => session(d, ['over', 'over', 'over']));
    expect(ftpSignal(matches, FTP, 256.4)).toMatchObject({ kind: 'raise', ftp: 258 });
    expect(ftpSignal(matches, FTP, 262.6)).toMatchObject({ kind: 'raise', ftp: 263 });
  });

  it('needs 3 such sessions, only counts threshold-and-above sets and only sessions judged at this FTP', () => {
    const two = ['2025-03-06', '2025-03-08'].map((d) => session(d, ['over', 'over']));
    expect(ftpSignal(two, FTP, null)).toBeNull();
    const oneWeak = [...two, session('2025-03-09', ['over', 'hit', 'hit'])];
    expect(ftpSignal(oneWeak, FTP, null)).toBeNull();
    const sweetSpot = ['2025-03-04', '2025-03-06', '2025-03-08'].map((d) => session(d, ['over', 'over', 'over'], 'sweetspot'));
    expect(ftpSignal(sweetSpot, FTP, null)).toBeNull();
    const oldFtp = ['2025-03-04', '2025-03-06', '2025-03-08'].map((d) => session(d, ['over', 'over'], 'threshold', 240));
    expect(ftpSignal(oldFtp, FTP, null)).toBeNull();
  });

  it('looks at the latest sessions only', () => {
    const old = ['2025-02-04', '2025-02-06', '2025-02-08'].map((d) => session(d, ['over', 'over']));
    const recent = [session('2025-03-04', ['hit', 'hit'])];
    expect(ftpSignal([...old, ...recent], FTP, null)).toBeNull();
  });

  it('raises on an eFTP breakthrough alone', () => {
    const signal = ftpSignal([], FTP, 261);
    expect(signal).toMatchObject({ kind: 'raise', ftp: 261 });
    expect(signal?.text).toContain('4 % above your FTP of 250 W');
    expect(ftpSignal([], FTP, 257)).toBeNull();
  });

  it('suggests a test when the last 3 sessions had most sets under target, a lower FTP when the eFTP is lower', () => {
    const matches = ['2025-03-04', '2025-03-06', '2025-03-08'].map((d) => session(d, ['under', 'under', 'hit'], 'sweetspot'));
    expect(ftpSignal(matches, FTP, null)).toMatchObject({ kind: 'test' });
    expect(ftpSignal(matches, FTP, 249)).toMatchObject({ kind: 'test' });
    const lower = ftpSignal(matches, FTP, 238.4);
    expect(lower?.kind).toBe('lower');
    expect(lower?.text).toContain('from 250 W to 238 W');
    const mixed = [...matches.slice(0, 2), session('2025-03-09', ['under', 'hit', 'hit'])];
    expect(ftpSignal(mixed, FTP, null)).toBeNull();
  });
});
