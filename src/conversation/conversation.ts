/**
 * The platform-neutral conversation: onboarding, profile, uploads, analysis, reports, plan,
 * export and forget. Bots turn platform updates into `Incoming` events and call `handle`; all
 * behaviour and every word lives here, once, for every platform.
 */
import { randomInt } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DateTime } from 'luxon';
import { planToIcs, workoutToZwo, zwoFileName } from '../domain/plan/index.js';
import type { ProfileFields } from '../domain/profile.js';
import { ingestFile, type IngestLimits } from '../ingest/ingest.js';
import { checkPlausible } from '../ingest/plausibility.js';
import { formatBytes } from '../ingest/ingest-error.js';
import type { Logger } from '../logger.js';
import type { PhaseName, RunEvent } from '../orchestrator/events.js';
import { RunFailure } from '../orchestrator/run-analysis.js';
import { REPORT_FILES } from '../report/report-model.js';
import type { AthleteStore, Store, UploadError } from '../store/store.js';
import type { AnalysisService } from './analysis-service.js';
import { HELP, planText, PRIVATE_ONLY, profileText, statusText, summaryText, uploadText } from './messages.js';
import type { ChatThread, Incoming, MessageRef, OutgoingFile } from './port.js';
import { hasChanges, parseProfileText, type ProfileChanges, type ProfileField } from './profile-text.js';
import { DEFAULT_SCHEDULE, nextReminderAt, parseReminderArgs } from './reminders.js';
import { MAX_TURNS, type CoachQuestions, type CoachTurn } from './coach-questions.js';
import { looksLikeQuestion } from './intents.js';
import { latestDoneRun, storedPlan } from './stored-plan.js';

export interface ConversationDeps {
  store: Store;
  analysis: AnalysisService;
  clock: () => Date;
  ingestLimits?: IngestLimits;
  /** Renders the dashboard to a PNG for chat; null when no browser is available. */
  snapshot?: { png(html: string): Promise<Uint8Array | null> } | null;
  logger?: Logger;
  /** Minimum time between two edits of the status message. */
  statusIntervalMs?: number;
  /** Answers free-text questions; without it, unknown text gets the help hint. */
  coach?: CoachQuestions;
  /** Questions per athlete per day (the athlete's day, in their time zone). */
  questionsPerDay?: number;
  /** Per-athlete quotas (defaults: generous). */
  limits?: { uploadFilesPerDay: number; uploadBytesPerDay: number; analysesPerDay: number; maxActivities: number };
  /** Told about uploads and questions, for metrics. */
  observer?: {
    upload(summary: { new: number; duplicates: number; merged: number; errors: number }): void;
    question(answer: { provider: string; usage: { inputTokens: number; outputTokens: number }; costUsd: number }): void;
  };
}

const EXPORT_GZIP_BYTES = 5 * 1024 * 1024;
/** How long a `/link` code works, and how many wrong codes a chat may enter an hour. */
const LINK_CODE_MINUTES = 10;
const LINK_TRIES_PER_HOUR = 5;

const DEFAULT_LIMITS = { uploadFilesPerDay: 200, uploadBytesPerDay: 1024 * 1024 * 1024, analysesPerDay: 5, maxActivities: 25_000 };

interface Step {
  field: ProfileField;
  question: string;
  /** Already answered when this is true. */
  answered: (profile: ProfileFields, athlete: { timeZone: string; units: string }, state: DialogueState) => boolean;
}

const STEPS: readonly Step[] = [
  { field: 'ftp', question: 'What is your FTP (functional threshold power) in watts? If you don\'t know it, say "I don\'t know" and I will estimate it from your rides.', answered: (p) => p.ftp !== null },
  { field: 'weightKg', question: 'What do you weigh? (e.g. "70 kg" or "154 lb")', answered: (p) => p.weightKg !== null },
  { field: 'heartRate', question: 'Your max heart rate or threshold heart rate? (e.g. "max hr 186" or "lthr 168"; "skip" if you don\'t know)', answered: (p) => p.maxHr !== null || p.lthr !== null },
  { field: 'trainingDays', question: 'Which days can you ride? (e.g. "Tue Thu Sat Sun")', answered: (p) => p.trainingDays !== null && p.trainingDays.length > 0 },
  { field: 'weeklyHours', question: 'How many hours a week can you train? (e.g. "8h")', answered: (p) => p.weeklyHours !== null },
  { field: 'goals', question: 'What is your goal? Add the event date if there is one (e.g. "Marmotte on 2027-07-04"), or say "skip".', answered: (p) => p.goals !== null },
  { field: 'timeZone', question: 'Your time zone? (e.g. Europe/Berlin or America/New_York)', answered: (_p, _a, s) => s.answered.includes('timeZone') },
  { field: 'units', question: 'Metric (km, kg) or imperial (miles, lb)?', answered: (_p, _a, s) => s.answered.includes('units') },
];

interface DialogueState {
  step: ProfileField | null;
  /** Steps answered or skipped in this onboarding (time zone and units have defaults). */
  answered: ProfileField[];
  confirmForget: boolean;
  /** The last questions to the coach and their answers (context for the next one). */
  coachTurns: CoachTurn[];
  /** A `/link` code this chat handed out, and until when it works (ms since epoch). */
  linkCode?: string | null;
  linkExpiresAt?: number | null;
  /** When this chat entered a wrong `/link` code (ms since epoch), for the hourly limit. */
  linkFailures?: number[];
}

const EMPTY_STATE: DialogueState = { step: null, answered: [], confirmForget: false, coachTurns: [] };

export class Conversation {
  constructor(private readonly deps: ConversationDeps) {}

  /** Handles one incoming event of one chat. Expected problems are answered, never thrown. */
  async handle(thread: ChatThread, incoming: Incoming): Promise<void> {
    if (incoming.kind === 'command' && incoming.name === 'help') {
      await thread.post(HELP);
      return;
    }
    if (!thread.isPrivate) {
      // In a group, ordinary chatter is not for the bot; commands, files and buttons get pointed to a private chat.
      if (incoming.kind !== 'text') await thread.post(PRIVATE_ONLY);
      return;
    }
    const athlete = this.deps.store.athleteForIdentity(thread.athleteKey, thread.displayName);
    const scoped = this.deps.store.athlete(athlete.id);
    switch (incoming.kind) {
      case 'command':
        return this.command(thread, scoped, incoming.name, incoming.args.trim());
      case 'files':
        return this.upload(thread, scoped, incoming.attachments);
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
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(this.deps.clock());
  }

  // ---- commands ----

  private async command(thread: ChatThread, athlete: AthleteStore, name: string, args: string): Promise<void> {
    switch (name) {
      case 'start':
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
      this.save(thread, athlete.athleteId, { ...this.state(thread), linkCode: code, linkExpiresAt: now.getTime() + LINK_CODE_MINUTES * 60_000 });
      await thread.post({ title: 'Link your other chat app', text: `To use this history on your other chat app (Telegram or Discord), send this there within ${LINK_CODE_MINUTES} minutes:\n\n/link ${code.slice(0, 3)}-${code.slice(3)}\n\nIt works once. Do not share it: it gives access to your rides.` });
      return;
    }
    // Codes are short: a chat gets a few tries an hour, so guessing one is hopeless.
    const state = this.state(thread);
    const recentFailures = (state.linkFailures ?? []).filter((t) => t > now.getTime() - 3_600_000);
    if (recentFailures.length >= LINK_TRIES_PER_HOUR) {
      await thread.post({ text: `Too many wrong codes: try again in an hour (${LINK_TRIES_PER_HOUR} tries an hour).` });
      return;
    }
    const found = digits.length === 6 ? this.deps.store.findLinkCode(digits, now) : null;
    if (!found) {
      this.save(thread, athlete.athleteId, { ...state, linkFailures: [...recentFailures, now.getTime()] });
      await thread.post({ text: 'That code is unknown or has expired. Send /link on your other chat app for a new one, and enter it here within 10 minutes.' });
      return;
    }
    if (found.athleteId === athlete.athleteId) {
      await thread.post({ text: 'This chat already shares that history: nothing to link.' });
      return;
    }
    const held = athlete.activityCount();
    if (held > 0 || athlete.runs().length > 0) {
      await thread.post({ text: `This chat already holds its own history (${held} activities). To use the other one here, /export what you want to keep and /forget it here first — or link the other way round: /link here, and the code on the other app.` });
      return;
    }
    // The code works once: the chat that handed it out forgets it.
    const issuer = this.deps.store.getChatState(found.identityKey) ?? {};
    this.deps.store.setChatState(found.identityKey, { ...issuer, linkCode: null, linkExpiresAt: null }, found.athleteId);
    this.deps.store.moveIdentity(thread.athleteKey, found.athleteId);
    this.save(thread, found.athleteId, { ...EMPTY_STATE });
    const linked = this.deps.store.athlete(found.athleteId);
    const ftp = linked.currentProfile()?.ftp;
    await thread.post({ text: `Linked: this chat now shares the history of ${linked.info().displayName} — ${linked.activityCount()} activities${ftp ? `, FTP ${ftp} W` : ''}. Everything you send here or there goes to the same place.` });
  }

  private async startOnboarding(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const state: DialogueState = { ...EMPTY_STATE, step: null, answered: [] };
    const next = this.nextStep(athlete, state);
    state.step = next?.field ?? null;
    this.save(thread, athlete.athleteId, state);
    await thread.post({
      title: `Hello ${thread.displayName}! I'm domestique, your cycling coach.`,
      text: [
        'Send me your rides — .fit files from your bike computer, or your Strava export zip — and I will analyse them, plan your next weeks and send you reports.',
        'First, a few questions for your profile (you can change any of it later by just writing it, e.g. "ftp 270").',
        '',
        next ? next.question : 'Your profile is complete. Send me your rides!',
      ].join('\n'),
    });
  }

  private nextStep(athlete: AthleteStore, state: DialogueState): Step | null {
    const profile = athlete.currentProfile() ?? { ftp: null, weightKg: null, maxHr: null, lthr: null, restingHr: null, age: null, sex: null, goals: null, eventDate: null, trainingDays: null, weeklyHours: null, planWeeks: null };
    const info = athlete.info();
    return STEPS.find((s) => !state.answered.includes(s.field) && !s.answered(profile, info, state)) ?? null;
  }

  private applyChanges(athlete: AthleteStore, changes: ProfileChanges): string[] {
    const said: string[] = [];
    const before = athlete.currentProfile();
    if (Object.keys(changes.profile).length > 0) {
      athlete.updateProfile(changes.profile, this.deps.clock());
      const p = changes.profile;
      if (p.ftp !== undefined) said.push(`FTP ${p.ftp} W${before?.ftp && before.ftp !== p.ftp ? ` (was ${before.ftp} W)` : ''}`);
      if (p.weightKg !== undefined) said.push(`weight ${p.weightKg} kg`);
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
      if (changes.timeZone) said.push(`time zone ${changes.timeZone}`);
      if (changes.units) said.push(`${changes.units} units`);
    }
    return said;
  }

  private async profile(thread: ChatThread, athlete: AthleteStore, args: string): Promise<void> {
    if (/^history/i.test(args)) {
      const history = athlete.profileHistory().filter((p, i, all) => i === 0 || p.ftp !== all[i - 1]!.ftp);
      const lines = history.filter((p) => p.ftp !== null).map((p) => `${p.validFrom.toISOString().slice(0, 10)}: ${p.ftp} W${p.weightKg ? ` (${(p.ftp! / p.weightKg).toFixed(2)} W/kg)` : ''}`);
      await thread.post({ title: 'FTP history', text: lines.length > 0 ? lines.join('\n') : 'No FTP set yet. Write e.g. "ftp 265".' });
      return;
    }
    if (args.length > 0) {
      await this.text(thread, athlete, args.replace(/^set\s+/i, ''));
      return;
    }
    await thread.post({ title: 'Your profile', text: `${profileText(athlete.info(), athlete.currentProfile())}\n\nChange a value by writing it, e.g. "ftp 270" or "weight 69 kg". /profile history shows your FTP over time.` });
  }

  // ---- free text: onboarding answers and profile changes ----

  private async text(thread: ChatThread, athlete: AthleteStore, text: string): Promise<void> {
    const state = this.state(thread);
    const step = state.step;
    // Outside onboarding a question is a question, even when it holds something like "FTP of 250".
    if (!step && this.deps.coach && looksLikeQuestion(text)) return this.question(thread, athlete, text, state);
    const parsed = parseProfileText(text, { ...(step ? { expecting: step } : {}), units: athlete.info().units, today: this.today(athlete) });
    if (parsed.errors.length > 0) {
      await thread.post({ text: `${parsed.errors.join('\n')}${step ? `\n\n${STEPS.find((s) => s.field === step)!.question}` : ''}` });
      return;
    }
    const said = hasChanges(parsed.changes) ? this.applyChanges(athlete, parsed.changes) : [];
    if (step) {
      if (!parsed.skipped && said.length === 0) {
        await thread.post({ text: `Sorry, I didn't get that.\n${STEPS.find((s) => s.field === step)!.question}` });
        return;
      }
      state.answered = [...new Set([...state.answered, step, ...(parsed.changes.timeZone ? ['timeZone' as const] : []), ...(parsed.changes.units ? ['units' as const] : [])])];
      const next = this.nextStep(athlete, state);
      state.step = next?.field ?? null;
      this.save(thread, athlete.athleteId, state);
      const ack = said.length > 0 ? `Got it: ${said.join(', ')}.` : step === 'ftp' ? 'No problem: I will estimate your FTP from your rides.' : 'Skipped.';
      await thread.post({
        text: next
          ? `${ack}\n\n${next.question}`
          : `${ack}\n\nYour profile is set:\n${profileText(athlete.info(), athlete.currentProfile())}\n\nNow send me your rides: .fit files, or your Strava export (the zip, or activities.csv).`,
      });
      if (!next && athlete.reminder() === null) {
        await thread.post({
          text: 'Shall I remind you once a month (the 1st at 09:00 your time) to send new rides, with a look back at the month? You can change this any time with /reminders.',
          buttons: [[{ label: 'Yes, remind me monthly', action: 'reminders:on' }, { label: 'No reminders', action: 'reminders:off' }]],
        });
      }
      return;
    }
    if (said.length > 0) {
      await thread.post({ text: `Updated: ${said.join(', ')}.` });
      return;
    }
    if (this.deps.coach) return this.question(thread, athlete, text, state);
    await thread.post({ text: "I didn't understand that. Send me rides (.fit, .zip or Strava's activities.csv), change your profile by writing e.g. \"ftp 270\", or see /help." });
  }

  private async question(thread: ChatThread, athlete: AthleteStore, text: string, state: DialogueState): Promise<void> {
    const limit = this.deps.questionsPerDay ?? 20;
    if (athlete.questionsSince(this.dayStart(athlete)) >= limit) {
      await thread.post({ text: `You have asked ${limit} questions today, the daily limit. Ask again tomorrow — /analyze and /plan still work.` });
      return;
    }
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
    this.save(thread, athlete.athleteId, { ...state, coachTurns: [...state.coachTurns, { question: text.slice(0, 500), answer: answer.text.slice(0, 2000) }].slice(-MAX_TURNS) });
    await thread.post({ text: answer.fellBack ? `${answer.text}\n\n(The model is not available right now; the offline coach answered.)` : answer.text });
  }

  // ---- uploads ----

  /** Midnight of today in the athlete's time zone: daily limits reset then. */
  private dayStart(athlete: AthleteStore): Date {
    const local = DateTime.fromJSDate(this.deps.clock()).setZone(athlete.info().timeZone ?? 'UTC');
    return (local.isValid ? local : DateTime.fromJSDate(this.deps.clock()).toUTC()).startOf('day').toJSDate();
  }

  private async upload(thread: ChatThread, athlete: AthleteStore, attachments: { fileName: string; sizeBytes: number; download(): Promise<Uint8Array> }[]): Promise<void> {
    const limits = this.deps.limits ?? DEFAULT_LIMITS;
    const used = athlete.usageSince(this.dayStart(athlete));
    const incomingBytes = attachments.reduce((s, a) => s + a.sizeBytes, 0);
    if (used.files + attachments.length > limits.uploadFilesPerDay) {
      await thread.post({ text: `That would make ${used.files + attachments.length} files today; the limit is ${limits.uploadFilesPerDay} a day. Send the rest tomorrow — or one Strava export zip, which counts as one file.` });
      return;
    }
    if (used.bytes + incomingBytes > limits.uploadBytesPerDay) {
      await thread.post({ text: `That would make ${formatBytes(used.bytes + incomingBytes)} today; the limit is ${formatBytes(limits.uploadBytesPerDay)} a day. Send the rest tomorrow.` });
      return;
    }
    if (athlete.activityCount() >= limits.maxActivities) {
      await thread.post({ text: `You have ${athlete.activityCount().toLocaleString('en-US')} activities stored, the most I keep per athlete. Nothing new was stored; ask the bot's operator if you need more.` });
      return;
    }
    let received = 0;
    const errors: UploadError[] = [];
    const activities = [];
    const skipped: { source: string; reason: string }[] = [];
    const files: string[] = [];
    for (const attachment of attachments) {
      files.push(attachment.fileName);
      if (attachment.sizeBytes > thread.maxDownloadBytes) {
        errors.push({ source: attachment.fileName, code: 'too-large', message: `${attachment.fileName} is ${formatBytes(attachment.sizeBytes)}; I can only download files up to ${formatBytes(thread.maxDownloadBytes)} here. Send the FIT files themselves, or split the export (e.g. one zip per year).` });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await attachment.download();
        received += bytes.length;
      } catch (e) {
        this.deps.logger?.warn({ err: e instanceof Error ? e.message : String(e), athleteKey: thread.athleteKey }, 'download failed');
        errors.push({ source: attachment.fileName, code: 'download-failed', message: `${attachment.fileName} could not be downloaded. Please send it again.` });
        continue;
      }
      const result = await ingestFile(bytes, attachment.fileName, this.deps.ingestLimits);
      if (!result.ok) {
        errors.push({ source: result.error.source, code: result.error.code, message: result.error.message });
        continue;
      }
      activities.push(...result.value.activities);
      errors.push(...result.value.errors.map((e) => ({ source: e.source, code: e.code, message: e.message })));
      skipped.push(...result.value.skipped);
    }
    const checked = checkPlausible(activities, this.deps.clock());
    errors.push(...checked.errors);
    const room = limits.maxActivities - athlete.activityCount();
    if (checked.kept.length > room) {
      await thread.post({ text: `That upload holds ${checked.kept.length.toLocaleString('en-US')} activities; with the ${athlete.activityCount().toLocaleString('en-US')} stored that is more than the ${limits.maxActivities.toLocaleString('en-US')} I keep per athlete. Nothing was stored. Send a shorter export (for example the last two years).` });
      return;
    }
    if (checked.kept.length === 0) {
      // Nothing readable: nothing is written, not even the upload record.
      await thread.post(errors.length > 0 ? uploadText({ uploadId: '', new: 0, duplicates: 0, merged: 0, errors, activityIds: [] }, skipped) : { text: 'There were no activities in what you sent.' });
      return;
    }
    const summary = athlete.recordUpload(files, { activities: checked.kept, errors, bytes: received });
    this.deps.observer?.upload({ new: summary.new, duplicates: summary.duplicates, merged: summary.merged, errors: summary.errors.length });
    const warnings = checked.kept.flatMap((a) => a.warnings.filter((w) => w.code === 'implausible-duration' || w.code === 'truncated' || w.code === 'bad-crc').map((w) => `${a.source.split('/').pop()}: ${w.message}`));
    await thread.post(uploadText({ ...summary, warnings }, skipped));
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
      editing = editing.then(() => thread.edit(ref, statusText(runId, done, current, detail, position)).catch((e: unknown) => {
        this.deps.logger?.warn({ err: e instanceof Error ? e.message : String(e), athleteKey: thread.athleteKey }, 'status edit failed');
      }));
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
    if (!this.deps.analysis.activeRun(athlete.athleteId) && athlete.usageSince(this.dayStart(athlete)).analyses >= perDay) {
      await thread.post({ text: `You have run ${perDay} analyses today, the daily limit. /report sends the latest again; a new analysis is possible tomorrow.` });
      return;
    }
    // activities stored since the previous finished analysis: the summary's "new rides"
    const previous = latestDoneRun(athlete);
    const newSince = previous ? athlete.uploads().filter((u) => u.createdAt > previous.createdAt).reduce((sum, u) => sum + u.new + u.merged, 0) : null;
    const outcome = this.deps.analysis.start(athlete.athleteId, { onEvent, ...(periodMonths ? { periodMonths } : {}) });
    if (!outcome.ok) {
      await thread.post({ text: `An analysis is already running for you (run ${outcome.busyRunId.slice(0, 8)}). I will send the reports when it is done.` });
      return;
    }
    runId = outcome.run.runId;
    position = outcome.run.position;
    status = await thread.post(statusText(runId, done, current, detail, position));
    const finish = async () => {
      try {
        const result = await outcome.run.result;
        if (pending) clearTimeout(pending);
        flush();
        await editing;
        await thread.post(summaryText(result, this.today(athlete), newSince));
        const files: OutgoingFile[] = [];
        const dashboard = result.files.find((f) => f.fileName === 'performance_dashboard.html');
        if (dashboard && this.deps.snapshot) {
          const png = await this.deps.snapshot.png(dashboard.content).catch(() => null);
          if (png) files.push({ fileName: 'dashboard.png', contentType: 'image/png', content: png, kind: 'photo' });
        }
        for (const name of REPORT_FILES) {
          const f = result.files.find((x) => x.fileName === name);
          if (f) files.push({ fileName: f.fileName, contentType: 'text/html', content: new TextEncoder().encode(f.content), kind: 'document' });
        }
        await thread.sendFiles(files);
      } catch (error) {
        if (pending) clearTimeout(pending);
        const code = error instanceof RunFailure ? error.code : 'internal';
        const message = error instanceof RunFailure ? error.message : 'Something went wrong on my side.';
        this.deps.logger?.error({ err: error instanceof Error ? error.message : String(error), athleteKey: thread.athleteKey, runId }, 'analysis failed');
        await thread
          .post({ text: `The analysis failed (run ${runId}): ${message}${code === 'internal' ? ' Please try again later; quote the run id if you ask for help.' : ''}`, buttons: code === 'no-activities' ? [] : [[{ label: 'Try again', action: 'analyze' }]] })
          .catch(() => undefined);
      }
    };
    void finish();
  }

  // ---- reports, plan, status ----

  private async report(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const run = latestDoneRun(athlete);
    if (!run) {
      await thread.post({ text: 'No report yet. Send your rides, then /analyze.' });
      return;
    }
    const files = athlete.reports(run.id).filter((f) => (REPORT_FILES as readonly string[]).includes(f.fileName));
    await thread.sendFiles(files.map((f) => ({ fileName: f.fileName, contentType: f.contentType, content: f.content, kind: 'document' as const })), `Your reports from ${run.createdAt.toISOString().slice(0, 10)} (run ${run.id.slice(0, 8)}).`);
  }

  private async plan(thread: ChatThread, athlete: AthleteStore, offset: number): Promise<void> {
    const plan = storedPlan(athlete);
    if (!plan) {
      await thread.post({ text: 'You have no plan yet. Send your rides and /analyze: the plan comes with the reports.' });
      return;
    }
    const reply = planText(plan, this.today(athlete), offset);
    await thread.post(reply);
    const week = plan.weeks.find((w) => reply.text.startsWith(`Week ${w.week} `));
    if (!week) return;
    const zwo = new Map<string, OutgoingFile>();
    for (const w of week.days.flatMap((d) => d.workouts)) {
      if (w.id && w.steps && !zwo.has(w.id)) zwo.set(w.id, { fileName: zwoFileName(w.id), contentType: 'application/xml', content: new TextEncoder().encode(workoutToZwo({ name: w.name, description: w.description, steps: w.steps })), kind: 'document' });
    }
    const ics: OutgoingFile = { fileName: 'training-plan.ics', contentType: 'text/calendar', content: new TextEncoder().encode(planToIcs(plan, { dtstamp: this.deps.clock(), calendarName: 'domestique plan' })), kind: 'document' };
    await thread.sendFiles([...zwo.values(), ics], 'Zwift workouts for the week, and the whole plan for your calendar.');
  }

  private async status(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const running = this.deps.analysis.activeRun(athlete.athleteId);
    const last = athlete.runs()[0];
    const lines = [
      `${athlete.activityCount()} ${athlete.activityCount() === 1 ? 'activity' : 'activities'} stored.`,
      running ? `An analysis is ${this.deps.analysis.position(running) ? 'queued' : 'running'} (run ${running.slice(0, 8)}).` : last ? `Last analysis: ${last.createdAt.toISOString().slice(0, 10)}, ${last.status}${last.degraded ? ' (offline coach stood in)' : ''}.` : 'No analysis yet.',
    ];
    await thread.post({ title: 'Status', text: lines.join('\n') });
  }

  // ---- reminders ----

  private async reminders(thread: ChatThread, athlete: AthleteStore, args: string): Promise<void> {
    const current = athlete.reminder();
    const info = athlete.info();
    const { changes, errors } = parseReminderArgs(args);
    if (errors.length > 0) {
      await thread.post({ text: `${errors.join('\n')}\nExample: /reminders on day 1 time 09:00 zone Europe/Berlin` });
      return;
    }
    if (Object.keys(changes).length === 0) {
      const s = current;
      await thread.post({
        title: 'Monthly reminders',
        text: s?.enabled
          ? `On: day ${s.dayOfMonth} of each month at ${s.timeOfDay} (${s.timeZone}); next ${s.nextDueAt ? s.nextDueAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '–'}.\nChange with e.g. /reminders day last time 18:00, or /reminders off.`
          : `Off${s?.disabledReason ? ` (${s.disabledReason})` : ''}. Turn on with /reminders on (optionally: day 1–28 or last, time 09:00, zone Europe/Berlin).`,
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
        ? `Reminders on: day ${schedule.dayOfMonth === 'last' ? 'last' : schedule.dayOfMonth} of each month at ${schedule.timeOfDay} (${schedule.timeZone}). The next one comes on ${nextDueAt ? new Intl.DateTimeFormat('en-GB', { timeZone: schedule.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(nextDueAt) : '–'}.`
        : 'Reminders off. /reminders on brings them back.',
    });
  }

  // ---- privacy ----

  private async export(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const data = athlete.export();
    const json = new TextEncoder().encode(JSON.stringify({ ...data, reportFiles: data.reportFiles.map((f) => ({ runId: f.runId, fileName: f.fileName, contentType: f.contentType, base64: Buffer.from(f.content).toString('base64') })) }));
    // A long history with its 1 Hz streams is large: compress it so that it fits a chat attachment.
    const big = json.length > EXPORT_GZIP_BYTES;
    const name = `domestique-export-${this.today(athlete)}.json${big ? '.gz' : ''}`;
    const file: OutgoingFile = big ? { fileName: name, contentType: 'application/gzip', content: gzipSync(json), kind: 'document' } : { fileName: name, contentType: 'application/json', content: json, kind: 'document' };
    await thread.sendFiles([file], `Everything I hold about you: ${data.activities.length} activities with their recordings, ${data.profileHistory.length} profile versions, ${data.runs.length} analyses and their reports, ${data.questions.length} questions.${big ? ' (Compressed: gunzip it, or open it with any unzip tool.)' : ''}`);
  }

  private async askForget(thread: ChatThread, athlete: AthleteStore): Promise<void> {
    const state = this.state(thread);
    this.save(thread, athlete.athleteId, { ...state, confirmForget: true });
    await thread.post({
      title: 'Delete everything?',
      text: `This deletes your profile, ${athlete.activityCount()} activities, every analysis and report. It cannot be undone. (/export first if you want a copy.)`,
      buttons: [[{ label: 'Yes, delete everything', action: 'forget:confirm' }, { label: 'No, keep it', action: 'forget:cancel' }]],
    });
  }

  private async action(thread: ChatThread, athlete: AthleteStore, action: string): Promise<void> {
    if (action === 'analyze') return this.analyze(thread, athlete);
    if (action === 'plan' || action === 'plan:next') return this.plan(thread, athlete, action === 'plan' ? 0 : 1);
    if (action === 'reminders:on' || action === 'reminders:off') return this.reminders(thread, athlete, action === 'reminders:on' ? 'on' : 'off');
    if (action === 'forget:cancel') {
      this.save(thread, athlete.athleteId, { ...this.state(thread), confirmForget: false });
      await thread.post({ text: 'Nothing was deleted.' });
      return;
    }
    if (action === 'forget:confirm') {
      if (!this.state(thread).confirmForget) {
        await thread.post({ text: 'Send /forget first.' });
        return;
      }
      if (this.deps.analysis.activeRun(athlete.athleteId)) {
        await thread.post({ text: 'An analysis is running for you: wait until it is done (a minute or so), then /forget again.' });
        return;
      }
      const count = athlete.activityCount();
      athlete.forget();
      await thread.post({ text: `Done: your profile, ${count} activities and all analyses and reports are deleted. If you write again, you start from scratch.` });
      return;
    }
    await thread.post({ text: 'That button has expired. See /help.' });
  }
}
