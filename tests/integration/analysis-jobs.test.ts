/**
 * Analyses as jobs on a real PostgreSQL: an ingress app and a worker app on one database, each
 * with its own pg-boss queue (two processes' worth, in this test process). The ingress posts the
 * status message and queues the job; the worker edits that message through its chat directory and
 * posts the summary and the reports, once — also when the job runs again after its delivery, or
 * after an attempt that died mid-run. A Telegram athlete's chat is one message log that both apps
 * write to, as Telegram's chat would be.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatApp, type ChatApp } from '../../src/app/chat-app.js';
import { loadConfig } from '../../src/config.js';
import type { AnalysisJobData } from '../../src/conversation/analysis-jobs.js';
import type { ChatThread, Incoming, MessageRef, OutgoingFile, Reply } from '../../src/conversation/port.js';
import { statusText } from '../../src/conversation/messages/analysis.js';
import { PgBossQueue } from '../../src/jobs/pg-boss-queue.js';
import { REPORT_FILES } from '../../src/report/report-model.js';
import { createLogger } from '../../src/logger.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';
import { syntheticRideBytes } from '../support/synthetic-files.js';

const FAST = { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, expireInSeconds: 60 };

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One athlete's chat as the platform keeps it: the messages (with their edits) and files, whichever process sent them. */
class Chat {
  readonly messages: { id: string; text: string; edits: number }[] = [];
  readonly files: OutgoingFile[] = [];
  constructor(readonly key: string) {}

  /** A thread onto this chat, as one process holds it. */
  thread(): ChatThread {
    return {
      athleteKey: this.key,
      displayName: this.key,
      isPrivate: true,
      maxDownloadBytes: 20 * 1024 * 1024,
      post: async (reply: Reply): Promise<MessageRef> => {
        const id = String(this.messages.length + 1);
        this.messages.push({ id, text: reply.title ? `${reply.title}\n${reply.text}` : reply.text, edits: 0 });
        return { id };
      },
      edit: async (ref: MessageRef, reply: Reply): Promise<void> => {
        const message = this.messages.find((m) => m.id === ref.id);
        if (!message) throw new Error(`no message ${ref.id}`);
        Object.assign(message, { text: reply.text, edits: message.edits + 1 });
      },
      sendFiles: async (files: OutgoingFile[], caption?: string): Promise<void> => {
        if (caption) this.messages.push({ id: String(this.messages.length + 1), text: caption, edits: 0 });
        this.files.push(...files);
      },
    };
  }

  /** The summaries posted ("Your analysis is ready"). */
  summaries(): string[] {
    return this.messages.map((m) => m.text).filter((text) => text.startsWith('Your analysis is ready'));
  }
}

describe.skipIf(!postgresAvailable())('analysis jobs: an ingress and a worker on one PostgreSQL', () => {
  let server: TestPostgres;
  let url: string;
  let db: pg.Client;
  let ingressJobs: PgBossQueue;
  let workerJobs: PgBossQueue;
  let ingress: ChatApp;
  let worker: ChatApp;
  const chats = new Map<string, Chat>();

  const chat = (key: string): Chat => {
    const existing = chats.get(key);
    if (existing) return existing;
    const created = new Chat(key);
    chats.set(key, created);
    return created;
  };
  /** What the athlete sends, handled by the ingress. */
  const send = (c: Chat, incoming: Incoming) => ingress.conversation.handle(c.thread(), incoming);
  const command = (c: Chat, name: string, args = '') => send(c, { kind: 'command', name, args });
  const upload = (c: Chat, rides = 3) =>
    send(c, {
      kind: 'files',
      attachments: Array.from({ length: rides }, (_, i) => {
        const content = syntheticRideBytes(40 + i, new Date(Date.UTC(2026, 2, 2 + 2 * i, 7)));
        return { fileName: `ride-${i + 1}.fit`, sizeBytes: content.length, download: async () => content };
      }),
    });
  const athleteOf = async (c: Chat) => ingress.store.athlete((await ingress.store.athleteForIdentity(c.key, c.key)).id);
  /** The job data of the athlete's analysis job, from pg-boss's table. */
  const jobOf = async (athleteId: string) => {
    const { rows } = await db.query<{ id: string; data: AnalysisJobData }>(
      `SELECT id, data FROM pgboss.job WHERE name = 'analysis' AND singleton_key = $1 ORDER BY created_on DESC LIMIT 1`,
      [athleteId],
    );
    return rows[0]!;
  };

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.freshDatabase();
    db = new pg.Client({ connectionString: url });
    await db.connect();
    ingressJobs = new PgBossQueue({ url, ...FAST });
    workerJobs = new PgBossQueue({ url, ...FAST });
    await Promise.all([ingressJobs.start(), workerJobs.start()]);
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' });
    const common = { snapshot: false, statusIntervalMs: 20, processMetrics: false } as const;
    ingress = await createChatApp(config, createLogger('silent'), { ...common, role: 'ingress', jobs: ingressJobs });
    worker = await createChatApp(config, createLogger('silent'), { ...common, role: 'worker', jobs: workerJobs });
    // the worker's send-only chat directory: a Telegram athlete's chat, as a new thread of this process
    worker.directories.add({ open: (key) => (key.startsWith('telegram:') ? chat(key).thread() : null) });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ingressJobs?.stop({ graceful: false }), workerJobs?.stop({ graceful: false })]);
    await ingress?.close();
    await worker?.close();
    await db?.end();
    await server?.stop();
  });

  it('queues a Telegram athlete’s analysis until a worker takes it; a second /analyze meanwhile is told one is running', async () => {
    const c = chat('telegram:101');
    await upload(c);
    await command(c, 'analyze');
    const status = c.messages.at(-1)!;
    expect(status.text).toMatch(/^Analysis [0-9a-f]{8}/);
    const athlete = await athleteOf(c);
    const [run] = await athlete.runs();
    expect(run).toMatchObject({ status: 'queued', deliveredAt: null });

    await command(c, 'analyze');
    expect(c.messages.at(-1)!.text).toMatch(new RegExp(`already running for you \\(run ${run!.id.slice(0, 8)}\\)`));
    await command(c, 'status');
    expect(c.messages.at(-1)!.text).toMatch(/queued/i);
    expect(await athlete.runs()).toHaveLength(1);

    await worker.startWorker();
    await until(async () => (await athlete.run(run!.id))?.deliveredAt != null, 'the delivery');
    await until(() => c.files.length === 3, 'the reports');
    expect((await athlete.run(run!.id))?.status).toBe('done');
    expect(status.edits).toBeGreaterThan(0);
    expect(status.text).toMatch(/✓/);
    expect(c.summaries()).toHaveLength(1);
    expect(c.files.map((f) => f.fileName)).toEqual([...REPORT_FILES]);
  }, 120_000);

  it('runs the job on the worker: the status message is edited there, then one summary and the reports; delivered_at is set', async () => {
    const c = chat('telegram:102');
    await upload(c);
    const before = c.messages.length;
    await command(c, 'analyze');
    const status = c.messages[before]!;
    const athlete = await athleteOf(c);
    const [run] = await athlete.runs();
    await until(async () => (await athlete.run(run!.id))?.deliveredAt != null, 'the delivery');
    await until(() => c.files.length === 3, 'the reports');
    expect(status.text).toContain(`Analysis ${run!.id.slice(0, 8)}`);
    expect(status.edits).toBeGreaterThan(0);
    expect(c.summaries()).toHaveLength(1);
    expect(c.messages.slice(before).map((m) => m.text)).toHaveLength(2); // the status message and the summary
    // the job is complete: a new /analyze of the same rides sends the last one again, without a run
    const job = await jobOf(athlete.athleteId);
    await until(async () => !(await ingressJobs.pending('analysis', athlete.athleteId)), 'the job to complete');
    expect((await db.query(`SELECT state FROM pgboss.job WHERE id = $1`, [job.id])).rows[0]).toEqual({ state: 'completed' });
  }, 120_000);

  it('a job handled again after its delivery (a retry) sends nothing and runs nothing', async () => {
    const c = chat('telegram:102');
    const athlete = await athleteOf(c);
    const job = await jobOf(athlete.athleteId);
    const messages = c.messages.map((m) => ({ ...m }));
    const files = c.files.length;
    const runs = (await athlete.runs()).length;
    await worker.conversation.runAnalysisJob({ id: job.id, name: 'analysis', data: job.data, attempt: 2 });
    expect(c.messages).toEqual(messages);
    expect(c.files).toHaveLength(files);
    expect(await athlete.runs()).toHaveLength(runs);
  }, 60_000);

  it('an attempt that died mid-run: the retry marks its run interrupted, runs a new one in the same message, one summary', async () => {
    const c = chat('telegram:103');
    await upload(c);
    const athlete = await athleteOf(c);
    // what the ingress wrote, and the first attempt that got as far as running before its process died
    const first = await athlete.startRun({ status: 'queued' });
    const ref = await c.thread().post(statusText(first.id, new Map(), null, null, null));
    await athlete.markRunning(first.id);
    const data: AnalysisJobData = {
      athleteId: athlete.athleteId,
      identityKey: c.key,
      runId: first.id,
      statusMessageId: ref.id,
      newSince: null,
    };
    await worker.conversation.runAnalysisJob({ id: 'job-103', name: 'analysis', data, attempt: 2 });

    const [latest, old] = await athlete.runs();
    expect(old).toMatchObject({ id: first.id, status: 'interrupted', deliveredAt: null });
    expect(latest).toMatchObject({ status: 'done' });
    expect(latest!.deliveredAt).toBeInstanceOf(Date);
    const status = c.messages.find((m) => m.id === ref.id)!;
    expect(status.text).toContain(`Analysis ${latest!.id.slice(0, 8)}`);
    expect(status.edits).toBeGreaterThan(0);
    expect(c.summaries()).toHaveLength(1);
    expect(c.files).toHaveLength(3);

    // and once more (the retry's own retry): nothing
    const count = c.messages.length;
    await worker.conversation.runAnalysisJob({ id: 'job-103', name: 'analysis', data, attempt: 3 });
    expect(c.messages).toHaveLength(count);
    expect(await athlete.runs()).toHaveLength(2);
  }, 120_000);

  it('a chat that is not Telegram runs its analysis in the ingress, as before', async () => {
    const c = chat('memory:104');
    await upload(c);
    await command(c, 'analyze');
    const athlete = await athleteOf(c);
    await until(() => c.files.length === 3, 'the reports');
    const [run] = await athlete.runs();
    expect(run).toMatchObject({ status: 'done', deliveredAt: null });
    expect(await ingressJobs.pending('analysis', athlete.athleteId)).toBe(false);
    expect(c.summaries()).toHaveLength(1);
  }, 120_000);
});
