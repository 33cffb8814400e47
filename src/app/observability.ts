/**
 * What operators watch: Prometheus metrics (prom-client) and a health check, served on
 * METRICS_PORT — runs by status, phase durations, tokens and cost, queue depth, uploads by
 * result, reminders and check-ins sent/failed, questions.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunEvent } from '../orchestrator/events.js';
import type { HttpRoute } from './sync-routes.js';

/** A counter in `registry` with the given labels. */
function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export class Metrics {
  readonly registry = new Registry();
  readonly runs = counter(this.registry, 'domestique_runs_total', 'Analysis runs by outcome', ['status']);
  readonly phaseSeconds = new Histogram({
    name: 'domestique_phase_duration_seconds',
    help: 'Phase durations',
    labelNames: ['phase', 'status'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly tokens = counter(this.registry, 'domestique_llm_tokens_total', 'Model tokens', ['provider', 'direction']);
  readonly cost = counter(this.registry, 'domestique_llm_cost_usd_total', 'Model cost in USD', ['provider']);
  readonly queue = new Gauge({
    name: 'domestique_run_queue',
    help: 'Runs running and waiting',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      const depth = this.queueDepth();
      this.queue.labels('running').set(depth.running);
      this.queue.labels('waiting').set(depth.waiting);
    },
  });
  readonly uploads = counter(this.registry, 'domestique_upload_activities_total', 'Uploaded activities by result', ['result']);
  readonly reminders = counter(this.registry, 'domestique_reminders_total', 'Monthly reminders by result', ['result']);
  readonly checkins = counter(this.registry, 'domestique_checkins_total', 'Weekly check-ins by result', ['result']);
  readonly questions = counter(this.registry, 'domestique_questions_total', 'Questions to the coach', ['provider']);
  readonly syncedRides = counter(this.registry, 'domestique_synced_activities_total', 'Activities fetched from intervals.icu and Strava', [
    'service',
    'result',
  ]);

  /** Where the queue gauge reads from at each scrape. */
  queueDepth: () => { running: number; waiting: number } = () => ({ running: 0, waiting: 0 });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'domestique_' });
  }

  runEvent(event: RunEvent): void {
    if (event.type === 'phase-done') this.phaseSeconds.labels(event.phase, event.status).observe(event.seconds);
    if (event.type === 'run-done') this.runs.labels(event.degraded ? 'degraded' : 'done').inc();
    if (event.type === 'run-failed') this.runs.labels('failed').inc();
  }

  runUsage(provider: string, inputTokens: number, outputTokens: number, costUsd: number): void {
    this.tokens.labels(provider, 'input').inc(inputTokens);
    this.tokens.labels(provider, 'output').inc(outputTokens);
    this.cost.labels(provider).inc(costUsd);
  }

  upload(summary: { new: number; duplicates: number; merged: number; errors: number }): void {
    this.uploads.labels('new').inc(summary.new);
    this.uploads.labels('duplicate').inc(summary.duplicates);
    this.uploads.labels('merged').inc(summary.merged);
    this.uploads.labels('error').inc(summary.errors);
  }

  question(answer: { provider: string; usage: { inputTokens: number; outputTokens: number }; costUsd: number }): void {
    this.questions.labels(answer.provider).inc();
    this.runUsage(answer.provider, answer.usage.inputTokens, answer.usage.outputTokens, answer.costUsd);
  }

  /** One activity fetched by the sync engine, by service and what became of it. */
  synced(service: string, result: string): void {
    this.syncedRides.labels(service, result).inc();
  }

  /** One pass of a ticker (monthly reminders or weekly check-ins) into its counter. */
  scheduledTick(result: { sent: number; failed: number; disabled: number }, counted: Counter<'result'>): void {
    counted.labels('sent').inc(result.sent);
    counted.labels('failed').inc(result.failed);
    counted.labels('disabled').inc(result.disabled);
  }
}

/**
 * The extra routes of the operations server, tried in order. Routes may be added while it runs: a
 * bot adds its webhook's before it registers the webhook with its platform, and removes it when it stops.
 */
export class HttpRoutes {
  private readonly routes: HttpRoute[];

  constructor(...routes: HttpRoute[]) {
    this.routes = routes;
  }

  /** Adds a route; returns its removal. */
  add(route: HttpRoute): () => void {
    this.routes.push(route);
    return () => {
      const at = this.routes.indexOf(route);
      if (at >= 0) this.routes.splice(at, 1);
    };
  }

  /** The routes as one, for `startOperationsServer`. */
  readonly handle: HttpRoute = async (req, res, url) => {
    for (const route of [...this.routes]) if (await route(req, res, url)) return true;
    return false;
  };
}

export interface Health {
  ok: boolean;
  checks: Record<string, string>;
}

/**
 * /healthz (200 or 503 with the failing checks), /metrics, and `routes` (the sync feature's Strava
 * OAuth callback and webhooks, Telegram's webhook) when given.
 */
export function startOperationsServer(port: number, metrics: Metrics, health: () => Promise<Health>, routes?: HttpRoute): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (routes && path !== '/healthz' && path !== '/metrics') {
      const url = new URL(req.url ?? '/', 'http://localhost');
      routes(req, res, url)
        .then((answered) => {
          if (!answered) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        })
        .catch(() => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
        });
      return;
    }
    if (path === '/healthz') {
      health()
        .then((h) => res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h)))
        .catch(() => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, checks: {} })));
      return;
    }
    if (path === '/metrics') {
      metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
        .catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
