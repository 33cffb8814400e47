/**
 * The post-ride message (key numbers, compliance, form, plan changes, where it came from) and the
 * words of a backfill, with real numbers.
 */
import { describe, expect, it } from 'vitest';
import {
  backfillProgressText,
  backfillSummaryText,
  postRideReply,
  type PostRide,
} from '../../../../src/conversation/messages/post-ride.js';
import type { WorkoutMatch } from '../../../../src/domain/coaching/types.js';
import type { StoredMetrics } from '../../../../src/domain/metrics/stored-metrics.js';
import type { StoredActivity } from '../../../../src/store/records.js';
import { makeActivity } from '../../domain/metrics/fixtures.js';

/** Tuesday 22 Sep 2026, 17:30 in Berlin: 1:05 h, 32.4 km, 215 W average, NP 231 W, 142 bpm. */
function stored(overrides: { activity?: Parameters<typeof makeActivity>[0]; metrics?: Partial<StoredMetrics> } = {}): StoredActivity {
  const activity = makeActivity({
    name: 'Evening sweet spot',
    startTime: new Date('2026-09-22T15:30:00Z'),
    movingSeconds: 3900,
    distanceMeters: 32_400,
    ...overrides.activity,
  });
  const metrics: StoredMetrics = {
    source: 'stream',
    hasCyclingPower: true,
    movingSeconds: 3900,
    avgPower: 215,
    avgPowerNoZeros: 220,
    normalizedPower: 231,
    maxPower: 610,
    workKilojoules: 838,
    variabilityIndex: 1.07,
    efficiencyFactor: 1.63,
    aerobicDecouplingPercent: 2.1,
    powerCurve: [],
    avgHeartRate: 142,
    maxHeartRate: 171,
    ...overrides.metrics,
  };
  return { activity, metrics, sources: ['ride.fit'] };
}

const MATCH: WorkoutMatch = {
  activityId: 'a1',
  workoutKey: '2026-09-22#0',
  date: '2026-09-22',
  rideDate: '2026-09-22',
  status: 'done',
  workoutName: 'Sweet spot 3×10',
  ftp: 270,
  session: { plannedMinutes: 65, doneMinutes: 65, plannedTss: 77, doneTss: 79.4, plannedIf: 0.85, doneIf: 0.856 },
  intervals: [],
};

function ride(overrides: Partial<PostRide> = {}): PostRide {
  return {
    activity: stored(),
    match: null,
    form: null,
    changes: [],
    ftpNote: null,
    units: 'metric',
    source: null,
    timeZone: 'Europe/Berlin',
    ...overrides,
  };
}

describe('postRideReply', () => {
  it('a planned workout from Strava: title, key numbers, the compliance line, form, the plan change and the source', () => {
    const reply = postRideReply(
      ride({
        match: MATCH,
        form: { ctl: 54.04, atl: 61.2, tsb: -7.16 },
        changes: [{ kind: 'lowered', text: "Thursday's Threshold 2×10 lowered to 95 %: Tuesday's set faded." }],
        source: 'Strava',
      }),
    );
    expect(reply.title).toBe('Evening sweet spot · Tuesday 22 Sep');
    expect(reply.text.split('\n')).toEqual([
      '1:05 h · 32.4 km · avg 215 W, NP 231 W · 79 TSS, IF 0.86 · avg HR 142 bpm.',
      'Tuesday · Sweet spot 3×10: done — 1:05 h of 1:05 h, 79 of 77 TSS.',
      'Form: fitness (CTL) 54.0, fatigue (ATL) 61.2, form (TSB) -7.2 — you are in balance: normal training.',
      'Your plan changed:',
      "• Thursday's Threshold 2×10 lowered to 95 %: Tuesday's set faded.",
      '(from Strava)',
    ]);
    expect(reply.fields).toEqual([
      { name: 'Duration', value: '1:05 h' },
      { name: 'Distance', value: '32.4 km' },
      { name: 'Avg power', value: '215 W' },
      { name: 'NP', value: '231 W' },
      { name: 'TSS', value: '79' },
      { name: 'IF', value: '0.86' },
      { name: 'Avg heart rate', value: '142 bpm' },
    ]);
  });

  it('without a match, TSS and IF come from NP and the FTP of the day; miles for imperial; "not in your plan" with a plan', () => {
    // NP 231 W at FTP 250: IF 0.924, 1.083 h × 0.924² × 100 = 92.5 TSS
    const reply = postRideReply(ride({ ftp: 250, units: 'imperial', hasPlan: true }));
    const lines = reply.text.split('\n');
    expect(lines[0]).toBe('1:05 h · 20.1 mi · avg 215 W, NP 231 W · 92 TSS, IF 0.92 · avg HR 142 bpm.');
    expect(lines[1]).toBe("Not in your plan: it falls outside your plan's weeks.");
    expect(lines).toHaveLength(2);
  });

  it('no plan: no compliance line; an upload has no source line', () => {
    const reply = postRideReply(ride({ ftp: 250 }));
    expect(reply.text).not.toMatch(/plan/);
    expect(reply.text).not.toMatch(/\(from /);
  });

  it("Strava's estimated power is said as such; a ride without power says so", () => {
    const estimated = stored({
      activity: { power: 'estimated', avgPower: 180, normalizedPower: null, sourceKind: 'strava-api' },
      metrics: { hasCyclingPower: false, avgPower: null, normalizedPower: null, avgHeartRate: null },
    });
    const said = postRideReply(ride({ activity: estimated, ftp: 250, source: 'Strava' }));
    // 180 W taken as NP at FTP 250: IF 0.72, 1.083 h × 0.5184 × 100 = 56 TSS
    expect(said.text.split('\n')[0]).toBe("1:05 h · 32.4 km · avg 180 W (Strava's estimate: no power meter) · 56 TSS, IF 0.72.");
    expect(said.fields).toContainEqual({ name: 'TSS (estimated)', value: '56' });

    const none = stored({
      activity: { name: null },
      metrics: { hasCyclingPower: false, avgPower: null, normalizedPower: null },
    });
    const plain = postRideReply(ride({ activity: none, ftp: 250 }));
    expect(plain.title).toBe('Ride · Tuesday 22 Sep');
    expect(plain.text.split('\n')[0]).toBe('1:05 h · 32.4 km · no power in this ride · avg HR 142 bpm.');
  });

  it("the ride's day is the athlete's: a ride at 23:30 UTC is the next day in Berlin; the FTP note is said", () => {
    const late = stored({ activity: { startTime: new Date('2026-09-22T23:30:00Z') } });
    const reply = postRideReply(ride({ activity: late, ftpNote: 'Your rides suggest an FTP of 280 W: /profile ftp 280 to use it.' }));
    expect(reply.title).toBe('Evening sweet spot · Wednesday 23 Sep');
    expect(reply.text).toContain('Your rides suggest an FTP of 280 W');
  });

  it('an extra ride in the plan says so with its TSS', () => {
    const extra: WorkoutMatch = { ...MATCH, workoutKey: null, status: 'extra', workoutName: null };
    expect(postRideReply(ride({ match: extra })).text).toContain("Tuesday's ride wasn't in the plan: 79 TSS extra.");
  });
});

describe('the backfill', () => {
  it('progress: while listing, while fetching, and waiting for the service, in the athlete zone', () => {
    expect(backfillProgressText({ service: 'intervals.icu', done: 0, total: null, waitingUntil: null, timeZone: 'UTC' })).toMatch(
      /^intervals\.icu: looking for your rides — 0 fetched so far\./,
    );
    expect(backfillProgressText({ service: 'intervals.icu', done: 40, total: 1212, waitingUntil: null, timeZone: 'UTC' })).toMatch(
      /^intervals\.icu: fetching your rides — 40 of 1,212 so far\./,
    );
    const waiting = backfillProgressText({
      service: 'Strava',
      done: 100,
      total: 212,
      waitingUntil: new Date('2026-09-22T12:05:00Z'),
      timeZone: 'Europe/Berlin',
    });
    expect(waiting).toContain('Strava limits how fast I may fetch: I continue at Tue 14:05, by myself.');
  });

  it('summary: fetched, new, already here, not rides, failed, and the plan', () => {
    const text = backfillSummaryText({
      service: 'Strava',
      fetched: 212,
      newRides: 180,
      alreadyHere: 20,
      notRides: 10,
      failed: 2,
      planChanged: 'Your plan changed:\n• Week 2 eased.',
    });
    expect(text.split('\n')).toEqual([
      'Strava: done — 212 activities looked at: 180 new rides, 20 already here, 10 activities that are not a ride, skipped, 2 that could not be read.',
      '/activities lists them; /analyze reads your history and plans the next weeks.',
      'Your plan changed:',
      '• Week 2 eased.',
    ]);
    expect(
      backfillSummaryText({ service: 'intervals.icu', fetched: 1, newRides: 0, alreadyHere: 1, notRides: 0, failed: 0, planChanged: null }),
    ).toBe(
      'intervals.icu: done — 1 activity looked at: 0 new rides, 1 already here.\nNothing new to add: your history here was already complete.',
    );
  });
});
