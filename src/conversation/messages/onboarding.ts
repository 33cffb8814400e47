/**
 * The words of the onboarding dialogue around its questions: the welcome, the review of a finished
 * profile, the acknowledgement of each answer, the end, and the move to a direct message.
 */
import { buttonRow, type Reply } from '../port.js';
import type { ProfileField } from '../profile-text.js';

export function welcomeText(name: string, firstQuestion: string | null): Reply {
  return {
    title: `Hello ${name}! I'm domestique, your cycling coach.`,
    text: [
      'Send me your rides — .fit files from your bike computer, or your Strava export zip — and I will analyse them, plan your next weeks and send you reports.',
      'First, a few questions for your profile (you can change any of it later by just writing it, e.g. "ftp 270"; ask me why I need something, any time).',
      '',
      firstQuestion ?? 'Your profile is complete. Send me your rides!',
    ].join('\n'),
  };
}

/** `/start` on a finished profile: show it, say how to change a value, offer to go through the questions again. */
export function reviewOfferText(name: string, profile: string): Reply {
  return {
    title: `Welcome back, ${name}! Here is your profile:`,
    text: [
      profile,
      '',
      'To change something, just write it — e.g. "ftp 270", "weight 69 kg", "I ride Tue Thu Sat", "goal: Etape on July 19 2027", "time zone London" or "imperial units". Or go through the questions again, each with its current value.',
    ].join('\n'),
    buttons: buttonRow(['Looks good', 'onboarding:done'], ['Go through the questions', 'onboarding:review']),
  };
}

export function reviewStartText(firstQuestion: string | null): Reply {
  return { text: `Let's go through it. Write a new value, or "keep" for one that stays.\n\n${firstQuestion ?? ''}`.trim() };
}

export const PROFILE_LOOKS_GOOD: Reply = {
  text: "Good. Send me new rides whenever you have them — then /analyze, or /plan for this week's workouts.",
};

/** Something said in the middle of the questions, then the pending question again. */
export function thenAsk(text: string, question: string): Reply {
  return { text: `${text}\n\n${question}` };
}

/** Small talk in the middle of the questions: "thanks", "hi" (help has its own answer). */
export function smallTalkLead(kind: 'thanks' | 'greeting', name: string): string {
  return kind === 'thanks' ? "You're welcome!" : `Hi ${name}!`;
}

export function backToProfileText(question: string): Reply {
  return { text: `Back to your profile: ${question}` };
}

export function notAnAnswerText(errors: readonly string[], question: string): Reply {
  return { text: errors.length > 0 ? `${errors.join('\n')}\n\n${question}` : `Sorry, I didn't get that.\n${question}` };
}

/** What the answer to a step did: the values taken, or kept (in a review), or skipped. */
export function ackText(said: readonly string[], reviewing: boolean, field: ProfileField): string {
  if (said.length > 0) return `Got it: ${said.join(', ')}.`;
  if (reviewing) return 'Kept.';
  return field === 'ftp' ? 'No problem: I will estimate your FTP from your rides.' : 'Skipped.';
}

export function profileSetText(ack: string, profile: string): Reply {
  return {
    text: `${ack}\n\nYour profile is set:\n${profile}\n\nNow send me your rides: .fit files, or your Strava export (the zip, or activities.csv).`,
  };
}

export const REMINDER_OFFER: Reply = {
  text: 'Shall I remind you once a month (the 1st at 09:00 your time) to send new rides, with a look back at the month? You can change this any time with /reminders.',
  buttons: buttonRow(['Yes, remind me monthly', 'reminders:on'], ['No reminders', 'reminders:off']),
};

export const MOVED_TO_DM: Reply = {
  text: "Setting up your profile is a short conversation, and I only read your answers in our direct messages. I have sent you the first question there: let's continue in DMs.",
};

export const CANNOT_DM: Reply = {
  text: "Setting up your profile is a short conversation, and I only read your answers in direct messages — but I could not message you. Open a direct message with me (click my name, then Message) or allow direct messages from this server's members, and send /start there.",
};
