/**
 * holdRamp: after load is taken out of a week, the weeks after it are lowered just enough that the
 * plan keeps its fitness ramp (CTL +5 at most in any 7 days) and its recovery weeks 30–50 % lighter.
 */
import { describe, expect, it } from 'vitest';
import { adaptContext, retotal } from '../../../../src/domain/coaching/adapt-draft.js';
import { holdRamp } from '../../../../src/domain/coaching/adapt-ramp.js';
import { withWorkoutKeys } from '../../../../src/domain/coaching/plan-keys.js';
import { generatePlan, validatePlan, type Plan, type PlanInput } from '../../../../src/domain/plan/index.js';

const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 10,
  trainingDays: ['tue', 'wed', 'thu', 'sat', 'sun'],
  planWeeks: 12,
  startDate: '2025-03-03',
  fitness: { ctl: 60, atl: 60 },
};
const generated = generatePlan(INPUT);
if (!generated.ok) throw new Error('the fixture plan must generate');

/** The plan with week `index`'s key sessions taken out (as if missed and dropped), and the Monday after it. */
function withoutKeySessions(index: number): { plan: Plan; today: string } {
  const plan = withWorkoutKeys(structuredClone(generated.ok ? generated.value : ({} as Plan)));
  const week = plan.weeks[index]!;
  for (const day of week.days) if (day.workouts.some((w) => w.intensity !== 'easy')) day.workouts = [];
  retotal(week);
  return { plan, today: plan.weeks[index + 1]!.days[0]!.date };
}

/** The first week whose missing key sessions break `code` later on. */
function breaking(code: string): { plan: Plan; today: string } {
  for (let index = 0; index < 10; index++) {
    const found = withoutKeySessions(index);
    if (validatePlan(found.plan, INPUT).some((v) => v.code === code)) return found;
  }
  throw new Error(`no week breaks ${code}`);
}

describe('holdRamp', () => {
  it('lowers the later weeks that would ramp fitness too fast, and only those days', () => {
    const { plan, today } = breaking('ramp-too-steep');
    const before = structuredClone(plan);
    const changes = holdRamp(plan, adaptContext(plan, INPUT, today, new Set(), false))!;
    expect(validatePlan(plan, INPUT)).toEqual([]);
    expect(changes.length).toBeGreaterThan(0);
    const current = plan.weeks.findIndex((w) => w.days[0]!.date === today);
    for (const c of changes) {
      if (c.date === undefined) {
        const summary =
          /^Weeks? ([\d, ]+) lowered by (\d+)(?:–(\d+))? TSS(?: each)? \((\d+) workouts? shortened or dropped\) so that fitness \(CTL\) rises by at most 5 in any 7 days and recovery weeks stay lighter\.$/.exec(
            c.text,
          );
        if (summary === null) {
          expect(c.text).toMatch(
            /^Week \d+'s target lowered from \d+ to \d+ TSS: a recovery week stays at least 30 % lighter than the week before\.$/,
          );
          continue;
        }
        // the weeks summed up are the later ones, each lowered by what the summary says
        const weeks = summary[1]!.split(', ').map(Number);
        const drops = weeks.map((n) => Math.round(before.weeks[n - 1]!.plannedTss - plan.weeks[n - 1]!.plannedTss));
        expect(weeks.every((n) => n - 1 > current + 1)).toBe(true);
        expect([Math.min(...drops), Math.max(...drops)]).toEqual([Number(summary[2]), Number(summary[3] ?? summary[2])]);
        continue;
      }
      expect(c.date >= today).toBe(true);
      expect(c.date < plan.weeks[current + 2]!.days[0]!.date).toBe(true);
      expect(c.text).toMatch(
        /^\w+day's .+: week \d+ (lowered so that fitness \(CTL\) rises by at most 5 in any 7 days|is a recovery week and stays at least 30 % lighter than the week before)\.$/,
      );
    }
    expect(changes.some((c) => c.text.includes('fitness (CTL)'))).toBe(true);
    // the weeks after next are summed up in one change
    expect(changes.filter((c) => / lowered by \d/.test(c.text))).toHaveLength(1);
    const past = (p: Plan) => p.weeks.flatMap((w) => w.days).filter((d) => d.date < today);
    expect(past(plan)).toEqual(past(before));
    const tss = (p: Plan) => p.weeks.reduce((s, w) => s + w.plannedTss, 0);
    expect(tss(plan)).toBeLessThan(tss(before));
  });

  it('keeps a recovery week lighter than a lowered week before it', () => {
    const { plan, today } = breaking('recovery-not-lighter');
    const changes = holdRamp(plan, adaptContext(plan, INPUT, today, new Set(), false))!;
    expect(validatePlan(plan, INPUT)).toEqual([]);
    expect(changes.some((c) => c.text.includes('recovery week'))).toBe(true);
  });

  it('changes nothing in a plan that keeps its rules', () => {
    const plan = withWorkoutKeys(structuredClone(generated.ok ? generated.value : ({} as Plan)));
    const before = structuredClone(plan);
    expect(holdRamp(plan, adaptContext(plan, INPUT, '2025-03-17', new Set(), false))).toEqual([]);
    expect(plan).toEqual(before);
  });

  it('gives up (null) when nothing it may change is left: ridden workouts stay', () => {
    const { plan, today } = breaking('ramp-too-steep');
    const all = new Set(plan.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts.map((x) => x.key!))));
    expect(holdRamp(plan, adaptContext(plan, INPUT, today, all, false))).toBeNull();
  });
});
