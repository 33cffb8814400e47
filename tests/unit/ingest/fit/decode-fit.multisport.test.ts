/**
 * Multisport timers, timer/recording mismatches and lost sports (issue "Numbers a cyclist can
 * trust", items 3 and 4), on files made with the synthetic writer.
 */
import { describe, expect, it } from 'vitest';
import { decodeFit } from '../../../../src/ingest/fit/decode-fit.js';
import { normalizedPower } from '../../../../src/domain/metrics/normalized-power.js';
import { trainingStressScore } from '../../../../src/domain/metrics/activity-metrics.js';
import type { Activity } from '../../../../src/domain/activity.js';
import type { FitEventSpec, FitRecordSample, FitSessionSpec } from '../../../../src/synthetic/fit-spec.js';
import { encodeActivityFit } from '../../../../src/synthetic/fit-writer.js';

const START = new Date('2026-07-05T06:30:00Z');
const at = (s: number): Date => new Date(START.getTime() + s * 1000);

function decodeOk(bytes: Uint8Array, name = 'tri.fit'): Activity[] {
  const result = decodeFit(bytes, name);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** 1 Hz records for [from, from + seconds], optionally leaving out [gapFrom, gapTo). */
function records(
  from: number,
  seconds: number,
  sample: (t: number) => Omit<FitRecordSample, 'time'>,
  gap?: [number, number],
): FitRecordSample[] {
  const out: FitRecordSample[] = [];
  for (let t = 0; t <= seconds; t++) {
    if (gap && t >= gap[0] && t < gap[1]) continue;
    out.push({ time: at(from + t), ...sample(t) });
  }
  return out;
}

const codes = (a: Activity): string[] => a.warnings.map((w) => w.code);
const bikePower = (t: number): number => 190 + (t % 21); // 190–210 W, NP ≈ 200 W
const FTP = 250;

// The triathlon from the issue: one timer for the whole race, a power_up/stop_all written during
// T1, and a `timer start` written 11,602 s into a 24,139 s bike leg.
const SWIM = 1800;
const T1 = 120;
const BIKE = 24_139;
const LATE_START = 11_602;
const RUN = 2400;
const B0 = SWIM + T1;
const R0 = B0 + BIKE;

function triathlon(beforeBike: FitEventSpec[]): Uint8Array {
  const ev = (s: number, event: FitEventSpec['event'], eventType: FitEventSpec['eventType']): FitEventSpec => ({
    time: at(s),
    event,
    eventType,
  });
  const swim: FitSessionSpec = {
    sport: 'swimming',
    subSport: 'open_water',
    startTime: at(0),
    timerEvents: false,
    events: [ev(-60, 'power_up', 'start'), ev(0, 'timer', 'start')],
    records: records(0, SWIM, () => ({ heartRate: 140, speed: 1.2 })),
  };
  const transition: FitSessionSpec = {
    sport: 'transition',
    startTime: at(SWIM),
    timerEvents: false,
    events: beforeBike,
    records: records(SWIM, T1, () => ({ heartRate: 130 })),
  };
  const bike: FitSessionSpec = {
    sport: 'cycling',
    subSport: 'road',
    startTime: at(B0),
    timerEvents: false,
    events: [ev(B0 + LATE_START, 'timer', 'start')],
    records: records(B0, BIKE, (t) => ({ power: bikePower(t), heartRate: 145, cadence: 88, speed: 10 })),
  };
  const run: FitSessionSpec = {
    sport: 'running',
    startTime: at(R0),
    timerEvents: false,
    events: [ev(R0 + RUN, 'timer', 'stop_all')],
    records: records(R0, RUN, () => ({ heartRate: 155, speed: 3.5, power: 260 })),
  };
  return encodeActivityFit([swim, transition, bike, run], { manufacturer: 1 });
}

function expectWholeBike(activities: Activity[]): void {
  expect(activities.map((a) => a.sport)).toEqual(['swimming', 'cycling', 'running']);
  const [swim, bike, run] = activities as [Activity, Activity, Activity];
  expect(bike.timerSeconds).toBe(BIKE);
  expect(Math.abs(bike.movingSeconds! - BIKE)).toBeLessThanOrEqual(2);
  expect(codes(bike)).not.toContain('timer-mismatch');
  // TSS from the whole leg, not half of it.
  const np = normalizedPower(bike.streams!.power!)!;
  const tss = trainingStressScore(np, bike.movingSeconds, FTP)!;
  const expected = (BIKE / 3600) * (np / FTP) ** 2 * 100;
  expect(tss).toBeGreaterThan(0.99 * expected);
  expect(tss).toBeGreaterThan(400); // ≈ 6.7 h at IF 0.8 ≈ 430 (the cut leg gave ≈ 220)
  expect(Math.abs(swim.movingSeconds! - SWIM)).toBeLessThanOrEqual(2);
  expect(Math.abs(run.movingSeconds! - RUN)).toBeLessThanOrEqual(2);
  for (const a of activities) expect(codes(a)).not.toContain('timer-mismatch');
}

describe('multisport timers', () => {
  it('keeps the whole bike leg when the timer ran on from the swim and a late `timer start` was written (power_up/stop_all in T1)', () => {
    // power_up with event_type stop_all says nothing about the timer: the swim's start still holds.
    expectWholeBike(decodeOk(triathlon([{ time: at(SWIM + 60), event: 'power_up', eventType: 'stop_all' }])));
  });

  it('keeps the whole bike leg when the events say "stopped" at its start but the device timed all of it', () => {
    // power_up, then a timer stop_all in T1, and the next start 11,602 s into the bike: the events
    // alone would keep 12,537 s; the session's own timer (24,139 s) settles it.
    const events: FitEventSpec[] = [
      { time: at(SWIM + 50), event: 'power_up', eventType: 'start' },
      { time: at(SWIM + 60), event: 'timer', eventType: 'stop_all' },
    ];
    expectWholeBike(decodeOk(triathlon(events)));
  });

  it('treats power_down as a timer stop, and a power_up alone does not restart the timer', () => {
    const seconds = 3600;
    const spec: FitSessionSpec = {
      sport: 'cycling',
      startTime: START,
      timerEvents: false,
      // the device's own timer excludes 1,000–1,510 s (off from 1,000 s, timer restarted at 1,510 s)
      timerStops: [{ stop: at(1000), start: at(1510) }],
      events: [
        { time: at(0), event: 'timer', eventType: 'start' },
        { time: at(1000), event: 'power_down', eventType: 'stop_all' },
        { time: at(1300), event: 'power_up', eventType: 'start' },
        { time: at(1510), event: 'timer', eventType: 'start' },
        { time: at(seconds), event: 'timer', eventType: 'stop_all' },
      ],
      records: records(0, seconds, (t) => ({ power: bikePower(t), heartRate: 140 })),
    };
    const [a] = decodeOk(encodeActivityFit([spec]), 'reboot.fit');
    expect(a!.timerSeconds).toBe(seconds - 510);
    expect(Math.abs(a!.movingSeconds! - (seconds - 510))).toBeLessThanOrEqual(2);
    expect(codes(a!)).not.toContain('timer-mismatch');
  });
});

describe('timer-mismatch warning', () => {
  const ride = (gap: [number, number]): FitSessionSpec => ({
    sport: 'cycling',
    startTime: START,
    records: records(0, 7200, (t) => ({ power: bikePower(t), heartRate: 140 }), gap),
  });

  it('warns, giving both durations, when the kept moving time misses the device timer by more than 5 %', () => {
    const [a] = decodeOk(encodeActivityFit([ride([3000, 4200])]), 'gap.fit'); // 20 min not recorded
    expect(a!.timerSeconds).toBe(7200);
    expect(Math.abs(a!.movingSeconds! - 6000)).toBeLessThanOrEqual(2);
    const warning = a!.warnings.find((w) => w.code === 'timer-mismatch');
    expect(warning).toBeDefined();
    expect(warning!.message).toContain('2:00:00');
    expect(warning!.message).toContain('1:40:00');
    expect(
      warning!.message
        .trim()
        .split(/[.!?](\s|$)/)
        .filter((x) => x.trim().length > 1),
    ).toHaveLength(1); // one sentence
  });

  it('does not warn when they differ by 5 % or less', () => {
    const [a] = decodeOk(encodeActivityFit([ride([3000, 3300])]), 'short-gap.fit'); // 5 min ≈ 4.2 %
    expect(Math.abs(a!.movingSeconds! - 6900)).toBeLessThanOrEqual(2);
    expect(codes(a!)).not.toContain('timer-mismatch');
    const [b] = decodeOk(encodeActivityFit([ride([3000, 3000])]), 'no-gap.fit');
    expect(b!.warnings).toEqual([]);
  });
});

describe('sport kept or assumed', () => {
  const steady = (sport: FitSessionSpec['sport'], from: number, seconds: number, extra: Partial<FitSessionSpec> = {}): FitSessionSpec => ({
    sport,
    startTime: at(from),
    records: records(from, seconds, (t) => ({ power: bikePower(t), heartRate: 140, cadence: 90 })),
    ...extra,
  });

  it('a session with a sport and no start_time keeps its sport, start and power figures', () => {
    const [a] = decodeOk(encodeActivityFit([steady('cycling', 0, 1200, { omitSessionFields: ['start_time'] })]), 'no-start.fit');
    expect(a!.sport).toBe('cycling');
    expect(a!.startTime.getTime()).toBe(START.getTime()); // timestamp − total_elapsed_time
    expect(a!.avgPower).toBeCloseTo(200, 0);
    expect(a!.power).toBe('measured');
    expect(a!.streams!.power).not.toBeNull();
  });

  it('a session with a sport and neither start_time nor timestamp keeps its sport and power figures', () => {
    const [a] = decodeOk(
      encodeActivityFit([steady('cycling', 0, 1200, { omitSessionFields: ['start_time', 'timestamp'] })]),
      'no-times.fit',
    );
    expect(a!.sport).toBe('cycling');
    expect(a!.startTime.getTime()).toBe(START.getTime()); // the first record
    expect(a!.avgPower).toBeCloseTo(200, 0);
    expect(Math.abs(a!.movingSeconds! - 1200)).toBeLessThanOrEqual(1);
    expect(codes(a!)).not.toContain('sport-assumed');
  });

  it('in a run + bike file, the bike session without start_time keeps its own records and power', () => {
    const run: FitSessionSpec = { sport: 'running', startTime: START, records: records(0, 1800, () => ({ heartRate: 150, speed: 3.4 })) };
    const bike = steady('cycling', 1900, 3600, { omitSessionFields: ['start_time'] });
    const activities = decodeOk(encodeActivityFit([run, bike]), 'duathlon.fit');
    expect(activities.map((a) => a.sport)).toEqual(['running', 'cycling']);
    const b = activities[1]!;
    expect(b.startTime.getTime()).toBe(at(1900).getTime());
    expect(Math.abs(b.movingSeconds! - 3600)).toBeLessThanOrEqual(2);
    expect(b.avgPower).toBeCloseTo(200, 0);
    expect(normalizedPower(b.streams!.power!)).toBeGreaterThan(195);
  });

  it('a file with power records and no session or sport message is read as a ride, with a sport-assumed warning', () => {
    const [a] = decodeOk(encodeActivityFit([steady('generic', 0, 1200, { sessionMessage: false, laps: [] })]), 'bare.fit');
    expect(a!.sport).toBe('cycling');
    expect(codes(a!)).toEqual(expect.arrayContaining(['no-session', 'sport-assumed']));
    expect(a!.warnings.find((w) => w.code === 'sport-assumed')!.message).toMatch(
      /^No sport in the file; read as a ride because it has power/,
    );
    expect(a!.streams!.power).not.toBeNull();
  });

  it('a file with only heart rate and no sport stays generic, without a warning about the sport', () => {
    const spec: FitSessionSpec = {
      sport: 'generic',
      startTime: START,
      records: records(0, 1200, () => ({ heartRate: 140 })),
      sessionMessage: false,
      laps: [],
    };
    const [a] = decodeOk(encodeActivityFit([spec]), 'hr-only.fit');
    expect(a!.sport).toBe('generic');
    expect(codes(a!)).not.toContain('sport-assumed');
  });

  it('a session whose sport field is missing takes the sport of its laps, never assumes one over it', () => {
    const run = steady('running', 0, 1200, { omitSessionFields: ['sport'] });
    const [a] = decodeOk(encodeActivityFit([run]), 'run.fit');
    expect(a!.sport).toBe('running');
    expect(codes(a!)).not.toContain('sport-assumed');
    const bare = steady('running', 0, 1200, { sessionMessage: false });
    const [b] = decodeOk(encodeActivityFit([bare]), 'run-no-session.fit');
    expect(b!.sport).toBe('running');
    expect(codes(b!)).not.toContain('sport-assumed');
  });
});
