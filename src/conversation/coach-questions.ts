/**
 * Questions to the coach in free text, answered from the athlete's own data. With a model: a
 * short tool-using conversation over the analysis tools and the plan, the last few turns as
 * context, and a grounding check (a figure no tool returned → regenerate once, then the sentence
 * goes). Without one (or when it fails): the offline intent matcher.
 */
import { z } from 'zod';
import type { Plan } from '../domain/plan/types.js';
import { weekDays } from '../domain/plan/week-views.js';
import { fenceData } from '../llm/fence.js';
import { OFFLINE_MODEL, OFFLINE_PROVIDER } from '../llm/offline/offline-coach.js';
import type { LlmMessage, LlmProvider, LlmUsage } from '../llm/provider.js';
import { analysisTools } from '../orchestrator/analysis-tools.js';
import { loadFactSheet, type FactSheetDetail } from '../orchestrator/fact-sheet.js';
import { withOfflineFallback } from '../orchestrator/offline-fallback.js';
import { systemPrompt, type Prompts } from '../orchestrator/prompts.js';
import { runToolLoop, TokenBudget, ToolError, type Tool } from '../orchestrator/tool-loop.js';
import type { PriceOf } from '../orchestrator/usage-ledger.js';
import type { AthleteStore } from '../store/store.js';
import { ungroundedFigures, removeFigures } from './grounding.js';
import { answerIntent } from './intent-answers.js';
import { detectIntent, isOffTopic, NEEDS_MODEL, OFF_TOPIC, type Intent } from './intents.js';
import { answerVolume, volumePeriod } from './volume-question.js';
import { storedPlan } from './stored-plan.js';

export interface CoachTurn {
  question: string;
  answer: string;
}

export interface CoachAnswer {
  text: string;
  provider: string;
  /** The model that answered (`rules-v1` for the offline matcher). */
  model: string;
  intent: Intent | null;
  /** Tokens spent on the model, also when it failed and the offline matcher answered. */
  usage: LlmUsage;
  costUsd: number;
  grounded: boolean;
  /** The model failed and the offline matcher answered. */
  fellBack: boolean;
}

export interface CoachQuestionsDeps {
  provider: LlmProvider;
  prompts: Prompts;
  clock: () => Date;
  tokenBudget?: number;
  priceOf?: PriceOf;
}

export const MAX_TURNS = 4;

function planTool(plan: Plan | null): Tool<{ date?: string | undefined }> {
  return {
    name: 'get_plan',
    description:
      "The workouts of the athlete's current plan for the week containing a date (YYYY-MM-DD, default today), with TSS, IF and duration; or that there is no plan.",
    input: z.object({
      date: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    }),
    run: ({ date }) => {
      if (!plan) throw new ToolError('The athlete has no plan yet (they need to run /analyze).');
      const week = plan.weeks.find((w) => w.days.some((d) => d.date === date)) ?? plan.weeks[0]!;
      return {
        week: week.week,
        phase: week.phase,
        plannedTss: week.plannedTss,
        hours: week.hours,
        days: weekDays(week, (w) => ({
          name: w.name,
          type: w.type,
          minutes: Math.round(w.durationMinutes),
          tss: w.tss,
          intensityFactor: w.intensityFactor,
        })),
      };
    },
  };
}

/** One question as the model answers it. */
interface ModelQuestion {
  athlete: AthleteStore;
  question: string;
  turns: CoachTurn[];
  today: string;
  detail: FactSheetDetail;
  plan: Plan | null;
  /** Shared by the answer and its regeneration; read again when the model fails part-way. */
  budget: TokenBudget;
  signal: AbortSignal | undefined;
}

export class CoachQuestions {
  constructor(private readonly deps: CoachQuestionsDeps) {}

  private async offline(
    athlete: AthleteStore,
    question: string,
    detail: FactSheetDetail | null,
    plan: Plan | null,
    today: string,
  ): Promise<{ text: string; intent: Intent | null }> {
    // Off cycling altogether: said so, whatever pattern the words happen to match ("what should I do in Paris?").
    if (isOffTopic(question)) return { text: OFF_TOPIC, intent: null };
    const intent = detectIntent(question);
    if (!intent) return { text: NEEDS_MODEL, intent: null };
    if (!detail) return { text: 'I have no rides from you yet: send me .fit files or your Strava export, then ask again.', intent };
    if (intent === 'volume') {
      const info = await athlete.info();
      return {
        text: answerVolume(
          volumePeriod(question, today),
          detail.loads.map((l) => l.activity),
          info.timeZone,
          info.units === 'imperial' ? 'imperial' : 'metric',
        ),
        intent,
      };
    }
    return { text: answerIntent(intent, detail, plan, today, question), intent };
  }

  async answer(athlete: AthleteStore, question: string, turns: CoachTurn[], today: string, signal?: AbortSignal): Promise<CoachAnswer> {
    const detail = await loadFactSheet(athlete, 6);
    const plan = await storedPlan(athlete);
    // the offline matcher's answer; `spent`: what the model used before it failed (paid for too)
    const offlineAnswer = async (spent: LlmUsage | null): Promise<CoachAnswer> => ({
      ...(await this.offline(athlete, question, detail, plan, today)),
      provider: OFFLINE_PROVIDER,
      model: OFFLINE_MODEL,
      usage: spent ?? { inputTokens: 0, outputTokens: 0 },
      costUsd: spent ? this.cost(spent) : 0,
      grounded: true,
      fellBack: spent !== null,
    });
    if (this.deps.provider.name === OFFLINE_PROVIDER || !detail) return offlineAnswer(null);
    const budget = new TokenBudget(this.deps.tokenBudget ?? 12_000);
    return withOfflineFallback(
      () => this.modelAnswer({ athlete, question, turns, today, detail, plan, budget, signal }),
      () => offlineAnswer(budget.usage),
      signal,
    );
  }

  /** The model's answer over the tools, checked for figures no tool returned (one regeneration, then they go). */
  private async modelAnswer(q: ModelQuestion): Promise<CoachAnswer> {
    const { athlete, question, today, detail, plan, budget, signal } = q;
    const provider = this.deps.provider;
    const history: LlmMessage[] = q.turns.slice(-MAX_TURNS).flatMap((t) => [
      { role: 'user' as const, content: fenceData('An earlier question', t.question) },
      { role: 'assistant' as const, content: t.answer },
    ]);
    const tools = [...analysisTools(detail), planTool(plan) as Tool];
    const sources = [question];
    const ask = async (user: string, previous: LlmMessage[]) => {
      const result = await runToolLoop<string>({
        provider,
        system: systemPrompt(this.deps.prompts, 'ask-coach'),
        user,
        history: previous,
        tools,
        output: 'text',
        purpose: 'ask-coach',
        budget,
        maxSteps: 6,
        maxTokens: 800,
        ...(signal ? { signal } : {}),
      });
      // Figures may come from any tool result of this question's conversation, the retry included.
      sources.push(...result.transcript.filter((m) => m.role === 'tool' && !m.isError).map((m) => m.content));
      return { text: result.value, transcript: result.transcript, bad: ungroundedFigures(result.value, sources) };
    };
    let reply = await ask(`${fenceData("The athlete's question", question)}\n\nToday is ${today}.`, history);
    let grounded = reply.bad.length === 0;
    if (!grounded) {
      // One regeneration, in the same conversation: the model sees what it said and why it is refused.
      reply = await ask(
        `Your answer stated figures that no tool returned: ${reply.bad.join(', ')}. Answer again using only numbers from tool results (call the tools you need).`,
        [...reply.transcript, { role: 'assistant', content: reply.text }],
      );
      grounded = reply.bad.length === 0;
    }
    let text = reply.text;
    if (!grounded) {
      text = removeFigures(reply.text, reply.bad);
      if (text.length === 0) text = (await this.offline(athlete, question, detail, plan, today)).text;
    }
    const usage = budget.usage;
    return {
      text,
      provider: provider.name,
      model: provider.model,
      intent: detectIntent(question),
      usage,
      costUsd: this.cost(usage),
      grounded,
      fellBack: false,
    };
  }

  private cost(usage: LlmUsage): number {
    return this.deps.priceOf?.(this.deps.provider.name, this.deps.provider.model, usage) ?? 0;
  }
}
