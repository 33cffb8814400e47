/**
 * Reminders and check-ins on PostgreSQL with three ticker processes on one database (issue 21):
 * 40 athletes whose monthly reminder and weekly check-in fall due in the same minute, three
 * processes running the real tickers (tests/support/ticker-child.ts) started at once → every
 * athlete gets exactly one of each, and again once at the next due times; a process SIGKILLed
 * after it claimed a batch and before it completed it → the others take its claims over when the
 * lease (10 minutes) is over, and still every athlete gets exactly one of each. The children's
 * clock is moved by the test; every wait is on a line from a child.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';
import { startTickerProcesses, type Delivery, type PassResult, type TickerKind } from '../support/ticker-race.js';

const available = postgresAvailable();

const at = (iso: string) => new Date(iso);
const later = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);
const ZONE = 'Europe/Berlin';
const ATHLETES = 40;
const KEYS = Array.from({ length: ATHLETES }, (_, i) => `telegram:${i}`);
/** Monday 1 June 2026, 09:00 in Berlin (CEST): the first of the month and a Monday — both fall due. */
const DUE = at('2026-06-01T07:00:00Z');

/** ATHLETES athletes in the database at `url`, each with a reminder and a check-in due at DUE, set up through the Store. */
async function clubDueAt(url: string): Promise<Store> {
  const store = await Store.open(url, { clock: () => at('2026-05-20T12:00:00Z'), poolSize: 8 });
  await Promise.all(
    KEYS.map(async (key) => {
      const athlete = store.athlete((await store.athleteForIdentity(key, `Rider ${key}`)).id);
      await athlete.update({ timeZone: ZONE });
      await athlete.setReminder({ enabled: true, dayOfMonth: '1', timeOfDay: '09:00', timeZone: ZONE, channelKey: key, nextDueAt: DUE });
      await athlete.setCheckin({ enabled: true, weekday: 'mon', timeOfDay: '09:00', timeZone: ZONE, channelKey: key, nextDueAt: DUE });
    }),
  );
  return store;
}

/** How many messages of `kind` each athlete got among `deliveries` (every athlete listed, 0 included). */
function perAthlete(deliveries: Delivery[], kind: TickerKind): Record<string, number> {
  const counts = Object.fromEntries(KEYS.map((key) => [key, 0]));
  for (const d of deliveries) if (d.kind === kind) counts[d.key] = (counts[d.key] ?? 0) + 1;
  return counts;
}

const everyAthlete = (n: number) => Object.fromEntries(KEYS.map((key) => [key, n]));
const total = (results: Record<string, PassResult>, kind: TickerKind) => Object.values(results).reduce((s, r) => s + (r[kind] ?? 0), 0);

describe.skipIf(!available)('three ticker processes on one PostgreSQL database', () => {
  let server: TestPostgres;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => server?.stop(), 60_000);
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  /** A new database with the athletes set up, and the processes on it (started while the athletes are set up). */
  async function club(names: string[], options: { batchSize: number; holdAfter?: Record<string, number> }) {
    const url = await server.freshDatabase();
    const [store, tickers] = await Promise.all([clubDueAt(url), startTickerProcesses({ location: url, names, ...options })]);
    cleanups.push(
      () => store.close(),
      () => tickers.close(),
    );
    return { store, tickers };
  }

  it('send every athlete exactly one reminder and one check-in in the due minute, and once again at the next due times', async () => {
    // batches of 4: ten a kind to share, so that each process gets some even if one starts a little late
    const { store, tickers } = await club(['one', 'two', 'three'], { batchSize: 4 });

    const first = await tickers.pass(DUE); // all three told at once
    const delivered = tickers.deliveries();
    expect(perAthlete(delivered, 'reminder')).toEqual(everyAthlete(1));
    expect(perAthlete(delivered, 'checkin')).toEqual(everyAthlete(1));
    expect([total(first, 'reminder'), total(first, 'checkin')]).toEqual([ATHLETES, ATHLETES]);
    // a real race: each process sent some, and what each says it sent is what the chat got from it
    for (const name of ['one', 'two', 'three']) {
      const own = delivered.filter((d) => d.process === name);
      expect(own.length, `${name} sent nothing`).toBeGreaterThan(0);
      expect(own.length).toBe(first[name]!.reminder! + first[name]!.checkin!);
    }
    const athlete = store.athlete((await store.findByIdentity('telegram:7'))!.id);
    expect(await athlete.reminder()).toMatchObject({ lastSentAt: DUE, nextDueAt: at('2026-07-01T07:00:00Z') });
    expect(await athlete.checkin()).toMatchObject({ lastSentAt: DUE, nextDueAt: at('2026-06-08T07:00:00Z') });

    // the same minute again, and the minute before the next check-in: nothing
    expect(await tickers.pass(later(DUE, 1))).toEqual(idle(['one', 'two', 'three']));
    expect(await tickers.pass(at('2026-06-08T06:59:00Z'))).toEqual(idle(['one', 'two', 'three']));
    expect(tickers.deliveries()).toHaveLength(2 * ATHLETES);

    // the next Monday at 09:00: one more check-in each, no reminder
    const monday = await tickers.pass(at('2026-06-08T07:00:00Z'));
    expect([total(monday, 'reminder'), total(monday, 'checkin')]).toEqual([0, ATHLETES]);
    expect(perAthlete(tickers.deliveries(), 'checkin')).toEqual(everyAthlete(2));

    // the first of July at 09:00: one more reminder each — and one catch-up check-in for the three
    // Mondays no process ticked on (one, not three)
    const july = await tickers.pass(at('2026-07-01T07:00:00Z'));
    expect([total(july, 'reminder'), total(july, 'checkin')]).toEqual([ATHLETES, ATHLETES]);
    expect(perAthlete(tickers.deliveries(), 'reminder')).toEqual(everyAthlete(2));
    expect(perAthlete(tickers.deliveries(), 'checkin')).toEqual(everyAthlete(3));
    expect(await tickers.pass(later(at('2026-07-01T07:00:00Z'), 1))).toEqual(idle(['one', 'two', 'three']));
    expect(await athlete.checkin()).toMatchObject({ nextDueAt: at('2026-07-06T07:00:00Z') });
  }, 120_000);

  it('a process SIGKILLed after it claimed and before it completed: the others take its claims over after the lease, one message each', async () => {
    // `doomed` delivers 3 messages of each kind and then holds the rest of its first batch of 10
    const { store, tickers } = await club(['doomed', 'two', 'three'], { batchSize: 10, holdAfter: { doomed: 3 } });

    tickers.tick(DUE, ['doomed']);
    await tickers.waitFor('doomed', /^HOLDING reminder /);
    await tickers.waitFor('doomed', /^HOLDING checkin /);
    // the others start their pass while it holds 7 claims of each kind; it dies in the middle of theirs
    tickers.tick(DUE, ['two', 'three']);
    await tickers.kill('doomed');
    const survivors = await tickers.done(['two', 'three']);
    expect([total(survivors, 'reminder'), total(survivors, 'checkin')]).toEqual([ATHLETES - 10, ATHLETES - 10]);
    const beforeLease = tickers.deliveries();
    expect(beforeLease.filter((d) => d.process === 'doomed')).toHaveLength(6);
    const unsent = (kind: TickerKind) =>
      Object.entries(perAthlete(beforeLease, kind))
        .filter(([, n]) => n === 0)
        .map(([key]) => key);
    expect([unsent('reminder').length, unsent('checkin').length]).toEqual([7, 7]);
    expect(Object.values(perAthlete(beforeLease, 'reminder')).every((n) => n <= 1)).toBe(true);
    expect(Object.values(perAthlete(beforeLease, 'checkin')).every((n) => n <= 1)).toBe(true);

    // nine minutes on, the dead process's claims are still leased to it: nothing is sent
    expect(await tickers.pass(later(DUE, 9), ['two', 'three'])).toEqual(idle(['two', 'three']));
    // eleven minutes on, the lease is over: the survivors send exactly what it had claimed
    const takeover = await tickers.pass(later(DUE, 11), ['two', 'three']);
    expect([total(takeover, 'reminder'), total(takeover, 'checkin')]).toEqual([7, 7]);
    const taken = tickers.deliveries().slice(beforeLease.length);
    expect(
      taken
        .filter((d) => d.kind === 'reminder')
        .map((d) => d.key)
        .sort(),
    ).toEqual(unsent('reminder').sort());
    expect(
      taken
        .filter((d) => d.kind === 'checkin')
        .map((d) => d.key)
        .sort(),
    ).toEqual(unsent('checkin').sort());
    expect(perAthlete(tickers.deliveries(), 'reminder')).toEqual(everyAthlete(1));
    expect(perAthlete(tickers.deliveries(), 'checkin')).toEqual(everyAthlete(1));
    expect(await tickers.pass(later(DUE, 12), ['two', 'three'])).toEqual(idle(['two', 'three']));
    // a message taken over is scheduled like the others: the next month, the next Monday
    const late = store.athlete((await store.findByIdentity(unsent('reminder')[0]!))!.id);
    expect(await late.reminder()).toMatchObject({ lastSentAt: later(DUE, 11), nextDueAt: at('2026-07-01T07:00:00Z') });
  }, 120_000);
});

/** The result of a pass in which `names` sent nothing. */
function idle(names: string[]): Record<string, PassResult> {
  return Object.fromEntries(names.map((name) => [name, { reminder: 0, checkin: 0 }]));
}
