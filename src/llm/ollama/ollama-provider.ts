/**
 * The Ollama adapter of the model port: the `ollama` client's non-streaming `chat`.
 *
 * The client has no timeout and passes no AbortSignal on non-streaming calls, so every call gets
 * its own client whose `fetch` carries the caller's signal combined with a deadline. There are
 * no retries: a local server that refuses or fails will do so again a second later.
 */
import { Ollama } from 'ollama';
import { LlmError, type LlmFailureCode, type LlmProvider, type LlmRequest, type LlmResponse } from '../provider.js';
import { callSignals, formatSeconds, networkCode } from '../provider-support.js';
import { fromOllamaResponse, toOllamaChatRequest } from './convert.js';

export interface OllamaProviderOptions {
  /** Such as `http://127.0.0.1:11434`. */
  host: string;
  /** Such as `qwen3:8b`; a name without a tag means `:latest`, as in the ollama CLI. */
  model: string;
  /** Budget for one `complete()`; local models on small machines are slow. Default 300 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 300_000;
/** `check()` only lists models: it needs far less than a completion. */
const CHECK_TIMEOUT_MS = 15_000;

export function createOllamaProvider(options: OllamaProviderOptions): LlmProvider {
  const { host, model } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const shownHost = displayHost(host);
  let toolCallCount = 0;
  const nextToolCallId = () => `call_${++toolCallCount}`;

  const { host: clientHost, authorization } = splitCredentials(host);

  function clientFor(signal: AbortSignal): Ollama {
    const signalledFetch: typeof fetch = (input, init) =>
      baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
    return new Ollama({ host: clientHost, fetch: signalledFetch, ...(authorization ? { headers: { Authorization: authorization } } : {}) });
  }

  return {
    name: 'ollama',
    model,

    async complete(request: LlmRequest): Promise<LlmResponse> {
      const { signal, deadline } = callSignals(request.signal, timeoutMs);
      try {
        const response = await clientFor(signal).chat(toOllamaChatRequest(request, model));
        return fromOllamaResponse(response, model, nextToolCallId);
      } catch (error) {
        throw toOllamaError(error, { host: shownHost, model, timeoutMs, userSignal: request.signal, deadline });
      }
    },

    async check(signal?: AbortSignal) {
      const checkTimeoutMs = Math.min(timeoutMs, CHECK_TIMEOUT_MS);
      const signals = callSignals(signal, checkTimeoutMs);
      try {
        const { models } = await clientFor(signals.signal).list();
        const names = models.flatMap((entry) => [entry.name, entry.model]).filter((name): name is string => typeof name === 'string');
        if (names.some((name) => sameModel(name, model))) return { ok: true };
        const available = [...new Set(models.map((entry) => entry.name))].slice(0, 8).join(', ');
        return {
          ok: false,
          code: 'model-missing',
          message: `Ollama at ${shownHost} has no model "${model}": pull it with \`ollama pull ${model}\`.${available ? ` Installed: ${available}.` : ' No models are installed.'}`,
        };
      } catch (error) {
        const failure = toOllamaError(error, {
          host: shownHost,
          model,
          timeoutMs: checkTimeoutMs,
          userSignal: signal,
          deadline: signals.deadline,
        });
        return { ok: false, code: failure.code, message: failure.message };
      }
    },
  };
}

/** `llama3.1` and `llama3.1:latest` are the same model; `llama3.1:8b` is another. */
export function sameModel(installed: string, wanted: string): boolean {
  const withTag = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return withTag(installed) === withTag(wanted);
}

interface ErrorContext {
  /** Already stripped of credentials. */
  host: string;
  model: string;
  timeoutMs: number;
  userSignal: AbortSignal | undefined;
  deadline: AbortSignal;
}

/**
 * Maps what the ollama client threw: its `ResponseError` (`error` text + `status_code`) for HTTP
 * failures, fetch's `TypeError('fetch failed')` with a coded cause for network failures, and the
 * abort reason when our signal fired.
 */
export function toOllamaError(error: unknown, context: ErrorContext): LlmError {
  if (error instanceof LlmError) return error;
  const mapped = mapOllamaError(error, context);
  // Texts from the server or from fetch may quote a URL with `user:password@` in it (the kept cause is scrubbed alike).
  const scrubbed = mapped.message.replace(/\/\/[^/\s@]*:[^/\s@]*@/g, '//[redacted]@');
  return new LlmError(mapped.code, scrubbed, mapped.status, { cause: error });
}

function mapOllamaError(error: unknown, context: ErrorContext): LlmError {
  const { host, model } = context;
  if (context.userSignal?.aborted) return new LlmError('aborted', 'The request to Ollama was cancelled.');
  if (context.deadline.aborted) {
    return new LlmError(
      'timeout',
      `Ollama at ${host} did not answer within ${formatSeconds(context.timeoutMs)}. A large model on a small machine can need longer: raise the timeout or use a smaller model.`,
    );
  }
  const status = responseStatus(error);
  if (status !== undefined) {
    const text = error instanceof Error ? error.message : '';
    const fail = (code: LlmFailureCode, message: string) => new LlmError(code, message, status);
    if (status === 404 || /model .*not found/i.test(text)) {
      return fail('model-missing', `Ollama at ${host} has no model "${model}": pull it with \`ollama pull ${model}\`.`);
    }
    if (/does not support tools/i.test(text)) {
      return fail(
        'bad-request',
        `The Ollama model "${model}" does not support tool calls. Choose a model with tool support (for example qwen3 or llama3.1).`,
      );
    }
    if (status === 400) return fail('bad-request', `Ollama rejected the request (400): ${text}`);
    if (status === 401 || status === 403) return fail('auth', `Ollama at ${host} refused access (${status}): ${text}`);
    if (status === 429) return fail('rate-limited', `Ollama at ${host} is rate limiting (429): ${text}`);
    if (status === 503) return fail('overloaded', `Ollama at ${host} is busy (503): ${text}. Try again shortly.`);
    return fail('unknown', `Ollama at ${host} failed (${status}): ${text}`);
  }
  const code = networkCode(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new LlmError(
      'unavailable',
      `Ollama is not running at ${host}: start it with \`ollama serve\` (or check the configured host). [${code}]`,
    );
  }
  if (code !== undefined || (error instanceof TypeError && error.message === 'fetch failed')) {
    return new LlmError(
      'unavailable',
      `Ollama at ${host} dropped the connection${code ? ` (${code})` : ''}. Check that \`ollama serve\` is still running.`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmError('unknown', `The Ollama call to ${host} failed: ${message}`);
}

function responseStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'ResponseError') return undefined;
  const status = (error as { status_code?: unknown }).status_code;
  return typeof status === 'number' ? status : undefined;
}

/**
 * fetch refuses URLs with `user:password@` in them, which is how a host behind a reverse proxy
 * with basic auth is usually written; such credentials travel as an Authorization header instead.
 */
export function splitCredentials(host: string): { host: string; authorization?: string } {
  const explicit = host.includes('://');
  let url: URL;
  try {
    url = new URL(explicit ? host : `http://${host}`);
  } catch {
    return { host };
  }
  if (url.username === '' && url.password === '') return { host };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  // Without a protocol the ollama client defaults the port to 11434, not 80: keep that meaning.
  if (!explicit && url.port === '') url.port = '11434';
  return { host: url.href.replace(/\/$/, ''), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** The host as users wrote it, minus any `user:password@`, for messages. */
export function displayHost(host: string): string {
  try {
    const url = new URL(host.includes('://') ? host : `http://${host}`);
    url.username = '';
    url.password = '';
    return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
  } catch {
    return 'the configured Ollama host';
  }
}
