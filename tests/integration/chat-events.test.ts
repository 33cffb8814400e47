/**
 * /event in chat, on a real database: events added (the plan made again for them, a new version
 * that says why), listed, removed by number, date or name; past dates and an eleventh event ahead
 * refused; without a profile good enough for a plan the event is kept and the plan waits for
 * /analyze; /export holds the events and /forget removes them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileFields } from '../../src/domain/profile.js';
import { EMPTY_PROFILE } from '../../src/domain/profile.js';
import { athleteEvents } from '../../src/store/coaching-schema.js';
import type { AthleteStore } from '../../src/store/store.js';
import { testChat, type TestChat } from '../support/chat-app.js';

/** Wednesday 10 March 2027, 09:00 UTC. */
const NOW = new Date('2027-03-10T09:00:00Z');
const PROFILE: ProfileFields = { ...EMPTY_PROFILE, ftp: 250, weeklyHours: 7, trainingDays: ['tue', 'thu', 'sat', 'sun'] };

const chats: TestChat[] = [];
afterEach(async () => {
  while (chats.length > 0) await chats.pop()!.close();
});

async function setup(key: string, profile: ProfileFields | null) {
  const chat = await testChat({}, { clock: () => NOW });
  chats.push(chat);
  const t = chat.thread(key);
  const store = chat.app.store;
  const athlete: AthleteStore = store.athlete((await store.athleteForIdentity(key, key)).id);
  if (profile) await athlete.updateProfile(profile, new Date('2027-01-01T00:00:00Z'));
  const event = (args: string) => t.send({ kind: 'command', name: 'event', args });
  return { chat, t, athlete, event };
}

describe('/event', () => {
  it('adds events and makes the plan again for them, lists them by date, removes by number, date or name', async () => {
    const { athlete, event } = await setup('memory:ev1', PROFILE);
    const added = await event('add 2027-06-14 A Marmotte');
    expect(added).toMatch(/^Added: Marmotte \(A\) on 14 June 2027, in 14 weeks — the plan peaks and tapers for it\.\n/);
    let current = (await athlete.coaching.currentPlanVersion())!;
    expect(current.version).toBe(1);
    expect(current.reason).toBe('Event added: Marmotte (A) on 14 June 2027');
    expect(current.input.events).toEqual([expect.objectContaining({ date: '2027-06-14', priority: 'A', name: 'Marmotte' })]);
    // the plan starts on the coming Monday
    expect(current.plan.weeks[0]!.days[0]!.date).toBe('2027-03-15');
    expect(added).toContain(`Your plan is made again for your events (version 1): ${current.changes[0]!.text}`);

    expect(await event('add 2 May 2027 C Local crit')).toMatch(/^Added: Local crit \(C\) on 2 May 2027, in 8 weeks — trained through\./);
    expect(await event('add 2027-07-04 B Tour of the Alps')).toMatch(/^Added: Tour of the Alps \(B\) .* — a short taper before it\./);
    await event('add 2027-08-01 C Tour of the Hills');
    expect((await athlete.coaching.currentPlanVersion())!.version).toBe(4);

    const list = await event('list');
    expect(list.split('\n').slice(0, 4)).toEqual([
      '1. Sun 2 May 2027 · C · Local crit — in 8 weeks',
      '2. Mon 14 June 2027 · A · Marmotte — in 14 weeks',
      '3. Sun 4 July 2027 · B · Tour of the Alps — in 17 weeks',
      '4. Sun 1 August 2027 · C · Tour of the Hills — in 21 weeks',
    ]);

    expect(await event('remove 1')).toMatch(
      /^Removed: Local crit \(C\) on 2 May 2027\.\nYour plan is made again for your events \(version 5\)/,
    );
    current = (await athlete.coaching.currentPlanVersion())!;
    expect(current.reason).toBe('Event removed: Local crit (C) on 2 May 2027');
    expect(current.input.events!.map((e) => e.name)).toEqual(['Marmotte', 'Tour of the Alps', 'Tour of the Hills']);

    // a part of a name that fits two: the numbers to choose from
    expect(await event('remove tour')).toBe(
      'Several events match "tour":\n2. Tour of the Alps (B) on 4 July 2027\n3. Tour of the Hills (C) on 1 August 2027\nRemove one by its number, e.g. /event remove 2.',
    );
    expect(await event('remove MARMOTTE')).toMatch(/^Removed: Marmotte \(A\) on 14 June 2027\./);
    expect(await event('remove 1 August 2027')).toMatch(/^Removed: Tour of the Hills \(C\) on 1 August 2027\./);
    expect(await event('remove 9')).toMatch(/^No event matches "9"/);
    expect((await athlete.coaching.events()).map((e) => e.name)).toEqual(['Tour of the Alps']);
    expect((await athlete.coaching.currentPlanVersion())!.version).toBe(7);
  }, 120_000);

  it('refuses a past date, the same event twice and an eleventh event ahead', async () => {
    const { athlete, event } = await setup('memory:ev2', PROFILE);
    expect(await event('add 2027-03-09 A Yesterday race')).toBe(
      '9 March 2027 is in the past (today is 10 March 2027). Give the date of an event to come.',
    );
    expect(await athlete.coaching.events()).toEqual([]);
    // a past event and nine ahead, stored as they were added before
    await athlete.coaching.addEvent({ date: '2027-02-01', priority: 'C', name: 'Past crit' });
    for (let i = 1; i <= 9; i++)
      await athlete.coaching.addEvent({ date: `2027-0${4 + (i % 5)}-1${i % 9}`, priority: 'C', name: `Race ${i}` });
    expect(await event('add 2027-09-20 B Tenth')).toMatch(/^Added: Tenth \(B\)/);
    expect(await event('add 2027-09-20 A tenth')).toBe('Tenth (B) on 20 September 2027 is in your list already (/event list).');
    expect(await event('add 2027-09-27 B Eleventh')).toMatch(/^You have 10 events ahead already, the most I keep\./);
    expect(await athlete.coaching.events()).toHaveLength(11);
    // removing the past event does not make the plan again
    const versions = (await athlete.coaching.planVersions()).length;
    expect(await event('remove Past crit')).toBe('Removed: Past crit (C) on 1 February 2027.');
    expect(await athlete.coaching.planVersions()).toHaveLength(versions);
  }, 120_000);

  it('without a profile good enough for a plan, keeps the event and says the plan follows at the next /analyze', async () => {
    const { athlete, event } = await setup('memory:ev3', { ...EMPTY_PROFILE, weeklyHours: 6 });
    const reply = await event('add 2027-06-14 A Marmotte');
    expect(reply.split('\n')[1]).toBe(
      'Your plan follows at the next /analyze. For a plan I need your FTP ("ftp 250"), the days you can ride ("Tue Thu Sat Sun") — write them to me or use /profile.',
    );
    expect(await athlete.coaching.events()).toHaveLength(1);
    expect(await athlete.coaching.currentPlanVersion()).toBeNull();
  }, 60_000);

  it('says how to use it after a mistake, and lists nothing when there is nothing', async () => {
    const { event } = await setup('memory:ev4', PROFILE);
    expect(await event('')).toMatch(/^No events yet\. Add an event with its date/);
    expect(await event('add Marmotte')).toMatch(/^I need the event's date\./);
    expect(await event('remove 1')).toBe('You have no events to remove. /event add 2027-06-14 A Marmotte adds one.');
  }, 60_000);

  it('are in /export and gone after /forget', async () => {
    const { chat, t, event } = await setup('memory:ev5', null);
    await event('add 2027-06-14 A Marmotte <b>&</b>');
    await t.send({ kind: 'command', name: 'export', args: '' });
    const exported = JSON.parse(Buffer.from(t.files.at(-1)!.content).toString('utf8'));
    expect(exported.events).toEqual([expect.objectContaining({ date: '2027-06-14', priority: 'A', name: 'Marmotte <b>&</b>' })]);
    await t.send({ kind: 'command', name: 'forget', args: '' });
    await t.send({ kind: 'action', action: 'forget:confirm' });
    expect(chat.app.store.db.select().from(athleteEvents).all()).toEqual([]);
    expect(await event('list')).toMatch(/^No events yet/);
  }, 60_000);
});
