import type { Plan } from '../domain/plan/types.js';
import { PLAN_FILE, type RunJson } from '../orchestrator/run-result.js';
import type { AthleteStore } from '../store/store.js';

/** The newest finished run that has reports (one query). */
export function latestDoneRun(athlete: AthleteStore) {
  return athlete.latestReportedRun();
}

/** The plan a run made, if it made one. */
export function planOfRun(athlete: AthleteStore, runId: string): Plan | null {
  const file = athlete.reportFile(runId, PLAN_FILE);
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as Plan) : null;
}

/** A run's run.json (its key figures), if kept. */
export function runJsonOf(athlete: AthleteStore, runId: string): RunJson | null {
  const file = athlete.reportFile(runId, 'run.json');
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as RunJson) : null;
}

/** The plan of the newest finished analysis, if it made one (one query). */
export function storedPlan(athlete: AthleteStore): Plan | null {
  const file = athlete.latestReportedFile(PLAN_FILE);
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as Plan) : null;
}
