/**
 * The 1 Hz streams as one compact BLOB. Each channel is quantised to integers at (or finer than)
 * the FIT file's own resolution — power, heart rate and cadence to 0.1, speed to 1 mm/s,
 * altitude and distance to 1 cm, positions to FIT semicircles — then delta-encoded (smooth
 * signals become small numbers) and the whole deflated. Device values come back exactly; our
 * own interpolated values come back to that resolution.
 *
 * Two layouts, told apart by the first four (little-endian) bytes of the inflated blob:
 *
 * - "DST3" (written now): magic, then n and the channel mask as varints, then channel by channel
 *   (elapsed first, then the present channels in CHANNELS order) one varint token per sample:
 *   0 = missing (NaN); 1 = escape, the value follows whole as a little-endian float64 (values whose
 *   quantised integer is beyond ±2^50); k ≥ 2 = the zigzag-encoded delta k − 2 from the previous
 *   quantised value (from 0 after a missing or escaped sample). Deltas are exact doubles, so a ride
 *   across the 180° meridian (a jump of ~2^32 semicircles) or an elapsed time past 2^31 s comes
 *   back right.
 * - "DST2" (older blobs, still read): Int32 words [magic, n, mask, deltas...] with Int32 minimum as
 *   the missing marker. Int32 arithmetic wrapped big deltas at write time; reading adds modulo
 *   2^32, which restores every value whose quantised integer fits in 32 bits (e.g. a meridian
 *   crossing written by the old encoder).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Streams } from '../domain/activity.js';

const MAGIC_V2 = 0x44535432; // "DST2": Int32 deltas (read only)
const MAGIC_V3 = 0x44535433; // "DST3": zigzag varint deltas
const MISSING_V2 = -2147483648; // Int32 minimum marks a missing (NaN) sample in DST2
const SEMICIRCLES_PER_DEGREE = 2 ** 31 / 180;

/** DST3 tokens: 0 = missing, 1 = escaped float64, k >= 2 = zigzag delta k - 2. */
const TOKEN_MISSING = 0;
const TOKEN_ESCAPE = 1;
const TOKEN_DELTA = 2;
/** Quantised values beyond this are written whole (escaped); deltas stay below 2^51, tokens below 2^53. */
const MAX_QUANTISED = 2 ** 50;

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

/** A growing byte buffer for unsigned varints (any non-negative safe integer) and float64s. */
class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(64, capacity));
    this.view = new DataView(this.bytes.buffer);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  uint32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  float64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  varint(value: number): void {
    this.ensure(8); // 2^53 needs at most 8 bytes of 7 bits
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }

  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

class ByteReader {
  private readonly view: DataView;
  at = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number): void {
    if (this.at + count > this.bytes.length) throw new Error('stored streams are truncated');
  }

  uint32(): number {
    this.need(4);
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  float64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }

  varint(): number {
    let value = 0;
    let factor = 1;
    for (let shift = 0; shift < 56; shift += 7) {
      this.need(1);
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 0x80;
    }
    throw new Error('stored streams have a malformed number');
  }
}

const zigzag = (d: number): number => (d >= 0 ? 2 * d : -2 * d - 1);
const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

/** Quantise and delta-encode one channel as n DST3 tokens (samples past the array's end are missing). */
function encodeChannel(values: ArrayLike<number>, n: number, scale: number, out: ByteWriter): void {
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const v = i < values.length ? values[i]! : NaN;
    if (!Number.isFinite(v)) {
      out.varint(TOKEN_MISSING);
      previous = 0;
      continue;
    }
    const q = Math.round(v * scale);
    if (!(Math.abs(q) <= MAX_QUANTISED)) {
      out.varint(TOKEN_ESCAPE);
      out.float64(v);
      previous = 0;
      continue;
    }
    out.varint(TOKEN_DELTA + zigzag(q - previous));
    previous = q;
  }
}

function decodeChannel(input: ByteReader, n: number, scale: number, target: Float32Array | Float64Array): void {
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const token = input.varint();
    if (token === TOKEN_MISSING) {
      target[i] = NaN;
      previous = 0;
    } else if (token === TOKEN_ESCAPE) {
      target[i] = input.float64();
      previous = 0;
    } else {
      const q = previous + unzigzag(token - TOKEN_DELTA);
      target[i] = q / scale;
      previous = q;
    }
  }
}

export function encodeStreams(streams: Streams): Buffer {
  const n = streams.elapsed.length;
  const present = CHANNELS.filter((c) => streams[c.name] !== null);
  let mask = 0;
  CHANNELS.forEach((c, bit) => {
    if (streams[c.name] !== null) mask |= 1 << bit;
  });
  const out = new ByteWriter(16 + n * (1 + present.length) * 2);
  out.uint32(MAGIC_V3);
  out.varint(n);
  out.varint(mask);
  encodeChannel(streams.elapsed, n, 1, out);
  for (const c of present) encodeChannel(streams[c.name]!, n, c.scale, out);
  return deflateRawSync(out.result(), { level: 6 });
}

function emptyStreams(elapsed: Float64Array): Streams {
  return {
    elapsed,
    power: null,
    heartRate: null,
    cadence: null,
    speed: null,
    altitude: null,
    distance: null,
    latitude: null,
    longitude: null,
  };
}

function decodeV3(raw: Uint8Array): Streams {
  const input = new ByteReader(raw);
  input.uint32(); // magic
  const n = input.varint();
  const mask = input.varint();
  if (n > raw.length) throw new Error('stored streams are truncated'); // every sample takes at least one byte
  const elapsed = new Float64Array(n);
  decodeChannel(input, n, 1, elapsed);
  const streams = emptyStreams(elapsed);
  CHANNELS.forEach((c, bit) => {
    if ((mask & (1 << bit)) === 0) return;
    const target = c.kind === 'f32' ? new Float32Array(n) : new Float64Array(n);
    decodeChannel(input, n, c.scale, target);
    (streams as unknown as Record<Channel, Float32Array | Float64Array>)[c.name] = target;
  });
  return streams;
}

/**
 * DST2 deltas were written through Int32 words, so both a first value and a delta were stored
 * modulo 2^32; adding them back modulo 2^32 (`| 0`) restores each value whose quantised integer
 * fits in Int32 (all positions, and any elapsed time below 2^31 s).
 */
function deltaDecodeV2(data: Int32Array, at: number, n: number, scale: number, target: Float32Array | Float64Array): void {
  let previous: number | null = null;
  for (let i = 0; i < n; i++) {
    const d = data[at + i]!;
    if (d === MISSING_V2) {
      target[i] = NaN;
      previous = null;
      continue;
    }
    const q: number = previous === null ? d : (previous + d) | 0;
    target[i] = q / scale;
    previous = q;
  }
}

function decodeV2(raw: Uint8Array): Streams {
  if (raw.byteLength % 4 !== 0) throw new Error('stored streams have an unknown format');
  const data = new Int32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
  if (data[0] !== MAGIC_V2) throw new Error('stored streams have an unknown format');
  const n = data[1]!;
  const mask = data[2]!;
  const elapsed = new Float64Array(n);
  deltaDecodeV2(data, 3, n, 1, elapsed);
  const streams = emptyStreams(elapsed);
  let k = 0;
  CHANNELS.forEach((c, bit) => {
    if ((mask & (1 << bit)) === 0) return;
    const target = c.kind === 'f32' ? new Float32Array(n) : new Float64Array(n);
    deltaDecodeV2(data, 3 + n * (k + 1), n, c.scale, target);
    (streams as unknown as Record<Channel, Float32Array | Float64Array>)[c.name] = target;
    k += 1;
  });
  return streams;
}

export function decodeStreams(blob: Uint8Array): Streams {
  const raw = inflateRawSync(blob);
  if (raw.byteLength >= 4 && raw.readUInt32LE(0) === MAGIC_V3) return decodeV3(raw);
  return decodeV2(raw);
}
