/**
 * /connect, /connections and /disconnect: intervals.icu (athlete id and API key, given in one go
 * or as the answer to /connect intervals; the message holding the key deleted once read) and
 * Strava (an authorization link), what is connected, and letting go of one. The sync engine
 * (deps.sync) does the work; here are the words and the dialogue.
 */
import { loadState, saveState } from '../dialogue-state.js';
import {
  askCredentialsText,
  badCredentialsText,
  calendarPushText,
  connectFailedText,
  connectionsText,
  disconnectedText,
  intervalsConnectedText,
  notConnectedText,
  stravaLinkText,
  SYNC_NOT_SET_UP,
  unavailableText,
  WAIT_ENDED,
  WHICH_SERVICE,
  WHICH_TO_DISCONNECT,
  type CredentialsProblem,
  type KeyMessage,
} from '../messages/connections.js';
import type { DeleteMessage } from '../port.js';
import type { SyncControl } from '../sync/sync-control.js';
import type { SyncService } from '../../sync/types.js';
import { asError, type Turn } from '../turn.js';

/** Months a connection fetches when not told, and at most. */
const DEFAULT_MONTHS = 12;
const MONTHS_RANGE = [1, 120] as const;
/** How long the next text is read as the id and key after /connect intervals. */
const WAIT_MS = 15 * 60_000;

// ---- the words athletes write ----

/** An intervals.icu athlete id: `i` and digits (a bare number gets its `i`). */
const ATHLETE_ID = /^i?(\d{1,12})$/i;
/** An API key: a long string of letters and digits (loosely: dashes and underscores pass too). */
const API_KEY = /^[A-Za-z0-9_-]{16,200}$/;
/** Something that may be a key: long, letters and digits. */
const KEY_LIKE = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{12,}$/;
/** Labels an athlete may write around the values ("athlete id: i123, key: …"). */
const LABEL = /^(athlete|athlete_id|athleteid|id|api|api_key|apikey|key|and|my|is)$/i;

/** The words of a text, without labels and the punctuation around values. */
function tokens(text: string): string[] {
  return text
    .split(/[\s,;]+|[:=](?=\S)/)
    .map((t) => t.replace(/^[`'"(<[]+|[`'".)>\]:=]+$/g, ''))
    .filter((t) => t.length > 0 && !LABEL.test(t));
}

/** True when the text answers "send your athlete id and key" (an id or a key in it), not something else ("ftp 270"). */
export function looksLikeCredentials(text: string): boolean {
  return tokens(text).some((t) => /^(i\d{1,12}|\d{4,12})$/i.test(t) || KEY_LIKE.test(t));
}

/** True when the text is nothing but an athlete id and a key ("i123456 1a2b3c…"): read as such even unasked. */
export function isCredentialsText(text: string): boolean {
  const words = text.trim().split(/\s+/);
  return words.length === 2 && /^i\d{1,12}$/i.test(words[0]!) && API_KEY.test(words[1]!) && KEY_LIKE.test(words[1]!);
}

/** The athlete id and API key in a text, or what is wrong with them. */
export function parseCredentials(
  text: string,
): { ok: true; athleteId: string; apiKey: string; holdsKey: boolean } | { ok: false; problem: CredentialsProblem; holdsKey: boolean } {
  const words = tokens(text);
  const holdsKey = words.some((t) => KEY_LIKE.test(t));
  const id = words.find((t) => ATHLETE_ID.test(t) && !KEY_LIKE.test(t));
  const rest = words.filter((t) => t !== id);
  const key = rest.find((t) => API_KEY.test(t));
  if (words.length === 0) return { ok: false, problem: 'missing', holdsKey };
  if (!id) return { ok: false, problem: 'athlete-id', holdsKey };
  if (!key || rest.length !== 1) return { ok: false, problem: 'api-key', holdsKey };
  return { ok: true, athleteId: `i${ATHLETE_ID.exec(id)![1]}`, apiKey: key, holdsKey };
}

/** What /connect was asked to do. */
export type ConnectRequest =
  | { kind: 'choose' }
  | { kind: 'unknown' }
  | { kind: 'bad-months' }
  | { kind: 'intervals'; months: number | null; credentials: string }
  | { kind: 'push'; on: boolean }
  | { kind: 'strava'; months: number | null };

/** The service a word names: `intervals`, `intervals.icu`, `icu`, `strava`. */
export function serviceOf(word: string | undefined): SyncService | null {
  if (word && /^(intervals(\.icu)?|icu)$/i.test(word)) return 'intervals';
  return word && /^strava$/i.test(word) ? 'strava' : null;
}

/** /connect's words: a service, then (intervals.icu) the id and key or `push on|off`; `months N` or `--months N` anywhere. */
export function parseConnect(args: string): ConnectRequest {
  const found = /(?:^|\s)(?:--)?months?(?:\s*[=:]\s*|\s+)(\S+)/i.exec(args);
  const rest = found ? `${args.slice(0, found.index)} ${args.slice(found.index + found[0].length)}` : args;
  const months = found ? (/^\d{1,4}$/.test(found[1]!) ? Number(found[1]) : Number.NaN) : null;
  const [first, ...others] = rest.trim().split(/\s+/).filter(Boolean);
  if (!first) return found ? { kind: 'unknown' } : { kind: 'choose' };
  const service = serviceOf(first);
  if (!service) return { kind: 'unknown' };
  if (months !== null && !(Number.isInteger(months) && months >= MONTHS_RANGE[0] && months <= MONTHS_RANGE[1]))
    return { kind: 'bad-months' };
  if (service === 'strava') return { kind: 'strava', months };
  const push = /^push\s+(on|off)$/i.exec(others.join(' '));
  if (push) return { kind: 'push', on: push[1]!.toLowerCase() === 'on' };
  return { kind: 'intervals', months, credentials: others.join(' ') };
}

// ---- the commands ----

const defaultMonths = (turn: Turn) => turn.deps.syncBackfillMonths ?? DEFAULT_MONTHS;

/** The sync engine, or null after saying that syncing isn't set up on this bot. */
async function syncOf(turn: Turn): Promise<SyncControl | null> {
  if (turn.deps.sync) return turn.deps.sync;
  await turn.thread.post(SYNC_NOT_SET_UP);
  return null;
}

/** /connect [intervals|strava] …; `deleteMessage` deletes the message these words came in (it may hold a key). */
export async function connect(turn: Turn, args: string, deleteMessage?: DeleteMessage): Promise<void> {
  const request = parseConnect(args);
  if (request.kind === 'intervals' && request.credentials !== '')
    return connectIntervals(turn, request.credentials, request.months ?? defaultMonths(turn), deleteMessage, 'command');
  const sync = await syncOf(turn);
  if (!sync) return;
  const { thread, athlete } = turn;
  switch (request.kind) {
    case 'choose':
      await thread.post(WHICH_SERVICE);
      return;
    case 'unknown':
      await thread.post({ ...WHICH_SERVICE, text: `I connect intervals.icu and Strava. ${WHICH_SERVICE.text}` });
      return;
    case 'bad-months':
      await thread.post(badCredentialsText('months'));
      return;
    case 'push':
      await thread.post((await sync.setCalendarPush(athlete, request.on)) ? calendarPushText(request.on) : notConnectedText('intervals'));
      return;
    case 'strava':
      return connectStrava(turn, sync, request.months ?? defaultMonths(turn));
    case 'intervals':
      return askCredentials(turn, sync, request.months ?? defaultMonths(turn));
  }
}

/** /connect intervals alone: what to send; the next text is read as it. */
async function askCredentials(turn: Turn, sync: SyncControl, months: number): Promise<void> {
  const { thread, athlete, deps } = turn;
  const unavailable = sync.unavailable('intervals');
  if (unavailable) {
    await thread.post(unavailableText('intervals', unavailable));
    return;
  }
  const connected = (await sync.connections(athlete)).find((c) => c.service === 'intervals') ?? null;
  const receivesText = thread.receivesText !== false;
  if (receivesText)
    await saveState(turn, {
      ...(await loadState(turn)),
      connectWait: { service: 'intervals', months, expiresAt: deps.clock().getTime() + WAIT_MS },
    });
  await thread.post(askCredentialsText(months, { receivesText, deletesMessages: thread.deletesMessages === true }, connected));
}

/** /connect strava: the link to authorize (or why Strava can't be connected here). */
async function connectStrava(turn: Turn, sync: SyncControl, months: number): Promise<void> {
  const { thread, athlete } = turn;
  const unavailable = sync.unavailable('strava');
  if (unavailable) {
    await thread.post(unavailableText('strava', unavailable));
    return;
  }
  const connected = (await sync.connections(athlete)).find((c) => c.service === 'strava') ?? null;
  await thread.post(stravaLinkText(await sync.stravaAuthorizeUrl(athlete, thread.athleteKey, months), connected));
}

/**
 * Text while the id and key are awaited (or text that is nothing but them): read as them; true when
 * handled. Anything else ends the wait with a word and goes on as ordinary text (false).
 */
export async function awaitedCredentials(turn: Turn, text: string, deleteMessage?: DeleteMessage): Promise<boolean> {
  const state = await loadState(turn);
  const wait = state.connectWait && state.connectWait.expiresAt > turn.deps.clock().getTime() ? state.connectWait : null;
  if (wait && looksLikeCredentials(text)) {
    await connectIntervals(turn, text, wait.months, deleteMessage, 'text');
    return true;
  }
  if (state.connectWait) await saveState(turn, { ...state, connectWait: null });
  if (wait) await turn.thread.post(WAIT_ENDED);
  if (!isCredentialsText(text)) return false;
  await connectIntervals(turn, text, defaultMonths(turn), deleteMessage, 'text');
  return true;
}

/** A command while the id and key were awaited: the wait ends, with a word (unless it is /connect again). */
export async function endCredentialsWait(turn: Turn, command: string): Promise<void> {
  const state = await loadState(turn);
  if (!state.connectWait) return;
  await saveState(turn, { ...state, connectWait: null });
  if (command !== 'connect' && state.connectWait.expiresAt > turn.deps.clock().getTime()) await turn.thread.post(WAIT_ENDED);
}

/**
 * Deletes the message that held a key, right after reading it: what to tell the athlete about it.
 * A platform that refuses is logged, never fatal; the athlete is then asked to delete it.
 */
async function deleteKeyMessage(
  turn: Turn,
  holdsKey: boolean,
  via: 'command' | 'text',
  deleteMessage?: DeleteMessage,
): Promise<KeyMessage> {
  if (!holdsKey) return 'none';
  // a slash command's options are no message in the chat; a written message is
  if (!deleteMessage) return via === 'text' ? 'not-deletable' : 'none';
  try {
    await deleteMessage();
    return 'deleted';
  } catch (e) {
    turn.deps.logger?.warn({ err: asError(e), athleteKey: turn.thread.athleteKey }, 'deleting the message with the API key failed');
    return 'delete-failed';
  }
}

/** The id and key read from `text`: checked with intervals.icu, stored, the backfill started — or what went wrong. */
async function connectIntervals(
  turn: Turn,
  text: string,
  months: number,
  deleteMessage: DeleteMessage | undefined,
  via: 'command' | 'text',
): Promise<void> {
  const { thread, athlete, deps } = turn;
  const credentials = parseCredentials(text);
  const key = await deleteKeyMessage(turn, credentials.holdsKey, via, deleteMessage);
  const sync = await syncOf(turn);
  if (!sync) return;
  const unavailable = sync.unavailable('intervals');
  const state = await loadState(turn);
  const waitAgain = () =>
    saveState(turn, { ...state, connectWait: { service: 'intervals', months, expiresAt: deps.clock().getTime() + WAIT_MS } });
  if (unavailable) {
    await saveState(turn, { ...state, connectWait: null });
    await thread.post(unavailableText('intervals', unavailable));
    return;
  }
  if (!credentials.ok) {
    if (thread.receivesText !== false) await waitAgain();
    await thread.post(badCredentialsText(credentials.problem, key));
    return;
  }
  const result = await sync.connectIntervals(athlete, thread.athleteKey, {
    athleteId: credentials.athleteId,
    apiKey: credentials.apiKey,
    months,
  });
  if (result.ok) {
    await saveState(turn, { ...(await loadState(turn)), connectWait: null });
    await thread.post(intervalsConnectedText(result.value, months, key));
    return;
  }
  // a refused key may be sent again, corrected; the service's trouble ends the dialogue
  if (result.error === 'bad-key' && thread.receivesText !== false) await waitAgain();
  else await saveState(turn, { ...(await loadState(turn)), connectWait: null });
  await thread.post(connectFailedText(result.error, key));
}

/** /connections: what is connected, since when, when it last synced. */
export async function connections(turn: Turn): Promise<void> {
  const sync = await syncOf(turn);
  if (!sync) return;
  const { thread, athlete, deps } = turn;
  const connected = await sync.connections(athlete);
  await thread.post(connectionsText(connected, (s) => sync.unavailable(s), deps.clock(), (await athlete.info()).timeZone));
}

/** /disconnect intervals|strava (alone: which one, with buttons). */
export async function disconnect(turn: Turn, args: string): Promise<void> {
  const sync = await syncOf(turn);
  if (!sync) return;
  const service = serviceOf(args.trim().split(/\s+/)[0]);
  if (!service) {
    await turn.thread.post(WHICH_TO_DISCONNECT);
    return;
  }
  await turn.thread.post(disconnectedText(service, await sync.disconnect(turn.athlete, service)));
}
