/**
 * The grounding check on a model's answer: every figure and date must come from a tool result
 * (rounded, small counts allowed), and a sentence with an invented one can be removed.
 */
import { describe, expect, it } from 'vitest';
import { removeFigures, ungroundedFigures } from '../../../src/conversation/grounding.js';

describe('grounding check', () => {
  const tool = '{"ctl":54.3,"atl":61.8,"tsb":-7.5,"ftp":260,"best20":271.4,"date":"2026-10-30","polar":{"easy":0.742}}';
  it('accepts figures from tool results, rounded; dates; small counts', () => {
    expect(
      ungroundedFigures('CTL 54.3, ATL 62, TSB −7.5, FTP 260 W, best 20 min 271 W on 2026-10-30; 3 rides; 74 % easy.', [tool]),
    ).toEqual([]);
  });
  it('catches an invented figure and an invented date', () => {
    expect(ungroundedFigures('Your FTP is 275 W and CTL 54.3.', [tool])).toEqual(['275']);
    expect(ungroundedFigures('Your best was on 2026-09-01.', [tool])).toEqual(['2026-09-01']);
  });
  it('a small figure with a unit or a metric is a claim, not a count', () => {
    expect(ungroundedFigures('Your TSB is -10.', [tool])).toEqual(['-10']);
    expect(ungroundedFigures('Your FTP rose by 9 W.', [tool])).toEqual(['9']);
    expect(ungroundedFigures('That is 2 % more than before.', [tool])).toEqual(['2']);
    expect(ungroundedFigures('TSB of 6 means you are fresh.', [tool])).toEqual(['6']);
    expect(ungroundedFigures('Take 2 easy days after 3 hard sessions.', [tool])).toEqual([]);
  });
  it('removes the sentence that carries it', () => {
    expect(removeFigures('CTL is 54.3. Your FTP should be 275 W. Keep going!', ['275'])).toBe('CTL is 54.3. Keep going!');
  });
});
