/**
 * `/plan` and `/report` through the chat app, for an athlete with 1 finished analysis and one with
 * 50: the same replies and the same number of SQL statements. The chat app opens its own store, so
 * the statements are counted where drizzle sends each one: the connection's `prepare`.
 */
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PLAN_FILE } from '../../src/orchestrator/run-result.js';
import { REPORT_FILES } from '../../src/report/report-model.js';
import type { Store } from '../../src/store/store.js';
import { testChat, type TestChat } from '../support/chat-app.js';
import { buildReportFixture } from '../support/report-fixture.js';
import { sqliteOf } from '../support/store.js';

const chats: TestChat[] = [];
afterEach(async () => {
  while (chats.length > 0) await chats.pop()!.close();
});

const text = (s: string) => new TextEncoder().encode(s);
const plan = buildReportFixture().plan!;

/** A chat whose athlete `telegram:1` has `count` finished analyses with reports and a plan; counts the statements sent. */
async function chatWithRuns(count: number) {
  const chat = await testChat({}, { clock: () => new Date('2025-11-05T09:00:00Z') });
  chats.push(chat);
  const athlete = chat.app.store.athlete((await chat.app.store.athleteForIdentity('telegram:1', 'telegram:1')).id);
  for (let i = 0; i < count; i++) {
    const run = await athlete.startRun({ provider: 'offline', model: 'offline' });
    await athlete.finishPhase(run.id, { phase: 'analysis', status: 'done', startedAt: new Date(), durationMs: 5 });
    await athlete.finishRun(run.id, { status: 'done' });
    await athlete.saveReports(run.id, [
      ...REPORT_FILES.map((fileName) => ({ fileName, contentType: 'text/html', content: text(`<p>${fileName}</p>`) })),
      { fileName: PLAN_FILE, contentType: 'application/json', content: text(JSON.stringify(plan)) },
      { fileName: 'run.json', contentType: 'application/json', content: text(JSON.stringify({ generatedAt: '2025-11-02T10:00:00.000Z' })) },
    ]);
  }
  const statements: string[] = [];
  const sqlite = sqliteOf(chat.app.store);
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    statements.push(source);
    return prepare(source);
  }) as Database.Database['prepare'];
  return { chat, thread: chat.thread('telegram:1'), statements, store: chat.app.store as Store };
}

/** The statements one command costs, and what it sent. */
async function command(setup: Awaited<ReturnType<typeof chatWithRuns>>, name: string) {
  setup.statements.length = 0;
  const files = setup.thread.files.length;
  const reply = await setup.thread.send({ kind: 'command', name, args: '' });
  return { statements: [...setup.statements], reply, files: setup.thread.files.slice(files).map((f) => f.fileName) };
}

describe('/plan and /report on 1 run and on 50', () => {
  it('send the same and issue the same number of SQL statements', async () => {
    const one = await chatWithRuns(1);
    const fifty = await chatWithRuns(50);
    for (const name of ['plan', 'report']) {
      // once to settle what a first command of a chat writes (its chat state), then counted
      await command(one, name);
      await command(fifty, name);
      const a = await command(one, name);
      const b = await command(fifty, name);
      expect(b.reply.replace(/run [0-9a-f]{8}/, 'run …')).toBe(a.reply.replace(/run [0-9a-f]{8}/, 'run …'));
      expect(b.files).toEqual(a.files);
      expect(a.files.length, name).toBeGreaterThan(0);
      expect(b.statements.length, name).toBe(a.statements.length);
      expect(b.statements, name).toEqual(a.statements);
    }
  });
});
