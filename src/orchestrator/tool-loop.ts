/**
 * One phase's conversation with a model: tool calls are validated and answered, malformed
 * arguments go back to the model as tool errors (bounded), the final answer must parse against
 * the phase's schema (one repair attempt), and the loop is bounded in steps and tokens.
 */
import { z } from 'zod';
import type { LlmMessage, LlmProvider, LlmToolDefinition, LlmUsage } from '../llm/provider.js';
import { fenceData } from '../llm/fence.js';

/** A tool the model may call. `run` throws ToolError for an expected refusal (sent back to the model). */
export interface Tool<I = unknown> {
  name: string;
  description: string;
  input: z.ZodType<I>;
  run(input: I): unknown;
}

export class ToolError extends Error {
  override name = 'ToolError';
}

export type LoopFailure = 'too-many-steps' | 'invalid-output' | 'malformed-tool-arguments' | 'budget-exceeded';

/** The loop gave up; the orchestrator falls back to the offline coach. */
export class LoopError extends Error {
  override name = 'LoopError';
  constructor(
    readonly code: LoopFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Tokens left for the whole run, shared by its phases. */
export class TokenBudget {
  private used: LlmUsage = { inputTokens: 0, outputTokens: 0 };
  constructor(readonly limit: number) {}
  add(usage: LlmUsage): void {
    this.used = { inputTokens: this.used.inputTokens + usage.inputTokens, outputTokens: this.used.outputTokens + usage.outputTokens };
  }
  get total(): number {
    return this.used.inputTokens + this.used.outputTokens;
  }
  /** Everything spent so far, also by conversations that failed part-way. */
  get usage(): LlmUsage {
    return { ...this.used };
  }
  get exhausted(): boolean {
    return this.total >= this.limit;
  }
}

export interface ToolLoopOptions<T> {
  provider: LlmProvider;
  system: string;
  user: string;
  tools: Tool[];
  /** The answer's schema, or `text` for a plain-text answer (chat questions). */
  output: z.ZodType<T> | 'text';
  purpose: string;
  budget: TokenBudget;
  maxSteps?: number;
  maxToolErrors?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  /** Earlier turns of the conversation (chat questions keep a few). */
  history?: LlmMessage[];
  /** Called after each model step, e.g. to report progress. */
  onStep?: (step: { index: number; toolCalls: string[] }) => void;
}

export interface ToolLoopResult<T> {
  value: T;
  usage: LlmUsage;
  steps: number;
  toolCalls: { name: string; ok: boolean }[];
  model: string;
  /** The conversation as it went, tool results included. */
  transcript: LlmMessage[];
}

export const MAX_TOOL_RESULT_CHARS = 12_000;

export function toolDefinitions(tools: Tool[]): LlmToolDefinition[] {
  return tools.map((tool) => {
    const schema = z.toJSONSchema(tool.input, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
    delete schema.$schema;
    return { name: tool.name, description: tool.description, inputSchema: schema };
  });
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Where the JSON value opened by the `{` or `[` at `start` ends (the index after its closing
 * bracket), reading strings with their escapes so that brackets, quotes or ``` inside a string do
 * not count; -1 when the brackets do not pair up.
 */
function matchingBracket(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The JSON object in a model's final answer. The model may answer with the JSON alone, wrap it in
 * a ```json fence, or put prose around it — and a string inside it may itself hold ``` (a code
 * sample in advice), so fences are not trusted: the whole answer is tried first, then each `{` or
 * `[` with the bracket that closes it. An object wins over an array (a "[1]" in the prose is no
 * answer); without either, the first parse error (or "no JSON object") is thrown.
 */
export function extractJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // not JSON as a whole: look inside
  }
  let firstArray: { value: unknown } | null = null;
  let firstError: unknown = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '{' && c !== '[') continue;
    const end = matchingBracket(text, i);
    if (end < 0) continue;
    try {
      const value: unknown = JSON.parse(text.slice(i, end));
      if (c === '{') return value;
      firstArray ??= { value };
      i = end - 1; // what is inside the array is part of it
    } catch (error) {
      if (c !== '{') continue;
      firstError ??= error;
      i = end - 1; // an object inside a broken one is not the answer
    }
  }
  if (firstArray) return firstArray.value;
  throw firstError ?? new SyntaxError('no JSON object in the answer');
}

export async function runToolLoop<T>(options: ToolLoopOptions<T>): Promise<ToolLoopResult<T>> {
  const maxSteps = options.maxSteps ?? 8;
  const maxToolErrors = options.maxToolErrors ?? 3;
  const definitions = toolDefinitions(options.tools);
  const byName = new Map(options.tools.map((t) => [t.name, t]));
  const messages: LlmMessage[] = [...(options.history ?? []), { role: 'user', content: options.user }];
  const usage: LlmUsage = { inputTokens: 0, outputTokens: 0 };
  const toolCalls: ToolLoopResult<T>['toolCalls'] = [];
  let toolErrors = 0;
  let repairs = 0;
  let model = options.provider.model;

  for (let step = 0; step < maxSteps; step++) {
    if (options.budget.exhausted)
      throw new LoopError('budget-exceeded', `The run's token budget of ${options.budget.limit.toLocaleString('en-US')} is used up.`);
    const response = await options.provider.complete({
      system: options.system,
      messages,
      tools: definitions,
      maxTokens: options.maxTokens ?? 2048,
      temperature: 0.2,
      purpose: options.purpose,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    model = response.model;
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    options.budget.add(response.usage);
    options.onStep?.({ index: step, toolCalls: response.toolCalls.map((c) => c.name) });

    if (response.toolCalls.length > 0) {
      messages.push({ role: 'assistant', content: response.text, toolCalls: response.toolCalls });
      for (const call of response.toolCalls) {
        const tool = byName.get(call.name);
        let content: string;
        let isError = false;
        if (!tool) {
          content = `There is no tool named "${call.name}". Available: ${[...byName.keys()].join(', ')}.`;
          isError = true;
        } else {
          let args = call.arguments;
          if (typeof args === 'string') {
            try {
              args = JSON.parse(args);
            } catch {
              args = undefined;
            }
          }
          const parsed = tool.input.safeParse(args ?? {});
          if (!parsed.success) {
            content = `Invalid arguments for ${call.name}: ${describeIssues(parsed.error)}. Call it again with arguments matching its schema.`;
            isError = true;
          } else {
            try {
              content = fenceData(`Result of ${call.name}`, tool.run(parsed.data), MAX_TOOL_RESULT_CHARS);
            } catch (e) {
              if (!(e instanceof ToolError)) throw e;
              content = e.message;
              isError = true;
            }
          }
        }
        if (isError) {
          toolErrors += 1;
          if (toolErrors > maxToolErrors)
            throw new LoopError(
              'malformed-tool-arguments',
              `The model sent ${toolErrors} bad tool calls in a row; last: ${content.slice(0, 200)}`,
            );
        }
        toolCalls.push({ name: call.name, ok: !isError });
        messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content, ...(isError ? { isError: true } : {}) });
      }
      continue;
    }

    if (options.output === 'text') {
      const text = response.text.trim();
      if (text.length > 0) return { value: text as T, usage, steps: step + 1, toolCalls, model, transcript: messages };
      throw new LoopError('invalid-output', 'The model gave an empty answer.');
    }
    let problem: string;
    try {
      const parsed = options.output.safeParse(extractJson(response.text));
      if (parsed.success) return { value: parsed.data, usage, steps: step + 1, toolCalls, model, transcript: messages };
      problem = describeIssues(parsed.error);
    } catch (e) {
      problem = e instanceof Error ? e.message : 'not JSON';
    }
    if (repairs >= 1)
      throw new LoopError('invalid-output', `The model's answer did not match the required JSON after one repair: ${problem}`);
    repairs += 1;
    messages.push({ role: 'assistant', content: response.text });
    messages.push({
      role: 'user',
      content: `That answer is not valid: ${problem}. Reply with only the corrected JSON object, nothing else.`,
    });
  }
  throw new LoopError('too-many-steps', `The model did not finish within ${maxSteps} steps.`);
}
