import { describe, expect, it } from 'vitest';
import { wellbeingStatement } from '../../../src/conversation/wellbeing-intent.js';

/** A Wednesday. */
const TODAY = '2027-06-09';
const said = (text: string) => wellbeingStatement(text, TODAY);

describe('wellbeingStatement', () => {
  it.each([
    "I'm ill",
    'I am sick',
    'im sick',
    'I’m ill today',
    'Sick',
    'feeling sick',
    "I'm feeling a bit under the weather",
    "I've got a cold",
    'I have the flu',
    'got a nasty stomach bug',
    'Caught a cold, no riding for me',
    'I tested positive for covid',
    "Sorry coach, I'm unwell",
    "Not feeling well, I'll skip today",
    "Can't make Thursday's session, I'm sick",
    'I feel awful',
  ])('ill: %s', (text) => {
    expect(said(text)).toEqual({ reason: 'ill' });
  });

  it.each([
    "I'm tired",
    'feeling tired',
    'Feeling really tired today',
    'So tired',
    'I am exhausted',
    'knackered after the weekend',
    'Totally wiped out',
    'I slept badly',
    "I didn't sleep last night",
    'my legs are dead',
    "I'm completely drained",
    'ugh, shattered',
    "Skipping tonight because I'm tired",
  ])('tired: %s', (text) => {
    expect(said(text)).toEqual({ reason: 'tired' });
  });

  it.each([
    ["I'm travelling", undefined],
    ["I'm traveling until Friday", 3],
    ["I'm travelling until Wednesday", 8],
    ['Away for work until the 20th', 12],
    ['I am on a business trip until June 20', 12],
    ["I'm on holiday for two weeks", 14],
    ['travelling this week', 5],
    ["I'm away for 3 days", 3],
    ["I'm away till tomorrow", 2],
    ["I'm abroad until the weekend", 3],
    ['No bike for a week, I am away', 7],
    ['on a work trip until next week', 5],
  ] as const)('travel: %s', (text, days) => {
    expect(said(text)).toEqual(days === undefined ? { reason: 'travel' } : { reason: 'travel', days });
  });

  it('reads how long for illness and tiredness too, within four weeks', () => {
    expect(said("I'm sick for the next 4 days")).toEqual({ reason: 'ill', days: 4 });
    expect(said('I have the flu, probably all week')).toEqual({ reason: 'ill', days: 5 });
    expect(said("I'm exhausted, a couple of days off please")).toEqual({ reason: 'tired' });
    expect(said("I'm travelling for 5 weeks")).toEqual({ reason: 'travel', days: 28 });
  });

  it('takes the strongest state when several are said', () => {
    expect(said("I'm travelling and I'm sick")).toEqual({ reason: 'ill' });
    expect(said('Tired and travelling until Friday')).toEqual({ reason: 'travel', days: 3 });
  });

  it.each([
    // questions stay questions to the coach
    'should I ride when I am tired?',
    'should I ride when I am tired',
    'Am I sick?',
    'Is it ok to train when ill',
    'how do I recover from being tired',
    'what should I do when travelling?',
    'can I ride with a cold',
    // not about the athlete now
    "I'm not tired",
    'not sick anymore',
    "I'm no longer ill",
    'I was sick last month',
    'My son is ill',
    'my wife is travelling until Friday',
    "When I'm tired I ride easy",
    'If I get sick I will tell you',
    // another sense of the word
    "I'm sick of the rain",
    "I'm sick and tired of indoor training",
    'tired of waiting',
    'Sick ride today!',
    'It is cold outside',
    'right away',
    'ride on the road',
    // later, not now
    "I'll be travelling next week",
    'travelling from Monday',
    // anything else
    'ftp 270',
    'I rode 3 hours yesterday',
    '',
  ])('no statement: %s', (text) => {
    expect(said(text)).toBeNull();
  });
});
