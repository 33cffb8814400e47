/**
 * The Anthropic adapter of the model port: `@anthropic-ai/sdk` `messages.create` (non-streaming).
 * Retries with backoff for 408/409/429/5xx/529 and connection errors are the SDK's own (it
 * honours `retry-after-ms` and `retry-after`); this file maps the final failure to an `LlmError`
 * whose message says what to do next and never contains the key.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { LlmError, type LlmFailureCode, type LlmProvider, type LlmRequest, type LlmResponse, type LlmUsage } from '../provider.js';
import { callSignals, formatSeconds, networkCode } from '../provider-support.js';
import { fromAnthropicMessage, toAnthropicParams } from './convert.js';

export interface AnthropicProviderOptions {
  /** May be empty: `check()` then explains how to set it and `complete()` fails with `auth`. */
  apiKey: string;
  model: string;
  /** Defaults to https://api.anthropic.com (the SDK's `ANTHROPIC_BASE_URL` is deliberately not read). */
  baseURL?: string;
  /** Budget for one `complete()` including the SDK's retries and their waits. Default 120 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, done by the SDK. Default 3. */
  maxRetries?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RETRIES = 3;

export const ANTHROPIC_KEY_MISSING_MESSAGE =
  'ANTHROPIC_API_KEY is not set. Create a key at https://console.anthropic.com/settings/keys, add the line ' +
  '`ANTHROPIC_API_KEY=<your key>` to the .env file next to package.json (see .env.example) or export it in the environment, ' +
  'then restart. Without a key, the built-in offline coach needs none: LLM_PROVIDER=offline (or `generate --provider offline`).';

/**
 * List prices in USD per million tokens (base input, output; no caching, batch or long-prompt
 * tiers), for cost estimates in run records. Keys are API model ids; dated snapshots such as
 * `claude-haiku-4-5-20251001` resolve to their alias through `anthropicPriceFor`.
 *
 * Source: Anthropic's pricing page https://platform.claude.com/docs/en/about-claude/pricing and the
 * per-model pages under https://platform.claude.com/docs/en/models/ (read November 2026), except
 * claude-fable-5-2 ($8/$40), which was only found on third-party pages quoting the list price
 * (Vercel AI Gateway model page, November 2026). Re-check those pages when adding a model.
 */
export const ANTHROPIC_PRICES_PER_MILLION: Record<string, { input: number; output: number }> = {
  'claude-fable-5-2': { input: 8, output: 40 },
  'claude-fable-5-1': { input: 10, output: 50 },
  'claude-mythos-5-1': { input: 10, output: 50 },
  'claude-fable-5': { input: 10, output: 50 },
  'claude-mythos-5': { input: 10, output: 50 },
  'claude-opus-5-5': { input: 4, output: 20 },
  'claude-opus-5': { input: 5, output: 25 },
  'claude-opus-4-8': { input: 5, output: 25 },
  'claude-opus-4-7': { input: 5, output: 25 },
  'claude-opus-4-6': { input: 5, output: 25 },
  'claude-opus-4-5': { input: 5, output: 25 },
  // Retired on the Claude API (still served on Bedrock and Google Cloud).
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-sonnet-5-5': { input: 2, output: 10 },
  'claude-sonnet-5': { input: 2, output: 10 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  // Deprecated, retires 30 November 2026.
  'claude-sonnet-4-5': { input: 3, output: 15 },
  // Priced by prompt length: these are the rates for prompts up to 100k tokens ($0.50/$2.50 above).
  'claude-haiku-5-5': { input: 0.1, output: 0.5 },
  'claude-haiku-4-5': { input: 1, output: 5 },
};

/** The price row for a model id or a dated snapshot of it (`…-20251001`), if known. */
export function anthropicPriceFor(model: string): { input: number; output: number } | undefined {
  return ANTHROPIC_PRICES_PER_MILLION[model] ?? ANTHROPIC_PRICES_PER_MILLION[model.replace(/-\d{8}$/, '')];
}

/** Estimated cost in USD of one call's usage, or undefined for a model without a known price. */
export function anthropicCostUsd(model: string, usage: LlmUsage): number | undefined {
  const price = anthropicPriceFor(model);
  if (!price) return undefined;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const { apiKey, model } = options;
  const baseURL = options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const client =
    apiKey === ''
      ? undefined
      : new Anthropic({ apiKey, baseURL, maxRetries, timeout: timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const describe = (error: unknown, userSignal: AbortSignal | undefined, deadline: AbortSignal) =>
    toLlmError(error, { apiKey, model, baseURL, timeoutMs, userSignal, deadline });

  return {
    name: 'anthropic',
    model,

    async complete(request: LlmRequest): Promise<LlmResponse> {
      if (!client) throw new LlmError('auth', ANTHROPIC_KEY_MISSING_MESSAGE);
      const { signal, deadline } = callSignals(request.signal, timeoutMs);
      try {
        const message = await client.messages.create(toAnthropicParams(request, model), { signal });
        return fromAnthropicMessage(message);
      } catch (error) {
        throw describe(error, request.signal, deadline);
      }
    },

    async check(signal?: AbortSignal) {
      if (!client) return { ok: false, code: 'auth', message: ANTHROPIC_KEY_MISSING_MESSAGE };
      const signals = callSignals(signal, timeoutMs);
      try {
        // Free and cheap: proves the key, the network path and the model id in one GET. One
        // retry at most, so that a start-up check does not sit through the full backoff.
        await client.models.retrieve(model, {}, { signal: signals.signal, maxRetries: Math.min(maxRetries, 1) });
        return { ok: true };
      } catch (error) {
        const failure = describe(error, signal, signals.deadline);
        return { ok: false, code: failure.code, message: failure.message };
      }
    },
  };
}

interface ErrorContext {
  apiKey: string;
  model: string;
  baseURL: string;
  timeoutMs: number;
  userSignal: AbortSignal | undefined;
  deadline: AbortSignal;
}

/** Maps whatever the SDK threw to an `LlmError` (exported for tests and for the orchestrator's logs). */
export function toLlmError(error: unknown, context: ErrorContext): LlmError {
  const { model, timeoutMs } = context;
  const fail = (code: LlmFailureCode, message: string, status?: number) =>
    new LlmError(code, redact(message, context.apiKey), status, { cause: error, secrets: [context.apiKey] });
  const seconds = formatSeconds(timeoutMs);

  if (error instanceof LlmError) return error;
  if (context.userSignal?.aborted) return fail('aborted', 'The request to Anthropic was cancelled.');
  if (context.deadline.aborted || error instanceof APIConnectionTimeoutError) {
    return fail('timeout', `Anthropic did not answer within ${seconds} (retries included). Try again later, or raise the timeout.`);
  }
  if (error instanceof APIUserAbortError) return fail('aborted', 'The request to Anthropic was cancelled.');
  if (error instanceof APIConnectionError) {
    const reason = networkCode(error);
    return fail(
      'unavailable',
      `Could not reach the Anthropic API at ${hostOf(context.baseURL)}${reason ? ` (${reason})` : ''}. Check the network connection and the configured base URL.`,
    );
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const detail = error.apiMessage ? `: ${error.apiMessage}` : '';
    switch (true) {
      case status === 401:
        return fail('auth', `Anthropic rejected the API key (401)${detail}. Check ANTHROPIC_API_KEY in .env.`, status);
      case status === 403:
        return fail('auth', `The Anthropic API key may not do this (403)${detail}. Check the key's workspace and permissions.`, status);
      case status === 402:
        return fail('auth', `Anthropic refused the request for billing reasons (402)${detail}. Check the account's credit.`, status);
      case status === 404:
        return fail(
          'model-missing',
          `Anthropic does not know the model "${model}" (404)${detail}. Set a current model id (see https://platform.claude.com/docs/en/about-claude/models) and check the base URL.`,
          status,
        );
      case status === 408:
        return fail('timeout', `Anthropic timed out the request (408) after the retries. Try again later.`, status);
      case status === 429: {
        const wait = error.headers?.get('retry-after');
        return fail(
          'rate-limited',
          `Anthropic's rate limit was hit (429) and the retries ran out${wait ? `; it asked to wait ${wait} s` : ''}. Wait a minute and try again, or raise the account's limits.`,
          status,
        );
      }
      case status === 529:
        return fail('overloaded', `Anthropic is overloaded (529) and the retries ran out. Try again in a few minutes.`, status);
      case status === 400 || status === 413 || status === 422:
        return fail('bad-request', `Anthropic rejected the request (${status})${detail}.`, status);
      case status >= 500:
        return fail('unavailable', `The Anthropic API failed (${status})${detail} and the retries ran out. Try again later.`, status);
      default:
        return fail('unknown', `Anthropic answered ${status}${detail}.`, status);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return fail('unknown', `The Anthropic call failed: ${message}`);
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return 'the configured base URL';
  }
}

/** Belt and braces: no message leaves this file with the key, or anything shaped like one, in it. */
function redact(message: string, apiKey: string): string {
  let result = message;
  if (apiKey !== '') result = result.split(apiKey).join('[redacted]');
  return result.replace(/sk-ant-[A-Za-z0-9_-]+/g, '[redacted]');
}
