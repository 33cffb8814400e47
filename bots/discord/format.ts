/**
 * The conversation's words and files in Discord's shapes: markdown-escaped text split under the
 * 2,000-character limit, buttons as action rows, and files packed into messages that stay within
 * the attachment size limit. Pure: no discord.js here, only Discord's JSON.
 */
import { zipSync } from 'fflate';
import type { Button, OutgoingFile, Reply } from '../../src/conversation/port.js';

/** Discord's limit on a message's text. */
export const MAX_CONTENT_LENGTH = 2000;
/** Discord's limits on attachments per message, buttons per row, rows per message. */
export const MAX_FILES_PER_MESSAGE = 10;
const MAX_BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;
const MAX_LABEL = 80;
const MAX_CUSTOM_ID = 100;

/** Bots may attach 10 MiB per message unless Discord says more (`attachment_size_limit`). */
export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export interface ButtonJson {
  type: 2;
  style: 1 | 2 | 4;
  label: string;
  custom_id: string;
}

export interface ActionRowJson {
  type: 1;
  components: ButtonJson[];
}

export interface EmbedJson {
  title?: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
}

export interface MessageJson {
  content: string;
  components: ActionRowJson[];
  embeds?: EmbedJson[];
}

/** Backslash-escapes what Discord would read as markdown, so the text shows as written. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~`|]/g, (c) => `\\${c}`)
    .replace(/^(\s*)(#{1,3}\s|>|-#\s)/gm, (_m, space: string, mark: string) => `${space}\\${mark}`)
    .replace(/\[([^\]\n]*)\]\(/g, '\\[$1\\](')
    .replace(/<(?=[@#:]|a:|t:)/g, '<\u200b');
}

/**
 * Splits text into pieces of at most `max` characters, at line breaks where possible and never
 * right after an escaping backslash.
 */
export function splitContent(text: string, max = MAX_CONTENT_LENGTH): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    // Do not separate a backslash from the character it escapes.
    let slashes = 0;
    while (cut - slashes - 1 >= 0 && rest[cut - slashes - 1] === '\\') slashes++;
    if (slashes % 2 === 1) cut -= 1;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.trim().length > 0) pieces.push(rest);
  return pieces.filter((p) => p.length > 0);
}

function buttonStyle(button: Button, index: number): 1 | 2 | 4 {
  if (/(^|:)confirm$|delete/i.test(button.action)) return 4;
  return index === 0 ? 1 : 2;
}

/** Reply buttons as action rows (at most five rows of five); `custom_id` is the action. */
export function buttonRows(buttons: Button[][] | undefined): ActionRowJson[] {
  const rows: ActionRowJson[] = [];
  for (const row of buttons ?? []) {
    for (let i = 0; i < row.length; i += MAX_BUTTONS_PER_ROW) {
      const chunk = row.slice(i, i + MAX_BUTTONS_PER_ROW);
      if (chunk.length === 0) continue;
      rows.push({
        type: 1,
        components: chunk.map((b, j) => ({
          type: 2,
          style: buttonStyle(b, i + j),
          label: b.label.slice(0, MAX_LABEL),
          custom_id: b.action.slice(0, MAX_CUSTOM_ID),
        })),
      });
    }
  }
  return rows.slice(0, MAX_ROWS);
}

/** A reply as one or more Discord messages: bold title, escaped text, buttons on the last one. */
export function renderReply(reply: Reply): MessageJson[] {
  const body = escapeMarkdown(reply.text);
  const title = reply.title ? `**${escapeMarkdown(reply.title)}**` : '';
  const text = title && body ? `${title}\n${body}` : title || body || '\u200b';
  const pieces = splitContent(text);
  const rows = buttonRows(reply.buttons);
  // Key numbers as an embed on the first message (Discord allows 25 fields of ≤ 1,024 characters).
  const embeds: EmbedJson[] | undefined =
    reply.fields && reply.fields.length > 0
      ? [
          {
            color: 0x2f6fd6,
            fields: reply.fields
              .slice(0, 25)
              .map((f) => ({ name: f.name.slice(0, 256), value: (f.value || '–').slice(0, 1024), inline: true })),
          },
        ]
      : undefined;
  return pieces.map((content, i) => ({
    content,
    components: i === pieces.length - 1 ? rows : [],
    ...(i === 0 && embeds ? { embeds } : {}),
  }));
}

/** A caption or notice as message text. */
export function renderText(text: string): string[] {
  return splitContent(escapeMarkdown(text));
}

export interface PackedFiles {
  /** Messages to send, each within the size and count limits. */
  batches: OutgoingFile[][];
  /** What the athlete should be told about files that were compressed or left out. */
  notes: string[];
}

const formatMb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Packs files into as few messages as the limits allow, in order. A file too big on its own is
 * sent as a .zip when that fits, and otherwise left out with a note that says so.
 */
export function packFiles(files: readonly OutgoingFile[], limitBytes: number): PackedFiles {
  const notes: string[] = [];
  const ready: OutgoingFile[] = [];
  for (const file of files) {
    if (file.content.length <= limitBytes) {
      ready.push(file);
      continue;
    }
    const zipped = zipOne(file.fileName, file.content);
    if (zipped.length <= limitBytes) {
      ready.push({ fileName: `${file.fileName}.zip`, contentType: 'application/zip', content: zipped, kind: 'document' });
      notes.push(
        `${file.fileName} is ${formatMb(file.content.length)}, more than the ${formatMb(limitBytes)} Discord lets me attach here, so it comes zipped (${formatMb(zipped.length)}).`,
      );
    } else {
      notes.push(
        `${file.fileName} is ${formatMb(file.content.length)} and even zipped more than the ${formatMb(limitBytes)} Discord lets me attach here, so I could not send it. The reports are also in your /export.`,
      );
    }
  }
  const batches: OutgoingFile[][] = [];
  let current: OutgoingFile[] = [];
  let size = 0;
  for (const file of ready) {
    if (current.length > 0 && (size + file.content.length > limitBytes || current.length >= MAX_FILES_PER_MESSAGE)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(file);
    size += file.content.length;
  }
  if (current.length > 0) batches.push(current);
  return { batches, notes };
}

/** A .zip holding one deflated file (the format every system opens with a double-click). */
export function zipOne(fileName: string, content: Uint8Array): Uint8Array {
  return zipSync({ [fileName]: [content, { level: 9, mtime: new Date(1980, 0, 1) }] });
}
