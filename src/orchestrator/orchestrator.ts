/**
 * One analysis run: data preparation → performance analysis → training planning → report
 * generation (one module each under phases/), with progress events, run records in the store,
 * and the offline coach standing in for a model that fails (the run completes, marked degraded,
 * with the reason).
 */
import { CHAT_CARD_FILE, renderChatCard } from '../report/pages/chat-card-page.js';
import type { AthleteStore } from '../store/store.js';
import { adoptPlan } from './coaching/adopt.js';
import type { RunEvent } from './events.js';
import { prepareData } from './phases/data-preparation.js';
import { analysePerformance } from './phases/performance-analysis.js';
import { generateReport } from './phases/report-generation.js';
import { planTraining } from './phases/training-planning.js';
import { DEFAULT_TOKEN_BUDGET, degradedReason, type OrchestratorDeps, type RunContext, type RunRequest } from './run-context.js';
import { failureOf, RunFailure } from './run-failure.js';
import { phasesJson } from './run-json.js';
import { PLAN_FILE, type RunResult } from './run-result.js';
import { TokenBudget } from './tool-loop.js';
import { UsageLedger } from './usage-ledger.js';

function retryInBackground(action: () => Promise<unknown>, tries: number, delayMs: number): void {
  const timer = setTimeout(() => {
    action().catch(() => {
      if (tries > 1) retryInBackground(action, tries - 1, delayMs);
    });
  }, delayMs);
  timer.unref();
}

/** The run's files as the store keeps them: the reports and run.json, the plan (for /plan and exports) and the chat card. */
function storedFiles(result: RunResult): { fileName: string; contentType: string; content: Uint8Array }[] {
  // The plan is kept as well, so that chat can answer "/plan" and export workouts later.
  const plan = result.report.plan
    ? [{ fileName: PLAN_FILE, contentType: 'application/json', content: JSON.stringify(result.report.plan) }]
    : [];
  // … and the chat card, so that a resent analysis shows the same picture.
  const card = { fileName: CHAT_CARD_FILE, contentType: 'text/html; charset=utf-8', content: renderChatCard(result.report) };
  return [...result.files, ...plan, card].map((f) => ({
    fileName: f.fileName,
    contentType: f.contentType,
    content: new TextEncoder().encode(f.content),
  }));
}

/** The four phases in order, each handed the run's context and what the phases before made. */
async function runPhases(ctx: RunContext): Promise<RunResult> {
  const { deps, runId } = ctx;
  const data = await prepareData(ctx);
  const analysis = await analysePerformance(ctx, data.detail);
  const planning = await planTraining(ctx, data.detail, analysis);
  const report = await generateReport(ctx, data, analysis, planning);
  const json = { ...report.json, phases: phasesJson(ctx.phases) };
  const degraded = degradedReason(ctx.phases);
  return {
    runId,
    status: degraded === null ? 'done' : 'degraded',
    provider: deps.provider.name,
    model: ctx.model,
    degradedReason: degraded,
    phases: ctx.phases,
    usage: ctx.ledger.total,
    costUsd: ctx.ledger.cost,
    warnings: ctx.warnings,
    upload: data.upload,
    report: report.model,
    files: [
      ...report.rendered.map((r) => ({ fileName: r.fileName, contentType: 'text/html; charset=utf-8', content: r.html })),
      { fileName: 'run.json', contentType: 'application/json', content: `${JSON.stringify(json, null, 2)}\n` },
    ],
    runJson: json,
    planInput: planning.input,
  };
}

export class Orchestrator {
  constructor(private readonly deps: OrchestratorDeps) {}

  async run(request: RunRequest): Promise<RunResult> {
    const { store, provider } = this.deps;
    const athlete = store.athlete(request.athleteId);
    const runRecord = request.runId
      ? await athlete.run(request.runId)
      : await athlete.startRun({ provider: provider.name, model: provider.model });
    if (!runRecord) throw new Error(`no run ${request.runId} for this athlete`);
    const runId = runRecord.id;
    if (runRecord.status === 'queued') await athlete.markRunning(runId);
    const emit = (event: RunEvent) => {
      try {
        request.onEvent?.(event);
      } catch {
        // a listener's failure must not stop the run
      }
    };
    emit({ type: 'run-started', runId });
    try {
      const result = await runPhases(this.context(athlete, runId, request, emit));
      await athlete.saveReports(runId, storedFiles(result));
      await athlete.finishRun(runId, {
        status: 'done',
        degraded: result.status === 'degraded',
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        costUsd: result.costUsd,
        provider: result.provider,
        model: result.model,
        ...(result.degradedReason ? { errorCode: 'degraded', errorMessage: result.degradedReason } : {}),
      });
      // the plan becomes the athlete's current plan, which the coaching loop follows from now on
      if (result.report.plan && result.planInput) await adoptPlan(athlete, { plan: result.report.plan, input: result.planInput, runId });
      emit({ type: 'run-done', runId, degraded: result.status === 'degraded' });
      return result;
    } catch (error) {
      throw await this.failed(athlete, runId, error, request.signal?.aborted === true, emit);
    }
  }

  private context(athlete: AthleteStore, runId: string, request: RunRequest, emit: (event: RunEvent) => void): RunContext {
    return {
      deps: this.deps,
      athlete,
      runId,
      request,
      emit,
      budget: new TokenBudget(this.deps.tokenBudget ?? DEFAULT_TOKEN_BUDGET),
      ledger: new UsageLedger(this.deps.priceOf),
      phases: [],
      warnings: [],
      model: this.deps.provider.model,
    };
  }

  /** Records the failure (when the store lets it), announces it, and gives the error to throw. */
  private async failed(
    athlete: AthleteStore,
    runId: string,
    error: unknown,
    aborted: boolean,
    emit: (event: RunEvent) => void,
  ): Promise<RunFailure> {
    const { code, message } = failureOf(error, aborted);
    const record = () => athlete.finishRun(runId, { status: 'failed', errorCode: code, errorMessage: message });
    try {
      await record();
    } catch {
      // The store itself may be what failed. Busy: record the failure once the other writer is
      // done (a few tries in the background). Full: the run stays `running` and becomes
      // `interrupted` at the next start.
      if (code === 'storage-busy') retryInBackground(record, 10, 1000);
    }
    emit({ type: 'run-failed', runId, code, message });
    return error instanceof RunFailure ? error : new RunFailure(code, message, runId, { cause: error });
  }
}
