/**
 * The onboarding questions' words: what answers a step, what is a correction, and the short
 * answers to questions asked on the way.
 */
import { describe, expect, it } from 'vitest';
import {
  answersStep,
  isCorrection,
  isKeep,
  isUnsureAnswer,
  onboardingAnswer,
  profileComplete,
  STEPS,
  stepOf,
  stepQuestion,
  withoutCorrection,
} from '../../../src/conversation/onboarding.js';
import { EMPTY_PROFILE, type ProfileFields } from '../../../src/domain/profile.js';

const EMPTY: ProfileFields = EMPTY_PROFILE;

describe('onboarding words', () => {
  it('an answer to one question is not an answer to another', () => {
    expect(answersStep('weightKg', { profile: { ftp: 255 } })).toBe(false);
    expect(answersStep('ftp', { profile: { ftp: 255 } })).toBe(true);
    expect(answersStep('heartRate', { profile: { lthr: 168 } })).toBe(true);
    expect(answersStep('timeZone', { profile: {}, timeZone: 'Europe/Paris' })).toBe(true);
    expect(answersStep('units', { profile: {}, timeZone: 'Europe/Paris' })).toBe(false);
  });

  it('tells a correction of an earlier answer from an answer', () => {
    for (const text of ['oh wait, my ftp is 255', 'Actually 72 kg', 'sorry, max hr 186', 'my ftp is 255', 'I meant 8 hours'])
      expect(isCorrection(text), text).toBe(true);
    for (const text of ['255', 'Marmotte on July 5 2027', 'FTP 300 by June', 'Tue Thu Sat']) expect(isCorrection(text), text).toBe(false);
    expect(withoutCorrection('oh wait, my ftp is 255')).toBe('my ftp is 255');
  });

  it('answers why a value is needed; a bare "why?" is about the question asked', () => {
    expect(onboardingAnswer('why do you need my weight?', 'ftp')).toMatch(/W\/kg/);
    expect(onboardingAnswer('why?', 'weightKg')).toMatch(/W\/kg/);
    expect(onboardingAnswer('what for?', 'timeZone')).toMatch(/reminders come at your local time/);
    expect(onboardingAnswer('what is FTP?', 'weightKg')).toMatch(/power you can hold for an hour/);
    expect(onboardingAnswer('what do you do with my data?', 'ftp')).toMatch(/\/forget/);
    expect(onboardingAnswer('how many km did I ride this year?', 'units')).toBeNull();
    expect(onboardingAnswer('what a lovely day', 'trainingDays')).toBeNull();
    expect(onboardingAnswer('how fit am I?', 'ftp')).toBeNull();
  });

  it('"keep" in a review, "250?" as an unsure answer', () => {
    expect(isKeep('keep')).toBe(true);
    expect(isKeep('Same as before.')).toBe(true);
    expect(isKeep('keep it at 250')).toBe(false);
    expect(isUnsureAnswer('250?')).toBe(true);
    expect(isUnsureAnswer('why?')).toBe(false);
  });

  it('a review shows each value as it is now', () => {
    const profile = { ...EMPTY, ftp: 255, weightKg: 70, trainingDays: ['tue', 'sat'] as ProfileFields['trainingDays'], weeklyHours: 8 };
    const athlete = { timeZone: 'Europe/Paris', units: 'imperial' };
    expect(stepQuestion(stepOf('ftp')!, profile, athlete, true)).toMatch(/\(Now: 255 W\. "keep" keeps it\.\)$/);
    expect(stepQuestion(stepOf('weightKg')!, profile, athlete, true)).toMatch(/Now: 154 lb/);
    expect(stepQuestion(stepOf('timeZone')!, profile, athlete, true)).toMatch(/Now: Europe\/Paris/);
    expect(stepQuestion(stepOf('ftp')!, profile, athlete, false)).toBe(STEPS[0]!.question);
    expect(profileComplete(profile)).toBe(true);
    expect(profileComplete({ ...profile, weeklyHours: null })).toBe(false);
    expect(profileComplete(null)).toBe(false);
  });
});
