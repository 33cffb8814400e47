/**
 * Phase 3's tools over the plan engine. The model chooses parameters and may swap workouts;
 * every proposal goes through the validator and a rejected one comes back as a tool error
 * listing the violations. The last accepted plan is the phase's plan.
 */
import { z } from 'zod';
import { round } from '../domain/numbers.js';
import {
  formatViolations,
  generatePlan,
  planInputFromProfile,
  POWER_ABILITIES,
  toPlannedWorkout,
  validatePlan,
  WORKOUT_LIBRARY,
  WORKOUT_TYPES,
  workoutById,
  type Plan,
  type PlanInput,
  type PowerAbility,
} from '../domain/plan/index.js';
import { weekDays, weekTotals } from '../domain/plan/week-views.js';
import type { ProfileFields } from '../domain/profile.js';
import { ToolError, type Tool } from './tool-loop.js';

export interface PlanningContext {
  profile: ProfileFields & { name: string };
  /** CTL and ATL going into the plan's first day; the latest ride's date (a long break starts with a return block). */
  fitness: { ctl: number; atl: number; lastRideDate?: string | null };
  limiters: PowerAbility[];
  strengths: PowerAbility[];
  /** Monday the plan starts. */
  startDate: string;
  planWeeks: number | null;
  analysisSummary: string;
  recommendations: string[];
}

/** Holds the accepted plan between tool calls. */
export class PlanState {
  plan: Plan | null = null;
  input: PlanInput | null = null;
  proposals = 0;
  rejections = 0;
}

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const NO_PLAN_YET = 'There is no accepted plan yet: call propose_plan first.';

/** The plan week by week, compact: the days of one week come from `get_plan_week`. */
export function planSummary(plan: Plan): unknown {
  return {
    startDate: plan.startDate,
    eventDate: plan.eventDate ?? null,
    weeks: plan.weeks.map((w) => ({
      ...weekTotals(w),
      hardDays: w.days.filter((d) => d.workouts.some((x) => x.intensity === 'hard')).length,
      ...(w.notes && w.notes.length > 0 ? { notes: w.notes } : {}),
    })),
  };
}

function weekDetail(plan: Plan, week: number): unknown {
  const w = plan.weeks.find((x) => x.week === week);
  if (!w) throw new ToolError(`The plan has weeks 1 to ${plan.weeks.length}.`);
  return {
    week: w.week,
    phase: w.phase,
    days: weekDays(w, (x) => ({
      id: x.id,
      name: x.name,
      type: x.type,
      intensity: x.intensity,
      minutes: Math.round(x.durationMinutes),
      tss: x.tss,
    })),
  };
}

function contextTool(context: PlanningContext): Tool<Record<string, never>> {
  return {
    name: 'get_planning_context',
    description:
      "The athlete's availability (weekly hours, training days), FTP, goals and event date, current fitness (CTL/ATL), the limiters and strengths found by the analysis, and the plan's start date.",
    input: z.object({}).strict(),
    run: () => ({
      ftp: context.profile.ftp,
      weeklyHours: context.profile.weeklyHours,
      trainingDays: context.profile.trainingDays,
      goals: context.profile.goals,
      eventDate: context.profile.eventDate,
      age: context.profile.age,
      planWeeks: context.planWeeks,
      startDate: context.startDate,
      fitness: context.fitness,
      limiters: context.limiters,
      strengths: context.strengths,
      analysisSummary: context.analysisSummary,
      recommendations: context.recommendations,
    }),
  };
}

type Proposal = { weeks?: number | undefined; eventDate?: string | null | undefined; focus?: PowerAbility[] | undefined };

/** The engine's plan for a proposal; a refused one counts as a rejection and comes back as the violations. */
function propose(context: PlanningContext, state: PlanState, { weeks, eventDate, focus }: Proposal): unknown {
  state.proposals += 1;
  const input = planInputFromProfile(
    context.profile,
    {
      ctl: context.fitness.ctl,
      atl: context.fitness.atl,
      lastRideDate: context.fitness.lastRideDate ?? null,
      limiters: focus ?? context.limiters,
      strengths: context.strengths,
    },
    context.startDate,
    { planWeeks: weeks ?? context.planWeeks, ...(eventDate !== undefined ? { eventDate } : {}) },
  );
  if (!input.ok) {
    state.rejections += 1;
    throw new ToolError(formatViolations(input.error));
  }
  const plan = generatePlan(input.value);
  if (!plan.ok) {
    state.rejections += 1;
    throw new ToolError(formatViolations(plan.error));
  }
  state.plan = plan.value;
  state.input = input.value;
  return { accepted: true, plan: planSummary(plan.value) };
}

function proposeTool(context: PlanningContext, state: PlanState): Tool<Proposal> {
  return {
    name: 'propose_plan',
    description:
      'Build a periodized plan with the engine (base → build → peak → taper, recovery weeks) for the given number of weeks (4–24) or up to an event date, focusing workouts on the given limiters. Returns the plan summary, or the rule violations.',
    input: z.object({
      weeks: z.number().int().min(4).max(24).optional(),
      eventDate: DATE.nullable().optional(),
      focus: z.array(z.enum(POWER_ABILITIES)).max(3).optional(),
    }),
    run: (proposal) => propose(context, state, proposal),
  };
}

function listWorkoutsTool(): Tool<{ type?: (typeof WORKOUT_TYPES)[number] | undefined }> {
  return {
    name: 'list_workouts',
    description: 'Workouts of the library (id, name, type, minutes, TSS, IF), optionally of one type.',
    input: z.object({ type: z.enum(WORKOUT_TYPES).optional() }),
    run: ({ type }) =>
      WORKOUT_LIBRARY.filter((w) => type === undefined || w.type === type)
        .slice(0, 40)
        .map((w) => ({
          id: w.id,
          name: w.name,
          type: w.type,
          minutes: Math.round(w.durationSeconds / 60),
          tss: round(w.tss, 1),
          intensityFactor: round(w.intensityFactor, 2),
        })),
  };
}

type Swap = { date: string; replace: string; withWorkoutId: string };

/** The accepted plan with one workout swapped, if the changed plan still passes every rule. */
function swap(state: PlanState, { date, replace, withWorkoutId }: Swap): unknown {
  if (!state.plan || !state.input) throw new ToolError(NO_PLAN_YET);
  const workout = workoutById(withWorkoutId);
  if (!workout) throw new ToolError(`No workout with id "${withWorkoutId}": call list_workouts for the ids.`);
  const plan = structuredClone(state.plan);
  const week = plan.weeks.find((w) => w.days.some((d) => d.date === date));
  const day = week?.days.find((d) => d.date === date);
  const index = day ? day.workouts.findIndex((w) => w.name === replace || w.id === replace) : -1;
  if (!week || !day || index < 0) throw new ToolError(`No workout "${replace}" on ${date} in the plan.`);
  day.workouts[index] = toPlannedWorkout(workout);
  const all = week.days.flatMap((d) => d.workouts);
  week.plannedTss = round(
    all.reduce((s, w) => s + w.tss, 0),
    1,
  );
  week.hours = round(all.reduce((s, w) => s + w.durationMinutes, 0) / 60, 2);
  const violations = validatePlan(plan, state.input);
  if (violations.length > 0) {
    state.rejections += 1;
    throw new ToolError(formatViolations(violations));
  }
  state.plan = plan;
  return { accepted: true, week: week.week, plannedTss: week.plannedTss, hours: week.hours };
}

function swapTool(state: PlanState): Tool<Swap> {
  return {
    name: 'swap_workout',
    description:
      'Replace one workout of the accepted plan (by date and the name or id of the workout there) with a library workout (by id). The changed plan must still pass every rule, or the swap is rejected with the violations.',
    input: z.object({
      date: DATE,
      replace: z.string().min(1).max(120),
      withWorkoutId: z.string().min(1).max(120),
    }),
    run: (args) => swap(state, args),
  };
}

function planWeekTool(state: PlanState): Tool<{ week: number }> {
  return {
    name: 'get_plan_week',
    description: 'The days and workouts (id, name, type, intensity, minutes, TSS) of one week of the accepted plan.',
    input: z.object({ week: z.number().int().min(1).max(24) }),
    run: ({ week }) => {
      if (!state.plan) throw new ToolError(NO_PLAN_YET);
      return weekDetail(state.plan, week);
    },
  };
}

export function planningTools(context: PlanningContext, state: PlanState): Tool[] {
  return [contextTool(context), proposeTool(context, state), planWeekTool(state), listWorkoutsTool(), swapTool(state)] as Tool[];
}
