/**
 * The platform-neutral conversation: onboarding, profile, uploads, analysis, reports, plan,
 * export and forget. Bots turn platform updates into `Incoming` events and call `handle`; all
 * behaviour and every word lives here, once, for every platform.
 */
import { randomInt } from 'node:crypto';
import { planToIcs, workoutFiles } from '../domain/plan/index.js';
import { ftpChanges, type ProfileFields } from '../domain/profile.js';
import { zonedDate } from '../domain/calendar.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from '../ingest/ingest.js';
import { ingestPool, type IngestPool } from '../ingest/ingest-pool.js';
import { appendAll } from '../domain/arrays.js';
import { screenUpload } from '../ingest/plausibility.js';
import { formatBytes } from '../ingest/ingest-error.js';
import type { Logger } from '../logger.js';
import type { PhaseName, RunEvent } from '../orchestrator/events.js';
import { RunFailure } from '../orchestrator/run-analysis.js';
import { formatWeight } from '../report/format.js';
import { CHAT_CARD_FILE, renderChatCard } from '../report/pages/chat-card-page.js';
import { REPORT_FILES } from '../report/report-model.js';
import type { AthleteStore, Store, UploadError } from '../store/store.js';
import type { Activity } from '../domain/activity.js';
import type { AnalysisService } from './analysis-service.js';
import { exportFiles } from './export-parts.js';
import {
  activitiesText,
  activityLine,
  HELP,
  planText,
  PRIVATE_ONLY,
  profileText,
  resentSummaryText,
  shortId,
  statusText,
  summaryText,
  unreadableText,
  uploadText,
  uploadTotals,
} from './messages.js';
import type { ChatActivity, ChatThread, Incoming, MessageRef, OutgoingFile } from './port.js';
import type { ChatDirectory } from './reminders.js';
import type { RunRecord } from '../store/store.js';
import {
  describeZone,
  hasChanges,
  isFixedOffsetZone,
  parseProfileText,
  type ParsedAnswer,
  type ProfileChanges,
  type ProfileField,
} from './profile-text.js';
import { DEFAULT_SCHEDULE, formatReminderTime, nextReminderAt, parseReminderArgs } from './reminders.js';
import { MAX_TURNS, type CoachQuestions, type CoachTurn } from './coach-questions.js';
import { looksLikeQuestion, OPERATOR_HINT, smallTalk, type SmallTalk } from './intents.js';
import {
  answersStep,
  isCorrection,
  isKeep,
  isUnsureAnswer,
  ONBOARDING_HELP,
  onboardingAnswer,
  profileComplete,
  STEPS,
  stepOf,
  stepQuestion,
  withoutCorrection,
  type OnboardingStep,
} from './onboarding.js';
import { latestDoneRun, planOfRun, runJsonOf } from './stored-plan.js';

export interface ConversationDeps {
  store: Store;
  analysis: AnalysisService;
  clock: () => Date;
  ingestLimits?: IngestLimits;
  /** Where uploaded files are read (worker threads); default: the process's shared pool. */
  ingestPool?: IngestPool;
  /** Renders the dashboard to a PNG for chat; null when no browser is available. */
  /** Renders the chat card (and, for runs stored without one, the dashboard) to a PNG for chat; null when no browser is available. */
  snapshot?: { card(html: string): Promise<Uint8Array | null>; png(html: string): Promise<Uint8Array | null> } | null;
  logger?: Logger;
  /** Minimum time between two edits of the status message. */
  statusIntervalMs?: number;
  /** Answers free-text questions; without it, unknown text gets the help hint. */
  coach?: CoachQuestions;
  /** Questions per athlete per day (the athlete's day, in their time zone). */
  questionsPerDay?: number;
  /** Per-athlete quotas (defaults: generous). */
  limits?: { uploadFilesPerDay: number; uploadBytesPerDay: number; analysesPerDay: number; maxActivities: number };
  /**
   * Reaches an athlete's other chats without an incoming message (every running bot): tells the
   * chat that issued a /link code that it was used, and moves /start from a server to a DM.
   */
  directory?: ChatDirectory;
  /** Told about uploads and questions, for metrics. */
  observer?: {
    upload(summary: { new: number; duplicates: number; merged: number; errors: number }): void;
    question(answer: { provider: string; usage: { inputTokens: number; outputTokens: number }; costUsd: number }): void;
  };
}

/** How long a `/link` code works, and how many wrong codes a chat may enter an hour. */
const LINK_CODE_MINUTES = 10;
const LINK_TRIES_PER_HOUR = 5;

/**
 * The per-day quotas (files, megabytes, analyses, questions) count what was attempted in the last
 * 24 hours — a rolling window, not the calendar day: the counters are kept by chat identity in the
 * store (`Store.usage`) and hold across /forget, which would otherwise reset the athlete's time
 * zone and with it the start of "today". "Today" in the messages means these 24 hours. The store
 * keeps the events exactly this long.
 */
const QUOTA_WINDOW_MS = 24 * 3_600_000;

/** Uploads this large (or any .zip) show "typing…" while they are read; Telegram shows an action 5 s, so it is repeated. */
const LARGE_UPLOAD_BYTES = 1024 * 1024;
const BUSY_REPEAT_MS = 4000;
/** /activities: rows shown by default and at most. */
const ACTIVITIES_DEFAULT = 10;
const ACTIVITIES_MAX = 30;

/** Attachments that are pictures, videos or sound by their name: there is no ride in them. */
const MEDIA: readonly [RegExp, string][] = [
  [/\.(jpe?g|png|gif|webp|heic|heif|bmp|tiff?)$/i, 'a photo'],
  [/\.(mp4|mov|m4v|webm|avi|mkv|3gp)$/i, 'a video'],
  [/\.(ogg|oga|opus|mp3|m4a|wav|aac|flac|amr)$/i, 'an audio recording'],
];
const mediaKind = (fileName: string) => MEDIA.find(([pattern]) => pattern.test(fileName))?.[1] ?? null;

/** The chat app an identity key belongs to, as the athlete calls it. */
const appName = (identityKey: string) =>
  identityKey.startsWith('telegram:') ? 'Telegram' : identityKey.startsWith('discord:') ? 'Discord' : 'other chat';

const DEFAULT_LIMITS = { uploadFilesPerDay: 200, uploadBytesPerDay: 1024 * 1024 * 1024, analysesPerDay: 5, maxActivities: 25_000 };

const EMPTY_PROFILE: ProfileFields = {
  ftp: null,
  weightKg: null,
  maxHr: null,
  lthr: null,
  restingHr: null,
  age: null,
  sex: null,
  goals: null,
  eventDate: null,
  trainingDays: null,
  weeklyHours: null,
  planWeeks: null,
};

interface DialogueState {
  step: ProfileField | null;
  /** Steps answered or skipped in this onboarding (time zone and units have defaults). */
  answered: ProfileField[];
  /** Onboarding went to the end once in this chat: /start then offers a review. */
  onboarded?: boolean;
  /** Going through every question again, each showing its current value ("keep" keeps it). */
  review?: boolean;
  confirmForget: boolean;
  /** The last questions to the coach and their answers (context for the next one). */
  coachTurns: CoachTurn[];
  /** A `/link` code this chat handed out, and until when it works (ms since epoch). */
  linkCode?: string | null;
  linkExpiresAt?: number | null;
  /** The activity a `/delete` asked to confirm; its buttons work only while it is this one. */
  confirmDelete?: string | null;
}

const EMPTY_STATE: DialogueState = { step: null, answered: [], confirmForget: false, coachTurns: [] };

export class Conversation {
  /** The operator was told (once, in the log) how open questions get a model. */
  private operatorHinted = false;

  constructor(private readonly deps: ConversationDeps) {}

  /** Handles one incoming event of one chat. Expected problems are answered, never thrown. */
  async handle(thread: ChatThread, incoming: Incoming): Promise<void> {
    if (incoming.kind === 'command' && incoming.name === 'help') {
      await thread.post(HELP);
      return;
    }
    if (!thread.isPrivate) {
      // In a group, ordinary chatter (pictures too) is not for the bot; commands, files and buttons get pointed to a private chat.
      if (incoming.kind !== 'text' && incoming.kind !== 'unreadable') await thread.post(PRIVATE_ONLY);
      return;
    }
    const athlete = this.deps.store.athleteForIdentity(thread.athleteKey, thread.displayName);
    const scoped = this.deps.store.athlete(athlete.id);
    switch (incoming.kind) {
      case 'command':
        return this.command(thread, scoped, incoming.name, incoming.args.trim());
      case 'files':
        return this.upload(thread, scoped, incoming.attachments);
      case 'unreadable':
        await thread.post(unreadableText(incoming.what));
        return;
      case 'action':
        return this.action(thread, scoped, incoming.action);
      case 'text':
        return this.text(thread, scoped, incoming.text);
    }
  }

  // ---- dialogue state (survives restarts: kept in the store) ----

  private state(thread: ChatThread): DialogueState {
    const raw = this.deps.store.getChatState(thread.athleteKey);
    return raw ? { ...EMPTY_STATE, ...(raw as Partial<DialogueState>) } : { ...EMPTY_STATE };
  }

  private save(thread: ChatThread, athleteId: string, state: DialogueState): void {
    this.deps.store.setChatState(thread.athleteKey, state as unknown as Record<string, unknown>, athleteId);
  }

  private today(athlete: AthleteStore): string {
    const zone = athlete.info().timeZone;
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      this.deps.clock(),
    );
  }

  // ---- commands ----

  private async command(thread: ChatThread, athlete: AthleteStore, name: string, args: string): Promise<void> {
    switch (name) {
      case 'start':
        // A server channel never shows the bot the answers: the dialogue moves to a direct message.
        if (thread.receivesText === false) return this.startInDirectMessage(thread, athlete);
        return this.startOnboarding(thread, athlete);
      case 'profile':
        return this.profile(thread, athlete, args);
      case 'analyze':
      case 'analyse': {
        const months = /(\d{1,2})/.exec(args);
        if (months && (Number(months[1]) < 1 || Number(months[1]) > 24)) {
          await thread.post({ text: 'The period must be 1 to 24 months, e.g. /analyze 3 (months). The default is 6.' });
          return;
        }
        return this.analyze(thread, athlete, months ? Number(months[1]) : undefined);
      }
      case 'report':
        return this.report(thread, athlete);
      case 'plan':
        return this.plan(thread, athlete, /^next/i.test(args) ? 1 : 0);
      case 'status':
        return this.status(thread, athlete);
      case 'export':
        return this.export(thread, athlete);
      case 'forget':
        return this.askForget(thread, athlete);
      case 'reminders':
        return this.reminders(thread, athlete, args);
      case 'link':
        return this.link(thread, athlete, args);
      case 'activities':
        return this.activities(thread, athlete, args);
      case 'delete':
        return this.askDelete(thread, athlete, args);
      default:
        await thread.post({ text: `I don't know /${name}. ${HELP.text.split('\n')[0]}\nSee /help for what I can do.` });
    }
  }

  // ---- one history on several chat apps ----

  private async link(thread: ChatThread, athlete: AthleteStore, args: string): Promise<void> {
    const now = this.deps.clock();
    const digits = args.replace(/\D/g, '');
    if (digits.length === 0) {
      // Hand out a code for the other app.
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      this.save(thread, athlete.athleteId, {
        ...this.state(thread),
        linkCode: code,
        linkExpiresAt: now.getTime() + LINK_CODE_MINUTES * 60_000,
      });
      await thread.post({
        title: 'Link your other chat app',
        text: `To use this history on your other chat app (Telegram or Discord), send this there within ${LINK_CODE_MINUTES} minutes:\n\n/link ${code.slice(0, 3)}-${code.slice(3)}\n\nIt works once. Do not share it: it gives access to your rides.`,
      });
      return;
    }
    // Codes are short: a chat gets a few tries an hour, so guessing one is hopeless. Counted for
    // this chat in the store's usage counters, which /forget does not reset.
    const tries = this.deps.store.usage(thread.athleteKey);
    if (tries.since('link-failure', new Date(now.getTime() - 3_600_000)) >= LINK_TRIES_PER_HOUR) {
      await thread.post({ text: `Too many wrong codes: try again in an hour (${LINK_TRIES_PER_HOUR} tries an hour).` });
      return;
    }
    const found = digits.length === 6 ? this.deps.store.findLinkCode(digits, now) : null;
    if (!found) {
      tries.record('link-failure', 1, now);
      await thread.post({
        text: 'That code is unknown or has expired. Send /link on your other chat app for a new one, and enter it here within 10 minutes.',
      });
      return;
    }
    if (found.athleteId === athlete.athleteId) {
      await thread.post({ text: 'This chat already shares that history: nothing to link.' });
      return;
    }
    const held = athlete.activityCount();
    if (held > 0 || athlete.runs().length > 0) {
      await thread.post({
        text: `This chat already holds its own history (${held} activities). To use the other one here, /export what you want to keep and /forget it here first — or link the other way round: /link here, and the code on the other app.`,
      });
      return;
    }
    // The code works once: the chat that handed it out forgets it.
    const issuer = this.deps.store.getChatState(found.identityKey) ?? {};
    this.deps.store.setChatState(found.identityKey, { ...issuer, linkCode: null, linkExpiresAt: null }, found.athleteId);
    this.deps.store.moveIdentity(thread.athleteKey, found.athleteId);
    this.save(thread, found.athleteId, { ...EMPTY_STATE });
    const linked = this.deps.store.athlete(found.athleteId);
    const ftp = linked.currentProfile()?.ftp;
    await thread.post({
      text: `Linked: this chat now shares the history of ${linked.info().displayName} — ${linked.activityCount()} activities${ftp ? `, FTP ${ftp} W` : ''}. Everything you send here or there goes to the same place.`,
    });
    // The chat that handed out the code learns that it was used (and where): a code used by someone else would show here.
    await this.tell(found.identityKey, {
      text: `Your ${appName(thread.athleteKey)} account was linked to this history with the code from here: rides and profile changes sent there count here too, and the other way round.`,
    });
  }

  /** Posts to another chat of the athlete through the directory; a failure is logged, never thrown. */
  private async tell(identityKey: string, reply: { text: string }): Promise<boolean> {
    const other = this.deps.directory?.open(identityKey) ?? null;
    if (!other) return false;
    try {
      await other.post(reply);
      return true;
    } catch (e) {
      this.deps.logger?.warn(
        { err: e instanceof Error ? e : new Error(String(e)), athleteKey: identityKey },
        'could not reach another chat of the athlete',
      );
      return false;
    }
  }

  /** `/start` where answers cannot reach the bot (a Discord server): the first question goes by DM. */
  private async startInDirectMessage(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const dm = this.deps.directory?.open(thread.athleteKey) ?? null;
    if (dm) {
      try {
        await this.startOnboarding(dm, athlete);
        await thread.post({
          text: "Setting up your profile is a short conversation, and I only read your answers in our direct messages. I have sent you the first question there: let's continue in DMs.",
        });
        return;
      } catch (e) {
        this.deps.logger?.warn(
          { err: e instanceof Error ? e : new Error(String(e)), athleteKey: thread.athleteKey },
          'could not open a direct message for /start',
        );
      }
    }
    await thread.post({
      text: "Setting up your profile is a short conversation, and I only read your answers in direct messages — but I could not message you. Open a direct message with me (click my name, then Message) or allow direct messages from this server's members, and send /start there.",
    });
  }

  // ---- activities ----

  private async activities(thread: ChatThread, athlete: AthleteStore, args: string): Promise<void> {
    const asked = /\d+/.exec(args)?.[0];
    const count = Math.min(ACTIVITIES_MAX, Math.max(1, asked ? Number(asked) : ACTIVITIES_DEFAULT));
    const history = athlete.profileHistory();
    const ftpOn = (date: Date) => history.filter((p) => p.validFrom <= date).at(-1)?.ftp ?? history[0]?.ftp ?? null;
    await thread.post(activitiesText(athlete.recentActivities(count), athlete.activityCount(), ftpOn, athlete.info().units));
  }

  private async askDelete(thread: ChatThread, athlete: AthleteStore, args: string): Promise<void> {
    const wanted = (args.split(/\s+/)[0] ?? '').toLowerCase();
    if (wanted === '') {
      await thread.post({
        text: 'Which activity? /activities lists your latest rides with their ids; then send /delete with the id, e.g. /delete 1a2b3c4d.',
      });
      return;
    }
    const ids = /^[0-9a-f-]{4,36}$/.test(wanted) ? athlete.activityIdsStartingWith(wanted) : [];
    if (ids.length !== 1) {
      await thread.post({
        text:
          ids.length === 0
            ? `No activity of yours has the id ${wanted.slice(0, 40)}. /activities lists them with their ids.`
            : `Several activities have ids starting with ${wanted}: give more of the id, as /activities shows it.`,
      });
      return;
    }
    const id = ids[0]!;
    const stored = athlete.activity(id, { streams: false })!;
    this.save(thread, athlete.athleteId, { ...this.state(thread), confirmDelete: id });
    await thread.post({
      title: 'Delete this activity?',
      text: `${activityLine(stored, (d) => athlete.profileAt(d)?.ftp ?? null, athlete.info().units)}\n\nIt is deleted with its recording. Your fitness and load (CTL, ATL, TSB) are computed without it from the next /analyze, and a plan made with it is marked out of date. You can send the file again later.`,
      buttons: [
        [
          { label: 'Yes, delete it', action: `delete:confirm:${id}` },
          { label: 'No, keep it', action: `delete:cancel:${id}` },
        ],
      ],
    });
  }

  /** A press on a /delete confirmation: works once, and only for the latest /delete. */
  private async confirmDelete(thread: ChatThread, athlete: AthleteStore, id: string, confirmed: boolean): Promise<void> {
    const state = this.state(thread);
    const stored = athlete.activity(id, { streams: false });
    if (!stored) {
      await thread.post({ text: 'That activity is already deleted: this button is out of date. /activities shows what is stored.' });
      return;
    }
    if (state.confirmDelete !== id) {
      await thread.post({ text: `That button is out of date: nothing was deleted. Send /delete ${shortId(id)} to delete this activity.` });
      return;
    }
    if (!confirmed) {
      this.save(thread, athlete.athleteId, { ...state, confirmDelete: null });
      await thread.post({ text: 'Nothing was deleted.' });
      return;
    }
    if (this.deps.analysis.activeRun(athlete.athleteId)) {
      await thread.post({
        text: 'An analysis is running for you and reads this activity: wait until it is done (a minute or so), then press the button again.',
      });
      return;
    }
    const label = describeActivity(stored.activity);
    const latest = latestDoneRun(athlete);
    const result = athlete.deleteActivity(
      id,
      `This plan was made with an activity you deleted since (${label}): it no longer matches your rides.`,
    );
    this.save(thread, athlete.athleteId, { ...state, confirmDelete: null });
    const planStale = latest !== null && (result?.staleRunIds ?? []).includes(latest.id) && planOfRun(athlete, latest.id) !== null;
    const count = athlete.activityCount();
    const lines = [
      `Deleted: ${label}. ${count} ${count === 1 ? 'activity remains' : 'activities remain'}.`,
      'Your fitness and load (CTL, ATL, TSB) are computed without it from the next /analyze.',
      planStale
        ? 'Your current plan was made with it, so it is now marked out of date (it is not regenerated by itself): /analyze makes a new one.'
        : latest
          ? 'Your latest analysis did not use it: your plan stays as it is.'
          : '',
    ].filter(Boolean);
    await thread.post({
      text: lines.join('\n'),
      ...(planStale && count > 0 ? { buttons: [[{ label: 'Analyze now', action: 'analyze' }]] } : {}),
    });
  }

  private async startOnboarding(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const previous = this.state(thread);
    // A finished profile is reviewed, not asked again from the top.
    if (previous.onboarded || profileComplete(athlete.currentProfile())) return this.offerReview(thread, athlete, previous);
    const state: DialogueState = { ...previous, step: null, answered: [], review: false, confirmForget: false };
    const next = this.nextStep(athlete, state);
    state.step = next?.field ?? null;
    this.save(thread, athlete.athleteId, state);
    await thread.post({
      title: `Hello ${thread.displayName}! I'm domestique, your cycling coach.`,
      text: [
        'Send me your rides — .fit files from your bike computer, or your Strava export zip — and I will analyse them, plan your next weeks and send you reports.',
        'First, a few questions for your profile (you can change any of it later by just writing it, e.g. "ftp 270"; ask me why I need something, any time).',
        '',
        next ? next.question : 'Your profile is complete. Send me your rides!',
      ].join('\n'),
    });
  }

  /** `/start` on a finished profile: show it, say how to change a value, offer to go through the questions again. */
  private async offerReview(thread: ChatThread, athlete: AthleteStore, state: DialogueState): Promise<void> {
    this.save(thread, athlete.athleteId, { ...state, step: null, review: false });
    await thread.post({
      title: `Welcome back, ${thread.displayName}! Here is your profile:`,
      text: [
        profileText(athlete.info(), athlete.currentProfile()),
        '',
        'To change something, just write it — e.g. "ftp 270", "weight 69 kg", "I ride Tue Thu Sat", "goal: Etape on July 19 2027", "time zone London" or "imperial units". Or go through the questions again, each with its current value.',
      ].join('\n'),
      buttons: [
        [
          { label: 'Looks good', action: 'onboarding:done' },
          { label: 'Go through the questions', action: 'onboarding:review' },
        ],
      ],
    });
  }

  /** The buttons under the review offer. */
  private async onboardingAction(thread: ChatThread, athlete: AthleteStore, action: string): Promise<void> {
    const state = this.state(thread);
    if (action === 'onboarding:review') {
      const review: DialogueState = { ...state, answered: [], review: true, step: null };
      const first = this.nextStep(athlete, review);
      review.step = first?.field ?? null;
      this.save(thread, athlete.athleteId, review);
      await thread.post({
        text: `Let's go through it. Write a new value, or "keep" for one that stays.\n\n${first ? this.ask(athlete, review, first) : ''}`.trim(),
      });
      return;
    }
    this.save(thread, athlete.athleteId, { ...state, step: null, review: false });
    await thread.post({ text: "Good. Send me new rides whenever you have them — then /analyze, or /plan for this week's workouts." });
  }

  private nextStep(athlete: AthleteStore, state: DialogueState): OnboardingStep | null {
    const profile = athlete.currentProfile() ?? EMPTY_PROFILE;
    // a review asks everything once; otherwise what the profile already holds is not asked
    return STEPS.find((s) => !state.answered.includes(s.field) && (state.review === true || !s.answered(profile, state.answered))) ?? null;
  }

  /** A step's question, with its current value in a review. */
  private ask(athlete: AthleteStore, state: DialogueState, step: OnboardingStep): string {
    return stepQuestion(step, athlete.currentProfile() ?? EMPTY_PROFILE, athlete.info(), state.review === true);
  }

  private applyChanges(athlete: AthleteStore, changes: ProfileChanges): string[] {
    const said: string[] = [];
    const before = athlete.currentProfile();
    if (Object.keys(changes.profile).length > 0) {
      athlete.updateProfile(changes.profile, this.deps.clock());
      const p = changes.profile;
      if (p.ftp !== undefined) said.push(`FTP ${p.ftp} W${before?.ftp && before.ftp !== p.ftp ? ` (was ${before.ftp} W)` : ''}`);
      if (p.weightKg !== undefined) said.push(`weight ${formatWeight(p.weightKg, changes.units ?? athlete.info().units, 'chat')}`);
      if (p.maxHr !== undefined) said.push(`max HR ${p.maxHr} bpm`);
      if (p.lthr !== undefined) said.push(`threshold HR ${p.lthr} bpm`);
      if (p.restingHr !== undefined) said.push(`resting HR ${p.restingHr} bpm`);
      if (p.trainingDays !== undefined) said.push(`days ${p.trainingDays?.join(' ')}`);
      if (p.weeklyHours !== undefined) said.push(`${p.weeklyHours} h a week`);
      if (p.goals !== undefined) said.push(`goal "${p.goals}"`);
      if (p.eventDate !== undefined) said.push(`event ${p.eventDate}`);
    }
    if (changes.timeZone || changes.units) {
      athlete.update({ ...(changes.timeZone ? { timeZone: changes.timeZone } : {}), ...(changes.units ? { units: changes.units } : {}) });
      // the monthly reminder follows the athlete to their new zone: 09:00 stays 09:00 where they are
      const reminder = changes.timeZone ? athlete.reminder() : null;
      if (reminder && changes.timeZone && reminder.timeZone !== changes.timeZone) {
        const schedule = { dayOfMonth: reminder.dayOfMonth, timeOfDay: reminder.timeOfDay, timeZone: changes.timeZone };
        athlete.setReminder({ ...reminder, ...schedule, nextDueAt: reminder.enabled ? nextReminderAt(schedule, this.deps.clock()) : null });
      }
      // a fixed offset keeps no summer time: said, so that someone whose clocks change gives a city instead
      if (changes.timeZone)
        said.push(
          `time zone ${changes.timeZone}${isFixedOffsetZone(changes.timeZone) ? ` (${describeZone(changes.timeZone)} all year, no summer time — write your city instead if your clocks change)` : ''}`,
        );
      if (changes.units) said.push(`${changes.units} units`);
    }
    return said;
  }

  private async profile(thread: ChatThread, athlete: AthleteStore, args: string): Promise<void> {
    if (/^history/i.test(args)) {
      // only changes, each from its day (the athlete's); the first value also counts for older rides
      const zone = athlete.info().timeZone;
      const lines = ftpChanges(athlete.profileHistory()).map(
        (c) => `${zonedDate(c.from, zone)}: ${c.ftp} W${c.weightKg ? ` (${(c.ftp / c.weightKg).toFixed(2)} W/kg)` : ''}`,
      );
      await thread.post({
        title: 'FTP history',
        text:
          lines.length > 0
            ? `${lines.join('\n')}\n\nEach value counts from its day until the next; the first one also for your older rides.`
            : 'No FTP set yet. Write e.g. "ftp 265".',
      });
      return;
    }
    if (args.length > 0) {
      await this.text(thread, athlete, args.replace(/^set\s+/i, ''));
      return;
    }
    await thread.post({
      title: 'Your profile',
      text: `${profileText(athlete.info(), athlete.currentProfile())}\n\nChange a value by writing it, e.g. "ftp 270" or "weight 69 kg". /profile history shows your FTP over time.`,
    });
  }

  // ---- free text: onboarding answers and profile changes ----

  private async text(thread: ChatThread, athlete: AthleteStore, text: string): Promise<void> {
    const state = this.state(thread);
    const step = stepOf(state.step);
    if (step) return this.onboardingText(thread, athlete, text, state, step);
    const small = smallTalk(text);
    if (small) return this.smallTalk(thread, athlete, small);
    // Outside onboarding a question is a question, even when it holds something like "FTP of 250".
    if (this.deps.coach && looksLikeQuestion(text)) return this.question(thread, athlete, text, state);
    const parsed = parseProfileText(text, { units: athlete.info().units, today: this.today(athlete) });
    if (parsed.errors.length > 0) {
      await thread.post({ text: parsed.errors.join('\n') });
      return;
    }
    const said = hasChanges(parsed.changes) ? this.applyChanges(athlete, parsed.changes) : [];
    if (said.length > 0) {
      await thread.post({ text: `Updated: ${said.join(', ')}.` });
      return;
    }
    if (this.deps.coach) return this.question(thread, athlete, text, state);
    await thread.post({
      text: 'I didn\'t understand that. Send me rides (.fit, .zip or Strava\'s activities.csv), change your profile by writing e.g. "ftp 270", or see /help.',
    });
  }

  /** "help", "thanks", "hi", "analyze" — typed, without a slash. */
  private async smallTalk(thread: ChatThread, athlete: AthleteStore, kind: SmallTalk): Promise<void> {
    switch (kind) {
      case 'help':
        await thread.post(HELP);
        return;
      case 'analyze':
        return this.analyze(thread, athlete);
      case 'thanks':
        await thread.post({ text: "You're welcome — ride well! Send me new rides whenever you have them." });
        return;
      case 'greeting': {
        const fresh = athlete.currentProfile() === null && athlete.activityCount() === 0;
        await thread.post({
          text: fresh
            ? `Hi ${thread.displayName}! I'm domestique, your cycling coach. /start sets up your profile in a minute; then send me your rides (.fit files or your Strava export).`
            : `Hi ${thread.displayName}! Send me new rides, or ask me something — e.g. "how fit am I?", "how many km did I ride this year?" or "should I skip today's workout?". /help lists everything.`,
        });
        return;
      }
    }
  }

  /**
   * A message while an onboarding question is pending. An answer moves on; a correction of an
   * earlier answer ("oh wait, my ftp is 255"), a question ("why do you need my weight?") or
   * "help" is handled, and the pending question is asked again.
   */
  private async onboardingText(
    thread: ChatThread,
    athlete: AthleteStore,
    text: string,
    state: DialogueState,
    step: OnboardingStep,
  ): Promise<void> {
    const again = () => this.ask(athlete, state, step);
    const small = smallTalk(text);
    if (small === 'analyze') return this.analyze(thread, athlete);
    if (small) {
      const lead = small === 'help' ? ONBOARDING_HELP : small === 'thanks' ? "You're welcome!" : `Hi ${thread.displayName}!`;
      await thread.post({ text: `${lead}\n\n${again()}` });
      return;
    }
    if (state.review && isKeep(text))
      return this.answerStep(thread, athlete, state, step, { changes: { profile: {} }, errors: [], skipped: true });
    if (looksLikeQuestion(text) && !isUnsureAnswer(text)) {
      const answer = onboardingAnswer(text, step.field);
      if (answer) {
        await thread.post({ text: `${answer}\n\n${again()}` });
        return;
      }
      if (this.deps.coach) {
        await this.question(thread, athlete, text, state);
        await thread.post({ text: `Back to your profile: ${again()}` });
        return;
      }
    }
    const options = { units: athlete.info().units, today: this.today(athlete) };
    const unsure = text.replace(/\?+\s*$/, '');
    const expected = isCorrection(text) ? null : parseProfileText(unsure, { ...options, expecting: step.field });
    if (expected && expected.errors.length === 0 && (expected.skipped || answersStep(step.field, expected.changes)))
      return this.answerStep(thread, athlete, state, step, expected);
    // Not an answer to this question: maybe a change to an earlier one.
    const free = parseProfileText(withoutCorrection(text), options);
    if (hasChanges(free.changes) && free.errors.length === 0) {
      if (answersStep(step.field, free.changes)) return this.answerStep(thread, athlete, state, step, free);
      const said = this.applyChanges(athlete, free.changes);
      state.answered = [
        ...new Set([
          ...state.answered,
          ...(free.changes.timeZone ? ['timeZone' as const] : []),
          ...(free.changes.units ? ['units' as const] : []),
        ]),
      ];
      this.save(thread, athlete.athleteId, state);
      await thread.post({ text: `Updated: ${said.join(', ')}.\n\n${again()}` });
      return;
    }
    const errors = expected && expected.errors.length > 0 ? expected.errors : free.errors;
    await thread.post({ text: errors.length > 0 ? `${errors.join('\n')}\n\n${again()}` : `Sorry, I didn't get that.\n${again()}` });
  }

  /** The pending question is answered (or skipped): store it, say so, ask the next one — or finish. */
  private async answerStep(
    thread: ChatThread,
    athlete: AthleteStore,
    state: DialogueState,
    step: OnboardingStep,
    parsed: ParsedAnswer,
  ): Promise<void> {
    const reviewing = state.review === true;
    const said = hasChanges(parsed.changes) ? this.applyChanges(athlete, parsed.changes) : [];
    state.answered = [
      ...new Set([
        ...state.answered,
        step.field,
        ...(parsed.changes.timeZone ? ['timeZone' as const] : []),
        ...(parsed.changes.units ? ['units' as const] : []),
      ]),
    ];
    const next = this.nextStep(athlete, state);
    state.step = next?.field ?? null;
    if (!next) {
      state.onboarded = true;
      state.review = false;
    }
    this.save(thread, athlete.athleteId, state);
    const ack =
      said.length > 0
        ? `Got it: ${said.join(', ')}.`
        : reviewing
          ? 'Kept.'
          : step.field === 'ftp'
            ? 'No problem: I will estimate your FTP from your rides.'
            : 'Skipped.';
    await thread.post({
      text: next
        ? `${ack}\n\n${this.ask(athlete, state, next)}`
        : `${ack}\n\nYour profile is set:\n${profileText(athlete.info(), athlete.currentProfile())}\n\nNow send me your rides: .fit files, or your Strava export (the zip, or activities.csv).`,
    });
    if (!next && athlete.reminder() === null) {
      await thread.post({
        text: 'Shall I remind you once a month (the 1st at 09:00 your time) to send new rides, with a look back at the month? You can change this any time with /reminders.',
        buttons: [
          [
            { label: 'Yes, remind me monthly', action: 'reminders:on' },
            { label: 'No reminders', action: 'reminders:off' },
          ],
        ],
      });
    }
  }

  private async question(thread: ChatThread, athlete: AthleteStore, text: string, state: DialogueState): Promise<void> {
    const limit = this.deps.questionsPerDay ?? 20;
    const usage = this.usage(thread, athlete);
    if (usage.since('question', this.quotaStart()) >= limit) {
      await thread.post({
        text: `You have asked ${limit} questions today, the daily limit (it counts the last 24 hours). Ask again later — /analyze and /plan still work.`,
      });
      return;
    }
    // Counted when asked: a question whose answer fails counts too.
    usage.record('question', 1, this.deps.clock());
    const answer = await this.deps.coach!.answer(athlete, text, state.coachTurns, this.today(athlete));
    athlete.recordQuestion({
      provider: answer.provider,
      model: answer.model,
      intent: answer.intent,
      inputTokens: answer.usage.inputTokens,
      outputTokens: answer.usage.outputTokens,
      costUsd: answer.costUsd,
      grounded: answer.grounded,
    });
    this.deps.observer?.question(answer);
    if (answer.provider === 'offline' && answer.intent === null && !answer.fellBack && !this.operatorHinted) {
      // what a model would add is the operator's business, not the athlete's: said once, in the log
      this.operatorHinted = true;
      this.deps.logger?.info({ athleteKey: thread.athleteKey }, OPERATOR_HINT);
    }
    this.save(thread, athlete.athleteId, {
      ...state,
      coachTurns: [...state.coachTurns, { question: text.slice(0, 500), answer: answer.text.slice(0, 2000) }].slice(-MAX_TURNS),
    });
    await thread.post({
      text: answer.fellBack ? `${answer.text}\n\n(The model is not available right now; the offline coach answered.)` : answer.text,
    });
  }

  // ---- uploads ----

  /** Where the per-day quotas start counting (see QUOTA_WINDOW_MS). */
  private quotaStart(): Date {
    return new Date(this.deps.clock().getTime() - QUOTA_WINDOW_MS);
  }

  /**
   * The quota counters of this chat, summed with the other chats linked to the same history (one
   * athlete on Telegram and Discord has one quota, not two). Recorded under this chat.
   */
  private usage(thread: ChatThread, athlete: AthleteStore) {
    return this.deps.store.usage([thread.athleteKey, ...athlete.info().identities.filter((key) => key !== thread.athleteKey)]);
  }

  /**
   * Shows the platform's "busy" sign now and every few seconds until the returned function is
   * called. The first one is awaited (briefly), so that it goes out before CPU-bound work starts.
   */
  private async busy(thread: ChatThread, activity: ChatActivity): Promise<() => void> {
    if (!thread.showActivity) return () => undefined;
    const show = () =>
      thread.showActivity!(activity).catch((e: unknown) => {
        this.deps.logger?.debug(
          { err: e instanceof Error ? e : new Error(String(e)), athleteKey: thread.athleteKey },
          'chat action failed',
        );
      });
    await Promise.race([show(), new Promise((r) => setTimeout(r, 1000).unref())]);
    const timer = setInterval(() => void show(), BUSY_REPEAT_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async upload(
    thread: ChatThread,
    athlete: AthleteStore,
    attachments: { fileName: string; sizeBytes: number; download(): Promise<Uint8Array> }[],
  ): Promise<void> {
    // Only pictures, videos or sound: say what is read instead of failing file by file.
    const media = attachments.map((a) => mediaKind(a.fileName));
    if (attachments.length > 0 && media.every((m) => m !== null)) {
      await thread.post(unreadableText(new Set(media).size === 1 ? media[0]! : 'pictures and recordings'));
      return;
    }
    const large =
      attachments.some((a) => /\.zip$/i.test(a.fileName)) || attachments.reduce((s, a) => s + a.sizeBytes, 0) >= LARGE_UPLOAD_BYTES;
    const stopBusy = large ? await this.busy(thread, 'reading') : () => undefined;
    try {
      await this.readUpload(thread, athlete, attachments);
    } finally {
      stopBusy();
    }
  }

  private async readUpload(
    thread: ChatThread,
    athlete: AthleteStore,
    attachments: { fileName: string; sizeBytes: number; download(): Promise<Uint8Array> }[],
  ): Promise<void> {
    const limits = this.deps.limits ?? DEFAULT_LIMITS;
    const usage = this.usage(thread, athlete);
    const from = this.quotaStart();
    const used = { files: usage.since('file', from), bytes: usage.since('bytes', from) };
    // What will be downloaded: a file beyond the platform's download limit is refused unread, and its bytes never reach us.
    const incomingBytes = attachments.filter((a) => a.sizeBytes <= thread.maxDownloadBytes).reduce((s, a) => s + a.sizeBytes, 0);
    if (used.files + attachments.length > limits.uploadFilesPerDay) {
      await thread.post({
        text: `That would make ${used.files + attachments.length} files today; the limit is ${limits.uploadFilesPerDay} a day (it counts the last 24 hours). Send the rest later — or one Strava export zip, which counts as one file.`,
      });
      return;
    }
    if (used.bytes + incomingBytes > limits.uploadBytesPerDay) {
      await thread.post({
        text: `That would make ${formatBytes(used.bytes + incomingBytes)} today; the limit is ${formatBytes(limits.uploadBytesPerDay)} a day (it counts the last 24 hours). Send the rest later.`,
      });
      return;
    }
    if (athlete.activityCount() >= limits.maxActivities) {
      await thread.post({
        text: `You have ${athlete.activityCount().toLocaleString('en-US')} activities stored, the most I keep per athlete. Nothing new was stored; ask the bot's operator if you need more.`,
      });
      return;
    }
    // Accepted for reading: counted now, before anything is read, so that what turns out unreadable,
    // damaged or a duplicate counts as much as what is stored.
    const acceptedAt = this.deps.clock();
    usage.record('file', attachments.length, acceptedAt);
    usage.record('bytes', incomingBytes, acceptedAt);
    let received = 0;
    const errors: UploadError[] = [];
    const activities: Activity[] = [];
    const skipped: { source: string; reason: string }[] = [];
    const files: string[] = [];
    for (const attachment of attachments) {
      files.push(attachment.fileName);
      if (attachment.sizeBytes > thread.maxDownloadBytes) {
        errors.push({
          source: attachment.fileName,
          code: 'too-large',
          message: `${attachment.fileName} is ${formatBytes(attachment.sizeBytes)}; I can only download files up to ${formatBytes(thread.maxDownloadBytes)} here. Send the FIT files themselves, or split the export (e.g. one zip per year).`,
        });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await attachment.download();
        received += bytes.length;
      } catch (e) {
        this.deps.logger?.warn({ err: e instanceof Error ? e : new Error(String(e)), athleteKey: thread.athleteKey }, 'download failed');
        errors.push({
          source: attachment.fileName,
          code: 'download-failed',
          message: `${attachment.fileName} could not be downloaded. Please send it again.`,
        });
        continue;
      }
      // read in a worker thread, within its time and memory budget: the event loop stays free
      // an export over the athlete's room is refused in the worker, not copied here first
      const stored = athlete.activityCount() + activities.length;
      const activityLimit = { room: Math.max(0, limits.maxActivities - stored), stored, max: limits.maxActivities };
      const result = await (this.deps.ingestPool ?? ingestPool()).ingest(
        bytes,
        attachment.fileName,
        this.deps.ingestLimits ?? DEFAULT_INGEST_LIMITS,
        { activityLimit },
      );
      if (!result.ok) {
        errors.push({ source: result.error.source, code: result.error.code, message: result.error.message });
        continue;
      }
      appendAll(activities, result.value.activities);
      appendAll(
        errors,
        result.value.errors.map((e) => ({ source: e.source, code: e.code, message: e.message })),
      );
      appendAll(skipped, result.value.skipped);
    }
    const checked = screenUpload(activities, errors, this.deps.clock());
    const room = limits.maxActivities - athlete.activityCount();
    if (checked.kept.length > room) {
      await thread.post({
        text: `That upload holds ${checked.kept.length.toLocaleString('en-US')} activities; with the ${athlete.activityCount().toLocaleString('en-US')} stored that is more than the ${limits.maxActivities.toLocaleString('en-US')} I keep per athlete. Nothing was stored. Send a shorter export (for example the last two years).`,
      });
      return;
    }
    if (checked.kept.length === 0) {
      // Nothing readable: nothing is written, not even the upload record.
      await thread.post(
        errors.length > 0
          ? uploadText({ uploadId: '', new: 0, duplicates: 0, merged: 0, errors, activityIds: [] }, skipped, athlete.info().units)
          : { text: 'There were no activities in what you sent.' },
      );
      return;
    }
    const summary = athlete.recordUpload(files, { activities: checked.kept, errors, bytes: received });
    this.deps.observer?.upload({ new: summary.new, duplicates: summary.duplicates, merged: summary.merged, errors: summary.errors.length });
    const warnings = checked.kept.flatMap((a) =>
      a.warnings
        .filter((w) => w.code === 'implausible-duration' || w.code === 'truncated' || w.code === 'bad-crc')
        .map((w) => ({ source: a.source, code: w.code, message: w.message })),
    );
    await thread.post(uploadText({ ...summary, warnings, totals: uploadTotals(checked.kept) }, skipped, athlete.info().units));
  }

  // ---- analysis ----

  private async analyze(thread: ChatThread, athlete: AthleteStore, periodMonths?: number): Promise<void> {
    if (athlete.activityCount() === 0) {
      await thread.post({ text: 'There are no rides to analyse yet. Send me .fit files or your Strava export first.' });
      return;
    }
    const done = new Map<PhaseName, string>();
    let current: PhaseName | null = null;
    let detail: string | null = null;
    let status: MessageRef | null = null;
    let lastEdit = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const interval = this.deps.statusIntervalMs ?? 1000;
    let runId = '';
    let position: number | null = null;
    let editing: Promise<void> = Promise.resolve();
    const flush = () => {
      pending = null;
      lastEdit = Date.now();
      if (!status) return;
      const ref = status;
      editing = editing.then(() =>
        thread.edit(ref, statusText(runId, done, current, detail, position)).catch((e: unknown) => {
          this.deps.logger?.warn(
            { err: e instanceof Error ? e : new Error(String(e)), athleteKey: thread.athleteKey },
            'status edit failed',
          );
        }),
      );
    };
    // At most one edit per interval; the last state always gets out.
    const schedule = () => {
      if (pending) return;
      const wait = Math.max(0, interval - (Date.now() - lastEdit));
      pending = setTimeout(flush, wait);
    };
    const onEvent = (event: RunEvent) => {
      if (event.type === 'phase-started') {
        current = event.phase;
        detail = null;
      } else if (event.type === 'phase-progress') detail = event.message;
      else if (event.type === 'phase-done') {
        done.set(event.phase, event.status);
        current = null;
        detail = null;
      }
      schedule();
    };
    const perDay = (this.deps.limits ?? DEFAULT_LIMITS).analysesPerDay;
    // Unchanged rides, profile and plan inputs: the last analysis again, free of the daily limit.
    if (!this.deps.analysis.activeRun(athlete.athleteId)) {
      const same = this.deps.analysis.reusable(athlete.athleteId, periodMonths ? { periodMonths } : {});
      if (same && (await this.resend(thread, athlete, same))) return;
    }
    const usage = this.usage(thread, athlete);
    if (!this.deps.analysis.activeRun(athlete.athleteId) && usage.since('analysis', this.quotaStart()) >= perDay) {
      await thread.post({
        text: `You have run ${perDay} analyses today, the daily limit (it counts the last 24 hours). /report sends the latest again; a new analysis is possible once the first of them is 24 hours old.`,
      });
      return;
    }
    // activities stored since the previous finished analysis: the summary's "new rides"
    const previous = latestDoneRun(athlete);
    const newSince = previous
      ? athlete
          .uploads()
          .filter((u) => u.createdAt > previous.createdAt)
          .reduce((sum, u) => sum + u.new + u.merged, 0)
      : null;
    const outcome = this.deps.analysis.start(athlete.athleteId, { onEvent, ...(periodMonths ? { periodMonths } : {}) });
    if (!outcome.ok) {
      await thread.post({
        text: `An analysis is already running for you (run ${outcome.busyRunId.slice(0, 8)}). I will send the reports when it is done.`,
      });
      return;
    }
    // Counted when started: one that fails counts too (a resent unchanged one, above, does not).
    usage.record('analysis', 1, this.deps.clock());
    runId = outcome.run.runId;
    position = outcome.run.position;
    status = await thread.post(statusText(runId, done, current, detail, position));
    const finish = async () => {
      try {
        const result = await outcome.run.result;
        if (pending) clearTimeout(pending);
        flush();
        await editing;
        await thread.post(summaryText(result, this.today(athlete), newSince, athlete.info().units));
        await this.deliverReports(
          thread,
          new Map([...result.files.map((f) => [f.fileName, f.content] as const), [CHAT_CARD_FILE, renderChatCard(result.report)] as const]),
        );
      } catch (error) {
        if (pending) clearTimeout(pending);
        const code = error instanceof RunFailure ? error.code : 'internal';
        const message = error instanceof RunFailure ? error.message : 'Something went wrong on my side.';
        this.deps.logger?.error(
          { err: error instanceof Error ? error : new Error(String(error)), athleteKey: thread.athleteKey, runId },
          'analysis failed',
        );
        await thread
          .post({
            text: `The analysis failed (run ${runId}): ${message}${code === 'internal' ? ' Please try again later; quote the run id if you ask for help.' : ''}`,
            buttons: code === 'no-activities' ? [] : [[{ label: 'Try again', action: 'analyze' }]],
          })
          .catch(() => undefined);
      }
    };
    void finish();
  }

  /** The dashboard picture (when a browser is there) and the three HTML reports, from their contents by file name. */
  private async deliverReports(thread: ChatThread, contents: Map<string, string>): Promise<void> {
    const stopBusy = await this.busy(thread, 'sending-files');
    try {
      const files: OutgoingFile[] = [];
      // The chat picture: the run's card (1080 × 1350); a run stored before cards existed shows its dashboard instead.
      const card = contents.get(CHAT_CARD_FILE);
      const dashboard = contents.get('performance_dashboard.html');
      if (this.deps.snapshot && (card ?? dashboard) !== undefined) {
        const png = await (card !== undefined ? this.deps.snapshot.card(card) : this.deps.snapshot.png(dashboard!)).catch(() => null);
        if (png) files.push({ fileName: 'dashboard.png', contentType: 'image/png', content: png, kind: 'photo' });
      }
      for (const name of REPORT_FILES) {
        const content = contents.get(name);
        if (content !== undefined)
          files.push({ fileName: name, contentType: 'text/html', content: new TextEncoder().encode(content), kind: 'document' });
      }
      await thread.sendFiles(files);
    } finally {
      stopBusy();
    }
  }

  /** Sends a finished run again as the answer to /analyze (nothing changed since); false when it cannot be. */
  private async resend(thread: ChatThread, athlete: AthleteStore, run: RunRecord): Promise<boolean> {
    const json = runJsonOf(athlete, run.id);
    if (!json) return false;
    await thread.post(resentSummaryText(run, json, planOfRun(athlete, run.id), this.today(athlete), athlete.info().units));
    const decoder = new TextDecoder();
    await this.deliverReports(thread, new Map(athlete.reports(run.id).map((f) => [f.fileName, decoder.decode(f.content)])));
    return true;
  }

  // ---- reports, plan, status ----

  private async report(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const run = latestDoneRun(athlete);
    if (!run) {
      await thread.post({ text: 'No report yet. Send your rides, then /analyze.' });
      return;
    }
    const files = athlete.reports(run.id).filter((f) => (REPORT_FILES as readonly string[]).includes(f.fileName));
    await thread.sendFiles(
      files.map((f) => ({ fileName: f.fileName, contentType: f.contentType, content: f.content, kind: 'document' as const })),
      `Your reports from ${run.createdAt.toISOString().slice(0, 10)} (run ${run.id.slice(0, 8)}).${run.staleReason ? ` Out of date: ${run.staleReason} /analyze makes new ones.` : ''}`,
    );
  }

  private async plan(thread: ChatThread, athlete: AthleteStore, offset: number): Promise<void> {
    const run = latestDoneRun(athlete);
    const plan = run ? planOfRun(athlete, run.id) : null;
    if (!run || !plan) {
      await thread.post({ text: 'You have no plan yet. Send your rides and /analyze: the plan comes with the reports.' });
      return;
    }
    const reply = planText(plan, this.today(athlete), offset);
    await thread.post(
      run.staleReason ? { ...reply, text: `${reply.text}\n\nOut of date: ${run.staleReason} /analyze makes a new plan.` } : reply,
    );
    const week = plan.weeks.find((w) => reply.text.startsWith(`Week ${w.week} `));
    if (!week) return;
    const zwo: OutgoingFile[] = workoutFiles(week.days.flatMap((d) => d.workouts)).map((f) => ({
      fileName: f.fileName,
      contentType: 'application/xml',
      content: new TextEncoder().encode(f.xml),
      kind: 'document',
    }));
    // UIDs per athlete, date and slot; SEQUENCE from when the plan was made: re-importing updates the events.
    const madeAt = runJsonOf(athlete, run.id)?.generatedAt;
    const revisedAt = madeAt ? new Date(madeAt) : run.createdAt;
    const ics: OutgoingFile = {
      fileName: 'training-plan.ics',
      contentType: 'text/calendar',
      content: new TextEncoder().encode(
        planToIcs(plan, { dtstamp: this.deps.clock(), owner: athlete.athleteId, revisedAt, calendarName: 'domestique plan' }),
      ),
      kind: 'document',
    };
    await thread.sendFiles([...zwo, ics], 'Zwift workouts for the week, and the whole plan for your calendar.');
  }

  private async status(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const running = this.deps.analysis.activeRun(athlete.athleteId);
    const last = athlete.runs()[0];
    const lines = [
      `${athlete.activityCount()} ${athlete.activityCount() === 1 ? 'activity' : 'activities'} stored.`,
      running
        ? `An analysis is ${this.deps.analysis.position(running) ? 'queued' : 'running'} (run ${running.slice(0, 8)}).`
        : last
          ? `Last analysis: ${last.createdAt.toISOString().slice(0, 10)}, ${last.status}${last.degraded ? ' (offline coach stood in)' : ''}.`
          : 'No analysis yet.',
    ];
    await thread.post({ title: 'Status', text: lines.join('\n') });
  }

  // ---- reminders ----

  private async reminders(thread: ChatThread, athlete: AthleteStore, args: string): Promise<void> {
    const current = athlete.reminder();
    const info = athlete.info();
    const { changes, errors } = parseReminderArgs(args);
    if (errors.length > 0) {
      await thread.post({ text: `${errors.join('\n')}\nExample: /reminders on day 1 time 19:00 (or 7pm) zone Europe/Berlin` });
      return;
    }
    if (Object.keys(changes).length === 0) {
      const s = current;
      await thread.post({
        title: 'Monthly reminders',
        text: s?.enabled
          ? `On: day ${s.dayOfMonth} of each month at ${s.timeOfDay} (${s.timeZone}); next ${s.nextDueAt ? formatReminderTime(s.nextDueAt, info.timeZone) : '–'}.\nChange with e.g. /reminders day last time 18:00 (or 6pm), or /reminders off.`
          : `Off${s?.disabledReason ? ` (${s.disabledReason})` : ''}. Turn on with /reminders on (optionally: day 1–28 or last, time 19:00 or 7pm, zone Europe/Berlin).`,
      });
      return;
    }
    const schedule = {
      dayOfMonth: changes.dayOfMonth ?? current?.dayOfMonth ?? DEFAULT_SCHEDULE.dayOfMonth,
      timeOfDay: changes.timeOfDay ?? current?.timeOfDay ?? DEFAULT_SCHEDULE.timeOfDay,
      timeZone: changes.timeZone ?? current?.timeZone ?? info.timeZone,
    };
    const enabled = changes.enabled ?? current?.enabled ?? true;
    const nextDueAt = enabled ? nextReminderAt(schedule, this.deps.clock()) : null;
    athlete.setReminder({ ...schedule, enabled, nextDueAt, channelKey: thread.athleteKey, disabledReason: null });
    await thread.post({
      text: enabled
        ? `Reminders on: day ${schedule.dayOfMonth === 'last' ? 'last' : schedule.dayOfMonth} of each month at ${schedule.timeOfDay} (${schedule.timeZone}). The next one comes on ${nextDueAt ? formatReminderTime(nextDueAt, info.timeZone) : '–'}.`
        : 'Reminders off. /reminders on brings them back.',
    });
  }

  // ---- privacy ----

  private async export(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const data = athlete.export();
    // A long history with its 1 Hz streams is large: gzipped, and in parts that each fit this platform's attachment limit.
    const { files, compressed, split } = await exportFiles(data, { day: this.today(athlete), maxBytes: thread.maxAttachmentBytes });
    const how = split
      ? ` It comes in ${files.length} parts, each under the ${formatBytes(thread.maxAttachmentBytes ?? 0)} I can attach here: each is a complete JSON file (gzipped); your rides and reports are spread over them in order, and part 1 also holds your profile, uploads and analyses.`
      : compressed
        ? ' (Compressed: gunzip it, or open it with any unzip tool.)'
        : '';
    await thread.sendFiles(
      files,
      `Everything I hold about you: ${data.activities.length} activities with their recordings, ${data.profileHistory.length} profile versions, ${data.runs.length} analyses and their reports, ${data.questions.length} questions.${how}`,
    );
  }

  private async askForget(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const state = this.state(thread);
    this.save(thread, athlete.athleteId, { ...state, confirmForget: true });
    await thread.post({
      title: 'Delete everything?',
      text: `This deletes your profile, ${athlete.activityCount()} activities, every analysis and report. It cannot be undone. (/export first if you want a copy.)`,
      buttons: [
        [
          { label: 'Yes, delete everything', action: 'forget:confirm' },
          { label: 'No, keep it', action: 'forget:cancel' },
        ],
      ],
    });
  }

  private async action(thread: ChatThread, athlete: AthleteStore, action: string): Promise<void> {
    if (action === 'analyze') return this.analyze(thread, athlete);
    if (action === 'onboarding:done' || action === 'onboarding:review') return this.onboardingAction(thread, athlete, action);
    const upload = /^analyze:upload:(.+)$/.exec(action);
    if (upload) return this.analyzeUpload(thread, athlete, upload[1]!);
    const deletion = /^delete:(confirm|cancel):([0-9a-f-]{36})$/.exec(action);
    if (deletion) return this.confirmDelete(thread, athlete, deletion[2]!, deletion[1] === 'confirm');
    if (action === 'plan' || action === 'plan:next') return this.plan(thread, athlete, action === 'plan' ? 0 : 1);
    if (action === 'reminders:on' || action === 'reminders:off')
      return this.reminders(thread, athlete, action === 'reminders:on' ? 'on' : 'off');
    if (action === 'forget:cancel') {
      this.save(thread, athlete.athleteId, { ...this.state(thread), confirmForget: false });
      await thread.post({ text: 'Nothing was deleted.' });
      return;
    }
    if (action === 'forget:confirm') {
      if (!this.state(thread).confirmForget) {
        // Pressed twice, or an old message's button: it did its job once already.
        await thread.post({ text: 'That button is out of date: nothing was deleted. Send /forget if you want to delete everything.' });
        return;
      }
      if (this.deps.analysis.activeRun(athlete.athleteId)) {
        await thread.post({ text: 'An analysis is running for you: wait until it is done (a minute or so), then /forget again.' });
        return;
      }
      const count = athlete.activityCount();
      athlete.forget();
      await thread.post({
        text: `Done: your profile, ${count} activities and all analyses and reports are deleted. If you write again, you start from scratch.`,
      });
      return;
    }
    await thread.post({ text: 'That button has expired. See /help.' });
  }

  /**
   * "Analyze now" under an upload: does its job once. When an analysis made after that upload is
   * done, these rides are in it: the button is out of date (a new /analyze is one command away).
   */
  private async analyzeUpload(thread: ChatThread, athlete: AthleteStore, uploadId: string): Promise<void> {
    const upload = athlete.uploads().find((u) => u.id === uploadId);
    const after = upload
      ? athlete.runs().find((r) => r.status === 'done' && r.createdAt.getTime() >= upload.createdAt.getTime())
      : undefined;
    if (after && !this.deps.analysis.activeRun(athlete.athleteId)) {
      await thread.post({
        text: `That button is out of date: these rides are already in your analysis of ${after.createdAt.toISOString().slice(0, 10)} (run ${after.id.slice(0, 8)}). /report sends it again; /analyze makes a new one if something changed.`,
      });
      return;
    }
    return this.analyze(thread, athlete);
  }
}

/** "2025-03-01 Morning Ride" (or the sport when the ride has no name). */
function describeActivity(a: Activity): string {
  return `${a.startTime.toISOString().slice(0, 10)} ${a.name?.trim() || a.sport.replace(/_/g, ' ')}`;
}
