/**
 * Runs one upload in this process and reports what it cost: run it as a CHILD process, from the
 * repository root, with
 *
 *   node --import tsx tests/support/upload-probe.ts inspect <file> --out <result.json> [--stdout <file>]
 *   node --import tsx tests/support/upload-probe.ts chat <file> --out <result.json> [--tmp <dir>]
 *
 * (tests/support/upload-probe-run.ts does that, with a hard kill timeout).
 *
 * inspect: runs the real CLI (`src/cli.ts inspect --json <file>`) in this process; stdout should
 *   go to the file named by --stdout, which is read back at exit for the activities and codes.
 * chat: builds the chat app on a temp SQLite database; athletes A and B each store a small ride
 *   first; then B sends /status every 100 ms (the first one before the upload starts) while A
 *   uploads the file; when A's reply has come, B stops. The database is digested (every table but
 *   usage*) before and after A's upload.
 *
 * At exit (process.on('exit'), so the figure covers the whole run, worker threads included) one
 * JSON line (ProbeResult) is written to --out, with process.resourceUsage().maxRSS.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { ProbeMode, ProbeResult } from './upload-probe-run.js';

const [mode, inputArg, ...rest] = process.argv.slice(2) as [ProbeMode | undefined, string | undefined, ...string[]];
const option = (name: string): string | null => {
  const i = rest.indexOf(name);
  return i >= 0 ? (rest[i + 1] ?? null) : null;
};
const outFile = option('--out');
const stdoutFile = option('--stdout');
/** Where the chat's temp database goes (the parent's work folder: removed with it even if this process is killed). */
const tmpRoot = option('--tmp') ?? tmpdir();
if ((mode !== 'inspect' && mode !== 'chat') || !inputArg || !outFile) {
  process.stderr.write('usage: upload-probe.ts <inspect|chat> <file> --out <result.json> [--stdout <file>] [--tmp <dir>]\n');
  process.exit(2);
}
const input = resolve(inputArg);

const result: ProbeResult = {
  mode,
  input: basename(input),
  exitCode: -1,
  wallMs: -1,
  maxRssKb: -1,
  codes: [],
  activities: null,
  probeError: null,
};
let workStarted: number | null = null;
let workEnded: number | null = null;

process.on('exit', (code) => {
  // first, before anything below allocates
  result.maxRssKb = process.resourceUsage().maxRSS;
  result.exitCode = code;
  if (workStarted !== null) result.wallMs = Math.round((workEnded ?? performance.now()) - workStarted);
  if (mode === 'inspect') readInspectReport();
  try {
    writeFileSync(outFile, `${JSON.stringify(result)}\n`);
  } catch (e) {
    process.stderr.write(`upload-probe: could not write ${outFile}: ${String(e)}\n`);
  }
});

// ---------------------------------------------------------------------------------------------
// inspect

function readInspectReport(): void {
  if (!stdoutFile) return;
  let text = '';
  try {
    text = readFileSync(stdoutFile, 'utf8');
  } catch (e) {
    result.inspect = { errors: [], stdoutBytes: 0, parseError: `stdout unreadable: ${String(e)}` };
    return;
  }
  try {
    const report = JSON.parse(text) as { activities: unknown[]; errors: { code: string; message: string }[] };
    const byCode = new Map<string, { code: string; count: number; first: string }>();
    for (const e of report.errors) {
      const entry = byCode.get(e.code) ?? { code: e.code, count: 0, first: e.message.slice(0, 300) };
      entry.count += 1;
      byCode.set(e.code, entry);
    }
    result.activities = report.activities.length;
    result.codes = [...byCode.keys()].sort();
    result.inspect = { errors: [...byCode.values()], stdoutBytes: Buffer.byteLength(text), parseError: null };
  } catch (e) {
    result.inspect = {
      errors: [],
      stdoutBytes: Buffer.byteLength(text),
      parseError: `${e instanceof Error ? e.message : String(e)}: ${text.slice(0, 200)}`,
    };
  }
}

async function runInspect(): Promise<void> {
  // Compile and load what the CLI imports first, so that the time measured is the command's.
  await Promise.all([
    import('../../src/app/demo.js'),
    import('../../src/app/generate.js'),
    import('../../src/app/plan-command.js'),
    import('../../src/app/import.js'),
    import('../../src/app/inspect.js'),
    import('../../src/config.js'),
    import('../../src/logger.js'),
    import('../../src/store/store.js'),
  ]);
  process.argv = [process.argv[0]!, resolve('src/cli.ts'), 'inspect', '--json', input];
  workStarted = performance.now();
  // src/cli.ts runs main(process.argv) when loaded; the process ends when it is done (or exits).
  await import('../../src/cli.js');
}

// ---------------------------------------------------------------------------------------------
// chat

/** Error codes the code base uses (ingest errors and the upload's own). */
const KNOWN_CODES = [
  'empty',
  'not-found',
  'too-large',
  'not-fit',
  'truncated',
  'bad-crc',
  'corrupt',
  'no-activity',
  'unsupported-format',
  'corrupt-archive',
  'unsafe-archive',
  'missing-columns',
  'bad-row',
  'implausible-values',
  'future-date',
  'too-slow',
  'too-short',
  'download-failed',
];

/**
 * What a reply's wording implies, for replies that give the message but not the code. Read line
 * by line (one line per refused file): a line about a daily or per-athlete quota is `quota`;
 * another line naming a limit it went over, or saying the file "was refused:", is `too-large`
 * (an archive refused for names pointing outside it is `unsafe-archive` only).
 */
const WORDING: [string, RegExp][] = [
  ['quota', /I keep per athlete|today; the limit is|a day \(it counts/i],
  // src words every too-large refusal "… was refused: …" (but for names pointing outside an archive) or names the limit
  [
    'too-large',
    /\btoo[- ]large\b|was refused:|zip bomb|the limit is [\d,.]+|limit for one upload|the most one (upload|file) may|I can only download files up to/i,
  ],
  ['too-slow', /\btoo[- ]slow\b|took longer than/i],
  ['bad-row', /\bRow [\d,]+ of\b/],
  ['future-date', /in the future/i],
  [
    'unsupported-format',
    /not a file domestique can read|not a CSV file|could not be read as CSV|does not look like a CSV|header line is malformed/i,
  ],
  ['missing-columns', /is missing the columns?\b/i],
  ['empty', /is empty \(0 bytes\)|contains no data|but no activities in it|unpacks to an empty file/i],
  ['not-fit', /not a FIT file/i],
  ['truncated', /ends early|was probably cut off/i],
  ['corrupt-archive', /not a readable (ZIP|gzip)|archive is damaged|is damaged and could not be read/i],
  ['unsafe-archive', /points outside the archive/i],
  ['no-activity', /holds no activit|no activities in what you sent/i],
];

function codesIn(text: string): { literal: string[]; inferred: string[] } {
  const literal = KNOWN_CODES.filter((code) => new RegExp(`(?<![\\w-])${code}(?![\\w-])`).test(text));
  const inferred = new Set<string>();
  for (const line of text.split('\n')) {
    const notTooLarge = WORDING[0]![1].test(line) || /points outside the archive/i.test(line);
    for (const [code, re] of WORDING) if (re.test(line) && !(notTooLarge && code === 'too-large')) inferred.add(code);
  }
  return { literal, inferred: [...inferred].sort() };
}

async function runChat(): Promise<void> {
  const [{ createChatApp }, { loadConfig }, { createLogger }, { syntheticRideBytes }, { default: Database }] = await Promise.all([
    import('../../src/app/chat-app.js'),
    import('../../src/config.js'),
    import('../../src/logger.js'),
    import('./synthetic-files.js'),
    import('better-sqlite3'),
  ]);
  // the worker pool that reads uploads (absent from older trees: then there is nothing to close)
  const pool = await import('../../src/ingest/ingest-pool.js').catch(() => null);
  type Reply = import('../../src/conversation/port.js').Reply;
  type ChatThread = import('../../src/conversation/port.js').ChatThread;

  const dir = mkdtempSync(join(tmpRoot, 'domestique-probe-'));
  const dbPath = join(dir, 'bot.db');
  // Operators' limits pass through (DOMESTIQUE_*, INGEST_*, UPLOAD_*, MAX_ACTIVITIES_*); nothing else of the environment.
  const passed = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(DOMESTIQUE_|INGEST_|UPLOAD_|MAX_ACTIVITIES)/.test(k)));
  const config = loadConfig({ ...passed, DATABASE_PATH: dbPath, LOG_LEVEL: 'silent', LLM_PROVIDER: 'offline' });
  const app = await createChatApp(config, createLogger('silent'), { snapshot: false, processMetrics: false, statusIntervalMs: 50 });

  const thread = (key: string) => {
    const posts: { at: number; text: string }[] = [];
    const render = (r: Reply) => (r.title ? `${r.title}\n${r.text}` : r.text);
    const t: ChatThread = {
      athleteKey: key,
      displayName: key,
      isPrivate: true,
      // as the Discord bot does (config.ingest.maxFileBytes): the upload is read, not refused unread
      maxDownloadBytes: config.ingest.maxFileBytes,
      async post(r) {
        posts.push({ at: performance.now(), text: render(r) });
        return { id: String(posts.length) };
      },
      async edit() {},
      async sendFiles() {},
      async showActivity() {},
    };
    return { thread: t, posts };
  };
  const a = thread('probe:athlete-a');
  const b = thread('probe:athlete-b');
  const status = (t: ChatThread) => app.conversation.handle(t, { kind: 'command', name: 'status', args: '' });

  // Each athlete has a ride stored before, so that the tables hold something to keep.
  const day = 86_400_000;
  for (const [who, seed] of [
    [a, 11],
    [b, 12],
  ] as const) {
    const content = syntheticRideBytes(seed, new Date(Date.now() - (seed - 5) * day), 40);
    await app.conversation.handle(who.thread, {
      kind: 'files',
      attachments: [{ fileName: `seed-${seed}.fit`, sizeBytes: content.length, download: async () => content }],
    });
    if (!/1 new activity stored/.test(who.posts.at(-1)?.text ?? ''))
      throw new Error(`seeding failed: ${who.posts.at(-1)?.text ?? '(no reply)'}`);
    await status(who.thread);
  }

  const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
  const digest = () => {
    const tables = (
      reader.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'usage%' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    const per: Record<string, string> = {};
    for (const name of tables) {
      const rows = (
        reader
          .prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`)
          .raw(true)
          .all() as unknown[][]
      ).map((row) =>
        JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? `hex:${v.toString('hex')}` : typeof v === 'bigint' ? `big:${v}` : v)),
      );
      rows.sort();
      per[name] = createHash('sha256').update(rows.join('\n')).digest('hex');
    }
    const all = createHash('sha256').update(JSON.stringify(per)).digest('hex');
    return { all, per };
  };
  const countActivities = () => (reader.prepare('SELECT count(*) AS n FROM activities').get() as { n: number }).n;
  const before = digest();
  const activitiesBefore = countActivities();

  // B: /status on a 100 ms grid. A late tick (the event loop was blocked) counts from when it was
  // due; ticks missed meanwhile are skipped, not sent in a burst.
  const latencies: number[] = [];
  let statusFailures = 0;
  const pending: Promise<void>[] = [];
  const ask = (due: number) => {
    const p = status(b.thread).then(
      () => {
        latencies.push(performance.now() - due);
      },
      () => {
        statusFailures += 1;
      },
    );
    pending.push(p);
    return p;
  };
  await ask(performance.now()); // the first /status, before the upload starts
  let stopped = false;
  let due = performance.now() + 100;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    if (stopped) return;
    const now = performance.now();
    void ask(due);
    due += 100;
    if (due < now) due += Math.ceil((now - due) / 100) * 100;
    timer = setTimeout(tick, Math.max(0, due - performance.now()));
  };
  timer = setTimeout(tick, 100);

  const size = statSync(input).size;
  const aFrom = a.posts.length;
  let crash: string | null = null;
  workStarted = performance.now();
  try {
    await app.conversation.handle(a.thread, {
      kind: 'files',
      attachments: [{ fileName: basename(input), sizeBytes: size, download: async () => new Uint8Array(await readFile(input)) }],
    });
  } catch (e) {
    crash = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  workEnded = performance.now();
  stopped = true;
  if (timer) clearTimeout(timer);
  // A /status that fell due while the event loop was blocked has not been sent by the timer (the
  // upload's last steps ran first): B sent it then, so it is answered now, late by that much.
  if (performance.now() >= due) await ask(due);
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 5_000))]);

  const after = digest();
  const activitiesAfter = countActivities();
  reader.close();

  const replies = a.posts.slice(aFrom).map((p) => p.text);
  const replyText = replies.at(-1) ?? '';
  const { literal, inferred } = codesIn(replies.join('\n'));
  const sorted = [...latencies].sort((x, y) => x - y);
  result.codes = [...new Set([...literal, ...inferred])].sort();
  result.activities = activitiesAfter - activitiesBefore;
  result.chat = {
    replyText,
    replies,
    literalCodes: literal,
    inferredCodes: inferred,
    crash,
    status: {
      count: latencies.length,
      maxMs: Math.round(sorted.at(-1) ?? -1),
      p95Ms: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? -1),
      failures: statusFailures,
      lastText: b.posts.at(-1)?.text ?? '',
    },
    digestBefore: before.all,
    digestAfter: after.all,
    changedTables: Object.keys({ ...before.per, ...after.per }).filter((t) => before.per[t] !== after.per[t]),
    activitiesBefore,
    activitiesAfter,
  };
  await app.close();
  await pool?.closeIngestPool();
  rmSync(dir, { recursive: true, force: true });
}

try {
  if (mode === 'inspect') await runInspect();
  else {
    await runChat();
    process.exit(0);
  }
} catch (e) {
  result.probeError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  process.exit(3);
}
