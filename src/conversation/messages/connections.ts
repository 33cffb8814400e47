/**
 * The words of /connect, /connections and /disconnect: which service, what to send, what
 * connecting did, what is connected and since when, and what the operator has to set up when a
 * service cannot be connected on this bot.
 */
import { DateTime } from 'luxon';
import { addDays, longDate, zonedDate } from '../../domain/calendar.js';
import { SERVICE_NAMES, type SyncService } from '../../sync/types.js';
import type { ConnectFailure, ConnectionStatus, Unavailable } from '../sync/sync-control.js';
import { buttonRow, type Reply } from '../port.js';
import { count } from './format.js';

const FILES_MEANWHILE = 'Meanwhile, send me your rides as files (.fit, a .zip of them, or your Strava export): that always works.';

export const WHICH_SERVICE: Reply = {
  title: 'Connect a service',
  text: 'Which one? intervals.icu relays Garmin, Wahoo, COROS, Polar and Suunto with the original files, and takes your plan to your head unit; Strava brings the rides you record there. New rides then come by themselves, without uploads.',
  buttons: buttonRow(['intervals.icu', 'connect:intervals'], ['Strava', 'connect:strava']),
};

export const WHICH_TO_DISCONNECT: Reply = {
  text: 'Which service should I disconnect?',
  buttons: buttonRow(['intervals.icu', 'disconnect:intervals'], ['Strava', 'disconnect:strava']),
};

export const SYNC_NOT_SET_UP: Reply = {
  text: `Syncing isn't set up on this bot: whoever runs it has to set SECRETS_KEY (for Strava also STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET and PUBLIC_URL), as its README says. ${FILES_MEANWHILE}`,
};

/** Why this service cannot be connected here: the operator's part, said with what to do meanwhile. */
export function unavailableText(service: SyncService, reason: Unavailable): Reply {
  const name = SERVICE_NAMES[service];
  const why =
    reason === 'no-secrets-key'
      ? `I keep API keys and tokens only encrypted, and this bot has no key to encrypt them with: whoever runs it has to set SECRETS_KEY.`
      : `Strava isn't set up on this bot: whoever runs it has to register it with Strava and set STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET and PUBLIC_URL.`;
  return { text: `I can't connect ${name} here yet. ${why} ${FILES_MEANWHILE}` };
}

const CREDENTIALS_EXAMPLE = 'i123456 1a2b3c… (intervals.icu → Settings → Developer Settings)';

/**
 * /connect intervals alone: what to send. `receivesText` false (a Discord server channel): the
 * command's options instead, since written messages never reach the bot there.
 */
export function askCredentialsText(
  months: number,
  where: { receivesText: boolean; deletesMessages: boolean },
  connected: ConnectionStatus | null,
): Reply {
  const replacing = connected ? `You are connected as athlete ${connected.externalAthleteId}: new ones replace that. ` : '';
  if (!where.receivesText)
    return {
      text: `${replacing}Give your intervals.icu athlete id and API key as the command's options: /connect service: intervals.icu athlete_id: i123456 api_key: … (only you see them here). Both are on intervals.icu → Settings → Developer Settings.`,
    };
  return {
    title: 'Connect intervals.icu',
    text: [
      `${replacing}Send me your intervals.icu athlete id and API key in one message, like this: ${CREDENTIALS_EXAMPLE}.`,
      where.deletesMessages
        ? "I delete that message as soon as I've read it, and keep the key only encrypted."
        : "I can't delete messages here: delete yours once I've answered — or give them as the /connect command's athlete_id and api_key options, which no message shows. I keep the key only encrypted.",
      `Then I fetch your rides of the last ${months} months. (/connect intervals i123456 <key> months 24 does it in one go.)`,
    ].join('\n'),
  };
}

/** What to add about the message that held the key. */
export type KeyMessage = 'deleted' | 'delete-failed' | 'not-deletable' | 'none';

function keyMessageNote(key: KeyMessage): string {
  if (key === 'delete-failed') return "\nI couldn't delete your message with the key: please delete it yourself.";
  if (key === 'not-deletable') return "\nI can't delete messages here: please delete your message with the key yourself.";
  return '';
}

/** What was wrong with what the athlete sent as /connect's arguments or as the awaited credentials. */
export type CredentialsProblem = 'missing' | 'athlete-id' | 'api-key' | 'months';

export function badCredentialsText(problem: CredentialsProblem, key: KeyMessage = 'none'): Reply {
  return { text: `${credentialsProblemText(problem)}${keyMessageNote(key)}` };
}

function credentialsProblemText(problem: CredentialsProblem): string {
  switch (problem) {
    case 'missing':
      return `I need your intervals.icu athlete id and API key in one message, like this: ${CREDENTIALS_EXAMPLE}. The athlete id starts with i; the API key is a long string of letters and digits.`;
    case 'athlete-id':
      return "That athlete id doesn't look right: it is an i and digits, like i123456 (intervals.icu → Settings → Developer Settings). Send the athlete id and the API key again, in one message.";
    case 'api-key':
      return "That API key doesn't look right: it is a long string of letters and digits (intervals.icu → Settings → Developer Settings → API key). Copy it again and send it with your athlete id, in one message.";
    case 'months':
      return 'How many months to fetch: 1 to 120, e.g. /connect intervals months 24.';
  }
}

/** A command or something else arrived while the key was awaited: the wait ends. */
export const WAIT_ENDED: Reply = {
  text: "I've stopped waiting for your intervals.icu key: /connect intervals when you have it at hand.",
};

/** Connected: what happens now (the backfill, new rides, the calendar). */
export function intervalsConnectedText(status: ConnectionStatus, months: number, key: KeyMessage): Reply {
  const calendar = status.pushCalendar
    ? "your plan's workouts go to your intervals.icu calendar (/connect intervals push off to stop that)"
    : 'your intervals.icu calendar is left as it is (/connect intervals push on sends your plan there)';
  return {
    text: `Connected to intervals.icu (athlete ${status.externalAthleteId}). Fetching your rides of the last ${months} months — progress follows here. New rides come by themselves; ${calendar}.${keyMessageNote(key)}`,
  };
}

/** Connecting failed: the athlete's part (the key), or the service's. */
export function connectFailedText(failure: ConnectFailure, key: KeyMessage): Reply {
  const text =
    failure === 'bad-key'
      ? 'intervals.icu refused that athlete id and API key. Check the athlete id (like i123456) and copy the API key again from intervals.icu → Settings → Developer Settings, then send both in one message.'
      : failure === 'unreachable'
        ? "I couldn't reach intervals.icu just now: nothing was stored. Try again in a few minutes (/connect intervals)."
        : 'intervals.icu asks me to slow down just now: nothing was stored. Try again in a few minutes (/connect intervals).';
  return { text: `${text}${keyMessageNote(key)}` };
}

/** /connect intervals push on|off: what happens to the calendar now. */
export function calendarPushText(on: boolean): Reply {
  return {
    text: on
      ? 'Your plan goes to your intervals.icu calendar: now, and again whenever it changes (intervals.icu sends it on to Garmin or Wahoo). /connect intervals push off stops that.'
      : 'Your intervals.icu calendar is left untouched from now on: the workouts already there stay. /connect intervals push on sends your plan again.',
  };
}

export function notConnectedText(service: SyncService): Reply {
  return { text: `${SERVICE_NAMES[service]} isn't connected: /connect ${service} connects it.` };
}

/** /connect strava: the authorization link. */
export function stravaLinkText(url: string, connected: ConnectionStatus | null): Reply {
  const again = connected ? `You are connected to Strava (athlete ${connected.externalAthleteId}); authorizing again renews that. ` : '';
  return {
    title: 'Connect Strava',
    text: `${again}Open this link and press Authorize (it works for 10 minutes): ${url}\nStrava data is shown only to you, here.`,
  };
}

/** "today 14:05", "yesterday 14:05", "3 Mar 2026, 14:05" in the athlete's zone. */
export function whenText(at: Date, now: Date, timeZone: string): string {
  const shown = DateTime.fromJSDate(at, { zone: timeZone });
  const time = (shown.isValid ? shown : DateTime.fromJSDate(at, { zone: 'UTC' })).toFormat('HH:mm');
  const day = zonedDate(at, timeZone);
  const today = zonedDate(now, timeZone);
  if (day === today) return `today ${time}`;
  if (day === addDays(today, -1)) return `yesterday ${time}`;
  return `${longDate(day)}, ${time}`;
}

/** One connected service, as /connections lists it. */
function connectionLines(c: ConnectionStatus, now: Date, timeZone: string): string[] {
  const name = SERVICE_NAMES[c.service];
  const synced = c.lastSyncAt ? whenText(c.lastSyncAt, now, timeZone) : 'never';
  const parts = [
    `connected since ${longDate(zonedDate(c.connectedAt, timeZone))} (athlete ${c.externalAthleteId})`,
    `last synced ${synced}`,
    `${count(c.rides)} ${c.rides === 1 ? 'ride' : 'rides'} from it`,
  ];
  if (c.service === 'intervals') parts.push(`your plan goes to its calendar: ${c.pushCalendar ? 'on' : 'off'}`);
  const lines = [`${name}: ${parts.join(' · ')}.`];
  if (c.backfill) {
    const { done, total } = c.backfill;
    lines.push(
      total === null
        ? `  Fetching your past rides: looking for them, ${count(done)} so far.`
        : `  Fetching your past rides: ${count(done)} of ${count(total)} so far.`,
    );
  }
  return lines;
}

/** /connections: each service, connected or how to connect it (or why it can't be here). */
export function connectionsText(
  connected: readonly ConnectionStatus[],
  unavailable: (service: SyncService) => Unavailable | null,
  now: Date,
  timeZone: string,
): Reply {
  const lines: string[] = [];
  for (const service of Object.keys(SERVICE_NAMES) as SyncService[]) {
    const status = connected.find((c) => c.service === service);
    if (status) lines.push(...connectionLines(status, now, timeZone));
    else if (unavailable(service)) lines.push(`${SERVICE_NAMES[service]}: not available on this bot (its operator hasn't set it up).`);
    else lines.push(`${SERVICE_NAMES[service]}: not connected — /connect ${service}`);
  }
  if (connected.length > 0) lines.push('', '/disconnect intervals or /disconnect strava lets go of one; the rides already here stay.');
  return { title: 'Your connections', text: lines.join('\n') };
}

/** /disconnect: done (the tokens deleted, Strava told) or there was nothing to do. */
export function disconnectedText(service: SyncService, wasConnected: boolean): Reply {
  const name = SERVICE_NAMES[service];
  if (!wasConnected) return { text: `${name} wasn't connected: nothing to do. /connections shows what is.` };
  const told = service === 'strava' ? 'your tokens are deleted and Strava was told' : 'your API key is deleted';
  return {
    text: `Disconnected from ${name}: ${told}. The rides already here stay (/activities). /connect ${service} connects it again.`,
  };
}
