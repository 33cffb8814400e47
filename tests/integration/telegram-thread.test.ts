/**
 * The Telegram adapter's mapping, through the real grammY client against the fake Bot API:
 * HTML escaping, splitting long texts, buttons, edits, files, commands, deleting the athlete's
 * message (one holding an API key), restarts and retries.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../bots/telegram/telegram-adapter.js';
import { TelegramThread } from '../../bots/telegram/telegram-thread.js';
import type { ChatThread, Incoming } from '../../src/conversation/port.js';
import { COMMANDS } from '../../src/conversation/port.js';
import { DeliveryError } from '../../src/conversation/port.js';
import { createLogger } from '../../src/logger.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/fake-telegram.js';

describe('telegram adapter against the fake Bot API', () => {
  let fake: FakeTelegram;
  let telegram: TelegramBot;
  const events: { key: string; incoming: Incoming; thread: ChatThread }[] = [];
  const logLines: string[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
  /** What the bot does with an event; tests replace it. */
  let behaviour: (thread: ChatThread, incoming: Incoming) => Promise<void> = async () => undefined;

  const startBot = async () => {
    telegram = createTelegramBot({
      token: fake.token,
      apiRoot: `${fake.url}/`,
      logger,
      conversation: {
        handle: async (thread, incoming) => {
          try {
            await behaviour(thread, incoming);
          } finally {
            events.push({ key: thread.athleteKey, incoming, thread });
          }
        },
      },
    });
    await telegram.start();
  };
  const eventsOf = (key: string) => events.filter((e) => e.key === key);
  /** The event as data: `deleteMessage` (a function on text and commands) left out. */
  const plain = (incoming: Incoming) => {
    const { deleteMessage: _deleteMessage, ...rest } = incoming as Incoming & { deleteMessage?: unknown };
    return rest;
  };
  const waitEvents = (key: string, n: number) => fake.waitFor(() => eventsOf(key).length >= n, 30_000, `${n} events of ${key}`);

  beforeAll(async () => {
    fake = await startFakeTelegram();
    await startBot();
  });
  afterEach(() => {
    behaviour = async () => undefined;
  });
  afterAll(async () => {
    await telegram.stop();
    await fake.close();
    // Whatever happened above, the token never reached a log line.
    expect(logLines.join('')).not.toContain(fake.token);
    expect(logLines.join('')).not.toContain(fake.token.split(':')[1]!);
  });

  it('registers the commands and maps text, commands, /command@OurBot and button presses', async () => {
    expect(fake.commands.map((c) => c.command)).toEqual(COMMANDS.map((c) => c.name));
    expect(fake.calls('deleteWebhook')).toBe(1);
    fake.userSendsText(101, 'ftp 270', 'private', { firstName: 'Anna' });
    fake.userSendsText(101, '/profile history');
    fake.userSendsText(101, `/status@${fake.botUser.username}`);
    fake.userSendsText(101, '/status@SomeOtherBot'); // for another bot: ignored
    fake.userSendsText(101, '/help');
    await waitEvents('telegram:101', 4);
    expect(eventsOf('telegram:101').map((e) => plain(e.incoming))).toEqual([
      { kind: 'text', text: 'ftp 270' },
      { kind: 'command', name: 'profile', args: 'history' },
      { kind: 'command', name: 'status', args: '' },
      { kind: 'command', name: 'help', args: '' },
    ]);
    const thread = eventsOf('telegram:101')[0]!.thread;
    expect(thread).toBeInstanceOf(TelegramThread);
    expect({ name: thread.displayName, private: thread.isPrivate, max: thread.maxDownloadBytes }).toEqual({
      name: 'Anna',
      private: true,
      max: 20 * 1024 * 1024,
    });

    behaviour = async (t, incoming) => {
      if (incoming.kind === 'command')
        await t.post({
          title: 'Pick',
          text: 'One of these:',
          buttons: [[{ label: 'Analyze now', action: 'analyze' }], [{ label: 'No', action: 'forget:cancel' }]],
        });
    };
    fake.userSendsText(101, '/start');
    await waitEvents('telegram:101', 5);
    const message = fake.messages(101).at(-1)!;
    expect(message.buttons).toEqual([[{ text: 'Analyze now', data: 'analyze' }], [{ text: 'No', data: 'forget:cancel' }]]);
    const { callbackQueryId } = fake.userPresses(101, message.messageId, 'analyze');
    await waitEvents('telegram:101', 6);
    expect(eventsOf('telegram:101').at(-1)!.incoming).toEqual({ kind: 'action', action: 'analyze' });
    expect(fake.callbackAnswered(callbackQueryId)).toBe(true);
  });

  it('posts escaped HTML with the title bold, splits long texts with the buttons on the last part, and edits', async () => {
    fake.userSendsText(102, 'hi');
    await waitEvents('telegram:102', 1);
    const thread = eventsOf('telegram:102')[0]!.thread;
    const text = `Rides <b>not bold</b> & more\n${Array.from({ length: 300 }, (_, i) => `${i}: 250 W < 300 W > 200 W`).join('\n')}`;
    const ref = await thread.post({ title: 'Report <1>', text, buttons: [[{ label: 'Analyze now', action: 'analyze' }]] });
    const sent = fake.messages(102);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.map((m) => m.text).join('\n')).toBe(`Report <1>\n${text}`);
    expect(sent[0]!.entities).toEqual([{ type: 'bold', offset: 0, length: 'Report <1>'.length }]);
    expect(sent.slice(0, -1).every((m) => m.buttons.length === 0)).toBe(true);
    expect(sent.at(-1)!.buttons).toEqual([[{ text: 'Analyze now', data: 'analyze' }]]);
    expect(ref.id).toBe(String(sent.at(-1)!.messageId));

    const status = await thread.post({ text: 'Analysis · Data preparation' });
    await thread.edit(status, { text: 'Analysis ✓ Data preparation' });
    await thread.edit(status, { text: 'Analysis ✓ Data preparation' }); // the same again: Telegram's "not modified" is no error
    const edited = fake.messages(102).find((m) => String(m.messageId) === status.id)!;
    expect(edited.text).toBe('Analysis ✓ Data preparation');
    expect(edited.edits).toBe(1);
    expect(edited.history.map((h) => h.text)).toEqual(['Analysis · Data preparation']);
  });

  it('sends the caption first, photos as photos, documents with their names and bytes; a picture Telegram refuses goes as a document', async () => {
    fake.userSendsText(103, 'hi');
    await waitEvents('telegram:103', 1);
    const thread = eventsOf('telegram:103')[0]!.thread;
    const png = pngOf(780, 1200);
    const html = new TextEncoder().encode('<html><body>Fitness CTL 42.0 & friends</body></html>');
    const notAPicture = new TextEncoder().encode('definitely not an image');
    await thread.sendFiles(
      [
        { fileName: 'dashboard.png', contentType: 'image/png', content: png, kind: 'photo' },
        { fileName: 'index.html', contentType: 'text/html', content: html, kind: 'document' },
        { fileName: 'broken.png', contentType: 'image/png', content: notAPicture, kind: 'photo' },
      ],
      'Your reports & a picture',
    );
    expect(fake.messages(103).at(-1)!.text).toBe('Your reports & a picture');
    expect(fake.photos(103).map((p) => [p.fileName, Buffer.from(p.bytes).equals(Buffer.from(png))])).toEqual([['dashboard.png', true]]);
    expect(fake.documents(103).map((d) => [d.fileName, new TextDecoder().decode(d.bytes)])).toEqual([
      ['index.html', '<html><body>Fitness CTL 42.0 & friends</body></html>'],
      ['broken.png', 'definitely not an image'],
    ]);
    // The caption message came before the files.
    expect(fake.messages(103).at(-1)!.messageId).toBeLessThan(fake.files(103)[0]!.messageId);
  });

  it('maps a document to an attachment that downloads through getFile, and one too big without ever calling getFile', async () => {
    const fit = new Uint8Array([14, 16, 1, 2, 3, 4, 5]);
    const small = fake.userSendsDocument(104, 'ride.fit', fit, { caption: 'my ride' });
    await waitEvents('telegram:104', 1);
    const incoming = eventsOf('telegram:104')[0]!.incoming;
    if (incoming.kind !== 'files') throw new Error(`expected files, got ${incoming.kind}`);
    expect(incoming.caption).toBe('my ride');
    expect(incoming.attachments.map((a) => [a.fileName, a.sizeBytes])).toEqual([['ride.fit', fit.length]]);
    expect(fake.getFileCalls(small.fileId)).toBe(0); // nothing is fetched until the conversation asks
    expect(Array.from(await incoming.attachments[0]!.download())).toEqual(Array.from(fit));
    expect([fake.getFileCalls(small.fileId), fake.downloads(small.fileId)]).toEqual([1, 1]);

    const big = fake.userSendsDocument(104, 'export.zip', new Uint8Array(21 * 1024 * 1024));
    await waitEvents('telegram:104', 2);
    const bigIncoming = eventsOf('telegram:104')[1]!.incoming;
    if (bigIncoming.kind !== 'files') throw new Error(`expected files, got ${bigIncoming.kind}`);
    expect(bigIncoming.attachments[0]!.sizeBytes).toBe(21 * 1024 * 1024);
    await expect(bigIncoming.attachments[0]!.download()).rejects.toThrow(/larger than/);
    expect(fake.getFileCalls(big.fileId)).toBe(0);
  });

  it("deletes the athlete's message when asked (the one holding a key); a refusal rejects and is logged without the token", async () => {
    behaviour = async (_thread, incoming) => {
      if (incoming.kind === 'text' || incoming.kind === 'command') await incoming.deleteMessage!();
    };
    const sent = fake.userSendsText(109, 'i4711 3k9x7q2m5v8b1n4c6z0l9p8o7i6u5y4t');
    const command = fake.userSendsText(109, '/connect intervals i4711 3k9x7q2m5v8b1n4c6z0l9p8o7i6u5y4t');
    await waitEvents('telegram:109', 2);
    expect(fake.deletedMessages(109)).toEqual([sent.messageId, command.messageId]);

    const failures: unknown[] = [];
    behaviour = async (_thread, incoming) => {
      if (incoming.kind === 'text') await incoming.deleteMessage!().catch((e: unknown) => failures.push(e));
    };
    fake.failNext('deleteMessage', { errorCode: 400, description: "Bad Request: message can't be deleted for everyone" });
    fake.userSendsText(109, 'i4711 another-key-0123456789abcdef');
    await waitEvents('telegram:109', 3);
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).not.toContain(fake.token);
    expect(fake.deletedMessages(109)).toHaveLength(2);
    expect(logLines.join('')).toMatch(/deleting a message failed/);
  });

  it('collects an album (one message per file, one media_group_id) into one upload, in order with what follows', async () => {
    const files = Array.from({ length: 4 }, (_, i) => ({ fileName: `ride-${i}.fit`, content: new Uint8Array([i]) }));
    fake.userSendsAlbum(105, files);
    fake.userSendsText(105, 'after the album');
    await waitEvents('telegram:105', 2);
    const [album, after] = eventsOf('telegram:105').map((e) => e.incoming);
    expect(album).toMatchObject({ kind: 'files', attachments: files.map((f) => ({ fileName: f.fileName, sizeBytes: 1 })) });
    expect(plain(after!)).toEqual({ kind: 'text', text: 'after the album' });
  });

  it('runs one chat in order while another chat goes on', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    behaviour = async (thread, incoming) => {
      if (thread.athleteKey === 'telegram:106' && incoming.kind === 'command') await gate;
    };
    fake.userSendsText(106, '/analyze'); // slow: waits for the gate
    fake.userSendsText(106, 'second');
    fake.userSendsText(107, 'other athlete');
    await waitEvents('telegram:107', 1);
    expect(eventsOf('telegram:106')).toHaveLength(0); // 106's first is still running, its second waits behind it
    release();
    await waitEvents('telegram:106', 2);
    expect(eventsOf('telegram:106').map((e) => e.incoming.kind)).toEqual(['command', 'text']);
  });

  it("retries a 429 after Telegram's retry_after (auto-retry)", async () => {
    fake.userSendsText(108, 'hi');
    await waitEvents('telegram:108', 1);
    const thread = eventsOf('telegram:108')[0]!.thread;
    fake.failNext('sendMessage', { errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const before = fake.calls('sendMessage');
    await thread.post({ text: 'eventually' });
    expect(fake.tooManyRequests).toBe(1);
    expect(fake.calls('sendMessage') - before).toBe(2);
    expect(fake.messages(108).map((m) => m.text)).toEqual(['eventually']);
  });

  it('logs a failed update once with the athlete and without the token, and tells the person', async () => {
    behaviour = async (thread) => {
      await thread.post({ text: 'this one fails' });
    };
    fake.failNext('sendMessage', { errorCode: 400, description: 'Bad Request: not enough rights to send text messages to the chat' });
    fake.userSendsText(109, 'hello');
    await fake.waitFor(() => fake.messages(109).some((m) => /something went wrong on my side/.test(m.text)), 30_000, 'the apology');
    const failures = logLines
      .map((l) => JSON.parse(l) as { msg: string; athleteKey?: string; err?: { type?: string; message?: string } })
      .filter((l) => l.msg === 'handling a Telegram update failed');
    expect(failures).toEqual([
      expect.objectContaining({
        athleteKey: 'telegram:109',
        err: expect.objectContaining({
          type: 'GrammyError',
          message: expect.stringContaining('(400: Bad Request: not enough rights to send text messages to the chat)'),
        }),
      }),
    ]);
  });

  it('survives a dropped connection (retried), and the network error it logs holds no token', async () => {
    fake.userSendsText(110, 'hi');
    await waitEvents('telegram:110', 1);
    const thread = eventsOf('telegram:110')[0]!.thread;
    fake.dropNext('sendMessage');
    await thread.post({ text: 'after a hiccup' });
    expect(fake.messages(110).map((m) => m.text)).toEqual(['after a hiccup']);
    const warning = logLines.find((l) => l.includes('a Telegram request failed') && l.includes('"method":"sendMessage"'));
    expect(warning).toBeDefined();
    expect(warning).toContain('[token]'); // node-fetch put the URL (and so the token) in its message: scrubbed
    expect(warning).not.toContain(fake.token);
  }, 30_000);

  it('opens a thread for an athlete unprompted (reminders); a user who blocked the bot is a permanent delivery failure', async () => {
    expect(telegram.open('discord:42')).toBeNull();
    fake.userSendsText(112, 'hi');
    fake.userSendsText(113, 'hi');
    await waitEvents('telegram:112', 1);
    await waitEvents('telegram:113', 1);
    await telegram.open('telegram:112')!.post({ title: 'Hi — your month in review', text: 'Time for the monthly review.' });
    expect(fake.messages(112).map((m) => m.text)).toEqual(['Hi — your month in review\nTime for the monthly review.']);
    fake.userBlocksBot(113);
    const failure = await telegram
      .open('telegram:113')!
      .post({ text: 'anyone there?' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ permanent: true, message: 'Telegram: Forbidden: bot was blocked by the user' });
  });

  it('confirms handled updates on stop, so that a restarted bot does not handle them again', async () => {
    fake.userSendsText(111, 'one');
    fake.userSendsText(111, 'two');
    await waitEvents('telegram:111', 2);
    await telegram.stop();
    expect(fake.pendingUpdates()).toBe(0);
    fake.userSendsText(111, 'three');
    await startBot();
    await waitEvents('telegram:111', 3);
    expect(eventsOf('telegram:111').map((e) => (e.incoming.kind === 'text' ? e.incoming.text : ''))).toEqual(['one', 'two', 'three']);
  });
});

/** A blank PNG header with the given size (enough for Telegram's, and the fake's, dimension check). */
function pngOf(width: number, height: number): Uint8Array {
  const bytes = Buffer.alloc(64);
  bytes.writeUInt32BE(0x89504e47, 0);
  bytes.writeUInt32BE(0x0d0a1a0a, 4);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  return new Uint8Array(bytes);
}
