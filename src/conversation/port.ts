/**
 * The chat port: what the conversation needs from a chat platform. Each bot adapter implements
 * `ChatThread` for one chat and turns platform updates into `Incoming` events; everything else —
 * commands, validation, replies, errors — lives once, in src/conversation.
 */

/** A button under a message; `action` comes back as an `action` event when pressed. */
export interface Button {
  label: string;
  action: string;
}

/** One row of buttons, each [label, action]: the answers to a question ("Yes, …" / "No, …"). */
export function buttonRow(...buttons: [label: string, action: string][]): Button[][] {
  return [buttons.map(([label, action]) => ({ label, action }))];
}

/**
 * A message. `text` is plain text (adapters escape it for their platform); `title` is shown
 * bold above it. Adapters split text that is too long for one message.
 */
export interface Reply {
  title?: string;
  text: string;
  buttons?: Button[][];
  /**
   * Key numbers, name → value with unit. Platforms that have cards (Discord's embeds) show them as
   * one; `text` already says the same in words, so others may ignore this.
   */
  fields?: { name: string; value: string }[];
}

export interface MessageRef {
  id: string;
}

export interface OutgoingFile {
  fileName: string;
  contentType: string;
  content: Uint8Array;
  /** `photo` is shown inline (the dashboard picture); `document` is a file to keep. */
  kind: 'photo' | 'document';
}

/** One chat (a private chat, a DM, a group channel) as the conversation sees it. */
export interface ChatThread {
  /** `telegram:<user id>` / `discord:<user id>`: who is talking. */
  readonly athleteKey: string;
  /** How the person is called on the platform (first name, display name). */
  readonly displayName: string;
  /** Personal data is only handled in private chats. */
  readonly isPrivate: boolean;
  /** The largest attachment the bot can download on this platform, bytes. */
  readonly maxDownloadBytes: number;
  /**
   * The largest file the bot can send in one message here, bytes (Discord: the interaction's
   * `attachment_size_limit`, 10 MiB for most; Telegram: 50 MB). Absent: no limit that matters.
   * An export bigger than this is sent in parts that each fit.
   */
  readonly maxAttachmentBytes?: number;
  /**
   * False where the athlete's written answers never reach the bot (a Discord server channel: only
   * slash commands arrive there), so a dialogue has to move to a direct message. Default true.
   */
  readonly receivesText?: boolean;
  /**
   * True where the bot deletes the athlete's message that held an API key once read (Telegram: the
   * event's `deleteMessage`); elsewhere the athlete is asked to delete it. Default false.
   */
  readonly deletesMessages?: boolean;
  post(reply: Reply): Promise<MessageRef>;
  edit(ref: MessageRef, reply: Reply): Promise<void>;
  sendFiles(files: OutgoingFile[], caption?: string): Promise<void>;
  /**
   * Shows that the bot is busy (Telegram's "typing…"), for a few seconds or until the next
   * message; the conversation repeats it during long work. Optional: platforms without it skip it.
   */
  showActivity?(activity: ChatActivity): Promise<void>;
}

/**
 * The chat directory: how the app reaches an athlete without an incoming message (reminders, "your
 * run was interrupted", a `/link` code used on another platform). Each running bot is one; the
 * app joins them (`ChatDirectories`).
 */
export interface ChatDirectory {
  /** A thread for the chat identity (`telegram:<id>`, `discord:<id>`), or null when that platform is not running here. */
  open(identityKey: string): ChatThread | null;
}

/** What the bot is busy with: reading what was sent, or preparing files to send. */
export type ChatActivity = 'reading' | 'sending-files';

export interface IncomingAttachment {
  fileName: string;
  sizeBytes: number;
  download(): Promise<Uint8Array>;
}

/**
 * Deletes the athlete's message this event came from (Telegram: the message holding an API key,
 * once read). Rejects when the platform refused; absent where a bot cannot delete it.
 */
export type DeleteMessage = () => Promise<void>;

export type Incoming =
  | { kind: 'command'; name: string; args: string; deleteMessage?: DeleteMessage }
  | { kind: 'text'; text: string; deleteMessage?: DeleteMessage }
  | { kind: 'files'; attachments: IncomingAttachment[]; caption?: string }
  /** A message with nothing the bot reads (a photo, a sticker, a voice note); `what` names it, e.g. "a photo". */
  | { kind: 'unreadable'; what: string }
  | { kind: 'action'; action: string };

/** The commands every platform registers (Telegram's setMyCommands, Discord's slash commands), with their descriptions. */
export const COMMAND_DESCRIPTIONS = {
  start: 'Set up your profile',
  profile: 'Show or change your profile (e.g. /profile ftp 270)',
  analyze: 'Analyse your rides and plan the next weeks',
  report: 'Send the latest reports again',
  plan: "This week's workouts and what is done (/plan next, /plan week 3, /plan history)",
  event: 'Your events: /event add 2027-06-14 A Marmotte, /event list, /event remove',
  status: 'What is stored and what is running',
  activities: 'Your latest rides with their ids (/activities 30 for more)',
  delete: 'Delete one ride: /delete <id> (the id from /activities)',
  reminders: 'Monthly reminders: /reminders on|off, day 1–28|last, time 09:00',
  checkin: 'Weekly check-in on your plan: /checkin on|off, day sunday, time 19:30',
  export: 'Everything held about you, as a file',
  forget: 'Delete everything held about you',
  link: 'One history on Telegram and Discord: /link here, then /link <code> there',
  connect: 'Connect intervals.icu or Strava: /connect intervals, /connect strava',
  connections: 'What is connected (intervals.icu, Strava) and when it last synced',
  disconnect: 'Disconnect a service: /disconnect intervals, /disconnect strava',
  help: 'What to send and what I can do',
} as const;

/** COMMAND_DESCRIPTIONS as a list, in that order. */
export const COMMANDS: readonly { name: string; description: string }[] = Object.entries(COMMAND_DESCRIPTIONS).map(
  ([name, description]) => ({ name, description }),
);

/** A failure to deliver: `permanent` when the athlete blocked the bot or cannot be messaged. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly permanent: boolean,
    message: string,
  ) {
    super(message);
  }
}
