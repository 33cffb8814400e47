/**
 * 10,000 mutated FIT, FIT.gz, ZIP and CSV uploads through the real upload path (the
 * Conversation, ingestion, the store): no crash, every failure a coded message, and a rejected
 * file leaves the database byte for byte as it was (SHA-256 of sqlite3_serialize before/after).
 */
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';
import { testChat, type TestChat, type TestThread } from '../support/chat-app.js';

const RUNS_PER_FORMAT = 2500;

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; at: number; bytes: Uint8Array };
const mutation = (length: number): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(length - 1), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(length - 1), value: fc.nat(255) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(length) }),
    fc.record({ kind: fc.constant('splice' as const), at: fc.nat(length), bytes: fc.uint8Array({ maxLength: 32 }) }),
  );

function mutate(bytes: Uint8Array, ms: Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of ms) {
    const at = Math.min(m.at, Math.max(0, out.length - 1));
    if (m.kind === 'flip' && out.length > 0) out[at] = out[at]! ^ (1 << m.bit);
    else if (m.kind === 'set' && out.length > 0) out[at] = m.value;
    else if (m.kind === 'cut') out = out.subarray(0, Math.min(m.at, out.length));
    else if (m.kind === 'splice') out = new Uint8Array([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
  }
  return out;
}

const fit = encodeActivityFit([
  syntheticRide({ seed: 5, startTime: new Date('2026-03-01T08:00:00Z'), durationSeconds: 180, ftp: 250, pauses: 1 }),
]);
const csv = new TextEncoder().encode(
  [
    'Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Elapsed Time,Moving Time,Distance,Average Watts,Power Count',
  ]
    .concat(
      Array.from(
        { length: 6 },
        (_, i) => `${100 + i},"Mar ${i + 2}, 2026, 8:00:00 AM",Ride ${i},Ride,3600,30.1,,3600.0,3500.0,30100.0,200,3600`,
      ),
    )
    .join('\n'),
);
const FORMATS: { name: string; fileName: string; bytes: Uint8Array }[] = [
  { name: 'FIT', fileName: 'ride.fit', bytes: fit },
  { name: 'FIT.gz', fileName: 'ride.fit.gz', bytes: gzipSync(fit) },
  { name: 'ZIP', fileName: 'export.zip', bytes: zipSync({ 'activities/1.fit.gz': gzipSync(fit), 'activities.csv': csv }) },
  { name: 'CSV', fileName: 'activities.csv', bytes: csv },
];

const STORED = /new activit(y|ies) stored|already there|merged/;
const REJECTED = /could not be read|no activities|limit|in the future/i;

describe('mutated uploads through the real upload path', () => {
  let chat: TestChat;
  let athlete: TestThread;
  beforeAll(async () => {
    chat = await testChat({ MAX_ACTIVITIES_PER_ATHLETE: '1000000', UPLOAD_FILES_PER_DAY: '1000000' });
    athlete = chat.thread('memory:fuzz');
    await athlete.send({ kind: 'command', name: 'status', args: '' }); // the athlete exists before the first upload
  });
  afterAll(async () => chat.close());

  it.each(FORMATS)(
    '$name: 2,500 mutations are stored or refused with a reason, and a refusal writes nothing',
    async ({ fileName, bytes }) => {
      const counts = { stored: 0, rejected: 0 };
      let checksum = await chat.app.store.checksum();
      await fc.assert(
        fc.asyncProperty(fc.array(mutation(bytes.length), { minLength: 1, maxLength: 3 }), async (ms) => {
          const reply = await athlete.upload([{ fileName, content: mutate(bytes, ms) }]);
          if (STORED.test(reply)) {
            counts.stored += 1;
            checksum = await chat.app.store.checksum();
            return;
          }
          expect(reply, reply).toMatch(REJECTED);
          counts.rejected += 1;
          expect(await chat.app.store.checksum()).toBe(checksum);
        }),
        { numRuns: RUNS_PER_FORMAT, seed: 20261124 },
      );
      expect(counts.stored + counts.rejected).toBe(RUNS_PER_FORMAT);
      expect(counts.rejected).toBeGreaterThan(0);
      console.info(`[upload fuzz] ${fileName}: ${counts.stored} stored, ${counts.rejected} refused`);
    },
    300_000,
  );
});
