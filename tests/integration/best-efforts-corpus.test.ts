/**
 * Best efforts on real rides with stops: the power curve runs on clock time (stops as 0 W, as
 * GoldenCheetah's mean-max does), so no best window joins the efforts on both sides of a stop.
 */
import { expect, it } from 'vitest';
import { describeActivity } from '../../src/app/inspect.js';
import { meanMaximalPowerExact } from '../../src/domain/metrics/index.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { corpusBytes, describeCorpus } from '../support/corpus.js';

function ride(file: string) {
  const decoded = decodeFit(corpusBytes('fit', file), file);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value[0]!;
}

describeCorpus('best efforts across stops', () => {
  it('edge530-stops.fit: best 20 min is 226 W on the clock, not the 253 W the moving stream joins across stops', () => {
    const activity = ride('edge530-stops.fit');
    const curve = describeActivity(activity, 284).powerCurve;
    expect(curve['1200']).toBe(226);
    expect(Math.round(meanMaximalPowerExact(activity.streams!.power!, [1200])[1200]!)).toBe(253); // the old, joined figure
  });

  it('road-with-power.fit: best 5 min no longer spans a stop (164 W, not 168 W)', () => {
    const activity = ride('road-with-power.fit');
    expect(describeActivity(activity, 234).powerCurve['300']).toBe(164);
    expect(Math.round(meanMaximalPowerExact(activity.streams!.power!, [300])[300]!)).toBe(168);
  });

  it('a ride without stops keeps the same curve on clock and moving time (edge810-vector.fit)', () => {
    const activity = ride('edge810-vector.fit');
    const moving = meanMaximalPowerExact(activity.streams!.power!);
    const clock = describeActivity(activity, 315).powerCurve;
    for (const [seconds, watts] of Object.entries(clock)) expect(watts, `${seconds} s`).toBe(Math.round(moving[Number(seconds)]!));
  });
});
