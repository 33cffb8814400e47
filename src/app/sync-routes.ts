/**
 * The sync feature's part of the bot's HTTP server (the one that serves /healthz and /metrics,
 * reachable at PUBLIC_URL): Strava's OAuth callback, Strava's webhook (the subscription challenge
 * and the events) and intervals.icu's webhook. Each answers from the sync engine; the events are
 * only queued here, so the answer goes back well inside Strava's 2 seconds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { html } from '../report/html.js';

/** What the routes need of the sync engine (SyncService). */
export interface SyncEndpoints {
  stravaCallback(query: URLSearchParams): Promise<{ status: number; title: string; message: string }>;
  stravaChallenge(query: URLSearchParams): { status: number; body: unknown };
  stravaEvent(body: unknown): Promise<{ status: number }>;
  intervalsEvent(body: unknown): Promise<{ status: number }>;
}

/** Webhook bodies are a few hundred bytes; anything much larger is not from the service. */
const MAX_BODY_BYTES = 64 * 1024;

/** An extra route of the operations server: true when it answered the request. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** The routes of the sync feature, for `startOperationsServer`. */
export function syncRoutes(sync: SyncEndpoints): HttpRoute {
  return async (req, res, url) => {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /oauth/strava/callback': {
        const page = await sync.stravaCallback(url.searchParams);
        res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(pageHtml(page));
        return true;
      }
      case 'GET /webhooks/strava': {
        const answer = sync.stravaChallenge(url.searchParams);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
        return true;
      }
      case 'POST /webhooks/strava':
      case 'POST /webhooks/intervals': {
        const body = await jsonBody(req);
        if (body === undefined) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('expected a JSON body\n');
          return true;
        }
        const answer = await (url.pathname === '/webhooks/strava' ? sync.stravaEvent(body) : sync.intervalsEvent(body));
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.status === 200 ? 'ok\n' : 'refused\n');
        return true;
      }
      default:
        return false;
    }
  };
}

/** The request's JSON body; undefined when it is too large or not JSON. */
async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await requestBody(req, MAX_BODY_BYTES);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A request's body as UTF-8 text, read no further than `maxBytes`: null when it is larger. */
export async function requestBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The small page the athlete sees after Strava's "Authorize". */
function pageHtml(page: { title: string; message: string }): string {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>domestique · ${page.title}</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #1d2330; }
      h1 { font-size: 1.4rem; }
    </style>
  </head>
  <body>
    <h1>${page.title}</h1>
    <p>${page.message}</p>
  </body>
</html>
`.value;
}
