/**
 * Reading the JSON out of a model's final answer: a ``` inside one of its strings (advice with a
 * code sample) must not cut the object short, as taking the first Markdown fence did.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractJson } from '../../../src/orchestrator/extract-json.js';
import { runToolLoop, TokenBudget } from '../../../src/orchestrator/tool-loop.js';
import { scriptedProvider } from '../../fakes/scripted-provider.js';

const advice = {
  summary: 'Use this block:\n```\n3x10 min @ 95%\n```\nthen rest.',
  items: ['a ``` b', '}{', '"quoted" ]'],
  nested: { fence: '```json\n{"x": 1}\n```' },
};

describe('extractJson', () => {
  it('reads an object whose string values contain ``` (fenced, unfenced, with prose)', () => {
    const json = JSON.stringify(advice, null, 2);
    expect(extractJson(`\`\`\`json\n${json}\n\`\`\``)).toEqual(advice);
    expect(extractJson(`Here is the analysis:\n\`\`\`json\n${json}\n\`\`\`\nHope it helps {really}.`)).toEqual(advice);
    expect(extractJson(`\`\`\`\n${json}\n\`\`\``)).toEqual(advice);
    expect(extractJson(json)).toEqual(advice);
    expect(extractJson(`Sure! ${JSON.stringify(advice)} — done.`)).toEqual(advice);
  });

  it('reads plain fenced and unfenced JSON', () => {
    expect(extractJson('```json\n{"a": {"b": 2}}\n```')).toEqual({ a: { b: 2 } });
    expect(extractJson('```JSON\n{"a": 1}\n```')).toEqual({ a: 1 });
    expect(extractJson('{"a": 1}')).toEqual({ a: 1 });
    expect(extractJson('  \n{"a": [1, 2, {"c": "}"}]}\n')).toEqual({ a: [1, 2, { c: '}' }] });
    expect(extractJson('Here: {"a": 1} done')).toEqual({ a: 1 });
    expect(extractJson('[{"a": 1}, {"a": 2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(extractJson('The list: [1, 2, 3].')).toEqual([1, 2, 3]);
    expect(extractJson('With escapes: {"q": "say \\"hi\\" \\\\", "u": "\\u007b"}')).toEqual({ q: 'say "hi" \\', u: '{' });
  });

  it('prefers the answer object over brackets in the prose, and skips what does not parse', () => {
    expect(extractJson('As noted in [1], the answer is:\n```json\n{"a": 1}\n```')).toEqual({ a: 1 });
    expect(extractJson('Template {name}, then {"a": 1}')).toEqual({ a: 1 });
    expect(extractJson('```json\n{"a": 1}\n```\nor maybe ```json\n{"a": 2}\n```')).toEqual({ a: 1 });
  });

  it('throws on answers without JSON, with the parse error when an object is broken', () => {
    expect(() => extractJson('nothing')).toThrow(/no JSON object/);
    expect(() => extractJson('{"a": 1, "b": ')).toThrow(SyntaxError);
    expect(() => extractJson('```json\n{"a": 1,}\n```')).toThrow(SyntaxError);
    expect(() => extractJson('```json\n{"a": 1,}\n```')).not.toThrow(/no JSON object/);
  });

  it('the tool loop accepts such an answer at once, without a repair round', async () => {
    const p = scriptedProvider();
    p.enqueue({ text: `Done.\n\`\`\`json\n${JSON.stringify({ answer: 5, note: 'run `npm test` or:\n```sh\nnpm test\n```' })}\n\`\`\`` });
    const result = await runToolLoop({
      provider: p,
      system: 'sys',
      user: 'q',
      tools: [],
      output: z.object({ answer: z.number(), note: z.string() }),
      purpose: 'test',
      budget: new TokenBudget(100_000),
    });
    expect(result.value).toEqual({ answer: 5, note: 'run `npm test` or:\n```sh\nnpm test\n```' });
    expect(result.steps).toBe(1);
  });
});
