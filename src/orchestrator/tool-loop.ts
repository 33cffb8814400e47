/**
 * One phase's conversation with a model: tool calls are validated and answered, malformed
 * arguments go back to the model as tool errors (bounded), the final answer must parse against
 * the phase's schema (one repair attempt), and the loop is bounded in steps and tokens.
 */
import { z } from 'zod';
import { fenceData } from '../llm/fence.js';
import type { LlmMessage, LlmProvider, LlmResponse, LlmToolCall, LlmToolDefinition, LlmUsage } from '../llm/provider.js';
import { extractJson } from './extract-json.js';
import { formatCount } from '../domain/numbers.js';

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

/** The loop's running state: the conversation so far and its counters. */
interface LoopState {
  messages: LlmMessage[];
  usage: LlmUsage;
  toolCalls: { name: string; ok: boolean }[];
  toolErrors: number;
  repairs: number;
}

/** One tool call answered: the tool's fenced result, or what was wrong with the call (sent back as a tool error). */
function answerCall(call: LlmToolCall, byName: ReadonlyMap<string, Tool>): { content: string; isError: boolean } {
  const tool = byName.get(call.name);
  if (!tool) return { content: `There is no tool named "${call.name}". Available: ${[...byName.keys()].join(', ')}.`, isError: true };
  let args = call.arguments;
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args);
    } catch {
      args = undefined;
    }
  }
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success)
    return {
      content: `Invalid arguments for ${call.name}: ${describeIssues(parsed.error)}. Call it again with arguments matching its schema.`,
      isError: true,
    };
  try {
    return { content: fenceData(`Result of ${call.name}`, tool.run(parsed.data), MAX_TOOL_RESULT_CHARS), isError: false };
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    return { content: e.message, isError: true };
  }
}

/** Answers each tool call of a step into the conversation; too many bad calls end the loop. */
function answerCalls(state: LoopState, response: LlmResponse, byName: ReadonlyMap<string, Tool>, maxToolErrors: number): void {
  state.messages.push({ role: 'assistant', content: response.text, toolCalls: response.toolCalls });
  for (const call of response.toolCalls) {
    const { content, isError } = answerCall(call, byName);
    if (isError) {
      state.toolErrors += 1;
      if (state.toolErrors > maxToolErrors)
        throw new LoopError(
          'malformed-tool-arguments',
          `The model sent ${state.toolErrors} bad tool calls in a row; last: ${content.slice(0, 200)}`,
        );
    }
    state.toolCalls.push({ name: call.name, ok: !isError });
    state.messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content, ...(isError ? { isError: true } : {}) });
  }
}

/**
 * The final answer checked against the output: the value when it passes; otherwise a repair
 * request goes into the conversation (once) and undefined is returned.
 */
function finalAnswer<T>(state: LoopState, text: string, output: ToolLoopOptions<T>['output']): { value: T } | undefined {
  if (output === 'text') {
    const trimmed = text.trim();
    if (trimmed.length > 0) return { value: trimmed as T };
    throw new LoopError('invalid-output', 'The model gave an empty answer.');
  }
  let problem: string;
  try {
    const parsed = output.safeParse(extractJson(text));
    if (parsed.success) return { value: parsed.data };
    problem = describeIssues(parsed.error);
  } catch (e) {
    problem = e instanceof Error ? e.message : 'not JSON';
  }
  if (state.repairs >= 1)
    throw new LoopError('invalid-output', `The model's answer did not match the required JSON after one repair: ${problem}`);
  state.repairs += 1;
  state.messages.push({ role: 'assistant', content: text });
  state.messages.push({
    role: 'user',
    content: `That answer is not valid: ${problem}. Reply with only the corrected JSON object, nothing else.`,
  });
  return undefined;
}

export async function runToolLoop<T>(options: ToolLoopOptions<T>): Promise<ToolLoopResult<T>> {
  const maxSteps = options.maxSteps ?? 8;
  const definitions = toolDefinitions(options.tools);
  const byName = new Map(options.tools.map((t) => [t.name, t]));
  const state: LoopState = {
    messages: [...(options.history ?? []), { role: 'user', content: options.user }],
    usage: { inputTokens: 0, outputTokens: 0 },
    toolCalls: [],
    toolErrors: 0,
    repairs: 0,
  };
  for (let step = 0; step < maxSteps; step++) {
    if (options.budget.exhausted)
      throw new LoopError('budget-exceeded', `The run's token budget of ${formatCount(options.budget.limit)} is used up.`);
    const response = await options.provider.complete({
      system: options.system,
      messages: state.messages,
      tools: definitions,
      maxTokens: options.maxTokens ?? 2048,
      temperature: 0.2,
      purpose: options.purpose,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    state.usage.inputTokens += response.usage.inputTokens;
    state.usage.outputTokens += response.usage.outputTokens;
    options.budget.add(response.usage);
    options.onStep?.({ index: step, toolCalls: response.toolCalls.map((c) => c.name) });
    if (response.toolCalls.length > 0) {
      answerCalls(state, response, byName, options.maxToolErrors ?? 3);
      continue;
    }
    const answer = finalAnswer(state, response.text, options.output);
    if (answer)
      return {
        value: answer.value,
        usage: state.usage,
        steps: step + 1,
        toolCalls: state.toolCalls,
        model: response.model,
        transcript: state.messages,
      };
  }
  throw new LoopError('too-many-steps', `The model did not finish within ${maxSteps} steps.`);
}
