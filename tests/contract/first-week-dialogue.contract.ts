/**
 * The athlete's first week in words, on every chat platform: onboarding that takes answers as
 * people write them (hedged numbers, cities and zone names, dates written out, a correction or a
 * question on the way) and reviews a finished profile on /start; free text without a model
 * (help, thanks, analyze, distance from the stored rides, whether to skip today's workout,
 * off-topic questions); and reminders (7pm or 19:00, the next one in the athlete's zone, a month
 * without rides). Time moves with the clock the app is given, never with sleeps.
 */
import { describe, expect, it } from 'vitest';
import type { ChatApp } from '../../src/app/chat-app.js';
import { ReminderTicker } from '../../src/conversation/reminders.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRun } from '../../src/synthetic/synthetic-run.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';
import { suiteAthletes, type ChatDriver, type DriverFactory } from './driver.js';

export interface FirstWeekDialoguePlatform {
  factory: DriverFactory;
  /** The app behind the drivers on this database (its store and chat directory drive the reminder ticker). */
  app(dbPath: string): Promise<ChatApp | null>;
}

const last = (d: ChatDriver) => d.messages().at(-1)?.text ?? '';
const buttons = (d: ChatDriver) => d.messages().at(-1)?.buttons.flat() ?? [];
const oneDecimal = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A ride as a chat attachment, and the distance the bot will have read from it. */
function ride(seed: number, iso: string, minutes = 60): { file: { fileName: string; content: Uint8Array }; meters: number } {
  const content = syntheticRideBytes(seed, new Date(iso), minutes);
  const decoded = decodeFit(content, `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return { file: { fileName: `ride-${seed}.fit`, content }, meters: decoded.value[0]!.distanceMeters ?? 0 };
}

/**
 * @param platform builds the platform with its app on `clock`, which the suite moves.
 */
export function runFirstWeekDialogueContract(platform: (clock: () => Date) => FirstWeekDialoguePlatform): void {
  let now = new Date('2026-09-15T10:00:00Z'); // a Tuesday
  const { factory, app } = platform(() => now);

  describe(`first week: onboarding words, free text offline, reminders — ${factory.name}`, () => {
    const { athlete, dbPath } = suiteAthletes(factory, 'first-week-dialogue', 300);
    /** One pass of the monthly reminders at `now`, delivered through this platform. */
    const deliverReminders = async () => {
      const running = await app(dbPath());
      if (!running) throw new Error('no app runs on this database');
      return new ReminderTicker({
        store: running.store,
        directory: running.directories,
        clock: () => now,
        claimant: `contract-${factory.name}`,
      }).tick();
    };

    it('onboarding takes "about 250", "~70 kilos", a city, a written-out date, a correction and a question on the way', async () => {
      now = new Date('2026-09-15T10:00:00Z');
      const d = await athlete();
      await d.send('/start');
      expect(last(d)).toMatch(/What is your FTP/);
      await d.send('about 250');
      expect(last(d)).toMatch(/Got it: FTP 250 W\./);
      expect(last(d)).toMatch(/What do you weigh\?/);
      // a question on the way is answered, then the question is asked again
      await d.send('why do you need my weight?');
      expect(last(d)).toMatch(/W\/kg/);
      expect(last(d)).toMatch(/What do you weigh\?/);
      await d.send('~70 kilos');
      expect(last(d)).toMatch(/Got it: weight 70 kg\./);
      expect(last(d)).toMatch(/max heart rate or threshold heart rate\?/);
      // a correction of an earlier answer is applied, and the pending question comes again
      await d.send('oh wait, my ftp is 255');
      expect(last(d)).toMatch(/Updated: FTP 255 W \(was 250 W\)\./);
      expect(last(d)).toMatch(/max heart rate or threshold heart rate\?/);
      await d.send('skip');
      expect(last(d)).toMatch(/Which days can you ride\?/);
      await d.send('Tue Thu Sat Sun');
      expect(last(d)).toMatch(/How many hours a week/);
      await d.send('8ish hours');
      expect(last(d)).toMatch(/Got it: 8 h a week\./);
      await d.send('Marmotte on July 5 2027');
      expect(last(d)).toMatch(/goal "Marmotte on July 5 2027", event 2027-07-05/);
      expect(last(d)).toMatch(/time zone\?/i);
      await d.send('Paris');
      expect(last(d)).toMatch(/Got it: time zone Europe\/Paris\./);
      await d.send('metric');
      expect(d.messages().at(-2)!.text).toMatch(/Your profile is set/);
      await d.press('No reminders');
      // zone names and offsets later on, confirmed as the IANA zone they became
      await d.send('time zone GMT+1');
      expect(last(d)).toMatch(/Updated: time zone Etc\/GMT-1 \(UTC\+1 all year, no summer time/);
      await d.send('time zone CET');
      expect(last(d)).toMatch(/Updated: time zone Europe\/Paris\./);
      await d.send('/profile');
      expect(last(d)).toMatch(/FTP: 255 W \(3\.64 W\/kg\)/);
      expect(last(d)).toMatch(/Marmotte on July 5 2027 \(event 2027-07-05\)/);
    });

    it('/start on a finished profile shows it and offers a review instead of asking everything again', async () => {
      now = new Date('2026-09-15T10:00:00Z');
      const d = await athlete();
      await d.send('ftp 255, weight 70 kg, I can ride Tue Thu Sat Sun, 8h');
      expect(last(d)).toMatch(/Updated: FTP 255 W, weight 70 kg, days tue thu sat sun, 8 h a week\./);
      await d.send('/start');
      expect(last(d)).toMatch(/FTP: 255 W/);
      expect(last(d)).toMatch(/To change something, just write it/);
      expect(last(d)).not.toMatch(/What is your FTP|heart rate\?/);
      expect(buttons(d)).toEqual(['Looks good', 'Go through the questions']);
      await d.press('Go through the questions');
      expect(last(d)).toMatch(/What is your FTP[\s\S]*Now: 255 W/);
      await d.send('keep');
      expect(last(d)).toMatch(/^Kept\.[\s\S]*What do you weigh\?[\s\S]*Now: 70 kg/);
      await d.send('71 kg');
      expect(last(d)).toMatch(/Got it: weight 71 kg\./);
      await d.send('/start');
      await d.press('Looks good');
      expect(last(d)).toMatch(/Send me new rides whenever you have them/);
    });

    it('"help", "thanks" and "analyze" work without a slash', async () => {
      now = new Date('2026-09-15T10:00:00Z');
      const d = await athlete();
      await d.send('help');
      expect(last(d)).toMatch(/\/analyze — /);
      await d.send('thanks!');
      expect(last(d)).toMatch(/welcome/i);
      await d.send('analyze');
      expect(last(d)).toMatch(/no rides to analyse yet/);
    });

    it("without a model, distance questions are answered from the stored rides in the athlete's units; off-topic is said to be", async () => {
      now = new Date('2026-09-15T10:00:00Z');
      const d = await athlete();
      const august = [
        ride(11, '2026-08-03T07:00:00Z', 90),
        ride(12, '2026-08-10T07:00:00Z', 60),
        ride(13, '2026-08-17T07:00:00Z', 120),
        ride(14, '2026-08-24T07:00:00Z', 75),
      ];
      const other = [ride(15, '2026-07-20T07:00:00Z', 60), ride(16, '2026-09-05T07:00:00Z', 90), ride(17, '2026-09-10T07:00:00Z', 60)];
      const run = {
        fileName: 'run.fit',
        content: encodeActivityFit([syntheticRun({ seed: 18, startTime: new Date('2026-08-12T07:00:00Z'), durationSeconds: 2400 })]),
      };
      await d.sendFiles([...august, ...other].map((r) => r.file).concat(run));
      expect(last(d)).toMatch(/8 new activities stored/);
      const km = (rides: { meters: number }[]) => oneDecimal(rides.reduce((s, r) => s + r.meters, 0) / 1000);
      await d.send('how many km did I ride in August?');
      expect(last(d)).toContain(`In August 2026 you rode ${km(august)} km: 4 rides,`);
      expect(last(d)).toMatch(/1 other activity, such as runs, not counted/);
      await d.send('How many km did I ride this year?');
      expect(last(d)).toContain(`This year so far (2026) you rode ${km([...august, ...other])} km: 7 rides,`);
      await d.send('imperial units');
      await d.send('how far did I ride in August?');
      expect(last(d)).toContain(`In August 2026 you rode ${oneDecimal(august.reduce((s, r) => s + r.meters, 0) / 1609.344)} mi: 4 rides,`);
      // off-topic is said to be, not answered with a workout or the form
      await d.send("what's the capital of France?");
      expect(last(d)).toMatch(/off-topic/);
      expect(last(d)).not.toMatch(/Tomorrow|Today \(|TSS \d|TSB/);
      // what a model would need is the operator's business: never in the athlete's chat
      await d.send('Should I buy a new saddle?');
      expect(
        d
          .messages()
          .map((m) => m.text)
          .join('\n'),
      ).not.toMatch(/LLM_PROVIDER|language model/);
    });

    it('"should I skip today\'s workout?" is answered from today\'s plan and the form (TSB) of today', async () => {
      now = new Date('2026-09-15T10:00:00Z');
      const d = await athlete();
      await d.send('ftp 260');
      await d.send('I can ride Tue Thu Sat Sun, 8h');
      await d.sendFiles(
        [
          ride(31, '2026-08-25T07:00:00Z', 90),
          ride(32, '2026-08-30T07:00:00Z', 120),
          ride(33, '2026-09-05T07:00:00Z', 90),
          ride(34, '2026-09-12T07:00:00Z', 60),
        ].map((r) => r.file),
      );
      await d.send('/analyze'); // the plan starts on Monday 21 September
      await d.waitFor(() => d.messages().some((m) => m.text.includes('Your analysis is ready')), 60_000, 'the summary');
      now = new Date('2026-09-22T06:00:00Z'); // Tuesday of the plan's first week
      await d.send("should I skip today's workout?");
      const skip = last(d);
      expect(skip).toMatch(/form \(TSB\) today is -?\d+\.\d/);
      expect(skip).toMatch(/2026-09-22/);
      expect(skip).toMatch(/No — do it|Yes — skip it|Swap it|Nothing is planned today/);
    });

    it("reminders take 7pm and 19:00, refuse other times with the format, and show the next one in the athlete's zone", async () => {
      now = new Date('2026-09-15T10:00:00Z');
      const d = await athlete();
      await d.send('time zone Europe/Paris');
      expect(last(d)).toMatch(/Updated: time zone Europe\/Paris\./);
      await d.send('/reminders on time 7pm');
      expect(last(d)).toMatch(
        /Reminders on: day 1 of each month at 19:00 \(Europe\/Paris\)\. The next one comes on Thu 1 Oct 2026, 19:00 \(Europe\/Paris\)\./,
      );
      await d.send('/reminders time 19:00');
      expect(last(d)).toMatch(/at 19:00 \(Europe\/Paris\)/);
      await d.send('/reminders time 25:00');
      expect(last(d)).toMatch(/"25:00" is not a time I can read\. Write the time like 19:00 or 7pm/);
      await d.send('/reminders time soon');
      expect(last(d)).toMatch(/Write the time like 19:00 or 7pm/);
      await d.send('/reminders');
      expect(last(d)).toMatch(/On: day 1 of each month at 19:00 \(Europe\/Paris\); next Thu 1 Oct 2026, 19:00 \(Europe\/Paris\)/);
      expect(last(d)).not.toMatch(/UTC/);
      await d.send('/reminders off');
      expect(last(d)).toMatch(/Reminders off/);
    });

    it('the reminder after a month without rides asks for the rides or a restart, never "nothing to do"', async () => {
      now = new Date('2026-09-15T10:00:00Z');
      const d = await athlete();
      await d.send('time zone Europe/Paris');
      await d.send('/reminders on');
      // rides in August, none in September
      await d.sendFiles([ride(21, '2026-08-04T07:00:00Z').file, ride(22, '2026-08-18T07:00:00Z').file]);
      now = new Date('2026-10-01T07:05:00Z'); // 09:05 in Paris on 1 October
      expect((await deliverReminders()).sent).toBeGreaterThanOrEqual(1); // this athlete's, whatever other tests left due
      const reminder = await d.waitFor(() => d.messages().find((m) => /month in review/.test(m.text)), 10_000, 'the reminder');
      expect(reminder.text).toMatch(/September 2026: no rides here yet\./);
      expect(reminder.text).toMatch(/If you rode, send me the files/);
      expect(reminder.text).toMatch(/quiet month[\s\S]*plan/);
      expect(reminder.text).not.toMatch(/nothing to do/);
      expect(reminder.buttons.flat()).toEqual(['Analyze now', "This week's plan"]);
      await d.send('/reminders');
      expect(last(d)).toMatch(/next Sun 1 Nov 2026, 09:00 \(Europe\/Paris\)/);
    });
  });
}
