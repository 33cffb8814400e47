/**
 * adaptPlan, one rule at a time, on a generated 8-week plan (7 training days, 6 h, CTL 45) that
 * the athlete rides as planned up to the day of each case: a missed key session moved or dropped,
 * an extra or harder ride lowering the rest of the week, deep fatigue and illness inserting easy
 * days, less time, a new FTP. Every adapted plan passes the validator and leaves the past alone.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../src/domain/calendar.js';
import { adaptPlan, type Adaptation, type CoachSignal } from '../../../../src/domain/coaching/adapt-plan.js';
import { withWorkoutKeys } from '../../../../src/domain/coaching/plan-keys.js';
import { workoutStatuses } from '../../../../src/domain/coaching/plan-state.js';
import type { WorkoutMatch } from '../../../../src/domain/coaching/types.js';
import { generatePlan, validatePlan, type Plan, type PlanInput, type PlannedWorkout } from '../../../../src/domain/plan/index.js';
import { extraMatch, rideMatch, version } from './adapt-simulation.js';

const INPUT: PlanInput = {
  ftp: 250,
  weeklyHours: 6,
  trainingDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  planWeeks: 8,
  startDate: '2025-03-03',
  fitness: { ctl: 45, atl: 45 },
};
const generated = generatePlan(INPUT);
if (!generated.ok) throw new Error('the fixture plan must generate');
const PLAN = withWorkoutKeys(generated.value);
const FRESH = { ctl: 45, atl: 45 };

interface Slot {
  week: number;
  date: string;
  workout: PlannedWorkout;
}

const slots = (plan: Plan): Slot[] =>
  plan.weeks.flatMap((w, i) => w.days.flatMap((d) => d.workouts.map((workout) => ({ week: i, date: d.date, workout }))));
const isKey = (w: PlannedWorkout): boolean => w.intensity !== 'easy';
const weekOf = (plan: Plan, date: string) => plan.weeks.find((w) => w.days.some((d) => d.date === date))!;

/** Every workout before `today` ridden as planned, except those of `skipped` keys. */
function riddenBefore(plan: Plan, today: string, skipped: readonly string[] = []): WorkoutMatch[] {
  return slots(plan)
    .filter((s) => s.date < today && !skipped.includes(s.workout.key!))
    .map((s) => rideMatch(s.workout, s.date, INPUT.ftp, 1, `ride-${s.workout.key}`));
}

function adapt(plan: Plan, today: string, matches: WorkoutMatch[], signal: CoachSignal = { kind: 'rides' }, fitness = FRESH) {
  const result = adaptPlan({ version: version(plan, 2, INPUT), matches, today, planInput: INPUT, fitness, signal });
  if (result !== null) expect(validatePlan(result.plan, INPUT)).toEqual([]);
  return result;
}

/** Days before `today` hold the same workouts, but for the keys allowed to leave them. */
function expectPastKept(before: Plan, after: Plan, today: string, leaving: readonly string[] = []): void {
  const past = (plan: Plan, keep: (w: PlannedWorkout) => boolean) =>
    plan.weeks.flatMap((w) => w.days.filter((d) => d.date < today).map((d) => ({ date: d.date, workouts: d.workouts.filter(keep) })));
  expect(past(after, () => true)).toEqual(past(before, (w) => !leaving.includes(w.key!)));
}

/** A key session whose week has (or has not) a free training day from the day after it on. */
function missedCase(withFreeDay: boolean): Slot {
  const found = slots(PLAN).find(({ date, workout, week }) => {
    if (!isKey(workout)) return false;
    const free = PLAN.weeks[week]!.days.some((d) => d.date > date && d.workouts.length === 0);
    return free === withFreeDay;
  });
  if (!found) throw new Error('the fixture plan has no such session');
  return found;
}

describe('adaptPlan — nothing to change', () => {
  it('returns null while the plan is ridden as planned', () => {
    for (const today of ['2025-03-03', '2025-03-12', '2025-03-27', '2025-04-20'])
      expect(adapt(PLAN, today, riddenBefore(PLAN, today))).toBeNull();
  });
});

describe('adaptPlan — a missed key session', () => {
  it('moves to a free day of its week, keeping its key, and says so', () => {
    const missed = missedCase(true);
    const today = addDays(missed.date, 1);
    const result = adapt(PLAN, today, riddenBefore(PLAN, today, [missed.workout.key!]))!;
    const moved = slots(result.plan).find((s) => s.workout.key === missed.workout.key)!;
    expect(moved.date >= today).toBe(true);
    expect(weekOf(result.plan, moved.date).week).toBe(missed.week + 1);
    expect(moved.workout.movedFrom).toBe(missed.date);
    expect(result.changes[0]).toMatchObject({ kind: 'moved', workoutKey: missed.workout.key, date: moved.date });
    expect(result.changes[0]!.text).toMatch(
      new RegExp(`^\\w+day's ${escape(missed.workout.name)} moved to \\w+day: you missed it on \\w+day\\.$`),
    );
    expect(result.reason).toMatch(/^Missed .* moved to \w+day$/);
    expectPastKept(PLAN, result.plan, today, [missed.workout.key!]);
    const status = workoutStatuses(result.plan, [], today).find((s) => s.key === missed.workout.key)!;
    expect(status.state).toBe('moved');
  });

  it('is not moved twice: missed again on its new day, it is dropped', () => {
    const missed = missedCase(true);
    const today = addDays(missed.date, 1);
    const first = adapt(PLAN, today, riddenBefore(PLAN, today, [missed.workout.key!]))!;
    const newDate = slots(first.plan).find((s) => s.workout.key === missed.workout.key)!.date;
    const later = addDays(newDate, 1);
    const second = adapt(first.plan, later, riddenBefore(first.plan, later, [missed.workout.key!]))!;
    expect(slots(second.plan).some((s) => s.workout.key === missed.workout.key)).toBe(false);
    expect(second.changes[0]!.kind).toBe('dropped');
    expect(second.changes[0]!.text).toContain('missed again after it was moved');
  });

  it('does not move to today when a ride was ridden today', () => {
    const missed = missedCase(true);
    const today = addDays(missed.date, 1);
    const rides = [...riddenBefore(PLAN, today, [missed.workout.key!]), extraMatch(today, 40, INPUT.ftp, 'spin')];
    const result = adapt(PLAN, today, rides);
    const now = result === null ? undefined : slots(result.plan).find((s) => s.workout.key === missed.workout.key);
    expect(now?.date).not.toBe(today);
  });

  it('is dropped, and its week lowered, when no free day is left', () => {
    const missed = missedCase(false);
    const today = addDays(missed.date, 1);
    const result = adapt(PLAN, today, riddenBefore(PLAN, today, [missed.workout.key!]))!;
    expect(slots(result.plan).some((s) => s.workout.key === missed.workout.key)).toBe(false);
    const [before, after] = [weekOf(PLAN, missed.date), weekOf(result.plan, missed.date)];
    expect(after.plannedTss).toBeCloseTo(before.plannedTss - missed.workout.tss, 0);
    expect(after.targetTss).toBeLessThanOrEqual(before.targetTss);
    expect(result.changes[0]).toMatchObject({ kind: 'dropped', workoutKey: missed.workout.key, date: missed.date });
    expect(result.changes[0]!.text).toContain(`${missed.workout.name} dropped: you missed it`);
    expectPastKept(PLAN, result.plan, today, [missed.workout.key!]);
  });

  it('leaves a missed easy ride as it is', () => {
    const easy = slots(PLAN).find((s) => !isKey(s.workout) && s.week === 1)!;
    const today = addDays(easy.date, 1);
    expect(adapt(PLAN, today, riddenBefore(PLAN, today, [easy.workout.key!]))).toBeNull();
  });
});

/** The open workouts (from today on, not ridden) of today's week. */
const openThisWeek = (plan: Plan, today: string): PlannedWorkout[] => {
  const week = weekOf(plan, today);
  return week.days.filter((d) => d.date >= today).flatMap((d) => d.workouts);
};
const sum = (ws: readonly PlannedWorkout[], f: (w: PlannedWorkout) => number): number => ws.reduce((s, w) => s + f(w), 0);

describe('adaptPlan — rides beyond the plan', () => {
  const today = '2025-03-19'; // Wednesday of week 3
  const base = riddenBefore(PLAN, today);

  it('an extra ride lowers the rest of the week, once, and says which ride', () => {
    const rides = [...base, extraMatch(addDays(today, -1), 120, INPUT.ftp, 'race')];
    const result = adapt(PLAN, today, rides)!;
    const before = sum(openThisWeek(PLAN, today), (w) => w.tss);
    const after = sum(openThisWeek(result.plan, today), (w) => w.tss);
    const week = weekOf(PLAN, today);
    const actual =
      sum(
        week.days.filter((d) => d.date < today).flatMap((d) => d.workouts),
        (w) => w.tss,
      ) + 120;
    const wanted = Math.min(120, actual + before - week.targetTss);
    expect(wanted).toBeGreaterThan(20);
    expect(before - after).toBeGreaterThanOrEqual(wanted * 0.5 - 1);
    expect(result.changes.every((c) => c.date === undefined || c.date >= today)).toBe(true);
    expect(result.changes[0]!.text).toMatch(/^\w+day's .+: Tuesday's extra ride already brought 120 TSS\.$/);
    expect(weekOf(result.plan, today).notes?.some((n) => n.startsWith('Rides beyond the plan: 120 TSS'))).toBe(true);
    expectPastKept(PLAN, result.plan, today);
    // the next day, the same ride is not answered again
    const next = addDays(today, 1);
    expect(adapt(result.plan, next, [...rides, ...riddenBefore(result.plan, next).filter((m) => m.date === today)])).toBeNull();
  });

  it('a ride far harder than planned counts its extra TSS', () => {
    const thursday = addDays(today, 1);
    const hard = slots(PLAN).find((s) => s.date === today)!;
    const base = riddenBefore(PLAN, thursday);
    const rides = [...base.filter((m) => m.workoutKey !== hard.workout.key), rideMatch(hard.workout, hard.date, INPUT.ftp, 2, 'hard')];
    const result = adapt(PLAN, thursday, rides)!;
    const over = Math.round(rides.at(-1)!.session.doneTss - hard.workout.tss);
    expect(result.changes[0]!.text).toMatch(new RegExp(`: \\w+day's ${escape(hard.workout.name)} brought`));
    expect(result.changes[0]!.text).toContain(`${over} more than planned`);
  });

  it('a small extra ride changes nothing', () => {
    expect(adapt(PLAN, today, [...base, extraMatch(addDays(today, -1), 12, INPUT.ftp, 'spin')])).toBeNull();
  });
});

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The workouts from `from` for `days` days. */
const window = (plan: Plan, from: string, days: number): PlannedWorkout[] =>
  slots(plan)
    .filter((s) => s.date >= from && s.date < addDays(from, days))
    .map((s) => s.workout);

describe('adaptPlan — easy days', () => {
  it('form below −30 TSB makes the next 2 days easy (key sessions moved or eased)', () => {
    const today = '2025-03-31'; // Monday of week 5, a build week
    const result = adapt(PLAN, today, riddenBefore(PLAN, today), { kind: 'rides' }, { ctl: 50, atl: 85 })!;
    expect(window(PLAN, today, 2).some(isKey)).toBe(true);
    expect(window(result.plan, today, 2).every((w) => !isKey(w) && w.durationMinutes <= 60)).toBe(true);
    expect(result.reason).toContain('Form -35 TSB');
    expect(result.changes.some((c) => c.text.includes('your form is -35 TSB, below -30'))).toBe(true);
  });

  it('deep fatigue late in a load week turns the rest of the week into a recovery week', () => {
    const today = '2025-04-03'; // Thursday of week 5
    const result = adapt(PLAN, today, riddenBefore(PLAN, today), { kind: 'rides' }, { ctl: 50, atl: 90 })!;
    const rest = openThisWeek(result.plan, today);
    expect(rest.every((w) => !isKey(w) && w.durationMinutes <= 90)).toBe(true);
    expect(result.changes.some((c) => c.kind === 'recovery')).toBe(true);
    expect(weekOf(result.plan, today).notes?.some((n) => n.startsWith('Recovery:'))).toBe(true);
  });

  it('ill: rest for the days said, then (5 days or more) a recovery week', () => {
    const today = '2025-04-08'; // Tuesday of week 6
    const three = adapt(PLAN, today, riddenBefore(PLAN, today), { kind: 'unwell', reason: 'ill', days: 3 })!;
    expect(window(three.plan, today, 3)).toEqual([]);
    expect(three.reason).toBe('Ill (3 days)');
    expect(three.changes.every((c) => c.text.endsWith('rest while you are ill.') || c.text.includes('fitness (CTL)'))).toBe(true);
    const six = adapt(PLAN, '2025-04-07', riddenBefore(PLAN, '2025-04-07'), { kind: 'unwell', reason: 'ill', days: 5 })!;
    expect(window(six.plan, '2025-04-07', 5)).toEqual([]);
    expect(openThisWeek(six.plan, '2025-04-07').every((w) => !isKey(w) && w.durationMinutes <= 90)).toBe(true);
  });

  it('tired: easy days, key sessions moved past them when a free day allows', () => {
    const today = '2025-04-08';
    const result = adapt(PLAN, today, riddenBefore(PLAN, today), { kind: 'unwell', reason: 'tired' })!;
    expect(window(result.plan, today, 2).every((w) => w.type === 'recovery' && w.durationMinutes <= 60)).toBe(true);
    expect(result.reason).toBe('Tired (2 days)');
    for (const c of result.changes.filter((x) => x.kind === 'eased'))
      expect(c.text).toMatch(/replaced by Recovery spin \d+ min: you said you are tired/);
  });

  it('travelling: no rides on the days away', () => {
    const today = '2025-04-08';
    const result = adapt(PLAN, today, riddenBefore(PLAN, today), { kind: 'unwell', reason: 'travel', days: 2 })!;
    expect(window(result.plan, today, 2)).toEqual([]);
    expect(result.changes.length).toBeGreaterThan(0);
  });
});

describe('adaptPlan — less time this week', () => {
  it('fits the rest of the week into the hours, endurance shortened before key sessions go', () => {
    const today = '2025-04-07'; // Monday of week 6
    const before = openThisWeek(PLAN, today);
    const result = adapt(PLAN, today, riddenBefore(PLAN, today), { kind: 'less-time', hours: 4 })!;
    const after = openThisWeek(result.plan, today);
    expect(sum(before, (w) => w.durationMinutes)).toBeGreaterThan(240);
    if (!result.reason.includes('as far as')) expect(sum(after, (w) => w.durationMinutes)).toBeLessThanOrEqual(240);
    expect(
      result.changes.every((c) => c.kind === 'less-time' || c.text.includes('fitness (CTL)') || c.text.includes('recovery week')),
    ).toBe(true);
    // a key session changes only once the easy rides are gone
    const keysLost = sum(before, (w) => (isKey(w) ? 1 : 0)) - sum(after, (w) => (isKey(w) ? 1 : 0));
    if (keysLost > 0) expect(after.filter((w) => !isKey(w))).toEqual([]);
    expect(result.reason).toMatch(/^Less time this week: 4 h/);
  });

  it('changes nothing when the week already fits', () => {
    expect(adapt(PLAN, '2025-04-07', riddenBefore(PLAN, '2025-04-07'), { kind: 'less-time', hours: 20 })).toBeNull();
  });
});

describe('adaptPlan — a new FTP', () => {
  it('keeps every workout and says the new watts', () => {
    const today = '2025-04-07';
    const result: Adaptation = adapt(PLAN, today, riddenBefore(PLAN, today), { kind: 'ftp', ftp: 262, previousFtp: 250 })!;
    expect(result.plan).toEqual(PLAN);
    expect(result.changes.every((c) => c.kind === 'ftp' && / W/.test(c.text))).toBe(true);
    const headline = result.changes[0]!.text;
    expect(headline).toMatch(/^From today your targets use FTP 262 W \(was 250 W\): /);
    const zones: Record<string, [number, number]> = {
      tempo: [76, 87],
      'sweet spot': [88, 93],
      threshold: [94, 105],
      VO2max: [106, 120],
      anaerobic: [121, 150],
    };
    for (const [name, [low, high]] of Object.entries(zones)) {
      const m = new RegExp(`${name}(?: is now)? (\\d+)–(\\d+) W`).exec(headline);
      if (m) expect([Number(m[1]), Number(m[2])]).toEqual([Math.round((low * 262) / 100), Math.round((high * 262) / 100)]);
    }
    expect(result.reason).toBe('New FTP 262 W (was 250 W)');
    const sessions = result.changes.slice(1);
    expect(sessions.length).toBeGreaterThan(0);
    for (const c of sessions) {
      const w = slots(PLAN).find((s) => s.workout.key === c.workoutKey)!.workout;
      const on = (w.steps ?? []).flatMap((s) =>
        s.kind === 'intervals' && s.on.percentFtp >= 80
          ? [s.on.percentFtp]
          : s.kind === 'steady' && s.percentFtp >= 76
            ? [s.percentFtp]
            : [],
      );
      expect(c.text).toContain(`work at ${[...new Set(on)].map((p) => Math.round((p * 262) / 100)).join(' / ')} W`);
    }
  });

  it('the example: from a sweet spot session on, sweet spot at FTP 262 W is 231–244 W', () => {
    const first = slots(PLAN).find((s) => s.week > 0 && s.workout.type === 'sweetspot')!;
    const result = adapt(PLAN, first.date, riddenBefore(PLAN, first.date), { kind: 'ftp', ftp: 262, previousFtp: 250 })!;
    expect(result.changes[0]!.text).toMatch(/^From today your targets use FTP 262 W \(was 250 W\): sweet spot is now 231–244 W/);
  });
});
