/**
 * SIGKILL in the middle of an upload and in the middle of an analysis: on restart the database
 * passes integrity_check, an upload is all there or not at all, and a run left `running` becomes
 * `interrupted` — the athlete is told, with a Retry button.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatApp } from '../../src/app/chat-app.js';
import { loadConfig } from '../../src/config.js';
import type { ChatThread, Reply } from '../../src/conversation/port.js';
import { createLogger } from '../../src/logger.js';
import { Store } from '../../src/store/store.js';
import { seedAthlete } from '../support/athlete.js';
import { runChild } from '../support/child-run.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Starts the child and kills it (SIGKILL) once its output matches `when`; its lines. */
async function runAndKill(mode: 'upload' | 'run', db: string, when: (line: string) => boolean): Promise<string[]> {
  const run = await runChild('tests/support/crash-child.ts', [mode, db], when);
  if (!run.killed) throw new Error(`child ended by itself (${run.code}): ${run.stderr.slice(0, 500)}`);
  return run.lines;
}

describe('crash safety', () => {
  it('SIGKILL during uploads: every upload is all there or not at all; the database is sound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-crash-'));
    dirs.push(dir);
    const db = join(dir, 'bot.db');
    for (const killAt of [2, 5]) {
      await runAndKill('upload', db, (line) => line === `UPLOAD ${killAt}`); // killed while upload n is being written
      const store = await Store.open(db);
      const report = await store.check();
      await store.close();
      expect(report.integrity).toBe('ok');
      expect(report.counts.activities! % 50).toBe(0);
      expect(report.counts.activities).toBe(report.counts.uploads! * 50);
      expect(report.counts.activitySources).toBe(report.counts.activities);
    }
  }, 120_000);

  it('SIGKILL during an analysis: the run becomes interrupted and the athlete gets a Retry button', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-crash-'));
    dirs.push(dir);
    const db = join(dir, 'bot.db');
    const seed = await Store.open(db);
    const athleteId = await seedAthlete(seed, 'telegram:1', 'Crash');
    await seed.close();
    const lines = await runAndKill('run', db, (line) => line.startsWith('RUNNING '));
    const runId = lines.find((l) => l.startsWith('RUNNING '))!.slice('RUNNING '.length);
    const before = await Store.open(db);
    expect((await before.athlete(athleteId).run(runId))!.status).toBe('running');
    await before.close();

    const app = await createChatApp(loadConfig({ DATABASE_PATH: db }), createLogger('silent'), { snapshot: false, processMetrics: false });
    try {
      expect((await app.store.check()).integrity).toBe('ok');
      expect(await app.store.athlete(athleteId).run(runId)).toMatchObject({ status: 'interrupted', errorCode: 'interrupted' });
      const told: Reply[] = [];
      const thread: ChatThread = {
        athleteKey: 'telegram:1',
        displayName: 'Crash',
        isPrivate: true,
        maxDownloadBytes: 1,
        post: async (r) => (told.push(r), { id: '1' }),
        edit: async () => {},
        sendFiles: async () => {},
      };
      expect(await app.notifyInterrupted({ open: (key) => (key === 'telegram:1' ? thread : null) })).toBe(1);
      expect(told[0]!.text).toMatch(/was interrupted by a restart/);
      expect(told[0]!.buttons).toEqual([[{ label: 'Retry', action: 'analyze' }]]);
    } finally {
      await app.close();
    }
  }, 120_000);
});
