/**
 * The words every chat hears whatever it is doing: the help, the private-chat rule, what the bot
 * reads, small talk, and what it says to commands, buttons and text it does not know.
 */
import type { Reply } from '../port.js';

export const HELP: Reply = {
  title: 'domestique — your cycling coach',
  text: [
    'Send me your rides: .fit or .fit.gz files from your bike computer, a .zip of them, or your Strava export (the zip, or activities.csv inside it). Several at once is fine.',
    'Or let them come by themselves: /connect intervals or /connect strava.',
    '',
    '/start — set up your profile (FTP, weight, heart rate, days, hours, goal)',
    '/profile — show it; change a value by writing it, e.g. "ftp 270" or "I can ride Tue Thu Sat, 8h"',
    '/analyze — analyse your last 6 months and plan the next weeks (reports as HTML files)',
    '/report — the latest reports again',
    "/plan — this week's workouts with what is done (/plan next, /plan week 3, /plan history), with Zwift, head-unit (.fit) and calendar files",
    '/event — your events: /event add 2027-06-14 A Marmotte, /event list, /event remove',
    '/status — what is stored and what is running',
    '/activities — your latest rides with their ids; /delete <id> removes one',
    '/checkin — a weekly check-in on your plan (on/off, day like sunday, time like 19:30)',
    '/reminders — a monthly nudge to send new rides (on/off, day, time like 19:00 or 7pm)',
    '/export — everything I hold about you, as a file',
    '/forget — delete everything I hold about you',
    '/link — use one history on Telegram and Discord (a code to enter on the other app)',
    '/connect — intervals.icu or Strava: new rides arrive by themselves, your plan goes to your intervals.icu calendar; /connections shows them, /disconnect lets go of one',
    '',
    'Or just write to me: "how fit am I?", "how many km did I ride this year?", "should I skip today\'s workout?", "ftp 270", "time zone Paris" — or "analyze" without the slash.',
  ].join('\n'),
};

export const PRIVATE_ONLY: Reply = {
  text: 'For your privacy I only handle training data in a private chat. Message me directly and send your rides there.',
};

/** What the bot reads, for a message it cannot (a photo, a sticker, a voice note). */
const WHAT_I_READ =
  'I read rides from files: .fit or .fit.gz files from your bike computer, a .zip of them, or your Strava export (the .zip, or the activities.csv inside it). Send them as files (on Telegram: 📎 → File, not as a photo).';

export function unreadableText(what: string): Reply {
  return { text: `That is ${what}: there is no ride in it that I can read. ${WHAT_I_READ}` };
}

export function unknownCommandText(name: string): Reply {
  return { text: `I don't know /${name}. ${HELP.text.split('\n')[0]}\nSee /help for what I can do.` };
}

export const BUTTON_EXPIRED: Reply = { text: 'That button has expired. See /help.' };

export const NOT_UNDERSTOOD: Reply = {
  text: 'I didn\'t understand that. Send me rides (.fit, .zip or Strava\'s activities.csv), change your profile by writing e.g. "ftp 270", or see /help.',
};

export const YOU_ARE_WELCOME: Reply = { text: "You're welcome — ride well! Send me new rides whenever you have them." };

/** "hi": the way in for someone new, what to ask for someone known. */
export function greetingText(name: string, fresh: boolean): Reply {
  return {
    text: fresh
      ? `Hi ${name}! I'm domestique, your cycling coach. /start sets up your profile in a minute; then send me your rides (.fit files or your Strava export).`
      : `Hi ${name}! Send me new rides, or ask me something — e.g. "how fit am I?", "how many km did I ride this year?" or "should I skip today's workout?". /help lists everything.`,
  };
}
