/**
 * Athletes of the multi-process tests, played through the fake Bot API (each a private chat), and
 * what the test reads back: their summaries and report files as the chat got them, and — straight
 * from PostgreSQL — their run records and the analysis jobs of pg-boss.
 */
import pg from 'pg';
import { REPORT_FILES } from '../../src/report/report-model.js';
import type { FakeBotMessage, FakeSentFile, FakeTelegram } from '../fakes/fake-telegram.js';
import { syntheticRideBytes } from './synthetic-files.js';

/** The HTML reports every analysis sends, sorted. */
export const REPORT_NAMES = [...REPORT_FILES].sort();

/** How long each uploaded ride is. */
const RIDE_MINUTES = 20;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const SUMMARY = /^Your analysis is ready \(run (\w+)\)/;

export class RoleAthlete {
  constructor(
    readonly fake: FakeTelegram,
    readonly userId: number,
    readonly name = `Rider ${userId}`,
  ) {}

  get key(): string {
    return `telegram:${this.userId}`;
  }

  messages(): FakeBotMessage[] {
    return this.fake.messages(this.userId);
  }

  texts(): string[] {
    return this.messages().map((m) => m.text);
  }

  /** "Your analysis is ready" messages. */
  summaries(): FakeBotMessage[] {
    return this.messages().filter((m) => SUMMARY.test(m.text));
  }

  /** The HTML reports sent (documents). */
  reports(): FakeSentFile[] {
    return this.fake.documents(this.userId).filter((f) => f.fileName.endsWith('.html'));
  }

  send(text: string): number {
    return this.fake.userSendsText(this.userId, text, 'private', { firstName: this.name }).updateId;
  }

  /** Sends and waits until the chat holds a message matching `answer` that was not there before. */
  async say(text: string, answer: RegExp, timeoutMs = 60_000): Promise<FakeBotMessage> {
    const before = new Set(this.messages());
    this.send(text);
    return this.waitForMessage((m) => !before.has(m) && answer.test(m.text), `${this.name}'s answer to "${text}"`, timeoutMs);
  }

  /**
   * `count` short synthetic rides over the last days, as one album; waits until the answers say all
   * of them are stored. (Under load an album may come as two uploads, each answered: Telegram's
   * webhook gives a chat's updates one at a time, and a part that comes after the album's quiet
   * time opens an upload of its own — so the answers' counts are added up.)
   */
  async uploadRides(count: number, now: Date, timeoutMs = 180_000): Promise<void> {
    const before = new Set(this.messages());
    // short rides (20 minutes) two days apart, before `now`: small files, quick to read and to analyse
    const rides = range(count).map((i) => ({
      fileName: `ride-${this.userId}-${i + 1}.fit`,
      content: syntheticRideBytes(this.userId * 10 + i, new Date(now.getTime() - (count - i) * 2 * 86_400_000), RIDE_MINUTES),
    }));
    if (count === 1) this.fake.userSendsDocument(this.userId, rides[0]!.fileName, rides[0]!.content, { firstName: this.name });
    else this.fake.userSendsAlbum(this.userId, rides, { firstName: this.name });
    const stored = () =>
      this.messages()
        .filter((m) => !before.has(m))
        .reduce((sum, m) => sum + Number(/^(\d+) new activit(?:y|ies) stored/m.exec(m.text)?.[1] ?? 0), 0);
    await this.fake.waitFor(
      () => stored() >= count,
      timeoutMs,
      `${this.name}'s ${count} rides stored (chat so far: ${JSON.stringify(this.texts())})`,
    );
  }

  /** Until the summary and the three reports have come. */
  async waitForReport(timeoutMs: number): Promise<void> {
    await this.fake.waitFor(
      () => this.summaries().length > 0 && this.reports().length >= REPORT_NAMES.length,
      timeoutMs,
      `${this.name}'s summary and reports (chat so far: ${JSON.stringify(this.texts().map((t) => t.split('\n')[0]))})`,
    );
  }

  waitForMessage(match: (m: FakeBotMessage) => boolean, what: string, timeoutMs = 60_000): Promise<FakeBotMessage> {
    return this.fake.waitFor(() => this.messages().find(match), timeoutMs, `${what} (chat so far: ${JSON.stringify(this.texts())})`);
  }
}

export interface RunRow {
  id: string;
  identityKey: string;
  status: string;
  deliveredAt: Date | null;
}

export interface JobRow {
  id: string;
  state: string;
  retryCount: number;
  singletonKey: string | null;
  data: Record<string, unknown>;
}

/** Reads the database the processes share. */
export class DatabaseProbe {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<DatabaseProbe> {
    const client = new pg.Client(url);
    await client.connect();
    return new DatabaseProbe(client);
  }

  /** Every run record, with the chat identity of its athlete, oldest first. */
  async runs(): Promise<RunRow[]> {
    const { rows } = await this.client.query<{ id: string; key: string; status: string; delivered_at: unknown }>(
      `select r.id, i.key, r.status, r.delivered_at from runs r join chat_identities i on i.athlete_id = r.athlete_id order by r.created_at, r.id`,
    );
    return rows.map((r) => ({
      id: r.id,
      identityKey: r.key,
      status: r.status,
      deliveredAt: r.delivered_at === null ? null : new Date(Number(r.delivered_at)),
    }));
  }

  /** The jobs of one pg-boss queue (none when the queue does not exist yet). */
  async jobs(queue = 'analysis'): Promise<JobRow[]> {
    const exists = await this.client.query(`select 1 from information_schema.tables where table_schema = 'pgboss' and table_name = 'job'`);
    if (exists.rowCount === 0) return [];
    const { rows } = await this.client.query<{
      id: string;
      state: string;
      retry_count: number;
      singleton_key: string | null;
      data: Record<string, unknown>;
    }>(`select id, state, retry_count, singleton_key, data from pgboss.job where name = $1 order by created_on`, [queue]);
    return rows.map((r) => ({ id: r.id, state: r.state, retryCount: r.retry_count, singletonKey: r.singleton_key, data: r.data }));
  }

  /** Until every job of the queue has ended (completed, failed or cancelled) — then nothing more of them can reach a chat. */
  async waitJobsEnded(count: number, timeoutMs: number, queue = 'analysis'): Promise<JobRow[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const jobs = await this.jobs(queue);
      if (jobs.length >= count && jobs.every((j) => ['completed', 'failed', 'cancelled'].includes(j.state))) return jobs;
      if (Date.now() > deadline)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${count} ended "${queue}" jobs: ${JSON.stringify(jobs.map((j) => j.state))}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The Telegram updates of the inbox (the webhook stores each before its 200), by id: handled or not. */
  async inbox(): Promise<Map<number, { handled: boolean }>> {
    const { rows } = await this.client.query<{ update_id: string; handled_at: unknown }>(
      `select update_id, handled_at from chat_updates where transport = 'telegram'`,
    );
    return new Map(rows.map((r) => [Number(r.update_id), { handled: r.handled_at !== null }]));
  }

  /** Until every one of these updates is in the inbox and handled (its answers are sent before it is marked). */
  async waitHandled(updateIds: readonly number[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const inbox = await this.inbox();
      const left = updateIds.filter((id) => !inbox.get(id)?.handled);
      if (left.length === 0) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for updates ${left.join(', ')} to be handled`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
