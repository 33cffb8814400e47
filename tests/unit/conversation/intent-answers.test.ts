/**
 * The offline coach's answers from the engine's numbers: whether to skip today's workout from the
 * plan and the form, fitness and form, last week's load, best efforts, FTP, the next workouts and
 * the zone split.
 */
import { describe, expect, it } from 'vitest';
import { answerIntent, formOn } from '../../../src/conversation/intent-answers.js';
import type { PmcDay } from '../../../src/domain/metrics/index.js';
import type { Plan } from '../../../src/domain/plan/types.js';
import type { FactSheetDetail } from '../../../src/orchestrator/fact-sheet.js';

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

describe('the other common questions, from the fact sheet and the plan', () => {
  const pmcDay = (date: string, ctl: number, atl: number): PmcDay => ({ date, load: 0, ctl, atl, tsb: ctl - atl, rampRate: null });
  const ride = (iso: string, load: number, hours: number, powerCurve: Record<number, number> = {}) => ({
    activity: { startTime: new Date(iso), sport: 'cycling' },
    metrics: { load, movingSeconds: hours * 3600, powerCurve },
  });
  const detail = {
    pmc: [pmcDay('2026-08-23', 40, 45), pmcDay('2026-09-19', 50, 60), pmcDay('2026-09-20', 52, 70)],
    loads: [
      ride('2026-08-25T08:00:00Z', 100, 2, { 5: 900, 60: 500, 300: 320, 1200: 280 }),
      ride('2026-09-01T08:00:00Z', 100, 2),
      ride('2026-09-08T08:00:00Z', 100, 2, { 5: 950, 60: 480 }),
      ride('2026-09-15T08:00:00Z', 150, 3),
      ride('2026-09-20T08:00:00Z', 200, 4, { 1200: 290 }),
    ],
    sheet: {
      athlete: {
        ftp: 270,
        ftpSource: 'profile',
        wattsPerKg: 3.86,
        ftpHistory: [
          { from: '2026-01-10', ftp: 250 },
          { from: '2026-05-02', ftp: 270 },
        ],
      },
      period: { from: '2026-03-21', to: '2026-09-20', months: 6 },
      powerCurve: {
        current: { 5: 950, 60: 480, 1200: 290 },
        model: { eftp: 275, confidence: 'high', reason: null },
        ftpSuggestions: [{ method: 'best-20-min', watts: 275.5 }],
      },
      comparison: {
        current: {
          powerZoneSeconds: [3600, 7200, 1800, 900, 300, 100, 0],
          heartRateZoneSeconds: [1, 2, 3, 4, 5],
          polarization: { easy: 0.6, moderate: 0.3, hard: 0.1 },
        },
      },
    },
  } as unknown as FactSheetDetail;
  const plan = {
    weeks: [
      {
        week: 3,
        phase: 'build',
        targetTss: 400,
        plannedTss: 420,
        hours: 7,
        days: [
          { date: '2026-09-21', weekday: 'mon', workouts: [] },
          {
            date: '2026-09-22',
            weekday: 'tue',
            workouts: [
              {
                name: 'Threshold 3×12',
                intensity: 'hard',
                durationMinutes: 75,
                tss: 90,
                intensityFactor: 0.85,
                description: '3×12 min at 95 %',
              },
            ],
          },
          {
            date: '2026-09-24',
            weekday: 'thu',
            workouts: [{ name: 'Endurance', intensity: 'easy', durationMinutes: 90, tss: 60, intensityFactor: 0.65, description: '' }],
          },
        ],
      },
    ],
  } as unknown as Plan;
  const today = '2026-09-22';

  it('form: today, faded over the days since the latest ride, against four weeks earlier and the last 7 days', () => {
    expect(answerIntent('form', detail, plan, today)).toBe(
      'Today (2026-09-22), 2 days after your latest ride: fitness (CTL) 49.6, fatigue (ATL) 52.6, form (TSB) -9.9 — you are in balance: normal training. On 2026-09-20 it was CTL 52.0, ATL 70.0, TSB -18.0. Four weeks earlier CTL was 40.0 (+12.0). The last 7 days brought 350 TSS, more than your fitness absorbs day to day (ATL 70.0 above CTL 52.0): that is why form is negative.',
    );
    expect(answerIntent('form', detail, plan, '2026-09-20')).toMatch(
      /^On 2026-09-20: fitness \(CTL\) 52\.0, fatigue \(ATL\) 70\.0, form \(TSB\) -18\.0/,
    );
    expect(answerIntent('form', { ...detail, pmc: [] }, plan, today)).toMatch(/no training load yet/);
  });

  it('last week: the 7 days to the latest ride against the 4 weeks before', () => {
    expect(answerIntent('last-week', detail, plan, today)).toBe(
      'From 2026-09-14 to 2026-09-20: 2 activities, 7.0 h, 350 TSS. Your weekly average over the 4 weeks before was 75 TSS (+367 %). That is a big jump: keep the next days easy.',
    );
  });

  it('bests: all-time per duration, with the recent best where it differs', () => {
    expect(answerIntent('bests', detail, plan, today)).toBe(
      'Your best efforts: 5 s 950 W (2026-09-08); 1 min 500 W (2026-08-25), 480 W in the last 6 months; 5 min 320 W (2026-08-25); 20 min 290 W (2026-09-20).',
    );
    expect(answerIntent('bests', { ...detail, loads: [] }, plan, today)).toMatch(/no power data/);
  });

  it('FTP: the value, its history, the change since a month named in the question, eFTP and the 20-minute estimate', () => {
    expect(answerIntent('ftp', detail, plan, today, 'how did my ftp change since march?')).toBe(
      'Your FTP is 270 W (3.86 W/kg). It went 250 W from 2026-01-10, then 270 W from 2026-05-02. Since 2026-03-01 it changed from 250 W to 270 W (+20 W). Your rides put critical power (eFTP) at 275 W (confidence high). 95 % of your best 20 min gives 276 W.',
    );
    // a month later in the year than today is last year's
    expect(answerIntent('ftp', detail, plan, today, 'since December')).toMatch(/Since 2025-12-01 it changed from 250 W to 270 W/);
  });

  it('next workouts: the next two days with workouts, today and tomorrow by name', () => {
    expect(answerIntent('next-workout', detail, plan, today)).toBe(
      'Today (tue): Threshold 3×12 — 75 min, TSS 90, IF 0.85: 3×12 min at 95 %. 2026-09-24 (thu): Endurance — 90 min, TSS 60, IF 0.65.',
    );
    expect(answerIntent('next-workout', detail, plan, '2026-09-23')).toMatch(/^Tomorrow \(thu\): Endurance/);
    expect(answerIntent('next-workout', detail, null, today)).toMatch(/no plan yet/);
  });

  it('zones: the power-zone split and polarization', () => {
    expect(answerIntent('zones', detail, plan, today)).toBe(
      'Power zones over 2026-03-21 – 2026-09-20: Z1 26 %, Z2 52 %, Z3 13 %, Z4 6 %, Z5 2 %, Z6 1 %, Z7 0 %. Easy 60 %, moderate 30 %, hard 10 % — more moderate riding than a polarized plan would have.',
    );
  });
});
