/**
 * /plan: a week of the athlete's current plan (the newest version the coaching loop keeps) with
 * each workout's state — done, partly done, missed, moved — and what is next; `/plan next`,
 * `/plan week N`, `/plan history` (every version with its reason and changes). The week's workouts
 * follow as Zwift (.zwo) and head-unit (.fit) files, the whole plan as a calendar (.ics). Athletes
 * whose plan predates the loop (no version) get the latest analysis' plan, as before.
 */
import { droppedWorkouts, workoutStatuses } from '../../domain/coaching/plan-state.js';
import { planToIcs, workoutFiles, workoutFitFiles, type Plan, type PlannedWorkout, type PlanWeek } from '../../domain/plan/index.js';
import {
  NO_PLAN,
  noSuchWeekText,
  PLAN_FILES_CAPTION,
  planHistoryText,
  planOverText,
  planWeek,
  stalePlanText,
  trackedPlanText,
  weekText,
} from '../messages/plan.js';
import type { OutgoingFile } from '../port.js';
import { latestDoneRun, planOfRun, runJsonOf } from '../stored-plan.js';
import { today, type Turn } from '../turn.js';

/** What /plan was asked for. */
type PlanRequest = { kind: 'week'; offset: number; title: string } | { kind: 'number'; week: number } | { kind: 'history' };

/** `/plan`, `/plan next`, `/plan week 3` (or `/plan 3`), `/plan history`; anything else: this week. */
export function planRequest(args: string): PlanRequest {
  const words = args.trim().toLowerCase();
  if (/^history\b/.test(words)) return { kind: 'history' };
  if (/^next\b/.test(words)) return { kind: 'week', offset: 1, title: 'Next week' };
  const number = /^(?:week\s*)?(\d{1,2})$/.exec(words);
  if (number) return { kind: 'number', week: Number(number[1]) };
  return { kind: 'week', offset: 0, title: 'This week' };
}

/** /plan with its arguments. */
export async function plan(turn: Turn, args: string): Promise<void> {
  const request = planRequest(args);
  const version = await turn.loop.currentPlan(turn.athlete);
  if (!version) return analysisPlan(turn, request);
  const { thread, athlete } = turn;
  const timeZone = (await athlete.info()).timeZone;
  if (request.kind === 'history') {
    await thread.post(planHistoryText(await athlete.coaching.planVersions(), timeZone));
    return;
  }
  const day = await today(turn);
  const week = weekOf(version.plan, request, day);
  if (!week) {
    await thread.post(weekMissing(version.plan, request));
    return;
  }
  const dropped = version.version > 1 ? droppedWorkouts(await athlete.coaching.planVersions()) : [];
  const statuses = workoutStatuses(version.plan, await athlete.coaching.matches(), day, dropped);
  const title = request.kind === 'week' ? request.title : `Week ${week.week} of ${version.plan.weeks.length}`;
  const run = await latestDoneRun(athlete);
  const reply = trackedPlanText(version, week, statuses, { today: day, timeZone, title });
  await thread.post(stalePlanText(reply, run?.staleReason ?? null));
  await sendPlanFiles(turn, version.plan, week, { ftp: version.ftp, revisedAt: version.createdAt });
}

function weekOf(plan: Plan, request: Exclude<PlanRequest, { kind: 'history' }>, day: string): PlanWeek | null {
  return request.kind === 'number' ? (plan.weeks.find((w) => w.week === request.week) ?? null) : planWeek(plan, day, request.offset);
}

/** Why there is no week to show: past the plan's end, or a week number it does not have. */
function weekMissing(plan: Plan, request: Exclude<PlanRequest, { kind: 'history' }>) {
  return request.kind === 'number' ? noSuchWeekText(request.week, plan.weeks.length) : planOverText(request.offset);
}

/** The week's plain text, for a plan without states. */
function plainWeek(week: PlanWeek, request: Exclude<PlanRequest, { kind: 'history' }>) {
  return { title: request.kind === 'week' ? request.title : `Week ${week.week}`, text: weekText(week) };
}

/** The plan of the latest analysis, for athletes without a current plan version (made before the coaching loop). */
async function analysisPlan(turn: Turn, request: PlanRequest): Promise<void> {
  const { thread, athlete } = turn;
  const run = await latestDoneRun(athlete);
  const made = run ? await planOfRun(athlete, run.id) : null;
  if (!run || !made) {
    await thread.post(NO_PLAN);
    return;
  }
  if (request.kind === 'history') {
    await thread.post(planHistoryText([], (await athlete.info()).timeZone));
    return;
  }
  const week = weekOf(made, request, await today(turn));
  if (!week) {
    await thread.post(weekMissing(made, request));
    return;
  }
  await thread.post(stalePlanText(plainWeek(week, request), run.staleReason));
  // SEQUENCE from when the plan was made: re-importing updates the events
  const json = await runJsonOf(athlete, run.id);
  await sendPlanFiles(turn, made, week, {
    ftp: json?.athlete?.ftp ?? null,
    revisedAt: json?.generatedAt ? new Date(json.generatedAt) : run.createdAt,
  });
}

const document = (fileName: string, contentType: string, content: Uint8Array): OutgoingFile => ({
  fileName,
  contentType,
  content,
  kind: 'document',
});

/** The week's .zwo and .fit workouts (the .fit with watts at `ftp`, when known) and the whole plan as .ics. */
async function sendPlanFiles(turn: Turn, plan: Plan, week: PlanWeek, made: { ftp: number | null; revisedAt: Date }): Promise<void> {
  const { deps, thread, athlete } = turn;
  const workouts: PlannedWorkout[] = week.days.flatMap((d) => d.workouts);
  const encode = (text: string) => new TextEncoder().encode(text);
  const zwo = workoutFiles(workouts).map((f) => document(f.fileName, 'application/xml', encode(f.xml)));
  const fit = made.ftp ? workoutFitFiles(workouts, made.ftp).map((f) => document(f.fileName, 'application/vnd.ant.fit', f.content)) : [];
  // UIDs per athlete, date and slot: the same events again, revised
  const ics = planToIcs(plan, {
    dtstamp: deps.clock(),
    owner: athlete.athleteId,
    revisedAt: made.revisedAt,
    calendarName: 'domestique plan',
  });
  await thread.sendFiles([...zwo, ...fit, document('training-plan.ics', 'text/calendar', encode(ics))], PLAN_FILES_CAPTION);
}
