/**
 * Downloading what an athlete attached on Discord: from Discord's CDN, streamed, refusing more
 * than the limit (declared or actual).
 */
import type { Attachment } from 'discord.js';
import type { IncomingAttachment } from '../../src/conversation/port.js';

/** The longest wait for one download. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** Downloads an attachment from Discord's CDN, refusing more than `limit` bytes. */
async function downloadAttachment(url: string, declaredSize: number, limit: number): Promise<Uint8Array> {
  if (declaredSize > limit) throw new Error(`attachment is ${declaredSize} bytes, over the ${limit}-byte limit`);
  const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok || !response.body) throw new Error(`CDN answered ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > limit) {
    await response.body.cancel();
    throw new Error(`attachment is ${length} bytes, over the ${limit}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.length;
    if (total > limit) throw new Error(`attachment is over the ${limit}-byte limit`);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/** An attachment as the conversation sees it: name, size, and a download on demand. */
export function incomingAttachment(attachment: Attachment, maxDownloadBytes: number): IncomingAttachment {
  return {
    fileName: attachment.name,
    sizeBytes: attachment.size,
    download: () => downloadAttachment(attachment.url, attachment.size, maxDownloadBytes),
  };
}
