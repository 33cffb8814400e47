/**
 * The words when the athlete says they are ill, tired or travelling: what changed in the plan
 * (each change as the coaching loop wrote it), that nothing needed to, or that there is no plan yet.
 */
import { addDays, longDate } from '../../domain/calendar.js';
import type { PlanVersion } from '../../domain/coaching/types.js';
import type { WellbeingReason } from '../wellbeing-intent.js';
import { buttonRow, type Reply } from '../port.js';

const OPENER: Record<WellbeingReason, string> = {
  ill: 'Sorry to hear you are ill — rest comes first.',
  tired: 'Thanks for telling me — tired legs need easy days.',
  travel: 'Safe travels.',
};

/** "until 11 Jun 2027" when the athlete said how long, else "in the coming days". */
function span(today: string, days: number | undefined): string {
  if (days === undefined) return 'in the coming days';
  return days === 1 ? 'today' : `until ${longDate(addDays(today, days - 1))}`;
}

/** The plan after the athlete's word: the new version's changes, or "No change needed: …". */
export function wellbeingText(reason: WellbeingReason, version: PlanVersion | null, today: string, days?: number): Reply {
  if (!version)
    return {
      text: `${OPENER[reason]}\nNo change needed: your plan has nothing to ease ${span(today, days)} (it is rest or easy riding already). ${
        reason === 'ill' ? 'Ride again only once you feel well.' : 'Ride by feel, and tell me if anything else comes up.'
      }`,
    };
  return {
    title: 'Plan updated',
    text: [
      `${OPENER[reason]} Your plan is now version ${version.version} (${version.reason}):`,
      ...version.changes.map((c) => `• ${c.text}`),
    ].join('\n'),
    buttons: buttonRow(['This week', 'plan']),
  };
}

export function noPlanToEaseText(reason: WellbeingReason): Reply {
  return {
    text: `${OPENER[reason]} You have no plan yet, so there is nothing to change. When you are back, send your rides and /analyze, and I will plan around days like these.`,
  };
}
