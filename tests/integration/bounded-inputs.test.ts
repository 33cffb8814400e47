/**
 * One upload can't take the bot down: every hostile input is refused with an error code within
 * 20 s and 1 GB of RSS, through the CLI's `inspect` and through the chat — where the database is
 * left as it was and another athlete's /status is answered in under a second meanwhile.
 *
 * The inputs are generated here (tests/support/hostile-inputs.ts), nothing large is committed.
 * Each run happens in a child process (tests/support/upload-probe.ts) that measures its own wall
 * time and peak RSS; children run two at a time and are killed after 90 s. A figure table is
 * printed at the end.
 *
 * BOUNDED_INPUTS=bomb.fit.gz,zeros.zip runs only those inputs; BOUNDED_INPUTS_CONCURRENCY sets
 * how many children run at once (default 2).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITERS, type Generated, type HostileName } from '../support/hostile-inputs.js';
import { describeOutcome, killRunningProbes, limiter, runProbe, type ProbeMode, type ProbeOutcome } from '../support/upload-probe-run.js';

const MAX_WALL_MS = 20_000;
const MAX_RSS_KB = 1024 * 1024; // 1 GB
const MAX_STATUS_MS = 1_000;
const KILL_AFTER_MS = 90_000;
/** A test waits for at most one child (the one before it has finished): the kill timeout and start-up. */
const TEST_TIMEOUT_MS = KILL_AFTER_MS + 60_000;
const MODES: ProbeMode[] = ['inspect', 'chat'];

interface Case {
  input: HostileName;
  what: string;
  /** The code the refusal must carry, or `any` for any error code. `accepted`: a realistic export. */
  expect: 'too-large' | 'any' | 'accepted';
}

const ALL_CASES: Case[] = [
  { input: 'bomb.fit.gz', what: '~3 MB gzip of a valid 100 MB FIT (26 M records, ~30×)', expect: 'too-large' },
  { input: 'long.fit.gz', what: '~1.2 MB gzip of a 40 MB FIT spanning 121 days', expect: 'too-large' },
  { input: 'big.fit', what: 'plain 19 MB FIT, 5 M records', expect: 'too-large' },
  { input: 'header-lt.csv', what: 'activities.csv with a 256 KB header cell of "<"', expect: 'any' },
  { input: 'digits.csv', what: 'activities.csv with a 256 K-digit number', expect: 'any' },
  { input: 'zeros.zip', what: '2,000 × 1 MiB of zeros as activities/N.fit', expect: 'too-large' },
  { input: 'csvs-small.zip', what: '33 KB zip of 5 CSVs, 750,000 bad rows, < 100×', expect: 'too-large' },
  { input: 'csvs-150.zip', what: '491 KB zip of 150 activities.csv of 25 MB each', expect: 'too-large' },
  { input: 'export-128k.csv', what: 'realistic 50 MB export, 128,000 rows', expect: 'accepted' },
];

const selected = (process.env.BOUNDED_INPUTS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const CASES = selected.length > 0 ? ALL_CASES.filter((c) => selected.includes(c.input)) : ALL_CASES;
const concurrency = Math.max(1, Number(process.env.BOUNDED_INPUTS_CONCURRENCY ?? 2) || 2);

let dir = '';
const generated = new Map<HostileName, Generated>();
const outcomes = new Map<string, Promise<ProbeOutcome>>();
const finished: ProbeOutcome[] = [];
const key = (input: HostileName, mode: ProbeMode) => `${mode} ${input}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'domestique-bounded-'));
  const started = performance.now();
  for (const c of CASES) generated.set(c.input, WRITERS[c.input](dir));
  const total = Math.round(performance.now() - started);
  console.log(
    [
      `Generated ${generated.size} inputs in ${(total / 1000).toFixed(1)} s (${dir}):`,
      ...[...generated.values()].map(
        (g) => `  ${g.name.padEnd(16)} ${(g.bytes / 1024 / 1024).toFixed(2).padStart(7)} MB  ${String(g.ms).padStart(5)} ms  ${g.note}`,
      ),
    ].join('\n'),
  );
  // Start every child now, in the order of the tests, a few at a time: by the time a test runs,
  // its child has been running since the previous test's child finished at the latest.
  const run = limiter(concurrency);
  for (const c of CASES) {
    for (const mode of MODES) {
      const path = generated.get(c.input)!.path;
      outcomes.set(
        key(c.input, mode),
        run(() => runProbe(mode, path, dir, { killAfterMs: KILL_AFTER_MS })).then((o) => {
          finished.push(o);
          return o;
        }),
      );
    }
  }
}, 180_000);

afterAll(() => {
  killRunningProbes();
  printTable();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function printTable(): void {
  const order = CASES.flatMap((c) => MODES.map((m) => key(c.input, m)));
  const rows = finished
    .sort((x, y) => order.indexOf(key(x.input as HostileName, x.mode)) - order.indexOf(key(y.input as HostileName, y.mode)))
    .map((o) => {
      const r = o.result;
      const ended = o.timedOut
        ? `KILLED at ${KILL_AFTER_MS / 1000} s`
        : o.signal
          ? `died ${o.signal}`
          : r?.probeError
            ? `probe error`
            : r?.chat?.crash
              ? 'CRASH'
              : `exit ${o.exitCode}`;
      const rss = r ? Math.round(r.maxRssKb / 1024) : o.sampledPeakRssKb !== null ? `≥${Math.round(o.sampledPeakRssKb / 1024)}` : '?';
      return [
        o.input,
        o.mode,
        r ? r.codes.join(',') || '–' : '–',
        r && r.wallMs >= 0 ? (r.wallMs / 1000).toFixed(1) : `>${(o.childMs / 1000).toFixed(0)}`,
        String(rss),
        r?.chat ? String(r.chat.status.maxMs) : '',
        r?.chat ? String(r.chat.status.p95Ms) : '',
        r?.activities === null || r?.activities === undefined ? '–' : String(r.activities),
        r?.chat ? (r.chat.changedTables.length === 0 ? 'same' : r.chat.changedTables.join(',')) : '',
        ended,
      ];
    });
  const header = ['input', 'mode', 'code', 'wall s', 'RSS MB', '/status max ms', 'p95 ms', 'activities', 'db', 'ended'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(
    [
      'Bounded inputs (limits: 20 s, 1024 MB, /status < 1000 ms):',
      line(header),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map(line),
    ].join('\n'),
  );
  // why each was refused, as the athlete reads it
  const flat = (text: string) => text.replace(/\s+/g, ' ').slice(0, 240);
  const said = finished.map((o) => {
    const r = o.result;
    const text = !r
      ? `(no result) ${flat(o.stderrTail)}`
      : r.chat
        ? `${flat(r.chat.replyText)}${r.chat.crash ? ` — CRASH ${r.chat.crash}` : ''}`
        : r.inspect?.parseError
          ? `(stdout not JSON) ${flat(r.inspect.parseError)} ${flat(o.stderrTail)}`
          : (r.inspect?.errors ?? []).map((e) => `[${e.code} ×${e.count}] ${flat(e.first)}`).join(' | ') || '(no errors)';
    return `  ${o.input} ${o.mode}: ${text}`;
  });
  console.log(['What was said:', ...said].join('\n'));
}

async function outcome(input: HostileName, mode: ProbeMode): Promise<ProbeOutcome> {
  const o = await outcomes.get(key(input, mode))!;
  // The child has to have finished on its own and written its figures.
  expect(o.timedOut, describeOutcome(o)).toBe(false);
  expect(o.signal, describeOutcome(o)).toBeNull();
  expect(o.result, describeOutcome(o)).not.toBeNull();
  expect(o.result!.probeError, describeOutcome(o)).toBeNull();
  return o;
}

const hasCode = (codes: string[], expected: Case['expect']) => (expected === 'any' ? codes.length > 0 : codes.includes(expected));

describe.each(CASES.filter((c) => c.expect !== 'accepted'))('$input ($what)', ({ input, expect: code }) => {
  it(
    `inspect refuses it with ${code === 'any' ? 'an error code' : code} within 20 s and 1 GB`,
    async () => {
      const o = await outcome(input, 'inspect');
      const r = o.result!;
      const why = describeOutcome(o);
      expect(r.inspect?.parseError ?? null, why).toBeNull();
      expect(r.exitCode, why).toBe(0);
      expect(hasCode(r.codes, code), `${why}; errors: ${JSON.stringify(r.inspect?.errors)}`).toBe(true);
      expect(r.activities, why).toBe(0);
      expect(r.wallMs, why).toBeLessThanOrEqual(MAX_WALL_MS);
      expect(r.maxRssKb, why).toBeLessThanOrEqual(MAX_RSS_KB);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `the chat refuses it with ${code === 'any' ? 'an error code' : code} within 20 s and 1 GB, the database unchanged, /status answered in < 1 s meanwhile`,
    async () => {
      const o = await outcome(input, 'chat');
      const r = o.result!;
      const c = r.chat!;
      const why = `${describeOutcome(o)}; reply: ${c.replyText.slice(0, 600)}`;
      expect(c.crash, why).toBeNull();
      expect(hasCode(r.codes, code), why).toBe(true);
      expect(r.wallMs, why).toBeLessThanOrEqual(MAX_WALL_MS);
      expect(r.maxRssKb, why).toBeLessThanOrEqual(MAX_RSS_KB);
      expect(c.changedTables, why).toEqual([]);
      expect(c.digestAfter, why).toBe(c.digestBefore);
      expect(c.status.failures, why).toBe(0);
      expect(c.status.count, why).toBeGreaterThanOrEqual(1);
      expect(c.status.lastText, why).toMatch(/activit(y|ies) stored/);
      expect(
        c.status.maxMs,
        `${why}; /status latencies: max ${c.status.maxMs} ms, p95 ${c.status.p95Ms} ms over ${c.status.count}`,
      ).toBeLessThan(MAX_STATUS_MS);
    },
    TEST_TIMEOUT_MS,
  );
});

describe.each(CASES.filter((c) => c.expect === 'accepted'))('$input ($what)', ({ input }) => {
  it(
    'inspect reads all 128,000 activities and exits 0, within 1 GB',
    async () => {
      const o = await outcome(input, 'inspect');
      const r = o.result!;
      const why = describeOutcome(o);
      expect(r.inspect?.parseError ?? null, why).toBeNull();
      expect(r.exitCode, why).toBe(0);
      expect(r.activities, `${why}; errors: ${JSON.stringify(r.inspect?.errors)}`).toBe(128_000);
      expect(r.maxRssKb, why).toBeLessThanOrEqual(MAX_RSS_KB);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the chat stores them or refuses them with a clear code, without crashing, within 1 GB',
    async () => {
      const o = await outcome(input, 'chat');
      const r = o.result!;
      const c = r.chat!;
      const why = `${describeOutcome(o)}; reply: ${c.replyText.slice(0, 600)}`;
      expect(c.crash, why).toBeNull();
      const stored = r.activities ?? 0;
      if (stored > 0) expect(c.replyText, why).toMatch(/new activit(y|ies) stored/);
      else {
        expect(r.codes.length, why).toBeGreaterThan(0);
        expect(c.digestAfter, why).toBe(c.digestBefore);
      }
      expect(r.maxRssKb, why).toBeLessThanOrEqual(MAX_RSS_KB);
      expect(c.status.failures, why).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
