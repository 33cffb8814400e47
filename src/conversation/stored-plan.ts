import type { Plan } from '../domain/plan/types.js';
import { PLAN_FILE, type RunJson } from '../orchestrator/run-result.js';
import type { AthleteStore, RunRecord } from '../store/store.js';

/** The newest finished run that has reports (one query). */
export async function latestDoneRun(athlete: AthleteStore): Promise<RunRecord | null> {
  return athlete.latestReportedRun();
}

/** The plan a run made, if it made one. */
export async function planOfRun(athlete: AthleteStore, runId: string): Promise<Plan | null> {
  const file = await athlete.reportFile(runId, PLAN_FILE);
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as Plan) : null;
}

/** A run's run.json (its key figures), if kept. */
export async function runJsonOf(athlete: AthleteStore, runId: string): Promise<RunJson | null> {
  const file = await athlete.reportFile(runId, 'run.json');
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as RunJson) : null;
}

/** The plan of the newest finished analysis, if it made one (one query). */
export async function storedPlan(athlete: AthleteStore): Promise<Plan | null> {
  const file = await athlete.latestReportedFile(PLAN_FILE);
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as Plan) : null;
}
