import type { Plan } from '../domain/plan/types.js';
import { PLAN_FILE } from '../orchestrator/run-analysis.js';
import type { AthleteStore } from '../store/store.js';

/** The newest finished run that has reports. */
export function latestDoneRun(athlete: AthleteStore) {
  return athlete.runs().find((r) => r.status === 'done' && athlete.reports(r.id).length > 0) ?? null;
}

/** The plan of the newest finished analysis, if it made one. */
export function storedPlan(athlete: AthleteStore): Plan | null {
  const run = latestDoneRun(athlete);
  const file = run ? athlete.reports(run.id).find((f) => f.fileName === PLAN_FILE) : undefined;
  return file ? (JSON.parse(new TextDecoder().decode(file.content)) as Plan) : null;
}
