/**
 * Files sent to the chat: checked against the quotas, downloaded, read in worker threads, screened
 * for plausibility and stored — then what was stored, skipped and unreadable is said, and each new
 * ride of the last days gets its post-ride message (older ones: one summary against the plan).
 */
import type { Activity } from '../../domain/activity.js';
import { appendAll } from '../../domain/arrays.js';
import { DEFAULT_INGEST_LIMITS } from '../../ingest/ingest.js';
import { ingestPool } from '../../ingest/ingest-pool.js';
import { screenUpload } from '../../ingest/plausibility.js';
import type { RideOutcome } from '../../orchestrator/coaching/coach-loop.js';
import { fitnessOn } from '../../orchestrator/coaching/fitness-now.js';
import type { StoredActivity, UploadError, UploadSummary } from '../../store/store.js';
import { showBusy } from '../busy.js';
import { complianceReplies } from '../messages/coaching.js';
import { unreadableText } from '../messages/general.js';
import {
  byteQuotaText,
  downloadFailedMessage,
  fileQuotaText,
  NO_ACTIVITIES_SENT,
  overRoomText,
  storeFullText,
  tooLargeMessage,
  uploadText,
  uploadTotals,
} from '../messages/uploads.js';
import { postRideReply } from '../messages/post-ride.js';
import type { IncomingAttachment, Reply } from '../port.js';
import { asError, limitsOf, quotaStart, usage, type Turn } from '../turn.js';

/** Uploads this large (or any .zip) show "typing…" while they are read. */
const LARGE_UPLOAD_BYTES = 1024 * 1024;

/** Attachments that are pictures, videos or sound by their name: there is no ride in them. */
const MEDIA: readonly [RegExp, string][] = [
  [/\.(jpe?g|png|gif|webp|heic|heif|bmp|tiff?)$/i, 'a photo'],
  [/\.(mp4|mov|m4v|webm|avi|mkv|3gp)$/i, 'a video'],
  [/\.(ogg|oga|opus|mp3|m4a|wav|aac|flac|amr)$/i, 'an audio recording'],
];
const mediaKind = (fileName: string) => MEDIA.find(([pattern]) => pattern.test(fileName))?.[1] ?? null;

/** What the attachments held, read one after the other. */
interface ReadFiles {
  files: string[];
  activities: Activity[];
  errors: UploadError[];
  skipped: { source: string; reason: string }[];
  /** Bytes downloaded. */
  received: number;
}

export async function upload(turn: Turn, attachments: IncomingAttachment[]): Promise<void> {
  const { deps, thread } = turn;
  // Only pictures, videos or sound: say what is read instead of failing file by file.
  const media = attachments.map((a) => mediaKind(a.fileName));
  if (attachments.length > 0 && media.every((m) => m !== null)) {
    await thread.post(unreadableText(new Set(media).size === 1 ? media[0]! : 'pictures and recordings'));
    return;
  }
  const large =
    attachments.some((a) => /\.zip$/i.test(a.fileName)) || attachments.reduce((s, a) => s + a.sizeBytes, 0) >= LARGE_UPLOAD_BYTES;
  const stopBusy = large ? await showBusy(thread, 'reading', deps.logger) : () => undefined;
  try {
    if (await accepted(turn, attachments)) await storeUpload(turn, await readAll(turn, attachments));
  } finally {
    stopBusy();
  }
}

/**
 * True when the upload fits the quotas; then it is counted now, before anything is read, so that
 * what turns out unreadable, damaged or a duplicate counts as much as what is stored.
 */
async function accepted(turn: Turn, attachments: IncomingAttachment[]): Promise<boolean> {
  const { deps, thread, athlete } = turn;
  const limits = limitsOf(turn);
  const counters = await usage(turn);
  const from = quotaStart(turn);
  const used = { files: await counters.since('file', from), bytes: await counters.since('bytes', from) };
  const held = await athlete.activityCount();
  // What will be downloaded: a file beyond the platform's download limit is refused unread, and its bytes never reach us.
  const incomingBytes = attachments.filter((a) => a.sizeBytes <= thread.maxDownloadBytes).reduce((s, a) => s + a.sizeBytes, 0);
  const refusal =
    used.files + attachments.length > limits.uploadFilesPerDay
      ? fileQuotaText(used.files + attachments.length, limits.uploadFilesPerDay)
      : used.bytes + incomingBytes > limits.uploadBytesPerDay
        ? byteQuotaText(used.bytes + incomingBytes, limits.uploadBytesPerDay)
        : held >= limits.maxActivities
          ? storeFullText(held)
          : null;
  if (refusal) {
    await thread.post(refusal);
    return false;
  }
  const acceptedAt = deps.clock();
  await counters.record('file', attachments.length, acceptedAt);
  await counters.record('bytes', incomingBytes, acceptedAt);
  return true;
}

/** Downloads and reads each attachment in a worker thread; what fails becomes an error of its file. */
async function readAll(turn: Turn, attachments: IncomingAttachment[]): Promise<ReadFiles> {
  const { deps, athlete } = turn;
  const read: ReadFiles = { files: [], activities: [], errors: [], skipped: [], received: 0 };
  const maxActivities = limitsOf(turn).maxActivities;
  for (const attachment of attachments) {
    read.files.push(attachment.fileName);
    const bytes = await download(turn, attachment, read.errors);
    if (!bytes) continue;
    read.received += bytes.length;
    // read in a worker thread, within its time and memory budget: the event loop stays free
    // an export over the athlete's room is refused in the worker, not copied here first
    const stored = (await athlete.activityCount()) + read.activities.length;
    const activityLimit = { room: Math.max(0, maxActivities - stored), stored, max: maxActivities };
    const result = await (deps.ingestPool ?? ingestPool()).ingest(bytes, attachment.fileName, deps.ingestLimits ?? DEFAULT_INGEST_LIMITS, {
      activityLimit,
    });
    if (!result.ok) {
      read.errors.push({ source: result.error.source, code: result.error.code, message: result.error.message });
      continue;
    }
    appendAll(read.activities, result.value.activities);
    appendAll(
      read.errors,
      result.value.errors.map((e) => ({ source: e.source, code: e.code, message: e.message })),
    );
    appendAll(read.skipped, result.value.skipped);
  }
  return read;
}

/** The attachment's bytes; null (and an error of its file) when it is too large here or the download fails. */
async function download(turn: Turn, attachment: IncomingAttachment, errors: UploadError[]): Promise<Uint8Array | null> {
  const { deps, thread } = turn;
  if (attachment.sizeBytes > thread.maxDownloadBytes) {
    errors.push({
      source: attachment.fileName,
      code: 'too-large',
      message: tooLargeMessage(attachment.fileName, attachment.sizeBytes, thread.maxDownloadBytes),
    });
    return null;
  }
  try {
    return await attachment.download();
  } catch (e) {
    deps.logger?.warn({ err: asError(e), athleteKey: thread.athleteKey }, 'download failed');
    errors.push({ source: attachment.fileName, code: 'download-failed', message: downloadFailedMessage(attachment.fileName) });
    return null;
  }
}

/** Screens what was read and stores it — all of it, or nothing when it would not fit. */
async function storeUpload(turn: Turn, read: ReadFiles): Promise<void> {
  const { deps, thread, athlete } = turn;
  const { errors, skipped } = read;
  const maxActivities = limitsOf(turn).maxActivities;
  const checked = screenUpload(read.activities, errors, deps.clock());
  const held = await athlete.activityCount();
  const { units } = await athlete.info();
  if (checked.kept.length > maxActivities - held) {
    await thread.post(overRoomText(checked.kept.length, held, maxActivities));
    return;
  }
  if (checked.kept.length === 0) {
    // Nothing readable: nothing is written, not even the upload record.
    await thread.post(
      errors.length > 0
        ? uploadText({ uploadId: '', new: 0, duplicates: 0, merged: 0, errors, activityIds: [] }, skipped, units)
        : NO_ACTIVITIES_SENT,
    );
    return;
  }
  const summary = await athlete.recordUpload(read.files, { activities: checked.kept, errors, bytes: read.received });
  deps.observer?.upload({ new: summary.new, duplicates: summary.duplicates, merged: summary.merged, errors: summary.errors.length });
  const warnings = checked.kept.flatMap((a) =>
    a.warnings
      .filter((w) => w.code === 'implausible-duration' || w.code === 'truncated' || w.code === 'bad-crc')
      .map((w) => ({ source: a.source, code: w.code, message: w.message })),
  );
  await thread.post(uploadText({ ...summary, warnings, totals: uploadTotals(checked.kept) }, skipped, units));
  // then each ride of this upload against the current plan, and how the plan changed (the rides are
  // stored whatever happens here: a failure is logged, not turned into a failed upload)
  let outcome: RideOutcome;
  try {
    outcome = await turn.loop.afterRides(athlete, summary.activityIds);
  } catch (error) {
    turn.deps.logger?.error({ err: asError(error), athleteKey: thread.athleteKey }, 'rides not compared with the plan');
    return;
  }
  const fresh = await freshRides(turn, summary);
  if (fresh) for (const reply of await postRideReplies(turn, fresh, outcome)) await thread.post(reply);
  else for (const reply of complianceReplies(outcome)) await thread.post(reply);
}

/** Rides at most this old get a post-ride message each; older ones (an archive, last month's files) one summary. */
const FRESH_MS = 3 * 86_400_000;
/** At most this many new rides of one upload get a post-ride message each. */
const FRESH_RIDES = 3;

/**
 * The rides of this upload that each get a post-ride message, oldest first: when it stored 1 to 3
 * rides, all new here, every one started in the last 3 days. Null otherwise (one summary).
 */
async function freshRides(turn: Turn, summary: UploadSummary): Promise<StoredActivity[] | null> {
  const ids = [...new Set(summary.activityIds)];
  if (summary.new !== ids.length || ids.length === 0 || ids.length > FRESH_RIDES) return null;
  const now = turn.deps.clock().getTime();
  const rides: (StoredActivity | null)[] = [];
  for (const id of ids) rides.push(await turn.athlete.activity(id, { streams: false }));
  const fresh = rides.every((r) => r !== null && now - r.activity.startTime.getTime() <= FRESH_MS);
  return fresh ? (rides as StoredActivity[]).sort((a, b) => a.activity.startTime.getTime() - b.activity.startTime.getTime()) : null;
}

/** One post-ride message per ride: its match, the form now, and what the plan changed (with the last one). */
async function postRideReplies(turn: Turn, rides: readonly StoredActivity[], outcome: RideOutcome): Promise<Reply[]> {
  const { athlete, deps } = turn;
  const { timeZone, units } = await athlete.info();
  const form = await fitnessOn(athlete, deps.clock(), timeZone);
  const hasPlan = (await turn.loop.currentPlan(athlete)) !== null;
  const replies: Reply[] = [];
  for (const [i, ride] of rides.entries()) {
    const last = i === rides.length - 1;
    replies.push(
      postRideReply({
        activity: ride,
        match: outcome.matches.find((m) => m.activityId === ride.activity.id) ?? null,
        form,
        changes: last ? (outcome.version?.changes ?? []) : [],
        ftpNote: last ? outcome.ftpNote : null,
        units,
        source: null,
        ftp: (await athlete.profileAt(ride.activity.startTime))?.ftp ?? null,
        hasPlan,
        timeZone,
      }),
    );
  }
  return replies;
}
