/** parseProfileJson: profile files in our field names or the original tool's, with every bad field named. */
import { describe, expect, it } from 'vitest';
import { parseProfileJson } from '../../../src/app/profile-json.js';
import { PYTHON } from '../../support/python-profile.js';

describe('parseProfileJson', () => {
  it("reads the original tool's names and units", () => {
    const result = parseProfileJson(JSON.stringify(PYTHON), 'p.json');
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Alex <The & Rider>',
        ftp: 265,
        weightKg: 70,
        maxHr: 190,
        lthr: 170,
        restingHr: null,
        age: 35,
        sex: null,
        goals: 'Finish the Marmotte, strong; happy; Climb <better> & faster',
        eventDate: null,
        trainingDays: ['tue', 'wed', 'thu', 'sat', 'sun'],
        weeklyHours: 10,
        planWeeks: 12,
      },
    });
  });

  it('accepts day lists as arrays or text, numbers with or without units, and ours over theirs', () => {
    const a = parseProfileJson(
      JSON.stringify({
        FTP: 250,
        ftp: 260,
        training_availability: { week_days: ['Monday', 'wed', 'Fridays'], hours_per_week: '6h' },
        weight: '154 lb',
      }),
      'x',
    );
    expect(a.ok && a.value).toMatchObject({ ftp: 260, trainingDays: ['mon', 'wed', 'fri'], weeklyHours: 6 });
    expect(a.ok && a.value.weightKg).toBeCloseTo(69.85, 2);
    const b = parseProfileJson(
      JSON.stringify({ trainingDays: 'Tuesday and Thursday', eventDate: '2025-06-01', sex: 'F', goals: 'Ride' }),
      'x',
    );
    expect(b.ok && b.value).toMatchObject({ trainingDays: ['tue', 'thu'], eventDate: '2025-06-01', sex: 'female', goals: 'Ride' });
  });

  it('names every bad field with its allowed range', () => {
    const bad = parseProfileJson(
      JSON.stringify({
        ftp: 'lots',
        max_HR: 250,
        weeklyHours: 0.5,
        training_plan_weeks: 30,
        eventDate: '2025-02-30',
        trainingDays: ['tu', 'Th', 'x'],
      }),
      'athlete.json',
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.message).toContain('athlete.json: ');
    expect(bad.error.message).toContain('"ftp" must be 50–600 W (got "lots")');
    expect(bad.error.message).toContain('"max_HR" must be 60–230 bpm (got 250)');
    expect(bad.error.message).toContain('"weeklyHours" must be 1–40 hours (got 0.5)');
    expect(bad.error.message).toContain('"training_plan_weeks" must be 4–24 weeks (whole weeks) (got 30)');
    expect(bad.error.message).toContain('"eventDate" must be a date as YYYY-MM-DD (got "2025-02-30")');
    expect(bad.error.message).toContain('"trainingDays": "x" is not a day');
    expect(bad.error.message).not.toContain('"Th"');
    expect(parseProfileJson('{"ftp": ', 'x').ok).toBe(false);
    expect(parseProfileJson('[1, 2]', 'x')).toMatchObject({ ok: false });
  });
});
