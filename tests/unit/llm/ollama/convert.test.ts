import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  fromOllamaResponse,
  parseArguments,
  toFinishReason,
  toOllamaChatRequest,
  toOllamaMessages,
  toOllamaTools,
  type OllamaChatResponseLike,
} from '../../../../src/llm/ollama/convert.js';

describe('toOllamaChatRequest', () => {
  it('asks for a non-streaming chat with the system prompt first and options only when given', () => {
    expect(toOllamaChatRequest({ system: 'Coach.', messages: [{ role: 'user', content: 'Hi' }] }, 'qwen3:8b')).toEqual({
      model: 'qwen3:8b',
      stream: false,
      messages: [
        { role: 'system', content: 'Coach.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(toOllamaChatRequest({ system: '', messages: [], temperature: 0, maxTokens: 200 }, 'm')).toEqual({
      model: 'm',
      stream: false,
      messages: [],
      options: { temperature: 0, num_predict: 200 },
    });
  });

  it('sends tools as functions with the JSON Schema as parameters', () => {
    const schema = z.toJSONSchema(z.object({ days: z.number().int() })) as Record<string, unknown>;
    expect(toOllamaTools([{ name: 'load', description: 'Training load.', inputSchema: schema }])).toEqual([
      { type: 'function', function: { name: 'load', description: 'Training load.', parameters: schema } },
    ]);
  });
});

describe('toOllamaMessages', () => {
  it('sends tool calls with object arguments and tool results named by tool, errors said in the text', () => {
    expect(
      toOllamaMessages('', [
        { role: 'user', content: 'Zones?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'call_1', name: 'zones', arguments: { ftp: 280 } },
            { id: 'call_2', name: 'zones', arguments: 'ftp=280' },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', name: 'zones', content: 'Z2 154-210 W' },
        { role: 'tool', toolCallId: 'call_2', name: 'zones', content: 'arguments must be an object', isError: true },
      ]),
    ).toEqual([
      { role: 'user', content: 'Zones?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'zones', arguments: { ftp: 280 } } }, { function: { name: 'zones', arguments: {} } }],
      },
      { role: 'tool', content: 'Z2 154-210 W', tool_name: 'zones' },
      { role: 'tool', content: 'Error: arguments must be an object', tool_name: 'zones' },
    ]);
  });

  it('leaves tool_calls off an assistant turn without calls', () => {
    expect(toOllamaMessages('', [{ role: 'assistant', content: 'Done.' }])).toEqual([{ role: 'assistant', content: 'Done.' }]);
  });
});

describe('fromOllamaResponse', () => {
  const counter = () => {
    let n = 0;
    return () => `call_${++n}`;
  };
  const response = (overrides: Partial<OllamaChatResponseLike>): OllamaChatResponseLike => ({
    model: 'qwen3:8b',
    message: { content: '' },
    done_reason: 'stop',
    prompt_eval_count: 40,
    eval_count: 9,
    ...overrides,
  });

  it('maps text, usage, model and stop', () => {
    expect(fromOllamaResponse(response({ message: { content: 'Easy spin.' } }), 'fallback', counter())).toEqual({
      text: 'Easy spin.',
      toolCalls: [],
      usage: { inputTokens: 40, outputTokens: 9 },
      finishReason: 'stop',
      model: 'qwen3:8b',
    });
  });

  it('synthesises ids, keeps server ids, and passes arguments on as sent (strings parsed when they can be)', () => {
    const mapped = fromOllamaResponse(
      response({
        message: {
          content: '',
          tool_calls: [
            { function: { name: 'a', arguments: { x: 1 } } },
            { id: 'srv_9', function: { name: 'b', arguments: '{"y": 2}' } },
            { function: { name: 'c', arguments: '{"y": 2' } },
            { function: { name: 'd' } },
          ],
        },
      }),
      'fallback',
      counter(),
    );
    expect(mapped.finishReason).toBe('tool_calls');
    expect(mapped.toolCalls).toEqual([
      { id: 'call_1', name: 'a', arguments: { x: 1 } },
      { id: 'srv_9', name: 'b', arguments: { y: 2 } },
      { id: 'call_2', name: 'c', arguments: '{"y": 2' },
      { id: 'call_3', name: 'd', arguments: {} },
    ]);
  });

  it('tolerates a bare response: no message, no counts, no model', () => {
    expect(fromOllamaResponse({}, 'llama3.1', counter())).toEqual({
      text: '',
      toolCalls: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      finishReason: 'other',
      model: 'llama3.1',
    });
  });
});

describe('parseArguments', () => {
  it('keeps objects, parses JSON strings and hands malformed strings on', () => {
    expect(parseArguments({ a: 1 })).toEqual({ a: 1 });
    expect(parseArguments('{"a": 1}')).toEqual({ a: 1 });
    expect(parseArguments('not json')).toBe('not json');
    expect(parseArguments(undefined)).toEqual({});
  });
});

describe('toFinishReason', () => {
  it('lets tool calls win over Ollama’s "stop", but not over "length"', () => {
    expect(toFinishReason('stop', true)).toBe('tool_calls');
    expect(toFinishReason('stop', false)).toBe('stop');
    expect(toFinishReason('length', true)).toBe('length');
    expect(toFinishReason('load', false)).toBe('other');
    expect(toFinishReason(undefined, false)).toBe('other');
  });
});
