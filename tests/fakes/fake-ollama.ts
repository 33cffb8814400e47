/**
 * A fake Ollama server on 127.0.0.1 for testing the real `ollama` client.
 *
 *   const fake = await startFakeOllama({ models: ['qwen3:8b'] });
 *   fake.enqueue(ollamaReply({ toolCalls: [{ name: 'power_curve', arguments: { days: 90 } }] }));
 *   const provider = createOllamaProvider({ host: fake.url, model: 'qwen3:8b' });
 *   …
 *   await fake.close();
 *
 * `POST /api/chat` answers (non-streaming JSON) from the scripted queue, one step per request.
 * When `models` is given, a chat for a model not in it gets Ollama's 404 "model not found"
 * without consuming a step. `GET /api/tags` lists `models` (or plays a step from its own queue).
 * Every request is recorded, with any Authorization value removed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  closeServer,
  fail,
  isRecord,
  readBody,
  sendJson,
  type DropStep,
  type FailStep,
  type HangStep,
  type RecordedRequest,
} from './fake-anthropic.js';

export { closedLoopbackUrl, drop, hang, type RecordedRequest } from './fake-anthropic.js';

export interface FakeOllamaToolCall {
  name: string;
  /** An object normally; pass a string to play a model that sends arguments as (malformed) JSON text. */
  arguments: unknown;
  /** Newer servers may send ids; Ollama traditionally does not. */
  id?: string;
}

export interface OllamaReplyStep {
  kind: 'reply';
  text?: string;
  toolCalls?: FakeOllamaToolCall[];
  /** Default `stop`. */
  doneReason?: string;
  promptEvalCount?: number;
  evalCount?: number;
  /** Default: the model the request asked for. */
  model?: string;
  delayMs?: number;
}

export type OllamaStep = OllamaReplyStep | FailStep | HangStep | DropStep;

export interface FakeOllamaOptions {
  /** Installed models (`name` in `/api/tags`). When given, chats for other models get a 404. */
  models?: string[];
}

export interface FakeOllama {
  /** For the client's `host`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests to `/api/chat` only. */
  readonly chatRequests: RecordedRequest[];
  enqueue(...steps: OllamaStep[]): void;
  enqueueTags(...steps: OllamaStep[]): void;
  pending(): number;
  close(): Promise<void>;
}

export const ollamaReply = (step: Omit<OllamaReplyStep, 'kind'> = {}): OllamaReplyStep => ({ kind: 'reply', ...step });

/** An error the way Ollama sends them: `{ "error": "…" }` as JSON. */
export const ollamaError = (status: number, message: string): FailStep => fail(status, { error: message });

/** Ollama's answer to a chat for a model that is not pulled. */
export const modelNotFound = (model: string): FailStep => ollamaError(404, `model "${model}" not found, try pulling it first`);

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const chatQueue: OllamaStep[] = [];
  const tagsQueue: OllamaStep[] = [];
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `fake-ollama crashed: ${String(error)}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      body = undefined;
    }
    const headers: Record<string, string> = {};
    let keyPresent = false;
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'authorization') keyPresent = true;
      else headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers, keyPresent, body });

    if (req.method === 'POST' && path === '/api/chat') {
      const model = isRecord(body) && typeof body.model === 'string' ? body.model : '';
      if (options.models && !options.models.some((name) => sameModel(name, model))) {
        await play(modelNotFound(model), req, res, model);
        return;
      }
      const step = chatQueue.shift();
      if (!step) {
        sendJson(res, 500, { error: 'fake-ollama: no scripted step left for POST /api/chat' });
        return;
      }
      await play(step, req, res, model);
      return;
    }

    if (req.method === 'GET' && path === '/api/tags') {
      const step = tagsQueue.shift();
      if (step) {
        await play(step, req, res, '');
        return;
      }
      sendJson(res, 200, { models: (options.models ?? []).map(tagEntry) });
      return;
    }

    if (req.method === 'GET' && path === '/api/version') {
      sendJson(res, 200, { version: '0.12.0' });
      return;
    }

    sendJson(res, 404, { error: `fake-ollama: no route ${req.method} ${path}` });
  }

  async function play(step: OllamaStep, req: IncomingMessage, res: ServerResponse, model: string): Promise<void> {
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
        sendJson(res, 200, chatBody(step, model));
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get chatRequests() {
      return requests.filter((request) => request.path === '/api/chat');
    },
    enqueue: (...steps) => void chatQueue.push(...steps),
    enqueueTags: (...steps) => void tagsQueue.push(...steps),
    pending: () => chatQueue.length + tagsQueue.length,
    close: () => (closing ??= closeServer(server)),
  };
}

function chatBody(step: OllamaReplyStep, requestedModel: string): unknown {
  const message: Record<string, unknown> = { role: 'assistant', content: step.text ?? '' };
  if (step.toolCalls?.length) {
    message.tool_calls = step.toolCalls.map((call) => ({
      ...(call.id ? { id: call.id } : {}),
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    model: step.model ?? requestedModel,
    created_at: new Date(0).toISOString(),
    message,
    done: true,
    done_reason: step.doneReason ?? 'stop',
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: step.promptEvalCount ?? 12,
    prompt_eval_duration: 200_000,
    eval_count: step.evalCount ?? 7,
    eval_duration: 700_000,
  };
}

function tagEntry(name: string): unknown {
  return {
    name,
    model: name,
    modified_at: new Date(0).toISOString(),
    size: 4_920_000_000,
    digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
    details: { parent_model: '', format: 'gguf', family: 'fake', families: ['fake'], parameter_size: '8B', quantization_level: 'Q4_K_M' },
  };
}

function sameModel(a: string, b: string): boolean {
  const withTag = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return withTag(a) === withTag(b);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
