/**
 * The workouts adaptations took out of the plan: back on their days in the workout states — a
 * missed key session dropped stays ✗ missed, a session eased away while ill is ↻ adjusted — and
 * in /plan's week.
 */
import { describe, expect, it } from 'vitest';
import { trackedWeekText } from '../../../../src/conversation/messages/plan.js';
import { droppedWorkouts, workoutStatuses } from '../../../../src/domain/coaching/plan-state.js';
import type { Plan } from '../../../../src/domain/plan/types.js';
import { compliancePlan, version } from '../../../support/compliance-fixture.js';

/** The plan without the workout of `date`. */
function without(plan: Plan, date: string): Plan {
  return {
    ...plan,
    weeks: plan.weeks.map((w) => ({ ...w, days: w.days.map((d) => (d.date === date ? { ...d, workouts: [] } : d)) })),
  };
}

describe('droppedWorkouts', () => {
  const plan = compliancePlan('2026-03-02', 2);
  const tuesday = {
    kind: 'dropped' as const,
    date: '2026-03-10',
    workoutKey: '2026-03-10#0',
    text: "Tuesday's Sweet spot 3×10 dropped: rest while you are ill.",
  };
  const v1 = version(1, plan, '2026-03-01T09:00:00Z', 'New analysis', [{ kind: 'new-plan', text: 'A new plan.' }]);
  const v2 = version(2, without(plan, '2026-03-10'), '2026-03-09T09:00:00Z', 'Ill (3 days)', [tuesday]);

  it('a workout a later version took out, on its day; none before any adaptation', () => {
    expect(droppedWorkouts([v1])).toEqual([]);
    expect(droppedWorkouts([v1, v2])).toMatchObject([{ date: '2026-03-10', week: 2, missed: false, text: tuesday.text }]);
    expect(droppedWorkouts([v1, v2])[0]!.workout.key).toBe('2026-03-10#0');
    // still shown after a further adaptation that changed something else
    const v3 = version(3, v2.plan, '2026-03-11T09:00:00Z', 'Extra ride', [
      { kind: 'lowered', date: '2026-03-14', workoutKey: '2026-03-14#0', text: 'Lowered.' },
    ]);
    expect(droppedWorkouts([v1, v2, v3])).toMatchObject([{ date: '2026-03-10', text: tuesday.text }]);
    const statuses = workoutStatuses(v3.plan, [], '2026-03-09', droppedWorkouts([v1, v2, v3]));
    expect(statuses.find((s) => s.key === '2026-03-10#0')).toMatchObject({ state: 'moved', note: tuesday.text });
    const week = trackedWeekText(v3.plan.weeks[1]!, statuses);
    expect(week).toContain(`Tue 03-10: ↻ ${tuesday.text}`);
    expect(week).not.toContain('Tue 03-10: rest');
  });

  it('a missed key session dropped stays missed on its day (✗), in the states and the week', () => {
    const missed = {
      ...tuesday,
      missed: true,
      text: "Tuesday's Sweet spot 3×10 dropped: you missed it and no free day this week keeps the plan rules.",
    };
    const v2m = version(2, without(plan, '2026-03-10'), '2026-03-11T09:00:00Z', 'Missed', [missed]);
    const statuses = workoutStatuses(v2m.plan, [], '2026-03-11', droppedWorkouts([v1, v2m]));
    expect(statuses.find((s) => s.key === '2026-03-10#0')).toMatchObject({ state: 'missed', name: 'Sweet spot 3×10', note: missed.text });
    expect(trackedWeekText(v2m.plan.weeks[1]!, statuses)).toContain(`Tue 03-10: ✗ ${missed.text}`);
  });

  it('a new plan after the drop starts afresh; a workout back in the plan is not dropped', () => {
    const v3 = version(3, plan, '2026-03-12T09:00:00Z', 'New analysis', [{ kind: 'new-plan', text: 'A new plan.' }]);
    expect(droppedWorkouts([v1, v2, v3])).toEqual([]);
    const back = version(3, plan, '2026-03-12T09:00:00Z', 'Feeling better', [{ kind: 'moved', text: 'Back.' }]);
    expect(droppedWorkouts([v1, v2, back])).toEqual([]);
  });
});
