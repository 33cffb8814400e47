/**
 * The Ollama adapter with the real `ollama` client against a fake Ollama on 127.0.0.1: request
 * shape, tool-call round trips with synthesised ids, missing models, deadlines, aborts, errors
 * and `check()`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOllamaProvider, type OllamaProviderOptions } from '../../src/llm/ollama/ollama-provider.js';
import { LlmError, type LlmFailureCode, type LlmRequest } from '../../src/llm/provider.js';
import { closedLoopbackUrl, drop, hang, ollamaError, ollamaReply, startFakeOllama, type FakeOllama } from '../fakes/fake-ollama.js';

const MODEL = 'qwen3:8b';

let fake: FakeOllama;
beforeEach(async () => {
  fake = await startFakeOllama({ models: [MODEL, 'llama3.1:latest'] });
});
afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<OllamaProviderOptions> = {}) {
  return createOllamaProvider({ host: fake.url, model: MODEL, timeoutMs: 5_000, ...overrides });
}

const ask = (content: string, extra: Partial<LlmRequest> = {}): LlmRequest => ({
  system: 'You are a cycling coach.',
  messages: [{ role: 'user', content }],
  ...extra,
});

async function expectLlmError(promise: Promise<unknown>, code: LlmFailureCode): Promise<LlmError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected an LlmError with code ${code}, but the call succeeded`);
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(LlmError);
  expect({ code: (error as LlmError).code, message: (error as LlmError).message }).toMatchObject({ code });
  return error as LlmError;
}

const powerCurveTool = {
  name: 'get_power_curve',
  description: 'Best mean-maximal power for standard durations over a period.',
  inputSchema: z.toJSONSchema(z.object({ days: z.number().int().positive() })) as Record<string, unknown>,
};

describe('complete()', () => {
  it('sends a non-streaming chat and maps the reply', async () => {
    fake.enqueue(ollamaReply({ text: 'Ride easy today.', promptEvalCount: 88, evalCount: 21 }));

    const response = await provider().complete(ask('What should I ride?', { temperature: 0.2, maxTokens: 300 }));

    expect(response).toEqual({
      text: 'Ride easy today.',
      toolCalls: [],
      usage: { inputTokens: 88, outputTokens: 21 },
      finishReason: 'stop',
      model: MODEL,
    });
    expect(fake.chatRequests).toHaveLength(1);
    expect(fake.chatRequests[0]).toMatchObject({ method: 'POST', path: '/api/chat', keyPresent: false });
    expect(fake.chatRequests[0]!.body).toEqual({
      model: MODEL,
      stream: false,
      messages: [
        { role: 'system', content: 'You are a cycling coach.' },
        { role: 'user', content: 'What should I ride?' },
      ],
      options: { temperature: 0.2, num_predict: 300 },
    });
  });

  it('round-trips tool calls with synthesised ids and tool results named by tool', async () => {
    fake.enqueue(
      ollamaReply({
        toolCalls: [
          { name: 'get_power_curve', arguments: { days: 90 } },
          { name: 'get_power_curve', arguments: { days: 42 } },
        ],
      }),
      ollamaReply({ toolCalls: [{ name: 'get_power_curve', arguments: { days: 7 } }] }),
      ollamaReply({ text: 'Your 5-minute power is 310 W.' }),
    );
    const llm = provider();

    const first = await llm.complete(ask('How is my power?', { tools: [powerCurveTool] }));
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls).toEqual([
      { id: 'call_1', name: 'get_power_curve', arguments: { days: 90 } },
      { id: 'call_2', name: 'get_power_curve', arguments: { days: 42 } },
    ]);
    expect((fake.chatRequests[0]!.body as { tools: unknown }).tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_power_curve',
          description: powerCurveTool.description,
          parameters: expect.objectContaining({
            type: 'object',
            properties: { days: expect.objectContaining({ type: 'integer' }) },
            required: ['days'],
          }),
        },
      },
    ]);

    const history: LlmRequest['messages'] = [
      { role: 'user', content: 'How is my power?' },
      { role: 'assistant', content: '', toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: 'call_1', name: 'get_power_curve', content: '{"300": 310}' },
      { role: 'tool', toolCallId: 'call_2', name: 'get_power_curve', content: 'No rides in that period.', isError: true },
    ];
    const second = await llm.complete(ask('', { tools: [powerCurveTool], messages: history }));
    // Ids keep counting, so they stay unique across the turns of one conversation.
    expect(second.toolCalls.map((call) => call.id)).toEqual(['call_3']);
    expect((fake.chatRequests[1]!.body as { messages: unknown[] }).messages).toEqual([
      { role: 'system', content: 'You are a cycling coach.' },
      { role: 'user', content: 'How is my power?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { function: { name: 'get_power_curve', arguments: { days: 90 } } },
          { function: { name: 'get_power_curve', arguments: { days: 42 } } },
        ],
      },
      { role: 'tool', content: '{"300": 310}', tool_name: 'get_power_curve' },
      { role: 'tool', content: 'Error: No rides in that period.', tool_name: 'get_power_curve' },
    ]);

    const third = await llm.complete(ask('', { messages: history }));
    expect(third).toMatchObject({ text: 'Your 5-minute power is 310 W.', finishReason: 'stop' });
  });

  it('passes arguments sent as a string on without throwing (parsed when they are valid JSON)', async () => {
    fake.enqueue(
      ollamaReply({
        toolCalls: [
          { name: 'get_power_curve', arguments: '{"days": 90' },
          { name: 'get_power_curve', arguments: '{"days": 30}' },
        ],
      }),
    );
    const response = await provider().complete(ask('Power?', { tools: [powerCurveTool] }));
    expect(response.toolCalls.map((call) => call.arguments)).toEqual(['{"days": 90', { days: 30 }]);
  });

  it('maps a model that is not pulled to model-missing with the pull command', async () => {
    const error = await expectLlmError(provider({ model: 'mistral-nemo' }).complete(ask('Hi')), 'model-missing');
    expect(error.status).toBe(404);
    expect(error.message).toContain('ollama pull mistral-nemo');
  });

  it('accepts a model name without its :latest tag', async () => {
    fake.enqueue(ollamaReply({ text: 'ok' }));
    await expect(provider({ model: 'llama3.1' }).complete(ask('Hi'))).resolves.toMatchObject({ text: 'ok' });
  });

  it('maps connection refused to unavailable with how to start Ollama', async () => {
    const nowhere = await closedLoopbackUrl();
    const error = await expectLlmError(provider({ host: nowhere }).complete(ask('Hi')), 'unavailable');
    expect(error.message).toContain(`Ollama is not running at ${nowhere}`);
    expect(error.message).toContain('ollama serve');
  });

  it('sends credentials in the host as basic auth, and never shows them in a message', async () => {
    const withCredentials = (base: string) => {
      const url = new URL(base);
      url.username = 'coach';
      url.password = 'hunter2-secret';
      return url.href;
    };
    fake.enqueue(ollamaReply({ text: 'ok' }));
    await expect(provider({ host: withCredentials(fake.url) }).complete(ask('Hi'))).resolves.toMatchObject({ text: 'ok' });
    expect(fake.chatRequests[0]!.keyPresent).toBe(true);
    expect(JSON.stringify(fake.chatRequests[0])).not.toContain('hunter2-secret');

    const error = await expectLlmError(provider({ host: withCredentials(await closedLoopbackUrl()) }).complete(ask('Hi')), 'unavailable');
    expect(error.message).not.toContain('hunter2-secret');
    expect(String(error)).not.toContain('hunter2-secret');
  });

  it('gives up on a hung server with timeout within the configured deadline', async () => {
    fake.enqueue(hang());
    const before = fake.chatRequests.length;
    const started = Date.now();
    const error = await expectLlmError(provider({ timeoutMs: 300 }).complete(ask('Hi')), 'timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(error.message).toContain('300 ms');
    // one attempt, given up at the deadline: no retry of a hung call
    expect(fake.chatRequests.length - before).toBe(1);
  });

  it('aborts when the request signal fires, and sends nothing for an already-aborted signal', async () => {
    fake.enqueue(hang());
    const controller = new AbortController();
    const pending = provider({ timeoutMs: 10_000 }).complete(ask('Hi', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expectLlmError(pending, 'aborted');

    const before = fake.chatRequests.length;
    await expectLlmError(provider().complete(ask('Hi', { signal: AbortSignal.abort() })), 'aborted');
    expect(fake.chatRequests.length).toBe(before);
  });

  it('maps a dropped connection to unavailable', async () => {
    fake.enqueue(drop());
    await expectLlmError(provider().complete(ask('Hi')), 'unavailable');
  });

  it('maps HTTP failures: a model without tool support, a busy server, an internal error', async () => {
    fake.enqueue(
      ollamaError(400, `registry.ollama.ai/library/${MODEL} does not support tools`),
      ollamaError(503, 'server busy, please try again.  maximum pending requests exceeded'),
      ollamaError(500, 'model requires more system memory (9.1 GiB) than is available (4.0 GiB)'),
    );
    const llm = provider();
    const noTools = await expectLlmError(llm.complete(ask('Hi', { tools: [powerCurveTool] })), 'bad-request');
    expect(noTools.message).toContain('does not support tool calls');
    await expectLlmError(llm.complete(ask('Hi')), 'overloaded');
    const memory = await expectLlmError(llm.complete(ask('Hi')), 'unknown');
    expect(memory.message).toContain('more system memory');
  });
});

describe('check()', () => {
  it('finds the model in /api/tags, with or without :latest', async () => {
    await expect(provider().check()).resolves.toEqual({ ok: true });
    await expect(provider({ model: 'llama3.1' }).check()).resolves.toEqual({ ok: true });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/tags', 'GET /api/tags']);
  });

  it('says which command pulls a missing model', async () => {
    const result = await provider({ model: 'llama3.1:70b' }).check();
    expect(result).toMatchObject({ ok: false, code: 'model-missing' });
    expect(!result.ok && result.message).toContain('ollama pull llama3.1:70b');
    expect(!result.ok && result.message).toContain(MODEL);
  });

  it('says how to start Ollama when it is down, and times out on a hung server', async () => {
    const down = await provider({ host: await closedLoopbackUrl() }).check();
    expect(down).toMatchObject({ ok: false, code: 'unavailable' });
    expect(!down.ok && down.message).toContain('ollama serve');

    fake.enqueueTags(hang());
    const hung = await provider({ timeoutMs: 300 }).check();
    expect(hung).toMatchObject({ ok: false, code: 'timeout' });
  });
});
