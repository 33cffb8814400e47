/**
 * Pure mapping between the model port (../provider.ts) and Ollama's `/api/chat` shapes.
 * Ollama differs from Anthropic in three ways that matter here: tool calls carry no ids (we
 * synthesise them), tool results name the tool instead of an id, and there is no error flag on
 * a tool result (an error is said in its text).
 */
import type { ChatRequest, Message, Tool } from 'ollama';
import type { FinishReason, LlmMessage, LlmRequest, LlmResponse, LlmToolCall, LlmToolDefinition } from '../provider.js';

/** Port messages → Ollama messages, with the system prompt as the first message. */
export function toOllamaMessages(system: string, messages: readonly LlmMessage[]): Message[] {
  const result: Message[] = [];
  if (system !== '') result.push({ role: 'system', content: system });
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        result.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        const converted: Message = { role: 'assistant', content: message.content };
        if (message.toolCalls?.length) {
          converted.tool_calls = message.toolCalls.map((call) => ({
            function: { name: call.name, arguments: toToolArguments(call.arguments) },
          }));
        }
        result.push(converted);
        break;
      }
      case 'tool':
        result.push({ role: 'tool', content: message.isError ? `Error: ${message.content}` : message.content, tool_name: message.name });
        break;
    }
  }
  return result;
}

/**
 * Ollama's `arguments` is an object. Malformed arguments the model sent earlier (a string) are
 * replaced by `{}` on the way back; the tool result that follows says what was wrong.
 */
export function toToolArguments(args: unknown): Record<string, unknown> {
  return isPlainObject(args) ? args : {};
}

/** Port tools → Ollama function tools (`parameters` is the JSON Schema). */
export function toOllamaTools(tools: readonly LlmToolDefinition[]): Tool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema as Tool['function']['parameters'] },
  }));
}

/** The non-streaming `/api/chat` body for a port request. */
export function toOllamaChatRequest(request: LlmRequest, model: string): ChatRequest & { stream: false } {
  const chat: ChatRequest & { stream: false } = { model, messages: toOllamaMessages(request.system, request.messages), stream: false };
  if (request.tools?.length) chat.tools = toOllamaTools(request.tools);
  const options: { temperature?: number; num_predict?: number } = {};
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  if (Object.keys(options).length > 0) chat.options = options;
  return chat;
}

/** The part of Ollama's chat response the port needs; loose on purpose, models send odd things. */
export interface OllamaChatResponseLike {
  model?: string;
  message?: {
    content?: string | null;
    tool_calls?: ReadonlyArray<{ id?: unknown; function?: { name?: string; arguments?: unknown } }> | null;
  } | null;
  done_reason?: string | null;
  prompt_eval_count?: number | null;
  eval_count?: number | null;
}

/**
 * Ollama chat response → port response. `nextId` names each tool call (Ollama has no ids); the
 * provider passes a counter so that ids stay unique across the turns of a conversation.
 */
export function fromOllamaResponse(response: OllamaChatResponseLike, fallbackModel: string, nextId: () => string): LlmResponse {
  const toolCalls: LlmToolCall[] = (response.message?.tool_calls ?? []).map((call) => ({
    id: typeof call.id === 'string' && call.id !== '' ? call.id : nextId(),
    name: call.function?.name ?? '',
    arguments: parseArguments(call.function?.arguments),
  }));
  return {
    text: response.message?.content ?? '',
    toolCalls,
    usage: { inputTokens: response.prompt_eval_count ?? 0, outputTokens: response.eval_count ?? 0 },
    finishReason: toFinishReason(response.done_reason, toolCalls.length > 0),
    model: response.model ?? fallbackModel,
  };
}

/**
 * Arguments are normally an object. Some models (or older servers) send a JSON string: parse it
 * when it parses, otherwise hand the string on as the port says ("a string when the model sent
 * malformed JSON").
 */
export function parseArguments(args: unknown): unknown {
  if (typeof args !== 'string') return args ?? {};
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/** Ollama says `stop` even when the model called tools, so tool calls decide first. */
export function toFinishReason(doneReason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (doneReason === 'length') return 'length';
  if (hasToolCalls) return 'tool_calls';
  if (doneReason === 'stop') return 'stop';
  return 'other';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
