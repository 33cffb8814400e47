/**
 * The athlete says they are ill, tired or travelling (in their own words, or with a button): the
 * coaching loop eases the next days of the plan, and the reply says what changed — or that nothing
 * needed to.
 */
import { noPlanToEaseText, wellbeingText } from '../messages/wellbeing.js';
import { today, type Turn } from '../turn.js';
import type { WellbeingStatement } from '../wellbeing-intent.js';

export async function wellbeing(turn: Turn, said: WellbeingStatement): Promise<void> {
  const { thread, athlete, loop } = turn;
  if (!(await loop.currentPlan(athlete))) {
    await thread.post(noPlanToEaseText(said.reason));
    return;
  }
  const version = await loop.applySignal(athlete, {
    kind: 'unwell',
    reason: said.reason,
    ...(said.days !== undefined ? { days: said.days } : {}),
  });
  await thread.post(wellbeingText(said.reason, version, await today(turn), said.days));
}
