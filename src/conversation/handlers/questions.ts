/**
 * A question to the coach, asked in free text: counted against the daily limit, answered from the
 * athlete's rides and plan, recorded, and kept (with the last few) as context for the next one.
 */
import { MAX_TURNS } from '../coach-questions.js';
import { saveState, type DialogueState } from '../dialogue-state.js';
import { OPERATOR_HINT } from '../intents.js';
import { answerText, questionQuotaText } from '../messages/questions.js';
import { quotaStart, today, usage, type Turn } from '../turn.js';

/** Questions per athlete per day when the configuration says nothing. */
const DEFAULT_QUESTIONS_PER_DAY = 20;

/** Answers a question; only called when the conversation has a coach. */
export async function question(turn: Turn, text: string, state: DialogueState): Promise<void> {
  const { deps, thread, athlete } = turn;
  const limit = deps.questionsPerDay ?? DEFAULT_QUESTIONS_PER_DAY;
  const counters = await usage(turn);
  if ((await counters.since('question', quotaStart(turn))) >= limit) {
    await thread.post(questionQuotaText(limit));
    return;
  }
  // Counted when asked: a question whose answer fails counts too.
  await counters.record('question', 1, deps.clock());
  const answer = await deps.coach!.answer(athlete, text, state.coachTurns, await today(turn));
  await athlete.recordQuestion({
    provider: answer.provider,
    model: answer.model,
    intent: answer.intent,
    inputTokens: answer.usage.inputTokens,
    outputTokens: answer.usage.outputTokens,
    costUsd: answer.costUsd,
    grounded: answer.grounded,
  });
  deps.observer?.question(answer);
  if (answer.provider === 'offline' && answer.intent === null && !answer.fellBack && !turn.shared.operatorHinted) {
    // what a model would add is the operator's business, not the athlete's: said once, in the log
    turn.shared.operatorHinted = true;
    deps.logger?.info({ athleteKey: thread.athleteKey }, OPERATOR_HINT);
  }
  await saveState(turn, {
    ...state,
    coachTurns: [...state.coachTurns, { question: text.slice(0, 500), answer: answer.text.slice(0, 2000) }].slice(-MAX_TURNS),
  });
  await thread.post(answerText(answer.text, answer.fellBack));
}
