/**
 * One analysis run: data preparation → performance analysis → training planning → report
 * generation, with progress events, run records in the store, and the offline coach standing in
 * for a model that fails (the run completes, marked degraded, with the reason).
 */
import { isCycling, type Activity } from '../domain/activity.js';
import { addDays, daysBetween, longDate, performanceManagementChart } from '../domain/metrics/index.js';
import {
  MAX_PLAN_WEEKS,
  MIN_PLAN_WEEKS,
  planToIcs,
  POWER_ABILITIES,
  planWorkoutFiles,
  predictedPmc,
  snapToMonday,
  weekOfDate,
  type Plan,
  type PowerAbility,
} from '../domain/plan/index.js';
import { WEEKDAYS, type ProfileFields, type Weekday } from '../domain/profile.js';
import { fenceData } from '../llm/fence.js';
import { LlmError, type LlmProvider, type LlmUsage } from '../llm/provider.js';
import { CHAT_CARD_FILE, renderChatCard } from '../report/pages/chat-card-page.js';
import type { ReportModel } from '../report/report-model.js';
import type { AthleteStore, Store, UploadError, UploadSummary } from '../store/store.js';
import { analysisTools } from './analysis-tools.js';
import { PHASE_TITLES, type PhaseName, type RunEvent, type RunListener } from './events.js';
import { loadFactSheet, sheetForModel, type FactSheetDetail } from './fact-sheet.js';
import { planningTools, PlanState, type PlanningContext } from './planning-tools.js';
import { systemPrompt, type Prompts } from './prompts.js';
import { buildReportModel } from './report-builder.js';
import { analysisSchema, planningSchema, type Analysis, type PlanningNotes } from './schemas.js';
import { LoopError, runToolLoop, TokenBudget, type Tool, type ToolLoopResult } from './tool-loop.js';
import { appendAll } from '../domain/arrays.js';

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
  priceOf?: (provider: string, model: string, usage: LlmUsage) => number | undefined;
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

export interface PhaseRecord {
  name: PhaseName;
  status: 'done' | 'degraded' | 'skipped' | 'failed';
  seconds: number;
  inputTokens: number;
  outputTokens: number;
  provider: string;
  note?: string;
}

export interface RunResult {
  runId: string;
  status: 'done' | 'degraded';
  provider: string;
  model: string;
  degradedReason: string | null;
  phases: PhaseRecord[];
  usage: LlmUsage;
  costUsd: number;
  warnings: { code: string; message: string }[];
  upload: UploadSummary | null;
  report: ReportModel;
  /** index.html, coaching_insights.html, performance_dashboard.html, run.json — contents, not yet written. */
  files: { fileName: string; contentType: string; content: string }[];
  runJson: RunJson;
}

export interface RunJson {
  runId: string;
  status: 'done' | 'degraded' | 'failed';
  generatedAt: string;
  provider: string;
  model: string;
  degradedReason: string | null;
  phases: { name: PhaseName; status: string; seconds: number; inputTokens: number; outputTokens: number }[];
  tokens: { input: number; output: number; budget: number };
  costUsd: number;
  period: { from: string; to: string; months: number };
  athlete: { name: string; ftp: number | null; ftpSource: string; eftp: number | null; weightKg: number | null; wattsPerKg: number | null };
  /** At the end of the period, the day of the latest ride (`date`). */
  fitness: { ctl: number | null; atl: number | null; tsb: number | null; rampRate: number | null; date?: string | null };
  /** The same carried on to the run's day: faded by the days without rides since. */
  fitnessToday?: { date: string; ctl: number; atl: number; tsb: number } | null;
  latestRide?: { date: string; daysAgo: number } | null;
  bests: Record<'5' | '60' | '300' | '1200', number | null>;
  /**
   * Rides only (`activities`, `hours`, `distanceKm`), other sports apart (`otherSports`, absent in
   * runs from before they were). `weeklyLoad` is every sport's load, as in CTL;
   * `estimatedLoadPercent` the share of it not from measured power (heart rate, Strava's estimated
   * power, ride time).
   */
  volume: {
    activities: number;
    hours: number;
    distanceKm: number;
    weeklyLoad: number;
    otherSports?: { sport: string; count: number; hours: number }[];
    estimatedLoadPercent?: number | null;
  };
  upload: { new: number; duplicates: number; merged: number; errors: number } | null;
  plan: { weeks: number; startDate: string | null; eventDate: string | null; plannedTss: number[] } | null;
  warnings: { code: string; message: string }[];
}

export class RunFailure extends Error {
  override name = 'RunFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly runId: string,
  ) {
    super(message);
  }
}

export const DEFAULT_TOKEN_BUDGET = 30_000;

/** The stored plan of a run (not written by `generate`, which writes the four report files). */
export const PLAN_FILE = 'plan.json';

const day = (d: Date) => d.toISOString().slice(0, 10);
const seconds = (ms: number) => Math.round(ms / 10) / 100;

/** Training days and weekly hours the plan needs, from the profile or — said out loud — from the rides. */
function planningProfile(
  detail: FactSheetDetail,
  profile: ProfileFields,
  planStartDate: string,
  warnings: { code: string; message: string }[],
): ProfileFields {
  const out = { ...profile, ftp: profile.ftp ?? detail.sheet.athlete.ftp };
  // One plan covers 4–24 weeks: an event further away (or already past, or too close for a block)
  // does not cost the athlete their plan — it becomes a block without peak and taper, and says so.
  if (out.eventDate) {
    const start = snapToMonday(planStartDate);
    const week = weekOfDate(start, out.eventDate);
    const weeks = out.planWeeks ?? 12;
    if (out.eventDate < start)
      warnings.push({
        code: 'event-past',
        message: `Your event on ${out.eventDate} has passed: this plan is a ${weeks}-week block without an event. Tell the coach your next one (e.g. "event 2027-07-05").`,
      });
    else if (week > MAX_PLAN_WEEKS)
      warnings.push({
        code: 'event-far',
        message: `Your event on ${out.eventDate} is ${week} weeks away, more than the ${MAX_PLAN_WEEKS} weeks one plan covers: this plan is a ${weeks}-week block of base and build towards it; the peak and taper come with a later analysis.`,
      });
    else if (week < MIN_PLAN_WEEKS)
      warnings.push({
        code: 'event-close',
        message: `Your event on ${out.eventDate} is in week ${week}, too close for a full block: this plan is a ${weeks}-week block. Keep the last days before the event easy.`,
      });
    if (out.eventDate < start || week > MAX_PLAN_WEEKS || week < MIN_PLAN_WEEKS) out.eventDate = null;
  }
  // the rides of the period: the plan's baseline is riding, not runs or hikes
  const periodLoads = detail.loads.filter(
    (l) =>
      isCycling(l.activity.sport) &&
      day(l.activity.startTime) >= detail.sheet.period.from &&
      day(l.activity.startTime) <= detail.sheet.period.to,
  );
  if (out.weeklyHours === null) {
    const weeks = Math.max(1, detail.sheet.comparison.current.weeks);
    const hours = Math.min(20, Math.max(3, Math.round(detail.sheet.comparison.current.hours / weeks)));
    out.weeklyHours = hours;
    warnings.push({
      code: 'hours-estimated',
      message: `No weekly hours were given: the plan uses ${hours} h, about what you rode per week. Tell the coach your real availability.`,
    });
  }
  if (out.trainingDays === null || out.trainingDays.length === 0) {
    const counts = new Map<Weekday, number>();
    for (const l of periodLoads) {
      const wd = WEEKDAYS[(l.activity.startTime.getUTCDay() + 6) % 7]!;
      counts.set(wd, (counts.get(wd) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
    const days = (ranked.length >= 3 ? ranked.slice(0, Math.min(5, ranked.length)) : (['tue', 'thu', 'sat', 'sun'] as Weekday[])).sort(
      (a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b),
    );
    out.trainingDays = days;
    warnings.push({
      code: 'days-estimated',
      message: `No training days were given: the plan uses ${days.join(', ')}, the days you rode most. Tell the coach your real days.`,
    });
  }
  return out;
}

function retryInBackground(action: () => void, tries: number, delayMs: number): void {
  const timer = setTimeout(() => {
    try {
      action();
    } catch {
      if (tries > 1) retryInBackground(action, tries - 1, delayMs);
    }
  }, delayMs);
  timer.unref();
}

/**
 * CTL and ATL going into the plan's first day: the analysis ends with the latest ride; when that
 * was days or weeks ago, fitness and fatigue have decayed since (no load) and the plan must start
 * from where the athlete is now, not where they were. The fact sheet carries them to today; from
 * there on to the day before the plan starts. With the latest ride's date, for the return block.
 */
function fitnessAtPlanStart(
  detail: FactSheetDetail,
  planStartDate: string,
  warnings: { code: string; message: string }[],
): { ctl: number; atl: number; lastRideDate: string | null } {
  const fitness = detail.sheet.fitness;
  const lastRideDate = detail.sheet.latestRide?.date ?? null;
  if (!fitness) return { ctl: 0, atl: 0, lastRideDate };
  const from = detail.sheet.fitnessToday ?? fitness;
  const last = addDays(planStartDate, -1);
  const carried =
    performanceManagementChart([], { start: addDays(from.date, 1), end: last, initialCtl: from.ctl, initialAtl: from.atl }).at(-1) ?? from;
  const gap = daysBetween(fitness.date, addDays(planStartDate, -1));
  if (gap >= 7) {
    warnings.push({
      code: 'fitness-carried-forward',
      message: `Your latest ride was on ${longDate(fitness.date)}, ${gap} days before the plan starts: the plan starts from fitness (CTL) ${carried.ctl.toFixed(1)} rather than ${fitness.ctl.toFixed(1)}, as it has faded since. Send newer rides if you have them.`,
    });
  }
  return { ctl: carried.ctl, atl: carried.atl, lastRideDate };
}

export class Orchestrator {
  constructor(private readonly deps: OrchestratorDeps) {}

  async run(request: RunRequest): Promise<RunResult> {
    const { store } = this.deps;
    const athlete = store.athlete(request.athleteId);
    const runRecord = request.runId
      ? athlete.run(request.runId)
      : athlete.startRun({ provider: this.deps.provider.name, model: this.deps.provider.model });
    if (!runRecord) throw new Error(`no run ${request.runId} for this athlete`);
    const runId = runRecord.id;
    if (runRecord.status === 'queued') athlete.markRunning(runId);
    const emit = (event: RunEvent) => {
      try {
        request.onEvent?.(event);
      } catch {
        // a listener's failure must not stop the run
      }
    };
    emit({ type: 'run-started', runId });
    try {
      const result = await this.phases(athlete, runId, request, emit);
      // The plan is kept as well, so that chat can answer "/plan" and export workouts later.
      const plan = result.report.plan
        ? [{ fileName: PLAN_FILE, contentType: 'application/json', content: JSON.stringify(result.report.plan) }]
        : [];
      // … and the chat card, so that a resent analysis shows the same picture.
      const card = { fileName: CHAT_CARD_FILE, contentType: 'text/html; charset=utf-8', content: renderChatCard(result.report) };
      athlete.saveReports(
        runId,
        [...result.files, ...plan, card].map((f) => ({
          fileName: f.fileName,
          contentType: f.contentType,
          content: new TextEncoder().encode(f.content),
        })),
      );
      athlete.finishRun(runId, {
        status: 'done',
        degraded: result.status === 'degraded',
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        costUsd: result.costUsd,
        provider: result.provider,
        model: result.model,
        ...(result.degradedReason ? { errorCode: 'degraded', errorMessage: result.degradedReason } : {}),
      });
      emit({ type: 'run-done', runId, degraded: result.status === 'degraded' });
      return result;
    } catch (error) {
      const aborted = request.signal?.aborted === true;
      const storage = storageProblem(error);
      const code = aborted ? 'cancelled' : error instanceof RunFailure ? error.code : storage ? storage.code : 'internal';
      const message = aborted
        ? 'The run was cancelled.'
        : storage
          ? storage.message
          : error instanceof Error
            ? error.message
            : String(error);
      const record = () => athlete.finishRun(runId, { status: 'failed', errorCode: code, errorMessage: message });
      try {
        record();
      } catch {
        // The store itself may be what failed. Busy: record the failure once the other writer is
        // done (a few tries in the background). Full: the run stays `running` and becomes
        // `interrupted` at the next start.
        if (code === 'storage-busy') retryInBackground(record, 10, 1000);
      }
      emit({ type: 'run-failed', runId, code, message });
      throw error instanceof RunFailure ? error : new RunFailure(code, message, runId);
    }
  }

  private async phases(athlete: AthleteStore, runId: string, request: RunRequest, emit: (e: RunEvent) => void): Promise<RunResult> {
    const { clock, prompts } = this.deps;
    const budget = new TokenBudget(this.deps.tokenBudget ?? DEFAULT_TOKEN_BUDGET);
    const phases: PhaseRecord[] = [];
    const warnings: { code: string; message: string }[] = [];
    let degradedReason: string | null = null;
    let usedModel = this.deps.provider.model;
    const usage: LlmUsage = { inputTokens: 0, outputTokens: 0 };
    let costUsd = 0;

    const timed = async <T>(
      name: PhaseName,
      index: number,
      body: () => Promise<{ value: T; record: Omit<PhaseRecord, 'name' | 'seconds'> }>,
    ): Promise<T> => {
      // Between phases, let the bots answer whoever is waiting (the engine's work is synchronous).
      await new Promise((resolve) => setImmediate(resolve));
      request.signal?.throwIfAborted();
      emit({ type: 'phase-started', runId, phase: name, index });
      const started = performance.now();
      const startedAt = clock();
      const { value, record } = await body();
      const full: PhaseRecord = { name, seconds: seconds(performance.now() - started), ...record };
      phases.push(full);
      athlete.finishPhase(runId, {
        phase: name,
        status: full.status === 'degraded' ? 'degraded' : full.status === 'failed' ? 'failed' : 'done',
        startedAt,
        durationMs: full.seconds * 1000,
        inputTokens: full.inputTokens,
        outputTokens: full.outputTokens,
        ...(full.note ? { note: full.note } : {}),
      });
      emit({
        type: 'phase-done',
        runId,
        phase: name,
        status: full.status === 'failed' ? 'degraded' : full.status,
        seconds: full.seconds,
        ...(full.note ? { note: full.note } : {}),
      });
      return value;
    };

    // A model phase: the configured provider first; on any provider or loop failure a fresh
    // conversation with the offline coach. Each phase starts from its own inputs only.
    const modelPhase = async <T>(
      name: 'performance-analysis' | 'training-planning',
      user: string,
      tools: () => Tool[],
      output: typeof analysisSchema | typeof planningSchema,
    ): Promise<{ value: T; record: Omit<PhaseRecord, 'name' | 'seconds'> }> => {
      // The offline coach costs nothing: it has a budget of its own, so a model that used the run's
      // budget up still gets a stand-in rather than a failed run.
      const attempt = (provider: LlmProvider) =>
        runToolLoop({
          provider,
          system: systemPrompt(prompts, name),
          user,
          tools: tools(),
          output: output as never,
          purpose: name,
          budget: provider === this.deps.offline ? new TokenBudget(Number.POSITIVE_INFINITY) : budget,
          maxSteps: this.deps.maxStepsPerPhase ?? 8,
          ...(request.signal ? { signal: request.signal } : {}),
          onStep: ({ toolCalls }) =>
            emit({
              type: 'phase-progress',
              runId,
              phase: name,
              message: toolCalls.length > 0 ? `looking at ${toolCalls.map((t) => t.replace(/_/g, ' ')).join(', ')}` : 'writing',
            }),
        }) as Promise<ToolLoopResult<T>>;
      const primary = this.deps.provider;
      let result: ToolLoopResult<T>;
      let status: PhaseRecord['status'] = 'done';
      let note: string | undefined;
      let providerName = primary.name;
      // Tokens the primary spent before failing are paid for too.
      let failedSpend: LlmUsage = { inputTokens: 0, outputTokens: 0 };
      const before = budget.usage;
      try {
        result = await attempt(primary);
      } catch (error) {
        const after = budget.usage;
        failedSpend = { inputTokens: after.inputTokens - before.inputTokens, outputTokens: after.outputTokens - before.outputTokens };
        usage.inputTokens += failedSpend.inputTokens;
        usage.outputTokens += failedSpend.outputTokens;
        costUsd += this.deps.priceOf?.(primary.name, primary.model, failedSpend) ?? 0;
        if (request.signal?.aborted) throw error;
        if (!(error instanceof LlmError) && !(error instanceof LoopError)) throw error;
        if (primary.name === this.deps.offline.name)
          throw new RunFailure('offline-coach-failed', `The offline coach failed in ${PHASE_TITLES[name]}: ${error.message}`, runId);
        note = `${primary.name} failed (${error instanceof LlmError ? error.code : error.code}): ${error.message} — the offline coach stood in.`;
        degradedReason ??= note;
        status = 'degraded';
        providerName = this.deps.offline.name;
        result = await attempt(this.deps.offline);
      }
      usage.inputTokens += result.usage.inputTokens;
      usage.outputTokens += result.usage.outputTokens;
      if (providerName === primary.name) {
        usedModel = result.model;
        costUsd += this.deps.priceOf?.(primary.name, result.model, result.usage) ?? 0;
      }
      return {
        value: result.value,
        record: {
          status,
          inputTokens: result.usage.inputTokens + failedSpend.inputTokens,
          outputTokens: result.usage.outputTokens + failedSpend.outputTokens,
          provider: providerName,
          ...(note ? { note } : {}),
        },
      };
    };

    // 1. Data preparation
    let upload: UploadSummary | null = null;
    const detail = await timed('data-preparation', 0, async () => {
      if (request.upload) {
        upload = athlete.recordUpload(request.upload.files, { activities: request.upload.activities, errors: request.upload.errors });
        emit({
          type: 'phase-progress',
          runId,
          phase: 'data-preparation',
          message: `${upload.new} new, ${upload.duplicates} already there, ${upload.merged} merged`,
        });
      }
      // today (the run's clock) fades fitness to now and dates the latest ride
      const built = loadFactSheet(athlete, request.periodMonths ?? 6, undefined, day(clock()));
      if (!built)
        throw new RunFailure('no-activities', 'There are no rides to analyse yet: send FIT files or your Strava export first.', runId);
      appendAll(warnings, built.sheet.warnings);
      const others = built.sheet.comparison.current.otherSports.reduce((n, o) => n + o.count, 0);
      return {
        value: built,
        record: {
          status: 'done',
          inputTokens: 0,
          outputTokens: 0,
          provider: 'engine',
          note: `${built.sheet.comparison.current.activityCount} rides${others > 0 ? ` (+ ${others} other activities)` : ''} from ${built.sheet.period.from} to ${built.sheet.period.to}`,
        },
      };
    });

    // 2. Performance analysis
    const analysisUser = [
      `Analyse this athlete's period ${detail.sheet.period.from} to ${detail.sheet.period.to} (${detail.sheet.period.months} months) against the ${detail.sheet.period.months} months before.`,
      fenceData('Fact sheet', sheetForModel(detail.sheet)),
    ].join('\n\n');
    const analysis = await timed<Analysis>('performance-analysis', 1, () =>
      modelPhase<Analysis>('performance-analysis', analysisUser, () => analysisTools(detail), analysisSchema),
    );

    // 3. Training planning
    let plan: Plan | null = null;
    let planNotes: PlanningNotes | null = null;
    let planContext: PlanningContext | null = null;
    if (request.skipPlan) {
      phases.push({ name: 'training-planning', status: 'skipped', seconds: 0, inputTokens: 0, outputTokens: 0, provider: 'none' });
      emit({ type: 'phase-done', runId, phase: 'training-planning', status: 'skipped', seconds: 0 });
    } else {
      const profile = athlete.currentProfile() ?? null;
      const base: ProfileFields = profile ?? {
        ftp: null,
        weightKg: null,
        maxHr: null,
        lthr: null,
        restingHr: null,
        age: null,
        sex: null,
        goals: null,
        eventDate: null,
        trainingDays: null,
        weeklyHours: null,
        planWeeks: null,
      };
      const effective = planningProfile(detail, base, request.planStartDate, warnings);
      const limiters = analysis.limiters
        .map((l) => l.area)
        .filter((a): a is PowerAbility => (POWER_ABILITIES as readonly string[]).includes(a));
      planContext = {
        profile: { ...effective, name: detail.sheet.athlete.name },
        fitness: fitnessAtPlanStart(detail, request.planStartDate, warnings),
        limiters: [...new Set(limiters)],
        strengths: [],
        startDate: request.planStartDate,
        planWeeks: request.planWeeks ?? effective.planWeeks ?? null,
        analysisSummary: analysis.summary,
        recommendations: analysis.recommendations.shortTerm,
      };
      const state = new PlanState();
      const context = planContext;
      const planningUser = [
        `Build the next training block for this athlete, starting ${request.planStartDate}.`,
        fenceData('Analysis of the last period', {
          summary: analysis.summary,
          limiters: analysis.limiters,
          recommendations: analysis.recommendations,
        }),
      ].join('\n\n');
      planNotes = await timed<PlanningNotes>('training-planning', 2, async () => {
        const out = await modelPhase<PlanningNotes>(
          'training-planning',
          planningUser,
          () => {
            state.plan = null;
            return planningTools(context, state);
          },
          planningSchema,
        );
        if (state.plan === null) {
          // The model wrote its notes without an accepted proposal: the engine builds the plan with its defaults.
          const propose = planningTools(context, state).find((t) => t.name === 'propose_plan')!;
          try {
            await propose.run({});
            warnings.push({
              code: 'plan-by-engine',
              message: 'The model proposed no plan: the engine built one from your profile and fitness.',
            });
          } catch (error) {
            warnings.push({
              code: 'no-plan',
              message: `No plan could be built from the profile: ${error instanceof Error ? error.message : String(error)}`,
            });
          }
        }
        plan = state.plan;
        return out;
      });
    }

    // 4. Report generation
    const generatedAt = clock();
    const files = await timed('report-generation', 3, async () => {
      const finalPlan = plan as Plan | null;
      const projected =
        finalPlan && planContext
          ? predictedPmc(finalPlan, { ctl: planContext.fitness.ctl, atl: planContext.fitness.atl }).map((p) => ({
              date: p.date,
              ctl: Math.round(p.ctl * 10) / 10,
              atl: Math.round(p.atl * 10) / 10,
              tsb: Math.round(p.tsb * 10) / 10,
            }))
          : [];
      const exports = finalPlan
        ? planExports(finalPlan, generatedAt, athlete.athleteId, detail.sheet.athlete.name, detail.sheet.athlete.goals)
        : null;
      const provider = degradedReason === null ? this.deps.provider.name : `${this.deps.provider.name}+offline`;
      const model = buildReportModel({
        runId,
        generatedAt,
        detail,
        analysis,
        plan: finalPlan,
        planNotes,
        planExports: exports,
        projectedPmc: projected,
        prompts,
        provider: this.deps.provider.name,
        model: usedModel,
        degradedReason,
        warnings,
        units: athlete.info().units,
      });
      const rendered = this.deps.renderReports(model);
      const json = runJson({
        runId,
        generatedAt,
        detail,
        phases,
        provider,
        model: usedModel,
        degradedReason,
        usage,
        budget: budget.limit,
        costUsd,
        upload,
        plan: finalPlan,
        warnings,
      });
      // the report phase's own timing is added to run.json after it finishes (below)
      return { value: { model, rendered, json }, record: { status: 'done' as const, inputTokens: 0, outputTokens: 0, provider: 'engine' } };
    });
    const json = {
      ...files.json,
      phases: phases.map((p) => ({
        name: p.name,
        status: p.status,
        seconds: p.seconds,
        inputTokens: p.inputTokens,
        outputTokens: p.outputTokens,
      })),
    };
    return {
      runId,
      status: degradedReason === null ? 'done' : 'degraded',
      provider: this.deps.provider.name,
      model: usedModel,
      degradedReason,
      phases,
      usage,
      costUsd,
      warnings,
      upload,
      report: files.model,
      files: [
        ...files.rendered.map((r) => ({ fileName: r.fileName, contentType: 'text/html; charset=utf-8', content: r.html })),
        { fileName: 'run.json', contentType: 'application/json', content: `${JSON.stringify(json, null, 2)}\n` },
      ],
      runJson: json,
    };
  }
}

function planExports(
  plan: Plan,
  generatedAt: Date,
  athleteId: string,
  athleteName: string,
  goals: string | null,
): ReportModel['planExports'] {
  return {
    ics: planToIcs(plan, {
      dtstamp: generatedAt,
      owner: athleteId,
      revisedAt: generatedAt,
      calendarName: `domestique plan — ${athleteName}`,
      goal: goals,
    }),
    zwo: planWorkoutFiles(plan),
  };
}

function runJson(input: {
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
  const r = (v: number | null | undefined, d = 0) => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(d)));
  return {
    runId: input.runId,
    status: input.degradedReason === null ? 'done' : 'degraded',
    generatedAt: input.generatedAt.toISOString(),
    provider: input.provider,
    model: input.model,
    degradedReason: input.degradedReason,
    phases: input.phases.map((p) => ({
      name: p.name,
      status: p.status,
      seconds: p.seconds,
      inputTokens: p.inputTokens,
      outputTokens: p.outputTokens,
    })),
    tokens: { input: input.usage.inputTokens, output: input.usage.outputTokens, budget: input.budget },
    costUsd: Number(input.costUsd.toFixed(6)),
    period: { from: sheet.period.from, to: sheet.period.to, months: sheet.period.months },
    athlete: {
      name: sheet.athlete.name,
      ftp: sheet.athlete.ftp,
      ftpSource: sheet.athlete.ftpSource,
      eftp: r(sheet.powerCurve.model.eftp),
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
    bests: { '5': r(bests[5]), '60': r(bests[60]), '300': r(bests[300]), '1200': r(bests[1200]) },
    volume: {
      activities: sheet.comparison.current.activityCount,
      hours: r(sheet.comparison.current.hours, 1) ?? 0,
      distanceKm: r(sheet.comparison.current.distanceKm, 1) ?? 0,
      weeklyLoad: r(sheet.comparison.current.weeklyLoad) ?? 0,
      otherSports: sheet.comparison.current.otherSports.map((o) => ({ sport: o.sport, count: o.count, hours: r(o.hours, 1) ?? 0 })),
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

/** A full disk or a locked database, in words for the athlete; null for anything else. */
function storageProblem(error: unknown): { code: string; message: string } | null {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_FULL')
    return {
      code: 'storage-full',
      message: 'The server ran out of storage while saving your reports. Your rides and earlier reports are safe; please try again later.',
    };
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return {
      code: 'storage-busy',
      message: 'The database was busy and could not save your reports. Your rides are safe; please try again in a minute.',
    };
  return null;
}

/** Monday on or after `date` (YYYY-MM-DD). */
export function nextMonday(date: Date): string {
  const d = day(date);
  const weekday = (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
  return weekday === 0 ? d : addDays(d, 7 - weekday);
}
