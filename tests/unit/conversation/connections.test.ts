/**
 * /connect, /connections, /disconnect and the intervals.icu key dialogue, through the real
 * Conversation on a SQLite store, with a SyncControl written here (our own interface) that records
 * what it was asked. The engine itself is tested end to end with the fakes of the services.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisService } from '../../../src/conversation/analysis-service.js';
import { Conversation } from '../../../src/conversation/conversation.js';
import { parseConnect, parseCredentials } from '../../../src/conversation/handlers/connections.js';
import type { ChatThread, Incoming, MessageRef, Reply } from '../../../src/conversation/port.js';
import type { ConnectFailure, ConnectionStatus, SyncControl, Unavailable } from '../../../src/conversation/sync/sync-control.js';
import type { ConversationDeps } from '../../../src/conversation/turn.js';
import type { SyncService } from '../../../src/sync/types.js';
import { tempStore } from '../../support/store.js';

const KEY = '3k9x7q2m5v8b1n4c6z0l9p8o7i6u5y4t';
const NOW = new Date('2026-09-22T12:30:00Z'); // 14:30 in Berlin

/** A SyncControl that records its calls and answers as told. */
class RecordingSync implements SyncControl {
  readonly calls: string[] = [];
  readonly connected = new Map<SyncService, ConnectionStatus>();
  unavailableAs: Partial<Record<SyncService, Unavailable>> = {};
  failWith: ConnectFailure | null = null;
  lastCredentials: { athleteId: string; apiKey: string; months: number } | null = null;

  unavailable(service: SyncService): Unavailable | null {
    return this.unavailableAs[service] ?? null;
  }
  async connectIntervals(_athlete: unknown, identityKey: string, credentials: { athleteId: string; apiKey: string; months: number }) {
    this.calls.push(`connectIntervals ${identityKey} ${credentials.athleteId} ${credentials.months}`);
    this.lastCredentials = credentials;
    if (this.failWith) return { ok: false as const, error: this.failWith };
    const status = status_('intervals', credentials.athleteId);
    this.connected.set('intervals', status);
    return { ok: true as const, value: status };
  }
  async stravaAuthorizeUrl(_athlete: unknown, identityKey: string, months: number): Promise<string> {
    this.calls.push(`stravaAuthorizeUrl ${identityKey} ${months}`);
    return 'https://www.strava.com/oauth/authorize?client_id=4242&state=abc&scope=activity:read_all';
  }
  async connections(): Promise<ConnectionStatus[]> {
    return [...this.connected.values()];
  }
  async disconnect(_athlete: unknown, service: SyncService): Promise<boolean> {
    this.calls.push(`disconnect ${service}`);
    return this.connected.delete(service);
  }
  async setCalendarPush(_athlete: unknown, on: boolean): Promise<boolean> {
    this.calls.push(`setCalendarPush ${on}`);
    const status = this.connected.get('intervals');
    if (status) status.pushCalendar = on;
    return status !== undefined;
  }
}

function status_(service: SyncService, externalAthleteId: string, overrides: Partial<ConnectionStatus> = {}): ConnectionStatus {
  return {
    service,
    externalAthleteId,
    connectedAt: new Date('2026-09-01T08:00:00Z'),
    lastSyncAt: null,
    pushCalendar: service === 'intervals',
    backfill: null,
    rides: 0,
    ...overrides,
  };
}

/** A chat that records what the bot says. */
class Thread implements ChatThread {
  readonly posts: Reply[] = [];
  readonly isPrivate = true;
  readonly maxDownloadBytes = 20 * 1024 * 1024;
  readonly displayName = 'Rider';
  constructor(
    readonly athleteKey: string,
    readonly receivesText = true,
    readonly deletesMessages = true,
  ) {}
  async post(reply: Reply): Promise<MessageRef> {
    this.posts.push(reply);
    return { id: String(this.posts.length) };
  }
  async edit(): Promise<void> {}
  async sendFiles(): Promise<void> {}
  last = () => this.posts.at(-1)!.text;
  full = () => this.posts.map((p) => (p.title ? `${p.title}\n${p.text}` : p.text)).join('\n---\n');
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(options: { sync?: RecordingSync | null; months?: number; receivesText?: boolean; deletes?: boolean } = {}) {
  const temp = await tempStore(() => NOW);
  cleanups.push(temp.cleanup);
  const sync = options.sync === null ? undefined : (options.sync ?? new RecordingSync());
  const deps: ConversationDeps = {
    store: temp.store,
    analysis: { activeRun: () => null } as unknown as AnalysisService,
    clock: () => NOW,
    ...(sync ? { sync } : {}),
    ...(options.months ? { syncBackfillMonths: options.months } : {}),
  };
  const conversation = new Conversation(deps);
  const thread = new Thread('telegram:42', options.receivesText ?? true, options.deletes ?? true);
  const athlete = temp.store.athlete((await temp.store.athleteForIdentity(thread.athleteKey, 'Rider')).id);
  await athlete.update({ timeZone: 'Europe/Berlin' });
  const deleted: string[] = [];
  const send = async (text: string, deletion: 'ok' | 'fails' | 'none' = 'ok') => {
    const deleteMessage =
      deletion === 'none'
        ? undefined
        : async () => {
            if (deletion === 'fails') throw new Error('message can not be deleted');
            deleted.push(text);
            sync?.calls.push('deleteMessage');
          };
    const command = /^\/(\w+)\s*(.*)$/s.exec(text);
    const incoming: Incoming = command
      ? { kind: 'command', name: command[1]!, args: command[2]!, ...(deleteMessage ? { deleteMessage } : {}) }
      : { kind: 'text', text, ...(deleteMessage ? { deleteMessage } : {}) };
    await conversation.handle(thread, incoming);
    return thread.last();
  };
  const press = (action: string) => conversation.handle(thread, { kind: 'action', action });
  return { sync: sync!, thread, send, press, deleted, athlete };
}

describe('the words of /connect', () => {
  it.each([
    ['', { kind: 'choose' }],
    ['intervals', { kind: 'intervals', months: null, credentials: '' }],
    ['intervals.icu i4711 abc months 24', { kind: 'intervals', months: 24, credentials: 'i4711 abc' }],
    ['intervals --months 6 i4711 abc', { kind: 'intervals', months: 6, credentials: 'i4711 abc' }],
    ['intervals push off', { kind: 'push', on: false }],
    ['Intervals push ON', { kind: 'push', on: true }],
    ['strava', { kind: 'strava', months: null }],
    ['strava months 36', { kind: 'strava', months: 36 }],
    ['strava months 0', { kind: 'bad-months' }],
    ['intervals months 121', { kind: 'bad-months' }],
    ['intervals months many', { kind: 'bad-months' }],
    ['garmin', { kind: 'unknown' }],
  ])('"%s"', (args, expected) => {
    expect(parseConnect(args)).toEqual(expected);
  });

  it.each([
    [`i4711 ${KEY}`, { ok: true, athleteId: 'i4711', apiKey: KEY }],
    [`4711 ${KEY}`, { ok: true, athleteId: 'i4711', apiKey: KEY }],
    [`athlete id: i4711, API key: ${KEY}`, { ok: true, athleteId: 'i4711', apiKey: KEY }],
    [`${KEY} I4711`, { ok: true, athleteId: 'i4711', apiKey: KEY }],
    ['i4711', { ok: false, problem: 'api-key' }],
    ['i4711 short', { ok: false, problem: 'api-key' }],
    [KEY, { ok: false, problem: 'athlete-id' }],
    ['', { ok: false, problem: 'missing' }],
  ])('credentials "%s"', (text, expected) => {
    expect(parseCredentials(text)).toMatchObject(expected);
  });
});

describe('/connect intervals', () => {
  it('asks for the id and key; the next message is read, deleted first, then checked and stored', async () => {
    const { sync, send, deleted, thread } = await setup();
    expect(await send('/connect intervals')).toMatch(/athlete id and API key in one message, like this: i123456 1a2b3c…/);
    expect(thread.last()).toMatch(/I delete that message/);
    const reply = await send(`i4711 ${KEY}`);
    expect(deleted).toEqual([`i4711 ${KEY}`]);
    expect(sync.calls).toEqual(['deleteMessage', 'connectIntervals telegram:42 i4711 12']);
    expect(sync.lastCredentials).toEqual({ athleteId: 'i4711', apiKey: KEY, months: 12 });
    expect(reply).toBe(
      "Connected to intervals.icu (athlete i4711). Fetching your rides of the last 12 months — progress follows here. New rides come by themselves; your plan's workouts go to your intervals.icu calendar (/connect intervals push off to stop that).",
    );
    // the wait is over: the next text is ordinary text again
    await send('hello');
    expect(sync.calls).toHaveLength(2);
  });

  it('in one go, with months (also --months) and a bare athlete number; the default months are the bot’s', async () => {
    const { sync, send } = await setup({ months: 6 });
    await send(`/connect intervals 4711 ${KEY} months 24`);
    expect(sync.calls).toEqual(['deleteMessage', 'connectIntervals telegram:42 i4711 24']);
    await send(`/connect intervals i4711 ${KEY} --months 3`);
    expect(sync.calls.at(-1)).toBe('connectIntervals telegram:42 i4711 3');
    await send(`/connect intervals i4711 ${KEY}`);
    expect(sync.calls.at(-1)).toBe('connectIntervals telegram:42 i4711 6');
    expect(await send('/connect intervals months 200')).toMatch(/1 to 120/);
  });

  it('a bad shape is said clearly and nothing is asked of intervals.icu; the message with a key is deleted all the same', async () => {
    const { sync, send, deleted } = await setup();
    expect(await send('/connect intervals i4711 1234')).toMatch(/API key doesn't look right/);
    expect(await send(`/connect intervals ${KEY}`)).toMatch(/athlete id doesn't look right/);
    expect(deleted).toEqual([`/connect intervals ${KEY}`]);
    expect(sync.calls.filter((c) => c.startsWith('connect'))).toEqual([]);
  });

  it('a refused key: check the id and copy the key again — and the next message is read as them again', async () => {
    const { sync, send } = await setup();
    sync.failWith = 'bad-key';
    await send('/connect intervals');
    expect(await send(`i4711 ${KEY}`)).toMatch(/check the athlete id .* copy the API key again/i);
    sync.failWith = null;
    expect(await send(`i4712 ${KEY}`)).toMatch(/^Connected to intervals\.icu \(athlete i4712\)/);
  });

  it.each([
    ['unreachable', /couldn't reach intervals\.icu.*Try again in a few minutes/],
    ['rate-limited', /slow down.*Try again in a few minutes/],
  ] as const)('%s: try again later', async (failure, said) => {
    const { sync, send } = await setup();
    sync.failWith = failure;
    expect(await send(`/connect intervals i4711 ${KEY}`)).toMatch(said);
  });

  it('when the message cannot be deleted, the athlete is asked to delete it', async () => {
    const { send } = await setup();
    expect(await send(`/connect intervals i4711 ${KEY}`, 'fails')).toMatch(
      /couldn't delete your message with the key: please delete it yourself/,
    );
    expect(await send(`/connect intervals i4711 ${KEY}`, 'none')).not.toMatch(/delete/);
    await send('/connect intervals');
    expect(await send(`i4711 ${KEY}`, 'none')).toMatch(/can't delete messages here: please delete your message with the key yourself/);
  });

  it("where the bot can't delete messages, the athlete is told to delete theirs", async () => {
    const { send } = await setup({ deletes: false });
    expect(await send('/connect intervals')).toMatch(/I can't delete messages here: delete yours once I've answered/);
    expect(await send(`i4711 ${KEY}`, 'none')).toMatch(/please delete your message with the key yourself/);
  });

  it('a command or unrelated text ends the wait with a word; the command is then answered', async () => {
    const { sync, send, thread } = await setup();
    await send('/connect intervals');
    const before = thread.posts.length;
    await send('/connections');
    expect(thread.posts.slice(before).map((p) => p.text)[0]).toMatch(/stopped waiting for your intervals\.icu key/);
    expect(thread.posts.at(-1)!.title).toBe('Your connections');

    await send('/connect intervals');
    const then = thread.posts.length;
    await send('what is my form?');
    expect(thread.posts[then]!.text).toMatch(/stopped waiting/);
    expect(thread.posts.length).toBe(then + 2); // and the text is answered as text
    expect(sync.calls.filter((c) => c.startsWith('connectIntervals'))).toEqual([]);
  });

  it('an id and key sent unasked are read as such, never handed to the other readers of text', async () => {
    const { sync, send } = await setup();
    expect(await send(`i4711 ${KEY}`)).toMatch(/^Connected to intervals\.icu/);
    expect(sync.calls).toEqual(['deleteMessage', 'connectIntervals telegram:42 i4711 12']);
  });

  it('without SECRETS_KEY: the operator must set it, and files still work; without the engine: not set up', async () => {
    const sync = new RecordingSync();
    sync.unavailableAs = { intervals: 'no-secrets-key', strava: 'no-secrets-key' };
    const { send } = await setup({ sync });
    const said = await send('/connect intervals');
    expect(said).toMatch(/operator|whoever runs it/);
    expect(said).toMatch(/SECRETS_KEY/);
    expect(said).toMatch(/send me your rides as files/);
    expect(await send('/connect strava')).toMatch(/SECRETS_KEY/);

    const bare = await setup({ sync: null });
    expect(await bare.send('/connect intervals')).toMatch(/^Syncing isn't set up on this bot/);
    expect(await bare.send('/connections')).toMatch(/^Syncing isn't set up on this bot/);
  });

  it('where written messages never arrive (a Discord server), the options are explained and nothing is awaited', async () => {
    const { send } = await setup({ receivesText: false });
    expect(await send('/connect intervals')).toMatch(/athlete_id: i123456 api_key/);
  });

  it('/connect alone and its buttons', async () => {
    const { send, press, thread } = await setup();
    await send('/connect');
    expect(
      thread.posts
        .at(-1)!
        .buttons!.flat()
        .map((b) => b.action),
    ).toEqual(['connect:intervals', 'connect:strava']);
    await press('connect:strava');
    expect(thread.last()).toMatch(/^Open this link and press Authorize \(it works for 10 minutes\): https:\/\/www\.strava\.com\/oauth/);
  });
});

describe('calendar push, Strava, /connections, /disconnect, /forget', () => {
  it('/connect intervals push off|on says what happens to the calendar; not connected: how to connect', async () => {
    const { sync, send } = await setup();
    expect(await send('/connect intervals push off')).toBe("intervals.icu isn't connected: /connect intervals connects it.");
    sync.connected.set('intervals', status_('intervals', 'i4711'));
    expect(await send('/connect intervals push off')).toMatch(/calendar is left untouched/);
    expect(await send('/connect intervals push on')).toMatch(/goes to your intervals\.icu calendar: now, and again whenever it changes/);
    expect(sync.calls.filter((c) => c.startsWith('setCalendarPush'))).toEqual([
      'setCalendarPush false',
      'setCalendarPush false',
      'setCalendarPush true',
    ]);
  });

  it('/connect strava: the link with the months; not configured: what the operator sets', async () => {
    const { sync, send, thread } = await setup();
    expect(await send('/connect strava months 24')).toMatch(/Strava data is shown only to you, here\.$/);
    expect(thread.posts.at(-1)!.title).toBe('Connect Strava');
    expect(sync.calls).toEqual(['stravaAuthorizeUrl telegram:42 24']);
    sync.unavailableAs = { strava: 'not-configured' };
    expect(await send('/connect strava')).toMatch(/STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET and PUBLIC_URL/);
  });

  it('/connections: since, athlete, last sync in the athlete zone, rides, calendar push, backfill; the other one not connected', async () => {
    const { sync, send, thread } = await setup();
    sync.connected.set(
      'intervals',
      status_('intervals', 'i4711', { lastSyncAt: new Date('2026-09-22T12:05:00Z'), rides: 212, backfill: { done: 40, total: 212 } }),
    );
    await send('/connections');
    expect(thread.posts.at(-1)!.title).toBe('Your connections');
    const lines = thread.last().split('\n');
    expect(lines[0]).toBe(
      'intervals.icu: connected since 1 Sep 2026 (athlete i4711) · last synced today 14:05 · 212 rides from it · your plan goes to its calendar: on.',
    );
    expect(lines[1]).toBe('  Fetching your past rides: 40 of 212 so far.');
    expect(lines[2]).toBe('Strava: not connected — /connect strava');
    sync.connected.set('strava', status_('strava', '987654', { lastSyncAt: new Date('2026-09-21T06:00:00Z'), rides: 1 }));
    sync.connected.delete('intervals');
    await send('/connections');
    expect(thread.last()).toMatch(
      /^intervals\.icu: not connected — \/connect intervals\nStrava: connected since 1 Sep 2026 \(athlete 987654\) · last synced yesterday 08:00 · 1 ride from it\./,
    );
  });

  it('/disconnect: buttons alone; Strava told; not connected said', async () => {
    const { sync, send, press, thread } = await setup();
    await send('/disconnect');
    expect(
      thread.posts
        .at(-1)!
        .buttons!.flat()
        .map((b) => b.action),
    ).toEqual(['disconnect:intervals', 'disconnect:strava']);
    sync.connected.set('strava', status_('strava', '987654'));
    await press('disconnect:strava');
    expect(thread.last()).toBe(
      'Disconnected from Strava: your tokens are deleted and Strava was told. The rides already here stay (/activities). /connect strava connects it again.',
    );
    expect(await send('/disconnect strava')).toMatch(/^Strava wasn't connected/);
    expect(sync.calls).toEqual(['disconnect strava', 'disconnect strava']);
  });

  it('/forget disconnects every connected service first', async () => {
    const { sync, send, press, thread } = await setup();
    sync.connected.set('intervals', status_('intervals', 'i4711'));
    sync.connected.set('strava', status_('strava', '987654'));
    await send('/forget');
    await press('forget:confirm');
    expect(sync.calls).toEqual(['disconnect intervals', 'disconnect strava']);
    expect(thread.last()).toMatch(/^Done: your profile/);
  });
});

describe('text while the key is awaited', () => {
  it('"ftp 270" is not an athlete id: the wait ends and the profile changes', async () => {
    const { send, thread } = await setup();
    await send('/connect intervals');
    await send('ftp 270');
    expect(thread.posts.at(-2)!.text).toMatch(/stopped waiting/);
    expect(thread.last()).toMatch(/FTP/);
  });
});
