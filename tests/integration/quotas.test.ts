/**
 * Quotas that hold: the per-day limits count attempts (a refused file counts), are kept by chat
 * identity in `usage_events` — which /forget does not delete — over a rolling 24 h, and those rows
 * hold nothing personal.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as schema from '../../src/store/schema.js';
import { usageSubject } from '../../src/store/usage-counters.js';
import { testChat, type TestChat, type TestThread } from '../support/chat-app.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const HOUR = 3_600_000;

/** A chat app whose clock the test moves. */
async function chatAt(env: Record<string, string>): Promise<{ chat: TestChat; clock: { now: number; advance(ms: number): void } }> {
  const clock = {
    now: Date.UTC(2026, 10, 20, 18, 0),
    advance(ms: number) {
      this.now += ms;
    },
  };
  const chat = await testChat(env, { clock: () => new Date(clock.now) });
  cleanups.push(() => chat.close());
  return { chat, clock };
}

const junk = (fileName: string, bytes: number) => ({ fileName, content: new Uint8Array(randomBytes(bytes)) });

function rides(end: number, count: number, seed: number): { fileName: string; content: Uint8Array }[] {
  return Array.from({ length: count }, (_, i) => ({
    fileName: `ride-${seed}-${i}.fit`,
    content: syntheticRideBytes(seed * 100 + i, new Date(end - (count - i) * 2 * 24 * HOUR), 60),
  }));
}

async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function analysisDone(t: TestThread): Promise<void> {
  await until(() => t.posts.some((p) => p.text.includes('The full reports follow') || p.text.includes('The analysis failed')));
}

async function forget(t: TestThread): Promise<void> {
  await t.send({ kind: 'command', name: 'forget', args: '' });
  expect(await t.send({ kind: 'action', action: 'forget:confirm' })).toMatch(
    /^Done: your profile, \d+ activities and all analyses and reports are deleted/,
  );
}

function usageRows(chat: TestChat) {
  return chat.app.store.db.select().from(schema.usageEvents).all();
}

describe('per-day quotas count attempts', () => {
  it('a refused file counts toward the files a day', async () => {
    const { chat } = await chatAt({ UPLOAD_FILES_PER_DAY: '3' });
    const t = chat.thread('memory:q1');
    expect(await t.upload([junk('x.fit', 4000)])).not.toMatch(/new activit/);
    expect(await t.upload([junk('y.fit', 100), junk('z.fit', 100)])).not.toMatch(/new activit/);
    expect(await chat.app.store.athlete((await chat.app.store.findByIdentity('memory:q1'))!.id).uploads()).toEqual([]); // nothing was stored…
    // …and yet the three refused files are today's three
    expect(await t.upload(rides(Date.UTC(2026, 10, 20), 1, 1))).toMatch(/That would make 4 files today; the limit is 3 a day/);
  });

  it('an analysis counts when it starts, a question when it is asked', async () => {
    const { chat, clock } = await chatAt({ ANALYSES_PER_DAY: '1' });
    const t = chat.thread('memory:q2');
    await t.upload(rides(clock.now, 3, 2));
    await t.send({ kind: 'command', name: 'analyze', args: '' });
    expect(await chat.app.store.usage('memory:q2').since('analysis', new Date(clock.now - 24 * HOUR))).toBe(1); // before it is done
    await analysisDone(t);
    // unchanged rides and profile: the same analysis again, which does not count
    expect(await t.send({ kind: 'command', name: 'analyze', args: '' })).toMatch(/Nothing changed since your analysis of/);
    expect(await chat.app.store.usage('memory:q2').since('analysis', new Date(clock.now - 24 * HOUR))).toBe(1);
    await t.send({ kind: 'text', text: 'how fit am I?' });
    expect(await chat.app.store.usage('memory:q2').since('question', new Date(clock.now - 24 * HOUR))).toBe(1);
  });
});

describe('/forget does not reset the quotas', () => {
  it('files, bytes, analyses, questions and wrong /link codes still hold after /forget; 24 h later they are free and the old rows gone', async () => {
    const mb = 1024 * 1024;
    const { chat, clock } = await chatAt({
      UPLOAD_FILES_PER_DAY: '5',
      UPLOAD_MB_PER_DAY: '1',
      ANALYSES_PER_DAY: '1',
      QUESTIONS_PER_DAY: '2',
    });
    const t = chat.thread('memory:q3');
    const before = rides(clock.now, 2, 3);
    const after = rides(clock.now, 2, 4);
    const rideBytes = after[0]!.content.length;
    expect(after[1]!.content.length).toBeGreaterThan(rideBytes / 2);
    // Today: two rides and one unreadable file, together 1 MB less one and a half rides.
    const sent = before.reduce((s, r) => s + r.content.length, 0);
    expect(await t.upload(before)).toMatch(/2 new activities stored/);
    await t.upload([junk('broken.fit', mb - sent - Math.ceil(rideBytes * 1.5))]);
    await t.send({ kind: 'command', name: 'analyze', args: '' });
    await analysisDone(t);
    expect(await t.send({ kind: 'text', text: 'how fit am I?' })).not.toMatch(/daily limit/);
    expect(await t.send({ kind: 'text', text: 'what is my ftp?' })).not.toMatch(/daily limit/);
    for (let i = 0; i < 5; i++)
      expect(await t.send({ kind: 'command', name: 'link', args: `999-99${i}` })).toMatch(/unknown or has expired/);
    expect(await t.send({ kind: 'command', name: 'link', args: '123-456' })).toMatch(/Too many wrong codes/);
    const rowsBefore = usageRows(chat).length;

    clock.advance(10 * 60_000); // within the hour of the wrong codes
    await forget(t);
    expect(usageRows(chat)).toHaveLength(rowsBefore); // the counters stay

    // the same chat, a new athlete: every limit still holds
    expect(await t.send({ kind: 'command', name: 'link', args: '123-456' })).toMatch(/Too many wrong codes/);
    expect(await t.send({ kind: 'text', text: 'how fit am I?' })).toMatch(/You have asked 2 questions today, the daily limit/);
    expect(await t.upload(after.slice(0, 1))).toMatch(/1 new activity stored/); // a fourth file, within the megabyte
    expect(await t.upload(after.slice(1, 2))).toMatch(/That would make 1(\.0)? MB today; the limit is 1(\.0)? MB a day/);
    expect(await t.upload([junk('a.fit', 10), junk('b.fit', 10)])).toMatch(/That would make 6 files today; the limit is 5 a day/);
    expect(await t.send({ kind: 'command', name: 'analyze', args: '' })).toMatch(/You have run 1 analyses today, the daily limit/);

    // 24 hours after the first of them: free again
    clock.advance(24 * HOUR - 10 * 60_000 + 60_000);
    expect(await t.send({ kind: 'command', name: 'link', args: '123-456' })).toMatch(/unknown or has expired/);
    const old = clock.now - 24 * HOUR;
    expect(usageRows(chat).filter((r) => r.at.getTime() < old)).toEqual([]); // deleted on that write
    expect(usageRows(chat).length).toBeLessThan(rowsBefore);
    expect(await t.send({ kind: 'text', text: 'how fit am I?' })).not.toMatch(/daily limit/);
    expect(await t.upload([...after.slice(1, 2), junk('c.fit', 10)])).toMatch(/1 new activity stored/);
    t.posts.length = 0;
    await t.send({ kind: 'command', name: 'analyze', args: '' });
    expect(t.last()).not.toMatch(/daily limit/);
    await analysisDone(t);
  });

  it('the counters hold no athlete id, no identity key in clear and no file name', async () => {
    const { chat, clock } = await chatAt({});
    const key = 'memory:q4-private';
    const t = chat.thread(key);
    const athleteId = (await chat.app.store.athleteForIdentity(key, key)).id;
    await t.upload([
      ...rides(clock.now, 2, 5).map((r) => ({ ...r, fileName: `PRIVATE-NAME-${r.fileName}` })),
      junk('PRIVATE-NAME-broken.fit', 500),
    ]);
    await t.send({ kind: 'command', name: 'analyze', args: '' });
    await analysisDone(t);
    await t.send({ kind: 'text', text: 'how fit am I?' });
    await t.send({ kind: 'command', name: 'link', args: '000-001' });
    await forget(t);

    const rows = usageRows(chat);
    expect(rows.map((r) => r.kind).sort()).toEqual(['analysis', 'bytes', 'file', 'link-failure', 'question']);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['amount', 'at', 'id', 'kind', 'subject']);
    expect(new Set(rows.map((r) => r.subject))).toEqual(new Set([usageSubject(key)]));
    expect(usageSubject(key)).toMatch(/^[0-9a-f]{64}$/);
    const raw = JSON.stringify(chat.app.store.db.all(`select * from usage_events`));
    for (const secret of [key, 'q4-private', athleteId, 'PRIVATE-NAME']) expect(raw).not.toContain(secret);
    expect(rows.find((r) => r.kind === 'file')!.amount).toBe(3);
    // the athlete is gone; the database holds nothing else of them
    expect(await chat.app.store.findByIdentity(key)).toBeNull();
    expect((await chat.app.store.check()).counts).toMatchObject({
      athletes: 0,
      uploads: 0,
      runs: 0,
      questions: 0,
      chatState: 0,
      usageEvents: rows.length,
    });
  });

  it('linked chats share one quota', async () => {
    const { chat } = await chatAt({ QUESTIONS_PER_DAY: '1' });
    const telegram = chat.thread('telegram:q5');
    const discord = chat.thread('discord:q5');
    await telegram.send({ kind: 'text', text: 'how fit am I?' });
    const code = /\/link (\d{3}-\d{3})/.exec(await telegram.send({ kind: 'command', name: 'link', args: '' }))![1]!;
    expect(await discord.send({ kind: 'command', name: 'link', args: code })).toMatch(/^Linked/);
    expect(await discord.send({ kind: 'text', text: 'how fit am I?' })).toMatch(/You have asked 1 questions today, the daily limit/);
  });
});
