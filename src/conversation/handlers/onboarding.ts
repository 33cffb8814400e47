/**
 * The onboarding dialogue: /start asks the profile's questions one at a time (or, for a finished
 * profile, offers a review that shows each current value); each message while a question is
 * pending is an answer, a correction of an earlier one, a question, or small talk.
 */
import { EMPTY_PROFILE } from '../../domain/profile.js';
import type { AthleteStore } from '../../store/store.js';
import { loadState, saveState, type DialogueState } from '../dialogue-state.js';
import { looksLikeQuestion, smallTalk } from '../intents.js';
import {
  ackText,
  backToProfileText,
  CANNOT_DM,
  MOVED_TO_DM,
  notAnAnswerText,
  PROFILE_LOOKS_GOOD,
  profileSetText,
  REMINDER_OFFER,
  reviewOfferText,
  reviewStartText,
  smallTalkLead,
  thenAsk,
  welcomeText,
} from '../messages/onboarding.js';
import { profileText, updatedText } from '../messages/profile.js';
import {
  answersStep,
  isCorrection,
  isKeep,
  isUnsureAnswer,
  ONBOARDING_HELP,
  onboardingAnswer,
  profileComplete,
  STEPS,
  stepQuestion,
  withoutCorrection,
  type OnboardingStep,
} from '../onboarding.js';
import { hasChanges, parseProfileText, type ParsedAnswer } from '../profile-text.js';
import { asError, today, type Turn } from '../turn.js';
import { analyze } from './analysis.js';
import { applyChanges } from './profile-changes.js';
import { question } from './questions.js';

/** /start: the first question (or a review of a finished profile). */
export async function startOnboarding(turn: Turn): Promise<void> {
  const { thread, athlete } = turn;
  const previous = await loadState(turn);
  // A finished profile is reviewed, not asked again from the top.
  if (previous.onboarded || profileComplete(await athlete.currentProfile())) return offerReview(turn, previous);
  const state: DialogueState = { ...previous, step: null, answered: [], review: false, confirmForget: false };
  const next = await nextStep(athlete, state);
  state.step = next?.field ?? null;
  await saveState(turn, state);
  await thread.post(welcomeText(thread.displayName, next ? next.question : null));
}

/** `/start` where answers cannot reach the bot (a Discord server): the first question goes by DM. */
export async function startInDirectMessage(turn: Turn): Promise<void> {
  const { deps, thread } = turn;
  const dm = deps.directory?.open(thread.athleteKey) ?? null;
  if (dm) {
    try {
      await startOnboarding({ ...turn, thread: dm });
      await thread.post(MOVED_TO_DM);
      return;
    } catch (e) {
      deps.logger?.warn({ err: asError(e), athleteKey: thread.athleteKey }, 'could not open a direct message for /start');
    }
  }
  await thread.post(CANNOT_DM);
}

/** `/start` on a finished profile: show it, say how to change a value, offer to go through the questions again. */
async function offerReview(turn: Turn, state: DialogueState): Promise<void> {
  const { thread, athlete } = turn;
  await saveState(turn, { ...state, step: null, review: false });
  await thread.post(reviewOfferText(thread.displayName, profileText(await athlete.info(), await athlete.currentProfile())));
}

/** The buttons under the review offer. */
export async function onboardingAction(turn: Turn, action: string): Promise<void> {
  const state = await loadState(turn);
  if (action === 'onboarding:review') {
    const review: DialogueState = { ...state, answered: [], review: true, step: null };
    const first = await nextStep(turn.athlete, review);
    review.step = first?.field ?? null;
    await saveState(turn, review);
    await turn.thread.post(reviewStartText(first ? await ask(turn.athlete, review, first) : null));
    return;
  }
  await saveState(turn, { ...state, step: null, review: false });
  await turn.thread.post(PROFILE_LOOKS_GOOD);
}

async function nextStep(athlete: AthleteStore, state: DialogueState): Promise<OnboardingStep | null> {
  const profile = (await athlete.currentProfile()) ?? EMPTY_PROFILE;
  // a review asks everything once; otherwise what the profile already holds is not asked
  return STEPS.find((s) => !state.answered.includes(s.field) && (state.review === true || !s.answered(profile, state.answered))) ?? null;
}

/** A step's question, with its current value in a review. */
async function ask(athlete: AthleteStore, state: DialogueState, step: OnboardingStep): Promise<string> {
  return stepQuestion(step, (await athlete.currentProfile()) ?? EMPTY_PROFILE, await athlete.info(), state.review === true);
}

/**
 * A message while an onboarding question is pending. An answer moves on; a correction of an
 * earlier answer ("oh wait, my ftp is 255"), a question ("why do you need my weight?") or
 * "help" is handled, and the pending question is asked again.
 */
export async function onboardingText(turn: Turn, text: string, state: DialogueState, step: OnboardingStep): Promise<void> {
  const { deps, thread, athlete } = turn;
  const again = () => ask(athlete, state, step);
  const small = smallTalk(text);
  if (small === 'analyze') return analyze(turn);
  if (small) {
    await thread.post(thenAsk(small === 'help' ? ONBOARDING_HELP : smallTalkLead(small, thread.displayName), await again()));
    return;
  }
  if (state.review && isKeep(text)) return answerStep(turn, state, step, { changes: { profile: {} }, errors: [], skipped: true });
  if (looksLikeQuestion(text) && !isUnsureAnswer(text)) {
    const answer = onboardingAnswer(text, step.field);
    if (answer) {
      await thread.post(thenAsk(answer, await again()));
      return;
    }
    if (deps.coach) {
      await question(turn, text, state);
      await thread.post(backToProfileText(await again()));
      return;
    }
  }
  return parseAnswer(turn, text, state, step);
}

/** The text as an answer to the pending question — or else as a change to an earlier one. */
async function parseAnswer(turn: Turn, text: string, state: DialogueState, step: OnboardingStep): Promise<void> {
  const { thread, athlete } = turn;
  const options = { units: (await athlete.info()).units, today: await today(turn) };
  const unsure = text.replace(/\?+\s*$/, '');
  const expected = isCorrection(text) ? null : parseProfileText(unsure, { ...options, expecting: step.field });
  if (expected && expected.errors.length === 0 && (expected.skipped || answersStep(step.field, expected.changes)))
    return answerStep(turn, state, step, expected);
  // Not an answer to this question: maybe a change to an earlier one.
  const free = parseProfileText(withoutCorrection(text), options);
  if (hasChanges(free.changes) && free.errors.length === 0) {
    if (answersStep(step.field, free.changes)) return answerStep(turn, state, step, free);
    const said = await applyChanges(turn, free.changes);
    state.answered = answeredWith(state.answered, [], free);
    await saveState(turn, state);
    await thread.post(thenAsk(updatedText(said), await ask(athlete, state, step)));
    return;
  }
  const errors = expected && expected.errors.length > 0 ? expected.errors : free.errors;
  await thread.post(notAnAnswerText(errors, await ask(athlete, state, step)));
}

/** The steps answered, with those `parsed` answers too (a time zone or units given on the way count). */
function answeredWith(
  answered: DialogueState['answered'],
  steps: DialogueState['answered'],
  parsed: ParsedAnswer,
): DialogueState['answered'] {
  return [
    ...new Set([
      ...answered,
      ...steps,
      ...(parsed.changes.timeZone ? ['timeZone' as const] : []),
      ...(parsed.changes.units ? ['units' as const] : []),
    ]),
  ];
}

/** The pending question is answered (or skipped): store it, say so, ask the next one — or finish. */
async function answerStep(turn: Turn, state: DialogueState, step: OnboardingStep, parsed: ParsedAnswer): Promise<void> {
  const { thread, athlete } = turn;
  const reviewing = state.review === true;
  const said = hasChanges(parsed.changes) ? await applyChanges(turn, parsed.changes) : [];
  state.answered = answeredWith(state.answered, [step.field], parsed);
  const next = await nextStep(athlete, state);
  state.step = next?.field ?? null;
  if (!next) {
    state.onboarded = true;
    state.review = false;
  }
  await saveState(turn, state);
  const ack = ackText(said, reviewing, step.field);
  if (next) {
    await thread.post(thenAsk(ack, await ask(athlete, state, next)));
    return;
  }
  await thread.post(profileSetText(ack, profileText(await athlete.info(), await athlete.currentProfile())));
  if ((await athlete.reminder()) === null) await thread.post(REMINDER_OFFER);
}
