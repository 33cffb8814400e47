/**
 * Free text outside a command: an answer while an onboarding question is pending, small talk
 * ("hi", "thanks", "analyze"), the athlete saying they are ill, tired or travelling, a question for
 * the coach, or a change to the profile ("ftp 270").
 */
import { loadState } from '../dialogue-state.js';
import { looksLikeQuestion, smallTalk, type SmallTalk } from '../intents.js';
import { greetingText, HELP, NOT_UNDERSTOOD, YOU_ARE_WELCOME } from '../messages/general.js';
import { updatedText } from '../messages/profile.js';
import { stepOf } from '../onboarding.js';
import { hasChanges, parseProfileText } from '../profile-text.js';
import { today, type Turn } from '../turn.js';
import { analyze } from './analysis.js';
import { onboardingText } from './onboarding.js';
import { applyChanges } from './profile-changes.js';
import { question } from './questions.js';
import { wellbeing } from './wellbeing.js';
import { wellbeingStatement } from '../wellbeing-intent.js';

export async function text(turn: Turn, text: string): Promise<void> {
  const { deps, thread, athlete } = turn;
  const state = await loadState(turn);
  const step = stepOf(state.step);
  if (step) return onboardingText(turn, text, state, step);
  const small = smallTalk(text);
  if (small) return answerSmallTalk(turn, small);
  // "I'm ill", "travelling until Friday": the plan eases (a question about it stays a question)
  const unwell = wellbeingStatement(text, await today(turn));
  if (unwell) return wellbeing(turn, unwell);
  // Outside onboarding a question is a question, even when it holds something like "FTP of 250".
  if (deps.coach && looksLikeQuestion(text)) return question(turn, text, state);
  const parsed = parseProfileText(text, { units: (await athlete.info()).units, today: await today(turn) });
  if (parsed.errors.length > 0) {
    await thread.post({ text: parsed.errors.join('\n') });
    return;
  }
  const said = hasChanges(parsed.changes) ? await applyChanges(turn, parsed.changes) : [];
  if (said.length > 0) {
    await thread.post({ text: updatedText(said) });
    return;
  }
  if (deps.coach) return question(turn, text, state);
  await thread.post(NOT_UNDERSTOOD);
}

/** "help", "thanks", "hi", "analyze" — typed, without a slash. */
async function answerSmallTalk(turn: Turn, kind: SmallTalk): Promise<void> {
  const { thread, athlete } = turn;
  switch (kind) {
    case 'help':
      await thread.post(HELP);
      return;
    case 'analyze':
      return analyze(turn);
    case 'thanks':
      await thread.post(YOU_ARE_WELCOME);
      return;
    case 'greeting':
      await thread.post(
        greetingText(thread.displayName, (await athlete.currentProfile()) === null && (await athlete.activityCount()) === 0),
      );
      return;
  }
}
