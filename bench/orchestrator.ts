/**
 * Orchestrator figures, printed as one JSON line (run by bench/run.ts in its own process):
 * - offline end to end on the shared corpus (FIT folder + Strava CSV), as `generate` runs it;
 * - overhead of the orchestration around a model with a fixed latency per call;
 * - characters (≈ tokens) sent per phase in a typical model conversation.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingestPaths } from '../src/app/inspect.js';
import { createOfflineCoach } from '../src/llm/offline/offline-coach.js';
import { LlmError, type LlmProvider, type LlmRequest, type LlmResponse } from '../src/llm/provider.js';
import { loadPrompts } from '../src/orchestrator/prompts.js';
import { Orchestrator } from '../src/orchestrator/orchestrator.js';
import { renderReports } from '../src/report/render.js';
import { Store } from '../src/store/store.js';
import { ANALYSIS_ANSWER, PLANNING_ANSWER } from '../tests/support/model-answers.js';
import { seedAthlete } from '../tests/support/athlete.js';

const CORPUS = resolve(import.meta.dirname, '../../shared/data');
const clock = () => new Date('2026-11-24T12:00:00Z');

async function temp(): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'domestique-bench-orch-'));
  const store = await Store.open(join(dir, 'bench.db'), { clock });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A model that answers a typical conversation after a fixed latency, and measures what it is sent. */
function latencyModel(latencyMs: number) {
  const script: Omit<LlmResponse, 'model' | 'finishReason' | 'usage'>[] = [
    {
      text: '',
      toolCalls: [
        { id: 'c1', name: 'get_period_summary', arguments: {} },
        { id: 'c2', name: 'get_power_curve', arguments: { period: 'both' } },
      ],
    },
    { text: JSON.stringify(ANALYSIS_ANSWER), toolCalls: [] },
    { text: '', toolCalls: [{ id: 'c3', name: 'get_planning_context', arguments: {} }] },
    { text: '', toolCalls: [{ id: 'c4', name: 'propose_plan', arguments: { weeks: 12, focus: ['vo2max'] } }] },
    { text: JSON.stringify(PLANNING_ANSWER), toolCalls: [] },
  ];
  const sent: Record<string, { calls: number; inputChars: number; outputChars: number }> = {};
  let step = 0;
  const provider: LlmProvider = {
    name: 'bench-model',
    model: 'fixed-latency',
    async complete(request: LlmRequest) {
      await new Promise((r) => setTimeout(r, latencyMs));
      const answer = script[step++];
      if (!answer) throw new LlmError('unavailable', 'script ran out');
      const inputChars = request.system.length + JSON.stringify(request.messages).length + JSON.stringify(request.tools ?? []).length;
      const outputChars = answer.text.length + JSON.stringify(answer.toolCalls).length;
      const entry = (sent[request.purpose ?? 'other'] ??= { calls: 0, inputChars: 0, outputChars: 0 });
      entry.calls += 1;
      entry.inputChars += inputChars;
      entry.outputChars += outputChars;
      return {
        ...answer,
        model: 'fixed-latency',
        finishReason: answer.toolCalls.length > 0 ? 'tool_calls' : 'stop',
        usage: { inputTokens: Math.ceil(inputChars / 4), outputTokens: Math.ceil(outputChars / 4) },
      };
    },
    async check() {
      return { ok: true };
    },
  };
  return { provider, sent, calls: () => step };
}

const prompts = loadPrompts();

// 1. offline end to end on the corpus, as generate runs it (ingest → store → four phases)
let corpus: { seconds: number; activities: number } | null = null;
if (existsSync(join(CORPUS, 'fit')) && existsSync(join(CORPUS, 'strava'))) {
  const { store, cleanup } = await temp();
  const started = performance.now();
  const ingested = await ingestPaths([join(CORPUS, 'fit'), join(CORPUS, 'strava', 'activities-2025-99col.csv')]);
  const athlete = await store.athleteForIdentity('bench:corpus', 'Corpus');
  await store.athlete(athlete.id).updateProfile({
    ftp: 265,
    weightKg: 70,
    maxHr: 186,
    lthr: 168,
    weeklyHours: 9,
    trainingDays: ['tue', 'thu', 'sat', 'sun'],
    planWeeks: 12,
  });
  const result = await new Orchestrator({
    store,
    provider: createOfflineCoach(),
    offline: createOfflineCoach(),
    prompts,
    clock,
    renderReports,
  }).run({
    athleteId: athlete.id,
    planStartDate: '2026-11-30',
    upload: { files: ingested.files, activities: ingested.activities, errors: ingested.errors },
  });
  corpus = { seconds: (performance.now() - started) / 1000, activities: result.upload?.new ?? 0 };
  await cleanup();
}

// 2. + 3. a model with 400 ms per call: overhead of the model phases, and what they send
const LATENCY_MS = 400;
const { store, cleanup } = await temp();
const athleteId = await seedAthlete(store, 'bench:model', 'Bench');
const model = latencyModel(LATENCY_MS);
const run = await new Orchestrator({ store, provider: model.provider, offline: createOfflineCoach(), prompts, clock, renderReports }).run({
  athleteId,
  planStartDate: '2026-11-30',
});
await cleanup();
const modelPhases = run.phases.filter((p) => p.name === 'performance-analysis' || p.name === 'training-planning');
const modelSeconds = modelPhases.reduce((s, p) => s + p.seconds, 0);
const latencySeconds = (model.calls() * LATENCY_MS) / 1000;
process.stdout.write(
  `${JSON.stringify({
    corpus,
    overhead: {
      latencyMs: LATENCY_MS,
      calls: model.calls(),
      modelPhaseSeconds: modelSeconds,
      latencySeconds,
      ratio: (modelSeconds - latencySeconds) / modelSeconds,
      status: run.status,
    },
    sent: model.sent,
    tokens: run.usage,
  })}\n`,
);
