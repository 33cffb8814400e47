/**
 * The athlete's first week with the coach, on every chat platform: what a message without a ride
 * file gets, a damaged file salvaged to seconds, listing and deleting rides (load and plan after
 * it), buttons of old messages, the same analysis not run twice, calendar UIDs that stay put
 * across analyses, and the chat that issued a /link code being told it was used.
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { recentRides, syntheticRideBytes } from '../support/synthetic-files.js';
import { suiteAthletes, type ChatDriver, type DriverFactory } from './driver.js';

const last = (d: ChatDriver) => d.messages().at(-1)?.text ?? '';
const NOW = new Date();
const summaries = (d: ChatDriver) => d.messages().filter((m) => /Your analysis is ready/.test(m.text));
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Waits for the `count`-th analysis summary. */
const analysed = (d: ChatDriver, count: number) => d.waitFor(() => summaries(d).length >= count, 60_000, `analysis summary ${count}`);

/** The events of the newest training-plan.ics the bot sent: UID, SEQUENCE and date. */
function calendarEvents(d: ChatDriver): { uid: string; sequence: number; date: string }[] {
  const ics = d
    .files()
    .filter((f) => f.fileName === 'training-plan.ics')
    .at(-1)!;
  return new ICAL.Component(ICAL.parse(decode(ics.content))).getAllSubcomponents('vevent').map((e) => ({
    uid: String(e.getFirstPropertyValue('uid')),
    sequence: Number(e.getFirstPropertyValue('sequence')),
    date: String(e.getFirstPropertyValue('dtstart')),
  }));
}

export function runFirstWeekContract(factory: DriverFactory): void {
  describe(`first week: uploads, activities, stale buttons, calendar, link — ${factory.name}`, () => {
    const { athlete } = suiteAthletes(factory, 'first-week', 100);

    it('a photo, a sticker or a voice note is answered with what I read; nothing is stored', async () => {
      const d = await athlete();
      await d.sendMedia('photo');
      expect(last(d)).toMatch(
        /^That is a photo: there is no ride in it that I can read\. I read rides from files: \.fit or \.fit\.gz files .*a \.zip of them.*Strava export.*activities\.csv/s,
      );
      await d.sendMedia('sticker');
      expect(last(d)).toMatch(/^That is a sticker: .*\.fit/s);
      await d.sendMedia('voice');
      expect(last(d)).toMatch(/^That is (a voice message|an audio recording): .*\.fit/s);
      await d.send('/status');
      expect(last(d)).toMatch(/^Status\n0 activities stored/m);
    });

    it('a damaged file salvaged to a few seconds is refused as too short (too-short), and nothing of it is stored', async () => {
      const d = await athlete();
      // Cut after ~15 s of records: the decoder salvages those seconds, the upload refuses them.
      const stub = syntheticRideBytes(7, new Date(NOW.getTime() - 2 * 86_400_000)).subarray(0, 500);
      await d.sendFiles([{ fileName: 'crashed.fit', content: stub }]);
      expect(last(d)).toMatch(/1 file could not be read — nothing from it was stored/);
      expect(last(d)).toMatch(
        /✗ crashed\.fit: only \d{1,2} s of this ride could be read — the file is damaged, and a few seconds are too short to count \(too-short\)/,
      );
      expect(d.messages().at(-1)!.buttons.flat()).not.toContain('Analyze now');
      await d.send('/status');
      expect(last(d)).toMatch(/^Status\n0 activities stored/m);
      // Next to a good ride, only the good one is stored.
      const before = d.messages().length;
      await d.sendFiles([{ fileName: 'crashed.fit', content: stub }, ...recentRides(NOW, 1, 71)]);
      const summary = d.messages()[before]!.text;
      expect(summary).toMatch(/1 new activity stored/);
      expect(summary).toMatch(/crashed\.fit: only \d+ s .*\(too-short\)/);
      // a ride of the last days: then its post-ride message, one
      expect(
        d
          .messages()
          .slice(before + 1)
          .map((m) => m.text),
      ).toEqual([expect.stringMatching(/^Ride · \w+day \d{1,2} \w{3}\n\d.* W.*\nForm: /s)]);
      await d.send('/activities');
      expect(last(d)).toMatch(/^Your 1 activity\n/);
    });

    it('/activities lists the recent rides; /delete removes one after a confirmation that works once; the next analysis leaves it out and the plan it made is marked out of date', async () => {
      const d = await athlete();
      await d.send('ftp 250');
      await d.send('I can ride Tue Thu Sat Sun, 7h');
      await d.sendFiles(recentRides(NOW, 5, 81));
      await d.send('/analyze');
      await analysed(d, 1);
      expect(summaries(d)[0]!.text, 'the first plan starts the check-ins').toMatch(/I will check in on your plan every Monday/);
      expect(summaries(d)[0]!.text).toMatch(/: 5 activities,/);

      await d.send('/activities');
      const list = last(d);
      expect(list).toMatch(/^Your 5 activities\n/);
      const rows = list.split('\n').filter((l) => / · id [0-9a-f]{8}$/.test(l));
      expect(rows).toHaveLength(5);
      // date, name or sport, moving time, distance, NP and TSS (FTP 250), short id; newest first
      for (const row of rows)
        expect(row).toMatch(/^\d{4}-\d{2}-\d{2} .+ — (\d+:\d{2} h|\d+ min), \d+\.\d km, NP \d+ W, TSS \d+ · id [0-9a-f]{8}$/);
      const dates = rows.map((r) => r.slice(0, 10));
      expect([...dates].sort().reverse()).toEqual(dates);
      const id = /id ([0-9a-f]{8})$/.exec(rows[0]!)![1]!;

      await d.send('/delete ffff0000');
      expect(last(d)).toMatch(/No activity of yours has the id ffff0000/);
      await d.send(`/delete ${id}`);
      expect(last(d)).toMatch(/^Delete this activity\?\n\d{4}-\d{2}-\d{2} /);
      await d.press('No, keep it');
      expect(last(d)).toMatch(/^Nothing was deleted\./);
      await d.send(`/delete ${id}`);
      await d.press('Yes, delete it');
      expect(last(d)).toMatch(/^Deleted: \d{4}-\d{2}-\d{2} .+\. 4 activities remain\./);
      expect(last(d)).toMatch(/computed without it from the next \/analyze/);
      expect(last(d)).toMatch(/Your current plan was made with it, so it is now marked out of date \(it is not regenerated by itself\)/);
      // the same confirmation again: it did its job once
      await d.press('Yes, delete it');
      expect(last(d)).toMatch(/already deleted: this button is out of date/);
      await d.send('/activities');
      expect(last(d)).toMatch(/^Your 4 activities\n/);
      expect(last(d)).not.toContain(`id ${id}`);
      await d.send('/plan');
      await d.waitFor(
        () => d.messages().some((m) => /Out of date: This plan was made with an activity you deleted since/.test(m.text)),
        10_000,
        'the stale note',
      );

      // load recomputed: a new analysis runs (the inputs changed) and counts 4 rides
      await d.send('/analyze');
      await analysed(d, 2);
      expect(summaries(d)[1]!.text).toMatch(/: 4 activities,/);
      await d.send('/plan');
      await d.waitFor(() => d.files().filter((f) => f.fileName === 'training-plan.ics').length === 2, 10_000, 'the new calendar');
      expect(d.messages().filter((m) => /Out of date:/.test(m.text))).toHaveLength(1);
    });

    it('buttons of old messages do their job once or say they are out of date; an unchanged analysis is sent again, not rerun; calendar UIDs stay across analyses', async () => {
      const d = await athlete();
      await d.send('ftp 240');
      await d.send('I can ride Mon Wed Sat, 6h');
      await d.sendFiles(recentRides(NOW, 4, 91));
      await d.press('Analyze now');
      await analysed(d, 1);
      await d.send('/plan');
      await d.waitFor(() => d.files().some((f) => f.fileName === 'training-plan.ics'), 10_000, 'the calendar');
      const first = calendarEvents(d);

      // "Analyze now" of that upload again, after the analysis it started
      await d.press('Analyze now');
      expect(last(d)).toMatch(
        /That button is out of date: these rides are already in your analysis of \d{4}-\d{2}-\d{2} \(run [0-9a-f]{8}\)/,
      );

      // /analyze with nothing changed: the stored analysis again, no new run
      const htmlBefore = d.files().filter((f) => f.fileName.endsWith('.html')).length;
      await d.send('/analyze');
      await d.waitFor(() => d.files().filter((f) => f.fileName.endsWith('.html')).length === htmlBefore + 3, 10_000, 'the reports again');
      const resent = d.messages().find((m) => /unchanged/.test(m.text))!;
      expect(resent.text).toMatch(
        /Nothing changed since your analysis of \d{4}-\d{2}-\d{2} .*This does not count against your daily analyses\./s,
      );
      expect(d.messages().filter((m) => /^Analysis [0-9a-f]{8}/.test(m.text))).toHaveLength(1);
      await d.send('/export');
      const exported = await d.waitFor(() => d.files().find((f) => f.fileName.startsWith('domestique-export-')), 10_000, 'the export');
      expect(JSON.parse(decode(exported.content)).runs).toHaveLength(1);

      // a profile change is a new input: a new analysis, whose plan updates the same calendar events
      await new Promise((r) => setTimeout(r, 1100)); // SEQUENCE counts seconds
      await d.send('ftp 255');
      await d.send('/analyze');
      await analysed(d, 2);
      expect(d.messages().filter((m) => /^Analysis [0-9a-f]{8}/.test(m.text))).toHaveLength(2);
      await d.send('/plan');
      await d.waitFor(() => d.files().filter((f) => f.fileName === 'training-plan.ics').length === 2, 10_000, 'the second calendar');
      const second = calendarEvents(d);
      const before = new Map(first.map((e) => [e.uid, e]));
      const kept = second.filter((e) => before.has(e.uid));
      expect(kept.length).toBe(second.length); // same plan start, same days: every slot is the same event
      for (const e of kept) {
        expect(e.date).toBe(before.get(e.uid)!.date);
        expect(e.sequence).toBeGreaterThan(before.get(e.uid)!.sequence);
      }
      expect(new Set(second.map((e) => e.uid)).size).toBe(second.length);

      // a confirmation pressed twice
      await d.send('/forget');
      await d.press('Yes, delete everything');
      expect(last(d)).toMatch(/^Done: your profile, 4 activities/);
      await d.press('Yes, delete everything');
      expect(last(d)).toMatch(/That button is out of date: nothing was deleted/);
    });

    it('the chat that issued a /link code is told when it is used', async () => {
      const first = await athlete();
      await first.sendFiles(recentRides(NOW, 1, 95));
      await first.send('/link');
      const code = /\/link (\d{3}-\d{3})/.exec(last(first))![1]!;
      const before = first.messages().length;
      const second = await athlete();
      await second.send(`/link ${code}`);
      expect(last(second)).toMatch(/^Linked: this chat now shares the history/);
      await first.waitFor(() => first.messages().length > before, 10_000, 'the note to the issuing chat');
      expect(last(first)).toMatch(/^Your (Telegram|Discord|other chat) account was linked to this history with the code from here/);
    });
  });
}
