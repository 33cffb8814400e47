/**
 * A fake Anthropic Messages API on 127.0.0.1 for testing the real `@anthropic-ai/sdk` client.
 *
 *   const fake = await startFakeAnthropic();
 *   fake.enqueue(rateLimited({ retryAfterMs: 5 }), reply({ text: 'Hi' }));
 *   const provider = createAnthropicProvider({ apiKey, model, baseURL: fake.url, maxRetries: 1 });
 *   …
 *   expect(fake.requests).toHaveLength(2);
 *   await fake.close();
 *
 * `POST /v1/messages` answers from the scripted queue, one step per request (retries included).
 * `GET /v1/models/:id` answers from its own queue if scripted, else 200 for `knownModels` and
 * 404 for anything else. Every request is recorded, with the key removed from the headers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeToolUse {
  /** Default `toolu_fake_<n>`. */
  id?: string;
  name: string;
  /** Sent as is: pass a string or an array to play a model that sends malformed input. */
  input: unknown;
}

export interface ReplyStep {
  kind: 'reply';
  text?: string;
  toolCalls?: FakeToolUse[];
  /** Default `tool_use` when there are tool calls, else `end_turn`. */
  stopReason?: string | null;
  usage?: { input_tokens: number; output_tokens: number };
  /** Default: the model the request asked for. */
  model?: string;
  /** Replaces the content blocks built from `text` and `toolCalls`. */
  content?: unknown[];
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface FailStep {
  kind: 'fail';
  status: number;
  /** JSON-encoded unless a string. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** Never answers (until `close()`). */
export interface HangStep {
  kind: 'hang';
}

/** Reads the request, then destroys the socket without a response. */
export interface DropStep {
  kind: 'drop';
}

export type FakeStep = ReplyStep | FailStep | HangStep | DropStep;

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased; `x-api-key` and `authorization` removed. */
  headers: Record<string, string>;
  /** Whether `x-api-key` or `Authorization: Bearer` carried a key (its value is never kept). */
  keyPresent: boolean;
  /** Parsed JSON body, or undefined when there was none (or it was not JSON). */
  body: unknown;
}

export interface FakeAnthropicOptions {
  /** When set, requests with another key (or none) get a 401 without consuming the queue. */
  apiKey?: string;
  /** Models `GET /v1/models/:id` knows. Default: a few current ids. */
  knownModels?: string[];
}

export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests to `/v1/messages` only. */
  readonly messageRequests: RecordedRequest[];
  enqueue(...steps: FakeStep[]): void;
  enqueueModels(...steps: FakeStep[]): void;
  /** Steps not consumed yet. */
  pending(): number;
  close(): Promise<void>;
}

export const reply = (step: Omit<ReplyStep, 'kind'> = {}): ReplyStep => ({ kind: 'reply', ...step });
export const fail = (status: number, body?: unknown, headers?: Record<string, string>): FailStep => ({
  kind: 'fail',
  status,
  ...(body !== undefined ? { body } : {}),
  ...(headers ? { headers } : {}),
});
export const hang = (): HangStep => ({ kind: 'hang' });
export const drop = (): DropStep => ({ kind: 'drop' });

/** An error in the API's shape: `{ type: 'error', error: { type, message } }`. */
export const anthropicError = (status: number, type: string, message: string, headers?: Record<string, string>): FailStep =>
  fail(status, { type: 'error', error: { type, message }, request_id: 'req_fake' }, headers);

/**
 * 429 with a short wait. Use small positive values: the SDK treats `retry-after: 0` as "no
 * advice" and falls back to its own 0.5–8 s backoff.
 */
export const rateLimited = ({ retryAfterMs = 5 }: { retryAfterMs?: number } = {}): FailStep =>
  anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', {
    'retry-after-ms': String(retryAfterMs),
  });

export const overloaded = ({ retryAfterMs = 5 }: { retryAfterMs?: number } = {}): FailStep =>
  anthropicError(529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': String(retryAfterMs) });

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const knownModels = new Set(options.knownModels ?? ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-sonnet-5-5', 'claude-opus-5-5']);
  const messageQueue: FakeStep[] = [];
  const modelQueue: FakeStep[] = [];
  const requests: RecordedRequest[] = [];
  let messageCount = 0;
  let toolUseCount = 0;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(
          res,
          500,
          { type: 'error', error: { type: 'api_error', message: `fake-anthropic crashed: ${String(error)}` } },
          { 'x-should-retry': 'false' },
        );
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const { headers, keyPresent, key } = splitKey(req);
    let body: unknown;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      body = undefined;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers, keyPresent, body };
    requests.push(recorded);

    if (options.apiKey !== undefined && key !== options.apiKey) {
      sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      return;
    }

    if (req.method === 'POST' && path === '/v1/messages') {
      const step = messageQueue.shift();
      if (!step) {
        // Not retryable, so a test that forgot a step fails at once with a clear message.
        sendJson(
          res,
          500,
          { type: 'error', error: { type: 'api_error', message: 'fake-anthropic: no scripted step left for POST /v1/messages' } },
          { 'x-should-retry': 'false' },
        );
        return;
      }
      await play(step, res, req, (scripted) => messageBody(scripted, body));
      return;
    }

    const modelMatch = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && modelMatch) {
      const id = decodeURIComponent(modelMatch[1] ?? '');
      const step = modelQueue.shift();
      if (step) {
        await play(step, res, req, () => modelInfo(id));
        return;
      }
      if (knownModels.has(id)) sendJson(res, 200, modelInfo(id));
      else sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `model: ${id}` } });
      return;
    }

    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `fake-anthropic: no route ${req.method} ${path}` } });
  }

  async function play(step: FakeStep, res: ServerResponse, req: IncomingMessage, replyBody: (step: ReplyStep) => unknown): Promise<void> {
    switch (step.kind) {
      case 'hang':
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'fail':
        if (step.delayMs) await sleep(step.delayMs);
        if (typeof step.body === 'string') {
          res.writeHead(step.status, { 'content-type': 'text/plain', ...step.headers });
          res.end(step.body);
        } else {
          sendJson(res, step.status, step.body ?? {}, step.headers);
        }
        return;
      case 'reply':
        if (step.delayMs) await sleep(step.delayMs);
        sendJson(res, 200, replyBody(step), step.headers);
        return;
    }
  }

  function messageBody(step: ReplyStep, request: unknown): unknown {
    const requestedModel = isRecord(request) && typeof request.model === 'string' ? request.model : 'claude-haiku-4-5';
    const content = step.content ?? [
      ...(step.text !== undefined && step.text !== '' ? [{ type: 'text', text: step.text, citations: null }] : []),
      ...(step.toolCalls ?? []).map((call) => ({
        type: 'tool_use',
        id: call.id ?? `toolu_fake_${++toolUseCount}`,
        name: call.name,
        input: call.input,
        caller: { type: 'direct' },
      })),
    ];
    const hasToolUse = content.some((block) => isRecord(block) && block.type === 'tool_use');
    return {
      id: `msg_fake_${++messageCount}`,
      type: 'message',
      role: 'assistant',
      model: step.model ?? requestedModel,
      content,
      stop_reason: step.stopReason !== undefined ? step.stopReason : hasToolUse ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage: {
        input_tokens: step.usage?.input_tokens ?? 10,
        output_tokens: step.usage?.output_tokens ?? 5,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: null,
        inference_geo: null,
        output_tokens_details: null,
        server_tool_use: null,
        service_tier: 'standard',
        speed: null,
      },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get messageRequests() {
      return requests.filter((request) => request.path === '/v1/messages');
    },
    enqueue: (...steps) => void messageQueue.push(...steps),
    enqueueModels: (...steps) => void modelQueue.push(...steps),
    pending: () => messageQueue.length + modelQueue.length,
    close: () => (closing ??= closeServer(server)),
  };
}

function modelInfo(id: string): unknown {
  return {
    type: 'model',
    id,
    display_name: id,
    created_at: '2026-01-01T00:00:00Z',
    deprecated_at: null,
    capabilities: null,
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  };
}

/** Headers without the key, whether one was sent, and the key itself (kept only for the auth check). */
function splitKey(req: IncomingMessage): { headers: Record<string, string>; keyPresent: boolean; key: string | undefined } {
  const headers: Record<string, string> = {};
  let key: string | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
    if (name === 'x-api-key') key = text;
    else if (name === 'authorization') key = /^Bearer\s+(.+)$/i.exec(text)?.[1] ?? text;
    else headers[name] = text;
  }
  return { headers, keyPresent: key !== undefined && key !== '', key };
}

// ── shared with fake-ollama.ts ──────────────────────────────────────────────────────────────

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Closes the server; hung requests are cut first so that they cannot keep the process alive. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** A loopback URL on which nothing listens (a port that was just released): connection refused. */
export async function closedLoopbackUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return `http://127.0.0.1:${port}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
