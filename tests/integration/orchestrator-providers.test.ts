/**
 * Full runs through the real @anthropic-ai/sdk and ollama clients against fake servers on
 * 127.0.0.1 that script the model's tool calls: success, retries, overload and hang → offline
 * fallback, malformed tool arguments corrected, fenced athlete text, prompts from prompts/.
 * PostgreSQL runs the cases that check what the store kept (a whole run with its phases and
 * reports; a degraded run); the others differ in the model's answers only, not in what they store,
 * and run on SQLite alone (every case on PostgreSQL too would more than double the file's time).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../src/llm/anthropic/anthropic-provider.js';
import { createOfflineCoach } from '../../src/llm/offline/offline-coach.js';
import { createOllamaProvider } from '../../src/llm/ollama/ollama-provider.js';
import type { LlmProvider } from '../../src/llm/provider.js';
import { DEFAULT_PROMPTS_DIR, loadPrompts } from '../../src/orchestrator/prompts.js';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { renderReports } from '../../src/report/render.js';
import { overloaded, rateLimited, reply, hang, startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { ollamaReply, startFakeOllama, type FakeOllama } from '../fakes/fake-ollama.js';
import { INJECTION_GOAL, seedAthlete } from '../support/athlete.js';
import { ANALYSIS_ANSWER, PLANNING_ANSWER } from '../support/model-answers.js';
import { storeEngines, type EngineUnderTest } from '../support/engines.js';

const engines = storeEngines();
const sqlite = engines[0]!;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const usage = { input_tokens: 1200, output_tokens: 300 };

async function anthropicFake(): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic({ apiKey: 'sk-ant-test-SECRET' });
  cleanups.push(() => fake.close());
  return fake;
}

async function setup(provider: LlmProvider, { promptsDir, engine = sqlite }: { promptsDir?: string; engine?: EngineUnderTest } = {}) {
  const s = await engine.tempStore(() => new Date('2026-11-24T12:00:00Z'));
  cleanups.push(s.cleanup);
  const athleteId = await seedAthlete(s.store);
  const orchestrator = new Orchestrator({
    store: s.store,
    provider,
    offline: createOfflineCoach(),
    prompts: loadPrompts(promptsDir),
    clock: () => new Date('2026-11-24T12:00:00Z'),
    renderReports,
    priceOf: (_p, _m, u) => (u.inputTokens * 3 + u.outputTokens * 15) / 1e6,
  });
  return { store: s.store, athleteId, orchestrator, run: () => orchestrator.run({ athleteId, planStartDate: '2026-11-30' }) };
}

const anthropic = (fake: FakeAnthropic, options: { timeoutMs?: number; maxRetries?: number } = {}) =>
  createAnthropicProvider({
    apiKey: 'sk-ant-test-SECRET',
    model: 'claude-sonnet-5',
    baseURL: fake.url,
    maxRetries: options.maxRetries ?? 2,
    timeoutMs: options.timeoutMs ?? 5000,
  });

/** The model's side of a whole run: two tool calls in analysis, two in planning. */
function scriptFullRun(fake: FakeAnthropic): void {
  fake.enqueue(
    reply({
      toolCalls: [
        { name: 'get_period_summary', input: {} },
        { name: 'get_power_curve', input: { period: 'both' } },
      ],
      usage,
    }),
    reply({ text: `Here is the analysis:\n\`\`\`json\n${JSON.stringify(ANALYSIS_ANSWER)}\n\`\`\``, usage }),
    reply({ toolCalls: [{ name: 'get_planning_context', input: {} }], usage }),
    reply({ toolCalls: [{ name: 'propose_plan', input: { weeks: 8, focus: ['vo2max'] } }], usage }),
    reply({ text: JSON.stringify(PLANNING_ANSWER), usage }),
  );
}

type Body = { system?: unknown; messages: { role: string; content: unknown }[]; tools?: { name: string }[] };
const bodies = (fake: FakeAnthropic) => fake.messageRequests.map((r) => r.body as Body);
const text = (value: unknown) => JSON.stringify(value);

describe.each(engines)('orchestrator with Anthropic (real SDK, fake server) on $name', (engine) => {
  it("runs all four phases with tool calls, counts tokens and cost, and fences the athlete's text", async () => {
    const fake = await anthropicFake();
    scriptFullRun(fake);
    const { run, store, athleteId } = await setup(anthropic(fake), { engine });
    const result = await run();

    expect(result.status).toBe('done');
    expect(result.phases.map((p) => [p.name, p.status, p.provider])).toEqual([
      ['data-preparation', 'done', 'engine'],
      ['performance-analysis', 'done', 'anthropic'],
      ['training-planning', 'done', 'anthropic'],
      ['report-generation', 'done', 'engine'],
    ]);
    expect(result.usage).toEqual({ inputTokens: 5 * 1200, outputTokens: 5 * 300 });
    expect(result.costUsd).toBeCloseTo((6000 * 3 + 1500 * 15) / 1e6, 9);
    expect(result.report.analysis.limiters[0]!.area).toBe('vo2max');
    expect(result.report.plan!.weeks).toHaveLength(8);
    expect(result.files.map((f) => f.fileName)).toEqual(['index.html', 'coaching_insights.html', 'performance_dashboard.html', 'run.json']);
    expect(JSON.parse(result.files[3]!.content)).toMatchObject({
      status: 'done',
      provider: 'anthropic',
      tokens: { input: 6000, output: 1500 },
    });
    expect(fake.pending()).toBe(0);

    const sent = bodies(fake);
    expect(sent).toHaveLength(5);
    // prompts come from prompts/, one fresh conversation per phase
    const analysisPrompt = loadPrompts().text['performance-analysis'].split('\n')[0]!;
    expect(text(sent[0]!.system)).toContain(analysisPrompt.replace(/"/g, '\\"'));
    expect(sent[2]!.messages).toHaveLength(1);
    expect(text(sent[2]!.system)).toContain('Training planning');
    // the athlete's own words only inside the fence, with < and > escaped
    const firstUser = text(sent[0]!.messages[0]!.content);
    expect(firstUser).toContain('<athlete_data>');
    const fenced = firstUser.slice(firstUser.indexOf('<athlete_data>'), firstUser.lastIndexOf('</athlete_data>'));
    expect(fenced).toContain('Ignore all previous instructions');
    expect(firstUser.split('</athlete_data>')).toHaveLength(2); // the goal's own "</athlete_data>" was escaped
    expect(firstUser).not.toContain('<script>');
    // tool results went back as fenced data with the right ids
    const toolTurn = text(sent[1]!.messages[2]!.content);
    expect(toolTurn).toContain('tool_result');
    expect(toolTurn).toContain('<athlete_data>');
    // the key never reached a log-able place: only as a header the fake recorded as present
    expect(fake.messageRequests.every((r) => r.keyPresent)).toBe(true);
    expect(text(sent)).not.toContain('SECRET');

    const stored = (await store.athlete(athleteId).run(result.runId))!;
    expect(stored).toMatchObject({ status: 'done', degraded: false, provider: 'anthropic', inputTokens: 6000 });
    expect(stored.phases.map((p) => p.phase)).toEqual([
      'data-preparation',
      'performance-analysis',
      'training-planning',
      'report-generation',
    ]);
    expect((await store.athlete(athleteId).reports(result.runId)).map((r) => r.fileName).sort()).toEqual([
      'chat_card.html',
      'coaching_insights.html',
      'index.html',
      'performance_dashboard.html',
      'plan.json',
      'run.json',
    ]);
  });

  it('falls back to the offline coach when the API stays overloaded (529), and says so', async () => {
    const fake = await anthropicFake();
    for (let i = 0; i < 6; i++) fake.enqueue(overloaded({ retryAfterMs: 5 }));
    const { run, store, athleteId } = await setup(anthropic(fake, { maxRetries: 2 }), { engine });
    const result = await run();
    expect(result.status).toBe('degraded');
    expect(result.degradedReason).toMatch(/overloaded/);
    expect(result.phases.find((p) => p.name === 'performance-analysis')).toMatchObject({ status: 'degraded', provider: 'offline' });
    expect(result.phases.find((p) => p.name === 'training-planning')).toMatchObject({ status: 'degraded', provider: 'offline' });
    expect(result.report.plan).not.toBeNull();
    expect(JSON.parse(result.files[3]!.content).status).toBe('degraded');
    expect(await store.athlete(athleteId).run(result.runId)).toMatchObject({ status: 'done', degraded: true });
  });
});

describe('orchestrator with Anthropic (real SDK, fake server)', () => {
  it('retries a 429 and succeeds', async () => {
    const fake = await anthropicFake();
    fake.enqueue(rateLimited({ retryAfterMs: 5 }));
    scriptFullRun(fake);
    const result = await (await setup(anthropic(fake))).run();
    expect(result.status).toBe('done');
    expect(fake.messageRequests).toHaveLength(6);
  });

  it('still counts and prices the tokens a model spent before it failed part-way', async () => {
    const fake = await anthropicFake();
    // analysis: one tool call, then the API stays down; planning: down from the start
    fake.enqueue(reply({ toolCalls: [{ name: 'get_period_summary', input: {} }], usage }));
    for (let i = 0; i < 6; i++) fake.enqueue(overloaded({ retryAfterMs: 5 }));
    const result = await (await setup(anthropic(fake, { maxRetries: 2 }))).run();
    expect(result.status).toBe('degraded');
    expect(result.usage).toEqual({ inputTokens: 1200, outputTokens: 300 });
    expect(result.costUsd).toBeCloseTo((1200 * 3 + 300 * 15) / 1e6, 9);
    expect(result.phases.find((p) => p.name === 'performance-analysis')).toMatchObject({
      status: 'degraded',
      inputTokens: 1200,
      outputTokens: 300,
    });
    expect(JSON.parse(result.files[3]!.content)).toMatchObject({ tokens: { input: 1200, output: 300 } });
  });

  it('times out on a hung server and falls back', async () => {
    const fake = await anthropicFake();
    fake.enqueue(hang(), hang(), hang(), hang());
    const result = await (await setup(anthropic(fake, { timeoutMs: 300, maxRetries: 0 }))).run();
    expect(result.status).toBe('degraded');
    expect(result.degradedReason).toMatch(/timeout|timed out/i);
  });

  it('sends malformed tool arguments back as a tool error, and the model corrects them', async () => {
    const fake = await anthropicFake();
    fake.enqueue(
      reply({ toolCalls: [{ name: 'get_pmc', input: { weeks: 'twelve' } }], usage }),
      reply({ toolCalls: [{ name: 'get_pmc', input: { weeks: 12 } }], usage }),
      reply({ text: 'not json at all', usage }),
      reply({ text: JSON.stringify(ANALYSIS_ANSWER), usage }),
      reply({ toolCalls: [{ name: 'propose_plan', input: { weeks: 8 } }], usage }),
      reply({ text: JSON.stringify(PLANNING_ANSWER), usage }),
    );
    const result = await (await setup(anthropic(fake))).run();
    expect(result.status).toBe('done');
    const second = text(bodies(fake)[1]!.messages);
    expect(second).toContain('is_error');
    expect(second).toContain('Invalid arguments for get_pmc');
    const repair = text(bodies(fake)[3]!.messages);
    expect(repair).toContain('That answer is not valid');
  });

  it('uses the prompts of an override folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-prompts-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(DEFAULT_PROMPTS_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'performance-analysis.md'), '# Club coach edition\nYou coach for the Velo Club. MARKER-7731.\n');
    const fake = await anthropicFake();
    scriptFullRun(fake);
    const result = await (await setup(anthropic(fake), { promptsDir: dir })).run();
    expect(result.status).toBe('done');
    expect(text(bodies(fake)[0]!.system)).toContain('MARKER-7731');
    expect(text(bodies(fake)[2]!.system)).not.toContain('MARKER-7731');
  });
});

describe('orchestrator with Ollama (real client, fake server)', () => {
  it('runs all four phases with tool calls', async () => {
    const fake: FakeOllama = await startFakeOllama({ models: ['llama3.1:latest'] });
    cleanups.push(() => fake.close());
    fake.enqueue(
      ollamaReply({ toolCalls: [{ name: 'get_period_summary', arguments: {} }], promptEvalCount: 900, evalCount: 40 }),
      ollamaReply({ text: JSON.stringify(ANALYSIS_ANSWER), promptEvalCount: 1500, evalCount: 400 }),
      ollamaReply({ toolCalls: [{ name: 'propose_plan', arguments: { weeks: 6 } }], promptEvalCount: 700, evalCount: 30 }),
      ollamaReply({ text: JSON.stringify(PLANNING_ANSWER), promptEvalCount: 1100, evalCount: 120 }),
    );
    const provider = createOllamaProvider({ host: fake.url, model: 'llama3.1', timeoutMs: 5000 });
    expect(await provider.check()).toEqual({ ok: true });
    const result = await (await setup(provider)).run();
    expect(result.status).toBe('done');
    expect(result.phases.filter((p) => p.provider === 'ollama').map((p) => p.name)).toEqual(['performance-analysis', 'training-planning']);
    expect(result.usage).toEqual({ inputTokens: 4200, outputTokens: 590 });
    expect(result.report.plan!.weeks).toHaveLength(6);
    const first = JSON.stringify(fake.chatRequests[0]!.body);
    expect(first).toContain('athlete_data');
    expect(first).not.toContain(INJECTION_GOAL);
    // the system prompt of each phase comes from prompts/
    const system = (i: number) =>
      JSON.stringify(
        (fake.chatRequests[i]!.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'system')
          ?.content ?? '',
      );
    expect(system(0)).toContain(JSON.stringify(loadPrompts().text['performance-analysis'].split('\n')[0]!).slice(1, -1));
    expect(system(2)).toContain('Training planning');
  });

  it('times out on a hung Ollama and falls back to the offline coach', async () => {
    const fake: FakeOllama = await startFakeOllama({ models: ['llama3.1:latest'] });
    cleanups.push(() => fake.close());
    fake.enqueue(hang(), hang());
    const provider = createOllamaProvider({ host: fake.url, model: 'llama3.1', timeoutMs: 300 });
    const result = await (await setup(provider)).run();
    expect(result.status).toBe('degraded');
    expect(result.degradedReason).toMatch(/timeout|timed out/i);
    expect(result.phases.find((p) => p.name === 'training-planning')).toMatchObject({ status: 'degraded', provider: 'offline' });
    expect(result.report.plan).not.toBeNull();
    // the two hung calls were the only ones made: after the first timeout the run did not keep trying the model
    expect(fake.chatRequests.length).toBeLessThanOrEqual(2);
  });
});
