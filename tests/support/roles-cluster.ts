/**
 * `npm start` processes in their roles on one PostgreSQL database, for the multi-process tests
 * (issue 21): each is `node --import tsx bots/main.ts --role <role>` in an empty folder (no .env
 * read) with exactly the environment given here — the fake Bot API as TELEGRAM_API_ROOT, the
 * ingress in webhook mode on a port chosen once (a restarted ingress serves the same URL, as a
 * deploy does). Their logs (pino's JSON lines on stderr) are kept and can be waited on; nothing here
 * sleeps: every wait is on a log line, on the fake, or on a process's exit. Each worker serves
 * /metrics on a port of its own (`metricOf` reads a counter there: which worker ran what).
 *
 *   const cluster = await startRolesCluster({ databaseUrl, fake });
 *   const ingress = await cluster.start('ingress');
 *   const worker = await cluster.start('worker', 'worker-a');
 *   await worker.waitForLog((l) => l.msg === '…', 'the job handler');
 *   await worker.kill('SIGKILL');
 *   await cluster.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { FakeTelegram } from '../fakes/fake-telegram.js';
import { WEBHOOK_PATH, WEBHOOK_SECRET } from '../fakes/telegram-driver.js';
import { ROOT } from './cli.js';

const MAIN = resolve(ROOT, 'bots/main.ts');
const TSX = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export type Role = 'all' | 'ingress' | 'worker';

/** One line of a process's log: pino's JSON (msg, level, and the fields logged), or `{ msg: <the raw line> }`. */
export type LogLine = { msg: string; level?: number } & Record<string, unknown>;

export interface RoleProcess {
  readonly name: string;
  readonly role: Role;
  readonly pid: number;
  /** Its /healthz and /metrics: the ingress's webhook port, a worker's own. */
  readonly metricsPort: number;
  /** Every log line so far. */
  logs(): LogLine[];
  /** The raw log (stdout and stderr), for a failure message. */
  text(): string;
  /** The first log line (from the start) that matches; fails when the process ends first or after `timeoutMs`. */
  waitForLog(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** Resolves when the process has ended: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once it has ended. */
  ended(): boolean;
  /** Sends the signal and waits for the process to end. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface RolesClusterOptions {
  databaseUrl: string;
  fake: FakeTelegram;
  /** More environment for every process (e.g. LLM_PROVIDER, RUN_CONCURRENCY). */
  env?: Record<string, string>;
  /** The analysis job's expiry (ANALYSIS_JOB_EXPIRE_SECONDS), seconds (default 10). */
  jobExpireSeconds?: number;
}

export interface RolesCluster {
  /** The URL the ingress registers as its webhook (the same for every start). */
  readonly webhookUrl: string;
  /**
   * Starts `bots/main.ts --role <role>` and waits until it is running (its "domestique is running"
   * line — for an ingress, with the webhook registered at the fake).
   */
  start(role: Role, name?: string, env?: Record<string, string>): Promise<RoleProcess>;
  /** Every process started so far, in order. */
  processes(): RoleProcess[];
  /** Ends every process still running (SIGTERM, then SIGKILL for one that does not end within 20 s) and removes the folder. */
  close(): Promise<void>;
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** The line that says a process is up (bots/main.ts logs it last, whatever the role). */
export const RUNNING = (line: LogLine) => /domestique is running/.test(line.msg);

export async function startRolesCluster(options: RolesClusterOptions): Promise<RolesCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'domestique-roles-'));
  const port = await freePort();
  const webhookUrl = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
  const started: RoleProcess[] = [];
  const { fake } = options;
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: options.databaseUrl,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.url,
    LLM_PROVIDER: 'offline',
    LOG_LEVEL: 'debug',
    ANALYSIS_JOB_EXPIRE_SECONDS: String(options.jobExpireSeconds ?? 10),
    // No browser: the reports are the three HTML files (a picture per athlete would only slow 50 analyses down).
    PUPPETEER_EXECUTABLE_PATH: join(dir, 'no-chromium'),
    ...options.env,
  };
  // Only the ingress (and `all`) take the chat's updates and serve HTTP: the webhook, on the one port.
  const ingressEnv = { METRICS_PORT: String(port), TELEGRAM_WEBHOOK_URL: webhookUrl, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET };
  const counts = new Map<Role, number>();

  return {
    webhookUrl,
    async start(role, name, env = {}) {
      const n = (counts.get(role) ?? 0) + 1;
      counts.set(role, n);
      // a worker serves /metrics on a port of its own: what it did can be read there
      const own = role === 'worker' ? { METRICS_PORT: String(await freePort()) } : ingressEnv;
      const child = spawnRole(name ?? `${role}-${n}`, role, dir, { ...base, ...own, ...env });
      started.push(child);
      const settings = fake.calls('setWebhook');
      await Promise.race([
        child.waitForLog(RUNNING, `${child.name} to be running`, 60_000),
        child.exited.then(({ code, signal }) => {
          throw new Error(`${child.name} ended (${signal ?? code}) before it was running:\n${child.text()}`);
        }),
      ]);
      if (role !== 'worker')
        await fake.waitFor(() => fake.calls('setWebhook') > settings && fake.webhook()?.url === webhookUrl, 10_000, 'the webhook');
      return child;
    },
    processes: () => [...started],
    async close() {
      await Promise.all(
        started
          .filter((p) => !p.ended())
          .map(async (p) => {
            const timer = setTimeout(() => void p.kill('SIGKILL'), 20_000);
            await p.kill('SIGTERM');
            clearTimeout(timer);
          }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function spawnRole(name: string, role: Role, cwd: string, env: Record<string, string>): RoleProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, MAIN, '--role', role], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  for (const stream of [child.stdout!, child.stderr!])
    createInterface({ input: stream }).on('line', (text) => {
      raw.push(text);
      lines.push(parseLine(text));
      wake();
    });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      ended = true;
      wake();
      done({ code, signal });
    }),
  );
  const handle: RoleProcess = {
    name,
    role,
    pid: child.pid!,
    metricsPort: Number(env.METRICS_PORT),
    logs: () => [...lines],
    text: () => raw.join('\n'),
    exited,
    ended: () => ended,
    async waitForLog(match, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (ended) throw new Error(`${name} ended while waiting for ${what}:\n${raw.slice(-40).join('\n')}`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} in ${name}'s log:\n${raw.slice(-40).join('\n')}`);
        await new Promise<void>((done) => {
          const timer = setTimeout(done, left);
          waiters.push(() => {
            clearTimeout(timer);
            done();
          });
        });
      }
    },
    async kill(signal) {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
  return handle;
}

/**
 * A counter or gauge of a running process's /metrics (Prometheus text): the sum of its samples
 * whose labels include `labels` (0 when there is none).
 */
export async function metricOf(process: RoleProcess, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${process.metricsPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!sample || sample[1] !== name) continue;
    const own = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => own[k] === v)) sum += Number(sample[3]);
  }
  return sum;
}

function parseLine(text: string): LogLine {
  if (text.startsWith('{'))
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return { ...parsed, msg: typeof parsed.msg === 'string' ? parsed.msg : '' };
    } catch {
      // not JSON after all
    }
  return { msg: text };
}
