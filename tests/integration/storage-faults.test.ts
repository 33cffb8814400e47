/**
 * The disk fills up (SQLite's max_page_count), or another process holds the database, while a run
 * saves its reports: the athlete gets a clear failure, and everything stored before is intact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RunFailure } from '../../src/orchestrator/run-failure.js';
import { offlineOrchestrator } from '../support/offline-orchestrator.js';
import { seedAthlete } from '../support/athlete.js';
import { sqliteOf, tempStore } from '../support/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('storage faults', () => {
  it('a full disk while writing the reports: a clear failure, earlier data intact', async () => {
    const s = await tempStore(() => new Date('2026-11-24T12:00:00Z'));
    cleanups.push(s.cleanup);
    const athleteId = await seedAthlete(s.store);
    const orchestrator = offlineOrchestrator(s.store, new Date('2026-11-24T12:00:00Z'));
    const first = await orchestrator.run({ athleteId, planStartDate: '2026-11-30' });
    const athlete = s.store.athlete(athleteId);
    const before = {
      activities: await athlete.activityCount(),
      reports: (await athlete.reports(first.runId)).map((r) => r.content.length),
    };

    const sqlite = sqliteOf(s.store);
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages + 2}`); // room for the run record, not for ~300 KB of reports

    const failure = await orchestrator.run({ athleteId, planStartDate: '2026-11-30' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RunFailure);
    expect(failure).toMatchObject({ code: 'storage-full' });
    expect((failure as Error).message).toMatch(/ran out of storage .* Your rides and earlier reports are safe/);

    sqlite.pragma('max_page_count = 1073741823');
    expect((await s.store.check()).integrity).toBe('ok');
    expect(await athlete.activityCount()).toBe(before.activities);
    expect((await athlete.reports(first.runId)).map((r) => r.content.length)).toEqual(before.reports);
    expect(await athlete.run((failure as RunFailure).runId)).toMatchObject({ status: 'failed', errorCode: 'storage-full' });
  }, 120_000);

  it('a database held busy by another process while writing the reports: a clear failure, try again works', async () => {
    const s = await tempStore(() => new Date('2026-11-24T12:00:00Z'));
    cleanups.push(s.cleanup);
    const athleteId = await seedAthlete(s.store);
    const orchestrator = offlineOrchestrator(s.store, new Date('2026-11-24T12:00:00Z'));
    const sqlite = sqliteOf(s.store);
    sqlite.pragma('busy_timeout = 200'); // wait 0.2 s for the lock instead of 5 s
    const { default: Database } = await import('better-sqlite3');
    const other = new Database(s.path);
    cleanups.push(() => {
      other.close();
    });
    const failure = await orchestrator
      .run({
        athleteId,
        planStartDate: '2026-11-30',
        // another writer takes the database just before the reports are saved, and keeps it
        onEvent: (e) => {
          if (e.type === 'phase-started' && e.phase === 'report-generation') other.exec('BEGIN IMMEDIATE');
        },
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RunFailure);
    expect(failure).toMatchObject({ code: 'storage-busy' });
    expect((failure as Error).message).toMatch(/database was busy .* Your rides are safe; please try again/);
    other.exec('ROLLBACK');
    // the failure is recorded once the other writer lets go
    const run = () => s.store.athlete(athleteId).run((failure as RunFailure).runId);
    for (let i = 0; i < 100 && (await run())?.status !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await run()).toMatchObject({ status: 'failed', errorCode: 'storage-busy' });
    const again = await orchestrator.run({ athleteId, planStartDate: '2026-11-30' });
    expect(again.status).toBe('done');
    expect((await s.store.check()).integrity).toBe('ok');
  }, 120_000);
});
