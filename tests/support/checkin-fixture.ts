/**
 * A check-in's figures as checkin-review.ts makes them, built by hand for the words' tests: sent on
 * Monday 2026-03-09 on the compliance fixture's plan (from Monday 2 March) — last week the Tuesday
 * sweet spot done, Thursday's threshold missed, Saturday's ride partly done and one extra ride on
 * Sunday; one change since the last check-in.
 */
import type { CheckinReview } from '../../src/conversation/checkin-review.js';
import { checkinWeeks } from '../../src/domain/checkin-schedule.js';
import { workoutStatuses } from '../../src/domain/coaching/plan-state.js';
import { compliancePlan, match } from './compliance-fixture.js';

const TODAY = '2026-03-09';
export const FIXTURE_PLAN = compliancePlan('2026-03-02', 2);
const statuses = workoutStatuses(
  FIXTURE_PLAN,
  [
    match({ activityId: 'r1', date: '2026-03-03', status: 'done', doneTss: 61 }),
    match({ activityId: 'r2', date: '2026-03-07', status: 'partial', doneTss: 70 }),
    match({ activityId: 'r3', date: '2026-03-08', status: 'extra', doneTss: 40 }),
  ],
  TODAY,
);

export function checkinReviewFixture(overrides: Partial<CheckinReview> = {}): CheckinReview {
  const { last, coming } = checkinWeeks(TODAY);
  const of = (from: string, to: string) => statuses.filter((s) => s.date >= from && s.date <= to);
  const planned = of(last.from, last.to).filter((s) => s.state !== 'extra');
  return {
    name: 'Anna',
    today: TODAY,
    hasPlan: true,
    last: {
      ...last,
      planned: { sessions: planned.length, hours: planned.reduce((s, w) => s + w.durationMinutes / 60, 0), tss: 220 },
      done: { sessions: 2, hours: 3.46, tss: 171.4 },
      partial: 1,
      missed: planned.filter((s) => s.state === 'missed'),
      ahead: 0,
      extra: 1,
      rides: 3,
    },
    form: { ctl: 41.26, atl: 48.04, tsb: -6.78 },
    coming: {
      ...coming,
      week: FIXTURE_PLAN.weeks[1]!,
      statuses: of(coming.from, coming.to),
      planned: { sessions: 3, hours: 3.92, tss: 220 },
    },
    changes: [{ version: 2, reason: 'Missed Thursday', texts: ["Thursday's Threshold 2×10 is dropped: missed."] }],
    ...overrides,
  };
}
