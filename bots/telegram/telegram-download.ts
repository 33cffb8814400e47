/**
 * Downloading what an athlete sent on Telegram: getFile, then the file from the Bot API's file
 * URL (which holds the token: it never leaves this file, and errors are scrubbed of it), or from
 * the disk of a local Bot API server. Nothing larger than the limit is read.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Api } from 'grammy';
import type { IncomingAttachment } from '../../src/conversation/port.js';
import type { TelegramDocument } from './telegram-albums.js';

/** The longest wait for one file download. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

export interface TelegramDownloaderOptions {
  api: Api;
  token: string;
  /** The Bot API server, without a trailing slash. */
  apiRoot: string;
  maxDownloadBytes: number;
  scrub: (text: string) => string;
  /** Aborted when the bot stops. */
  signal: () => AbortSignal;
}

export class TelegramDownloader {
  constructor(private readonly options: TelegramDownloaderOptions) {}

  /** A document as the conversation sees it: name, size, and a download on demand. */
  attachment(document: TelegramDocument): IncomingAttachment {
    const fileName = document.file_name ?? `file-${document.file_unique_id}`;
    const sizeBytes = document.file_size ?? 0;
    return { fileName, sizeBytes, download: () => this.download(document.file_id, fileName, sizeBytes) };
  }

  private tooLarge(fileName: string): Error {
    return new Error(`${fileName} is larger than the ${this.options.maxDownloadBytes} bytes a bot may download`);
  }

  private async download(fileId: string, fileName: string, sizeBytes: number): Promise<Uint8Array> {
    const { api, apiRoot, token, maxDownloadBytes } = this.options;
    // The conversation refuses big files from sizeBytes; this guards anything else that calls.
    if (sizeBytes > maxDownloadBytes) throw this.tooLarge(fileName);
    const file = await api.getFile(fileId);
    if (file.file_size !== undefined && file.file_size > maxDownloadBytes) throw this.tooLarge(fileName);
    if (!file.file_path) throw new Error(`Telegram gave no file path for ${fileName}`);
    // A local Bot API server in --local mode answers with the file's absolute path on its disk.
    if (isAbsolute(file.file_path)) return new Uint8Array(await readFile(file.file_path));
    return this.fetchFile(`${apiRoot}/file/bot${token}/${file.file_path}`, fileName);
  }

  private async fetchFile(url: string, fileName: string): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.any([this.options.signal(), AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]) });
    } catch (error) {
      const reason =
        error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
      throw new Error(`downloading ${fileName} from Telegram failed: ${this.options.scrub(reason)}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`downloading ${fileName} from Telegram failed: HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > this.options.maxDownloadBytes) {
      await response.body?.cancel();
      throw this.tooLarge(fileName);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > this.options.maxDownloadBytes) throw this.tooLarge(fileName);
    return bytes;
  }
}
