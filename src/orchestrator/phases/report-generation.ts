/**
 * Phase 4, report generation: the report model from the engine's numbers and the phases'
 * writing, the plan's calendar and workout files, the rendered pages and run.json.
 */
import { round } from '../../domain/numbers.js';
import { planToIcs, planWorkoutFiles, predictedPmc, workoutFitFiles, type Plan } from '../../domain/plan/index.js';
import type { ReportModel } from '../../report/report-model.js';
import { complianceSection } from '../compliance-section.js';
import type { FactSheetDetail } from '../fact-sheet.js';
import { buildReportModel } from '../report-builder.js';
import { degradedReason, type RunContext } from '../run-context.js';
import { runJson } from '../run-json.js';
import type { RunJson } from '../run-result.js';
import type { Analysis } from '../schemas.js';
import type { PreparedData } from './data-preparation.js';
import { engineRecord, runPhase } from './run-phase.js';
import type { Planning } from './training-planning.js';

export interface GeneratedReport {
  model: ReportModel;
  rendered: { fileName: string; html: string }[];
  /** Without the report phase's own timing, added once it is done. */
  json: RunJson;
}

function planExports(
  plan: Plan,
  generatedAt: Date,
  athleteId: string,
  detail: FactSheetDetail,
  ftp: number | null,
): ReportModel['planExports'] {
  const { name, goals } = detail.sheet.athlete;
  const workouts = plan.weeks.flatMap((w) => w.days.flatMap((d) => d.workouts));
  const fit =
    ftp === null
      ? []
      : workoutFitFiles(workouts, ftp, { timeCreated: generatedAt }).map((f) => ({
          fileName: f.fileName,
          base64: Buffer.from(f.content).toString('base64'),
        }));
  return {
    ics: planToIcs(plan, {
      dtstamp: generatedAt,
      owner: athleteId,
      revisedAt: generatedAt,
      calendarName: `domestique plan — ${name}`,
      goal: goals,
    }),
    zwo: planWorkoutFiles(plan),
    fit,
  };
}

/** Fitness, fatigue and form over the plan's days, from the fitness it starts with. */
function projectedPmc(planning: Planning): ReportModel['projectedPmc'] {
  if (!planning.plan || !planning.context) return [];
  const { ctl, atl } = planning.context.fitness;
  return predictedPmc(planning.plan, { ctl, atl }).map((p) => ({
    date: p.date,
    ctl: round(p.ctl, 1),
    atl: round(p.atl, 1),
    tsb: round(p.tsb, 1),
  }));
}

export function generateReport(ctx: RunContext, data: PreparedData, analysis: Analysis, planning: Planning): Promise<GeneratedReport> {
  const { deps, athlete, runId } = ctx;
  const generatedAt = deps.clock();
  const { detail } = data;
  return runPhase(ctx, 'report-generation', 3, async () => {
    const degraded = degradedReason(ctx.phases);
    const compliance = await complianceSection(athlete, generatedAt);
    const { units } = await athlete.info();
    const model = buildReportModel({
      runId,
      generatedAt,
      detail,
      analysis,
      plan: planning.plan,
      planNotes: planning.notes,
      planExports: planning.plan ? planExports(planning.plan, generatedAt, athlete.athleteId, detail, planning.input?.ftp ?? null) : null,
      compliance,
      projectedPmc: projectedPmc(planning),
      prompts: deps.prompts,
      provider: deps.provider.name,
      model: ctx.model,
      degradedReason: degraded,
      warnings: ctx.warnings,
      units,
    });
    const rendered = deps.renderReports(model);
    const json = runJson({
      runId,
      generatedAt,
      detail,
      phases: ctx.phases,
      provider: degraded === null ? deps.provider.name : `${deps.provider.name}+offline`,
      model: ctx.model,
      degradedReason: degraded,
      usage: ctx.ledger.total,
      budget: ctx.budget.limit,
      costUsd: ctx.ledger.cost,
      upload: data.upload,
      plan: planning.plan,
      warnings: ctx.warnings,
    });
    // the report phase's own timing is added to run.json after it finishes
    return { value: { model, rendered, json }, record: engineRecord() };
  });
}
