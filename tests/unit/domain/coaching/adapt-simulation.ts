/**
 * A simulated athlete following (or not) an adapting plan, day after day, for the adaptation
 * engine's tests: rides as planned, missed sessions, rides harder than planned, extra rides and
 * signals (ill, tired, travelling, less time, a new FTP), each drawn from a seeded random source.
 */
import { mulberry32 } from '../../../../src/synthetic/random.js';
import { addDays } from '../../../../src/domain/calendar.js';
import { adaptPlan, type Adaptation, type CoachSignal } from '../../../../src/domain/coaching/adapt-plan.js';
import { withWorkoutKeys } from '../../../../src/domain/coaching/plan-keys.js';
import type { PlanVersion, WorkoutMatch } from '../../../../src/domain/coaching/types.js';
import type { Plan, PlanInput, PlannedWorkout } from '../../../../src/domain/plan/types.js';

/** How the simulated athlete behaves; every probability is per day. */
export interface Behaviour {
  skip: number;
  harder: number;
  extra: number;
  signal: number;
  /** Added to the ATL the engine is told (deeper fatigue than the rides alone make). */
  atlBoost: number;
}

export function rideMatch(w: PlannedWorkout, date: string, ftp: number, tssFactor: number, id: string): WorkoutMatch {
  return {
    activityId: id,
    workoutKey: w.key ?? null,
    date,
    rideDate: date,
    status: tssFactor >= 0.8 ? 'done' : 'partial',
    workoutName: w.name,
    ftp,
    session: {
      plannedMinutes: w.durationMinutes,
      doneMinutes: w.durationMinutes,
      plannedTss: w.tss,
      doneTss: Math.round(w.tss * tssFactor * 10) / 10,
      plannedIf: w.intensityFactor,
      doneIf: w.intensityFactor * Math.sqrt(tssFactor),
    },
    intervals: [],
  };
}

export function extraMatch(date: string, tss: number, ftp: number, id: string): WorkoutMatch {
  const hours = tss / 70;
  return {
    activityId: id,
    workoutKey: null,
    date,
    rideDate: date,
    status: 'extra',
    workoutName: null,
    ftp,
    session: { plannedMinutes: 0, doneMinutes: Math.round(hours * 60), plannedTss: 0, doneTss: tss, plannedIf: 0, doneIf: 0.84 },
    intervals: [],
  };
}

export function version(plan: Plan, n: number, input: PlanInput): PlanVersion {
  return {
    version: n,
    createdAt: new Date(0),
    reason: n === 1 ? 'New analysis' : 'Adapted',
    changes: [],
    plan,
    ftp: input.ftp,
    sourceRunId: null,
    input,
  };
}

/** One day of the simulation: what the athlete did, the signal, and the adaptation it led to. */
export interface SimDay {
  today: string;
  signal: CoachSignal;
  /** The plan adaptPlan was given, and every match so far. */
  before: Plan;
  matches: readonly WorkoutMatch[];
  adaptation: Adaptation | null;
}

function drawSignal(rand: () => number, ftp: number): CoachSignal {
  const r = rand();
  if (r < 0.25) return { kind: 'unwell', reason: 'ill', days: 1 + Math.floor(rand() * 7) };
  if (r < 0.45) return { kind: 'unwell', reason: 'tired' };
  if (r < 0.6) return { kind: 'unwell', reason: 'travel', days: 2 + Math.floor(rand() * 3) };
  if (r < 0.85) return { kind: 'less-time', hours: Math.round(rand() * 60) / 10 };
  return { kind: 'ftp', ftp: Math.round(ftp * (0.95 + rand() * 0.1)), previousFtp: ftp };
}

/** Rides (or not) each of the day's workouts, then maybe an extra ride; the new matches. */
function ride(plan: Plan, today: string, input: PlanInput, behaviour: Behaviour, rand: () => number): WorkoutMatch[] {
  const day = plan.weeks.flatMap((w) => w.days).find((d) => d.date === today);
  const out: WorkoutMatch[] = [];
  for (const w of day?.workouts ?? []) {
    if (rand() < behaviour.skip) continue;
    const factor = rand() < behaviour.harder ? 1.2 + rand() * 0.5 : 0.7 + rand() * 0.4;
    out.push(rideMatch(w, today, input.ftp, factor, `${today}-${w.key}`));
  }
  if (rand() < behaviour.extra) out.push(extraMatch(today, 30 + Math.round(rand() * 150), input.ftp, `${today}-extra`));
  return out;
}

/**
 * Runs `days` days from the plan's first Monday: each day the athlete rides, then adaptPlan runs
 * with the day's signal and fitness (a PMC of the rides from the plan input's CTL and ATL); the
 * plan before and after each day.
 */
export function simulate(input: PlanInput, first: Plan, days: number, behaviour: Behaviour, seed: number): SimDay[] {
  const rand = mulberry32(seed);
  let plan = withWorkoutKeys(first);
  let n = 1;
  const matches: WorkoutMatch[] = [];
  const out: SimDay[] = [];
  let ctl = input.fitness.ctl;
  let atl = input.fitness.atl ?? ctl;
  const start = plan.weeks[0]!.days[0]!.date;
  for (let d = 0; d < days; d++) {
    const today = addDays(start, d);
    const rides = ride(plan, today, input, behaviour, rand);
    matches.push(...rides);
    const load = rides.reduce((s, m) => s + m.session.doneTss, 0);
    ctl += (load - ctl) / 42;
    atl += (load - atl) / 7;
    const signal: CoachSignal = rand() < behaviour.signal ? drawSignal(rand, input.ftp) : { kind: 'rides' };
    const adaptation = adaptPlan({
      version: version(plan, n, input),
      matches,
      today,
      planInput: input,
      fitness: { ctl, atl: atl + behaviour.atlBoost },
      signal,
    });
    out.push({ today, signal, before: plan, matches: [...matches], adaptation });
    if (adaptation !== null) {
      plan = adaptation.plan;
      n++;
    }
  }
  return out;
}
