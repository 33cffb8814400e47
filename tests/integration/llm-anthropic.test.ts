/**
 * The Anthropic adapter with the real `@anthropic-ai/sdk` client against a fake Messages API on
 * 127.0.0.1: request shape, tool-call round trips, the SDK's retries, deadlines, aborts, error
 * codes, `check()`, and that the key never shows up in an error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAnthropicProvider, type AnthropicProviderOptions } from '../../src/llm/anthropic/anthropic-provider.js';
import { LlmError, type LlmFailureCode, type LlmRequest } from '../../src/llm/provider.js';
import {
  anthropicError,
  closedLoopbackUrl,
  drop,
  fail,
  hang,
  overloaded,
  rateLimited,
  reply,
  startFakeAnthropic,
  type FakeAnthropic,
} from '../fakes/fake-anthropic.js';

const KEY = 'sk-ant-api03-TEST-not-a-real-key-0123456789abcdef';
const MODEL = 'claude-haiku-4-5';

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
});
afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<AnthropicProviderOptions> = {}) {
  return createAnthropicProvider({ apiKey: KEY, model: MODEL, baseURL: fake.url, maxRetries: 2, timeoutMs: 5_000, ...overrides });
}

const ask = (content: string, extra: Partial<LlmRequest> = {}): LlmRequest => ({
  system: 'You are a cycling coach.',
  messages: [{ role: 'user', content }],
  ...extra,
});

/** Awaits a rejection, checks it is an `LlmError` with `code`, and that the key is nowhere in it. */
async function expectLlmError(promise: Promise<unknown>, code: LlmFailureCode): Promise<LlmError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected an LlmError with code ${code}, but the call succeeded`);
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(LlmError);
  const llmError = error as LlmError;
  expect({ code: llmError.code, message: llmError.message }).toMatchObject({ code });
  expectNoKey(llmError);
  return llmError;
}

function expectNoKey(error: LlmError): void {
  expect(error.message).not.toContain(KEY);
  expect(String(error)).not.toContain(KEY);
  expect(JSON.stringify(error)).not.toContain(KEY);
  expect(error.message).not.toMatch(/sk-ant-/);
}

const powerCurveTool = {
  name: 'get_power_curve',
  description: 'Best mean-maximal power for standard durations over a period.',
  inputSchema: z.toJSONSchema(z.object({ days: z.number().int().positive(), durations: z.array(z.number()).optional() })) as Record<
    string,
    unknown
  >,
};

describe('complete()', () => {
  it('sends a Messages API request and maps the reply', async () => {
    fake.enqueue(reply({ text: 'Ride easy today.', usage: { input_tokens: 321, output_tokens: 45 }, model: 'claude-haiku-4-5-20251001' }));

    const response = await provider().complete(ask('What should I ride?', { maxTokens: 500, temperature: 0.3 }));

    expect(response).toEqual({
      text: 'Ride easy today.',
      toolCalls: [],
      usage: { inputTokens: 321, outputTokens: 45 },
      finishReason: 'stop',
      model: 'claude-haiku-4-5-20251001',
    });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/v1/messages');
    expect(request!.keyPresent).toBe(true);
    expect(JSON.stringify(request!.headers)).not.toContain(KEY);
    expect(request!.headers['anthropic-version']).toBe('2026-10-21');
    expect(request!.body).toEqual({
      model: MODEL,
      max_tokens: 500,
      system: 'You are a cycling coach.',
      messages: [{ role: 'user', content: 'What should I ride?' }],
    });
  });

  it('round-trips a tool call: tools with JSON Schema out, tool_use in, tool_result with id and is_error back', async () => {
    fake.enqueue(
      reply({
        text: 'Let me look.',
        toolCalls: [{ id: 'toolu_01', name: 'get_power_curve', input: { days: 90 } }],
        usage: { input_tokens: 50, output_tokens: 20 },
      }),
      reply({ text: 'Your 5-minute power is 310 W.' }),
    );
    const llm = provider();
    const first = await llm.complete(ask('How is my power?', { tools: [powerCurveTool] }));

    expect(first.finishReason).toBe('tool_calls');
    expect(first.text).toBe('Let me look.');
    expect(first.toolCalls).toEqual([{ id: 'toolu_01', name: 'get_power_curve', arguments: { days: 90 } }]);
    const firstBody = fake.requests[0]!.body as { tools: unknown[] };
    expect(firstBody.tools).toEqual([
      {
        name: 'get_power_curve',
        description: powerCurveTool.description,
        input_schema: expect.objectContaining({
          type: 'object',
          properties: expect.objectContaining({ days: expect.objectContaining({ type: 'integer' }) }),
          required: ['days'],
        }),
      },
    ]);

    const second = await llm.complete(
      ask('How is my power?', {
        tools: [powerCurveTool],
        messages: [
          { role: 'user', content: 'How is my power?' },
          { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
          { role: 'tool', toolCallId: 'toolu_01', name: 'get_power_curve', content: 'No rides in the last 90 days.', isError: true },
        ],
      }),
    );

    expect(second).toMatchObject({ text: 'Your 5-minute power is 310 W.', finishReason: 'stop', toolCalls: [] });
    const secondBody = fake.requests[1]!.body as { messages: unknown[] };
    expect(secondBody.messages).toEqual([
      { role: 'user', content: 'How is my power?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: 'toolu_01', name: 'get_power_curve', input: { days: 90 } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'No rides in the last 90 days.', is_error: true }],
      },
    ]);
  });

  it('passes malformed tool input on as arguments without throwing', async () => {
    fake.enqueue(
      reply({
        toolCalls: [
          { id: 'toolu_a', name: 'get_power_curve', input: '{"days": 90' },
          { id: 'toolu_b', name: 'get_power_curve', input: [90] },
          { id: 'toolu_c', name: 'get_power_curve', input: null },
        ],
      }),
    );
    const response = await provider().complete(ask('Power?', { tools: [powerCurveTool] }));
    expect(response.toolCalls.map((call) => call.arguments)).toEqual(['{"days": 90', [90], null]);
  });

  it('lets the SDK retry a 429 and then succeeds (two requests seen)', async () => {
    fake.enqueue(rateLimited({ retryAfterMs: 5 }), reply({ text: 'ok' }));
    const response = await provider({ maxRetries: 2 }).complete(ask('Hi'));
    expect(response.text).toBe('ok');
    expect(fake.messageRequests).toHaveLength(2);
  });

  it('honours a fractional retry-after in seconds and retries 5xx and dropped connections too', async () => {
    // The drop goes first: connection errors carry no retry advice, so the SDK waits its own
    // backoff, which is shortest (≤ 0.5 s) on the first retry.
    fake.enqueue(
      drop(),
      anthropicError(429, 'rate_limit_error', 'slow down', { 'retry-after': '0.01' }),
      anthropicError(500, 'api_error', 'Internal server error', { 'retry-after-ms': '5' }),
      reply({ text: 'finally' }),
    );
    const response = await provider({ maxRetries: 3 }).complete(ask('Hi'));
    expect(response.text).toBe('finally');
    expect(fake.messageRequests).toHaveLength(4);
  });

  it('maps 529 until the retries run out to overloaded', async () => {
    fake.enqueue(overloaded(), overloaded(), overloaded());
    const error = await expectLlmError(provider({ maxRetries: 2 }).complete(ask('Hi')), 'overloaded');
    expect(error.status).toBe(529);
    expect(fake.messageRequests).toHaveLength(3);
  });

  it('maps 429 until the retries run out to rate-limited', async () => {
    fake.enqueue(rateLimited(), rateLimited());
    const error = await expectLlmError(provider({ maxRetries: 1 }).complete(ask('Hi')), 'rate-limited');
    expect(error.status).toBe(429);
    expect(fake.messageRequests).toHaveLength(2);
  });

  it('maps 400 to bad-request without retrying, keeping the API explanation', async () => {
    fake.enqueue(anthropicError(400, 'invalid_request_error', 'messages: at least one message is required'));
    const error = await expectLlmError(provider().complete(ask('Hi')), 'bad-request');
    expect(error.message).toContain('at least one message is required');
    expect(fake.messageRequests).toHaveLength(1);
  });

  it('maps a 404 for the model to model-missing', async () => {
    fake.enqueue(anthropicError(404, 'not_found_error', 'model: claude-nonexistent'));
    const error = await expectLlmError(provider({ model: 'claude-nonexistent' }).complete(ask('Hi')), 'model-missing');
    expect(error.message).toContain('claude-nonexistent');
  });

  it('maps a rejected key to auth, and never repeats the key even when the server echoes it', async () => {
    const wrongKey = `${KEY}-revoked`;
    const revoked = createAnthropicProvider({ apiKey: wrongKey, model: MODEL, baseURL: fake.url, maxRetries: 0 });
    // expectLlmError also checks that KEY, a prefix of wrongKey, is nowhere in the error.
    const error = await expectLlmError(revoked.complete(ask('Hi')), 'auth');
    expect(error.status).toBe(401);
    expect(error.message).toContain('ANTHROPIC_API_KEY');

    fake.enqueue(anthropicError(403, 'permission_error', `key ${KEY} may not use ${MODEL}`));
    const echoed = await expectLlmError(provider().complete(ask('Hi')), 'auth');
    expect(echoed.message).toContain('[redacted]');
    expect(echoed.status).toBe(403);
  });

  it('gives up on a hung server with timeout within the configured deadline, retries included', async () => {
    fake.enqueue(hang(), hang(), hang(), hang());
    const started = Date.now();
    await expectLlmError(provider({ timeoutMs: 300, maxRetries: 3 }).complete(ask('Hi')), 'timeout');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    // The deadline is for the whole call, retries included: the four hung answers queued are not all reached.
    expect(fake.messageRequests.length).toBeLessThan(4);
  });

  it('maps connection refused to unavailable', async () => {
    const nowhere = await closedLoopbackUrl();
    const error = await expectLlmError(provider({ baseURL: nowhere, maxRetries: 0 }).complete(ask('Hi')), 'unavailable');
    expect(error.message).toContain(new URL(nowhere).host);
  });

  it('maps a dropped connection to unavailable once the retries run out', async () => {
    fake.enqueue(drop(), drop());
    await expectLlmError(provider({ maxRetries: 1 }).complete(ask('Hi')), 'unavailable');
    expect(fake.messageRequests).toHaveLength(2);
  });

  it('aborts when the request signal fires, and sends nothing for an already-aborted signal', async () => {
    fake.enqueue(hang());
    const controller = new AbortController();
    const pending = provider({ timeoutMs: 10_000 }).complete(ask('Hi', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expectLlmError(pending, 'aborted');

    const before = fake.messageRequests.length;
    await expectLlmError(provider().complete(ask('Hi', { signal: AbortSignal.abort() })), 'aborted');
    expect(fake.messageRequests.length).toBe(before);
  });

  it('fails with auth without any request when there is no key', async () => {
    const keyless = createAnthropicProvider({ apiKey: '', model: MODEL, baseURL: fake.url });
    const error = await expectLlmError(keyless.complete(ask('Hi')), 'auth');
    expect(error.message).toContain('ANTHROPIC_API_KEY is not set');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('check()', () => {
  it('explains how to set the key when it is missing', async () => {
    const result = await createAnthropicProvider({ apiKey: '', model: MODEL, baseURL: fake.url }).check();
    expect(result).toMatchObject({ ok: false, code: 'auth' });
    expect(!result.ok && result.message).toMatch(/^ANTHROPIC_API_KEY is not set\..*\.env/);
    expect(fake.requests).toHaveLength(0);
  });

  it('looks the model up with the key', async () => {
    await expect(provider().check()).resolves.toEqual({ ok: true });
    expect(fake.requests).toMatchObject([{ method: 'GET', path: `/v1/models/${MODEL}`, keyPresent: true }]);
  });

  it('reports an unknown model, a rejected key and a server that is down', async () => {
    const unknown = await provider({ model: 'claude-nonexistent' }).check();
    expect(unknown).toMatchObject({ ok: false, code: 'model-missing' });

    const rejected = await createAnthropicProvider({ apiKey: 'sk-ant-wrong', model: MODEL, baseURL: fake.url }).check();
    expect(rejected).toMatchObject({ ok: false, code: 'auth' });
    expect(!rejected.ok && rejected.message).not.toContain('sk-ant-wrong');

    const down = await provider({ baseURL: await closedLoopbackUrl(), maxRetries: 0 }).check();
    expect(down).toMatchObject({ ok: false, code: 'unavailable' });
  });

  it('reports an overloaded API', async () => {
    fake.enqueueModels(
      overloaded(),
      fail(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, { 'retry-after-ms': '5' }),
    );
    const result = await provider({ maxRetries: 3 }).check();
    expect(result).toMatchObject({ ok: false, code: 'overloaded' });
    // check() retries at most once, whatever maxRetries says.
    expect(fake.requests).toHaveLength(2);
  });
});
