import { afterAll, describe, expect, it } from 'vitest';
import { IngestPool } from '../../src/ingest/ingest-pool.js';
import { DEFAULT_INGEST_LIMITS } from '../../src/ingest/ingest.js';
import { buildFit } from '../support/hostile-inputs.js';

// A valid 1 Hz ride of 300,000 records: within every limit, but seconds of decoding and about
// 270 MB of fit-file-parser objects.
const heavy = buildFit({ records: 300_000, start: new Date('2025-06-02T06:00:00Z'), seed: 7, meanRun: 5 }).bytes;
const light = buildFit({ records: 3_600, start: new Date('2025-06-03T06:00:00Z'), seed: 8, meanRun: 5 }).bytes;

describe('IngestPool (worker threads with time and memory budgets)', () => {
  const pools: IngestPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('reads a file off the main thread: activities, streams and the stored metrics come back', async () => {
    const pool = new IngestPool({ threads: 1 });
    pools.push(pool);
    const result = await pool.ingest(light, 'hour.fit');
    if (!result.ok) throw new Error(result.error.message);
    const [activity] = result.value.activities;
    expect(activity!.streams!.power).toBeInstanceOf(Float32Array);
    expect(activity!.streams!.power!.length).toBeGreaterThan(3_500);
    expect(activity!.startTime).toBeInstanceOf(Date);
    expect(activity!.storedMetrics?.movingSeconds).toBeGreaterThan(3_500);
  });

  it('stops a file over its time budget with too-slow, and the next file is read normally', async () => {
    const pool = new IngestPool({ threads: 1 });
    pools.push(pool);
    expect((await pool.ingest(light, 'warm-up.fit')).ok).toBe(true);
    const slow = await pool.ingest(heavy, 'slow.fit', DEFAULT_INGEST_LIMITS, { timeoutMs: 50 });
    expect(slow.ok).toBe(false);
    if (!slow.ok) {
      expect(slow.error.code).toBe('too-slow');
      expect(slow.error.message).toMatch(
        /^slow\.fit was not read: it took longer than 1 s, the most one file may take\. Nothing was stored\./,
      );
    }
    const after = await pool.ingest(light, 'after.fit');
    expect(after.ok).toBe(true);
  }, 60_000);

  it('stops a worker over its heap budget with too-large, and the pool carries on', async () => {
    const pool = new IngestPool({ threads: 1, memoryMb: 64 });
    pools.push(pool);
    const big = await pool.ingest(heavy, 'heavy.fit');
    expect(big.ok).toBe(false);
    if (!big.ok) {
      expect(big.error.code).toBe('too-large');
      expect(big.error.message).toMatch(/needed more than 64\.0 MB of memory/);
    }
    const after = await pool.ingest(light, 'after.fit');
    expect(after.ok).toBe(true);
  }, 60_000);

  it('refuses more activities than may still be stored, without copying them back', async () => {
    const pool = new IngestPool({ threads: 1 });
    pools.push(pool);
    const result = await pool.ingest(light, 'hour.fit', DEFAULT_INGEST_LIMITS, { activityLimit: { room: 0, stored: 25_000, max: 25_000 } });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({
        code: 'too-large',
        message: expect.stringMatching(
          /^hour\.fit was refused: it holds one activity; with the 25,000 stored that is more than the 25,000 I keep per athlete\. Nothing was stored\./,
        ),
      });
  });
});
