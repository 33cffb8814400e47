/**
 * /activities and /delete: the latest rides with their ids, and the deletion of one — asked, then
 * confirmed with a button that works once, for the latest /delete only.
 */
import { activeAnalysis } from '../analysis-jobs.js';
import { loadState, saveState } from '../dialogue-state.js';
import {
  activitiesText,
  activityLine,
  ALREADY_DELETED,
  confirmDeleteText,
  DELETE_WHILE_RUNNING,
  deletedStaleReason,
  deletedText,
  describeActivity,
  noSuchActivityText,
  NOTHING_DELETED,
  staleDeleteButtonText,
  WHICH_ACTIVITY,
  type PlanAfterDelete,
} from '../messages/activities.js';
import { latestDoneRun, planOfRun } from '../stored-plan.js';
import type { Turn } from '../turn.js';

/** /activities: rows shown by default and at most. */
const ACTIVITIES_DEFAULT = 10;
const ACTIVITIES_MAX = 30;

export async function activities({ thread, athlete }: Turn, args: string): Promise<void> {
  const asked = /\d+/.exec(args)?.[0];
  const count = Math.min(ACTIVITIES_MAX, Math.max(1, asked ? Number(asked) : ACTIVITIES_DEFAULT));
  const history = await athlete.profileHistory();
  const ftpOn = (date: Date) => history.filter((p) => p.validFrom <= date).at(-1)?.ftp ?? history[0]?.ftp ?? null;
  const recent = await athlete.recentActivities(count);
  const total = await athlete.activityCount();
  await thread.post(activitiesText(recent, total, ftpOn, (await athlete.info()).units));
}

/** /delete <id>: shows the activity and asks to confirm. */
export async function askDelete(turn: Turn, args: string): Promise<void> {
  const { thread, athlete } = turn;
  const wanted = (args.split(/\s+/)[0] ?? '').toLowerCase();
  if (wanted === '') {
    await thread.post(WHICH_ACTIVITY);
    return;
  }
  const ids = /^[0-9a-f-]{4,36}$/.test(wanted) ? await athlete.activityIdsStartingWith(wanted) : [];
  if (ids.length !== 1) {
    await thread.post(noSuchActivityText(wanted, ids.length));
    return;
  }
  const id = ids[0]!;
  const stored = (await athlete.activity(id, { streams: false }))!;
  await saveState(turn, { ...(await loadState(turn)), confirmDelete: id });
  // the line's FTP: the profile valid on the ride's day, read before the line is written
  const ftp = (await athlete.profileAt(stored.activity.startTime))?.ftp ?? null;
  await thread.post(
    confirmDeleteText(
      activityLine(stored, () => ftp, (await athlete.info()).units),
      id,
    ),
  );
}

/** A press on a /delete confirmation: works once, and only for the latest /delete. */
export async function confirmDelete(turn: Turn, id: string, confirmed: boolean): Promise<void> {
  const { thread, athlete } = turn;
  const state = await loadState(turn);
  const stored = await athlete.activity(id, { streams: false });
  if (!stored) {
    await thread.post(ALREADY_DELETED);
    return;
  }
  if (state.confirmDelete !== id) {
    await thread.post(staleDeleteButtonText(id));
    return;
  }
  if (!confirmed) {
    await saveState(turn, { ...state, confirmDelete: null });
    await thread.post(NOTHING_DELETED);
    return;
  }
  if (await activeAnalysis(turn)) {
    await thread.post(DELETE_WHILE_RUNNING);
    return;
  }
  const label = describeActivity(stored.activity);
  const latest = await latestDoneRun(athlete);
  const result = await athlete.deleteActivity(id, deletedStaleReason(label));
  await saveState(turn, { ...state, confirmDelete: null });
  const planStale = latest !== null && (result?.staleRunIds ?? []).includes(latest.id) && (await planOfRun(athlete, latest.id)) !== null;
  const plan: PlanAfterDelete = planStale ? 'stale' : latest ? 'unchanged' : 'none';
  await thread.post(deletedText(label, await athlete.activityCount(), plan));
}
