/**
 * Synthetic rides every third day from 1 July 2026 (one in four with intervals), decoded from FIT
 * as an upload would be: for orchestrator tests whose athlete needs a few rides of a given kind.
 */
import type { Activity } from '../../src/domain/activity.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';

/** `count` rides at FTP 240, with power meter and heart rate unless told otherwise. */
export function julyRides(count: number, options: { powerMeter?: boolean; heartRateMonitor?: boolean } = {}): Activity[] {
  return Array.from({ length: count }, (_, i) => {
    const spec = syntheticRide({
      seed: 40 + i,
      startTime: new Date(Date.UTC(2026, 6, 1 + i * 3, 7)),
      durationSeconds: 3600 + (i % 3) * 1800,
      ftp: 240,
      kind: i % 4 === 0 ? 'intervals' : 'endurance',
      powerMeter: options.powerMeter ?? true,
      heartRateMonitor: options.heartRateMonitor ?? true,
    });
    const decoded = decodeFit(encodeActivityFit([spec]), `r${i}.fit`);
    if (!decoded.ok) throw new Error(decoded.error.message);
    return decoded.value[0]!;
  });
}
