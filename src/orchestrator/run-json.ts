/**
 * run.json: the run's summary stored beside its reports (and written by `generate`), in figures a
 * script can read: status, provider, phases, tokens and cost, the period, the athlete, fitness,
 * bests, volume, the upload, the plan's weeks and the warnings.
 */
import { round, roundOrNull } from '../domain/numbers.js';
import type { Plan } from '../domain/plan/index.js';
import type { LlmUsage } from '../llm/provider.js';
import type { UploadSummary } from '../store/store.js';
import type { FactSheetDetail } from './fact-sheet.js';
import type { PhaseRecord, RunJson } from './run-result.js';

/** The phases as run.json lists them. */
export function phasesJson(phases: readonly PhaseRecord[]): RunJson['phases'] {
  return phases.map((p) => ({
    name: p.name,
    status: p.status,
    seconds: p.seconds,
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
  }));
}

/** run.json of a run at the report phase: the phases so far (the report phase is added once it is done). */
export function runJson(input: {
  runId: string;
  generatedAt: Date;
  detail: FactSheetDetail;
  phases: PhaseRecord[];
  provider: string;
  model: string;
  degradedReason: string | null;
  usage: LlmUsage;
  budget: number;
  costUsd: number;
  upload: UploadSummary | null;
  plan: Plan | null;
  warnings: { code: string; message: string }[];
}): RunJson {
  const { sheet } = input.detail;
  const bests = sheet.comparison.current.powerCurve;
  return {
    runId: input.runId,
    status: input.degradedReason === null ? 'done' : 'degraded',
    generatedAt: input.generatedAt.toISOString(),
    provider: input.provider,
    model: input.model,
    degradedReason: input.degradedReason,
    phases: phasesJson(input.phases),
    tokens: { input: input.usage.inputTokens, output: input.usage.outputTokens, budget: input.budget },
    costUsd: round(input.costUsd, 6),
    period: { from: sheet.period.from, to: sheet.period.to, months: sheet.period.months },
    athlete: {
      name: sheet.athlete.name,
      ftp: sheet.athlete.ftp,
      ftpSource: sheet.athlete.ftpSource,
      eftp: roundOrNull(sheet.powerCurve.model.eftp),
      weightKg: sheet.athlete.weightKg,
      wattsPerKg: sheet.athlete.wattsPerKg,
    },
    fitness: {
      ctl: sheet.fitness?.ctl ?? null,
      atl: sheet.fitness?.atl ?? null,
      tsb: sheet.fitness?.tsb ?? null,
      rampRate: sheet.fitness?.rampRate ?? null,
      date: sheet.fitness?.date ?? null,
    },
    fitnessToday: sheet.fitnessToday,
    latestRide: sheet.latestRide,
    bests: { '5': roundOrNull(bests[5]), '60': roundOrNull(bests[60]), '300': roundOrNull(bests[300]), '1200': roundOrNull(bests[1200]) },
    volume: {
      activities: sheet.comparison.current.activityCount,
      hours: roundOrNull(sheet.comparison.current.hours, 1) ?? 0,
      distanceKm: roundOrNull(sheet.comparison.current.distanceKm, 1) ?? 0,
      weeklyLoad: roundOrNull(sheet.comparison.current.weeklyLoad) ?? 0,
      otherSports: sheet.comparison.current.otherSports.map((o) => ({
        sport: o.sport,
        count: o.count,
        hours: roundOrNull(o.hours, 1) ?? 0,
      })),
      estimatedLoadPercent: sheet.loadSources?.estimatedPercent ?? null,
    },
    upload: input.upload
      ? { new: input.upload.new, duplicates: input.upload.duplicates, merged: input.upload.merged, errors: input.upload.errors.length }
      : null,
    plan: input.plan
      ? {
          weeks: input.plan.weeks.length,
          startDate: input.plan.startDate ?? null,
          eventDate: input.plan.eventDate ?? null,
          plannedTss: input.plan.weeks.map((w) => w.plannedTss),
        }
      : null,
    warnings: input.warnings,
  };
}
