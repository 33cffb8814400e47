/**
 * The Discord bot end to end: the real discord.js client and the real chat app against a fake
 * Discord (gateway + REST + CDN) on 127.0.0.1. Registration, slash commands with typed options,
 * autocomplete, uploads by /upload and by DM, buttons, ephemeral replies in servers, files split
 * to the attachment limit, delivery by DM once the interaction token has run out, twenty
 * interactions at once, the shared corpus through /analyze, and no token in any log line.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinExportParts } from '../../src/conversation/export-parts.js';
import { COMMANDS } from '../../src/conversation/port.js';
import { DeliveryError } from '../../src/conversation/port.js';
import { loadConfig } from '../../src/config.js';
import { createChatApp } from '../../src/app/chat-app.js';
import { createLogger } from '../../src/logger.js';
import { DISCORD_COMMANDS } from '../../bots/discord/commands.js';
import { startDiscord } from '../../bots/discord/main.js';
import { registerCommands } from '../../bots/discord/register.js';
import {
  athleteUserId,
  botFiles,
  botMessages,
  offlineCoachWithLatency,
  startHarness,
  type DiscordHarness,
} from '../fakes/discord-driver.js';
import { DIRECT_MESSAGES, EPHEMERAL, FakeDiscord, renderedText, type FakeInteraction, type SlashOptions } from '../fakes/fake-discord.js';
import { corpusBytes, corpusFitFiles, describeCorpus } from '../support/corpus.js';
import { recentRides } from '../support/synthetic-files.js';

const NOW = new Date();
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const DEADLINE_MS = 3000;

/** Log lines, captured (the logger writes JSON lines). */
function captureLogs() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => void lines.push(line) }) };
}

/** Runs a slash command as `userId` and waits until the bot has handled it. */
async function slash(h: DiscordHarness, userId: string, command: string, spec: SlashOptions = {}): Promise<FakeInteraction> {
  const interaction = h.fake.slash(userId, command, spec);
  expect(await h.settled.wait(interaction.id, 60_000), `/${command} was handled without an error`).toBe(true);
  return interaction;
}

const texts = (h: DiscordHarness, userId: string) => botMessages(h.fake, userId).map((m) => m.text);
const lastText = (h: DiscordHarness, userId: string) => texts(h, userId).at(-1) ?? '';
const rides = (count: number, seed: number) => Object.fromEntries(recentRides(NOW, count, seed).map((r, i) => [`file${i + 1}`, r]));

/** The options a subcommand cannot be sent without (the Discord client asks for them). */
const REQUIRED_SUBCOMMAND_OPTIONS: Record<string, { options: Record<string, string> }> = {
  'event add': { options: { date: '2031-06-14', priority: 'A', name: 'Marmotte' } },
  'event remove': { options: { event: 'Marmotte' } },
};

describe('Discord bot against a fake Discord', () => {
  let dir: string;
  let h: DiscordHarness;
  const logs = captureLogs();
  let user = 0;
  const newUser = () => {
    const id = athleteUserId(500 + ++user);
    return id;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'domestique-discord-'));
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
    h = await startHarness({
      dbPath: join(dir, 'bot.db'),
      fake,
      logger: logs.logger,
      bot: { maxDownloadBytes: 1024 * 1024 },
      app: { provider: offlineCoachWithLatency(20) },
    });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await h?.fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers exactly the command JSON it handles, globally and per server, and every command answers', async () => {
    // The harness registered globally before the bot started.
    expect(h.fake.registered.global).toEqual(JSON.parse(JSON.stringify(DISCORD_COMMANDS)));
    const put = h.fake.requests.find((r) => r.route === `PUT /applications/${h.fake.applicationId}/commands`)!;
    expect(put.authorization).toBe(`Bot ${h.fake.token}`);
    const guildId = '990000000000000001';
    const result = await registerCommands({ token: h.fake.token, applicationId: h.fake.applicationId, apiBase: h.fake.baseUrl, guildId });
    expect(result).toEqual({ scope: 'guild', names: DISCORD_COMMANDS.map((c) => c.name) });
    expect(h.fake.registered.guilds.get(guildId)).toEqual(JSON.parse(JSON.stringify(DISCORD_COMMANDS)));
    // Every conversation command has its slash command, plus /upload for files.
    expect(new Set(DISCORD_COMMANDS.map((c) => c.name))).toEqual(new Set([...COMMANDS.map((c) => c.name), 'upload']));
    expect(DISCORD_COMMANDS.every((c) => c.description.length <= 100 && /^[a-z_]{1,32}$/.test(c.name))).toBe(true);

    // Each registered command (and subcommand) is deferred and answered with something it understood.
    const id = newUser();
    for (const command of h.fake.registered.global!) {
      const subs = (command.options ?? []).filter((o) => o.type === 1).map((o) => o.name);
      for (const subcommand of subs.length > 0 ? subs : [undefined]) {
        if (command.name === 'forget' || command.name === 'upload') continue; // need buttons / files: below
        const before = h.fake.messagesFor(id).length;
        const interaction = await slash(
          h,
          id,
          command.name,
          subcommand
            ? { subcommand, ...(REQUIRED_SUBCOMMAND_OPTIONS[`${command.name} ${subcommand}`] ?? {}) }
            : command.name === 'delete'
              ? { options: { id: 'ffff0000' } }
              : command.name === 'connect' || command.name === 'disconnect'
                ? { options: { service: 'strava' } }
                : {},
        );
        expect(interaction.callback?.type, `/${command.name} ${subcommand ?? ''}`).toBe(5);
        const replies = h.fake.messagesFor(id).slice(before);
        expect(replies.length, `/${command.name} ${subcommand ?? ''}`).toBeGreaterThan(0);
        expect(
          replies.every((m) => !m.pending),
          `/${command.name} ${subcommand ?? ''} left the deferred reply empty`,
        ).toBe(true);
        expect(replies.map((m) => m.content).join('\n')).not.toMatch(/I don't know \/|Something went wrong/);
      }
    }
    expect(h.fake.unhandled()).toEqual([]);
  });

  it('connects with the DM intent and answers heartbeats', async () => {
    expect(h.fake.lastIntents & DIRECT_MESSAGES).toBe(DIRECT_MESSAGES);
    await h.fake.waitFor(() => h.fake.heartbeats > 0, 10_000, 'a heartbeat');
  });

  it('/profile set: typed options become one profile change the conversation understands; out-of-range values never reach it', async () => {
    const id = newUser();
    await slash(h, id, 'profile', {
      subcommand: 'set',
      options: {
        ftp: 270,
        weight: 70.5,
        max_hr: 186,
        hours: 8,
        days: 'Tue Thu Sat',
        time_zone: 'Europe/Berlin',
        units: 'metric',
        goal: 'Marmotte on 2027-07-04',
      },
    });
    const reply = lastText(h, id);
    expect(reply).toMatch(
      /Updated: FTP 270 W, weight 70\.5 kg, max HR 186 bpm, days tue thu sat, goal "Marmotte on 2027-07-04", event 2027-07-04, time zone Europe\/Berlin, metric units\./,
    );
    expect(reply).toMatch(/Updated: 8 h a week\./);
    expect(h.fake.messagesFor(id)).toHaveLength(1); // one answer for the whole command
    await slash(h, id, 'profile', { subcommand: 'show' });
    expect(lastText(h, id)).toMatch(
      /FTP: 270 W \(3\.83 W\/kg\)[\s\S]*Training days: Tue Thu Sat; hours per week: 8\.0 h[\s\S]*Time zone: Europe\/Berlin/,
    );
    await slash(h, id, 'profile', { subcommand: 'set', options: { ftp: 280 } });
    await slash(h, id, 'profile', { subcommand: 'history' });
    // the same day: 280 corrects 270, one value for the day
    expect(lastText(h, id)).toMatch(/FTP history\n\d{4}-\d{2}-\d{2}: 280 W/);
    expect(lastText(h, id)).not.toMatch(/270 W/);
    // Discord's client enforces the registered ranges: the bot never sees ftp:700.
    expect(() => h.fake.slash(id, 'profile', { subcommand: 'set', options: { ftp: 700 } })).toThrow(/50–600/);
    expect(() => h.fake.slash(id, 'profile', { subcommand: 'set', options: { weight: 20 } })).toThrow(/30–200/);
    expect(() => h.fake.slash(id, 'profile', { subcommand: 'set', options: { max_hr: 250 } })).toThrow(/100–230/);
    expect(() => h.fake.slash(id, 'profile', { subcommand: 'set', options: { lthr: 60 } })).toThrow(/80–220/);
    expect(() => h.fake.slash(id, 'profile', { subcommand: 'set', options: { hours: 50 } })).toThrow(/1–40/);
  });

  it('suggests time zones, training days and reminder days while the athlete types', async () => {
    const id = newUser();
    const zones = await h.fake.autocomplete(id, 'profile', { subcommand: 'set', options: { time_zone: 'berl' }, focused: 'time_zone' });
    expect(zones[0]).toEqual({ name: 'Europe/Berlin', value: 'Europe/Berlin' });
    const ny = await h.fake.autocomplete(id, 'profile', { subcommand: 'set', options: { time_zone: 'new y' }, focused: 'time_zone' });
    expect(ny.map((c) => c.value)).toContain('America/New_York');
    const days = await h.fake.autocomplete(id, 'profile', { subcommand: 'set', options: { days: 'Tue Th' }, focused: 'days' });
    expect(days.map((c) => c.value)).toEqual(['Tue Thu']);
    const more = await h.fake.autocomplete(id, 'profile', { subcommand: 'set', options: { days: 'Tue Thu ' }, focused: 'days' });
    expect(more.map((c) => c.value)).toEqual(expect.arrayContaining(['Tue Thu', 'Tue Thu Sat', 'Mon Tue Thu']));
    expect(more.length).toBeLessThanOrEqual(25);
    const reminder = await h.fake.autocomplete(id, 'reminders', { options: { day: 'la' }, focused: 'day' });
    expect(reminder).toEqual([{ name: 'last day of the month', value: 'last' }]);
  });

  it('/reminders maps its options onto the conversation', async () => {
    const id = newUser();
    await slash(h, id, 'reminders', { options: { state: 'on', day: '15', time: '08:30', time_zone: 'Europe/Berlin' } });
    expect(lastText(h, id)).toMatch(/Reminders on: day 15 of each month at 08:30 \(Europe\/Berlin\)/);
    await slash(h, id, 'reminders', { options: { state: 'off' } });
    expect(lastText(h, id)).toMatch(/Reminders off/);
  });

  it('DMs: text is text, attachments are an upload, "/word" is a command, and the bot ignores its own echoed messages', async () => {
    const id = newUser();
    const first = h.fake.dm(id, 'ftp 250');
    await h.settled.wait(first);
    expect(lastText(h, id)).toBe('Updated: FTP 250 W.');
    const files = recentRides(NOW, 2, 41);
    const upload = h.fake.dm(id, 'two rides', files);
    await h.settled.wait(upload);
    expect(lastText(h, id)).toMatch(/2 new activities stored/);
    expect(h.fake.requests.some((r) => r.route === `POST /channels/${h.fake.dmChannelId(id)}/typing`)).toBe(true);
    const typed = h.fake.dm(id, '/frobnicate');
    await h.settled.wait(typed);
    expect(lastText(h, id)).toMatch(/I don't know \/frobnicate/);
    // Three DMs, three answers: the echo of each answer (Discord sends the bot its own DM messages) was ignored.
    expect(h.fake.messagesFor(id).map((m) => m.source)).toEqual(['channel', 'channel', 'channel']);
  });

  it('/upload downloads from the CDN, and refuses an attachment over the limit without downloading it', async () => {
    const id = newUser();
    const before = h.fake.cdnDownloads.length;
    const interaction = await slash(h, id, 'upload', { options: rides(3, 51) });
    expect(lastText(h, id)).toMatch(/3 new activities stored/);
    expect(h.fake.cdnDownloads.length - before).toBe(3);
    const big = recentRides(NOW, 1, 52)[0]!;
    const refused = await slash(h, id, 'upload', { options: { file1: { ...big, declaredSize: 5 * 1024 * 1024 } } });
    expect(lastText(h, id)).toMatch(/5\.0 MB; I can only download files up to 1\.0 MB here/);
    const bigId = Object.keys((refused.payload.data as { resolved: { attachments: Record<string, unknown> } }).resolved.attachments)[0]!;
    expect(h.fake.cdnDownloads).not.toContain(bigId);
    expect(interaction.callbackAt! - interaction.dispatchedAt).toBeLessThan(DEADLINE_MS);
  });

  it('buttons: /forget offers a danger button; pressing one is a deferred component interaction', async () => {
    const id = newUser();
    await slash(h, id, 'forget');
    const ask = h.fake.messagesFor(id).at(-1)!;
    expect(ask.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 4, label: 'Yes, delete everything', custom_id: 'forget:confirm' },
          { type: 2, style: 2, label: 'No, keep it', custom_id: 'forget:cancel' },
        ],
      },
    ]);
    const press = h.fake.press(id, ask.id, 'forget:cancel');
    await h.settled.wait(press.id);
    expect(press.callback?.type).toBe(5);
    expect(lastText(h, id)).toBe('Nothing was deleted.');
  });

  it('in a server, every reply is ephemeral — the deferral, the status edits and the follow-ups with files', async () => {
    const id = newUser();
    const guildId = '990000000000000002';
    await slash(h, id, 'upload', { options: rides(4, 61), guildId });
    const analyze = await slash(h, id, 'analyze', { guildId });
    expect(analyze.callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    await h.fake.waitFor(
      () => h.fake.messagesFor(id).some((m) => m.interactionId === analyze.id && m.files.some((f) => f.fileName === 'index.html')),
      60_000,
      'the reports',
    );
    const replies = h.fake.messagesFor(id).filter((m) => m.interactionId === analyze.id);
    expect(replies.length).toBeGreaterThanOrEqual(3); // status (the deferred reply), summary, files
    expect(replies.every((m) => (m.flags & EPHEMERAL) === EPHEMERAL)).toBe(true);
    const followUps = h.fake.requests.filter(
      (r) =>
        r.method === 'POST' &&
        r.route.startsWith(`POST /webhooks/${h.fake.applicationId}/:token`) &&
        h.fake.interactions.get(analyze.id)!.token === r.path.split('/')[5],
    );
    expect(followUps.length).toBeGreaterThanOrEqual(2);
    expect(followUps.every((r) => ((r.json as { flags?: number }).flags ?? 0) & EPHEMERAL)).toBeTruthy();
    // The same athlete in the bot's DM: visible replies.
    const dmStatus = await slash(h, id, 'status');
    expect(dmStatus.callback).toEqual({ type: 5, data: { flags: 0 } });
  });

  it('splits files over several messages under a small attachment limit, zips a file too big alone, says when even that is too big, and sends a big export in parts', async () => {
    const id = newUser();
    await slash(h, id, 'upload', { options: rides(4, 71) });
    await slash(h, id, 'analyze');
    await h.fake.waitFor(() => botFiles(h.fake, id).filter((f) => f.fileName.endsWith('.html')).length === 3, 60_000, 'the reports');
    const html = botFiles(h.fake, id).filter((f) => f.fileName.endsWith('.html'));
    const limit = Math.max(...html.map((f) => f.content.length)) + 1;
    const report = await slash(h, id, 'report', { attachmentSizeLimit: limit });
    const sent = h.fake.messagesFor(id).filter((m) => m.interactionId === report.id && m.files.length > 0);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.every((m) => m.files.reduce((s, f) => s + f.content.length, 0) <= limit)).toBe(true);
    expect(sent.flatMap((m) => m.files.map((f) => f.fileName)).sort()).toEqual([
      'coaching_insights.html',
      'index.html',
      'performance_dashboard.html',
    ]);
    expect(renderedText(h.fake.messagesFor(id).find((m) => m.interactionId === report.id)!.content)).toMatch(/Your reports from/);

    // A report too big alone comes zipped; one too big even zipped is left out, with a note.
    const biggest = html.reduce((a, b) => (a.content.length >= b.content.length ? a : b));
    const zipped = await slash(h, id, 'report', { attachmentSizeLimit: biggest.content.length - 1 });
    const zipMessages = h.fake.messagesFor(id).filter((m) => m.interactionId === zipped.id);
    const zip = zipMessages.flatMap((m) => m.files).find((f) => f.fileName === `${biggest.fileName}.zip`)!;
    expect(zip).toBeDefined();
    expect(unzipSync(zip.content)[biggest.fileName]).toEqual(biggest.content);
    expect(zipMessages.map((m) => renderedText(m.content)).join('\n')).toMatch(/comes zipped/);
    const none = await slash(h, id, 'report', { attachmentSizeLimit: 100 });
    const noneMessages = h.fake.messagesFor(id).filter((m) => m.interactionId === none.id);
    expect(noneMessages.flatMap((m) => m.files)).toEqual([]);
    expect(noneMessages.map((m) => renderedText(m.content)).join('\n')).toMatch(/could not send it/);

    // /export is never left out: gzipped when that fits, else in parts that each fit, each a JSON document.
    const plain = await slash(h, id, 'export');
    const exported = h.fake.messagesFor(id).find((m) => m.interactionId === plain.id)!.files[0]!;
    const original = JSON.parse(new TextDecoder().decode(exported.content)) as Record<string, unknown>;
    const gzipped = await slash(h, id, 'export', { attachmentSizeLimit: exported.content.length - 1 });
    const gz = h.fake
      .messagesFor(id)
      .filter((m) => m.interactionId === gzipped.id)
      .flatMap((m) => m.files);
    expect(gz.map((f) => f.fileName)).toEqual([`${exported.fileName}.gz`]);
    expect({ ...(JSON.parse(gunzipSync(gz[0]!.content).toString('utf8')) as Record<string, unknown>), exportedAt: null }).toEqual({
      ...original,
      exportedAt: null,
    }); // two exports differ only in their time
    const partLimit = Math.floor(gz[0]!.content.length / 2.5);
    const split = await slash(h, id, 'export', { attachmentSizeLimit: partLimit });
    const parts = h.fake
      .messagesFor(id)
      .filter((m) => m.interactionId === split.id)
      .flatMap((m) => m.files);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(
      parts.every(
        (f, i) =>
          f.fileName === `${exported.fileName.replace(/\.json$/, '')}-part-${i + 1}-of-${parts.length}.json.gz` &&
          f.content.length <= partLimit,
      ),
    ).toBe(true);
    const joined = joinExportParts(parts.map((f) => JSON.parse(gunzipSync(f.content).toString('utf8')) as unknown));
    expect({ ...joined, exportedAt: null }).toEqual({ ...original, exportedAt: null });
  });

  it('/start in a server says to continue in DMs and asks the first question there; the answer by DM is understood', async () => {
    const id = newUser();
    const guildId = '990000000000000003';
    const start = await slash(h, id, 'start', { guildId });
    const inServer = h.fake.messagesFor(id).filter((m) => m.interactionId === start.id);
    expect(inServer.map((m) => renderedText(m.content)).join('\n')).toMatch(
      /I only read your answers in our direct messages\. I have sent you the first question there: let's continue in DMs\./,
    );
    expect(inServer.every((m) => (m.flags & EPHEMERAL) === EPHEMERAL)).toBe(true);
    const dm = h.fake.messagesFor(id).filter((m) => m.source === 'channel' && m.channelId === h.fake.dmChannelId(id));
    expect(dm).toHaveLength(1);
    expect(renderedText(dm[0]!.content)).toMatch(/What is your FTP/);
    const answer = h.fake.dm(id, '265');
    await h.settled.wait(answer);
    expect(lastText(h, id)).toMatch(/Got it: FTP 265 W/);
    // In the bot's DM, /start asks right there.
    const here = await slash(h, id, 'start');
    expect(renderedText(h.fake.messagesFor(id).filter((m) => m.interactionId === here.id)[0]!.content)).toMatch(/weigh|FTP/);
  });

  it('a sticker, a photo or a voice message by DM is answered with what the bot reads', async () => {
    const id = newUser();
    await h.settled.wait(h.fake.dm(id, '', [], { sticker: true }));
    expect(lastText(h, id)).toMatch(/^That is a sticker: there is no ride in it that I can read\. I read rides from files/);
    await h.settled.wait(
      h.fake.dm(id, '', [{ fileName: 'IMG_0001.JPG', content: new Uint8Array([0xff, 0xd8, 0xff]), contentType: 'image/jpeg' }]),
    );
    expect(lastText(h, id)).toMatch(/^That is a photo: /);
    await h.settled.wait(
      h.fake.dm(id, '', [{ fileName: 'voice-message.ogg', content: new Uint8Array([0x4f, 0x67, 0x67, 0x53]), contentType: 'audio/ogg' }]),
    );
    expect(lastText(h, id)).toMatch(/^That is an audio recording: /);
  });

  it('opens DM threads for reminders; a user Discord will not let it message is a permanent delivery error', async () => {
    const id = newUser();
    h.fake.user(id);
    expect(h.bot.open('telegram:42')).toBeNull();
    const thread = h.bot.open(`discord:${id}`)!;
    await thread.post({ title: 'Your month', text: 'Send me your rides.' });
    expect(h.fake.messagesFor(id).at(-1)).toMatchObject({ source: 'channel', channelId: h.fake.dmChannelId(id) });
    expect(lastText(h, id)).toBe('Your month\nSend me your rides.');
    const stranger = h.bot.open(`discord:${athleteUserId(999_999)}`)!;
    await expect(stranger.post({ text: 'hello' })).rejects.toSatisfy((e: unknown) => e instanceof DeliveryError && e.permanent);
  });

  it('never writes the token into a log line', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.lines.join('\n')).not.toContain(h.fake.token);
  });
});

describe('Discord bot: failures to connect and register say what to do, without the token', () => {
  it('a refused token', async () => {
    const fake = await FakeDiscord.start();
    const dir = mkdtempSync(join(tmpdir(), 'domestique-discord-bad-'));
    const secret = 'MTIz.wrong-secret-token.abc';
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'bot.db'),
      LOG_LEVEL: 'silent',
      DISCORD_TOKEN: secret,
      DISCORD_API_BASE: fake.baseUrl,
    });
    const logs = captureLogs();
    const app = await createChatApp(config, logs.logger, { snapshot: false });
    try {
      const error = await startDiscord(config, logs.logger, app, { readyTimeoutMs: 10_000 }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/Could not connect to Discord: .*Check DISCORD_TOKEN/);
      expect(error?.message).not.toContain(secret);
      const registering = await registerCommands({ token: secret, applicationId: fake.applicationId, apiBase: fake.baseUrl }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(registering?.message).toMatch(/401.*Check DISCORD_TOKEN/);
      expect(registering?.message).not.toContain(secret);
      expect(logs.lines.join('\n')).not.toContain(secret);
    } finally {
      await app.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Discord bot: Discord closing the gateway for good', () => {
  it('reports a revoked token as fatal, once, without the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-discord-fatal-'));
    const fatal: Error[] = [];
    const h = await startHarness({ dbPath: join(dir, 'bot.db'), bot: { onFatalError: (e) => fatal.push(e) } });
    try {
      h.fake.disconnect(4004, 'Authentication failed.');
      await h.fake.waitFor(() => fatal.length > 0, 10_000, 'the fatal error');
      expect(fatal).toHaveLength(1);
      expect(fatal[0]!.message).toMatch(/code 4004 \(the token was refused: check DISCORD_TOKEN\)/);
      expect(fatal[0]!.message).not.toContain(h.fake.token);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Discord bot: an analysis that outlives the interaction token arrives by DM', () => {
  for (const mode of ['the bot counts the token lifetime', 'Discord refuses the expired token'] as const) {
    it(
      mode,
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'domestique-discord-late-'));
        // The model takes 500 ms a call, so the run takes seconds; the token lasts 1.5 s.
        const fake = await FakeDiscord.start(mode === 'Discord refuses the expired token' ? { interactionTokenLifetimeMs: 1500 } : {});
        const h = await startHarness({
          dbPath: join(dir, 'bot.db'),
          fake,
          app: { provider: offlineCoachWithLatency(500) },
          bot: { interactionTokenLifetimeMs: mode === 'the bot counts the token lifetime' ? 1500 : 60_000 },
        });
        try {
          const id = athleteUserId(7000);
          await slash(h, id, 'upload', { options: rides(3, 81), guildId: '990000000000000003' });
          const analyze = await slash(h, id, 'analyze', { guildId: '990000000000000003' });
          expect(analyze.callbackAt! - analyze.dispatchedAt).toBeLessThan(DEADLINE_MS);
          await h.fake.waitFor(
            () => botFiles(h.fake, id).filter((f) => f.fileName.endsWith('.html')).length === 3,
            60_000,
            'the reports by DM',
          );
          const mine = h.fake.messagesFor(id);
          const status = mine.find((m) => m.interactionId === analyze.id)!;
          expect(renderedText(status.content)).toMatch(/^Analysis /); // the deferred reply got the status in time
          const late = mine.filter((m) => m.source === 'channel');
          expect(late.map((m) => renderedText(m.content)).join('\n')).toMatch(
            /longer than Discord keeps a reply open[\s\S]*Your analysis is ready/,
          );
          expect(late.every((m) => m.channelId === h.fake.dmChannelId(id))).toBe(true);
          expect(
            late
              .flatMap((m) => m.files.map((f) => f.fileName))
              .filter((n) => n.endsWith('.html'))
              .sort(),
          ).toEqual(['coaching_insights.html', 'index.html', 'performance_dashboard.html']);
          expect(h.fake.requests.some((r) => r.route === 'POST /users/@me/channels')).toBe(true);
          const refused = h.fake.requests.filter((r) => r.status === 401);
          if (mode === 'the bot counts the token lifetime') expect(refused).toEqual([]);
          else expect(refused.length).toBeGreaterThan(0);
        } finally {
          await h.close();
          await fake.close();
          rmSync(dir, { recursive: true, force: true });
        }
      },
      120_000,
    );
  }
});

describe('Discord bot: twenty /analyze at once', () => {
  it('acknowledges every one well inside the 3 s deadline, then delivers every analysis', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-discord-20-'));
    const h = await startHarness({ dbPath: join(dir, 'bot.db') });
    try {
      const users = Array.from({ length: 20 }, (_, i) => athleteUserId(8000 + i));
      // Files made first: encoding them in this process would hold up the bot, not Discord.
      const files = users.map((_, i) => rides(3, 100 + i));
      await Promise.all(users.map((id, i) => slash(h, id, 'upload', { options: files[i]! })));
      expect(users.map((id) => lastText(h, id).split('\n')[0])).toEqual(users.map(() => '3 new activities stored.'));
      const interactions = users.map((id) => h.fake.slash(id, 'analyze'));
      await h.fake.waitFor(() => interactions.every((i) => i.callbackAt !== null || i.late), 30_000, 'all deferrals');
      const latencies = interactions.map((i) => i.callbackAt! - i.dispatchedAt);
      expect(interactions.filter((i) => i.late)).toEqual([]);
      for (const latency of latencies) expect(latency).toBeLessThan(DEADLINE_MS);
      expect(interactions.every((i) => i.callback?.type === 5)).toBe(true);
      await h.fake.waitFor(
        () => users.every((id) => texts(h, id).some((t) => t.includes('Your analysis is ready'))),
        120_000,
        'twenty summaries',
      );
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describeCorpus('Discord bot on the shared FIT files', () => {
  it('/profile set, /upload the real rides, /analyze: deferred in time, live status, then the picture and three reports with the real numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domestique-discord-corpus-'));
    if (!hasChromium) console.warn(`\n⚠ ${CHROMIUM} is missing: the Discord corpus test runs without the dashboard picture.\n`);
    const h = await startHarness({
      dbPath: join(dir, 'bot.db'),
      app: { snapshot: hasChromium, statusIntervalMs: 20 },
      env: { PUPPETEER_EXECUTABLE_PATH: CHROMIUM },
    });
    try {
      const id = athleteUserId(9000);
      await slash(h, id, 'profile', {
        subcommand: 'set',
        options: { ftp: 315, weight: 72, max_hr: 185, days: 'Tue Thu Sat Sun', time_zone: 'Europe/Berlin' },
      });
      expect(lastText(h, id)).toMatch(/Updated: FTP 315 W, weight 72 kg, max HR 185 bpm/);
      // Up to the edge810-vector ride (2013-08-16): the analysis period ends at the latest ride.
      const all = corpusFitFiles();
      const first = [
        'bad-file-crc.fit',
        'bad-truncated.fit',
        'compressed-timestamps.fit',
        'edge500-nonmonotonic.fit',
        'edge800-indoor-trainer.fit',
        'edge810-vector.fit',
      ];
      const file = (name: string) => ({ fileName: name, content: corpusBytes('fit', name) });
      await slash(h, id, 'upload', { options: Object.fromEntries(first.map((n, i) => [`file${i + 1}`, file(n)])) });
      // The two damaged samples are readable up to the damage, 13 s: too short to count, refused.
      expect(lastText(h, id)).toMatch(
        /^4 new activities stored\.\nIn what you sent: 4 activities, [\d.]+ km, \d+:\d\d h moving\.\n2 files could not be read — nothing from them was stored:\n✗ bad-file-crc\.fit: only 13 s of this ride could be read .*\(too-short\)/,
      );

      const analyze = await slash(h, id, 'analyze');
      expect(analyze.callback?.type).toBe(5);
      expect(analyze.callbackAt! - analyze.dispatchedAt).toBeLessThan(DEADLINE_MS);
      const reports = await h.fake.waitFor(
        () => h.fake.requests.find((r) => r.method === 'POST' && r.multipart && r.files.some((f) => f.fileName === 'index.html')),
        120_000,
        'the reports',
      );
      const status = h.fake.messagesFor(id).find((m) => m.interactionId === analyze.id)!;
      expect(status.edits).toBeGreaterThan(0);
      expect(renderedText(status.content)).toMatch(/✓ Report generation/);
      expect(reports.route).toBe(`POST /webhooks/${h.fake.applicationId}/:token`);
      expect(reports.files.map((f) => f.fileName)).toEqual([
        ...(hasChromium ? ['dashboard.png'] : []),
        'index.html',
        'coaching_insights.html',
        'performance_dashboard.html',
      ]);
      if (hasChromium) {
        const png = Buffer.from(reports.files[0]!.content);
        expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1080, 1350]); // the chat card, from the IHDR
      }
      const html = (name: string) => new TextDecoder().decode(reports.files.find((f) => f.fileName === name)!.content);
      const ridesTable = /<table class="rides"[\s\S]*?<\/table>/.exec(html('performance_dashboard.html'))?.[0] ?? '';
      const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*edge810-vector\.fit(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(ridesTable)?.[0] ?? '';
      const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
      const heads = [...(/<thead>[\s\S]*?<\/thead>/.exec(ridesTable)?.[0] ?? '').matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((m) =>
        m[1]!.trim(),
      );
      expect(cells[heads.indexOf('NP (W)')]).toBe('301'); // NP (W): the Edge 810 wrote 301 W
      const summary = texts(h, id).find((t) => t.startsWith('Your analysis is ready'))!;
      const ctl = /CTL (\d+(?:\.\d)?)/.exec(summary)![1]!;
      expect(html('index.html')).toContain(ctl);
      // the key numbers as an embed: FTP, eFTP, CTL / ATL / TSB, best 20 min, rides
      const card = h.fake.messagesFor(id).find((m) => m.embeds.length > 0)!;
      const fields = (card.embeds[0] as { fields: { name: string; value: string }[] }).fields;
      expect(fields.map((f) => f.name)).toEqual(['FTP', 'eFTP', 'CTL / ATL / TSB', 'Best 20 min', 'Activities analysed', 'Volume']);
      expect(fields.find((f) => f.name === 'CTL / ATL / TSB')!.value.startsWith(`${ctl} / `)).toBe(true);

      // The other ten files: ten attachments in one /upload.
      const rest = all.filter((n) => !first.includes(n));
      expect(rest).toHaveLength(10);
      const second = await slash(h, id, 'upload', { options: Object.fromEntries(rest.map((n, i) => [`file${i + 1}`, file(n)])) });
      expect(second.callbackAt! - second.dispatchedAt).toBeLessThan(DEADLINE_MS);
      expect(lastText(h, id)).toMatch(/10 new activities stored/);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
