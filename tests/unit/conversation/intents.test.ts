/**
 * The offline coach's routing of free text: small talk, off-topic, distance over a period from
 * the stored rides, and whether to skip today's workout from the plan and the form.
 */
import { describe, expect, it } from 'vitest';
import {
  answerIntent,
  answerVolume,
  detectIntent,
  formOn,
  isOffTopic,
  NEEDS_MODEL,
  OFF_TOPIC,
  OPERATOR_HINT,
  smallTalk,
  volumePeriod,
} from '../../../src/conversation/intents.js';
import type { PmcDay } from '../../../src/domain/metrics/index.js';
import type { Plan } from '../../../src/domain/plan/types.js';
import type { FactSheetDetail } from '../../../src/orchestrator/fact-sheet.js';

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

describe('distance over a period', () => {
  const today = '2026-09-15';
  it.each([
    ['how many km did I ride in August?', '2026-08-01', '2026-08-31', 'In August 2026'],
    ['how many km in December?', '2025-12-01', '2025-12-31', 'In December 2025'],
    ['km in August 2025', '2025-08-01', '2025-08-31', 'In August 2025'],
    ['how far this month?', '2026-09-01', '2026-09-15', 'This month so far (September 2026)'],
    ['how far last month?', '2026-08-01', '2026-08-31', 'Last month (August 2026)'],
    ['how many km this year?', '2026-01-01', '2026-09-15', 'This year so far (2026)'],
    ['how many km last year?', '2025-01-01', '2025-12-31', 'In 2025'],
    ['how many km in 2025?', '2025-01-01', '2025-12-31', 'In 2025'],
    ['how many km in the last 30 days?', '2026-08-17', '2026-09-15', 'In the last 30 days'],
    ['how many km this week?', '2026-09-14', '2026-09-15', 'This week so far (since Monday 2026-09-14)'],
    ['how many km?', '2026-01-01', '2026-09-15', 'This year so far (2026)'],
  ])('%s', (question, from, to, phrase) => {
    expect(volumePeriod(question, today)).toEqual({ from, to, phrase });
  });

  const activity = (sport: string, iso: string, km: number, hours: number, climb: number) => ({
    sport,
    startTime: new Date(iso),
    distanceMeters: km * 1000,
    movingSeconds: hours * 3600,
    timerSeconds: null,
    ascentMeters: climb,
  });
  const activities = [
    activity('cycling', '2026-08-03T07:00:00Z', 80.25, 3, 900),
    activity('cycling', '2026-08-31T22:30:00Z', 40, 1.5, 300), // 00:30 on 1 September in Berlin
    activity('running', '2026-08-10T07:00:00Z', 10, 1, 50),
    activity('cycling', '2026-07-31T07:00:00Z', 60, 2, 400),
  ];
  const august = volumePeriod('in August', today);

  it("counts rides only, on the athlete's days, in their units", () => {
    expect(answerVolume(august, activities, 'UTC', 'metric')).toBe(
      'In August 2026 you rode 120.3 km: 2 rides, 4.5 h, 1,200 m of climbing. (1 other activity, such as runs, not counted.)',
    );
    expect(answerVolume(august, activities, 'Europe/Berlin', 'metric')).toMatch(
      /^In August 2026 you rode 80\.3 km: 1 ride, 3\.0 h, 900 m of climbing\./,
    );
    expect(answerVolume(august, activities, 'UTC', 'imperial')).toMatch(
      /^In August 2026 you rode 74\.7 mi: 2 rides, 4\.5 h, 3,937 ft of climbing\./,
    );
  });

  it('a period without rides asks for them', () => {
    expect(answerVolume(volumePeriod('in June', today), activities, 'UTC', 'metric')).toMatch(
      /^In June 2026 I have no rides from you\. If you rode, send me the files/,
    );
  });
});

describe("whether to skip today's workout", () => {
  const pmcDay = (date: string, ctl: number, atl: number): PmcDay => ({ date, load: 0, ctl, atl, tsb: ctl - atl, rampRate: null });
  const detail = (ctl: number, atl: number) =>
    ({ pmc: [pmcDay('2026-09-20', ctl, atl)], loads: [], sheet: {} }) as unknown as FactSheetDetail;
  const plan: Plan = {
    weeks: [
      {
        week: 1,
        phase: 'build',
        targetTss: 400,
        plannedTss: 400,
        hours: 7,
        days: [
          { date: '2026-09-21', weekday: 'mon', workouts: [] },
          {
            date: '2026-09-22',
            weekday: 'tue',
            workouts: [
              { name: 'Threshold 3×12', type: 'threshold', intensity: 'hard', durationMinutes: 75, tss: 90, intensityFactor: 0.85 },
            ],
          },
          { date: '2026-09-23', weekday: 'wed', workouts: [] },
          {
            date: '2026-09-24',
            weekday: 'thu',
            workouts: [{ name: 'Endurance', type: 'endurance', intensity: 'easy', durationMinutes: 90, tss: 60, intensityFactor: 0.65 }],
          },
        ],
      },
    ],
  };

  it('form is projected over the days without rides: TSB_t = CTL_{t−1} − ATL_{t−1}', () => {
    expect(formOn([pmcDay('2026-09-20', 50, 70)], '2026-09-20')).toBe(-20);
    expect(formOn([pmcDay('2026-09-20', 50, 70)], '2026-09-21')).toBeCloseTo(-20, 10); // going into the 21st: the 20th's values
    expect(formOn([pmcDay('2026-09-20', 50, 70)], '2026-09-22')).toBeCloseTo(50 * Math.exp(-1 / 42) - 70 * Math.exp(-1 / 7), 10);
    expect(formOn([], '2026-09-22')).toBeNull();
  });

  it('do it when fresh enough; swap a hard session when fatigued; skip when very fatigued', () => {
    const fresh = answerIntent('skip', detail(60, 62), plan, '2026-09-22');
    expect(fresh).toMatch(/^Today \(2026-09-22\): Threshold 3×12 — 75 min, TSS 90\. Your form \(TSB\) today is -?\d+\.\d/);
    expect(fresh).toMatch(/No — do it/);
    expect(fresh).toMatch(/Thu 2026-09-24/);
    expect(answerIntent('skip', detail(50, 85), plan, '2026-09-22')).toMatch(/Swap it/);
    expect(answerIntent('skip', detail(50, 95), plan, '2026-09-22')).toMatch(/Yes — skip it/);
  });

  it('a rest day or no plan: nothing to skip, and the form', () => {
    expect(answerIntent('skip', detail(60, 62), plan, '2026-09-23')).toMatch(
      /^Nothing is planned today \(2026-09-23\): it is a rest day in your plan[\s\S]*form \(TSB\)[\s\S]*Next: Thu 2026-09-24, Endurance \(90 min\)/,
    );
    expect(answerIntent('skip', detail(60, 62), null, '2026-09-23')).toMatch(
      /^You have no plan yet, so there is no workout to skip\. Your form \(TSB\) today is/,
    );
  });
});
