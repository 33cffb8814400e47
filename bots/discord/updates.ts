/**
 * Discord's updates onto the conversation: slash commands and buttons (acknowledged first, then
 * answered through the interaction, ephemerally in servers), autocomplete, and direct messages
 * (text, `/word` typed as text, attachments). Every update's work runs inside one catch point,
 * like Telegram's `bot.catch`: the error logged under `err`, the person told plainly.
 */
import {
  MessageFlags,
  type Attachment,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type DMChannel,
  type Interaction,
  type Message,
} from 'discord.js';
import type { Conversation } from '../../src/conversation/conversation.js';
import type { ChatThread, Incoming } from '../../src/conversation/port.js';
import type { Logger } from '../../src/logger.js';
import { incomingAttachment } from './attachments.js';
import { suggest } from './autocomplete.js';
import { commandRoute, type ReceivedOption } from './command-route.js';
import { ChannelSink, CollectingThread, DiscordThread, identity, InteractionSink } from './discord-adapter.js';
import type { UpdateQueue } from './update-queue.js';

const FALLBACK_NOTICE = 'This took longer than Discord keeps a reply open, so the rest comes here, by direct message.';
const SORRY = 'Something went wrong on my side. Please try again in a minute; if it keeps happening, /status shows what is stored.';

/** One incoming interaction or DM, as `onSettled` reports it. */
export interface SettledUpdate {
  kind: 'interaction' | 'message';
  id: string;
  ok: boolean;
}

export interface DiscordUpdatesOptions {
  conversation: Pick<Conversation, 'handle'>;
  log: Logger;
  /** An error as it may be logged (the token cut out). */
  safeError: (error: unknown) => unknown;
  maxDownloadBytes: number;
  /** How long an interaction's token is used before replies go by DM instead. */
  interactionTokenLifetimeMs: number;
  queue: UpdateQueue;
  /** The bot's own user id, once connected. */
  botUserId: () => string | undefined;
  onSettled?: ((update: SettledUpdate) => void) | undefined;
}

type CommandInteraction = ChatInputCommandInteraction | ButtonInteraction;

export class DiscordUpdates {
  constructor(private readonly options: DiscordUpdatesOptions) {}

  async onInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.autocomplete(interaction);
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const receivedAt = Date.now();
    const ephemeral = interaction.guildId !== null;
    if (!(await this.acknowledge(interaction, ephemeral))) return;
    await this.options.queue.afterPendingDeferrals();
    const thread = this.interactionThread(interaction, ephemeral, receivedAt);
    await this.options.queue.inOrder(thread.athleteKey, () =>
      this.converse({ kind: 'interaction', id: interaction.id }, thread, this.interactionEvents(interaction)),
    );
  }

  async onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.author.id === this.options.botUserId()) return;
    // Only direct messages: in servers the bot is used through slash commands.
    if (message.guildId !== null) return;
    const incoming = messageEvent(message, this.options.maxDownloadBytes);
    if (!incoming) return;
    const who = identity(message.author);
    const channel = message.channel as DMChannel;
    const thread = new DiscordThread(who.athleteKey, who.displayName, this.options.maxDownloadBytes, new ChannelSink(async () => channel));
    if (incoming.kind === 'files') void channel.sendTyping().catch(() => undefined);
    await this.options.queue.afterPendingDeferrals();
    await this.options.queue.inOrder(who.athleteKey, () => this.converse({ kind: 'message', id: message.id }, thread, [incoming]));
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    await interaction
      .respond(suggest(interaction.commandName, interaction.options.data as readonly ReceivedOption[]))
      .catch((error: unknown) => {
        this.options.log.warn({ err: this.options.safeError(error) }, 'autocomplete answer failed');
      });
  }

  /** Acknowledges first, before any work: Discord drops interactions not answered within 3 s. False when that failed. */
  private async acknowledge(interaction: CommandInteraction, ephemeral: boolean): Promise<boolean> {
    try {
      await this.options.queue.acknowledged(interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}));
      return true;
    } catch (error) {
      const athleteKey = `discord:${interaction.user.id}`;
      this.options.log.warn({ err: this.options.safeError(error), athleteKey }, 'could not acknowledge an interaction');
      this.options.onSettled?.({ kind: 'interaction', id: interaction.id, ok: false });
      return false;
    }
  }

  /** The thread of a deferred interaction: its replies, then the athlete's DM once its token has run out. */
  private interactionThread(interaction: CommandInteraction, ephemeral: boolean, receivedAt: number): DiscordThread {
    const who = identity(interaction.user);
    const sink = new InteractionSink(interaction, {
      ephemeral,
      expiresAt: Math.min(interaction.createdTimestamp, receivedAt) + this.options.interactionTokenLifetimeMs,
      fallback: new ChannelSink(() => interaction.user.createDM()),
      fallbackNotice: FALLBACK_NOTICE,
      logger: this.options.log,
      athleteKey: who.athleteKey,
    });
    return new DiscordThread(who.athleteKey, who.displayName, this.options.maxDownloadBytes, sink, { inServer: ephemeral });
  }

  /** What a button or slash command asks of the conversation. */
  private interactionEvents(interaction: CommandInteraction): Incoming[] {
    if (interaction.isButton()) return [{ kind: 'action', action: interaction.customId }];
    const route = commandRoute(interaction.commandName, interaction.options.data as readonly ReceivedOption[]);
    if (route.kind === 'upload') {
      const files = route.attachmentIds
        .map((id) => interaction.options.resolved?.attachments?.get(id))
        .filter((a): a is Attachment => a !== undefined);
      return [{ kind: 'files', attachments: files.map((a) => incomingAttachment(a, this.options.maxDownloadBytes)) }];
    }
    return (route.args.length > 0 ? route.args : ['']).map((args) => ({ kind: 'command', name: route.name, args }));
  }

  /** Runs an update's events on the conversation and reports it settled. Several events (profile texts) answer as one message. */
  private async converse(update: Omit<SettledUpdate, 'ok'>, thread: ChatThread, events: readonly Incoming[]): Promise<void> {
    const collector = events.length > 1 ? new CollectingThread(thread) : null;
    const target = collector ?? thread;
    let ok = await this.attempt(target, async () => {
      for (const event of events) await this.options.conversation.handle(target, event);
    });
    if (collector) ok = (await this.attempt(thread, () => collector.flush())) && ok;
    this.options.onSettled?.({ ...update, ok });
  }

  /**
   * The one catch point of an update: the conversation answers expected problems itself, so an
   * error here is a bug or a Discord failure. It is logged (without the token) and the person told.
   */
  private async attempt(thread: ChatThread, work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      this.options.log.error({ err: this.options.safeError(error), athleteKey: thread.athleteKey }, 'discord update failed');
      await thread.post({ text: SORRY }).catch(() => undefined);
      return false;
    }
  }
}

/** What a direct message says to the conversation; null for nothing to answer. */
function messageEvent(message: Message, maxDownloadBytes: number): Incoming | null {
  const files = [...message.attachments.values()];
  const text = message.content.trim();
  if (files.length > 0)
    return { kind: 'files', attachments: files.map((a) => incomingAttachment(a, maxDownloadBytes)), ...(text ? { caption: text } : {}) };
  // A sticker alone has neither text nor a file: it is answered with what the bot reads.
  if (text === '') return message.stickers.size > 0 ? { kind: 'unreadable', what: 'a sticker' } : null;
  // "/frobnicate" typed in a DM arrives as text when no slash command matches: read it as a command.
  const command = /^\/(\w+)(?:@\S+)?\s*([\s\S]*)$/.exec(text);
  return command ? { kind: 'command', name: command[1]!.toLowerCase(), args: command[2] ?? '' } : { kind: 'text', text };
}
