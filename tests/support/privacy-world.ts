/**
 * The two sides of tests/integration/pg-privacy.engines.test.ts: one athlete's writes that fill
 * every part of an export (`seed`), the same few ports on SQLite (`Store.open` + `store.athlete(id)`)
 * and on PostgreSQL (its repositories composed by hand around PgPrivacyRepository, as
 * pg/pg-engine.ts composes them), rows counted per table on each, and exports made comparable
 * across engines (`normalized`: ids replaced by their rank of first appearance).
 */
import type { PlanVersion } from '../../src/domain/coaching/types.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import type { OpenedPostgres } from '../../src/store/pg/database.js';
import { PgActivityRepository } from '../../src/store/pg/repositories/activities.js';
import { PgChatStateRepository } from '../../src/store/pg/repositories/chat-state.js';
import { pgCheckinRepository } from '../../src/store/pg/repositories/checkins.js';
import { PgCoachingRepository } from '../../src/store/pg/repositories/coaching.js';
import { PgAthleteRepository, PgIdentityDirectory } from '../../src/store/pg/repositories/identities.js';
import { PgPrivacyRepository } from '../../src/store/pg/repositories/privacy.js';
import { PgProfileRepository } from '../../src/store/pg/repositories/profile.js';
import { PgQuestionRepository } from '../../src/store/pg/repositories/questions.js';
import { PgReminderRepository } from '../../src/store/pg/repositories/reminders.js';
import { PgRunRepository } from '../../src/store/pg/repositories/runs.js';
import { PgAthleteSyncRepository } from '../../src/store/pg/repositories/sync.js';
import { PgSyncQueue } from '../../src/store/pg/repositories/sync-queue.js';
import { PgUploadRepository } from '../../src/store/pg/repositories/uploads.js';
import { PgUsageEvents } from '../../src/store/pg/repositories/usage-events.js';
import type { ChatStateRepository, IdentityDirectory, SyncQueue } from '../../src/store/ports.js';
import type { Clock } from '../../src/store/records.js';
import { Store, type AthleteStore } from '../../src/store/store.js';
import { encodeActivityFit } from '../../src/synthetic/fit-writer.js';
import { syntheticRide } from '../../src/synthetic/synthetic-ride.js';

/** What the suite does with one athlete: the writes that fill every part of an export, and the two under test. */
export type PrivacyAthlete = Pick<
  AthleteStore,
  | 'athleteId'
  | 'linkIdentity'
  | 'updateProfile'
  | 'recordUpload'
  | 'startRun'
  | 'finishPhase'
  | 'finishRun'
  | 'saveReports'
  | 'recordQuestion'
  | 'setReminder'
  | 'setCheckin'
  | 'activityCount'
  | 'coaching'
  | 'sync'
  | 'export'
  | 'forget'
>;

/** One empty database on an engine, the cross-athlete ports the suite needs, and its rows counted directly. */
export interface PrivacyWorld {
  identities: Pick<IdentityDirectory, 'athleteForIdentity' | 'findByIdentity'>;
  chatStates: ChatStateRepository;
  queue: Pick<SyncQueue, 'enqueue' | 'saveOAuthState'>;
  recordUsage(identityKey: string, at: Date): Promise<void>;
  athlete(athleteId: string): PrivacyAthlete;
  /** Rows per table; with `athleteId`, only the tables with an athlete_id column, counting that athlete's rows. */
  counts(athleteId?: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export const SEALED = 'v1:SEALED-SECRET-OF-ANA';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** The export's fields, in SQLite's order. */
export const EXPORT_FIELDS = [
  ...['exportedAt', 'athlete', 'profileHistory', 'activities', 'uploads', 'runs', 'reminder', 'checkin', 'questions', 'chatState'],
  ...['reportFiles', 'planVersions', 'workoutMatches', 'events', 'connections'],
];

function ride(seed: number, start: string) {
  const bytes = encodeActivityFit([syntheticRide({ seed, startTime: new Date(start), durationSeconds: 1800, ftp: 250 })]);
  const decoded = decodeFit(bytes, `ride-${seed}.fit`);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value[0]!;
}

const planVersion = (): Omit<PlanVersion, 'version' | 'createdAt'> => ({
  reason: 'first',
  changes: [{ kind: 'new-plan', text: 'first plan' }],
  plan: { startDate: '2027-01-04', weeks: [] },
  ftp: 250,
  sourceRunId: null,
  input: { ftp: 250, weeklyHours: 6, trainingDays: ['tue', 'sat'], planWeeks: 4, startDate: '2027-01-04', fitness: { ctl: 40 } },
});

/** Ana with something in every part of an export (each write a second after the last), and Ben with a little. */
export async function seed(world: PrivacyWorld, tick: () => void): Promise<{ ana: PrivacyAthlete; ben: PrivacyAthlete }> {
  const ana = world.athlete((await world.identities.athleteForIdentity('telegram:1', 'Ana')).id);
  tick();
  await ana.linkIdentity('discord:11');
  const ben = world.athlete((await world.identities.athleteForIdentity('telegram:2', 'Ben')).id);
  let rideId = '';
  const steps: (() => Promise<unknown>)[] = [
    () => ana.updateProfile({ ftp: 260, goals: 'Sub-5 at the Marmotte' }),
    () =>
      ana.recordQuestion({
        provider: 'anthropic',
        model: 'm',
        intent: 'ftp',
        inputTokens: 40,
        outputTokens: 10,
        costUsd: 0.009,
        grounded: true,
      }),
    async () => {
      const errors = [{ source: 'x.gpx', code: 'unsupported-format' as const, message: 'GPX' }];
      rideId = (await ana.recordUpload(['a.fit', 'x.gpx'], { activities: [ride(1, '2027-01-05T08:00:00Z')], errors })).activityIds[0]!;
    },
    () => ben.recordUpload(['b.fit'], { activities: [ride(2, '2027-01-06T08:00:00Z')], errors: [] }),
    async () => {
      const run = await ana.startRun({ provider: 'anthropic', model: 'm' });
      await ana.finishPhase(run.id, { phase: 'data-preparation', status: 'done', startedAt: new Date(0), durationMs: 5 });
      await ana.saveReports(run.id, [{ fileName: 'index.html', contentType: 'text/html', content: new TextEncoder().encode('report') }]);
      await ana.finishRun(run.id, { status: 'done', inputTokens: 100, costUsd: 0.02 });
    },
    () => ana.setReminder({ enabled: true, nextDueAt: new Date('2027-02-01T08:00:00Z') }),
    () => ana.setCheckin({ enabled: true }),
    () => ana.coaching.savePlanVersion(planVersion()),
    () => ana.coaching.addEvent({ date: '2027-07-04', priority: 'A', name: 'Marmotte' }),
    async () => {
      await ana.coaching.saveMatch(match(rideId), 1);
      await ana.sync.recordSyncedActivity('strava', '1001', rideId);
    },
    () => ana.sync.saveConnection({ service: 'strava', externalAthleteId: '777', sealedSecret: SEALED, pushCalendar: false }),
    () =>
      ana.sync.saveCalendarEntry({
        externalId: 'domestique:a',
        remoteId: '1',
        date: '2027-01-05',
        contentHash: 'h',
        pushedAt: new Date(0),
      }),
    () => world.queue.enqueue({ athleteId: ana.athleteId, service: 'strava', kind: 'fetch-activity', dedupeKey: 'strava:1002' }),
    () =>
      world.queue.saveOAuthState('state-ana', {
        athleteId: ana.athleteId,
        identityKey: 'telegram:1',
        months: 12,
        expiresAt: new Date('2099-01-01'),
      }),
    () => world.queue.enqueue({ athleteId: ben.athleteId, service: 'strava', kind: 'fetch-activity', dedupeKey: 'strava:2001' }),
    () => world.chatStates.setChatState('telegram:1', { pending: 'weight' }, ana.athleteId),
    // a state saved before the chat was linked carries no athlete id: it goes by identity
    () => world.chatStates.setChatState('discord:11', { pending: null }),
    () => world.chatStates.setChatState('telegram:2', { step: 'ben' }, ben.athleteId),
    () => world.recordUsage('telegram:1', new Date('2027-01-10T09:00:00Z')),
  ];
  for (const step of steps) {
    tick();
    await step();
  }
  return { ana, ben };
}

const match = (activityId: string) => ({
  activityId,
  workoutKey: null,
  date: '2027-01-05',
  rideDate: '2027-01-05',
  status: 'extra' as const,
  workoutName: null,
  ftp: 250,
  session: { plannedMinutes: 0, doneMinutes: 30, plannedTss: 0, doneTss: 20, plannedIf: 0, doneIf: 0.6 },
  intervals: [],
});

/** The export with every id replaced by its rank of first appearance: two engines' exports compare. */
export function normalized(value: unknown, ids = new Map<string, string>()): unknown {
  if (typeof value === 'string') return value.replace(UUID, (id) => ids.get(id) ?? ids.set(id, `id-${ids.size}`).get(id)!);
  if (Array.isArray(value)) return value.map((v) => normalized(v, ids));
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalized(v, ids)]));
}

/** The ports of a new SQLite store at `path`. */
export async function openSqlite(path: string, clock: Clock): Promise<PrivacyWorld> {
  const store = await Store.open(path, { clock });
  const all = <T>(query: string) => store.db.all<T>(query);
  return {
    identities: store,
    chatStates: store,
    queue: store.sync,
    recordUsage: (key, at) => store.usage(key).record('file', 1, at),
    athlete: (id) => store.athlete(id),
    counts: async (athleteId) => {
      const tables = all<{ name: string }>(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite%' and name not like '\\_\\_%' escape '\\'",
      );
      const counted = athleteId
        ? tables.filter(({ name }) => all<{ name: string }>(`pragma table_info(${name})`).some((c) => c.name === 'athlete_id'))
        : tables;
      const where = athleteId ? ` where athlete_id = '${athleteId}'` : '';
      return Object.fromEntries(counted.map(({ name }) => [name, all<{ n: number }>(`select count(*) n from ${name}${where}`)[0]!.n]));
    },
    close: () => store.close(),
  };
}

/** The PostgreSQL repositories composed as the engine composes them, around PgPrivacyRepository. */
export function pgWorld(opened: OpenedPostgres, clock: Clock): PrivacyWorld {
  const { db, pool } = opened;
  const chatStates = new PgChatStateRepository(db, clock);
  const usage = new PgUsageEvents(db);
  const athlete = (athleteId: string): PrivacyAthlete => {
    const scope = { db, athleteId, clock };
    const me = new PgAthleteRepository(scope);
    const timeZone = async () => (await me.info()).timeZone;
    const [profile, uploads, runs, questions] = [
      new PgProfileRepository(scope),
      new PgUploadRepository(scope),
      new PgRunRepository(scope),
      new PgQuestionRepository(scope),
    ];
    const [reminders, checkins] = [new PgReminderRepository(scope, timeZone), pgCheckinRepository(scope, timeZone)];
    const [activities, coaching, sync] = [
      new PgActivityRepository(scope),
      new PgCoachingRepository(scope),
      new PgAthleteSyncRepository(scope),
    ];
    const privacy = new PgPrivacyRepository(scope, {
      athlete: me,
      profile,
      activities,
      uploads,
      runs,
      reminders,
      questions,
      chatStates,
      coaching,
      checkins,
      sync,
    });
    return {
      athleteId,
      coaching,
      sync,
      linkIdentity: (key) => me.linkIdentity(key),
      updateProfile: (changes, from) => profile.updateProfile(changes, from),
      recordUpload: (names, batch, hooks) => uploads.recordUpload(names, batch, hooks),
      startRun: (options) => runs.startRun(options),
      finishPhase: (id, phase) => runs.finishPhase(id, phase),
      finishRun: (id, result) => runs.finishRun(id, result),
      saveReports: (id, files) => runs.saveReports(id, files),
      recordQuestion: (q) => questions.recordQuestion(q),
      setReminder: (settings) => reminders.setReminder(settings),
      setCheckin: (settings) => checkins.setCheckin(settings),
      activityCount: () => activities.activityCount(),
      export: () => privacy.export(),
      forget: () => privacy.forget(),
    };
  };
  const count = async (query: string, values: string[] = []) => Number((await pool.query<{ n: string }>(query, values)).rows[0]!.n);
  return {
    identities: new PgIdentityDirectory(db, clock),
    chatStates,
    queue: new PgSyncQueue(db, clock),
    recordUsage: (key, at) => usage.record(key, 'file', 1, at),
    athlete,
    counts: async (athleteId) => {
      const tables = athleteId
        ? await pool.query<{ name: string }>(
            "select table_name as name from information_schema.columns where table_schema = 'public' and column_name = 'athlete_id'",
          )
        : await pool.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public'");
      const where = athleteId ? ' where athlete_id = $1' : '';
      const entries = [];
      for (const { name } of tables.rows)
        entries.push([name, await count(`select count(*) n from ${name}${where}`, athleteId ? [athleteId] : [])]);
      return Object.fromEntries(entries) as Record<string, number>;
    },
    close: () => opened.close(),
  };
}
