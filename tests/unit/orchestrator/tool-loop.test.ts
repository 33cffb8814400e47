import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmError } from '../../../src/llm/provider.js';
import { extractJson } from '../../../src/orchestrator/extract-json.js';
import { LoopError, runToolLoop, TokenBudget, ToolError, type Tool } from '../../../src/orchestrator/tool-loop.js';
import { scriptedProvider } from '../../fakes/scripted-provider.js';

const output = z.object({ answer: z.number() });
const add: Tool<{ a: number; b: number }> = {
  name: 'add',
  description: 'adds',
  input: z.object({ a: z.number(), b: z.number() }),
  run: ({ a, b }) => ({ sum: a + b }),
};
const refuse: Tool<Record<string, never>> = {
  name: 'refuse',
  description: 'always refuses',
  input: z.object({}),
  run: () => {
    throw new ToolError('No: the plan has 5 hard days.');
  },
};

function loop(provider: ReturnType<typeof scriptedProvider>, budget = new TokenBudget(100_000)) {
  return runToolLoop({
    provider,
    system: 'sys',
    user: 'question',
    tools: [add as Tool, refuse as Tool],
    output,
    purpose: 'test',
    budget,
    maxSteps: 5,
    maxToolErrors: 2,
  });
}

describe('tool loop', () => {
  it('answers tool calls with fenced results and returns the validated answer', async () => {
    const p = scriptedProvider();
    p.enqueue({ toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] }, { text: 'Sure:\n```json\n{"answer": 5}\n```' });
    const result = await loop(p);
    expect(result.value).toEqual({ answer: 5 });
    expect(result.steps).toBe(2);
    expect(result.usage).toEqual({ inputTokens: 200, outputTokens: 40 });
    const toolMessage = p.requests[1]!.messages[2]!;
    expect(toolMessage).toMatchObject({ role: 'tool', name: 'add', toolCallId: 'call_1' });
    expect((toolMessage as { content: string }).content).toContain('<athlete_data>');
    expect((toolMessage as { content: string }).content).toContain('{"sum":5}');
    expect(p.requests[0]!.tools!.map((t) => t.name)).toEqual(['add', 'refuse']);
    expect(p.requests[0]!.tools![0]!.inputSchema).toMatchObject({ type: 'object', properties: { a: { type: 'number' } } });
  });

  it('sends malformed arguments, unknown tools and refusals back as tool errors', async () => {
    const p = scriptedProvider();
    p.enqueue(
      { toolCalls: [{ name: 'add', arguments: '{not json' }] },
      { toolCalls: [{ name: 'refuse', arguments: {} }] },
      { toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] },
      { text: '{"answer": 2}' },
    );
    const result = await loop(p);
    expect(result.value.answer).toBe(2);
    expect(result.toolCalls).toEqual([
      { name: 'add', ok: false },
      { name: 'refuse', ok: false },
      { name: 'add', ok: true },
    ]);
    expect(p.requests[1]!.messages.at(-1)).toMatchObject({ role: 'tool', isError: true });
    expect(JSON.stringify(p.requests[2]!.messages.at(-1))).toContain('5 hard days');
  });

  it('gives up after too many bad tool calls', async () => {
    const p = scriptedProvider();
    for (let i = 0; i < 4; i++) p.enqueue({ toolCalls: [{ name: 'nope', arguments: {} }] });
    await expect(loop(p)).rejects.toMatchObject({ name: 'LoopError', code: 'malformed-tool-arguments' });
  });

  it('repairs an invalid final answer once, then gives up', async () => {
    const ok = scriptedProvider();
    ok.enqueue({ text: '{"answer": "five"}' }, { text: '{"answer": 5}' });
    expect((await loop(ok)).value.answer).toBe(5);
    expect(JSON.stringify(ok.requests[1]!.messages.at(-1))).toContain('answer: Invalid input');
    const bad = scriptedProvider();
    bad.enqueue({ text: 'no idea' }, { text: 'still no idea' });
    await expect(loop(bad)).rejects.toMatchObject({ code: 'invalid-output' });
  });

  it('is bounded in steps and in tokens', async () => {
    const steps = scriptedProvider();
    for (let i = 0; i < 6; i++) steps.enqueue({ toolCalls: [{ name: 'add', arguments: { a: i, b: 1 } }] });
    await expect(loop(steps)).rejects.toMatchObject({ code: 'too-many-steps' });
    const tokens = scriptedProvider();
    tokens.enqueue({ toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }], usage: { inputTokens: 900, outputTokens: 200 } });
    await expect(loop(tokens, new TokenBudget(1000))).rejects.toMatchObject({ code: 'budget-exceeded' });
    expect(tokens.requests).toHaveLength(1);
  });

  it('lets provider failures through for the orchestrator to fall back on', async () => {
    const p = scriptedProvider();
    p.enqueue({ error: new LlmError('overloaded', 'overloaded (529)') });
    const failure = await loop(p).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(LlmError);
    expect(failure).not.toBeInstanceOf(LoopError); // passed through, not wrapped
  });

  it('finds the JSON object in prose or a fence', () => {
    expect(extractJson('Here: {"a": 1} done')).toEqual({ a: 1 });
    expect(extractJson('```json\n{"a": {"b": 2}}\n```')).toEqual({ a: { b: 2 } });
    expect(() => extractJson('nothing')).toThrow();
  });
});
