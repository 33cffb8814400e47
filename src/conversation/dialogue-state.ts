/**
 * The state of one chat's dialogue between messages — the pending onboarding question, the
 * confirmations asked for, the last questions to the coach, a /link code handed out, an
 * intervals.icu key awaited. Kept in the store by chat identity, so that it survives restarts.
 */
import type { CoachTurn } from './coach-questions.js';
import type { ProfileField } from './profile-text.js';
import type { Turn } from './turn.js';

export interface DialogueState {
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
  /**
   * `/connect intervals` asked for the athlete id and API key: the next text is read as them (with
   * the months to fetch), until `expiresAt` (ms since epoch). A command or unrelated text ends it.
   */
  connectWait?: { service: 'intervals'; months: number; expiresAt: number } | null;
}

export const EMPTY_STATE: DialogueState = { step: null, answered: [], confirmForget: false, coachTurns: [] };

/** This chat's dialogue state (the empty one for a new chat). */
export async function loadState(turn: Turn): Promise<DialogueState> {
  const raw = await turn.deps.store.getChatState(turn.thread.athleteKey);
  return raw ? { ...EMPTY_STATE, ...(raw as Partial<DialogueState>) } : { ...EMPTY_STATE };
}

/** Keeps this chat's dialogue state, for the athlete it now belongs to (another one after a /link). */
export async function saveState(turn: Turn, state: DialogueState, athleteId = turn.athlete.athleteId): Promise<void> {
  await turn.deps.store.setChatState(turn.thread.athleteKey, state as unknown as Record<string, unknown>, athleteId);
}
