/**
 * The conversation's ChatThread on Discord. A thread writes through a sink: an interaction (the
 * deferred reply, then follow-ups; ephemeral in servers) or a DM channel. When an interaction's
 * token has run out (15 minutes on Discord) the interaction sink carries on by DM, so a long
 * analysis still arrives.
 */
import {
  DiscordAPIError,
  MessageFlags,
  type ChatInputCommandInteraction,
  type ButtonInteraction,
  type DMChannel,
  type Message,
  type MessageCreateOptions,
  type PartialDMChannel,
  type User,
} from 'discord.js';
import type { ChatThread, MessageRef, OutgoingFile, Reply } from '../../src/conversation/port.js';
import { DeliveryError } from '../../src/conversation/port.js';
import type { Logger } from '../../src/logger.js';
import { DEFAULT_ATTACHMENT_LIMIT, packFiles, renderReply, renderText, type MessageJson } from './format.js';

/** One message's worth of what the bot sends. */
export interface Outgoing {
  content: string;
  components?: MessageJson['components'];
  embeds?: MessageJson['embeds'];
  files?: OutgoingFile[];
}

/** Where a thread's messages go. */
export interface Sink {
  /** The largest total of attachments one message may carry, bytes. */
  readonly attachmentLimit: number;
  send(message: Outgoing): Promise<string>;
  /** Edits a message this sink sent; false when it can no longer be edited. */
  edit(id: string, message: Outgoing): Promise<boolean>;
}

const toDiscord = (m: Outgoing) => ({
  content: m.content,
  ...(m.components ? { components: m.components } : {}),
  ...(m.embeds ? { embeds: m.embeds } : {}),
  ...(m.files
    ? {
        files: m.files.map((f) => ({
          attachment: Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength),
          name: f.fileName,
        })),
      }
    : {}),
  allowedMentions: { parse: [] },
});

/** Discord's answers when a user cannot be messaged (DMs closed or no shared server; unknown user). */
function unreachable(error: unknown): boolean {
  return error instanceof DiscordAPIError && (error.code === 50007 || error.code === 10013);
}

/** A DM channel (or any text channel the bot may write to). */
export class ChannelSink implements Sink {
  readonly attachmentLimit = DEFAULT_ATTACHMENT_LIMIT;
  constructor(private readonly channel: () => Promise<DMChannel | PartialDMChannel>) {}

  async send(message: Outgoing): Promise<string> {
    try {
      const channel = await this.channel();
      const sent: Message = await channel.send(toDiscord(message) as MessageCreateOptions);
      return sent.id;
    } catch (error) {
      // A permanent failure tells the reminder ticker to stop trying this athlete.
      if (unreachable(error))
        throw new DeliveryError(true, 'Discord does not let the bot message this user (DMs closed, or no server in common).');
      throw error;
    }
  }

  async edit(id: string, message: Outgoing): Promise<boolean> {
    const channel = await this.channel();
    await channel.messages.edit(id, { content: message.content, components: message.components ?? [], allowedMentions: { parse: [] } });
    return true;
  }
}

/** Discord's answers when an interaction's webhook token is no longer valid. */
function tokenGone(error: unknown): boolean {
  return error instanceof DiscordAPIError && (error.code === 50027 || error.code === 10015 || error.status === 401);
}

export interface InteractionSinkOptions {
  ephemeral: boolean;
  /** When the interaction token stops being usable (ms since epoch). */
  expiresAt: number;
  /** Where the rest goes once the token has run out. */
  fallback: Sink;
  /** Said once, by DM, before the first message that goes there instead of to the interaction. */
  fallbackNotice: string;
  logger?: Logger | undefined;
  athleteKey: string;
  now?: () => number;
}

/**
 * A deferred interaction: the first message fills the deferred reply, later ones are follow-ups
 * (flagged ephemeral in servers); past the token's lifetime, everything goes to the fallback.
 */
export class InteractionSink implements Sink {
  private originalUsed = false;
  private expired = false;
  private noticeSent = false;
  private readonly fallbackIds = new Set<string>();

  constructor(
    private readonly interaction: ChatInputCommandInteraction | ButtonInteraction,
    private readonly options: InteractionSinkOptions,
  ) {}

  get attachmentLimit(): number {
    return this.isExpired() ? this.options.fallback.attachmentLimit : this.interaction.attachmentSizeLimit || DEFAULT_ATTACHMENT_LIMIT;
  }

  private isExpired(): boolean {
    if (!this.expired && (this.options.now ?? Date.now)() >= this.options.expiresAt) this.expired = true;
    return this.expired;
  }

  private async viaFallback(message: Outgoing): Promise<string> {
    if (!this.noticeSent) {
      this.noticeSent = true;
      await this.options.fallback.send({ content: renderText(this.options.fallbackNotice)[0]! });
    }
    const id = await this.options.fallback.send(message);
    this.fallbackIds.add(id);
    return id;
  }

  async send(message: Outgoing): Promise<string> {
    if (this.isExpired()) return this.viaFallback(message);
    const payload = toDiscord(message);
    try {
      if (!this.originalUsed) {
        this.originalUsed = true;
        return (await this.interaction.editReply(payload)).id;
      }
      return (await this.interaction.followUp({ ...payload, ...(this.options.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) })).id;
    } catch (error) {
      if (!tokenGone(error)) throw error;
      this.expired = true;
      this.options.logger?.info({ athleteKey: this.options.athleteKey }, 'interaction token expired: replying by DM');
      return this.viaFallback(message);
    }
  }

  async edit(id: string, message: Outgoing): Promise<boolean> {
    if (this.fallbackIds.has(id)) return this.options.fallback.edit(id, message);
    // A reply of an expired interaction can no longer be edited; the next post goes by DM.
    if (this.isExpired()) return false;
    try {
      await this.interaction.editReply({
        message: id,
        content: message.content,
        components: message.components ?? [],
        allowedMentions: { parse: [] },
      });
      return true;
    } catch (error) {
      if (!tokenGone(error)) throw error;
      this.expired = true;
      return false;
    }
  }
}

/** Who is talking, as the conversation names them. */
export function identity(user: User): { athleteKey: string; displayName: string } {
  return { athleteKey: `discord:${user.id}`, displayName: user.globalName ?? user.username };
}

/**
 * The ChatThread: replies rendered for Discord and written through a sink, one at a time in
 * order. A reply longer than one message is several messages; its ref edits all of them.
 */
export class DiscordThread implements ChatThread {
  readonly isPrivate = true;
  /** In a server only slash commands reach the bot (replies there are ephemeral); written answers need a DM. */
  readonly receivesText: boolean;
  private readonly parts = new Map<string, string[]>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly athleteKey: string,
    readonly displayName: string,
    readonly maxDownloadBytes: number,
    private readonly sink: Sink,
    options: { inServer?: boolean } = {},
  ) {
    this.receivesText = options.inServer !== true;
  }

  /** What one message may attach now (the interaction's limit, or the DM's once its token ran out). */
  get maxAttachmentBytes(): number {
    return this.sink.attachmentLimit;
  }

  /** Runs sink operations one after another, so that messages keep their order. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  post(reply: Reply): Promise<MessageRef> {
    return this.serial(async () => {
      const ids: string[] = [];
      for (const message of renderReply(reply)) ids.push(await this.sink.send(message));
      this.parts.set(ids[0]!, ids);
      return { id: ids[0]! };
    });
  }

  edit(ref: MessageRef, reply: Reply): Promise<void> {
    return this.serial(async () => {
      const ids = this.parts.get(ref.id) ?? [ref.id];
      const messages = renderReply(reply);
      for (let i = 0; i < messages.length; i++) {
        const id = ids[i];
        if (id !== undefined) {
          if (!(await this.sink.edit(id, messages[i]!))) return;
        } else ids.push(await this.sink.send(messages[i]!));
      }
      // A reply that got shorter: blank the pieces it no longer needs.
      for (const id of ids.slice(messages.length)) await this.sink.edit(id, { content: '\u200b', components: [] });
      this.parts.set(ref.id, ids);
    });
  }

  sendFiles(files: OutgoingFile[], caption?: string): Promise<void> {
    return this.serial(async () => {
      const { batches, notes } = packFiles(files, this.sink.attachmentLimit);
      const captions = caption ? renderText(caption) : [];
      // Long captions go first as text; the last piece rides with the first files.
      for (const text of captions.slice(0, -1)) await this.sink.send({ content: text });
      let first = captions.at(-1) ?? '';
      for (const batch of batches) {
        await this.sink.send({ content: first, files: batch });
        first = '';
      }
      if (first) await this.sink.send({ content: first });
      for (const note of notes) for (const text of renderText(note)) await this.sink.send({ content: text });
    });
  }
}

/**
 * Runs several conversation events as one answer: plain replies are collected and posted
 * together by `flush`; anything else (buttons, edits, files) goes straight through.
 */
export class CollectingThread implements ChatThread {
  readonly isPrivate: boolean;
  readonly athleteKey: string;
  readonly displayName: string;
  readonly maxDownloadBytes: number;
  readonly receivesText: boolean;
  private readonly collected: string[] = [];

  get maxAttachmentBytes(): number {
    return this.thread.maxAttachmentBytes ?? DEFAULT_ATTACHMENT_LIMIT;
  }

  constructor(private readonly thread: ChatThread) {
    this.isPrivate = thread.isPrivate;
    this.athleteKey = thread.athleteKey;
    this.displayName = thread.displayName;
    this.maxDownloadBytes = thread.maxDownloadBytes;
    this.receivesText = thread.receivesText !== false;
  }

  async post(reply: Reply): Promise<MessageRef> {
    if ((reply.buttons && reply.buttons.length > 0) || reply.fields) return this.thread.post(reply);
    this.collected.push(reply.title ? `${reply.title}\n${reply.text}` : reply.text);
    return { id: `collected-${this.collected.length}` };
  }

  edit(ref: MessageRef, reply: Reply): Promise<void> {
    return ref.id.startsWith('collected-') ? Promise.resolve() : this.thread.edit(ref, reply);
  }

  sendFiles(files: OutgoingFile[], caption?: string): Promise<void> {
    return this.thread.sendFiles(files, caption);
  }

  /** Posts what was collected, as one reply. */
  async flush(): Promise<void> {
    if (this.collected.length > 0) await this.thread.post({ text: this.collected.splice(0).join('\n\n') });
  }
}
