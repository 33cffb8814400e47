/**
 * Time for the Discord bot to acknowledge interactions (the deferral Discord needs within 3 s),
 * printed as one JSON line:
 *   {"p50":..,"p95":..,"max":..,"n":50,"late":0,"busy":{...the same},"loopMaxMs":..}
 *
 * The real bot (discord.js + the chat app, offline coach) runs in this thread; the fake Discord
 * runs in a worker thread, so that it stamps dispatch and callback times on its own event loop —
 * what Discord would see — and not on the bot's, which analyses block while they run.
 * - top level: `n` (default 50, `--n 50`) athletes send /analyze at the same moment;
 * - `busy`: while those analyses run, other athletes send /status every 100 ms for 3 s.
 * Times in ms from dispatch to the deferral's arrival; `late` counts those Discord would have
 * refused (over 3,000 ms); `loopMaxMs` is the longest the bot's event loop was blocked meanwhile.
 * Target: p95 ≤ 300 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { FakeDiscord, SlashOptions } from '../tests/fakes/fake-discord.js';

interface Request {
  id: number;
  cmd: 'start' | 'slash' | 'burst' | 'trickle' | 'waitFor' | 'close';
  args?: unknown;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const DEADLINE_MS = 3000;
const stats = (values: number[]) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  max: Math.max(0, ...values),
  n: values.length,
  late: values.filter((v) => v > DEADLINE_MS).length,
});

async function fakeDiscordWorker(): Promise<void> {
  const { FakeDiscord: Fake } = await import('../tests/fakes/fake-discord.js');
  let fake: FakeDiscord | null = null;
  const answered = (ids: string[]) =>
    ids.every((id) => {
      const i = fake!.interactions.get(id)!;
      return i.callbackAt !== null || i.late;
    });
  const latencies = (ids: string[]) =>
    ids.map((id) => {
      const i = fake!.interactions.get(id)!;
      return i.callbackAt === null ? Number.MAX_SAFE_INTEGER : i.callbackAt - i.dispatchedAt;
    });
  parentPort!.on('message', async ({ id, cmd, args }: Request) => {
    try {
      let result: unknown = null;
      if (cmd === 'start') {
        fake = await Fake.start();
        result = { token: fake.token, applicationId: fake.applicationId, baseUrl: fake.baseUrl };
      } else if (cmd === 'slash') {
        const { userId, command, spec } = args as { userId: string; command: string; spec: SlashOptions };
        result = fake!.slash(userId, command, spec).id;
      } else if (cmd === 'burst') {
        const { users, command } = args as { users: string[]; command: string };
        const ids = users.map((u) => fake!.slash(u, command).id);
        await fake!.waitFor(() => answered(ids), 60_000, 'every deferral');
        result = latencies(ids);
      } else if (cmd === 'trickle') {
        const { users, command, intervalMs } = args as { users: string[]; command: string; intervalMs: number };
        const ids: string[] = [];
        for (const u of users) {
          ids.push(fake!.slash(u, command).id);
          await new Promise((r) => setTimeout(r, intervalMs));
        }
        await fake!.waitFor(() => answered(ids), 60_000, 'every deferral');
        result = latencies(ids);
      } else if (cmd === 'waitFor') {
        const { users, text } = args as { users: string[]; text: string };
        await fake!.waitFor(
          () => users.every((u) => fake!.messagesFor(u).some((m) => m.content.includes(text))),
          300_000,
          `"${text}" for everyone`,
        );
      } else if (cmd === 'close') {
        await fake?.close();
      }
      parentPort!.postMessage({ id, result });
    } catch (error) {
      parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}

async function main(): Promise<void> {
  const [{ startDiscord }, { registerCommands }, { createChatApp }, { loadConfig }, { createLogger }, { recentRides }, { athleteUserId }] =
    await Promise.all([
      import('../bots/discord/main.js'),
      import('../bots/discord/register.js'),
      import('../src/app/chat-app.js'),
      import('../src/config.js'),
      import('../src/logger.js'),
      import('../tests/support/synthetic-files.js'),
      import('../tests/fakes/discord-driver.js'),
    ]);
  const n = Number(process.argv[process.argv.indexOf('--n') + 1] ?? '') || 50;
  // The worker loads tsx first: module hooks registered by `--import tsx` stay in this thread.
  const worker = new Worker(
    `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`,
    { eval: true, execArgv: [] },
  );
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(id)!;
    pending.delete(id);
    if (error) p.reject(new Error(error));
    else p.resolve(result);
  });
  const call = <T>(cmd: Request['cmd'], args?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, cmd, args });
    });

  const dir = mkdtempSync(join(tmpdir(), 'domestique-bench-discord-'));
  const fake = await call<{ token: string; applicationId: string; baseUrl: string }>('start');
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'bench.db'),
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_BASE: fake.baseUrl,
  });
  const logger = createLogger('silent');
  await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiBase: fake.baseUrl });
  const app = await createChatApp(config, logger, { snapshot: false });
  const settled = new Map<string, () => void>();
  const done = new Set<string>();
  const bot = await startDiscord(config, logger, app, {
    onSettled: ({ id }) => {
      done.add(id);
      settled.get(id)?.();
    },
  });
  const handled = (id: string) => (done.has(id) ? Promise.resolve() : new Promise<void>((r) => settled.set(id, r)));
  try {
    const analysts = Array.from({ length: n }, (_, i) => athleteUserId(10_000 + i));
    const watchers = Array.from({ length: 30 }, (_, i) => athleteUserId(20_000 + i));
    const now = new Date();
    // Two rides each, sent one athlete at a time (the uploads are not what is measured).
    for (const [i, userId] of analysts.entries()) {
      const options = Object.fromEntries(recentRides(now, 2, 1000 + i).map((r, j) => [`file${j + 1}`, r]));
      await handled(await call<string>('slash', { userId, command: 'upload', spec: { options } }));
    }
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const burst = await call<number[]>('burst', { users: analysts, command: 'analyze' });
    const busy = await call<number[]>('trickle', { users: watchers, command: 'status', intervalMs: 100 });
    await call('waitFor', { users: analysts, text: 'Your analysis is ready' });
    loop.disable();
    process.stdout.write(`${JSON.stringify({ ...stats(burst), busy: stats(busy), loopMaxMs: Math.round(loop.max / 1e6) })}\n`);
  } finally {
    await bot.stop();
    await app.close();
    await call('close');
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else await fakeDiscordWorker();
