/**
 * "How many km did I ride in August?": the period a question names, and distance, time and
 * climbing over it from the stored rides, by the athlete's days and in their units.
 */
import { describe, expect, it } from 'vitest';
import { answerVolume, volumePeriod } from '../../../src/conversation/volume-question.js';

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
