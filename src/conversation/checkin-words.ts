/**
 * The check-in's words from a model: one tool hands it the check-in's figures (checkin-review.ts),
 * it writes a few sentences in the coach's voice (the ask-coach prompt), and every figure it
 * writes must come from that tool (grounding.ts): sentences with another go. Without a model, when
 * it fails or times out (the offline fallback), or when nothing grounded is left, the rule coach
 * writes them (messages/checkin.ts).
 */
import { z } from 'zod';
import { round } from '../domain/numbers.js';
import { OFFLINE_PROVIDER } from '../llm/offline/offline-coach.js';
import type { LlmProvider } from '../llm/provider.js';
import type { Logger } from '../logger.js';
import { withOfflineFallback } from '../orchestrator/offline-fallback.js';
import { systemPrompt, type Prompts } from '../orchestrator/prompts.js';
import { runToolLoop, TokenBudget, type Tool } from '../orchestrator/tool-loop.js';
import type { CheckinReview } from './checkin-review.js';
import { removeFigures, ungroundedFigures } from './grounding.js';
import { checkinWords } from './messages/checkin.js';

export interface CheckinWordsDeps {
  provider: LlmProvider;
  prompts: Prompts;
  logger?: Logger;
  /** Tokens one check-in may spend (default 6,000). */
  tokenBudget?: number;
  /** After this long the rule coach writes it (default 60 s): a claim is held for ten minutes. */
  timeoutMs?: number;
}

/** Shorter than this once ungrounded sentences are gone: the rule coach's words instead. */
const MIN_CHARS = 40;

const ASK =
  "Write this week's check-in to the athlete: call get_checkin for the figures, then in at most two short paragraphs of plain text " +
  'say how last week went against the plan (sessions, hours, TSS), what their form (TSB) means for the week ahead, and what changed ' +
  'in the plan and why. Do not list the workouts of the week ahead: they are shown under your words. End by asking how the week ahead looks.';

/** The figures of a check-in as the tool returns them (rounded as the messages show them). */
function checkinFacts(r: CheckinReview) {
  const totals = (t: { sessions: number; hours: number; tss: number }) => ({
    sessions: t.sessions,
    hours: round(t.hours, 1),
    tss: round(t.tss),
  });
  return {
    athlete: r.name,
    today: r.today,
    hasPlan: r.hasPlan,
    lastWeek: {
      from: r.last.from,
      to: r.last.to,
      planned: totals(r.last.planned),
      done: totals(r.last.done),
      partlyDone: r.last.partial,
      stillToCome: r.last.ahead,
      missed: r.last.missed.map((m) => ({ date: m.date, name: m.name })),
      ridesNotInPlan: r.last.extra,
      rides: r.last.rides,
    },
    formNow: { ctl: round(r.form.ctl, 1), atl: round(r.form.atl, 1), tsb: round(r.form.tsb, 1) },
    weekAhead: {
      from: r.coming.from,
      to: r.coming.to,
      phase: r.coming.week?.phase ?? null,
      planned: totals(r.coming.planned),
      workouts: r.coming.statuses.map((s) => ({
        date: s.date,
        name: s.name,
        minutes: Math.round(s.durationMinutes),
        tss: round(s.tss),
        state: s.state,
      })),
    },
    planChanges: r.changes.map((c) => ({ reason: c.reason, changes: c.texts })),
  };
}

/** The check-in's words for `review`: the model's when it can, the rule coach's otherwise. */
export function checkinWriter(deps: CheckinWordsDeps): (review: CheckinReview) => Promise<string> {
  return async (review) => {
    const rules = checkinWords(review);
    if (deps.provider.name === OFFLINE_PROVIDER) return rules;
    return withOfflineFallback(
      async () => {
        const words = await modelWords(deps, review);
        return words.length >= MIN_CHARS ? words : rules;
      },
      (failure) => {
        deps.logger?.warn({ err: failure }, 'the model did not write the check-in: the rule coach did');
        return rules;
      },
    );
  };
}

async function modelWords(deps: CheckinWordsDeps, review: CheckinReview): Promise<string> {
  const tool: Tool<Record<string, never>> = {
    name: 'get_checkin',
    description:
      "The weekly check-in's figures: last week planned against done (sessions, hours, TSS, missed and extra rides), form now (CTL, ATL, TSB), the week ahead of the plan, and the plan's changes since the last check-in with their reasons.",
    input: z.object({}),
    run: () => checkinFacts(review),
  };
  const result = await runToolLoop<string>({
    provider: deps.provider,
    system: systemPrompt(deps.prompts, 'ask-coach'),
    user: ASK,
    tools: [tool as Tool],
    output: 'text',
    purpose: 'checkin',
    budget: new TokenBudget(deps.tokenBudget ?? 6_000),
    maxSteps: 3,
    maxTokens: 600,
    signal: AbortSignal.timeout(deps.timeoutMs ?? 60_000),
  });
  const sources = result.transcript.filter((m) => m.role === 'tool' && !m.isError).map((m) => m.content);
  const bad = ungroundedFigures(result.value, sources);
  return (bad.length > 0 ? removeFigures(result.value, bad) : result.value).trim();
}
