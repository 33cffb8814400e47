/**
 * Killing the process mid-backfill and starting it again: the backfill of intervals.icu resumes
 * from the persistent job queue — every ride stored once (no duplicates), none missing (no gaps),
 * one summary at the end counting all of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatApp } from '../../src/app/chat-app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { Store } from '../../src/store/store.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/fake-intervals.js';
import { runChild } from '../support/child-run.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';

const KEY = 'resume-secrets-key-0123456789abcdef';
const RIDES = 30;
let dir: string;
let fake: FakeIntervals;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'domestique-sync-resume-'));
  fake = await startFakeIntervals();
  fake.addAthlete('i77', 'resumekey0123456789abcdefghij', 'Resume');
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The child until `stop(line)` (then SIGKILL) or until it exits by itself (with 0); its output lines. */
async function runSyncChild(db: string, claimant: string, stop: (line: string) => boolean): Promise<{ lines: string[]; killed: boolean }> {
  const run = await runChild('tests/support/sync-child.ts', [db, fake.url, claimant, KEY], stop);
  if (!run.killed && run.code !== 0) throw new Error(`child failed (${run.code}): ${run.stderr.slice(0, 800)}`);
  return run;
}

describe('backfill across a crash', () => {
  it('SIGKILL mid-backfill, restart: all rides stored once, one summary', async () => {
    const end = new Date();
    const starts: number[] = [];
    for (let i = 0; i < RIDES; i++) {
      // whole seconds, as a FIT file stores them
      const start = new Date(Math.floor((end.getTime() - (i + 2) * 86_400_000) / 1000) * 1000);
      starts.push(start.getTime());
      fake.addActivity('i77', { startTime: start, name: `Ride ${i}`, type: 'Ride', file: syntheticRideBytes(100 + i, start, 20) });
    }
    const db = join(dir, 'bot.db');
    // connect in a first process (the key checked against the fake), without running the queue
    const app = await createChatApp(
      loadConfig({ DATABASE_PATH: db, INTERVALS_API_BASE: fake.url, SECRETS_KEY: KEY }),
      createLogger('silent'),
      {
        snapshot: false,
        processMetrics: false,
      },
    );
    const athleteId = (await app.store.athleteForIdentity('telegram:1', 'Resume')).id;
    const connected = await app.sync.connectIntervals(app.store.athlete(athleteId), 'telegram:1', {
      athleteId: 'i77',
      apiKey: 'resumekey0123456789abcdefghij',
      months: 3,
    });
    expect(connected.ok).toBe(true);
    await app.close();

    // the first process is killed once a few rides are in (progress edits show them)
    const stored = async () => {
      const store = await Store.open(db);
      try {
        return await store.athlete(athleteId).activityCount();
      } finally {
        await store.close();
      }
    };
    let seen = 0;
    const first = await runSyncChild(db, 'first', (line) => line.startsWith('EDIT') && ++seen >= 2);
    expect(first.killed, 'the first process was killed mid-backfill').toBe(true);
    const afterKill = await stored();
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(RIDES);

    const second = await runSyncChild(db, 'second', () => false);
    expect(second.lines).toContain('DONE');
    const store = await Store.open(db);
    try {
      const athlete = store.athlete(athleteId);
      const rides = await athlete.activitiesBetween(new Date(0), new Date(end.getTime() + 1));
      expect(rides).toHaveLength(RIDES);
      expect(new Set(rides.map((r) => r.activity.startTime.getTime()))).toEqual(new Set(starts));
      expect(await athlete.sync.syncedCount('intervals')).toBe(RIDES);
      expect((await store.check()).integrity).toBe('ok');
    } finally {
      await store.close();
    }
    const summaries = [...first.lines, ...second.lines].filter((l) => l.startsWith('POST') && /30 new rides/.test(l));
    expect(summaries, 'one summary, counting the rides of both processes').toHaveLength(1);
  });
});
