/**
 * looksLikeQuestion: a question rather than a statement, so that "Is my FTP of 250 too low?" goes
 * to the coach instead of setting the FTP, while "ftp 250" or "event 2027-07-04" still set values.
 */
import { describe, expect, it } from 'vitest';
import { looksLikeQuestion } from '../../../src/conversation/intents.js';

describe('looksLikeQuestion', () => {
  it('empty and blank text is not a question', () => {
    expect(looksLikeQuestion('')).toBe(false);
    expect(looksLikeQuestion('  \n\t ')).toBe(false);
  });

  it.each(['?', 'ftp 250?', 'My FTP is 250?', 'weight 70 kg ?', 'event 2027-07-04?'])(
    'a question mark anywhere makes a question: %s',
    (text) => {
      expect(looksLikeQuestion(text)).toBe(true);
    },
  );

  it.each([
    'ftp 250',
    'weight 70',
    'event 2027-07-04',
    'I can ride Tue Thu Sat, 8h',
    'my ftp is 270',
    'tell me how fit I am',
    'I wonder whether to rest',
  ])('a statement without a question mark is not a question: %s', (text) => {
    expect(looksLikeQuestion(text)).toBe(false);
  });

  it.each([
    'how fit am I',
    'What is my CTL',
    "what's my ftp",
    'whats up with my form',
    'why so tired',
    'When is my event',
    'which zone is tempo',
    'who set my ftp',
    'where should I ride',
    'How',
    'why',
  ])('starts with a question word: %s', (text) => expect(looksLikeQuestion(text)).toBe(true));

  it.each(['however I ride', 'howdy', 'whatever', 'whenever I can', 'whose ftp', 'whyte bikes are nice', 'whichever day'])(
    'a question word must be a whole word: %s',
    (text) => {
      expect(looksLikeQuestion(text)).toBe(false);
    },
  );

  it.each([
    'Is my FTP of 250 too low',
    'can I do the Marmotte on 2027-07-04',
    'are you there',
    'was last week hard',
    'were my rides ok',
    'am I fit',
    'do my rides count',
    'does it matter',
    'did I improve',
    'should I rest today',
    'shall we start',
    'could I ride 10 hours',
    'will it hurt',
    'would that help',
    'might I be overtraining',
    'have I improved',
    'has my ftp changed',
    'is there a race',
    'is a 250 ftp good',
    'is an ftp of 250 good',
    'Is this ok',
    'are these numbers right',
    'were those rides counted',
    'was that too hard',
    'is the plan ok',
  ])('an inverted question (verb then subject) is a question: %s', (text) => {
    expect(looksLikeQuestion(text)).toBe(true);
  });

  it.each(['is 250 good', 'can', 'is', 'doing well today', 'canceled my ride', 'island ride', 'hasty ride', 'does-it-matter', "isn't it"])(
    'a leading verb without a following subject word is not enough: %s',
    (text) => {
      expect(looksLikeQuestion(text)).toBe(false);
    },
  );

  it('ignores case, surrounding spaces, and any whitespace between verb and subject', () => {
    expect(looksLikeQuestion('   HOW FIT AM I   ')).toBe(true);
    expect(looksLikeQuestion('IS MY FTP OK')).toBe(true);
    expect(looksLikeQuestion('is\tmy ftp ok')).toBe(true);
    expect(looksLikeQuestion('should\n\nI rest')).toBe(true);
  });

  it('the question word must open the message: in the middle it is a statement', () => {
    expect(looksLikeQuestion('ftp 250, is that right')).toBe(false);
    expect(looksLikeQuestion('tell me what to ride')).toBe(false);
    expect(looksLikeQuestion('I know how to ride')).toBe(false);
  });
});
