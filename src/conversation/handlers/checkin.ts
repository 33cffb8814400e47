/**
 * /checkin: the weekly check-in — shown, turned on or off, its weekday and time changed (in the
 * athlete's zone; what is not given stays, or takes the default Monday 08:00) — the answers to a
 * check-in's buttons, and check-ins turned on when a first plan is made.
 */
import { DEFAULT_CHECKIN, nextCheckinAt } from '../../domain/checkin-schedule.js';
import { round } from '../../domain/numbers.js';
import { hoursLeftThisWeek } from '../checkin-review.js';
import { parseCheckinArgs } from '../checkin-args.js';
import {
  checkinErrorsText,
  checkinSetText,
  checkinShownText,
  checkinStartedText,
  lessTimeText,
  looksGoodText,
  NO_PLAN_TO_ADAPT,
  NOTHING_LEFT,
} from '../messages/checkin.js';
import type { Reply } from '../port.js';
import { today, type Turn } from '../turn.js';
import { wellbeing } from './wellbeing.js';

export async function checkin({ deps, thread, athlete }: Turn, args: string): Promise<void> {
  const current = await athlete.checkin();
  const zone = (await athlete.info()).timeZone;
  const { changes, errors } = parseCheckinArgs(args);
  if (errors.length > 0) {
    await thread.post(checkinErrorsText(errors));
    return;
  }
  if (Object.keys(changes).length === 0) {
    await thread.post(checkinShownText(current, zone, deps.clock()));
    return;
  }
  const schedule = {
    weekday: changes.weekday ?? current?.weekday ?? DEFAULT_CHECKIN.weekday,
    timeOfDay: changes.timeOfDay ?? current?.timeOfDay ?? DEFAULT_CHECKIN.timeOfDay,
    timeZone: zone,
  };
  // A new day or time keeps the check-in as it is (on when it never was set); "on"/"off" say otherwise.
  const enabled = changes.enabled ?? current?.enabled ?? true;
  const nextDueAt = enabled ? nextCheckinAt(schedule, deps.clock()) : null;
  const saved = await athlete.setCheckin({ ...schedule, enabled, nextDueAt, channelKey: thread.athleteKey, disabledReason: null });
  await thread.post(checkinSetText(saved, zone));
}

/** The check-in's answers: `ok` (looks good), `unwell` (ill or tired: the next days eased), `less-time` (the week cut to two thirds). */
export async function checkinAnswer(turn: Turn, answer: 'ok' | 'unwell' | 'less-time'): Promise<void> {
  const { thread, athlete, loop } = turn;
  if (answer === 'ok') {
    const settings = await athlete.checkin();
    await thread.post(looksGoodText(settings?.enabled ? settings.nextDueAt : null, (await athlete.info()).timeZone));
    return;
  }
  // Ill or tired: as when the athlete says so in words (the next days eased).
  if (answer === 'unwell') return wellbeing(turn, { reason: 'tired' });
  if (!(await loop.currentPlan(athlete))) {
    await thread.post(NO_PLAN_TO_ADAPT);
    return;
  }
  // Less time: two thirds of the hours still planned this week, to the half hour.
  const left = await hoursLeftThisWeek(athlete, await today(turn));
  if (left <= 0) {
    await thread.post(NOTHING_LEFT);
    return;
  }
  const hours = Math.round(((left * 2) / 3) * 2) / 2;
  const said = `Less time this week (${hours} h, two thirds of the ${round(left, 1)} h left)`;
  await thread.post(lessTimeText(await loop.applySignal(athlete, { kind: 'less-time', hours }), said));
}

/**
 * Check-ins start with the athlete's first plan, in the chat they use, with the defaults (Monday
 * 08:00 in their zone) — once: an athlete who turned them off (or changed them) keeps that. Returns
 * what to tell the athlete when it turns them on (the analysis says it in its summary), else null.
 */
export async function startCheckinsWithPlan({ deps, thread, athlete }: Turn): Promise<Reply | null> {
  if ((await athlete.checkin()) !== null || (await athlete.coaching.currentPlanVersion()) === null) return null;
  const zone = (await athlete.info()).timeZone;
  const schedule = { ...DEFAULT_CHECKIN, timeZone: zone };
  const saved = await athlete.setCheckin({
    ...schedule,
    enabled: true,
    nextDueAt: nextCheckinAt(schedule, deps.clock()),
    channelKey: thread.athleteKey,
    disabledReason: null,
  });
  return checkinStartedText(saved, zone);
}
