/**
 * What the orchestrator is given (its dependencies, a run request) and what each phase of one run
 * is handed: the run's ids, its budget and ledger, the phases recorded so far and the warnings.
 */
import type { Activity } from '../domain/activity.js';
import type { LlmProvider } from '../llm/provider.js';
import type { ReportModel } from '../report/report-model.js';
import type { AthleteStore, Store, UploadError } from '../store/store.js';
import type { RunEvent, RunListener } from './events.js';
import type { Prompts } from './prompts.js';
import type { PhaseRecord, RunResult } from './run-result.js';
import type { TokenBudget } from './tool-loop.js';
import type { PriceOf, UsageLedger } from './usage-ledger.js';

export interface OrchestratorDeps {
  store: Store;
  /** The configured provider; the offline coach when it is the default. */
  provider: LlmProvider;
  /** Stands in when the provider fails. */
  offline: LlmProvider;
  prompts: Prompts;
  clock: () => Date;
  renderReports: (model: ReportModel) => { fileName: string; html: string }[];
  /** USD for a provider's usage; 0 or undefined when free or unknown. */
  priceOf?: PriceOf;
  tokenBudget?: number;
  maxStepsPerPhase?: number;
}

export interface RunRequest {
  athleteId: string;
  periodMonths?: number;
  planWeeks?: number | null;
  skipPlan?: boolean;
  /** Monday the plan starts (YYYY-MM-DD). */
  planStartDate: string;
  /** New files to record first (the CLI's --fit-dir/--csv; chat uploads are recorded on arrival). */
  upload?: { files: string[]; activities: Activity[]; errors: UploadError[] };
  /** An existing run record (queued by a bot) to run; a new one is created otherwise. */
  runId?: string;
  signal?: AbortSignal;
  onEvent?: RunListener;
}

export const DEFAULT_TOKEN_BUDGET = 30_000;

/** One run as its phases see it. */
export interface RunContext {
  readonly deps: OrchestratorDeps;
  readonly athlete: AthleteStore;
  readonly runId: string;
  readonly request: RunRequest;
  readonly emit: (event: RunEvent) => void;
  /** The run's tokens, shared by its model phases (the offline coach has its own). */
  readonly budget: TokenBudget;
  readonly ledger: UsageLedger;
  /** Each phase as it finished, in order. */
  readonly phases: PhaseRecord[];
  readonly warnings: RunResult['warnings'];
  /** The configured provider's model as it last answered (a provider may name the exact version). */
  model: string;
}

/** The first stand-in's note: why the run is degraded; null when the configured provider did every phase. */
export function degradedReason(phases: readonly PhaseRecord[]): string | null {
  return phases.find((p) => p.status === 'degraded')?.note ?? null;
}
