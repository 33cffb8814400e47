/**
 * The platform-neutral conversation: bots turn platform updates into `Incoming` events and call
 * `handle`; this router sends each command, button and message to its handler (one module per
 * area under ./handlers), and every word said lives in ./messages, once, for every platform.
 */
import type { Job } from '../jobs/types.js';
import { CoachLoop } from '../orchestrator/coaching/coach-loop.js';
import { runAnalysisJob, type AnalysisJobData } from './analysis-jobs.js';
import { activities, askDelete, confirmDelete } from './handlers/activities.js';
import { analyze, analyzeUpload } from './handlers/analysis.js';
import { checkin, checkinAnswer } from './handlers/checkin.js';
import { awaitedCredentials, connect, connections, disconnect, endCredentialsWait } from './handlers/connections.js';
import { events } from './handlers/events.js';
import { link } from './handlers/link.js';
import { onboardingAction, startInDirectMessage, startOnboarding } from './handlers/onboarding.js';
import { answerForget, askForget, exportData } from './handlers/privacy.js';
import { profile } from './handlers/profile.js';
import { reminders } from './handlers/reminders.js';
import { plan } from './handlers/plan.js';
import { report, status } from './handlers/reports.js';
import { text } from './handlers/text.js';
import { upload } from './handlers/uploads.js';
import { wellbeing } from './handlers/wellbeing.js';
import { BAD_PERIOD } from './messages/analysis.js';
import { BUTTON_EXPIRED, HELP, PRIVATE_ONLY, unknownCommandText, unreadableText } from './messages/general.js';
import type { ChatThread, DeleteMessage, Incoming } from './port.js';
import type { ConversationDeps, ConversationShared, Turn } from './turn.js';

export class Conversation {
  private readonly shared: ConversationShared = { operatorHinted: false };
  private readonly loop: CoachLoop;

  constructor(private readonly deps: ConversationDeps) {
    this.loop = deps.coachLoop ?? new CoachLoop({ clock: deps.clock });
  }

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
    const athlete = await this.deps.store.athleteForIdentity(thread.athleteKey, thread.displayName);
    const turn: Turn = { deps: this.deps, thread, athlete: this.deps.store.athlete(athlete.id), shared: this.shared, loop: this.loop };
    switch (incoming.kind) {
      case 'command':
        // a command ends a wait for the intervals.icu key (with a word)
        await endCredentialsWait(turn, incoming.name);
        return command(turn, incoming.name, incoming.args.trim(), incoming.deleteMessage);
      case 'files':
        return upload(turn, incoming.attachments);
      case 'unreadable':
        await thread.post(unreadableText(incoming.what));
        return;
      case 'action':
        return action(turn, incoming.action);
      case 'text':
        // the intervals.icu id and key, awaited or unmistakable, never reach the other readers of text (the coach's model)
        if (await awaitedCredentials(turn, incoming.text, incoming.deleteMessage)) return;
        return text(turn, incoming.text);
    }
  }

  /** Runs one `analysis` job (a worker: see analysis-jobs.ts); its chat is opened through `deps.directory`. */
  async runAnalysisJob(job: Job<AnalysisJobData>): Promise<void> {
    return runAnalysisJob({ deps: this.deps, shared: this.shared, loop: this.loop }, job);
  }
}

async function command(turn: Turn, name: string, args: string, deleteMessage?: DeleteMessage): Promise<void> {
  switch (name) {
    case 'start':
      // A server channel never shows the bot the answers: the dialogue moves to a direct message.
      return turn.thread.receivesText === false ? startInDirectMessage(turn) : startOnboarding(turn);
    case 'profile':
      return profile(turn, args);
    case 'analyze':
    case 'analyse':
      return analyzeCommand(turn, args);
    case 'report':
      return report(turn);
    case 'plan':
      return plan(turn, args);
    case 'event':
    case 'events':
      return events(turn, args);
    case 'status':
      return status(turn);
    case 'export':
      return exportData(turn);
    case 'forget':
      return askForget(turn);
    case 'reminders':
      return reminders(turn, args);
    case 'checkin':
      return checkin(turn, args);
    case 'link':
      return link(turn, args);
    case 'activities':
      return activities(turn, args);
    case 'delete':
      return askDelete(turn, args);
    case 'connect':
      return connect(turn, args, deleteMessage);
    case 'connections':
      return connections(turn);
    case 'disconnect':
      return disconnect(turn, args);
    default:
      await turn.thread.post(unknownCommandText(name));
  }
}

/** /analyze [months]: 1 to 24 months, 6 when not given. */
async function analyzeCommand(turn: Turn, args: string): Promise<void> {
  const months = /(\d{1,2})/.exec(args);
  if (months && (Number(months[1]) < 1 || Number(months[1]) > 24)) {
    await turn.thread.post(BAD_PERIOD);
    return;
  }
  return analyze(turn, months ? Number(months[1]) : undefined);
}

/** A button pressed: the `action` it carries. */
async function action(turn: Turn, action: string): Promise<void> {
  if (action === 'analyze') return analyze(turn);
  if (action === 'onboarding:done' || action === 'onboarding:review') return onboardingAction(turn, action);
  const upload = /^analyze:upload:(.+)$/.exec(action);
  if (upload) return analyzeUpload(turn, upload[1]!);
  const deletion = /^delete:(confirm|cancel):([0-9a-f-]{36})$/.exec(action);
  if (deletion) return confirmDelete(turn, deletion[2]!, deletion[1] === 'confirm');
  if (action === 'plan' || action === 'plan:next') return plan(turn, action === 'plan' ? '' : 'next');
  if (action === 'reminders:on' || action === 'reminders:off') return reminders(turn, action === 'reminders:on' ? 'on' : 'off');
  if (action === 'forget:cancel' || action === 'forget:confirm') return answerForget(turn, action === 'forget:confirm');
  const service = /^(connect|disconnect):(intervals|strava)$/.exec(action);
  if (service) return service[1] === 'connect' ? connect(turn, service[2]!) : disconnect(turn, service[2]!);
  const answer = /^checkin:(ok|unwell|less-time)$/.exec(action);
  if (answer) return checkinAnswer(turn, answer[1] as 'ok' | 'unwell' | 'less-time');
  const unwell = /^wellbeing:(ill|tired|travel)$/.exec(action);
  if (unwell) return wellbeing(turn, { reason: unwell[1] as 'ill' | 'tired' | 'travel' });
  await turn.thread.post(BUTTON_EXPIRED);
}
