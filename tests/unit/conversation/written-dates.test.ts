/** Month words and dates as written in messages. */
import { describe, expect, it } from 'vitest';
import { findDate, MONTH_WORDS, monthNumber } from '../../../src/conversation/written-dates.js';

describe('month words', () => {
  it('numbers months by their first three letters, 0 for anything else', () => {
    expect(monthNumber('Jan')).toBe(1);
    expect(monthNumber('september')).toBe(9);
    expect(monthNumber('Sept')).toBe(9);
    expect(monthNumber('DEC')).toBe(12);
    expect(monthNumber('soon')).toBe(0);
  });

  it('the alternation matches every month as written out or short', () => {
    const month = new RegExp(`^(?:${MONTH_WORDS})$`, 'i');
    for (const word of ['jan', 'January', 'june', 'jun', 'Sept', 'september', 'nov']) expect(month.test(word), word).toBe(true);
    for (const word of ['ja', 'septem', 'mai']) expect(month.test(word), word).toBe(false);
  });
});

describe('findDate', () => {
  it('without a year, the next such day from today; with one, that day', () => {
    expect(findDate('on March 3', '2026-09-15')).toEqual({ date: '2027-03-03', text: 'March 3' });
    expect(findDate('on 3 October', '2026-09-15')).toEqual({ date: '2026-10-03', text: '3 October' });
    expect(findDate('5.7.2027')).toEqual({ date: '2027-07-05', text: '5.7.2027' });
    expect(findDate('2027-02-29')).toEqual({ date: null, text: '2027-02-29' });
    expect(findDate('7/5/2027')).toBeNull();
  });
});
