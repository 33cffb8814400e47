/**
 * The model port: one `complete()` call with messages, tools and usage. Adapters (anthropic/,
 * ollama/, offline/) map it onto their SDK; the orchestrator owns the conversation loop.
 */
import { errorSerializer } from '../logger.js';

/** A tool the model may call; `inputSchema` is JSON Schema (from zod via `z.toJSONSchema`). */
export interface LlmToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface LlmToolCall {
  /** Provider-assigned id, echoed back in the tool result (synthesised where a provider has none). */
  id: string;
  name: string;
  /** Parsed arguments as the model sent them; not yet validated. A string when the model sent malformed JSON. */
  arguments: unknown;
}

export type LlmMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: LlmToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

export interface LlmRequest {
  system: string;
  messages: LlmMessage[];
  tools?: LlmToolDefinition[];
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  /** What the call is for; the offline coach uses it to pick its rules, others may log it. */
  purpose?: string;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'other';

export interface LlmResponse {
  text: string;
  toolCalls: LlmToolCall[];
  usage: LlmUsage;
  finishReason: FinishReason;
  /** The model that actually answered. */
  model: string;
}

export type LlmFailureCode =
  'unavailable' | 'timeout' | 'rate-limited' | 'overloaded' | 'auth' | 'bad-request' | 'model-missing' | 'aborted' | 'unknown';

/** What an error keeps of the error underneath it. */
export interface CauseOptions {
  /** The SDK, network or store error underneath; kept as the logger serialises it (type, message, stack, code, status, cause). */
  cause?: unknown;
  /** Values cut out of the kept cause (API keys, tokens); request fields are dropped whatever they hold. */
  secrets?: readonly (string | null | undefined)[];
}

/**
 * The `cause` an error keeps: the error underneath without its request fields (headers, bodies,
 * URLs) and with the secrets cut out, so that it can be logged and kept as it is. Undefined
 * without a cause.
 */
export function redactedCause(options: CauseOptions): { cause: unknown } | undefined {
  return options.cause === undefined ? undefined : { cause: errorSerializer(options.secrets)(options.cause) };
}

/**
 * A provider failure after the adapter's own retries. The orchestrator falls back to the offline
 * coach on these. Messages never contain keys; the cause, when given, is kept redacted.
 */
export class LlmError extends Error {
  override name = 'LlmError';
  constructor(
    readonly code: LlmFailureCode,
    message: string,
    readonly status?: number,
    options: CauseOptions = {},
  ) {
    super(message, redactedCause(options));
  }
}

export interface LlmProvider {
  /** `anthropic`, `ollama`, `offline`, or a test double's name. */
  readonly name: string;
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmResponse>;
  /** Checks that the provider can answer (key present, server up, model pulled) before work starts. */
  check(signal?: AbortSignal): Promise<{ ok: true } | { ok: false; code: LlmFailureCode; message: string }>;
}
