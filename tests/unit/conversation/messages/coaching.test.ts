/**
 * The words after an upload's rides were compared with the plan: a line per ride (done, partly
 * done, a fading set, a skipped repeat, no intervals, an extra ride, ridden on another day), many
 * rides in one message, and how the plan changed.
 */
import { describe, expect, it } from 'vitest';
import { complianceLine, complianceReplies, planChangedText } from '../../../../src/conversation/messages/coaching.js';
import type { IntervalResult, WorkoutMatch } from '../../../../src/domain/coaching/types.js';
import { targetRange } from '../../../../src/domain/coaching/work-intervals.js';

const FTP = 250;

/** A work interval planned at `percent` % FTP for `plannedSeconds`, ridden at `ridden` % FTP (null: not found). */
function interval(
  index: number,
  percent: number,
  ridden: number | null,
  verdict: IntervalResult['verdict'],
  seconds = 600,
): IntervalResult {
  const range = targetRange(percent);
  return {
    index,
    percentFtp: percent,
    targetLowPercent: range.low,
    targetHighPercent: range.high,
    targetLow: Math.round((range.low * FTP) / 100),
    targetHigh: Math.round((range.high * FTP) / 100),
    plannedSeconds: 600,
    startSeconds: ridden === null ? null : 900 + index * 900,
    seconds: ridden === null ? 0 : seconds,
    avgPower: ridden === null ? null : Math.round((ridden * FTP) / 100),
    avgPercentFtp: ridden,
    verdict,
  };
}

/** Tuesday 2026-03-10's Sweet spot 3×10 (66 TSS planned), ridden as given. */
function sweetSpot(intervals: IntervalResult[], doneTss: number, overrides: Partial<WorkoutMatch> = {}): WorkoutMatch {
  return {
    activityId: 'a1',
    workoutKey: '2026-03-10#0',
    date: '2026-03-10',
    rideDate: '2026-03-10',
    status: 'done',
    workoutName: 'Sweet spot 3×10',
    ftp: FTP,
    session: { plannedMinutes: 65, doneMinutes: 66, plannedTss: 66, doneTss, plannedIf: 0.78, doneIf: 0.78 },
    intervals,
    ...overrides,
  };
}

function extra(activityId: string, date: string, tss: number): WorkoutMatch {
  return {
    activityId,
    workoutKey: null,
    date,
    rideDate: date,
    status: 'extra',
    workoutName: null,
    ftp: FTP,
    session: { plannedMinutes: 0, doneMinutes: 150, plannedTss: 0, doneTss: tss, plannedIf: 0, doneIf: 0.75 },
    intervals: [],
  };
}

const hit = (index: number, ridden: number) => interval(index, 90, ridden, 'hit');

describe('complianceLine', () => {
  it('a set done as planned: the day, the workout, every interval against its target, the TSS', () => {
    expect(complianceLine(sweetSpot([hit(0, 91), hit(1, 92), hit(2, 89)], 65.6))).toBe(
      'Tuesday · Sweet spot 3×10: done — 3/3 intervals, 91 / 92 / 89 % FTP (target 88–93 %), 66 of 66 TSS.',
    );
  });

  it('a fading set is said plainly and kindly', () => {
    const line = complianceLine(
      sweetSpot([hit(0, 90), interval(1, 90, 85, 'under'), interval(2, 90, 84, 'under')], 61, { status: 'partial' }),
    );
    expect(line).toMatch(
      /^Tuesday · Sweet spot 3×10: partly done — 3\/3 intervals, 90 \/ 85 \/ 84 % FTP \(target 88–93 %\), 61 of 66 TSS\./,
    );
    expect(line).toContain('The last two faded to 84 %.');
    expect(line).toMatch(/what you rode still counts/);
  });

  it('an interval under target in the middle of a set is not a fade', () => {
    const line = complianceLine(sweetSpot([hit(0, 90), interval(1, 90, 85, 'under'), hit(2, 89)], 63));
    expect(line).toContain('The second was under target (85 %).');
    expect(line).not.toContain('faded');
  });

  it('a skipped repeat: how many of how many, and which was not ridden', () => {
    const line = complianceLine(sweetSpot([hit(0, 91), hit(1, 92), interval(2, 90, null, 'missed')], 50, { status: 'partial' }));
    expect(line).toContain('— 2 of 3 intervals: the third was not ridden. 91 / 92 % FTP (target 88–93 %), 50 of 66 TSS.');
  });

  it('no interval ridden, with power: said so, the TSS still counted', () => {
    const none = [0, 1, 2].map((i) => interval(i, 90, null, 'missed'));
    expect(complianceLine(sweetSpot(none, 45, { status: 'partial' }))).toBe(
      'Tuesday · Sweet spot 3×10: partly done — none of the three intervals were ridden, 45 of 66 TSS.',
    );
    const noPower = sweetSpot(none, 40, { status: 'partial', session: { ...sweetSpot([], 40).session, doneIf: null } });
    expect(complianceLine(noPower)).toContain('no power in this ride, so the intervals could not be judged');
  });

  it('a cut-short and an over-target interval are named with their figures', () => {
    const line = complianceLine(sweetSpot([interval(0, 90, 97, 'over'), interval(1, 90, 90, 'short', 360), hit(2, 91)], 64));
    expect(line).toContain('The first was above target (97 %)');
    expect(line).toContain('The second was cut short (6 min of 10 min).');
  });

  it('intervals of two zones are shown per target range', () => {
    const mixed = [interval(0, 100, 101, 'hit'), interval(1, 100, 99, 'hit'), interval(2, 115, 114, 'hit')];
    expect(complianceLine(sweetSpot(mixed, 70, { workoutName: 'Threshold + VO2' }))).toContain(
      '3/3 intervals, 101 / 99 % FTP (target 94–105 %); 114 % FTP (target 106–120 %), 70 of 66 TSS.',
    );
  });

  it('a workout ridden the day after says so; a ride without work intervals compares time and TSS', () => {
    expect(complianceLine(sweetSpot([hit(0, 91), hit(1, 92), hit(2, 89)], 66, { rideDate: '2026-03-11' }))).toMatch(
      /^Tuesday · Sweet spot 3×10 \(ridden Wednesday\): done — /,
    );
    const endurance = sweetSpot([], 98, {
      date: '2026-03-14',
      rideDate: '2026-03-14',
      workoutName: 'Endurance 2:00',
      session: { plannedMinutes: 120, doneMinutes: 115, plannedTss: 100, doneTss: 98, plannedIf: 0.67, doneIf: 0.68 },
    });
    expect(complianceLine(endurance)).toBe('Saturday · Endurance 2:00: done — 1:55 h of 2:00 h, 98 of 100 TSS.');
  });

  it('an extra ride: the day and the load it added', () => {
    expect(complianceLine(extra('x', '2026-03-14', 85.4))).toBe("Saturday's ride wasn't in the plan: 85 TSS extra.");
  });
});

describe('complianceReplies', () => {
  it('a message per ride, then the plan changes with the FTP note once', () => {
    const replies = complianceReplies({
      matches: [sweetSpot([hit(0, 91), hit(1, 92), hit(2, 89)], 66), extra('x', '2026-03-14', 85)],
      version: {
        changes: [
          { kind: 'lowered', text: "Sunday's Endurance 2:00 lowered to 1:30: Saturday's extra ride already brought the week's load." },
          { kind: 'ftp', text: 'FTP raised to 260 W: three sets above target.' },
        ],
      },
      ftpNote: 'FTP raised to 260 W: three sets above target.',
    });
    expect(replies.map((r) => r.text)).toEqual([
      'Tuesday · Sweet spot 3×10: done — 3/3 intervals, 91 / 92 / 89 % FTP (target 88–93 %), 66 of 66 TSS.',
      "Saturday's ride wasn't in the plan: 85 TSS extra.",
      [
        'Your plan changed:',
        "• Sunday's Endurance 2:00 lowered to 1:30: Saturday's extra ride already brought the week's load.",
        '• FTP raised to 260 W: three sets above target.',
      ].join('\n'),
    ]);
  });

  it('many rides: one message, three lines (planned rides first, the newest) and the rest counted', () => {
    const rides = [
      extra('e1', '2026-03-09', 40),
      sweetSpot([hit(0, 91), hit(1, 92), hit(2, 89)], 66, { activityId: 's1' }),
      extra('e2', '2026-03-12', 50),
      extra('e3', '2026-03-13', 60),
      extra('e4', '2026-03-14', 70),
    ];
    const replies = complianceReplies({ matches: rides, version: null, ftpNote: null });
    expect(replies).toHaveLength(1);
    const lines = replies[0]!.text.split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^Tuesday · Sweet spot 3×10: done/),
      "Friday's ride wasn't in the plan: 60 TSS extra.",
      "Saturday's ride wasn't in the plan: 70 TSS extra.",
      '…and 2 more rides compared with your plan: /plan shows the week.',
    ]);
  });

  it('nothing matched: nothing said; only an FTP suggestion: the suggestion alone', () => {
    expect(complianceReplies({ matches: [], version: null, ftpNote: null })).toEqual([]);
    expect(planChangedText(null, 'Your last sets were below target: an FTP test would tell.')).toBe(
      'Your last sets were below target: an FTP test would tell.',
    );
    expect(planChangedText([{ kind: 'eased', text: 'Eased.' }], 'A test would tell.')).toBe(
      'Your plan changed:\n• Eased.\nFTP: A test would tell.',
    );
  });
});

describe('a set judged against its range in watts', () => {
  it('shows a tenth where a whole % would put an under or over set inside its range', () => {
    // 297 W at FTP 250 is 118.8 %: under 119–150 % (Anaerobic 5×2 at 121 %), not "119 %"
    const under = { ...interval(3, 121, 119, 'under'), avgPower: 297 };
    const line = complianceLine(
      sweetSpot([interval(0, 121, 121, 'hit'), interval(1, 121, 122, 'hit'), interval(2, 121, 120, 'hit'), under], 100),
    );
    expect(line).toContain('121 / 122 / 120 / 118.8 % FTP (target 119–150 %)');
    expect(line).toContain('The fourth faded to 118.8 %.');
    // well outside its range, a whole % is enough
    const faded = complianceLine(sweetSpot([interval(0, 90, 91, 'hit'), interval(1, 90, 84, 'under'), interval(2, 90, 84, 'under')], 60));
    expect(faded).toContain('91 / 84 / 84 % FTP');
  });

  it('counts beyond ten as 11th, 12th', () => {
    const sprints = Array.from({ length: 12 }, (_, i) => interval(i, 200, i === 10 || i === 11 ? 140 : 200, i >= 10 ? 'under' : 'hit', 15));
    expect(complianceLine(sweetSpot(sprints, 60))).toMatch(/11th and 12th|last two/);
  });
});
