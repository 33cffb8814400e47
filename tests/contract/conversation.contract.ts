/**
 * The conversation from the athlete's side, for every chat platform: onboarding, uploads,
 * analysis, reports, plan, export, forget, bad input, and a restart in the middle of a dialogue.
 */
import { describe, expect, it } from 'vitest';
import { recentRides, syntheticRideBytes } from '../support/synthetic-files.js';
import { suiteAthletes, type ChatDriver, type DriverFactory } from './driver.js';

const last = (d: ChatDriver) => d.messages().at(-1)?.text ?? '';
const NOW = new Date();

export function runConversationContract(factory: DriverFactory): void {
  describe(`conversation contract — ${factory.name}`, () => {
    const { athlete } = suiteAthletes(factory, 'contract', 0);

    it('onboards one question at a time, validates answers and understands free text', async () => {
      const d = await athlete();
      await d.send('/start');
      expect(d.messages()[0]!.text).toMatch(/FTP/);
      await d.send('9999');
      expect(last(d)).toMatch(/FTP must be between 50 and 600 W/);
      await d.send('265');
      expect(last(d)).toMatch(/Got it: FTP 265 W/);
      expect(last(d)).toMatch(/weigh/i);
      await d.send('70kg');
      expect(last(d)).toMatch(/heart rate/i);
      await d.send('max hr 186');
      expect(last(d)).toMatch(/Which days/);
      await d.send('I can ride Tue Thu Sat Sun, 8h');
      expect(last(d)).toMatch(/days tue thu sat sun, 8 h a week/);
      expect(last(d)).toMatch(/goal/i); // hours were answered on the way: not asked again
      await d.send('Marmotte on 2027-07-04');
      expect(last(d)).toMatch(/time zone/i);
      await d.send('Mars/Olympus');
      expect(last(d)).toMatch(/not a time zone I know/);
      await d.send('Europe/Berlin');
      await d.send('metric');
      expect(d.messages().at(-2)!.text).toMatch(/Your profile is set/);
      expect(last(d)).toMatch(/remind you once a month/);
      await d.press('Yes, remind me monthly');
      expect(last(d)).toMatch(/Reminders on: day 1 of each month at 09:00 \(Europe\/Berlin\)/);
      // moving to New York moves the reminder with the athlete: 09:00 there, shown in their zone
      await d.send('America/New_York');
      await d.send('/reminders');
      expect(last(d)).toMatch(
        /On: day 1 of each month at 09:00 \(America\/New_York\); next \w{3} 1 \w{3} \d{4}, 09:00 \(America\/New_York\)/,
      );
      await d.send('/profile');
      const profile = last(d);
      expect(profile).toMatch(/FTP: 265 W \(3\.79 W\/kg\)/);
      expect(profile).toMatch(/Training days: Tue Thu Sat Sun; hours per week: 8\.0 h/);
      expect(profile).toMatch(/Marmotte on 2027-07-04.*event 2027-07-04/s);
      await d.send('ftp 270');
      expect(last(d)).toMatch(/Updated: FTP 270 W \(was 265 W\)/);
      // a correction the same day replaces that day's value: one row, not "265 W, then 270 W"
      await d.send('/profile history');
      expect(last(d)).toMatch(/: 270 W/);
      expect(last(d)).not.toMatch(/265 W/);
    });

    it('"I don\'t know" my FTP is fine, and the dialogue survives a restart', async () => {
      const d = await athlete();
      await d.send('/start');
      await d.send("I don't know");
      expect(last(d)).toMatch(/estimate your FTP/);
      await d.restart();
      await d.send('68 kg');
      expect(last(d)).toMatch(/Got it: weight 68 kg/);
      expect(last(d)).toMatch(/heart rate/i);
    });

    it('stores uploads once, says what was new and what failed, and offers to analyse', async () => {
      const d = await athlete();
      const rides = recentRides(NOW, 3, 7);
      await d.sendFiles(rides);
      expect(last(d)).toMatch(/3 new activities stored/);
      expect(d.messages().at(-1)!.buttons.flat()).toContain('Analyze now');
      await d.sendFiles(rides.slice(0, 2));
      expect(last(d)).toMatch(/0 new activities stored, 2 already there/);
      const truncated = syntheticRideBytes(99, new Date(NOW.getTime() - 86_400_000)).subarray(0, 60);
      await d.sendFiles([{ fileName: 'broken.fit', content: truncated }]);
      expect(last(d)).toMatch(/could not be read — nothing from it was stored/);
      expect(last(d)).toMatch(/broken\.fit/);
      await d.send('/status');
      expect(last(d)).toMatch(/^Status\n3 activities stored/m);
    });

    it('analyses with progress, then sends a summary and the three reports; /report and /plan resend them', async () => {
      const d = await athlete();
      await d.send('ftp 250');
      await d.send('I can ride Mon Wed Sat, 6h');
      await d.sendFiles(recentRides(NOW, 8, 11));
      await d.press('Analyze now');
      await d.waitFor(() => d.messages().some((m) => m.text.includes('Your analysis is ready')), 60_000, 'the summary');
      const status = d.messages().find((m) => m.text.startsWith('Analysis '))!;
      expect(status.edits).toBeGreaterThan(0);
      expect(status.text).toMatch(/✓ Report generation/);
      const summary = d.messages().find((m) => m.text.includes('Your analysis is ready'))!.text;
      const ctl = /CTL (\d+(?:\.\d)?)/.exec(summary)![1]!;
      const html = await d.waitFor(
        () => {
          const docs = d.files().filter((f) => f.fileName.endsWith('.html'));
          return docs.length === 3 ? docs : null;
        },
        30_000,
        'three HTML reports',
      );
      expect(html.map((f) => f.fileName).sort()).toEqual(['coaching_insights.html', 'index.html', 'performance_dashboard.html']);
      expect(new TextDecoder().decode(html.find((f) => f.fileName === 'index.html')!.content)).toContain(ctl);
      await d.send('/report');
      await d.waitFor(() => d.files().filter((f) => f.fileName.endsWith('.html')).length === 6, 10_000, 'the reports again');
      await d.send('/plan');
      await d.waitFor(() => d.files().some((f) => f.fileName === 'training-plan.ics'), 10_000, 'the calendar');
      expect(d.messages().some((m) => /Week \d+ \((base|build|peak|recovery|taper)\)/.test(m.text))).toBe(true);
      // the summary's buttons: this week's and next week's plan
      const weeks = () =>
        d
          .messages()
          .map((m) => /^(?:This|Next) week\nWeek (\d+) \(/.exec(m.text)?.[1])
          .filter((w) => w !== undefined)
          .map(Number);
      const before = weeks().length;
      await d.press('Next week');
      await d.waitFor(() => weeks().length > before, 10_000, "next week's plan");
      await d.press("This week's plan");
      await d.waitFor(() => weeks().length > before + 1, 10_000, "this week's plan");
      const [next, thisWeek] = weeks().slice(before);
      expect(next).toBe(thisWeek! + 1);
    });

    it('one analysis at a time per athlete', async () => {
      const d = await athlete();
      await d.sendFiles(recentRides(NOW, 4, 21));
      await d.send('/analyze');
      await d.send('/analyze');
      expect(d.messages().some((m) => /already running/.test(m.text))).toBe(true);
      await d.waitFor(() => d.messages().some((m) => m.text.includes('Your analysis is ready')), 60_000, 'the summary');
    });

    it('answers bad input with what to do', async () => {
      const d = await athlete();
      await d.send('/frobnicate');
      expect(last(d)).toMatch(/I don't know \/frobnicate/);
      await d.send('what a lovely day');
      expect(last(d)).toMatch(/I can answer questions about your fitness/);
      await d.send('/analyze');
      expect(last(d)).toMatch(/no rides to analyse yet/);
      await d.send('/report');
      expect(last(d)).toMatch(/No report yet/);
      await d.sendFiles([{ fileName: 'route.gpx', content: new TextEncoder().encode('<?xml version="1.0"?><gpx></gpx>') }]);
      expect(last(d)).toMatch(/GPX/);
    });

    it('exports everything, and forgets everything after confirmation', async () => {
      const d = await athlete();
      await d.send('ftp 240');
      await d.sendFiles(recentRides(NOW, 2, 31));
      await d.send('/export');
      const exported = await d.waitFor(() => d.files().find((f) => f.fileName.startsWith('domestique-export-')), 10_000, 'the export');
      const json = JSON.parse(new TextDecoder().decode(exported.content));
      expect(json.activities).toHaveLength(2);
      expect(json.profileHistory[0].ftp).toBe(240);
      await d.send('/forget');
      await d.press('No, keep it');
      expect(last(d)).toMatch(/Nothing was deleted/);
      await d.send('/forget');
      await d.press('Yes, delete everything');
      expect(last(d)).toMatch(/deleted/);
      await d.send('/status');
      expect(last(d)).toMatch(/0 activities stored/);
      await d.send('/profile');
      expect(last(d)).toMatch(/FTP: not set/);
    });

    it("answers questions from the athlete's own data, and a question never changes the profile", async () => {
      const d = await athlete();
      await d.send('ftp 260');
      await d.send('I can ride Tue Thu Sat Sun, 8h');
      await d.sendFiles(recentRides(NOW, 6, 51));
      await d.send('what is my ftp?');
      expect(last(d)).toMatch(/^Your FTP is 260 W/);
      await d.send('Is my FTP of 250 too low?');
      expect(last(d)).toMatch(/^Your FTP is 260 W/);
      await d.send('I rode 3 hours yesterday, was that too much?');
      await d.send('Can I do the Marmotte on 2027-07-04?');
      await d.send('how fit am I');
      expect(last(d)).toMatch(/fitness \(CTL\) \d+\.\d, fatigue \(ATL\) \d+\.\d, form \(TSB\) -?\d+\.\d/);
      await d.send('/profile');
      expect(last(d)).toMatch(/FTP: 260 W/);
      expect(last(d)).toMatch(/hours per week: 8\.0 h/);
      expect(last(d)).not.toMatch(/2027-07-04/);
      await d.send('Should I buy a new saddle?');
      expect(last(d)).toMatch(/That one I can't answer from your rides and plan/);
    });

    it('links a second chat to one history with a one-time code; a chat with its own rides is not overwritten', async () => {
      const first = await athlete();
      await first.send('ftp 281');
      await first.sendFiles(recentRides(NOW, 3, 61));
      await first.send('/link');
      const code = /\/link (\d{3}-\d{3})/.exec(last(first))![1]!;
      // a chat that already holds rides refuses to be linked over
      const busy = await athlete();
      await busy.sendFiles(recentRides(NOW, 1, 62));
      await busy.send(`/link ${code}`);
      expect(last(busy)).toMatch(/already holds its own history \(1 activities\)/);
      // a fresh chat joins; the code then works no more
      const second = await athlete();
      await second.send('/link 000-000');
      expect(last(second)).toMatch(/unknown or has expired/);
      await second.send(`/link ${code}`);
      expect(last(second)).toMatch(/Linked: this chat now shares the history of .* — 3 activities, FTP 281 W/);
      await second.send('/status');
      expect(last(second)).toMatch(/^Status\n3 activities stored/m);
      const third = await athlete();
      await third.send(`/link ${code}`);
      expect(last(third)).toMatch(/unknown or has expired/);
      // guessing is cut short: a few wrong codes an hour
      for (let i = 0; i < 4; i++) await third.send('/link 999-99' + String(i));
      await third.send('/link 123-456');
      expect(last(third)).toMatch(/Too many wrong codes/);
      // what the second chat adds, the first one sees
      await second.sendFiles([
        { fileName: 'from-the-other-app.fit', content: syntheticRideBytes(63, new Date(NOW.getTime() - 20 * 86_400_000 + 3 * 3_600_000)) },
      ]);
      expect(last(second)).toMatch(/1 new activity stored/);
      await first.send('/status');
      expect(last(first)).toMatch(/^Status\n4 activities stored/m);
    });

    it("another athlete on the same bot never gets this athlete's data, whatever they send", async () => {
      const anna = await athlete();
      await anna.send('ftp 287');
      await anna.send('goal: ANNA-PRIVATE-GOAL');
      await anna.send('/profile');
      expect(last(anna)).toContain('ANNA-PRIVATE-GOAL');
      const annaRides = recentRides(NOW, 4, 41);
      await anna.sendFiles(annaRides);
      await anna.send('/analyze');
      await anna.waitFor(() => anna.messages().some((m) => m.text.includes('Your analysis is ready')), 60_000, "Anna's summary");
      const runId = /^Analysis ([0-9a-f]{8})/m.exec(
        anna
          .messages()
          .map((m) => m.text)
          .join('\n'),
      )![1]!;

      const ben = await athlete();
      await ben.send('/report');
      expect(last(ben)).toMatch(/No report yet/);
      await ben.send('/plan');
      expect(last(ben)).toMatch(/no plan yet/);
      await ben.send(`/report ${runId}`);
      expect(last(ben)).toMatch(/No report yet/);
      await ben.send('/status');
      expect(last(ben)).toMatch(/0 activities stored/);
      await ben.send('what is my ftp?');
      await ben.send('how fit am I?');
      // the same file names and bytes are Ben's own rides, not a link to Anna's
      await ben.sendFiles(annaRides.slice(0, 1));
      expect(last(ben)).toMatch(/1 new activit(y|ies) stored/);
      await ben.send('/export');
      const exported = await ben.waitFor(
        () => ben.files().find((f) => f.fileName.startsWith('domestique-export-')),
        10_000,
        "Ben's export",
      );
      const json = JSON.parse(new TextDecoder().decode(exported.content));
      expect(json.activities).toHaveLength(1);
      expect(json.runs).toEqual([]);
      expect(json.reportFiles).toEqual([]);

      const everythingBenGot = [...ben.messages().map((m) => m.text), ...ben.files().map((f) => new TextDecoder().decode(f.content))].join(
        '\n',
      );
      expect(everythingBenGot).not.toContain('ANNA-PRIVATE-GOAL');
      expect(everythingBenGot).not.toMatch(/287 W/);
      expect(everythingBenGot).not.toContain(runId);
      expect(ben.files().filter((f) => f.fileName.endsWith('.html'))).toEqual([]);
    });
  });
}
