/**
 * The words around the coach's answers to questions: the daily limit, and the note when the
 * offline coach answered for a model that failed.
 */
import type { Reply } from '../port.js';

export function questionQuotaText(limit: number): Reply {
  return {
    text: `You have asked ${limit} questions today, the daily limit (it counts the last 24 hours). Ask again later — /analyze and /plan still work.`,
  };
}

export function answerText(answer: string, fellBack: boolean): Reply {
  return { text: fellBack ? `${answer}\n\n(The model is not available right now; the offline coach answered.)` : answer };
}
