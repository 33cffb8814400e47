/**
 * validatePlan on hand-made plans: a valid 4-week plan, then one broken rule per test, then many at
 * once. Plans are built from library workouts so that their numbers are consistent.
 */
import { describe, expect, it } from 'vitest';
import {
  formatViolations,
  maxRollingCtlRamp,
  parsePlanProposal,
  predictedPmc,
  toPlannedWorkout,
  validatePlan,
  workoutById,
  type Phase,
  type Plan,
  type PlanInput,
  type PlanViolation,
  type PlanWeek,
} from '../../../../src/domain/plan/index.js';
import { addDays, dayNumber, WEEKDAYS, type Weekday } from '../../../../src/domain/calendar.js';

/** CTL 40 → ramp cap 5: week k may target at most 7 × (40 + 5k) = 315, 350, 385, 420 TSS. */
const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 8,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 4,
  startDate: '2025-03-03',
  age: 30,
  fitness: { ctl: 40 },
};
const START = '2025-03-03';

type Days = Partial<Record<Weekday, string[]>>;

function totals(week: PlanWeek): void {
  const all = week.days.flatMap((d) => d.workouts);
  week.plannedTss = Math.round(all.reduce((s, w) => s + w.tss, 0) * 10) / 10;
  week.hours = Math.round((all.reduce((s, w) => s + w.durationMinutes, 0) / 60) * 100) / 100;
}

function makeWeek(week: number, phase: Phase, targetTss: number, days: Days): PlanWeek {
  const monday = addDays(START, 7 * (week - 1));
  const w: PlanWeek = {
    week,
    phase,
    targetTss,
    plannedTss: 0,
    hours: 0,
    days: WEEKDAYS.map((weekday, i) => ({
      date: addDays(monday, i),
      weekday,
      workouts: (days[weekday] ?? []).map((id) => toPlannedWorkout(workoutById(id)!)),
    })),
  };
  totals(w);
  return w;
}

/** A plan a coach would sign: 3 load weeks (TSS 323, 358, 363) then a recovery week (240, 34 % lighter). */
function validPlan(): Plan {
  return {
    startDate: START,
    weeks: [
      makeWeek(1, 'base', 315, { tue: ['threshold-2x15'], thu: ['sweetspot-3x10'], sat: ['endurance-90'], sun: ['endurance-150'] }),
      makeWeek(2, 'base', 350, { tue: ['threshold-2x20'], thu: ['sweetspot-2x20'], sat: ['endurance-spinups-90'], sun: ['endurance-165'] }),
      makeWeek(3, 'build', 385, {
        tue: ['vo2max-5x4'],
        thu: ['threshold-3x10'],
        sat: ['endurance-progressive-90'],
        sun: ['endurance-180'],
      }),
      makeWeek(4, 'recovery', 250, { tue: ['endurance-60'], thu: ['recovery-60'], sat: ['endurance-75'], sun: ['endurance-150'] }),
    ],
  };
}

function setDays(plan: Plan, week: number, days: Days, targetTss?: number): Plan {
  const w = plan.weeks[week - 1]!;
  plan.weeks[week - 1] = makeWeek(week, w.phase, targetTss ?? w.targetTss, {
    ...Object.fromEntries(w.days.map((d) => [d.weekday, d.workouts.map((x) => x.id!)])),
    ...days,
  });
  return plan;
}

const codes = (violations: readonly PlanViolation[]): string[] => [...new Set(violations.map((v) => v.code))].sort();

describe('validatePlan', () => {
  it('accepts the hand-made plan', () => {
    const plan = validPlan();
    expect(plan.weeks.map((w) => w.plannedTss)).toEqual([322.6, 358.2, 362.8, 239.5]);
    expect(validatePlan(plan, INPUT)).toEqual([]);
  });

  it('over hours: more riding than the athlete has', () => {
    // Week 1 is 6.17 h; an athlete with 6 h a week cannot ride it (nor weeks 2–4).
    const v = validatePlan(validPlan(), { ...INPUT, weeklyHours: 6 });
    expect(codes(v)).toEqual(['over-hours']);
    expect(v[0]!.message).toContain("Week 1 (2025-03-03 to 2025-03-09): 6.17 h planned, more than the athlete's 6.0 h");
    // And a hand-made week that grows past 8 h: a 6 h Sunday ride instead of 2:30.
    const plan = setDays(validPlan(), 1, { sun: ['endurance-360'] });
    expect(codes(validatePlan(plan, INPUT))).toContain('over-hours');
  });

  it('a workout on a day the athlete does not train', () => {
    const v = validatePlan(setDays(validPlan(), 1, { thu: [], wed: ['sweetspot-3x10'] }), INPUT);
    expect(codes(v)).toEqual(['non-training-day']);
    expect(v[0]!.message).toMatch(
      /^Week 1, Wed 2025-03-05: "Sweet spot 3×10" is on a day the athlete does not train \(training days: Tue, Thu, Sat, Sun\)/,
    );
    expect(v[0]).toMatchObject({ week: 1, date: '2025-03-05' });
  });

  it('no rest day in a week', () => {
    const everyDay: PlanInput = { ...INPUT, trainingDays: [...WEEKDAYS] };
    // 7 rides: three 30 min spins added, the Sunday ride shortened to keep the TSS in range.
    const plan = setDays(validPlan(), 1, {
      mon: ['recovery-30'],
      wed: ['recovery-spinups-30'],
      fri: ['recovery-30'],
      sun: ['endurance-105'],
    });
    expect(plan.weeks[0]!.plannedTss).toBeCloseTo(325.8, 1);
    const v = validatePlan(plan, everyDay);
    expect(codes(v)).toEqual(['no-rest-day']);
    expect(v[0]!.message).toContain('Week 1 (2025-03-03 to 2025-03-09) has no rest day');
  });

  it('4 hard days in a week', () => {
    const plan = setDays(validPlan(), 3, {
      mon: ['vo2max-5x3'],
      tue: ['endurance-45'],
      wed: ['threshold-2x10'],
      thu: [],
      fri: ['anaerobic-8x1'],
      sat: ['endurance-progressive-120'],
      sun: ['sprint-6x15s'],
    });
    const v = validatePlan(plan, { ...INPUT, trainingDays: [...WEEKDAYS] });
    expect(codes(v)).toEqual(['too-many-hard-days']);
    expect(v[0]!.message).toContain(
      'Week 3 (2025-03-17 to 2025-03-23) has 4 hard days (Mon 2025-03-17, Wed 2025-03-19, Fri 2025-03-21, Sun 2025-03-23); at most 3.',
    );
  });

  it('two hard days in a row, within a week and from Sunday to Monday', () => {
    const everyDay: PlanInput = { ...INPUT, trainingDays: [...WEEKDAYS] };
    // Within week 3: Tuesday VO2max, Wednesday threshold (moved from Thursday).
    const inWeek = validatePlan(setDays(validPlan(), 3, { thu: [], wed: ['threshold-3x10'] }), everyDay);
    expect(codes(inWeek)).toEqual(['consecutive-hard-days']);
    expect(inWeek[0]!.message).toBe(
      'Week 3, Tue 2025-03-18 and Week 3, Wed 2025-03-19 are both hard; put an easy or rest day between hard days.',
    );
    // Across weeks: threshold on Sunday of week 1, VO2max on Monday of week 2.
    let plan = setDays(validPlan(), 1, { sun: ['threshold-2x20-plus60'] });
    plan = setDays(plan, 2, { mon: ['vo2max-5x3'], thu: [] });
    const across = validatePlan(plan, everyDay);
    expect(codes(across)).toEqual(['consecutive-hard-days']);
    expect(across[0]!.message).toContain('Week 1, Sun 2025-03-09 and Week 2, Mon 2025-03-10 are both hard');
  });

  it('a ramp too steep: week 2 jumps to 485 TSS from CTL 40 (at most 7 × (40 + 2·5) = 350)', () => {
    const plan = setDays(
      validPlan(),
      2,
      { tue: ['threshold-2x20-plus60'], thu: ['sweetspot-2x20-plus30'], sat: ['endurance-spinups-120'], sun: ['endurance-210'] },
      480,
    );
    const v = validatePlan(plan, { ...INPUT, weeklyHours: 12 });
    expect(codes(v)).toEqual(['ramp-too-steep']);
    expect(v[0]!.message).toContain('week 2 may target at most 350 TSS (CTL +5 a week)');
  });

  it('a CTL ramp too steep over 7 days that straddle two calendar weeks, each week within the cap', () => {
    // Week 1 puts its load on the weekend (Sat + Sun, 324 TSS for a target of 315), week 2 on
    // Tuesday and Thursday (327 TSS for 350): every calendar week is within its target and raises CTL
    // by less than 2 (1.4, 0.6, 1.7, −1.3), but Friday of week 1 to Thursday of week 2 holds 651 TSS and raises CTL by more than 8.
    const plan = validPlan();
    plan.weeks[0] = makeWeek(1, 'base', 315, { sat: ['endurance-210'], sun: ['endurance-spinups-210'] });
    plan.weeks[1] = makeWeek(2, 'base', 350, { tue: ['threshold-2x20-plus90'], thu: ['sweetspot-3x20-plus90'] });
    const input: PlanInput = { ...INPUT, weeklyHours: 12 };
    const pmc = predictedPmc(plan, input.fitness);
    const sundays = [
      INPUT.fitness.ctl,
      ...pmc.filter((d) => d.date >= START && (dayNumber(d.date) - dayNumber(START)) % 7 === 6).map((d) => d.ctl),
    ];
    const calendarRamps = sundays.slice(1).map((ctl, i) => ctl - sundays[i]!);
    expect(Math.max(...calendarRamps)).toBeLessThan(2);
    const steepest = maxRollingCtlRamp(plan, input.fitness)!;
    expect(steepest).toMatchObject({ from: '2025-03-07', to: '2025-03-13' });
    expect(steepest.ramp).toBeGreaterThan(8);

    const v = validatePlan(plan, input);
    expect(codes(v)).toEqual(['ramp-too-steep']);
    expect(v).toHaveLength(1); // one per week holding the end of a window too steep, its steepest
    const week2 = v[0]!;
    expect(week2.week).toBe(2);
    expect(week2.date).toBe('2025-03-13');
    expect(week2.message).toBe(
      `Week 2 (2025-03-10 to 2025-03-16): fitness (CTL) rises by ${steepest.ramp.toFixed(2)} in the 7 days 2025-03-07 to 2025-03-13; it may rise by at most 5 in any 7 days (from CTL 40); lighten or spread the load of those days.`,
    );
  });

  it('the rolling CTL ramp limit is 3 below CTL 30, like the weekly ramp', () => {
    // The valid plan from CTL 25: weeks 2 and 3 each raise CTL by about 3.5 in 7 days.
    const low: PlanInput = { ...INPUT, fitness: { ctl: 25 } };
    expect(maxRollingCtlRamp(validPlan(), low.fitness)!.ramp).toBeGreaterThan(3);
    expect(validatePlan(validPlan(), low).filter((x) => x.code === 'ramp-too-steep' && x.message.includes('in any 7 days'))).not.toEqual(
      [],
    );
  });

  it('planned TSS outside ±10 % of the target', () => {
    // Week 1 without its Saturday ride: 255 TSS for a target of 315 (283.5–346.5).
    const v = validatePlan(setDays(validPlan(), 1, { sat: [] }), INPUT);
    expect(codes(v)).toEqual(['tss-off-target']);
    expect(v[0]!.message).toBe('Week 1 (2025-03-03 to 2025-03-09): 255.0 TSS planned for a target of 315; keep within ±10 % (284–347).');
  });

  it('a recovery week that is not lighter', () => {
    // Week 4 as heavy as week 3: target 380 after 385 (a recovery week is 193–270, 250 by design).
    const plan = setDays(
      validPlan(),
      4,
      { tue: ['endurance-120'], thu: ['sweetspot-3x15'], sat: ['endurance-105'], sun: ['endurance-165'] },
      380,
    );
    const v = validatePlan(plan, INPUT);
    expect(codes(v)).toEqual(['recovery-not-lighter']);
    expect(v[0]!.message).toContain('a recovery week is 30–40 % lighter (250 TSS), at least 30 % and at most 50 %: 193–270 TSS');
  });

  it('more than 3 load weeks without recovery, phases out of order, declared numbers that lie, repeats', () => {
    const plan = validPlan();
    plan.weeks[3]!.phase = 'base'; // 4 load weeks, and base after build
    plan.weeks[3]!.targetTss = 240;
    const tue = plan.weeks[0]!.days[1]!.workouts[0]!;
    tue.intensity = 'easy'; // a threshold session is hard
    plan.weeks[1]!.days[6]!.workouts = [...plan.weeks[0]!.days[6]!.workouts]; // same Sunday ride as week 1
    totals(plan.weeks[1]!);
    const v = validatePlan(plan, INPUT);
    expect(codes(v)).toEqual(['missing-recovery-week', 'phase-order', 'repeated-workout', 'workout-mismatch']);
    expect(formatViolations(v)).toContain(
      '- [workout-mismatch] Week 1, Tue 2025-03-04: "Threshold 2×15" is labelled easy but a threshold workout at IF 0.83 is hard',
    );
  });

  it('checks declared TSS against the steps and totals against the workouts', () => {
    const plan = validPlan();
    plan.weeks[0]!.days[1]!.workouts[0]!.tss = 20; // claims 20 TSS for 2×15 threshold
    const v = validatePlan(plan, INPUT);
    expect(codes(v)).toEqual(['totals-mismatch', 'workout-mismatch']);
  });

  it('an event plan must end with a taper week holding the event, with nothing after it', () => {
    const event: PlanInput = { ...INPUT, eventDate: '2025-03-29' }; // Saturday of week 4
    const plan = validPlan();
    const v = validatePlan(plan, event);
    expect(codes(v)).toEqual(['after-event', 'event-week']);
    expect(v.find((x) => x.code === 'after-event')!.message).toContain(
      'Week 4, Sun 2025-03-30: "Endurance 2:30" is after the event on 2025-03-29',
    );
  });

  it('checks the structure: 7 consecutive days from the start Monday', () => {
    const plan = validPlan();
    plan.weeks[1]!.days.pop();
    plan.weeks[2]!.days[0]!.date = '2025-03-18';
    const v = validatePlan(plan, INPUT);
    expect(codes(v)).toContain('structure');
    expect(v.map((x) => x.message)).toContain(
      'Week 2 (2025-03-10 to 2025-03-15) has 6 days; list all 7 days, Monday to Sunday (a rest day has no workouts).',
    );
    expect(v.map((x) => x.message)).toContain('Week 3, day 1 is mon 2025-03-18; it must be mon 2025-03-17.');
  });

  it("checks planned hours against the week's hours target when the plan has one", () => {
    const plan = validPlan();
    plan.weeks[0]!.targetHours = 8; // 6.17 h planned is more than 10 % short
    expect(codes(validatePlan(plan, INPUT))).toEqual(['hours-off-target']);
  });

  it('reports every broken rule at once', () => {
    let plan = validPlan();
    plan = setDays(plan, 1, { sat: [] }); // TSS off target
    plan = setDays(plan, 1, { thu: [], wed: ['sweetspot-3x10'] }); // not a training day
    plan = setDays(
      plan,
      2,
      { tue: ['threshold-2x20-plus60'], thu: ['sweetspot-2x20-plus30'], sat: ['endurance-spinups-120'], sun: ['endurance-210'] },
      480,
    ); // ramp, hours
    plan = setDays(plan, 3, { wed: ['threshold-3x10'], thu: [] }); // Tue + Wed hard
    plan = setDays(plan, 4, { tue: ['endurance-120'], thu: ['sweetspot-3x15'], sat: ['endurance-105'], sun: ['endurance-165'] }, 380); // not lighter
    const v = validatePlan(plan, INPUT);
    expect(codes(v)).toEqual([
      'consecutive-hard-days',
      'non-training-day',
      'over-hours',
      'ramp-too-steep',
      'recovery-not-lighter',
      'tss-off-target',
    ]);
    // In rule order: each week's days (week by week), hard days in a row, each week's load, then the plan-wide rules.
    expect(v.map((x) => `${x.week} ${x.code}`)).toEqual([
      '1 non-training-day',
      '2 over-hours',
      '3 non-training-day',
      '3 consecutive-hard-days',
      '1 tss-off-target',
      '2 ramp-too-steep',
      '4 recovery-not-lighter',
      '3 ramp-too-steep', // the rolling 7-day CTL ramp
    ]);
    const text = formatViolations(v);
    expect(text.split('\n')[0]).toBe(`The plan was rejected: ${v.length} problems to fix.`);
    for (const violation of v) expect(text).toContain(violation.message);
  });
});

describe('plan proposals (JSON from outside the generator)', () => {
  it('parses a proposal and validates it', () => {
    const json = JSON.stringify({ ...validPlan(), violations: [] });
    const parsed = parsePlanProposal(json);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(validatePlan(parsed.value, INPUT)).toEqual([]);
  });

  it('accepts the CLI shape without ids, steps or hours targets, and still checks intensity from type and IF', () => {
    const plan = validPlan();
    const bare = {
      weeks: plan.weeks.map((w) => ({
        ...w,
        days: w.days.map((d) => ({
          ...d,
          workouts: d.workouts.map(({ name, type, intensity, durationMinutes, tss, intensityFactor }) => ({
            name,
            type,
            intensity,
            durationMinutes,
            tss,
            intensityFactor,
          })),
        })),
      })),
    };
    const parsed = parsePlanProposal(bare);
    expect(parsed.ok && validatePlan(parsed.value, INPUT)).toEqual([]);
    bare.weeks[0]!.days[1]!.workouts[0]!.intensity = 'moderate';
    const again = parsePlanProposal(bare);
    expect(again.ok && codes(validatePlan(again.value, INPUT))).toEqual(['workout-mismatch']);
  });

  it('rejects bad JSON and bad shapes with messages that say where', () => {
    const notJson = parsePlanProposal('{"weeks": [');
    expect(notJson.ok).toBe(false);
    if (!notJson.ok) expect(notJson.error[0]!.message).toMatch(/^The plan is not valid JSON/);

    const plan = JSON.parse(JSON.stringify(validPlan())) as {
      weeks: { days: { workouts: Record<string, unknown>[]; weekday: string }[] }[];
    };
    plan.weeks[0]!.days[1]!.workouts[0]!.intensityFactor = 'high';
    plan.weeks[1]!.days[2]!.weekday = 'funday';
    const bad = parsePlanProposal(plan);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.every((e) => e.code === 'schema')).toBe(true);
      const text = formatViolations(bad.error);
      expect(text).toContain('week 1, day 2, workout 1, intensityFactor');
      expect(text).toContain('week 2, day 3, weekday');
    }
  });
});
