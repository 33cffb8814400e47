/**
 * summaryText: the chat summary after an analysis — headline numbers, the week of the plan that
 * holds today (with only its "why easy" notes), the first three insights, the offline-coach note,
 * and the fields. Units are covered in tests/unit/report/units.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { summaryText } from '../../../../src/conversation/messages/summary.js';
import type { Plan } from '../../../../src/domain/plan/types.js';
import type { RunJson, RunResult } from '../../../../src/orchestrator/run-result.js';

const plan: Plan = {
  startDate: '2026-03-09',
  weeks: [
    {
      week: 1,
      phase: 'base',
      targetTss: 300,
      plannedTss: 312.4,
      hours: 6.25,
      notes: [
        'Return block: the first days are easy after your break.',
        'Form (TSB) is low: two easy days first.',
        'Ride outdoors when you can.',
      ],
      days: [
        { date: '2026-03-09', weekday: 'mon', workouts: [] },
        {
          date: '2026-03-10',
          weekday: 'tue',
          workouts: [
            { name: 'Sweet spot 2x20', type: 'sweetspot', intensity: 'hard', durationMinutes: 89.6, tss: 95.4, intensityFactor: 0.856 },
          ],
        },
        {
          date: '2026-03-11',
          weekday: 'wed',
          workouts: [{ name: 'Endurance', type: 'endurance', intensity: 'easy', durationMinutes: 90, tss: 60, intensityFactor: 0.65 }],
        },
      ],
    },
    {
      week: 2,
      phase: 'build',
      targetTss: 350,
      plannedTss: 348,
      hours: 7,
      days: [
        {
          date: '2026-03-16',
          weekday: 'mon',
          workouts: [{ name: 'VO2 5x4', type: 'vo2max', intensity: 'hard', durationMinutes: 75, tss: 88, intensityFactor: 0.9 }],
        },
      ],
    },
  ],
};

interface Options {
  status?: 'done' | 'degraded';
  degradedReason?: string | null;
  plan?: Plan | null;
  insights?: string[];
  runJson?: Partial<RunJson>;
}

function result(o: Options = {}): RunResult {
  const runJson = {
    athlete: { ftp: 250, ftpSource: 'profile', eftp: 262.4, weightKg: 70, wattsPerKg: 3.57 },
    fitness: { ctl: 50.04, atl: 62.3, tsb: -12.26, rampRate: null, date: '2026-03-08' },
    fitnessToday: { date: '2026-03-08', ctl: 50.04, atl: 62.3, tsb: -12.26 },
    latestRide: { date: '2026-03-08', daysAgo: 0 },
    bests: { '5': 900, '60': 450, '300': 330, '1200': 286.4 },
    volume: { activities: 42, hours: 96.25, distanceKm: 2500, weeklyLoad: 380.4 },
    upload: null,
    warnings: [],
    ...o.runJson,
  };
  return {
    runId: 'abcdef1234567890',
    status: o.status ?? 'done',
    provider: 'anthropic',
    degradedReason: o.degradedReason ?? null,
    report: {
      period: { from: '2025-09-09', to: '2026-03-08' },
      analysis: { insights: o.insights ?? ['Fitness is rising.'] },
      plan: o.plan === undefined ? plan : o.plan,
    },
    runJson,
  } as unknown as RunResult;
}

const field = (reply: ReturnType<typeof summaryText>, name: string) => reply.fields!.find((f) => f.name === name)!.value;
const lines = (reply: ReturnType<typeof summaryText>) => reply.text.split('\n');

describe('summaryText', () => {
  it('headline, FTP, fitness and bests lines, and a title with the short run id', () => {
    const reply = summaryText(result(), '2026-03-10');
    expect(reply.title).toBe('Your analysis is ready (run abcdef12)');
    expect(lines(reply).slice(0, 4)).toEqual([
      '2025-09-09 – 2026-03-08: 42 activities, 96.3 h, 380 TSS a week. 2,500.0 km ridden.',
      'FTP 250 W · 3.57 W/kg at 70 kg · eFTP 262 W',
      'Fitness CTL 50.0 · fatigue ATL 62.3 · form TSB -12.3',
      'Best 5 s 900 W · 1 min 450 W · 5 min 330 W · 20 min 286 W',
    ]);
    expect(reply.text.endsWith('The full reports follow as HTML files: open them in your browser.')).toBe(true);
  });

  it('shows the week that holds today, rest days and hard sessions marked, and only the return-block and form notes', () => {
    const text = summaryText(result(), '2026-03-10').text;
    expect(text).toContain(
      [
        'Week 1 (base) — 312 TSS, 6.3 h',
        'Mon 03-09: rest',
        'Tue 03-10: Sweet spot 2x20 — 90 min, TSS 95, IF 0.86 (hard)',
        'Wed 03-11: Endurance — 90 min, TSS 60, IF 0.65',
      ].join('\n'),
    );
    expect(text).toContain('Note: Return block: the first days are easy after your break.\nNote: Form (TSB) is low: two easy days first.');
    expect(text).not.toContain('Ride outdoors when you can.');
    expect(text).not.toContain('Week 2');
  });

  it('on a day of the second week shows that week, and before the plan starts the first', () => {
    expect(summaryText(result(), '2026-03-16').text).toContain(
      'Week 2 (build) — 348 TSS, 7.0 h\nMon 03-16: VO2 5x4 — 75 min, TSS 88, IF 0.90 (hard)',
    );
    expect(summaryText(result(), '2026-03-16').text).not.toContain('Week 1 (base)');
    expect(summaryText(result(), '2026-03-01').text).toContain('Week 1 (base)');
  });

  it("after the plan's end shows no week but keeps the plan buttons; without a plan there are none", () => {
    const after = summaryText(result(), '2026-03-17');
    expect(after.text).not.toMatch(/^Week \d/m);
    expect(after.buttons).toEqual([
      [
        { label: "This week's plan", action: 'plan' },
        { label: 'Next week', action: 'plan:next' },
      ],
    ]);
    const none = summaryText(result({ plan: null }), '2026-03-10');
    expect(none.text).not.toMatch(/^Week \d/m);
    expect(none.buttons).toEqual([]);
  });

  it('lists at most three insights, without markdown bold', () => {
    const text = summaryText(result({ insights: ['**Fitness** is up.', 'Two.', 'Three.', 'Four.'] }), '2026-03-10').text;
    expect(text).toContain('\n\n• Fitness is up.\n• Two.\n• Three.\n');
    expect(text).not.toContain('Four.');
    expect(text).not.toContain('**');
  });

  it('says when the offline coach stood in, with the reason or a generic one; a done run says nothing of it', () => {
    expect(summaryText(result({ status: 'degraded', degradedReason: 'rate limited' }), '2026-03-10').text).toContain(
      'Note: the offline coach stood in for anthropic (rate limited). The numbers are the same; the words are simpler.',
    );
    expect(summaryText(result({ status: 'degraded' }), '2026-03-10').text).toContain('stood in for anthropic (the model failed).');
    expect(summaryText(result(), '2026-03-10').text).not.toContain('offline coach');
  });

  it("counts new activities since the last analysis — zero included — else the upload's new ones", () => {
    const upload = { new: 3, duplicates: 0, merged: 0, errors: 0 };
    expect(field(summaryText(result({ runJson: { upload } }), '2026-03-10', 5), 'Activities analysed')).toBe(
      '42 (5 new since the last analysis)',
    );
    expect(field(summaryText(result({ runJson: { upload } }), '2026-03-10', 0), 'Activities analysed')).toBe(
      '42 (0 new since the last analysis)',
    );
    expect(field(summaryText(result({ runJson: { upload } }), '2026-03-10', null), 'Activities analysed')).toBe('42 (3 new)');
    expect(field(summaryText(result({ runJson: { upload: { ...upload, new: 0 } } }), '2026-03-10'), 'Activities analysed')).toBe('42');
    expect(field(summaryText(result(), '2026-03-10'), 'Activities analysed')).toBe('42');
  });

  it('missing numbers show as "–", an estimated FTP says so, and no distance means no "ridden"', () => {
    const reply = summaryText(
      result({
        runJson: {
          athlete: { name: 'A', ftp: 240, ftpSource: 'estimated', eftp: null, weightKg: null, wattsPerKg: null },
          bests: { '5': null, '60': null, '300': null, '1200': null },
          volume: { activities: 3, hours: 4, distanceKm: 0, weeklyLoad: 50 },
        },
      }),
      '2026-03-10',
    );
    expect(lines(reply)[0]).toBe('2025-09-09 – 2026-03-08: 3 activities, 4.0 h, 50 TSS a week.');
    expect(reply.text).toContain('FTP 240 W (estimated) · eFTP –\n');
    expect(reply.text).toContain('Best 5 s – · 1 min – · 5 min – · 20 min –');
    expect(field(reply, 'FTP')).toBe('240 W (estimated)');
    expect(field(reply, 'eFTP')).toBe('–');
    expect(field(reply, 'Best 20 min')).toBe('–');
    expect(field(reply, 'Volume')).toBe('4.0 h · 50 TSS/week');
  });

  it('other sports and the estimated-load warning follow the headline', () => {
    const text = summaryText(
      result({
        runJson: {
          volume: {
            activities: 42,
            hours: 96.25,
            distanceKm: 2500,
            weeklyLoad: 380.4,
            otherSports: [
              { sport: 'running', count: 1, hours: 1 },
              { sport: 'cross_country_skiing', count: 2, hours: 3.5 },
            ],
          },
          warnings: [
            { code: 'other', message: 'Not shown.' },
            { code: 'load-estimated', message: '30 % of the load is estimated.' },
          ],
        },
      }),
      '2026-03-10',
    ).text;
    expect(lines({ text } as ReturnType<typeof summaryText>).slice(1, 3)).toEqual([
      'Those are your rides; other sports apart: + 1 run, 1.0 h · 2 cross country skiing sessions, 3.5 h (in the load where they have heart rate).',
      '30 % of the load is estimated.',
    ]);
    expect(text).not.toContain('Not shown.');
  });

  it('fitness carried to the run\'s day after a recent ride: "N days after your latest ride", and the field shows both', () => {
    const reply = summaryText(
      result({
        runJson: {
          fitness: { ctl: 50, atl: 62.3, tsb: -12.3, rampRate: null, date: '2026-03-07' },
          fitnessToday: { date: '2026-03-08', ctl: 48.8, atl: 53.6, tsb: -12.3 },
          latestRide: { date: '2026-03-07', daysAgo: 1 },
        },
      }),
      '2026-03-10',
    );
    expect(reply.text).toContain(
      '\nAs of today, 8 Mar 2026, 1 day after your latest ride: fitness CTL 48.8 · fatigue ATL 53.6 · form TSB -12.3\n',
    );
    expect(reply.text).not.toContain('Your latest ride was on');
    expect(field(reply, 'CTL / ATL / TSB')).toBe('50.0 / 62.3 / -12.3 (2026-03-07); today 48.8 / 53.6 / -12.3');
  });

  it('a latest ride 27 days back is still recent; from 28 days the summary says when it was and that fitness faded', () => {
    const at = (daysAgo: number, date: string) =>
      summaryText(
        result({
          runJson: {
            fitness: { ctl: 50, atl: 40, tsb: 10, rampRate: null, date },
            fitnessToday: { date: '2026-03-08', ctl: 30, atl: 5, tsb: 25 },
            latestRide: { date, daysAgo },
          },
        }),
        '2026-03-10',
      ).text;
    const recent = at(27, '2026-02-09');
    expect(recent).not.toContain('Your latest ride was on');
    expect(recent).toContain('As of today, 8 Mar 2026, 27 days after your latest ride:');
    const stale = at(28, '2026-02-08');
    expect(stale).toContain('Your latest ride was on 8 Feb 2026, 4 weeks ago. On that day:\nFitness CTL 50.0');
    expect(stale).toContain('As of today, 8 Mar 2026, faded since:');
  });

  it('when the run\'s day is the latest ride\'s day there is no "as of today" line and the field has no "today"', () => {
    const reply = summaryText(result(), '2026-03-10');
    expect(reply.text).not.toContain('As of');
    expect(field(reply, 'CTL / ATL / TSB')).toBe('50.0 / 62.3 / -12.3');
  });
});
