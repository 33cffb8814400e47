import type { Plan } from '../domain/plan/types.js';
import { PLAN_FILE, type RunJson } from '../orchestrator/run-analysis.js';
import type { AthleteStore } from '../store/store.js';

/** The newest finished run that has reports. */
export function latestDoneRun(athlete: AthleteStore) {
  return athlete.runs().find((r) => r.status === 'done' && athlete.reports(r.id).length > 0) ?? null;
}

/** The plan a run made, if it made one. */
export function planOfRun(athlete: AthleteStore, runId: string): Plan | null {
  const file = athlete.reports(runId).find((f) => f.fileName === PLAN_FILE);
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as Plan) : null;
}

/** A run's run.json (its key figures), if kept. */
export function runJsonOf(athlete: AthleteStore, runId: string): RunJson | null {
  const file = athlete.reports(runId).find((f) => f.fileName === 'run.json');
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as RunJson) : null;
}

/** The plan of the newest finished analysis, if it made one. */
export function storedPlan(athlete: AthleteStore): Plan | null {
  const run = latestDoneRun(athlete);
  return run ? planOfRun(athlete, run.id) : null;
}
