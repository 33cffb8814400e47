/**
 * /profile: the profile, its FTP history (/profile history), or a change written after the
 * command (/profile ftp 270, /profile set weight 69), read as if it were written without it.
 */
import { ftpChanges } from '../../domain/profile.js';
import { ftpHistoryText, profileReply } from '../messages/profile.js';
import type { Turn } from '../turn.js';
import { text } from './text.js';

export async function profile(turn: Turn, args: string): Promise<void> {
  const { thread, athlete } = turn;
  if (/^history/i.test(args)) {
    await thread.post(ftpHistoryText(ftpChanges(await athlete.profileHistory()), (await athlete.info()).timeZone));
    return;
  }
  if (args.length > 0) {
    await text(turn, args.replace(/^set\s+/i, ''));
    return;
  }
  await thread.post(profileReply(await athlete.info(), await athlete.currentProfile()));
}
