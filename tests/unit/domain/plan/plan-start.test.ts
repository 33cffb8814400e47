/** planStart: a return block after a long break, easy days while deeply fatigued; recoveryDay: when form is back. */
import { describe, expect, it } from 'vitest';
import {
  FATIGUED_TSB,
  planRules,
  planStart,
  recoveryDay,
  toPlannedWorkout,
  workoutById,
  type PlanInput,
} from '../../../../src/domain/plan/index.js';
import { makePlan } from './fixtures.js';

const input = (fitness: PlanInput['fitness']): PlanInput => ({
  ftp: 250,
  weeklyHours: 8,
  trainingDays: ['tue', 'thu', 'sat', 'sun'],
  planWeeks: 8,
  startDate: '2025-03-03',
  fitness,
});
const start = (fitness: PlanInput['fitness']) => planStart(input(fitness), planRules(input(fitness)));

describe('planStart', () => {
  it('fresh and recent: neither a return block nor fatigue', () => {
    expect(start({ ctl: 40, atl: 45, lastRideDate: '2025-03-01' })).toEqual({
      lastRide: '2025-03-01',
      daysOff: 2,
      returnBlock: false,
      startTsb: -5,
      fatigued: false,
    });
  });

  it('more than 28 days off: a return block, and then never "fatigued"', () => {
    const s = start({ ctl: 5, atl: 40, lastRideDate: '2025-01-01' });
    expect(s.daysOff).toBe(61);
    expect(s.returnBlock).toBe(true);
    expect(s.startTsb).toBeLessThan(FATIGUED_TSB);
    expect(s.fatigued).toBe(false);
  });

  it('form below −25: fatigued; an unknown ATL counts as CTL (form 0)', () => {
    expect(start({ ctl: 60, atl: 100 })).toMatchObject({ startTsb: -40, fatigued: true, lastRide: null, daysOff: 0 });
    expect(start({ ctl: 60 }).startTsb).toBe(0);
  });
});

describe('recoveryDay', () => {
  it('the first day whose predicted form is above −10; null when none gets there', () => {
    // Resting from CTL 60 / ATL 100: form going into each day is −40, −28.1, −17.9, −9.3 (Thursday)
    const rest = makePlan('2025-03-03', 1);
    expect(recoveryDay(rest.weeks, { ctl: 60, atl: 100 })).toBe('2025-03-06');
    // A threshold session (75 TSS) every day keeps form down all week
    const threshold = toPlannedWorkout(workoutById('threshold-2x15')!);
    expect(recoveryDay(makePlan('2025-03-03', 1, () => [threshold]).weeks, { ctl: 60, atl: 100 })).toBeNull();
    expect(recoveryDay([], { ctl: 60, atl: 100 })).toBeNull();
  });
});
