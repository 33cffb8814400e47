/**
 * One Telegram chat as the conversation sees it (`ChatThread`): replies as HTML messages with
 * inline keyboards, edits of progress lines, files as photos or documents, the chat action
 * ("typing…") while the bot is busy.
 */
import { GrammyError, InputFile, type Api } from 'grammy';
import type { ChatActivity, ChatThread, MessageRef, OutgoingFile, Reply } from '../../src/conversation/port.js';
import { asDeliveryError } from './telegram-errors.js';
import { inlineKeyboard, replyToHtmlMessages } from './telegram-format.js';

/** Telegram's chat action for what the bot is busy with. */
const CHAT_ACTIONS: Record<ChatActivity, 'typing' | 'upload_document'> = { reading: 'typing', 'sending-files': 'upload_document' };

export class TelegramThread implements ChatThread {
  /** The Bot API's limit on a sent document. */
  readonly maxAttachmentBytes = 50 * 1024 * 1024;
  /** A bot may delete the messages of a private chat (the one holding an API key, once read). */
  readonly deletesMessages = true;

  constructor(
    private readonly api: Api,
    private readonly chatId: number,
    readonly athleteKey: string,
    readonly displayName: string,
    readonly isPrivate: boolean,
    readonly maxDownloadBytes: number,
  ) {}

  async post(reply: Reply): Promise<MessageRef> {
    const texts = replyToHtmlMessages(reply);
    const keyboard = inlineKeyboard(reply.buttons);
    let last = 0;
    try {
      for (const [i, text] of texts.entries()) {
        const markup = i === texts.length - 1 && keyboard ? { reply_markup: keyboard } : {};
        const sent = await this.api.sendMessage(this.chatId, text, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...markup,
        });
        last = sent.message_id;
      }
    } catch (error) {
      throw asDeliveryError(error);
    }
    // The last part carries the buttons; it is the one an edit changes.
    return { id: String(last) };
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    // Edits are progress lines; one that grew past a message is cut, never spread over several.
    const text = replyToHtmlMessages(reply)[0]!;
    const keyboard = inlineKeyboard(reply.buttons);
    try {
      await this.api.editMessageText(this.chatId, Number(ref.id), text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
    } catch (error) {
      // The same text again is not a failure: the status already says it.
      if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
      throw error;
    }
  }

  /** "typing…" / "sending a file…" over the chat for 5 s (or until the next message). */
  async showActivity(activity: ChatActivity): Promise<void> {
    await this.api.sendChatAction(this.chatId, CHAT_ACTIONS[activity]);
  }

  async sendFiles(files: OutgoingFile[], caption?: string): Promise<void> {
    if (caption) await this.post({ text: caption });
    for (const file of files) {
      if (file.kind === 'photo') {
        try {
          await this.api.sendPhoto(this.chatId, new InputFile(file.content, file.fileName));
          continue;
        } catch (error) {
          // Telegram refuses some pictures (size, proportions): the file itself still helps.
          if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
        }
      }
      await this.api.sendDocument(this.chatId, new InputFile(file.content, file.fileName));
    }
  }
}
