/**
 * /export and /forget: everything held about the athlete as files (gzipped, in parts when large),
 * and the deletion of all of it — asked, then confirmed with a button that works once; connected
 * services are disconnected first.
 */
import { activeAnalysis } from '../analysis-jobs.js';
import { loadState, saveState } from '../dialogue-state.js';
import { exportFiles } from '../export-parts.js';
import { NOTHING_DELETED } from '../messages/activities.js';
import { SERVICE_NAMES } from '../../sync/types.js';
import { exportCaption, FORGET_WHILE_RUNNING, forgetQuestionText, forgottenText, STALE_FORGET_BUTTON } from '../messages/privacy.js';
import { asError, today, type Turn } from '../turn.js';

export async function exportData(turn: Turn): Promise<void> {
  const { thread, athlete } = turn;
  const data = await athlete.export();
  // A long history with its 1 Hz streams is large: gzipped, and in parts that each fit this platform's attachment limit.
  const { files, compressed, split } = await exportFiles(data, { day: await today(turn), maxBytes: thread.maxAttachmentBytes });
  await thread.sendFiles(files, exportCaption(data, { parts: files.length, compressed, split, maxBytes: thread.maxAttachmentBytes }));
}

export async function askForget(turn: Turn): Promise<void> {
  await saveState(turn, { ...(await loadState(turn)), confirmForget: true });
  const services = (await turn.athlete.sync.connections()).map((c) => SERVICE_NAMES[c.service]);
  await turn.thread.post(forgetQuestionText(await turn.athlete.activityCount(), services));
}

/** The buttons under /forget's question. */
export async function answerForget(turn: Turn, confirmed: boolean): Promise<void> {
  const { thread, athlete } = turn;
  if (!confirmed) {
    await saveState(turn, { ...(await loadState(turn)), confirmForget: false });
    await thread.post(NOTHING_DELETED);
    return;
  }
  if (!(await loadState(turn)).confirmForget) {
    // Pressed twice, or an old message's button: it did its job once already.
    await thread.post(STALE_FORGET_BUTTON);
    return;
  }
  if (await activeAnalysis(turn)) {
    await thread.post(FORGET_WHILE_RUNNING);
    return;
  }
  await disconnectAll(turn);
  const count = await athlete.activityCount();
  await athlete.forget();
  await thread.post(forgottenText(count));
}

/** Lets go of every connected service before the data goes (Strava is told: its tokens are revoked). Best effort. */
async function disconnectAll({ deps, thread, athlete }: Turn): Promise<void> {
  const sync = deps.sync;
  if (!sync) return;
  for (const { service } of await sync.connections(athlete)) {
    try {
      await sync.disconnect(athlete, service);
    } catch (e) {
      deps.logger?.warn({ err: asError(e), athleteKey: thread.athleteKey, service }, 'disconnecting before /forget failed');
    }
  }
}
