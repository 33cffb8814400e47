/**
 * /plan's arguments.
 */
import { describe, expect, it } from 'vitest';
import { planRequest } from '../../../../src/conversation/handlers/plan.js';

describe('planRequest', () => {
  it.each([
    ['', { kind: 'week', offset: 0 }],
    ['next', { kind: 'week', offset: 1 }],
    ['Next week', { kind: 'week', offset: 1 }],
    ['week 3', { kind: 'number', week: 3 }],
    ['Week12', { kind: 'number', week: 12 }],
    ['4', { kind: 'number', week: 4 }],
    ['history', { kind: 'history' }],
    ['something else', { kind: 'week', offset: 0 }],
  ])('"%s"', (args, expected) => {
    expect(planRequest(args)).toMatchObject(expected);
  });
});
