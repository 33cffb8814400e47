/**
 * The words of /link: the code handed out, why a code does not work, and the news of a link, here
 * and on the chat that handed out the code.
 */
import type { Reply } from '../port.js';

export function linkCodeText(code: string, minutes: number): Reply {
  return {
    title: 'Link your other chat app',
    text: `To use this history on your other chat app (Telegram or Discord), send this there within ${minutes} minutes:\n\n/link ${code.slice(0, 3)}-${code.slice(3)}\n\nIt works once. Do not share it: it gives access to your rides.`,
  };
}

export function tooManyTriesText(perHour: number): Reply {
  return { text: `Too many wrong codes: try again in an hour (${perHour} tries an hour).` };
}

export const UNKNOWN_CODE: Reply = {
  text: 'That code is unknown or has expired. Send /link on your other chat app for a new one, and enter it here within 10 minutes.',
};

export const ALREADY_LINKED: Reply = { text: 'This chat already shares that history: nothing to link.' };

export function ownHistoryText(activities: number): Reply {
  return {
    text: `This chat already holds its own history (${activities} activities). To use the other one here, /export what you want to keep and /forget it here first — or link the other way round: /link here, and the code on the other app.`,
  };
}

export function linkedText(displayName: string, activities: number, ftp: number | null | undefined): Reply {
  return {
    text: `Linked: this chat now shares the history of ${displayName} — ${activities} activities${ftp ? `, FTP ${ftp} W` : ''}. Everything you send here or there goes to the same place.`,
  };
}

/** The chat app an identity key belongs to, as the athlete calls it. */
const appName = (identityKey: string) =>
  identityKey.startsWith('telegram:') ? 'Telegram' : identityKey.startsWith('discord:') ? 'Discord' : 'other chat';

/** To the chat that handed out the code, about the chat (`identityKey`) that used it. */
export function linkUsedText(identityKey: string): Reply {
  return {
    text: `Your ${appName(identityKey)} account was linked to this history with the code from here: rides and profile changes sent there count here too, and the other way round.`,
  };
}
