/**
 * The first week, beyond the contract: an analysis of unchanged inputs is sent again without
 * counting against the daily limit (and a changed input is a new analysis that does), `/start`
 * where written answers cannot arrive, and pictures in a group chat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recentRides } from '../support/synthetic-files.js';
import { testChat, type TestChat } from '../support/chat-app.js';

const NOW = new Date();
const chats: TestChat[] = [];
afterEach(async () => {
  while (chats.length > 0) await chats.pop()!.close();
});

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('an unchanged analysis', () => {
  it('is sent again from the store, free of the daily limit; a change is a new analysis that counts', async () => {
    const chat = await testChat({ ANALYSES_PER_DAY: '1' });
    chats.push(chat);
    const t = chat.thread('memory:1');
    await t.send({ kind: 'text', text: 'ftp 250' });
    await t.upload(recentRides(NOW, 3, 11));
    await t.send({ kind: 'command', name: 'analyze', args: '' });
    await until(() => t.posts.some((p) => /Your analysis is ready/.test(p.title ?? '')), 'the analysis');
    const athlete = chat.app.store.athlete((await chat.app.store.findByIdentity('memory:1'))!.id);
    const run = (await athlete.latestRun('done'))!;
    expect(run.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await chat.app.analysis.reusable(athlete.athleteId))?.id).toBe(run.id);
    // another period is another input
    expect(await chat.app.analysis.reusable(athlete.athleteId, { periodMonths: 3 })).toBeNull();

    const files = t.files.length;
    for (let i = 0; i < 3; i++) {
      await t.send({ kind: 'command', name: 'analyze', args: '' });
      expect(t.posts.at(-1)!.title).toBe(`Your analysis (run ${run.id.slice(0, 8)}), unchanged`);
      expect(t.files.length).toBe(files + 3 * (i + 1)); // the three reports each time
    }
    expect(await athlete.runs()).toHaveLength(1);

    // A new ride changes the inputs: a new analysis is needed, and the one of today is used up.
    await t.upload(recentRides(new Date(NOW.getTime() - 40 * 86_400_000), 1, 12));
    await t.send({ kind: 'command', name: 'analyze', args: '' });
    expect(t.last()).toMatch(/You have run 1 analyses today, the daily limit/);
    expect(await chat.app.analysis.inputHash(athlete.athleteId)).not.toBe(run.inputHash);
  }, 120_000);
});

describe('/start where answers cannot arrive', () => {
  it('without a way to write a direct message, says to start one', async () => {
    const chat = await testChat();
    chats.push(chat);
    const t = chat.thread('discord:300000000000000001');
    const inServer = { ...t.thread, receivesText: false };
    await chat.app.conversation.handle(inServer, { kind: 'command', name: 'start', args: '' });
    expect(t.last()).toMatch(/I only read your answers in direct messages — but I could not message you\. Open a direct message with me/);
  });

  it('with one, asks the first question there', async () => {
    const chat = await testChat();
    chats.push(chat);
    const t = chat.thread('discord:300000000000000002');
    const dm = chat.thread('discord:300000000000000002');
    chat.app.directories.add({ open: (key) => (key === 'discord:300000000000000002' ? dm.thread : null) });
    await chat.app.conversation.handle({ ...t.thread, receivesText: false }, { kind: 'command', name: 'start', args: '' });
    expect(t.last()).toMatch(/let's continue in DMs/);
    expect(dm.last()).toMatch(/What is your FTP/);
  });
});

describe('messages without a ride file', () => {
  it('in a group they are ignored (people share pictures there); a command still gets the privacy answer', async () => {
    const chat = await testChat();
    chats.push(chat);
    const t = chat.thread('telegram:5');
    const group = { ...t.thread, isPrivate: false };
    await chat.app.conversation.handle(group, { kind: 'unreadable', what: 'a photo' });
    expect(t.posts).toEqual([]);
    await chat.app.conversation.handle(group, { kind: 'command', name: 'activities', args: '' });
    expect(t.last()).toMatch(/private chat/);
  });
});
