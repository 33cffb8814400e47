/**
 * /plan on the athlete's current plan: each workout of the week marked by its state (from
 * `workoutStatuses`), extra rides on their days, what is next, the version, and /plan history.
 */
import { describe, expect, it } from 'vitest';
import {
  nextWorkoutText,
  noSuchWeekText,
  planHistoryText,
  trackedPlanText,
  trackedWeekText,
} from '../../../../src/conversation/messages/plan.js';
import { workoutStatuses } from '../../../../src/domain/coaching/plan-state.js';
import type { Plan } from '../../../../src/domain/plan/types.js';
import { compliancePlan, match, version } from '../../../support/compliance-fixture.js';

/** Two weeks from Monday 2026-03-02; in week 2 Thursday's Threshold moved to Friday and Saturday's ride lowered. */
function adaptedPlan(): Plan {
  const plan = compliancePlan('2026-03-02', 2);
  const days = plan.weeks[1]!.days;
  const threshold = days[3]!.workouts.pop()!;
  days[4]!.workouts.push({ ...threshold, movedFrom: '2026-03-12' });
  days[5]!.workouts[0] = { ...days[5]!.workouts[0]!, note: 'Lowered to 1:30: the extra ride on Wednesday brought the load.' };
  return plan;
}

const TODAY = '2026-03-12';
const matches = [
  match({
    activityId: 'r1',
    date: '2026-03-10',
    status: 'partial',
    doneTss: 52,
    verdicts: ['hit', 'under', 'under'],
    workoutName: 'Sweet spot 3×10',
  }),
  match({ activityId: 'r2', date: '2026-03-11', status: 'extra', doneTss: 85 }),
];

const lineOf = (text: string, prefix: string) => text.split('\n').find((l) => l.startsWith(prefix)) ?? '';

describe('trackedWeekText', () => {
  const plan = adaptedPlan();
  const statuses = workoutStatuses(plan, matches, TODAY);

  it('marks each workout by its state, with what was ridden, where it moved from and why it changed', () => {
    const text = trackedWeekText(plan.weeks[1]!, statuses);
    expect(text.split('\n')[0]).toMatch(/^Week 2 \(base\) — \d+ TSS, [\d.]+ h$/);
    expect(lineOf(text, 'Tue 03-10')).toBe(
      'Tue 03-10: ◐ Sweet spot 3×10 — 60 min, TSS 60, IF 0.80 (hard) · ridden: 52 TSS, 1/3 intervals on target',
    );
    expect(lineOf(text, 'Wed 03-11')).toBe('Wed 03-11: + ride not in the plan — 60 min, 85 TSS');
    expect(lineOf(text, 'Thu 03-12')).toBe('Thu 03-12: rest');
    expect(lineOf(text, 'Fri 03-13')).toMatch(/^Fri 03-13: ↻ Threshold 2×10 — 55 min, TSS 70, IF 0\.87 \(hard\) · moved from Thu 03-12$/);
    expect(lineOf(text, 'Sat 03-14')).toMatch(
      /^Sat 03-14: ↻ Endurance 2:00 — .* · Lowered to 1:30: the extra ride on Wednesday brought the load\.$/,
    );
    expect(text.split('\n').at(-1)).toMatch(/^✓ done · ◐ partly done · ✗ missed/);
  });

  it('a past week without rides: every workout missed; a done one ticked', () => {
    const week1 = trackedWeekText(plan.weeks[0]!, statuses);
    expect(week1.split('\n').filter((l) => /: ✗ /.test(l))).toHaveLength(3);
    const done = [match({ activityId: 'r3', date: '2026-03-03', status: 'done', doneTss: 61, verdicts: ['hit', 'hit', 'hit'] })];
    const ticked = trackedWeekText(plan.weeks[0]!, workoutStatuses(plan, done, TODAY));
    expect(lineOf(ticked, 'Tue 03-03')).toMatch(/^Tue 03-03: ✓ Sweet spot 3×10 .* · ridden: 61 TSS, 3\/3 intervals on target$/);
  });

  it('a week still all to ride has no marks and no legend', () => {
    const fresh = compliancePlan('2026-03-16', 1);
    const text = trackedWeekText(fresh.weeks[0]!, workoutStatuses(fresh, [], TODAY));
    expect(text).not.toMatch(/[✓◐✗↻+] /);
    expect(text).not.toContain('partly done');
  });
});

describe('nextWorkoutText and trackedPlanText', () => {
  const plan = adaptedPlan();
  const statuses = workoutStatuses(plan, matches, TODAY);

  it('the next workout is the first still to ride from today (a moved one counts)', () => {
    expect(nextWorkoutText(plan, statuses, TODAY)).toBe('Next: Friday 03-13 · Threshold 2×10 — 55 min, TSS 70, IF 0.87 (hard)');
    expect(nextWorkoutText(plan, statuses, '2026-03-13')).toMatch(/^Next: today · Threshold 2×10/);
    expect(nextWorkoutText(plan, statuses, '2026-03-15')).toBeNull();
  });

  it('the reply: the title, the week (the heading the summary uses), next, and the version when the plan changed', () => {
    const v3 = version(3, plan, '2026-03-11T23:30:00Z', 'Extra ride on Wednesday', []);
    const reply = trackedPlanText(v3, plan.weeks[1]!, statuses, { today: TODAY, timeZone: 'Europe/Berlin', title: 'This week' });
    expect(reply.title).toBe('This week');
    expect(reply.text).toMatch(/^Week 2 \(/);
    expect(reply.text).toContain('\n\nNext: Friday 03-13 · Threshold 2×10');
    // created just before midnight UTC: already the 12th in Berlin
    expect(reply.text.split('\n').at(-1)).toBe('Plan version 3, 2026-03-12: Extra ride on Wednesday. /plan history lists every change.');
    const v1 = version(1, plan, '2026-03-01T10:00:00Z', 'New analysis', []);
    expect(trackedPlanText(v1, plan.weeks[1]!, statuses, { today: TODAY, timeZone: 'UTC', title: 'Week 2' }).text).not.toContain(
      'Plan version',
    );
  });

  it('a week number beyond the plan', () => {
    expect(noSuchWeekText(9, 2).text).toBe('Your plan has weeks 1–2: there is no week 9.');
  });
});

describe('planHistoryText', () => {
  const plan = compliancePlan('2026-03-02', 2);
  const first = version(1, plan, '2026-03-01T09:00:00Z', 'New analysis', [{ kind: 'new-plan', text: 'A new plan of 2 weeks.' }]);

  it('the first version as "Plan made on", then every later one: date, reason, each change', () => {
    const moved = version(2, plan, '2026-03-05T20:00:00Z', "Missed Thursday's key session", [
      { kind: 'moved', text: "Thursday's Threshold 2×10 moved to Friday: missed on Thursday." },
    ]);
    const ill = version(3, plan, '2026-03-09T07:00:00Z', 'Ill (message)', [
      { kind: 'eased', text: "Tuesday's Sweet spot 3×10 eased to a recovery spin: ill." },
      { kind: 'eased', text: "Wednesday's ride dropped: ill." },
    ]);
    const reply = planHistoryText([first, moved, ill], 'Europe/Berlin');
    expect(reply.title).toBe('Plan history');
    expect(reply.text).toBe(
      [
        'Plan made on 2026-03-01 (New analysis).',
        '',
        "2026-03-05 · Missed Thursday's key session",
        "• Thursday's Threshold 2×10 moved to Friday: missed on Thursday.",
        '',
        '2026-03-09 · Ill (message)',
        "• Tuesday's Sweet spot 3×10 eased to a recovery spin: ill.",
        "• Wednesday's ride dropped: ill.",
      ].join('\n'),
    );
  });

  it('no change yet, no version at all, and a long history cut to the newest', () => {
    expect(planHistoryText([first], 'UTC').text).toBe('Plan made on 2026-03-01 (New analysis).\nNo changes since.');
    expect(planHistoryText([], 'UTC').text).toMatch(/no history yet/);
    const many = Array.from({ length: 30 }, (_, i) =>
      version(i + 2, plan, `2026-03-${String(2 + (i % 20)).padStart(2, '0')}T12:00:00Z`, `Change ${i + 2}`, []),
    );
    const text = planHistoryText([first, ...many], 'UTC').text;
    expect(text).toContain('… 19 earlier versions');
    expect(text).toContain('Change 31');
    expect(text).not.toContain('Change 20\n');
    expect(text.split('\n').filter((l) => l.includes(' · Change '))).toHaveLength(11);
  });
});
