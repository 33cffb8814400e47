/**
 * Property tests: random and mutated bytes through every parser. Whatever comes in, no
 * exception escapes, and every failure carries a code and a message.
 */
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INGEST_ERROR_CODES, type IngestError } from '../../../src/ingest/ingest-error.js';
import { decodeFit } from '../../../src/ingest/fit/decode-fit.js';
import { ingestFile } from '../../../src/ingest/ingest.js';
import { encodeActivityFit } from '../../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../../src/synthetic/synthetic-ride.js';
import { corpusBytes, describeCorpus } from '../../support/corpus.js';

// Every code the ingest layer defines: a mutated file may well read as implausible or future-dated.
const CODES = new Set<string>(INGEST_ERROR_CODES);

function expectCoded(error: IngestError): void {
  expect(CODES.has(error.code), error.code).toBe(true);
  expect(error.message.length).toBeGreaterThan(10);
  expect(error.source.length).toBeGreaterThan(0);
}

/** Byte-level mutations: flips, overwrites, cuts, splices, duplications. */
const mutation = (length: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(length - 1), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(length - 1), value: fc.nat(255) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(length) }),
    fc.record({ kind: fc.constant('splice' as const), at: fc.nat(length), bytes: fc.uint8Array({ maxLength: 64 }) }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat(length - 1), count: fc.integer({ min: 1, max: 64 }) }),
  );

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; at: number; bytes: Uint8Array }
  | { kind: 'drop'; at: number; count: number };

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    const at = Math.min(m.at, Math.max(0, out.length - 1));
    if (m.kind === 'flip' && out.length > 0) out[at] = out[at]! ^ (1 << m.bit);
    else if (m.kind === 'set' && out.length > 0) out[at] = m.value;
    else if (m.kind === 'cut') out = out.subarray(0, Math.min(m.at, out.length));
    else if (m.kind === 'splice') out = new Uint8Array([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
    else if (m.kind === 'drop') out = new Uint8Array([...out.subarray(0, at), ...out.subarray(at + m.count)]);
  }
  return out;
}

function checkDecode(bytes: Uint8Array): void {
  const result = decodeFit(bytes, 'fuzz.fit');
  if (!result.ok) expectCoded(result.error);
  else for (const a of result.value) expect(Number.isFinite(a.startTime.getTime())).toBe(true);
}

async function checkIngest(bytes: Uint8Array, name: string): Promise<void> {
  const result = await ingestFile(bytes, name);
  if (!result.ok) expectCoded(result.error);
  else {
    for (const e of result.value.errors) expectCoded(e);
    for (const a of result.value.activities) expect(Number.isFinite(a.startTime.getTime())).toBe(true);
  }
}

describe('fuzz: random bytes', () => {
  it('decodeFit never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => checkDecode(bytes)),
      { numRuns: 1000 },
    );
  });

  it('decodeFit never throws on random bytes behind a valid FIT header', () => {
    const header = (size: number) => {
      const h = new Uint8Array(14);
      const v = new DataView(h.buffer);
      h[0] = 14;
      h[1] = 0x20;
      v.setUint16(2, 2132, true);
      v.setUint32(4, size, true);
      h.set([0x2e, 0x46, 0x49, 0x54], 8);
      return h;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (body, honest) => {
        const h = header(honest ? body.length : body.length + 100);
        checkDecode(new Uint8Array([...h, ...body, 0, 0]));
      }),
      { numRuns: 1000 },
    );
  });

  it('ingestFile never throws on random bytes under any file name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom('a.fit', 'a.fit.gz', 'a.zip', 'activities.csv', 'x.bin'),
        async (bytes, name) => {
          await checkIngest(bytes, name);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('fuzz: mutated synthetic files', () => {
  it('mutated FIT, FIT.gz and ZIP files made by the synthetic writer', async () => {
    const spec = syntheticRide({ seed: 3, startTime: new Date('2026-03-01T08:00:00Z'), durationSeconds: 240, ftp: 250, pauses: 1 });
    const fit = encodeActivityFit([spec]);
    fc.assert(
      fc.property(fc.array(mutation(fit.length), { minLength: 1, maxLength: 4 }), (ms) => checkDecode(mutate(fit, ms))),
      { numRuns: 1000 },
    );
    const zip = zipSync({
      'activities/1.fit.gz': gzipSync(fit),
      'activities.csv': new TextEncoder().encode(
        'Activity ID,Activity Date,Activity Type,Elapsed Time,Filename\n1,"Mar 1, 2026, 8:00:00 AM",Ride,240,activities/1.fit.gz\n',
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(zip.length), { minLength: 1, maxLength: 3 }), async (ms) =>
        checkIngest(mutate(zip, ms), 'export.zip'),
      ),
      { numRuns: 300 },
    );
  });
});

describeCorpus('fuzz: mutated real files', () => {
  it('mutated FIT files: salvaged or refused with a code', () => {
    const small = corpusBytes('fit', 'bad-file-crc.fit');
    const ride = corpusBytes('fit', 'edge530-indoor-hrv.fit');
    fc.assert(
      fc.property(fc.array(mutation(small.length), { minLength: 1, maxLength: 4 }), (ms) => checkDecode(mutate(small, ms))),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(fc.array(mutation(ride.length), { minLength: 1, maxLength: 3 }), (ms) => checkDecode(mutate(ride, ms))),
      { numRuns: 150 },
    );
  });

  it('mutated FIT.gz and ZIP files', async () => {
    const small = corpusBytes('fit', 'bad-file-crc.fit');
    const gz = gzipSync(small);
    const zip = zipSync({ 'activities/1.fit': small, 'activities/2.fit.gz': gz });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(gz.length), { minLength: 1, maxLength: 3 }), async (ms) =>
        checkIngest(mutate(gz, ms), 'a.fit.gz'),
      ),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(zip.length), { minLength: 1, maxLength: 3 }), async (ms) => checkIngest(mutate(zip, ms), 'a.zip')),
      { numRuns: 300 },
    );
  });
});
