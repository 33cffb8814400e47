/**
 * The streams BLOB codec: values that overflowed the old Int32 deltas (a ride across the 180°
 * meridian, elapsed times past 2^31 s) round-trip, gaps stay gaps, and blobs in the old "DST2"
 * layout (hand-built here, as users' databases hold them) still decode.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Streams } from '../../../src/domain/activity.js';
import { decodeStreams, encodeStreams } from '../../../src/store/stream-codec.js';

const SEMICIRCLES_PER_DEGREE = 2 ** 31 / 180;
const POSITION_RESOLUTION = 1 / SEMICIRCLES_PER_DEGREE; // one semicircle, about 8.4e-8 degrees

function streamsOf(elapsed: number[], channels: Partial<Record<Exclude<keyof Streams, 'elapsed'>, number[]>> = {}): Streams {
  const f32 = (name: 'power' | 'heartRate' | 'cadence' | 'speed' | 'altitude') =>
    channels[name] ? Float32Array.from(channels[name]) : null;
  const f64 = (name: 'distance' | 'latitude' | 'longitude') => (channels[name] ? Float64Array.from(channels[name]) : null);
  return {
    elapsed: Float64Array.from(elapsed),
    power: f32('power'),
    heartRate: f32('heartRate'),
    cadence: f32('cadence'),
    speed: f32('speed'),
    altitude: f32('altitude'),
    distance: f64('distance'),
    latitude: f64('latitude'),
    longitude: f64('longitude'),
  };
}

function expectClose(actual: ArrayLike<number> | null, expected: number[], tolerance: number): void {
  expect(actual).not.toBeNull();
  expect(actual!.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]!)) expect(Number.isNaN(actual![i]!), `[${i}] is NaN`).toBe(true);
    else expect(Math.abs(actual![i]! - expected[i]!), `[${i}] ${actual![i]} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance + 1e-9);
  }
}

/** The "DST2" layout written until now: Int32 words [magic, n, mask, elapsed deltas, channel deltas...], deflated raw. */
function oldBlob(streams: Streams): Buffer {
  const channels = [
    ['power', 10],
    ['heartRate', 10],
    ['cadence', 10],
    ['speed', 1000],
    ['altitude', 100],
    ['distance', 100],
    ['latitude', SEMICIRCLES_PER_DEGREE],
    ['longitude', SEMICIRCLES_PER_DEGREE],
  ] as const;
  const n = streams.elapsed.length;
  const present = channels.filter(([name]) => streams[name] !== null);
  let mask = 0;
  channels.forEach(([name], bit) => {
    if (streams[name] !== null) mask |= 1 << bit;
  });
  const data = new Int32Array(3 + n * (1 + present.length));
  data[0] = 0x44535432;
  data[1] = n;
  data[2] = mask;
  const put = (values: ArrayLike<number>, scale: number, at: number) => {
    let previous: number | null = null;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        data[at + i] = -2147483648;
        previous = null;
        continue;
      }
      const q = Math.round(v * scale);
      data[at + i] = previous === null ? q : q - previous; // Int32Array stores modulo 2^32
      previous = q;
    }
  };
  put(streams.elapsed, 1, 3);
  present.forEach(([name, scale], k) => put(streams[name]!, scale, 3 + n * (k + 1)));
  return deflateRawSync(Buffer.from(data.buffer), { level: 6 });
}

describe('stream codec', () => {
  it('round-trips a ride across the 180° meridian, both ways', () => {
    const longitude = [179.9997, 179.9998, 179.9999, -179.9999, -179.9998, -179.9999, 179.9999, 179.9998];
    const latitude = [-16.5, -16.50001, -16.50002, -16.50003, -16.50004, -16.50005, -16.50006, -16.50007];
    const s = streamsOf([0, 1, 2, 3, 4, 5, 6, 7], { latitude, longitude });
    const back = decodeStreams(encodeStreams(s));
    expectClose(back.longitude, longitude, POSITION_RESOLUTION);
    expectClose(back.latitude, latitude, POSITION_RESOLUTION);
    for (const lon of back.longitude!) expect(Math.abs(lon)).toBeLessThanOrEqual(180);
    // the extremes themselves
    const edges = [-180, 180, -180, 0, 180, 89.9999999, -89.9999999];
    expectClose(
      decodeStreams(encodeStreams(streamsOf([0, 1, 2, 3, 4, 5, 6], { longitude: edges, latitude: edges.map((x) => x / 2) }))).longitude,
      edges,
      POSITION_RESOLUTION,
    );
  });

  it('round-trips elapsed times up to 1e9 s and past 2^31 s, and big distances', () => {
    const elapsed = [0, 1, 2, 1e9, 1e9 + 1, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 + 5, 3, 2 ** 40, 0];
    const distance = elapsed.map((t) => t * 7.25);
    const back = decodeStreams(encodeStreams(streamsOf(elapsed, { distance })));
    expect(Array.from(back.elapsed)).toEqual(elapsed);
    expectClose(back.distance, distance, 0.005);
  });

  it('keeps NaN gaps (also at the start and end, and before a huge jump) and huge finite values', () => {
    const power = [NaN, 250, NaN, NaN, 251, 0, 1999, NaN];
    const longitude = [NaN, 179.9999, NaN, -179.9999, 179.9999, NaN, -179.9999, -179.9998];
    const distance = [1e20, -1e20, 5, NaN, 1e300, 12.34, Number.MAX_VALUE, 0];
    const s = streamsOf([0, 1, 2, 3, 4, 5, 6, 7], { power, longitude, distance });
    s.elapsed[7] = NaN;
    const back = decodeStreams(encodeStreams(s));
    expect(Array.from(back.power!)).toEqual(power);
    expectClose(back.longitude, longitude, POSITION_RESOLUTION);
    expect(Array.from(back.distance!)).toEqual([1e20, -1e20, 5, NaN, 1e300, 12.34, Number.MAX_VALUE, 0]);
    expect(Array.from(back.elapsed)).toEqual([0, 1, 2, 3, 4, 5, 6, NaN]);
    expect(back.heartRate).toBeNull();
  });

  it('round-trips every channel of a long ride to its resolution', () => {
    const n = 4000;
    const elapsed = Array.from({ length: n }, (_, i) => i);
    const channels = {
      power: elapsed.map((i) => Math.round(200 + 100 * Math.sin(i / 30))),
      heartRate: elapsed.map((i) => 120 + (i % 50)),
      cadence: elapsed.map((i) => 85 + (i % 7) / 10),
      speed: elapsed.map((i) => 9 + Math.sin(i / 100)),
      altitude: elapsed.map((i) => -20 + i / 10),
      distance: elapsed.map((i) => i * 9.123),
      latitude: elapsed.map((i) => 45 + i * 1e-5),
      longitude: elapsed.map((i) => 179.98 + i * 1e-5 - (179.98 + i * 1e-5 > 180 ? 360 : 0)),
    };
    const back = decodeStreams(encodeStreams(streamsOf(elapsed, channels)));
    expect(Array.from(back.elapsed)).toEqual(elapsed);
    expect(Array.from(back.power!)).toEqual(channels.power);
    expect(Array.from(back.heartRate!)).toEqual(channels.heartRate);
    expectClose(back.cadence, channels.cadence, 0.05 + 1e-5);
    expectClose(back.speed, channels.speed, 0.0005 + 1e-6);
    expectClose(back.altitude, channels.altitude, 0.005 + 1e-5);
    expectClose(back.distance, channels.distance, 0.005);
    expectClose(back.latitude, channels.latitude, POSITION_RESOLUTION);
    expectClose(back.longitude, channels.longitude, POSITION_RESOLUTION);
  });

  it('writes a versioned blob that is not the old layout', () => {
    const raw = inflateRawSync(encodeStreams(streamsOf([0, 1, 2], { power: [1, 2, 3] })));
    expect(raw.subarray(0, 4).toString('latin1')).toBe('3TSD'); // 0x44535433 little-endian
  });

  it('still decodes blobs written in the old DST2 layout', () => {
    const power = [250, NaN, NaN, 251, 0, 1999];
    const latitude = [47.1, 47.10001, NaN, 47.10002, 47.10003, 47.10004];
    const longitude = [8.5, 8.50001, 8.50002, NaN, 8.50003, 8.50004];
    const altitude = [400, 400.01, 400.02, 400.03, 400.04, 400.05];
    const s = streamsOf([0, 1, 2, 3, 4, 5], { power, latitude, longitude, altitude });
    const blob = oldBlob(s);
    expect(inflateRawSync(blob).readInt32LE(0)).toBe(0x44535432);
    const back = decodeStreams(blob);
    expect(Array.from(back.elapsed)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(back.power!)).toEqual(power);
    expectClose(back.latitude, latitude, POSITION_RESOLUTION);
    expectClose(back.longitude, longitude, POSITION_RESOLUTION);
    expectClose(back.altitude, altitude, 0.005 + 1e-5);
    expect(back.heartRate).toBeNull();
    expect(back.distance).toBeNull();
  });

  it('reads a meridian crossing stored by the old encoder (its Int32 deltas wrapped) correctly', () => {
    const longitude = [179.99, -179.99, -179.98, 179.99];
    const blob = oldBlob(streamsOf([0, 1, 2, 3], { longitude }));
    expectClose(decodeStreams(blob).longitude, longitude, POSITION_RESOLUTION);
  });

  it('refuses a blob of neither layout and a truncated one', () => {
    expect(() => decodeStreams(deflateRawSync(Buffer.from('not streams at all')))).toThrow(/unknown format/);
    const raw = inflateRawSync(encodeStreams(streamsOf([0, 1, 2, 3], { power: [1, 2, 3, 4] })));
    expect(() => decodeStreams(deflateRawSync(raw.subarray(0, raw.length - 2)))).toThrow(/truncated/);
  });
});
