import { describe, expect, it } from 'vitest';
import { powerProfile, TYPICAL_RATIO_TO_FTP } from '../../../../src/domain/plan/power-profile.js';
import { offlineAnalysis } from '../../../../src/llm/offline/offline-analysis.js';

describe('offline coach power profile', () => {
  it("reads the plan engine's table: a 3.8× FTP sprint is below a well-rounded rider's 4.0×, not a strength", () => {
    // FTP 250: typical 5 s = 1000 W, 1 min = 475, 5 min = 295, 20 min = 262.5.
    const a = offlineAnalysis({ curve: { current: { 5: 950, 60: 470, 300: 300, 1200: 262 }, ftp: 250 } });
    expect(a.strengths[0]!.title).toBe('VO2max (5 min)');
    expect(a.strengths[0]!.detail).toContain(`${Math.round((300 / 250 / TYPICAL_RATIO_TO_FTP.vo2max.ratio - 1) * 100)} % above`);
    expect(a.limiters).toEqual([]); // 0.95 of typical sprint is not below the limiter threshold
  });

  it('names the limiters powerProfile names, weakest first', () => {
    const current = { 5: 800, 60: 420, 300: 290, 1200: 268 };
    const a = offlineAnalysis({ curve: { current, ftp: 250 } });
    expect(a.limiters.map((l) => l.area)).toEqual(powerProfile(current, 250).limiters);
    expect(a.limiters.map((l) => l.area)).toEqual(['sprint', 'anaerobic']);
    expect(a.summary).toContain('Main limiter: sprint (5 s).');
  });
});
