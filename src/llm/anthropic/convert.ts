/**
 * Pure mapping between the model port (../provider.ts) and the Anthropic Messages API shapes.
 * No I/O: the provider does the call, these functions only translate.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { FinishReason, LlmMessage, LlmRequest, LlmResponse, LlmToolCall, LlmToolDefinition } from '../provider.js';

/** Used when a request does not say how long the answer may be; the API requires a value. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

type Block = Anthropic.ContentBlockParam;
type Role = 'user' | 'assistant';

/**
 * Port messages → Anthropic messages. Tool results travel in a user turn as `tool_result`
 * blocks, and consecutive same-role turns are merged, because the API wants every result of
 * one assistant turn in the single user turn that follows it.
 */
export function toAnthropicMessages(messages: readonly LlmMessage[]): Anthropic.MessageParam[] {
  const turns: { role: Role; blocks: Block[]; plain?: string }[] = [];
  for (const message of messages) {
    const { role, blocks } = toTurn(message);
    const last = turns[turns.length - 1];
    if (last && last.role === role) {
      last.blocks.push(...blocks);
      delete last.plain;
    } else {
      const turn: { role: Role; blocks: Block[]; plain?: string } = { role, blocks };
      // A lone plain text turn stays a string, the API's simplest (and most common) form.
      if (message.role !== 'tool' && !(message.role === 'assistant' && message.toolCalls?.length)) turn.plain = message.content;
      turns.push(turn);
    }
  }
  return turns.map((turn) => ({ role: turn.role, content: turn.plain ?? turn.blocks }));
}

function toTurn(message: LlmMessage): { role: Role; blocks: Block[] } {
  switch (message.role) {
    case 'user':
      return { role: 'user', blocks: [{ type: 'text', text: message.content }] };
    case 'assistant': {
      const blocks: Block[] = [];
      // The API rejects empty text blocks; an assistant turn that only calls tools has none.
      if (message.content !== '' || !message.toolCalls?.length) blocks.push({ type: 'text', text: message.content });
      for (const call of message.toolCalls ?? []) {
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toToolInput(call.arguments) });
      }
      return { role: 'assistant', blocks };
    }
    case 'tool':
      return {
        role: 'user',
        blocks: [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content, is_error: message.isError ?? false }],
      };
  }
}

/**
 * `tool_use.input` must be an object when it goes back to the API. Arguments the model sent
 * malformed (a string or another non-object) are replaced by `{}`; the tool result that follows
 * tells the model what was wrong.
 */
export function toToolInput(args: unknown): Record<string, unknown> {
  return isPlainObject(args) ? args : {};
}

/** Port tools → Anthropic custom tools (`input_schema` is the JSON Schema, `type: object` ensured). */
export function toAnthropicTools(tools: readonly LlmToolDefinition[]): Anthropic.Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { type: 'object', ...tool.inputSchema } as Anthropic.Tool.InputSchema,
  }));
}

/**
 * The non-streaming `messages.create` body for a port request. `temperature` is dropped on
 * purpose: SDK 1.x speaks API version 2026-10-21, which removed the sampling parameters (any
 * `temperature`, even 1.0, is a 400) and no longer has a field for it.
 */
export function toAnthropicParams(request: LlmRequest, model: string): Anthropic.MessageCreateParamsNonStreaming {
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model,
    max_tokens: request.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: toAnthropicMessages(request.messages),
  };
  if (request.system !== '') params.system = request.system;
  if (request.tools?.length) params.tools = toAnthropicTools(request.tools);
  return params;
}

/** The part of an Anthropic `Message` the port needs (also what the test fakes send). */
export interface AnthropicMessageLike {
  model: string;
  content: ReadonlyArray<{ type: string; text?: string; id?: string; name?: string; input?: unknown }>;
  stop_reason: string | null;
  usage?: { input_tokens?: number | null; output_tokens?: number | null } | null;
}

/** Anthropic `Message` → port response: text blocks joined, `tool_use` blocks → tool calls. */
export function fromAnthropicMessage(message: AnthropicMessageLike): LlmResponse {
  let text = '';
  const toolCalls: LlmToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    // `input` is passed on as sent, even when it is not an object: the orchestrator validates.
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id ?? '', name: block.name ?? '', arguments: block.input });
  }
  return {
    text,
    toolCalls,
    usage: { inputTokens: message.usage?.input_tokens ?? 0, outputTokens: message.usage?.output_tokens ?? 0 },
    finishReason: toFinishReason(message.stop_reason),
    model: message.model,
  };
}

export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    default:
      // pause_turn, refusal, null, and anything newer than this file
      return 'other';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
