/**
 * The whole Telegram bot — createChatApp + the grammY adapter with runner and auto-retry — against
 * the fake Bot API on 127.0.0.1, with a real SQLite database: onboarding and the real corpus, bad
 * files, a file too big to download, /forget, ten athletes at once, and group chats.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeActivityMetrics } from '../../src/domain/metrics/index.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import { ReminderTicker } from '../../src/conversation/reminders.js';
import { createOfflineCoach } from '../../src/llm/offline/offline-coach.js';
import type { LlmProvider } from '../../src/llm/provider.js';
import { createLogger } from '../../src/logger.js';
import { Store } from '../../src/store/store.js';
import { FAKE_BOT_TOKEN, type FakeSentFile } from '../fakes/fake-telegram.js';
import { createTelegramDriverFactory, telegramTestBot, type TelegramChatDriver, type TelegramTestBot } from '../fakes/telegram-driver.js';
import { corpusBytes, corpusFitFiles, describeCorpus } from '../support/corpus.js';
import { recentRides, syntheticRideBytes } from '../support/synthetic-files.js';

const NOW = new Date();
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const REPORTS = ['coaching_insights.html', 'index.html', 'performance_dashboard.html'];
const NNBSP = '\u202f';

let dir: string;
const logLines: string[] = [];
const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
const drivers: TelegramChatDriver[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'domestique-telegram-'));
});
afterAll(async () => {
  for (const d of drivers) await d.close();
  rmSync(dir, { recursive: true, force: true });
  // Every bot of this file logged at debug level into logLines: the token is never there.
  const all = logLines.join('');
  expect(all).not.toContain(FAKE_BOT_TOKEN);
  expect(all).not.toContain(FAKE_BOT_TOKEN.split(':')[1]!);
});

async function athlete(
  database: string,
  athleteNumber: number,
  options: Parameters<typeof createTelegramDriverFactory>[0] = {},
): Promise<TelegramChatDriver> {
  const d = await createTelegramDriverFactory({ logger, ...options }).create({ dbPath: join(dir, database), athleteNumber });
  drivers.push(d);
  return d;
}

/** Sends one update for `key` and waits until the bot has handled it. */
const handledBy = (bot: TelegramTestBot, key: string) => async (send: () => void) => {
  const before = bot.handledCount(key);
  send();
  await bot.fake.waitFor(() => bot.handledCount(key) > before, 60_000, 'the bot to handle it');
};

const text = (file: { bytes: Uint8Array } | { content: Uint8Array }) =>
  new TextDecoder().decode('bytes' in file ? file.bytes : file.content);
const last = (d: TelegramChatDriver) => d.messages().at(-1)?.text ?? '';
const htmlReports = (d: TelegramChatDriver): FakeSentFile[] => d.bot.fake.documents(d.chatId).filter((f) => f.fileName.endsWith('.html'));

/** The NP column of the dashboard's ride table, as shown ("301"), one entry per ride. */
function dashboardNp(html: string): string[] {
  const table = /<table class="rides"[\s\S]*?<\/table>/.exec(html)?.[0];
  if (!table) return [];
  const heads = [...table.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
  const column = heads.indexOf('NP (W)');
  expect(column).toBeGreaterThan(0);
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)][column]![1]!.replace(/<[^>]+>/g, ''),
  );
}

describeCorpus('telegram bot on the real corpus', () => {
  it('onboards a new athlete, takes every corpus file as documents, analyses, and sends status edits, a summary, the picture and three reports with their real NP and CTL', async () => {
    const d = await athlete('corpus.db', 1, { snapshot: hasChromium, env: { PUPPETEER_EXECUTABLE_PATH: CHROMIUM } });
    await d.send('/start');
    expect(d.messages()[0]!.text).toMatch(/^Hello Rider 1! I'm domestique/);
    // The title is bold (HTML parse mode), the rest plain text.
    expect(d.bot.fake.messages(d.chatId)[0]!.entities).toEqual([
      { type: 'bold', offset: 0, length: "Hello Rider 1! I'm domestique, your cycling coach.".length },
    ]);
    expect(last(d)).toMatch(/FTP/);
    for (const answer of ['250', '70 kg', 'skip', 'Tue Thu Sat Sun', '8h', 'skip', 'Europe/Berlin', 'metric']) await d.send(answer);
    expect(d.messages().some((m) => m.text.includes('Your profile is set'))).toBe(true);
    if (d.messages().some((m) => m.buttons.flat().includes('No reminders'))) await d.press('No reminders');

    const names = corpusFitFiles();
    expect(names.length).toBeGreaterThanOrEqual(16);
    const before = d.messages().length;
    await d.sendFiles(names.map((name) => ({ fileName: name, content: corpusBytes('fit', name) })));
    // Telegram albums hold 10 files: one answer per album.
    const uploads = d.messages().slice(before);
    expect(uploads).toHaveLength(Math.ceil(names.length / 10));
    const stored = uploads.reduce((sum, m) => sum + Number(/(\d+) new activit/.exec(m.text)?.[1] ?? NaN), 0);
    expect(stored).toBeGreaterThanOrEqual(14);
    await d.send('/status');
    expect(last(d)).toMatch(new RegExp(`^Status\\n${stored} activities stored`, 'm'));
    // Every file was fetched exactly once, through getFile and the file URL.
    expect(d.bot.fake.calls('getFile')).toBe(names.length);

    await d.press('Analyze now');
    await d.waitFor(() => htmlReports(d).length === 3, 150_000, 'three HTML reports');
    const fake = d.bot.fake;
    const status = d.messages().find((m) => m.text.startsWith('Analysis '))!;
    expect(status.edits).toBeGreaterThan(0);
    expect(status.text).toMatch(/✓ Report generation/);
    expect(fake.messages(d.chatId).find((m) => String(m.messageId) === status.id)!.history.length).toBe(status.edits);
    const summary = d.messages().find((m) => m.text.startsWith('Your analysis is ready'))!.text;
    const period = /^(\d{4}-\d{2}-\d{2}) – (\d{4}-\d{2}-\d{2}): (\d+) activities/m.exec(summary)!;
    const ctl = /CTL (\d+(?:\.\d)?)/.exec(summary)![1]!;

    const reports = htmlReports(d);
    expect(reports.map((f) => f.fileName).sort()).toEqual(REPORTS);
    const byName = new Map(reports.map((f) => [f.fileName, text(f)]));
    for (const html of byName.values()) expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(byName.get('index.html')).toContain(ctl);
    expect(byName.get('index.html')).toContain(`FTP 250${NNBSP}W`);

    // NP of every ride of the period, computed here from the files, is what the dashboard lists.
    const expectedNp: string[] = [];
    for (const name of names) {
      const result = await ingestFile(corpusBytes('fit', name), name);
      if (!result.ok) continue;
      for (const activity of result.value.activities) {
        const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(activity.startTime);
        const np = computeActivityMetrics(activity, { ftp: 250 }).normalizedPower;
        if (activity.sport === 'cycling' && np !== null && day >= period[1]! && day <= period[2]!) expectedNp.push(String(Math.round(np)));
      }
    }
    expect(expectedNp.length).toBeGreaterThan(0);
    expect(
      dashboardNp(byName.get('performance_dashboard.html')!)
        .filter((v) => /^\d/.test(v))
        .sort(),
    ).toEqual(expectedNp.sort());

    // The picture: sent as a photo before the documents when Chromium is there, otherwise not at all.
    if (hasChromium) {
      const photos = fake.photos(d.chatId);
      expect(photos.map((p) => p.fileName)).toEqual(['dashboard.png']);
      expect(Array.from(photos[0]!.bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(photos[0]!.messageId).toBeLessThan(Math.min(...reports.map((r) => r.messageId)));
    } else {
      expect(fake.photos(d.chatId)).toEqual([]);
    }
  }, 300_000);

  it("shows a ride's real NP: edge810-vector.fit is 301 W in the dashboard", async () => {
    const name = 'edge810-vector.fit';
    const result = await ingestFile(corpusBytes('fit', name), name);
    if (!result.ok) throw new Error(result.error.message);
    const ride = result.value.activities[0]!;
    const np = Math.round(computeActivityMetrics(ride, { ftp: 300 }).normalizedPower!);
    expect(np).toBe(301);
    expect(ride.device?.normalizedPower).toBe(301); // and the head unit agrees
    const d = await athlete('corpus.db', 2);
    await d.send('ftp 300');
    await d.sendFiles([{ fileName: name, content: corpusBytes('fit', name) }]);
    expect(last(d)).toMatch(/1 new activity stored/);
    await d.press('Analyze now');
    await d.waitFor(() => htmlReports(d).length === 3, 120_000, 'three HTML reports');
    const dashboard = text(htmlReports(d).find((f) => f.fileName === 'performance_dashboard.html')!);
    expect(dashboardNp(dashboard)).toEqual([String(np)]);
  }, 180_000);

  it('answers each bad-* FIT file, and stores nothing from a FIT cut short', async () => {
    const d = await athlete('corpus.db', 3);
    for (const name of corpusFitFiles().filter((n) => n.startsWith('bad-'))) {
      const before = d.messages().length;
      await d.sendFiles([{ fileName: name, content: corpusBytes('fit', name) }]);
      // One answer per file. Both are damaged copies of one short run, salvaged to 13 s: too short to count, nothing stored.
      expect(d.messages().length).toBe(before + 1);
      expect(last(d)).toMatch(
        new RegExp(
          `^1 file could not be read — nothing from it was stored:\\n✗ ${name.replace('.', '\\.')}: only \\d+ s of this ride could be read — the file is damaged, and a few seconds are too short to count \\(too-short\\)`,
        ),
      );
      expect(d.messages().at(-1)!.buttons).toEqual([]);
    }
    await d.send('/status');
    expect(last(d)).toMatch(/^Status\n0 activities stored/m);
    await d.sendFiles([{ fileName: 'edge810-vector.fit', content: corpusBytes('fit', 'edge810-vector.fit') }]);
    expect(last(d)).toMatch(/^1 new activity stored/);

    const cut = corpusBytes('fit', 'edge810-vector.fit').subarray(0, 200);
    await d.sendFiles([{ fileName: 'cut-short.fit', content: cut }]);
    expect(last(d)).toMatch(/1 file could not be read — nothing from it was stored/);
    expect(last(d)).toMatch(/cut-short\.fit: .*ends early/);
    expect(d.messages().at(-1)!.buttons).toEqual([]);
    await d.send('/status');
    expect(last(d)).toMatch(/^Status\n1 activity stored/m);
  }, 120_000);
});

describe('telegram bot', () => {
  it('refuses a 30 MB document without downloading it (getFile is never called for it)', async () => {
    const bot = await telegramTestBot(join(dir, 'misc.db'), { logger });
    const fake = bot.fake;
    const userId = 900_001;
    const key = `telegram:${userId}`;
    const handled = handledBy(bot, key);
    let huge = '';
    await handled(() => (huge = fake.userSendsDocument(userId, 'strava-export.zip', new Uint8Array(30 * 1024 * 1024)).fileId));
    expect(fake.messages(userId).at(-1)!.text).toMatch(
      /strava-export\.zip is 30(\.0)? MB; I can only download files up to 20(\.0)? MB here/,
    );
    expect(fake.getFileCalls(huge)).toBe(0);
    expect(fake.downloads(huge)).toBe(0);
    // A normal file from the same athlete is fetched: the check above could fail.
    let small = '';
    await handled(
      () => (small = fake.userSendsDocument(userId, 'ride.fit', syntheticRideBytes(5, new Date(NOW.getTime() - 86_400_000))).fileId),
    );
    // the upload's summary, then (a ride of yesterday) its post-ride message
    expect(fake.messages(userId).at(-2)!.text).toMatch(/1 new activity stored/);
    expect(fake.messages(userId).at(-1)!.text).toMatch(/^Ride · /);
    expect([fake.getFileCalls(small), fake.downloads(small)]).toEqual([1, 1]);
  }, 120_000);

  it("with a local Bot API server (TELEGRAM_MAX_DOWNLOAD_MB=50): takes a 30 MB document, reading files from the server's disk", async () => {
    const files = join(dir, 'local-bot-api');
    mkdirSync(files, { recursive: true });
    const bot = await telegramTestBot(join(dir, 'local.db'), {
      logger,
      env: { TELEGRAM_MAX_DOWNLOAD_MB: '50' },
      fake: { localFilesDir: files },
    });
    const fake = bot.fake;
    const userId = 900_002;
    const key = `telegram:${userId}`;
    const handled = handledBy(bot, key);
    let big = '';
    await handled(() => (big = fake.userSendsDocument(userId, 'strava-export.zip', new Uint8Array(30 * 1024 * 1024)).fileId));
    expect(fake.getFileCalls(big)).toBe(1);
    expect(fake.messages(userId).at(-1)!.text).not.toMatch(/I can only download/);
    expect(fake.messages(userId).at(-1)!.text).toMatch(/strava-export\.zip/); // read, then refused as no zip: nothing stored
    let ride = '';
    await handled(
      () => (ride = fake.userSendsDocument(userId, 'ride.fit', syntheticRideBytes(6, new Date(NOW.getTime() - 86_400_000))).fileId),
    );
    expect(fake.messages(userId).at(-2)!.text).toMatch(/1 new activity stored/); // then its post-ride message
    expect([fake.getFileCalls(ride), fake.downloads(ride)]).toEqual([1, 0]); // from disk, not over HTTP
  }, 120_000);

  it('in a group chat, answers that the athlete should message it directly, downloads nothing and stores nothing', async () => {
    const bot = await telegramTestBot(join(dir, 'misc.db'), { logger });
    const fake = bot.fake;
    const userId = 900_002;
    const groupId = -1_001_234_567;
    const key = `telegram:${userId}`;
    const handled = handledBy(bot, key);
    const group = { chatId: groupId, firstName: 'Gina' };
    await handled(() => fake.userSendsText(userId, '/start', 'supergroup', group));
    expect(fake.messages(groupId).map((m) => m.text)).toEqual([
      expect.stringMatching(/only handle training data in a private chat\. Message me directly/),
    ]);
    let fileId = '';
    await handled(
      () =>
        (fileId = fake.userSendsDocument(userId, 'ride.fit', syntheticRideBytes(6, new Date(NOW.getTime() - 86_400_000)), {
          ...group,
          chatType: 'supergroup',
        }).fileId),
    );
    expect(fake.messages(groupId)).toHaveLength(2);
    expect(fake.messages(groupId)[1]!.text).toMatch(/Message me directly/);
    expect(fake.getFileCalls(fileId)).toBe(0);
    await handled(() => fake.userSendsText(userId, 'ftp 250', 'supergroup', group));
    expect(fake.messages(groupId)).toHaveLength(2); // ordinary chatter in a group is not for the bot
    expect(fake.messages(userId)).toEqual([]);
    expect(await bot.app.store.findByIdentity(key)).toBeNull();
    expect(await bot.app.store.getChatState(key)).toBeNull();
  }, 60_000);

  it('shows "typing…" (sendChatAction) while a zip export is read and "sending a file…" before the reports; small files and text get none', async () => {
    const d = await athlete('actions.db', 1);
    const fake = d.bot.fake;
    await d.send('ftp 250');
    await d.sendFiles(recentRides(NOW, 1, 43));
    expect(fake.chatActions(d.chatId)).toEqual([]);
    const zip = zipSync(
      Object.fromEntries(
        recentRides(new Date(NOW.getTime() - 20 * 86_400_000), 3, 44).map((r) => [`export/activities/${r.fileName}`, r.content]),
      ),
    );
    await d.sendFiles([{ fileName: 'export_12345.zip', content: zip }]);
    expect(last(d)).toMatch(/3 new activities stored/);
    const reading = fake.chatActions(d.chatId);
    expect(reading.map((a) => a.action)).toEqual(['typing']);
    // shown before the answer went out
    expect(reading[0]!.at).toBeLessThanOrEqual(fake.messages(d.chatId).at(-1)!.at);
    await d.press('Analyze now');
    await d.waitFor(() => htmlReports(d).length === 3, 120_000, 'three HTML reports');
    expect(fake.chatActions(d.chatId).map((a) => a.action)).toContain('upload_document');
    // a photo gets the answer of what is read
    await d.sendMedia('photo');
    expect(last(d)).toMatch(/^That is a photo: there is no ride in it that I can read/);
  }, 180_000);

  it('/forget with the confirmation button leaves no row for the athlete in the database', async () => {
    const dbPath = join(dir, 'forget.db');
    const d = await athlete('forget.db', 1);
    await d.send('ftp 240');
    await d.sendFiles(recentRides(NOW, 3, 41));
    await d.press('Analyze now');
    await d.waitFor(() => htmlReports(d).length === 3, 120_000, 'three HTML reports');
    const before = (await d.bot.app.store.check()).counts;
    expect(before).toMatchObject({ athletes: 1, activities: 3, runs: 1 });
    expect(before.reports).toBeGreaterThan(0);
    await d.send('/forget');
    expect(d.messages().at(-1)!.buttons).toEqual([['Yes, delete everything', 'No, keep it']]);
    await d.press('Yes, delete everything');
    expect(last(d)).toMatch(/^Done: your profile, 3 activities and all analyses and reports are deleted/);
    await d.close(); // the bot and the app stop: the database file is all there is

    const store = await Store.open(dbPath);
    try {
      expect(await store.findByIdentity(d.athleteKey)).toBeNull();
      expect(await store.getChatState(d.athleteKey)).toBeNull();
      const counts = (await store.check()).counts;
      // Only the quota counters stay (files, bytes, the analysis): by design, holding nothing of the athlete.
      expect(Object.entries(counts).filter(([, n]) => n > 0)).toEqual([['usageEvents', 3]]);
      expect(JSON.stringify(store.db.all('select * from usage_events'))).not.toContain(d.athleteKey);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('sends the monthly reminder an athlete opted into through their Telegram chat, and stops for one who blocked the bot', async () => {
    const [keen, gone] = [await athlete('reminders.db', 1), await athlete('reminders.db', 2)];
    for (const d of [keen, gone]) {
      await d.send('/reminders on');
      expect(last(d)).toMatch(/^Reminders on: day 1 of each month at 09:00/);
    }
    const bot = keen.bot;
    bot.fake.userBlocksBot(gone.userId);
    const due = (await bot.app.store.findByIdentity(keen.athleteKey))!;
    const after = new Date((await bot.app.store.athlete(due.id).reminder())!.nextDueAt!.getTime() + 60_000);
    const ticker = new ReminderTicker({
      store: bot.app.store,
      directory: { open: (key) => bot.telegram.open(key) },
      clock: () => after,
      claimant: 'telegram-test',
    });
    expect(await ticker.tick()).toEqual({ sent: 1, disabled: 1, failed: 0, skipped: 0 });
    expect(last(keen)).toMatch(/^Hi Rider 1 — your month in review\n/);
    // no rides yet: the month without rides offers a fresh analysis or the plan (not "nothing to do")
    expect(keen.messages().at(-1)!.buttons).toEqual([['Analyze now', "This week's plan"]]);
    const goneId = (await bot.app.store.findByIdentity(gone.athleteKey))!.id;
    expect(await bot.app.store.athlete(goneId).reminder()).toMatchObject({ disabledReason: expect.stringMatching(/blocked/) });
  }, 60_000);

  it('a second /analyze while one runs is refused, over Telegram too', async () => {
    // A coach that waits for the test: the run is certainly still going when the second /analyze arrives.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const offline = createOfflineCoach();
    const provider: LlmProvider = {
      name: 'gated',
      model: 'gated-1',
      check: offline.check.bind(offline),
      complete: async (request) => (await gate, offline.complete(request)),
    };
    const d = await athlete('gated.db', 1, { provider });
    await d.sendFiles(recentRides(NOW, 4, 51));
    await d.send('/analyze');
    await d.send('/analyze');
    expect(last(d)).toMatch(/An analysis is already running for you \(run [0-9a-f]{8}\)/);
    release();
    await d.waitFor(() => htmlReports(d).length === 3, 120_000, 'three HTML reports');
    expect(d.messages().filter((m) => m.text.startsWith('Your analysis is ready'))).toHaveLength(1);
  }, 180_000);

  it("ten athletes uploading and analysing at once each get their own reports, never another's", async () => {
    const athletes = await Promise.all(Array.from({ length: 10 }, (_, i) => athlete('crowd.db', 11 + i)));
    const ftpOf = (i: number) => 207 + i * 7;
    await Promise.all(
      athletes.map(async (d, i) => {
        await d.send(`ftp ${ftpOf(i)}`);
        await d.sendFiles(recentRides(NOW, 6, 60 + i));
        expect(last(d)).toMatch(/6 new activities stored/);
        await d.press('Analyze now');
        await d.waitFor(() => htmlReports(d).length === 3, 240_000, `three HTML reports for Rider ${11 + i}`);
      }),
    );
    const fake = athletes[0]!.bot.fake;
    expect(fake.chatsWithBotOutput().sort()).toEqual(athletes.map((d) => d.chatId).sort());
    for (const [i, d] of athletes.entries()) {
      const name = `Rider ${11 + i}`;
      const summary = d.messages().find((m) => m.text.startsWith('Your analysis is ready'))!.text;
      expect(summary).toMatch(new RegExp(`FTP ${ftpOf(i)} W`));
      const docs = htmlReports(d);
      expect(docs.map((f) => f.fileName).sort()).toEqual(REPORTS);
      for (const doc of docs) {
        const html = text(doc);
        // Whose report is it? Every athlete name in it is this athlete's.
        const owners = new Set([...html.matchAll(/Rider \d+/g)].map((m) => m[0]));
        expect([doc.fileName, [...owners]]).toEqual([doc.fileName, [name]]);
        const ftps = new Set([...html.matchAll(new RegExp(`FTP (\\d+)${NNBSP}W`, 'g'))].map((m) => Number(m[1])));
        if (doc.fileName !== 'performance_dashboard.html') expect([doc.fileName, [...ftps]]).toEqual([doc.fileName, [ftpOf(i)]]);
        for (const [j] of athletes.entries()) if (j !== i) expect(ftps.has(ftpOf(j))).toBe(false);
      }
    }
  }, 300_000);
});
