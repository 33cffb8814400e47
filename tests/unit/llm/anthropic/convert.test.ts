import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_ANTHROPIC_MAX_TOKENS,
  fromAnthropicMessage,
  toAnthropicMessages,
  toAnthropicParams,
  toAnthropicTools,
  toFinishReason,
  type AnthropicMessageLike,
} from '../../../../src/llm/anthropic/convert.js';
import type { LlmMessage } from '../../../../src/llm/provider.js';

describe('toAnthropicParams', () => {
  it('puts the system prompt at the top, defaults max_tokens and never sends temperature', () => {
    const params = toAnthropicParams(
      { system: 'Coach.', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.7 },
      'claude-haiku-4-5',
    );
    expect(params).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
      system: 'Coach.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(params).not.toHaveProperty('temperature');
  });

  it('leaves out an empty system prompt and an empty tool list, and keeps an explicit max_tokens', () => {
    const params = toAnthropicParams({ system: '', messages: [{ role: 'user', content: 'Hi' }], tools: [], maxTokens: 64 }, 'm');
    expect(params).toEqual({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
  });
});

describe('toAnthropicMessages', () => {
  it('keeps plain turns as strings', () => {
    expect(
      toAnthropicMessages([
        { role: 'user', content: 'How was my ride?' },
        { role: 'assistant', content: 'Solid.' },
        { role: 'user', content: 'And tomorrow?' },
      ]),
    ).toEqual([
      { role: 'user', content: 'How was my ride?' },
      { role: 'assistant', content: 'Solid.' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });

  it('turns tool calls into tool_use blocks and results into one user turn of tool_result blocks', () => {
    const messages: LlmMessage[] = [
      { role: 'user', content: 'Compare my months.' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'toolu_1', name: 'period', arguments: { month: '2026-09' } },
          { id: 'toolu_2', name: 'period', arguments: { month: '2026-10' } },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', name: 'period', content: '{"tss": 1800}' },
      { role: 'tool', toolCallId: 'toolu_2', name: 'period', content: 'no data', isError: true },
      { role: 'user', content: 'Well?' },
    ];
    expect(toAnthropicMessages(messages)).toEqual([
      { role: 'user', content: 'Compare my months.' },
      {
        role: 'assistant',
        // No empty text block: the API rejects those.
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'period', input: { month: '2026-09' } },
          { type: 'tool_use', id: 'toolu_2', name: 'period', input: { month: '2026-10' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"tss": 1800}', is_error: false },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'no data', is_error: true },
          { type: 'text', text: 'Well?' },
        ],
      },
    ]);
  });

  it('keeps the text that came with tool calls, and sends malformed arguments back as {}', () => {
    expect(
      toAnthropicMessages([
        { role: 'user', content: 'Go' },
        { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 't', name: 'x', arguments: '{"broken' }] },
      ]),
    ).toEqual([
      { role: 'user', content: 'Go' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 't', name: 'x', input: {} },
        ],
      },
    ]);
  });
});

describe('toAnthropicTools', () => {
  it('sends name, description and the JSON Schema as input_schema', () => {
    const schema = z.toJSONSchema(z.object({ weeks: z.number().int().min(1).max(24), goal: z.string().describe('Event or aim') }));
    const [tool] = toAnthropicTools([{ name: 'plan', description: 'Build a plan.', inputSchema: schema as Record<string, unknown> }]);
    expect(tool).toEqual({ name: 'plan', description: 'Build a plan.', input_schema: { ...schema, type: 'object' } });
    expect(tool!.input_schema.properties).toMatchObject({
      weeks: { type: 'integer', minimum: 1, maximum: 24 },
      goal: { description: 'Event or aim' },
    });
  });

  it('adds type: object when a schema lacks it', () => {
    const [tool] = toAnthropicTools([{ name: 'now', description: 'Time.', inputSchema: { properties: {} } }]);
    expect(tool!.input_schema).toEqual({ type: 'object', properties: {} });
  });
});

describe('fromAnthropicMessage', () => {
  const message = (overrides: Partial<AnthropicMessageLike>): AnthropicMessageLike => ({
    model: 'claude-haiku-4-5-20251001',
    content: [],
    stop_reason: 'end_turn',
    usage: { input_tokens: 100, output_tokens: 20 },
    ...overrides,
  });

  it('joins text blocks, skips thinking, and maps usage and model', () => {
    const response = fromAnthropicMessage(
      message({
        content: [
          { type: 'thinking', text: undefined },
          { type: 'text', text: 'Your FTP ' },
          { type: 'text', text: 'looks like 280 W.' },
        ],
      }),
    );
    expect(response).toEqual({
      text: 'Your FTP looks like 280 W.',
      toolCalls: [],
      usage: { inputTokens: 100, outputTokens: 20 },
      finishReason: 'stop',
      model: 'claude-haiku-4-5-20251001',
    });
  });

  it('maps tool_use blocks to tool calls with input as arguments, whatever its shape', () => {
    const response = fromAnthropicMessage(
      message({
        stop_reason: 'tool_use',
        content: [
          { type: 'text', text: 'Looking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'zones', input: { ftp: 280 } },
          { type: 'tool_use', id: 'toolu_2', name: 'zones', input: 'ftp=280' },
          { type: 'tool_use', id: 'toolu_3', name: 'zones', input: [280] },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
        ],
      }),
    );
    expect(response.finishReason).toBe('tool_calls');
    expect(response.toolCalls).toEqual([
      { id: 'toolu_1', name: 'zones', arguments: { ftp: 280 } },
      { id: 'toolu_2', name: 'zones', arguments: 'ftp=280' },
      { id: 'toolu_3', name: 'zones', arguments: [280] },
    ]);
  });

  it('counts missing usage as zero', () => {
    expect(fromAnthropicMessage(message({ usage: null })).usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });
});

describe('toFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['pause_turn', 'other'],
    ['refusal', 'other'],
    [null, 'other'],
  ] as const)('%s → %s', (stopReason, expected) => {
    expect(toFinishReason(stopReason)).toBe(expected);
  });
});
