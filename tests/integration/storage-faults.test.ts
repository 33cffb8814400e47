/**
 * The disk fills up (SQLite's max_page_count) while a run saves its reports: the athlete gets a
 * clear failure, and everything stored before is intact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineCoach } from '../../src/llm/offline/offline-coach.js';
import { loadPrompts } from '../../src/orchestrator/prompts.js';
import { Orchestrator, RunFailure } from '../../src/orchestrator/run-analysis.js';
import { renderReports } from '../../src/report/render.js';
import { seedAthlete } from '../support/athlete.js';
import { tempStore } from '../support/store.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

describe('storage faults', () => {
  it('a full disk while writing the reports: a clear failure, earlier data intact', async () => {
    const s = tempStore(() => new Date('2026-11-24T12:00:00Z'));
    cleanups.push(s.cleanup);
    const athleteId = seedAthlete(s.store);
    const orchestrator = new Orchestrator({ store: s.store, provider: createOfflineCoach(), offline: createOfflineCoach(), prompts: loadPrompts(), clock: () => new Date('2026-11-24T12:00:00Z'), renderReports });
    const first = await orchestrator.run({ athleteId, planStartDate: '2026-11-30' });
    const athlete = s.store.athlete(athleteId);
    const before = { activities: athlete.activityCount(), reports: athlete.reports(first.runId).map((r) => r.content.length) };

    const sqlite = (s.store as unknown as { opened: { sqlite: import('better-sqlite3').Database } }).opened.sqlite;
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages + 2}`); // room for the run record, not for ~300 KB of reports

    const failure = await orchestrator.run({ athleteId, planStartDate: '2026-11-30' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RunFailure);
    expect(failure).toMatchObject({ code: 'storage-full' });
    expect((failure as Error).message).toMatch(/ran out of storage .* Your rides and earlier reports are safe/);

    sqlite.pragma('max_page_count = 1073741823');
    expect(s.store.check().integrity).toBe('ok');
    expect(athlete.activityCount()).toBe(before.activities);
    expect(athlete.reports(first.runId).map((r) => r.content.length)).toEqual(before.reports);
    expect(athlete.run((failure as RunFailure).runId)).toMatchObject({ status: 'failed', errorCode: 'storage-full' });
  }, 120_000);
});
