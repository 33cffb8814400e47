import { describe, expect, it } from 'vitest';
import { complianceSummary, type ComplianceInput } from '../../../../src/domain/coaching/compliance-summary.js';
import { workoutStatuses } from '../../../../src/domain/coaching/plan-state.js';
import type { PlanVersion, WorkoutMatch } from '../../../../src/domain/coaching/types.js';
import type { Plan } from '../../../../src/domain/plan/types.js';
import { compliancePlan, match, version } from '../../../support/compliance-fixture.js';

// Plan weeks from Monday 2 March 2026: Sweet spot on Tuesdays, Threshold on Thursdays, Endurance on Saturdays.
const PLAN = compliancePlan('2026-03-02', 4);
const TODAY = '2026-03-18'; // Wednesday of week 3
const ZONE = 'Europe/Berlin';

const MATCHES: WorkoutMatch[] = [
  match({ activityId: 'a1', date: '2026-03-03', status: 'done', doneTss: 58.4, verdicts: ['hit', 'hit', 'hit'] }),
  match({ activityId: 'a2', date: '2026-03-05', status: 'partial', doneTss: 50.2, verdicts: ['hit', 'under'] }),
  // Saturday 7 March: missed
  match({ activityId: 'a3', date: '2026-03-08', status: 'extra', doneTss: 40 }),
  match({ activityId: 'a4', date: '2026-03-10', status: 'done', doneTss: 61, verdicts: ['hit', 'hit', 'under'] }),
  match({ activityId: 'a5', date: '2026-03-12', status: 'done', doneTss: 72, verdicts: ['hit', 'over'] }),
  match({ activityId: 'a6', date: '2026-03-14', status: 'done', doneTss: 95 }),
  match({ activityId: 'a7', date: '2026-03-17', status: 'partial', doneTss: 45, verdicts: ['hit', 'short', 'missed'] }),
  // in week 4, after today: not counted
  match({ activityId: 'a8', date: '2026-03-25', status: 'extra', doneTss: 30 }),
  // matched to a workout of an older plan (its key is not in the current one): an extra ride, as /plan shows it
  { ...match({ activityId: 'a9', date: '2026-03-11', status: 'done', doneTss: 33, verdicts: ['under'] }), workoutKey: '2026-02-24#0' },
];

const VERSIONS: PlanVersion[] = [
  version(1, PLAN, '2026-03-01T10:00:00Z', 'New analysis', [{ kind: 'new-plan', text: 'A new plan of 4 weeks from 2 Mar.' }]),
  version(2, PLAN, '2026-03-08T23:30:00Z', "Missed Saturday's endurance ride", [
    { kind: 'lowered', text: "Week 2's target lowered to 200 TSS: Saturday's ride was missed." },
  ]),
  version(3, PLAN, '2026-03-16T07:00:00Z', 'Ill (message)', [
    { kind: 'eased', text: 'Tuesday eased to an endurance ride: you said you are ill.' },
    { kind: 'eased', text: 'Thursday eased to a recovery spin.' },
  ]),
];

function summary(overrides: Partial<ComplianceInput> = {}) {
  const input = { versions: VERSIONS, matches: MATCHES, today: TODAY, timeZone: ZONE, ...overrides };
  const current = input.versions.at(-1);
  const statuses = current ? workoutStatuses(current.plan, input.matches, input.today) : [];
  return complianceSummary({ statuses, ...input });
}

describe('complianceSummary', () => {
  it('is null without a current plan, or with a plan of no weeks', () => {
    expect(summary({ versions: [] })).toBeNull();
    expect(summary({ versions: [version(1, { weeks: [] }, '2026-03-01T10:00:00Z', 'New analysis', [])] })).toBeNull();
  });

  it('lists the plan weeks up to the one holding today, with planned and done TSS (matched and extra rides)', () => {
    const s = summary()!;
    expect(s.planVersion).toBe(3);
    expect(s.planStart).toBe('2026-03-02');
    expect(s.weeks.map((w) => w.week)).toEqual([1, 2, 3]);
    expect(s.weeks.map((w) => w.start)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    expect(s.weeks.map((w) => w.current)).toEqual([false, false, true]);
    // planned: the plan's weekly TSS; to date: the whole week once over, Tuesday's 60 in the week in progress
    expect(s.weeks.map((w) => w.plannedTss)).toEqual([PLAN.weeks[0]!.plannedTss, PLAN.weeks[1]!.plannedTss, PLAN.weeks[2]!.plannedTss]);
    expect(s.weeks.map((w) => w.plannedToDateTss)).toEqual([60 + 70 + 90, 60 + 70 + 90, 60]);
    // done: week 1 rides a1, a2 and the extra a3; week 2 a4–a6 and a9 (matched to a key the plan lost: extra); week 3 a7
    expect(s.weeks.map((w) => w.doneTss)).toEqual([Math.round(58.4 + 50.2 + 40), 61 + 72 + 95 + 33, 45]);
    expect(s.weeks.map((w) => w.extraTss)).toEqual([40, 33, 0]);
    expect(s.weeks.map((w) => w.rides)).toEqual([3, 4, 1]);
    expect(s.matchedRides).toBe(8);
  });

  it('counts the workouts due so far by state, and the extra rides', () => {
    // due: the 7 workouts from 3 to 17 March; Thursday 19 March is still to come
    expect(summary()!.sessions).toEqual({ planned: 7, done: 4, partial: 2, missed: 1, extra: 2 });
  });

  it('rates the work intervals on target over the matched sessions, per workout type in library order', () => {
    const { intervals } = summary()!;
    // sweet spot: a1 3/3, a4 2/3, a7 1/3; threshold: a2 1/2, a5 1/2; a9 (extra) and the endurance ride have none counted
    expect(intervals.byType).toEqual([
      { type: 'sweetspot', hit: 6, total: 9, percent: Math.round((6 / 9) * 100) },
      { type: 'threshold', hit: 2, total: 4, percent: 50 },
    ]);
    expect(intervals).toMatchObject({ hit: 8, total: 13, percent: Math.round((8 / 13) * 100) });
  });

  it('lists the adaptations after the version that made the plan, newest first, dated in the athlete zone', () => {
    const { adaptations } = summary()!;
    expect(adaptations).toEqual([
      {
        version: 3,
        date: '2026-03-16',
        reason: 'Ill (message)',
        changes: ['Tuesday eased to an endurance ride: you said you are ill.', 'Thursday eased to a recovery spin.'],
      },
      // 23:30 UTC on 8 March is past midnight in Berlin
      { version: 2, date: '2026-03-09', reason: "Missed Saturday's endurance ride", changes: [VERSIONS[1]!.changes[0]!.text] },
    ]);
    expect(summary({ timeZone: 'UTC' })!.adaptations[1]!.date).toBe('2026-03-08');
  });

  it('starts the adaptations afresh when a new analysis made a new plan', () => {
    const versions = [
      ...VERSIONS,
      version(4, PLAN, '2026-03-17T08:00:00Z', 'New analysis', [{ kind: 'new-plan', text: 'A new plan.' }]),
      version(5, PLAN, '2026-03-18T08:00:00Z', 'Less time this week', [{ kind: 'less-time', text: 'Saturday shortened to 90 min.' }]),
    ];
    expect(summary({ versions })!.adaptations.map((a) => a.version)).toEqual([5]);
    expect(summary({ versions: versions.slice(0, 4) })!.adaptations).toEqual([]);
    expect(summary({ versions: VERSIONS.slice(0, 1) })!.adaptations).toEqual([]);
  });

  it('counts a matched ride in the week its workout is in now (found by key), not where it was planned first', () => {
    // the current plan moved Thursday 12 March's workout, key and all, to Monday 16 March
    const moved: Plan = structuredClone(PLAN);
    const thursday = moved.weeks[1]!.days[3]!;
    const workout = thursday.workouts.pop()!;
    moved.weeks[2]!.days[0]!.workouts.push({ ...workout, movedFrom: thursday.date });
    moved.weeks[1]!.plannedTss -= workout.tss;
    moved.weeks[2]!.plannedTss += workout.tss;
    const s = summary({ versions: [version(1, moved, '2026-03-01T10:00:00Z', 'New analysis', [])] })!;
    expect(s.weeks.map((w) => w.doneTss)).toEqual([Math.round(58.4 + 50.2 + 40), 61 + 95 + 33, 45 + 72]);
    expect(s.weeks[2]!.plannedToDateTss).toBe(workout.tss + 60);
  });

  it('before the plan starts: no weeks, nothing counted', () => {
    const s = summary({ today: '2026-03-01' })!;
    expect(s.weeks).toEqual([]);
    expect(s.matchedRides).toBe(0);
    expect(s.sessions).toEqual({ planned: 0, done: 0, partial: 0, missed: 0, extra: 0 });
    expect(s.intervals).toEqual({ hit: 0, total: 0, percent: null, byType: [] });
  });

  it('on the first Monday with no rides: one week in progress, nothing planned or done yet', () => {
    const s = summary({ today: '2026-03-02', matches: [] })!;
    expect(s.weeks).toEqual([
      { week: 1, start: '2026-03-02', plannedTss: 220, plannedToDateTss: 0, doneTss: 0, extraTss: 0, rides: 0, current: true },
    ]);
    expect(s.matchedRides).toBe(0);
  });
});
