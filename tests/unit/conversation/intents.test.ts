/**
 * The offline coach's routing of free text: small talk, off-topic, and which common question a
 * message asks. (The answers: intent-answers.test.ts, volume-question.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { detectIntent, isOffTopic, NEEDS_MODEL, OFF_TOPIC, OPERATOR_HINT, smallTalk } from '../../../src/conversation/intents.js';

describe('small talk', () => {
  it.each([
    ['help', 'help'],
    ['Help!', 'help'],
    ['what can you do?', 'help'],
    ['thanks', 'thanks'],
    ['Thank you so much!', 'thanks'],
    ['great, thanks', 'thanks'],
    ['cheers mate', 'thanks'],
    ['analyze', 'analyze'],
    ['Analyse my rides please', 'analyze'],
    ['run an analysis', 'analyze'],
    ['hi', 'greeting'],
    ['Hello coach', 'greeting'],
  ])('%s → %s', (text, kind) => expect(smallTalk(text)).toBe(kind));

  it.each([
    'help me choose a gear ratio',
    'thanks, but my ftp is 250',
    'analyze my sleep and tell me a story about it please',
    'ftp 270',
    'how fit am I?',
  ])('not small talk: %s', (text) => {
    expect(smallTalk(text)).toBeNull();
  });
});

describe('off-topic and on-topic', () => {
  it("a question with no word of cycling, training or the athlete's data is off-topic", () => {
    for (const q of [
      "What's the capital of France?",
      'what a lovely day',
      'Who won the world cup?',
      'What should I do in Paris?',
      'tell me a joke',
    ])
      expect(isOffTopic(q), q).toBe(true);
  });

  it('every question the offline coach answers is on-topic', () => {
    const answered = [
      'How fit am I right now?',
      'What is my CTL?',
      'Am I fatigued?',
      'Was last week too hard?',
      'How much did I ride in the past 7 days?',
      'Am I overdoing it?',
      'Any new PRs?',
      'Show me my power curve',
      'How did my threshold change since March?',
      "What's my eFTP?",
      'What should I ride tomorrow?',
      'What is on the plan for today?',
      'How is my time in zones split?',
      'Is my training polarized?',
      'How many km did I ride in August?',
      'How far did I ride this year?',
      "Should I skip today's workout?",
      'Can I take a rest day instead?',
      'Should I buy a new saddle?',
    ];
    for (const q of answered) expect(isOffTopic(q), q).toBe(false);
  });

  it('volume and skip questions have their own intents, before the ones they resemble', () => {
    expect(detectIntent('how many km did I ride in August?')).toBe('volume');
    expect(detectIntent('How many hours did I ride last week?')).toBe('volume');
    expect(detectIntent('How much did I ride in the past 7 days?')).toBe('last-week');
    expect(detectIntent("should I skip today's workout?")).toBe('skip');
    expect(detectIntent("What's today's workout?")).toBe('next-workout');
    expect(detectIntent('Why did my FTP drop?')).toBe('ftp');
  });

  it("the athlete never reads about configuration; the operator's log does", () => {
    for (const text of [NEEDS_MODEL, OFF_TOPIC]) expect(text).not.toMatch(/LLM_PROVIDER|model|operator/i);
    expect(OFF_TOPIC).toMatch(/off-topic/);
    expect(OPERATOR_HINT).toMatch(/LLM_PROVIDER=anthropic/);
  });
});

const PHRASINGS: [string, string][] = [
  ['How fit am I right now?', 'form'],
  ['What is my CTL?', 'form'],
  ['Why is my TSB so low?', 'form'],
  ['Am I fatigued?', 'form'],
  ['Am I fresh enough to race on Sunday?', 'form'],
  ['Was last week too hard?', 'last-week'],
  ['How much did I ride in the past 7 days?', 'last-week'],
  ['Am I overdoing it?', 'last-week'],
  ['What are my best efforts?', 'bests'],
  ['Any new PRs?', 'bests'],
  ['What is my best 5 min power?', 'bests'],
  ['Show me my power curve', 'bests'],
  ['What is my FTP?', 'ftp'],
  ['How did my threshold change since March?', 'ftp'],
  ["What's my eFTP?", 'ftp'],
  ['What should I ride tomorrow?', 'next-workout'],
  ["What's my next workout?", 'next-workout'],
  ['What is on the plan for today?', 'next-workout'],
  ['How is my time in zones split?', 'zones'],
  ['Is my training polarized?', 'zones'],
];

describe('detectIntent', () => {
  it('recognise twenty phrasings of the common questions', () => {
    for (const [question, intent] of PHRASINGS) expect(detectIntent(question), question).toBe(intent);
    expect(detectIntent('Should I buy a new saddle?')).toBeNull();
  });
});
