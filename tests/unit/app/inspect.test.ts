import { describe, expect, it } from 'vitest';
import { inspectJsonChunks, type InspectReport } from '../../../src/app/inspect.js';

const activity = (i: number) => ({
  source: `ride-${i}.fit`,
  sport: 'cycling',
  startTime: '2025-01-01T07:00:00.000Z',
  timerSeconds: 3600,
  elapsedSeconds: 3700,
  distanceMeters: 30000.5,
  avgPower: 200,
  normalizedPower: 210,
  tss: 61.2,
  intensityFactor: 0.84,
  avgHeartRate: null,
  warnings: [{ code: 'dropouts', message: 'a "quoted"\nline' }],
  device: { normalizedPower: null, tss: null, ftp: 250 },
  powerCurve: { '5': 600, '60': 400 },
});

describe('inspect --json written in pieces', () => {
  it('is byte for byte what JSON.stringify(report, null, 2) writes', () => {
    const cases: Pick<InspectReport, 'activities' | 'errors'>[] = [
      { activities: [], errors: [] },
      { activities: [activity(1)], errors: [] },
      {
        activities: [activity(1), activity(2), activity(3)],
        errors: [{ source: 'x.fit', code: 'too-large', message: 'x.fit was refused: …' }],
      },
      {
        activities: [],
        errors: [
          { source: 'a', code: 'b', message: 'c' },
          { source: 'd', code: 'e', message: 'f' },
        ],
      },
    ];
    for (const report of cases) expect([...inspectJsonChunks(report)].join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
});
