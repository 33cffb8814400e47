/**
 * What operators rely on: per-athlete quotas with clear words, /healthz and /metrics, and online
 * backups that restore.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatApp } from '../../src/app/chat-app.js';
import { startOperationsServer } from '../../src/app/observability.js';
import { backupNow, scheduleBackups } from '../../src/store/backup.js';
import { Store } from '../../src/store/store.js';
import { testChat, type TestChat } from '../support/chat-app.js';
import { recentRides } from '../support/synthetic-files.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A chat app on a temp database with in-memory threads (tests/support/chat-app), closed after the test. */
async function app(env: Record<string, string> = {}, snapshot = false): Promise<{ app: ChatApp; chat: TestChat }> {
  const chat = await testChat(env, { snapshot });
  cleanups.push(() => chat.close());
  return { app: chat.app, chat };
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('per-athlete quotas', () => {
  it("refuse uploads and analyses beyond the day's quota, with what to do", async () => {
    const { app: a, chat } = await app({ UPLOAD_FILES_PER_DAY: '3', ANALYSES_PER_DAY: '1', MAX_ACTIVITIES_PER_ATHLETE: '4' });
    const { thread: t, posts, last, upload } = chat.thread('memory:1');
    const rides = recentRides(new Date(), 5, 3);
    await upload(rides.slice(0, 4));
    expect(last()).toMatch(/That would make 4 files today; the limit is 3 a day/);
    await upload(rides.slice(0, 3));
    expect(last()).toMatch(/3 new activities stored/);
    await upload(rides.slice(3, 4));
    expect(last()).toMatch(/limit is 3 a day/);
    await a.conversation.handle(t, { kind: 'command', name: 'analyze', args: '' });
    await until(() => posts.some((p) => p.text.includes('The full reports follow')));
    // Nothing changed: the same analysis again, which is not a new one and does not count.
    await a.conversation.handle(t, { kind: 'command', name: 'analyze', args: '' });
    expect(last()).toMatch(/Nothing changed since your analysis of/);
    // A changed profile is a new analysis: today's one is used up.
    await a.conversation.handle(t, { kind: 'text', text: 'ftp 262' });
    await a.conversation.handle(t, { kind: 'command', name: 'analyze', args: '' });
    expect(last()).toMatch(/1 analyses today, the daily limit/);
  });

  it("refuse uploads beyond the day's megabytes, and questions beyond the day's limit", async () => {
    const { app: a, chat } = await app({ UPLOAD_MB_PER_DAY: '1', QUESTIONS_PER_DAY: '2' });
    const { thread: t, last, upload } = chat.thread('memory:7');
    const rides = recentRides(new Date(), 12, 7);
    const size = rides.reduce((sum, r) => sum + r.content.length, 0);
    expect(size).toBeGreaterThan(1024 * 1024); // twelve 1–2 h rides are more than 1 MB
    await upload(rides);
    expect(last()).toMatch(/That would make \d+(\.\d)? MB today; the limit is 1(\.0)? MB a day/);
    await upload(rides.slice(0, 1));
    expect(last()).toMatch(/1 new activity stored/);
    await a.conversation.handle(t, { kind: 'text', text: 'what is my ftp?' });
    await a.conversation.handle(t, { kind: 'text', text: 'how fit am I?' });
    expect(last()).not.toMatch(/daily limit/);
    await a.conversation.handle(t, { kind: 'text', text: 'was last week too hard?' });
    expect(last()).toMatch(/You have asked 2 questions today, the daily limit/);
  });

  it('refuse new activities beyond the storage quota', async () => {
    const { chat } = await app({ MAX_ACTIVITIES_PER_ATHLETE: '2' });
    const { last, upload } = chat.thread('memory:2');
    await upload(recentRides(new Date(), 2, 4));
    await upload(recentRides(new Date(), 1, 5));
    expect(last()).toMatch(/You have 2 activities stored, the most I keep per athlete/);
  });
});

describe('no browser for the picture', () => {
  it.each([
    ['missing', () => '/nonexistent/chromium'],
    [
      'crashing at launch',
      (dir: string) => {
        const fake = join(dir, 'chromium-that-crashes');
        writeFileSync(fake, '#!/bin/sh\necho "Segmentation fault" >&2\nexit 139\n', { mode: 0o755 });
        return fake;
      },
    ],
  ])('%s: the three reports still arrive, without the picture', async (_, browser) => {
    const scratch = mkdtempSync(join(tmpdir(), 'domestique-nobrowser-'));
    cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
    const { app: a, chat } = await app({ PUPPETEER_EXECUTABLE_PATH: browser(scratch) }, true);
    const { thread: t, posts, upload, files } = chat.thread('memory:9');
    await upload(recentRides(new Date(), 3, 9));
    await a.conversation.handle(t, { kind: 'command', name: 'analyze', args: '' });
    await until(() => files.length > 0);
    expect(posts.some((p) => p.text.includes('The full reports follow'))).toBe(true);
    expect(files.map((f) => f.fileName).sort()).toEqual(['coaching_insights.html', 'index.html', 'performance_dashboard.html']);
    expect(files.some((f) => f.kind === 'photo')).toBe(false);
  });
});

describe('/healthz and /metrics', () => {
  it('report health and count runs, phases, uploads', async () => {
    const { app: a, chat } = await app();
    const server = await startOperationsServer(0, a.metrics, () => a.health());
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { thread: t, posts, upload } = chat.thread('memory:3');
    await upload(recentRides(new Date(), 4, 6));
    await a.conversation.handle(t, { kind: 'command', name: 'analyze', args: '' });
    // while the run goes, the queue gauge is read at the scrape itself
    const during = await (await fetch(`${base}/metrics`)).text();
    expect(during).toMatch(/domestique_run_queue\{state="(running|waiting)"\} 1/);
    await until(() => posts.some((p) => p.text.includes('The full reports follow')));
    await a.conversation.handle(t, { kind: 'text', text: 'how fit am I?' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/domestique_run_queue\{state="running"\} 0/);
    expect(metrics).toMatch(/domestique_questions_total\{provider="offline"\} 1/);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, checks: { database: 'ok' } });
    expect(metrics).toMatch(/domestique_runs_total\{status="done"\} 1/);
    expect(metrics).toMatch(/domestique_upload_activities_total\{result="new"\} 4/);
    expect(metrics).toMatch(/domestique_phase_duration_seconds_count\{phase="report-generation",status="done"\} 1/);
    expect(metrics).toMatch(/domestique_run_queue\{state="waiting"\} 0/);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe('backups', () => {
  it('the schedule backs up at start and then every interval, keeping the newest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-schedule-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = await Store.open(join(dir, 'live.db'));
    cleanups.push(() => store.close());
    await store.athleteForIdentity('telegram:1', 'Anna');
    const done: string[] = [];
    let tick = 0;
    const stop = scheduleBackups(store, {
      dir: join(dir, 'backups'),
      intervalHours: 0.2 / 3600,
      keep: 2,
      clock: () => new Date(Date.UTC(2026, 10, 25, 3, 0, tick++)),
      onDone: (p) => done.push(p),
      onError: (e) => {
        throw e;
      },
    });
    await until(() => done.length >= 1, 5_000);
    expect(done).toHaveLength(1); // at start, before the first interval
    await until(() => done.length >= 4, 10_000);
    stop();
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(
      done
        .slice(-2)
        .map((p) => p.split('/').pop())
        .sort(),
    );
    const restored = await Store.open(done.at(-1)!);
    cleanups.push(() => restored.close());
    expect(await restored.check()).toMatchObject({ integrity: 'ok', counts: { athletes: 1 } });
  });

  it('an online backup of the live database restores to the same data; old backups are pruned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-backup-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = await Store.open(join(dir, 'live.db'));
    cleanups.push(() => store.close());
    const athlete = store.athlete((await store.athleteForIdentity('telegram:1', 'Anna')).id);
    const { decodeFit } = await import('../../src/ingest/fit/decode-fit.js');
    const activities = recentRides(new Date(), 3, 8).map((r) => {
      const d = decodeFit(r.content, r.fileName);
      if (!d.ok) throw new Error(d.error.message);
      return d.value[0]!;
    });
    await athlete.recordUpload(['a'], { activities, errors: [] });
    const paths: string[] = [];
    for (let i = 0; i < 4; i++) paths.push(await backupNow(store, join(dir, 'backups'), 2, new Date(Date.UTC(2026, 10, 24, 3, i))));
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual([paths[2]!.split('/').pop(), paths[3]!.split('/').pop()].sort());
    // disaster: the live file is destroyed; restore the newest backup in its place
    writeFileSync(join(dir, 'broken.db'), 'not a database');
    copyFileSync(paths[3]!, join(dir, 'restored.db'));
    const restored = await Store.open(join(dir, 'restored.db'));
    cleanups.push(() => restored.close());
    expect(await restored.check()).toMatchObject({ integrity: 'ok', counts: { athletes: 1, activities: 3 } });
    const back = await restored.athlete(athlete.athleteId).activitiesBetween(new Date(0), new Date(8.64e15), { streams: true });
    expect(back.map((s) => s.activity.streams?.power?.length)).toEqual(activities.map((a) => a.streams?.power?.length));
  });
});
