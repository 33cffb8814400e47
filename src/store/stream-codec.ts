/**
 * The 1 Hz streams as one compact BLOB. Each channel is quantised to integers at (or finer than)
 * the FIT file's own resolution — power, heart rate and cadence to 0.1, speed to 1 mm/s,
 * altitude and distance to 1 cm, positions to FIT semicircles — then delta-encoded (smooth
 * signals become small numbers) and the whole deflated. Device values come back exactly; our
 * own interpolated values come back to that resolution. Measured: about 2.4× smaller than
 * deflated Float32/Float64 arrays.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Streams } from '../domain/activity.js';

const MAGIC = 0x44535432; // "DST2"
const MISSING = -2147483648; // Int32 minimum marks a missing (NaN) sample
const SEMICIRCLES_PER_DEGREE = 2 ** 31 / 180;

type Channel = Exclude<keyof Streams, 'elapsed'>;
const CHANNELS: readonly { name: Channel; scale: number; kind: 'f32' | 'f64' }[] = [
  { name: 'power', scale: 10, kind: 'f32' },
  { name: 'heartRate', scale: 10, kind: 'f32' },
  { name: 'cadence', scale: 10, kind: 'f32' },
  { name: 'speed', scale: 1000, kind: 'f32' },
  { name: 'altitude', scale: 100, kind: 'f32' },
  { name: 'distance', scale: 100, kind: 'f64' },
  { name: 'latitude', scale: SEMICIRCLES_PER_DEGREE, kind: 'f64' },
  { name: 'longitude', scale: SEMICIRCLES_PER_DEGREE, kind: 'f64' },
];

/** Quantise and delta-encode; after a missing sample the next value is written whole. */
function deltaEncode(values: ArrayLike<number>, scale: number, out: Int32Array, at: number): void {
  let previous: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[at + i] = MISSING;
      previous = null;
      continue;
    }
    const q = Math.round(v * scale);
    out[at + i] = previous === null ? q : q - previous;
    previous = q;
  }
}

function deltaDecode(data: Int32Array, at: number, n: number, scale: number, target: Float32Array | Float64Array): void {
  let previous: number | null = null;
  for (let i = 0; i < n; i++) {
    const d = data[at + i]!;
    if (d === MISSING) {
      target[i] = NaN;
      previous = null;
      continue;
    }
    const q: number = previous === null ? d : previous + d;
    target[i] = q / scale;
    previous = q;
  }
}

export function encodeStreams(streams: Streams): Buffer {
  const n = streams.elapsed.length;
  const present = CHANNELS.filter((c) => streams[c.name] !== null);
  let mask = 0;
  CHANNELS.forEach((c, bit) => {
    if (streams[c.name] !== null) mask |= 1 << bit;
  });
  const data = new Int32Array(3 + n * (1 + present.length));
  data[0] = MAGIC;
  data[1] = n;
  data[2] = mask;
  deltaEncode(streams.elapsed, 1, data, 3);
  present.forEach((c, k) => deltaEncode(streams[c.name]!, c.scale, data, 3 + n * (k + 1)));
  return deflateRawSync(Buffer.from(data.buffer), { level: 6 });
}

export function decodeStreams(blob: Uint8Array): Streams {
  const raw = inflateRawSync(blob);
  const data = new Int32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
  if (data[0] !== MAGIC) throw new Error('stored streams have an unknown format');
  const n = data[1]!;
  const mask = data[2]!;
  const elapsed = new Float64Array(n);
  deltaDecode(data, 3, n, 1, elapsed);
  const streams: Streams = { elapsed, power: null, heartRate: null, cadence: null, speed: null, altitude: null, distance: null, latitude: null, longitude: null };
  let k = 0;
  CHANNELS.forEach((c, bit) => {
    if ((mask & (1 << bit)) === 0) return;
    const target = c.kind === 'f32' ? new Float32Array(n) : new Float64Array(n);
    deltaDecode(data, 3 + n * (k + 1), n, c.scale, target);
    (streams as unknown as Record<Channel, Float32Array | Float64Array>)[c.name] = target;
    k += 1;
  });
  return streams;
}
