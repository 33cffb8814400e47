/**
 * What the sync engine says on its own: that Strava is connected, that a service stopped accepting
 * our key or token (and how to connect again), and the pages the athlete sees after Strava's
 * authorization screen. Never a key, a token or a code in any of them.
 */
import { SERVICE_NAMES, type SyncService } from '../../sync/types.js';
import type { Reply } from '../port.js';

/** The page after Strava's authorization screen (the bot's HTTP server shows it). */
export interface CallbackPage {
  status: number;
  title: string;
  message: string;
}

const RECONNECT: Record<SyncService, string> = {
  intervals: 'To connect again, send /connect intervals with a new API key (intervals.icu → Settings → Developer Settings).',
  strava: 'To connect again, send /connect strava.',
};

/** Strava is connected: the history is on its way, new rides come by themselves. */
export function stravaConnectedText(name: string | null, months: number, again: boolean): Reply {
  const who = name ? ` as ${name}` : '';
  if (again) return { text: `Strava connected again${who}. New rides come by themselves, as before.` };
  return {
    text:
      `Strava connected${who}. I am fetching the rides of your last ${months} ${months === 1 ? 'month' : 'months'}: ` +
      'the next message shows how far. From now on each new ride comes by itself, usually within a minute of reaching Strava, ' +
      'with how it went against your plan. What comes from Strava is shown only to you.',
  };
}

/** Strava's screen was confirmed without the permission to read activities. */
export function stravaScopeMissingText(): Reply {
  return {
    text:
      "Strava was not connected: reading your activities was not allowed on Strava's page. Send /connect strava again and " +
      'leave both boxes ticked ("View data about your activities" and "…your private activities") — I only read your rides.',
  };
}

/** The key or token was refused: the connection is gone, the rides stay. */
export function revokedText(service: SyncService): Reply {
  const name = SERVICE_NAMES[service];
  const what = service === 'intervals' ? 'refused your API key (it was changed or deleted)' : 'refused my access (it was revoked)';
  return { text: `${name} ${what}, so I disconnected ${name}. Your rides already here stay. ${RECONNECT[service]}` };
}

/** The athlete removed the bot's access on Strava's side. */
export function stravaDeauthorizedText(): Reply {
  return {
    text: `You removed my access on Strava, so I deleted your Strava connection and its tokens. Your rides already here stay. ${RECONNECT.strava}`,
  };
}

/** The backfill's progress message when the service's list of rides could not be read. */
export function backfillFailedText(service: string): Reply {
  return {
    text: `${service}: I could not read your list of past rides (the service kept failing), so the history was not fetched. New rides still come by themselves. To fetch the history, connect again later.`,
  };
}

export const CALLBACK_PAGES = {
  connected: { status: 200, title: 'Strava connected', message: 'Connected — you can close this page and go back to the chat.' },
  denied: {
    status: 200,
    title: 'Strava not connected',
    message: 'You did not allow access, so nothing was connected. To try again, send /connect strava in the chat.',
  },
  expired: {
    status: 400,
    title: 'Link expired',
    message: 'This link has expired: send /connect strava again in the chat for a new one (a link works once, for 10 minutes).',
  },
  scope: {
    status: 400,
    title: 'Strava not connected',
    message:
      'Reading your activities was not allowed, so nothing was connected. Send /connect strava again in the chat and leave both boxes about your activities ticked.',
  },
  taken: {
    status: 409,
    title: 'Strava not connected',
    message:
      'This Strava account is already connected to another history on this bot. Send /disconnect strava there first, then /connect strava here.',
  },
  failed: {
    status: 502,
    title: 'Strava not connected',
    message: 'Strava did not answer as expected, so nothing was connected. Send /connect strava again in the chat in a few minutes.',
  },
  unavailable: {
    status: 503,
    title: 'Strava not available',
    message: 'Strava cannot be connected on this bot at the moment. Ask its operator.',
  },
} as const satisfies Record<string, CallbackPage>;
