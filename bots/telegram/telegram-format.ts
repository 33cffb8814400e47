/**
 * How a platform-neutral `Reply` becomes Telegram messages: HTML (`parse_mode: 'HTML'`) with the
 * title in bold, text escaped, split on line boundaries into messages of at most 4,096
 * characters, and the buttons as an inline keyboard. Pure mapping, no grammY.
 */
import type { Button, Reply } from '../../src/conversation/port.js';

/** Telegram's limit for one message's text (after entity parsing). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit for a button's callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;

/** Escapes the three characters Telegram's HTML mode reserves (its docs: `&`, `<`, `>`). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The reply as one or more HTML message texts, each at most `limit` characters even before
 * Telegram strips the markup (so always within the limit). Lines stay whole unless one line alone
 * is too long; the title is bold at the top of the first message.
 */
export function replyToHtmlMessages(reply: Reply, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const lines: string[] = [];
  if (reply.title) {
    // A title is one short line; an absurd one is shortened rather than split across tags.
    const title = [...reply.title.replace(/\s*\n\s*/g, ' ')].slice(0, Math.floor(limit / 8)).join('');
    lines.push(`<b>${escapeHtml(title)}</b>`);
  }
  for (const line of reply.text.split('\n')) lines.push(...splitLongLine(line, limit));
  const messages: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = current.length === 0 ? line.length : length + 1 + line.length;
    if (added > limit && current.length > 0) {
      messages.push(current.join('\n'));
      current = [line];
      length = line.length;
    } else {
      current.push(line);
      length = added;
    }
  }
  if (current.length > 0) messages.push(current.join('\n'));
  // Telegram refuses blank messages: drop blank pieces (blank lines at a split), keep at least one.
  const nonBlank = messages.filter((m) => m.trim().length > 0);
  return nonBlank.length > 0 ? nonBlank : ['…'];
}

/** One line of plain text as escaped pieces of at most `limit` characters, never cutting an entity or a surrogate pair. */
function splitLongLine(line: string, limit: number): string[] {
  const escaped = escapeHtml(line);
  if (escaped.length <= limit) return [escaped];
  const pieces: string[] = [];
  let piece = '';
  for (const char of line) {
    const next = escapeHtml(char);
    if (piece.length + next.length > limit) {
      pieces.push(piece);
      piece = '';
    }
    piece += next;
  }
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}

export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** Reply buttons as an inline keyboard; the action travels as callback_data. */
export function inlineKeyboard(buttons: Button[][] | undefined): InlineKeyboard | undefined {
  const rows = (buttons ?? []).filter((row) => row.length > 0);
  if (rows.length === 0) return undefined;
  return {
    inline_keyboard: rows.map((row) =>
      row.map((button) => {
        // A longer action is a bug in the conversation, not user input: fail loudly.
        if (new TextEncoder().encode(button.action).length > CALLBACK_DATA_LIMIT)
          throw new Error(
            `button action "${button.action.slice(0, 20)}…" is longer than Telegram's ${CALLBACK_DATA_LIMIT} bytes of callback_data`,
          );
        return { text: button.label, callback_data: button.action };
      }),
    ),
  };
}

/** A `/command args` text (also `/command@BotName args`), or null for ordinary text. */
export function parseCommand(text: string): { name: string; botName: string | null; args: string } | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return null;
  return { name: match[1]!.toLowerCase(), botName: match[2] ?? null, args: (match[3] ?? '').trim() };
}
