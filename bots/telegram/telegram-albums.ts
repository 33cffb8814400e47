/**
 * Telegram albums: several files sent at once arrive as one message per file sharing a
 * `media_group_id`. The collector gathers them into one upload, so the athlete gets one answer.
 */
import type { Context, NextFunction } from 'grammy';

/** How long an album stays open for its next file after the last one arrived. */
const ALBUM_QUIET_MS = 600;

/** The pieces of a Telegram document message the adapter needs. */
export interface TelegramDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  file_size?: number;
}

interface Album {
  documents: TelegramDocument[];
  caption: string | undefined;
  lastAddedAt: number;
  closed: boolean;
}

/** The documents of a message (one, or a whole album) and their caption. */
export interface CollectedFiles {
  documents: TelegramDocument[];
  caption: string | undefined;
}

const albumKey = (ctx: Context) => (ctx.message?.media_group_id && ctx.chat ? `${ctx.chat.id}:${ctx.message.media_group_id}` : null);

export class AlbumCollector {
  private readonly albums = new Map<string, Album>();

  /**
   * Middleware for document messages, before the per-chat queue (so that a file never waits behind
   * its own album): a file of an album that is still open joins it and goes no further; the first
   * file of an album opens it.
   */
  readonly join = async (ctx: Context, next: NextFunction): Promise<void> => {
    const document = ctx.message?.document;
    if (!document) return next();
    const key = albumKey(ctx);
    const open = key ? this.albums.get(key) : undefined;
    if (open && !open.closed) {
      open.documents.push(document);
      open.caption ??= ctx.message?.caption;
      open.lastAddedAt = Date.now();
      return;
    }
    if (key) this.albums.set(key, { documents: [document], caption: ctx.message?.caption, lastAddedAt: Date.now(), closed: false });
    await next();
  };

  /** The files of a document message: the whole album it opened, once no file of it has arrived for a moment. */
  async collect(ctx: Context & { message: { document: TelegramDocument } }): Promise<CollectedFiles> {
    const key = albumKey(ctx);
    const album = key ? this.albums.get(key) : undefined;
    if (!key || !album) return { documents: [ctx.message.document], caption: ctx.message.caption };
    for (;;) {
      const wait = album.lastAddedAt + ALBUM_QUIET_MS - Date.now();
      if (wait > 0) {
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      // After a busy stretch the timer may fire before a part that already arrived is read: let pending I/O in first.
      const seen = album.documents.length;
      await new Promise((r) => setImmediate(r));
      if (album.documents.length === seen) break;
    }
    album.closed = true;
    this.albums.delete(key);
    return { documents: album.documents, caption: album.caption };
  }
}
