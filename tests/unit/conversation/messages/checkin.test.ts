/**
 * The words of the weekly check-in: the rule coach's (last week planned against done, form now,
 * what changed), the message with the week ahead and its three answers, without a plan, and the
 * words of /checkin.
 */
import { describe, expect, it } from 'vitest';
import {
  checkinReply,
  checkinSetText,
  checkinShownText,
  checkinWords,
  lessTimeText,
  weekdayName,
} from '../../../../src/conversation/messages/checkin.js';
import type { CheckinSettings } from '../../../../src/domain/coaching/types.js';
import { checkinReviewFixture as review, FIXTURE_PLAN as plan } from '../../../support/checkin-fixture.js';
import { version } from '../../../support/compliance-fixture.js';

describe('the rule coach', () => {
  it('says last week against the plan — sessions, hours, TSS, what was missed, rides not in it — form now and what changed', () => {
    const words = checkinWords(review());
    const lines = words.split('\n');
    expect(lines[0]).toBe(
      'Last week (Mon 2 Mar – Sun 8 Mar): 2 of 3 planned sessions ridden (1 partly); 3.5 of 3.9 h and 171 of 220 TSS planned.',
    );
    expect(lines).toContain("Missed: Thursday's Threshold 2×10.");
    expect(lines).toContain('1 ride not in the plan.');
    expect(words).toContain('Form now: fitness (CTL) 41.3, fatigue (ATL) 48.0, form (TSB) -6.8 — you are in balance');
    expect(words).toContain("What changed in your plan since the last check-in:\n• Thursday's Threshold 2×10 is dropped: missed.");
    expect(lines.at(-1)).toBe('How does the week ahead look?');
  });

  it('praises a week ridden in full, warns of deep fatigue, says when nothing changed', () => {
    const full = review({ changes: [] });
    full.last = { ...full.last, done: { ...full.last.done, sessions: 3 }, missed: [], partial: 0 };
    expect(checkinWords(full)).toMatch(/Every planned session ridden — well done\./);
    expect(checkinWords(full)).toContain('No changes to your plan since the last check-in.');
    const tired = checkinWords(review({ form: { ctl: 60, atl: 95, tsb: -35 } }));
    expect(tired).toMatch(/very fatigued/);
    expect(tired).toMatch(/press "I'm ill\/tired"/);
  });

  it('a check-in late in the week counts the sessions still to come', () => {
    const r = review();
    r.last = { ...r.last, ahead: 1 };
    expect(checkinWords(r)).toMatch(/2 of 3 planned sessions ridden \(1 partly\), 1 still to come;/);
  });

  it('without a plan: the rides of last week, form, and how to get a plan', () => {
    const r = review({ hasPlan: false, changes: [] });
    r.last = { ...r.last, planned: { sessions: 0, hours: 0, tss: 0 }, missed: [], extra: 0 };
    const words = checkinWords(r);
    expect(words.split('\n')[0]).toBe('Last week (Mon 2 Mar – Sun 8 Mar): 3 rides, 3.5 h, 171 TSS.');
    expect(words).not.toMatch(/What changed|No changes/);
    expect(words).toMatch(/\/analyze makes one/);
    const reply = checkinReply(r, words);
    expect(reply.buttons?.flat().map((b) => b.action)).toEqual(['analyze']);
  });
});

describe('the check-in message', () => {
  it('holds the words, then the week ahead with its states, and the three answers', () => {
    const reply = checkinReply(review(), 'WORDS');
    expect(reply.title).toBe('Hi Anna — your weekly check-in');
    expect(reply.text.startsWith('WORDS\n\nThe week ahead (Mon 9 Mar – Sun 15 Mar):\nWeek 2 (base)')).toBe(true);
    expect(reply.text).toMatch(/Tue 03-10: Sweet spot 3×10/);
    expect(reply.buttons).toEqual([
      [
        { label: 'Looks good', action: 'checkin:ok' },
        { label: "I'm ill/tired", action: 'checkin:unwell' },
        { label: 'Less time this week', action: 'checkin:less-time' },
      ],
    ]);
  });

  it('a plan with no week ahead: says so, and offers a new analysis', () => {
    const r = review();
    r.coming = { ...r.coming, week: null, statuses: [] };
    const reply = checkinReply(r, 'WORDS');
    expect(reply.text).toMatch(/no week ahead/);
    expect(reply.buttons?.flat().map((b) => b.action)).toEqual(['analyze']);
  });

  it('"Less time this week": the new version and its changes, or that nothing needed to change', () => {
    const v = version(3, plan, '2026-03-09T08:05:00Z', 'Less time this week: 2.5 h', [
      { kind: 'less-time', text: 'Saturday shortened to 1:00.' },
    ]);
    const changed = lessTimeText(v, 'Less time this week (2.5 h, two thirds of the 3.9 h left)');
    expect(changed.text).toBe(
      'Less time this week (2.5 h, two thirds of the 3.9 h left): your plan is now version 3 (Less time this week: 2.5 h):\n• Saturday shortened to 1:00.',
    );
    expect(lessTimeText(null, 'Less time').text).toMatch(/nothing needed to change/);
  });
});

describe('/checkin', () => {
  const settings: CheckinSettings = {
    enabled: true,
    weekday: 'sun',
    timeOfDay: '19:30',
    timeZone: 'Europe/Paris',
    channelKey: 'telegram:1',
    nextDueAt: new Date('2026-03-15T18:30:00Z'),
    lastSentAt: null,
    disabledReason: null,
  };

  it('names weekdays in full', () => {
    expect(['mon', 'wed', 'sun'].map((d) => weekdayName(d as 'mon'))).toEqual(['Monday', 'Wednesday', 'Sunday']);
  });

  it('shows when it comes, in the athlete zone; or that it is off, and why', () => {
    expect(checkinShownText(settings, 'Europe/Paris', new Date(0)).text).toMatch(
      /^On: every Sunday at 19:30 \(Europe\/Paris\); next Sun 15 Mar 2026, 19:30 \(Europe\/Paris\)\./,
    );
    expect(checkinShownText({ ...settings, enabled: false, disabledReason: 'the user blocked the bot' }, 'UTC', new Date(0)).text).toMatch(
      /^Off \(the user blocked the bot\)\. Turn on with \/checkin on/,
    );
    expect(checkinShownText(null, 'UTC', new Date(0)).text).toMatch(/^Off\. Turn on with \/checkin on: every Monday at 08:00/);
  });

  it('says what a change did', () => {
    expect(checkinSetText(settings, 'Europe/Paris').text).toBe(
      'Weekly check-in on: every Sunday at 19:30 (Europe/Paris). The next one comes on Sun 15 Mar 2026, 19:30 (Europe/Paris).',
    );
    expect(checkinSetText({ ...settings, enabled: false, nextDueAt: null }, 'Europe/Paris').text).toBe(
      'Weekly check-in off. /checkin on brings it back: every Sunday at 19:30 (Europe/Paris).',
    );
  });
});

describe('/checkin shows a check-in that is due as coming at once', () => {
  it('says so rather than a time already past', () => {
    const settings = {
      enabled: true,
      weekday: 'mon' as const,
      timeOfDay: '08:00',
      timeZone: 'Europe/Paris',
      channelKey: 'telegram:1',
      nextDueAt: new Date('2026-12-14T07:00:00Z'),
      lastSentAt: null,
      disabledReason: null,
    };
    expect(checkinShownText(settings, 'Europe/Paris', new Date('2026-12-18T10:00:00Z')).text).toContain('next any minute now (it is due)');
    expect(checkinShownText(settings, 'Europe/Paris', new Date('2026-12-13T10:00:00Z')).text).toContain('next Mon 14 Dec 2026, 08:00');
  });
});
