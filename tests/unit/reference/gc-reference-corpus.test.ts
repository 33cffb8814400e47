/**
 * The reference (tests/support/reference) validated on real files against figures that do not
 * come from the product: the head unit's own NP (README of ../shared/data) and the known
 * GoldenCheetah-style best 20 minutes of edge530-stops.fit (≈ 226 W, not the 253 W one gets by
 * joining efforts across the 35 stops).
 */
import { expect, it } from 'vitest';
import { analyzeFitReference, type ReferenceSession } from '../../support/reference/gc-reference.js';
import { corpusBytes, describeCorpus } from '../../support/corpus.js';

/** Device NP as the head unit wrote it (../shared/data/README.md). */
const DEVICE_NP: Record<string, number> = {
  'edge810-vector.fit': 301,
  'edge530-stops.fit': 264,
  'wahoo-elemnt-pauses.fit': 157,
  'edge800-indoor-trainer.fit': 228,
  'road-with-power.fit': 151,
  'mtb-with-zones.fit': 147,
  'edge510-no-hr.fit': 229,
  'edge530-indoor-hrv.fit': 250,
  'edge1000-wrong-ftp.fit': 267,
};
/**
 * The README's "within about 1-3 %". GoldenCheetah never resets its 30-s window at a stop, the
 * head units do: on the rides with many long stops (road-with-power, wahoo-elemnt-pauses) the
 * reference sits about 2.6 % under the device; everywhere else within 1.1 %.
 */
const DEVICE_NP_TOLERANCE = 3;

function session(file: string): ReferenceSession {
  const result = analyzeFitReference(corpusBytes('fit', file), { ftp: 250 });
  if (!result.ok) throw new Error(`${file}: ${result.reason}`);
  expect(result.sessions).toHaveLength(1);
  return result.sessions[0]!;
}

describeCorpus('the GoldenCheetah-style reference on real files', () => {
  it("reproduces the head unit's NP", () => {
    const rows = Object.entries(DEVICE_NP).map(([file, device]) => {
      const s = session(file);
      expect(s.device.normalizedPower).toBe(device); // the README and the file agree
      return { file, device, reference: Number(s.normalizedPower!.toFixed(1)), diff: ((s.normalizedPower! - device) / device) * 100 };
    });
    console.table(rows.map((r) => ({ ...r, diff: `${r.diff.toFixed(2)} %` })));
    for (const r of rows)
      expect(Math.abs(r.diff), `${r.file}: reference NP ${r.reference} vs device ${r.device}`).toBeLessThanOrEqual(DEVICE_NP_TOLERANCE);
  });

  it('finds the best 20 minutes of edge530-stops.fit over clock time (≈ 226 W)', () => {
    const s = session('edge530-stops.fit');
    expect(s.stats.pauses).toBeGreaterThan(10);
    expect(s.meanMax[1200]).toBeGreaterThan(223);
    expect(s.meanMax[1200]).toBeLessThan(229);
  });

  it('reads the run with power as running, and the damaged files as damaged', () => {
    expect(session('run-with-power.fit')).toMatchObject({ sport: 'running', hasPower: true });
    for (const file of ['bad-truncated.fit', 'bad-file-crc.fit']) {
      const result = analyzeFitReference(corpusBytes('fit', file), { ftp: 250 });
      expect(result.ok ? 'ok' : result.reason, file).toMatch(/^damaged/);
    }
  });

  it('merges the duplicate timestamps of the Onelap file and interpolates what they leave', () => {
    const s = session('onelap-indoor-dup-timestamps.fit');
    expect(s.stats.mergedSameSecond).toBe(24);
    expect(s.stats.pauses).toBe(0);
  });
});
