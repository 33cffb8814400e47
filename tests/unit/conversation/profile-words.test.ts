/**
 * The words around values in a profile answer: the days someone rides, skipping a question, and
 * the fillers before a bare answer.
 */
import { describe, expect, it } from 'vitest';
import { FILLER, SKIP, trainingDaysIn, withoutHedges } from '../../../src/conversation/profile-words.js';

describe('training days', () => {
  it.each([
    ['Tue Thu Sat Sun', ['tue', 'thu', 'sat', 'sun']],
    ['I can ride on tuesday and the weekend', ['tue', 'sat', 'sun']],
    ['Mon-Fri', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['fri to mon', ['mon', 'fri', 'sat', 'sun']],
    ['weekdays', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['every day', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']],
    ['mo we fr', ['mon', 'wed', 'fri']],
  ])('%s', (text, days) => expect(trainingDaysIn(text)).toEqual(days));

  it('no day named: null', () => {
    expect(trainingDaysIn('8 hours a week')).toBeNull();
  });
});

describe('skips, fillers and hedges', () => {
  it.each(['skip', "I don't know", 'dunno', 'n/a', 'no idea.', ' none '])('"%s" skips the question', (text) =>
    expect(SKIP.test(text)).toBe(true),
  );
  it.each(['skip the weight', '250', 'no 250'])('"%s" does not', (text) => expect(SKIP.test(text)).toBe(false));

  it('fillers come off before a bare answer', () => {
    expect('I think 250'.replace(FILLER, '')).toBe('250');
    expect("it's probably 70".replace(FILLER, '')).toBe('70');
    expect('250 I think'.replace(FILLER, '')).toBe('250 I think');
  });

  it('hedges come off numbers', () => {
    expect(withoutHedges('roughly 8 hours or so')).toBe('8 hours');
    expect(withoutHedges('~70 kg, about 250ish')).toBe('70 kg, 250');
  });
});
