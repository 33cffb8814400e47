/**
 * Load: 50 simulated athletes on the fake Telegram Bot API, each uploading 5 rides and asking for
 * an analysis, all at once, against the real bot (grammY + runner) and the offline coach.
 * Prints one JSON line: completions, throughput, reply latency p50/p95, peak queue depth, peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelegramTestBot } from '../tests/fakes/telegram-driver.js';
import { recentRides } from '../tests/support/synthetic-files.js';

const ATHLETES = Number(process.argv[2] ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'domestique-load-'));
const bot = await TelegramTestBot.start(join(dir, 'load.db'), { env: { RUN_CONCURRENCY: '2' }, handleTimeoutMs: 600_000 });
const fake = bot.fake;
const rides = Array.from({ length: ATHLETES }, (_, i) => recentRides(new Date(), 5, 1000 + i));

const latencies: number[] = [];
let peakQueue = 0;
const sampler = setInterval(() => {
  const d = bot.app.analysis.depth;
  peakQueue = Math.max(peakQueue, d.running + d.waiting);
}, 20);

/** Time from an update to the first bot message after it, in that chat. */
async function timed(userId: number, send: () => void, isReply: (text: string) => boolean): Promise<void> {
  const before = fake.messages(userId).length;
  const started = performance.now();
  send();
  await fake.waitFor(
    () =>
      fake
        .messages(userId)
        .slice(before)
        .some((m) => isReply(m.text)),
    600_000,
    `a reply for ${userId}`,
  );
  latencies.push(performance.now() - started);
}

const started = performance.now();
await Promise.all(
  rides.map(async (files, i) => {
    const user = 90_000 + i;
    await timed(
      user,
      () => fake.userSendsText(user, `ftp ${200 + i}`),
      (t) => /FTP/.test(t),
    );
    await timed(
      user,
      () => fake.userSendsAlbum(user, files),
      (t) => /new activit/.test(t),
    );
    await timed(
      user,
      () => fake.userSendsText(user, '/analyze'),
      (t) => /^Analysis /.test(t),
    );
    const queued = /Queued — (\d+) ahead/.exec(fake.messages(user).find((m) => /^Analysis /.test(m.text))?.history?.[0]?.text ?? '');
    if (queued) peakQueue = Math.max(peakQueue, Number(queued[1]));
    await fake.waitFor(() => fake.documents(user).filter((d) => d.fileName.endsWith('.html')).length === 3, 600_000, `reports for ${user}`);
  }),
);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const completed = rides.filter((_, i) => fake.documents(90_000 + i).filter((d) => d.fileName.endsWith('.html')).length === 3).length;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
await bot.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ athletes: ATHLETES, completed, seconds, analysesPerMinute: (completed / seconds) * 60, replyP50Ms: pct(50), replyP95Ms: pct(95), peakQueue, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
process.exit(completed === ATHLETES ? 0 : 1);
