/**
 * /link: one history on several chat apps. Without a code it hands one out; with a code from the
 * other app it moves this chat to that history, and tells the chat that handed out the code.
 */
import { randomInt } from 'node:crypto';
import { EMPTY_STATE, loadState, saveState } from '../dialogue-state.js';
import {
  ALREADY_LINKED,
  linkCodeText,
  linkedText,
  linkUsedText,
  ownHistoryText,
  tooManyTriesText,
  UNKNOWN_CODE,
} from '../messages/link.js';
import type { Reply } from '../port.js';
import { asError, type Turn } from '../turn.js';

/** How long a `/link` code works, and how many wrong codes a chat may enter an hour. */
const LINK_CODE_MINUTES = 10;
const LINK_TRIES_PER_HOUR = 5;

export async function link(turn: Turn, args: string): Promise<void> {
  const digits = args.replace(/\D/g, '');
  if (digits.length === 0) return handOutCode(turn);
  return useCode(turn, digits);
}

/** A code for the other app, working for a few minutes. */
async function handOutCode(turn: Turn): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await saveState(turn, {
    ...(await loadState(turn)),
    linkCode: code,
    linkExpiresAt: turn.deps.clock().getTime() + LINK_CODE_MINUTES * 60_000,
  });
  await turn.thread.post(linkCodeText(code, LINK_CODE_MINUTES));
}

async function useCode(turn: Turn, digits: string): Promise<void> {
  const { deps, thread, athlete } = turn;
  const now = deps.clock();
  // Codes are short: a chat gets a few tries an hour, so guessing one is hopeless. Counted for
  // this chat in the store's usage counters, which /forget does not reset.
  const tries = deps.store.usage(thread.athleteKey);
  if ((await tries.since('link-failure', new Date(now.getTime() - 3_600_000))) >= LINK_TRIES_PER_HOUR) {
    await thread.post(tooManyTriesText(LINK_TRIES_PER_HOUR));
    return;
  }
  const found = digits.length === 6 ? await deps.store.findLinkCode(digits, now) : null;
  if (!found) {
    await tries.record('link-failure', 1, now);
    await thread.post(UNKNOWN_CODE);
    return;
  }
  if (found.athleteId === athlete.athleteId) {
    await thread.post(ALREADY_LINKED);
    return;
  }
  const held = await athlete.activityCount();
  if (held > 0 || (await athlete.runs()).length > 0) {
    await thread.post(ownHistoryText(held));
    return;
  }
  // The code works once: the chat that handed it out forgets it.
  const issuer = (await deps.store.getChatState(found.identityKey)) ?? {};
  await deps.store.setChatState(found.identityKey, { ...issuer, linkCode: null, linkExpiresAt: null }, found.athleteId);
  await deps.store.moveIdentity(thread.athleteKey, found.athleteId);
  await saveState(turn, { ...EMPTY_STATE }, found.athleteId);
  const linked = deps.store.athlete(found.athleteId);
  const { displayName } = await linked.info();
  const count = await linked.activityCount();
  await thread.post(linkedText(displayName, count, (await linked.currentProfile())?.ftp));
  // The chat that handed out the code learns that it was used (and where): a code used by someone else would show here.
  await tell(turn, found.identityKey, linkUsedText(thread.athleteKey));
}

/** Posts to another chat of the athlete through the directory; a failure is logged, never thrown. */
async function tell(turn: Turn, identityKey: string, reply: Reply): Promise<void> {
  const other = turn.deps.directory?.open(identityKey) ?? null;
  if (!other) return;
  try {
    await other.post(reply);
  } catch (e) {
    turn.deps.logger?.warn({ err: asError(e), athleteKey: identityKey }, 'could not reach another chat of the athlete');
  }
}
